"""Worker processes shared by batch scoring and training: start clean, stop at once."""

from __future__ import annotations

import contextlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def spawn_pool(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
    """A process pool whose workers start with "spawn".

    Forking a process that already runs threads (OpenMP, a host application) can deadlock the
    children; spawned workers start clean and import what they need.
    """
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), **kwargs)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and terminate the workers now (they may be mid-task)."""
    running = getattr(pool, "_processes", None)  # pid -> Process; no public accessor
    processes = list(running.values()) if isinstance(running, dict) else []
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
