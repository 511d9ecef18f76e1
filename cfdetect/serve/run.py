"""Run the service with uvicorn: one process, or ``workers`` processes sharing the socket.

SIGHUP reloads the model with no request lost:

- one worker: the process loads the model directory again in a thread and swaps the scorer it
  holds (``ModelHolder.reload``); requests in flight finish on the old scorer;
- ``workers > 1``: uvicorn's supervisor passes SIGHUP on to every worker, and each does the same
  (its requests in flight finish on its old scorer; no connection is closed).
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
    options = {
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": log_level,
        "timeout_graceful_shutdown": 30,
        # a new worker loads and checks the model before it answers (seconds on a busy machine)
        "timeout_worker_healthcheck": 120,
        "access_log": False,
    }
    target = "cfdetect.serve.app:app_from_env"
    if workers > 1:
        _run_workers(target, options)
    else:
        uvicorn.run(target, factory=True, **options)  # type: ignore[arg-type]


def _run_workers(target: str, options: dict[str, object]) -> None:
    """uvicorn's supervisor of ``workers`` processes, except that SIGHUP is passed on to each
    worker, which reloads its model in place (uvicorn's own SIGHUP replaces the processes, and
    closing their idle keep-alive connections can reset a client's next request)."""
    import signal

    from uvicorn import Config
    from uvicorn.supervisors.multiprocess import Multiprocess

    class ReloadInPlace(Multiprocess):
        def handle_hup(self) -> None:
            for process in self.processes:
                if process.pid is not None:
                    os.kill(process.pid, signal.SIGHUP)

    config = Config(target, factory=True, **options)  # type: ignore[arg-type]
    sock = config.bind_socket()
    ReloadInPlace(config, sockets=[sock]).run()
