"""Run one benchmark step in a fresh process and measure it: wall time, CPU time, peak memory.

Peak memory is reported two ways, because ``cfdetect score --jobs 2`` runs in three processes:

- ``peak_rss_mb``: the largest *sum* of the resident sets of the process and all its
  descendants, sampled every ``interval`` seconds with psutil (what the machine must hold);
- ``max_rss_mb``: the largest resident set of any *single* process of the tree, from the kernel's
  accounting (``ru_maxrss`` that ``os.wait4`` returns for the child and its waited-for
  descendants: exact, the figure ``/usr/bin/time -v`` prints as "Maximum resident set size").

CPU time (user + system of the whole tree) next to the wall time tells how much of a slow run was
waiting for a core that other work held: on a shared machine compare both.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import psutil


@dataclass
class Measured:
    """What one measured process did."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    max_rss_mb: float
    load_before: float
    stdout: str

    def as_dict(self) -> dict[str, float]:
        """The figures, rounded, without the captured output."""
        out = asdict(self)
        out.pop("stdout")
        return {k: round(v, 3) for k, v in out.items()}


def least_busy_cpu(sample_seconds: float = 0.5) -> int | None:
    """Return the CPU (among this process's allowed ones) with the least load just now."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    busy = psutil.cpu_percent(interval=sample_seconds, percpu=True)
    return min(allowed, key=lambda cpu: busy[cpu] if cpu < len(busy) else 0.0)


def _tree_sample(root: psutil.Process, cpu: dict[int, float]) -> int:
    """Sum of the resident sets of ``root`` and its descendants (0 if it is gone); records
    each process's own CPU time so far (user + system) in ``cpu`` by pid."""
    try:
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in tree:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
            times = proc.cpu_times()
            cpu[proc.pid] = max(cpu.get(proc.pid, 0.0), times.user + times.system)
    return total


def run(
    command: Sequence[str],
    *,
    cpu: int | None = None,
    env: dict[str, str] | None = None,
    interval: float = 0.1,
    timeout: float | None = None,
) -> Measured:
    """Run ``command``; pin it (and its children) to ``cpu`` when given; measure it.

    ``cpu_seconds`` is the user + system time of the process and its descendants: the larger of
    what ``os.wait4`` reports (the process and the descendants it waited for) and the sum of
    every descendant's own CPU time, sampled every ``interval`` (workers forked by a fork
    server are not waited for by the process measured; each sample misses at most ``interval``
    of a process's last CPU time).

    Raises ``RuntimeError`` with the tail of stderr when the command fails.
    """

    def pin() -> None:
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {cpu})

    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=err,
            preexec_fn=pin,
            env={**os.environ, **(env or {})},
        )
        root = psutil.Process(proc.pid)
        peak = 0
        cpu_by_pid: dict[int, float] = {}
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_sample(root, cpu_by_pid))
            if timeout is not None and time.perf_counter() - started > timeout:
                proc.kill()
            time.sleep(interval)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}:\n{stderr[-3000:]}")
    max_rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    return Measured(
        seconds=seconds,
        cpu_seconds=max(usage.ru_utime + usage.ru_stime, sum(cpu_by_pid.values())),
        peak_rss_mb=max(peak, max_rss) / 2**20,
        max_rss_mb=max_rss / 2**20,
        load_before=load,
        stdout=stdout,
    )
