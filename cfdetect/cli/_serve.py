"""``cfdetect serve``: the HTTP service (extra ``serve``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from cfdetect._terminal import error as _error
from cfdetect._terminal import errors as _errors
from cfdetect.cli._common import TrustOption


def serve(
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            envvar="CFDETECT_MODEL",
            help="Model directory (default: the shipped models/default).",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", envvar="CFDETECT_HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", envvar="CFDETECT_PORT", min=0, max=65535, help="TCP port.")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", envvar="CFDETECT_WORKERS", min=1, help="Worker processes (uvicorn)."
        ),
    ] = 1,
    trust: TrustOption = None,
    max_batch: Annotated[
        int,
        typer.Option("--max-batch", min=1, help="Listings in one /v1/score/batch request."),
    ] = 1000,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", min=1, help="Bytes in one request body.")
    ] = 8 * 1024 * 1024,
    log_level: Annotated[
        Literal["critical", "error", "warning", "info", "debug"], typer.Option("--log-level")
    ] = "info",
) -> None:
    """Serve the scorer over HTTP (FastAPI and uvicorn: the serve extra).

    POST /v1/score, POST /v1/score/batch, GET /healthz, /readyz, /v1/model, /metrics and the
    OpenAPI schema at /openapi.json; SIGHUP reloads the model without dropping a request.
    See docs/serving.md.
    """
    import importlib.util

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        _error("cfdetect serve needs FastAPI and uvicorn: pip install 'cfdetect[serve]'")
        raise typer.Exit(2)
    import signal

    from cfdetect.serve.run import run

    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the service reloads on SIGHUP itself
    with _errors():
        run(
            model,
            host=host,
            port=port,
            workers=workers,
            trust=trust or None,
            max_batch=max_batch,
            max_body_bytes=max_body_bytes,
            log_level=log_level,
        )
