"""Worker processes shared by local scoring and training: start clean and early, stop at once.

Workers are forked from a fork server (``multiprocessing``'s "forkserver" start method) that has
imported cfdetect once: a worker then starts in milliseconds instead of importing scikit-learn and
pandas itself (about two CPU seconds each). The server is a fresh single-threaded process, so
forking it is safe even when the parent runs threads (OpenMP, a host application), which is why
plain "fork" is not used. ``start_server`` starts it ahead of need, so that its imports run on the
second core while the parent imports and loads its model. Where there is no fork server (Windows)
workers are spawned.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

# what every worker needs: scoring and the model's classes, and the model itself when named
PRELOAD = ["cfdetect.scoring.parallel", "cfdetect._preloaded"]
PRELOAD_ENV = "CFDETECT_PRELOAD_MODEL"
"""The environment variable naming the model the fork server preloads (``cfdetect._preloaded``)."""
# the signals that stop a run (the CLI raises ``Interrupted`` for SIGTERM and SIGHUP) and those
# of them a terminal sends its whole process group (Ctrl-C, closing the terminal)
STOP_SIGNALS = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)
)
GROUP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGHUP") if hasattr(signal, n))


def worker_context() -> BaseContext:
    """The start method for worker processes: the preloading fork server, else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def start_server(model: str | None = None, trust: Any = None, *, preload: bool = False) -> None:
    """Start the fork server now (it imports ``PRELOAD`` in the background); no-op without one
    or when it runs already.

    With ``preload``, the server also loads the model directory ``model`` (``None``: the shipped
    one) with ``trust`` (see ``Scorer.load``), for its workers to share (``cfdetect._preloaded``).

    Examples
    --------
    >>> start_server()  # before the parent's own heavy imports
    """
    context = worker_context()
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver, resource_tracker

    if preload:
        paths = [str(p) for p in trust] if isinstance(trust, list | tuple) else trust
        if isinstance(paths, Path):
            paths = str(paths)
        os.environ[PRELOAD_ENV] = json.dumps({"model": model, "trust": paths})
    try:
        # Ctrl-C and a closed terminal signal the whole process group: the server (still
        # importing, or serving) and the resource tracker it starts end with their parent, not
        # by those signals, which would print tracebacks (and a relaunched tracker would not
        # know the parent's semaphores). They inherit the signals blocked (SIGTERM ends them
        # quietly); this process gets any that came meanwhile when they are unblocked.
        with _blocked(GROUP_SIGNALS):
            resource_tracker.ensure_running()  # (unblocks SIGINT here once it has started)
        with _blocked(GROUP_SIGNALS):
            forkserver.ensure_running()  # the server copies the environment as it is now
    finally:
        os.environ.pop(PRELOAD_ENV, None)


@contextlib.contextmanager
def _blocked(signals: tuple[int, ...]) -> Iterator[None]:
    """Block ``signals`` in this thread meanwhile; processes started meanwhile inherit that."""
    if not hasattr(signal, "pthread_sigmask") or not signals:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a pending signal arrives now


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP (their Python handlers) until the block ends, then run
    the handler of the first that came; a no-op outside the main thread.

    For starting a worker: interrupted halfway, the worker would start after this process let go
    of the semaphores its pool shares, and print a traceback.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    handlers = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        if callable(handler):
            handlers[signum] = handler
            signal.signal(signum, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        if caught:
            handlers[caught[0]](caught[0], None)


def worker_pool(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
    """A process pool whose workers come from ``worker_context`` (see the module docstring)."""
    return ProcessPoolExecutor(workers, mp_context=worker_context(), **kwargs)


def warm_up(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start ``workers`` processes of ``pool`` now (they run their initializer meanwhile).

    A stop signal meanwhile takes effect once they have started (``deferred_signals``), so that
    ``stop_pool`` knows every one of them.
    """
    with deferred_signals():
        for _ in range(workers):
            pool.submit(int)


def exit_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone (even killed with
    SIGKILL, when nobody else stops the worker).

    A forked worker's parent process is the fork server, which lives on while workers hold
    it, so the worker watches the pipe its real parent holds open (``parent_process().sentinel``,
    readable once the parent is gone) rather than ``os.getppid()``.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_on, args=(parent.sentinel,), daemon=True).start()


def _exit_on(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and terminate the workers now (they may be mid-task)."""
    running = getattr(pool, "_processes", None)  # pid -> Process; no public accessor
    processes = list(running.values()) if isinstance(running, dict) else []
    queue = getattr(pool, "_call_queue", None)  # tasks not yet taken by a worker
    manager = getattr(pool, "_executor_manager_thread", None)
    if queue is not None:  # its feeder thread may block on a full pipe whose readers we kill;
        with contextlib.suppress(Exception):  # exiting would then wait for it forever
            queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    # The pool's manager thread closes its wake-up pipe as it ends; at exit Python wakes it up
    # without the pool's lock (concurrent.futures in 3.11), and a close meanwhile prints an
    # "Exception ignored" traceback (Bad file descriptor). Once it has ended, exit skips it.
    if manager is not None and manager is not threading.current_thread():
        with contextlib.suppress(Exception):
            manager.join(timeout=10)
