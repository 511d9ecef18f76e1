"""Exceptions raised by cfdetect. The CLI maps them to exit codes: usage 2, everything else 1."""

from __future__ import annotations


class CfdetectError(Exception):
    """Base class of every error cfdetect raises on purpose; its message is one readable line."""


class InputError(CfdetectError):
    """An input file cannot be read: missing, malformed, or lacking a required column."""


class UsageError(CfdetectError):
    """The caller asked for something that cannot be done: bad option, unknown preset or format."""


class ModelError(CfdetectError):
    """A model directory cannot be used: missing, tampered, untrusted or incompatible."""


class WorkerError(CfdetectError):
    """A worker process of ``--jobs N`` stopped before it finished (killed, out of memory, or it
    could not start)."""


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop by a signal (SIGTERM, SIGHUP); ``signum`` says which.

    Raised by the CLI's signal handlers so that a run stops the way Ctrl-C stops it: outputs
    are cleaned up (or kept for ``--resume``) and worker processes are terminated.

    Examples
    --------
    >>> import signal
    >>> Interrupted(signal.SIGTERM).exit_code
    143
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signum


class InvalidListing(ValueError, CfdetectError):  # noqa: N818 - public name fixed by DESIGN.md
    """One listing cannot be scored; ``field`` names the offending field, ``reason`` says why.

    Examples
    --------
    >>> err = InvalidListing("price", "price must be greater than 0")
    >>> str(err)
    'price: price must be greater than 0'
    """

    def __init__(self, field: str, reason: str, *, row: int | None = None) -> None:
        super().__init__(f"{field}: {reason}" if row is None else f"row {row}: {field}: {reason}")
        self.field = field
        self.reason = reason
        self.row = row  # the 1-based row of a frame (``Scorer.score_frame``), else None
