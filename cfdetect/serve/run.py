"""Run the service with uvicorn: one process, or ``workers`` processes sharing the socket.

SIGHUP reloads the model with no request lost:

- one worker: the process loads the model directory again in a thread and swaps the scorer it
  holds (``ModelHolder.reload``); requests in flight finish on the old scorer;
- ``workers > 1``: uvicorn's supervisor replaces the workers one by one, each new one started
  (and its model loaded and checked) before the old one is stopped gracefully.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cfdetect.artifact import Trust, verify_model


def run(
    model_dir: str | Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    trust: Trust | None = None,
    max_batch: int = 1000,
    max_body_bytes: int = 8 * 1024 * 1024,
    log_level: str = "info",
) -> None:
    """Serve ``model_dir`` until SIGINT or SIGTERM.

    Raises
    ------
    ModelError
        Before anything listens: the model directory fails a check (trust, hash, versions).
    """
    import uvicorn

    verify_model(model_dir, trust=trust)  # fail here, once, before any worker starts
    if trust is None or trust is True or trust is False:
        trust_json: object = trust
    elif isinstance(trust, str | Path):
        trust_json = [str(Path(trust).resolve())]
    else:
        trust_json = [str(Path(t).resolve()) for t in trust]
    if trust is True and model_dir is not None:
        trust_json = [str(Path(model_dir).resolve())]
    os.environ["CFDETECT_SERVE_SETTINGS"] = json.dumps(
        {
            "model_dir": None if model_dir is None else str(Path(model_dir).resolve()),
            "trust": trust_json,
            "max_batch": int(max_batch),
            "max_body_bytes": int(max_body_bytes),
        }
    )
    uvicorn.run(
        "cfdetect.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        timeout_graceful_shutdown=30,
        access_log=False,
    )
