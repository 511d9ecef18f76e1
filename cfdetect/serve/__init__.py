"""``cfdetect serve``: the scorer behind HTTP (FastAPI + uvicorn; the ``serve`` extra).

``create_app(model_dir, trust=...)`` returns the ASGI app; ``run(...)`` serves it with uvicorn.
Importing this package imports neither FastAPI nor uvicorn: they load with ``create_app``.
See ``docs/serving.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cfdetect.serve.app import ServeConfig, create_app
    from cfdetect.serve.run import run

__all__ = ["ServeConfig", "create_app", "run"]


def __getattr__(name: str) -> Any:
    if name in ("ServeConfig", "create_app"):
        from cfdetect.serve import app

        return getattr(app, name)
    if name == "run":
        from cfdetect.serve.run import run

        return run
    raise AttributeError(f"module 'cfdetect.serve' has no attribute {name!r}")
