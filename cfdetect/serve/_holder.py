"""The model the service uses now, its limits, and reloading it (SIGHUP) without stopping."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfdetect.artifact import Trust
from cfdetect.scorer import Scorer
from cfdetect.serve.metrics import Metrics

log = logging.getLogger("cfdetect.serve")


@dataclass(frozen=True)
class ServeConfig:
    """What ``create_app`` serves and its limits.

    Attributes
    ----------
    model_dir : Path, optional
        Model directory (default: the shipped ``models/default``).
    trust : bool, path or paths, optional
        As ``Scorer.load``'s ``trust``: loading a model runs code (SECURITY.md).
    max_batch : int
        Listings in one ``/v1/score/batch`` request (a JSON array or JSON Lines); more: 413.
    max_body_bytes : int
        Bytes of one request body; more: 413.
    """

    model_dir: Path | None = None
    trust: Any = None
    max_batch: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    sighup: bool = False  # reload on SIGHUP (cfdetect serve sets it; tests call reload())
    extra: dict[str, Any] = field(default_factory=dict)


class ModelHolder:
    """The scorer the service uses now; ``reload`` swaps it for a freshly loaded one."""

    def __init__(self, model_dir: Path | None, trust: Trust | None) -> None:
        self.model_dir = model_dir
        self.trust = trust
        self._lock = threading.Lock()  # one reload at a time
        self.scorer: Scorer = Scorer.load(model_dir, trust=trust)
        self.loaded_at = time.time()
        self.reloads = 0
        self.last_reload_error: str | None = None

    def reload(self) -> Scorer:
        """Load the model directory again (every check of ``Scorer.load``) and swap it in; on
        failure the current scorer keeps serving and the error is raised."""
        with self._lock:
            try:
                fresh = Scorer.load(self.model_dir, trust=self.trust)
            except Exception as exc:
                self.last_reload_error = f"{type(exc).__name__}: {exc}"
                raise
            self.scorer = fresh  # one reference assignment: atomic for every reader
            self.loaded_at = time.time()
            self.reloads += 1
            self.last_reload_error = None
            return fresh


def reload_in_background(holder: ModelHolder, metrics: Metrics) -> None:
    """Reload ``holder``'s model in a daemon thread (a signal handler must return at once),
    counting the outcome; a failed reload is logged and the old model keeps serving."""

    def work() -> None:
        try:
            holder.reload()
        except Exception as exc:  # keep serving the old model; say why
            metrics.inc("cfdetect_reloads_total", outcome="failed")
            log.error("model reload failed, the old model keeps serving: %s", exc)
        else:
            metrics.inc("cfdetect_reloads_total", outcome="ok")
            log.info("model reloaded: %s", holder.scorer.card.get("model_sha256", "?"))

    threading.Thread(target=work, name="cfdetect-reload", daemon=True).start()
