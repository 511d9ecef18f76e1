"""The scoring service: a FastAPI app around one ``Scorer``, swapped atomically on reload.

Routes: ``POST /v1/score`` (one listing), ``POST /v1/score/batch`` (a JSON array, or JSON Lines
streamed both ways with ``Content-Type: application/x-ndjson``), ``GET /healthz``,
``GET /readyz``, ``GET /v1/model`` (the card), ``GET /metrics`` (Prometheus text format) and the
OpenAPI schema at ``/openapi.json``.

A listing is read by ``Scorer.score``: the parsers, limits and reasons of the CLI and of
``cfdetect explain``, so a score here equals the CLI's and ``Scorer.score``'s to the bit (JSON
numbers are written with ``repr``: they read back as the same double). A listing that cannot be
read gets 422 with ``{"error": {"field": ..., "reason": ...}}``.

The model is loaded once, with the trust, hash and version checks of ``Scorer.load``.
``ModelHolder.reload`` (SIGHUP under ``cfdetect serve``) loads the model directory again and
swaps the reference: a request takes the scorer it starts with and finishes on it, so in-flight
requests complete on the old model; a reload that fails keeps the old model serving.

The modules: ``_holder`` (the model serving now, its reload), ``_schemas`` (the OpenAPI models),
``_http`` (JSON and JSON Lines answers, bodies under a limit), ``_routes`` (the routes),
``_middleware`` (request metrics); this one puts them together.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from cfdetect._version import __version__
from cfdetect.artifact import Trust
from cfdetect.serve._holder import ModelHolder, ServeConfig, reload_in_background
from cfdetect.serve._http import NDJSON_TYPES, JSONOut
from cfdetect.serve._middleware import MetricsMiddleware
from cfdetect.serve._routes import ExplainMode, invalid_request, result_json, router
from cfdetect.serve._schemas import (
    BatchItemError,
    BatchOut,
    ErrorBody,
    ErrorOut,
    Listing,
    ReasonOut,
    ScoreOut,
)
from cfdetect.serve.metrics import Metrics

__all__ = [
    "NDJSON_TYPES",
    "BatchItemError",
    "BatchOut",
    "ErrorBody",
    "ErrorOut",
    "ExplainMode",
    "JSONOut",
    "Listing",
    "ModelHolder",
    "ReasonOut",
    "ScoreOut",
    "ServeConfig",
    "app_from_env",
    "create_app",
    "result_json",
]


def create_app(
    model_dir: str | Path | None = None,
    *,
    trust: Trust | None = None,
    max_batch: int = 1000,
    max_body_bytes: int = 8 * 1024 * 1024,
    sighup: bool = False,
) -> FastAPI:
    """The service's ASGI app, its model loaded (and checked) before this returns.

    Parameters
    ----------
    model_dir : str or Path, optional
        Model directory (default: the shipped ``models/default``).
    trust : bool, path or paths, optional
        As ``Scorer.load``: a model outside the trusted roots loads only when trusted.
    max_batch, max_body_bytes : int
        Limits of one request (413 past them).
    sighup : bool
        Install a SIGHUP handler that reloads the model (main thread only; ``cfdetect serve``).

    Raises
    ------
    ModelError
        The model directory cannot be used (as ``Scorer.load``).

    Examples
    --------
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> client = TestClient(create_app())  # doctest: +SKIP
    >>> listing = {"listing_id": "1", "title": "Rolex AAA clone", "price": 95, "seller_id": "s"}
    >>> client.post("/v1/score", json=listing).json()["decision"]  # doctest: +SKIP
    'review'
    """
    directory = Path(model_dir) if model_dir is not None else None
    holder = ModelHolder(directory, trust)
    metrics = Metrics()
    config = ServeConfig(directory, trust, int(max_batch), int(max_body_bytes), sighup)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if sighup and threading.current_thread() is threading.main_thread():
            signal.signal(
                signal.SIGHUP, lambda signum, frame: reload_in_background(holder, metrics)
            )
        yield

    app = FastAPI(
        title="cfdetect",
        version=__version__,
        description="Score marketplace listings for counterfeits (docs/serving.md).",
        lifespan=lifespan,
    )
    app.state.holder = holder  # what the routes serve (cfdetect.serve._routes)
    app.state.metrics = metrics
    app.state.config = config
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """The app ``cfdetect serve`` runs in each uvicorn worker (a factory: the settings come from
    ``CFDETECT_SERVE_SETTINGS``, set by ``cfdetect serve``, as JSON)."""
    if threading.current_thread() is threading.main_thread():  # until the model is loaded:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a reload then would load the same files
    settings = json.loads(os.environ.get("CFDETECT_SERVE_SETTINGS", "{}"))
    trust = settings.get("trust")
    return create_app(
        settings.get("model_dir"),
        trust=trust if trust else None,
        max_batch=int(settings.get("max_batch", 1000)),
        max_body_bytes=int(settings.get("max_body_bytes", 8 * 1024 * 1024)),
        sighup=True,
    )
