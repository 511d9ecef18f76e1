"""Atomic outputs: the temporary name beside a file, one whole file staged in memory, and
committing several outputs of one run together."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cfdetect.errors import InputError

if TYPE_CHECKING:
    from cfdetect.io._writers import TableWriter


def same_file(first: str | Path, second: str | Path) -> bool:
    """Whether two output names are one file: the same path once made absolute, with ``..``
    and symbolic links resolved (also a link to a file not written yet), or one existing file
    (hard links). ``-`` (stdout) is only itself.

    Examples
    --------
    >>> same_file("out/x.csv", "out/../out/x.csv"), same_file("x.csv", "y.csv")
    (True, False)
    """
    if str(first) == "-" or str(second) == "-":
        return str(first) == str(second)
    with contextlib.suppress(OSError):
        if os.path.samefile(first, second):
            return True
    return Path(first).resolve() == Path(second).resolve()


def partial_path(path: str | Path) -> Path:
    """The temporary file an output is written to (and locked): ``.NAME.part`` beside it.

    Examples
    --------
    >>> partial_path("out/scored.csv").as_posix()
    'out/.scored.csv.part'
    """
    target = Path(path)
    return target.with_name(f".{target.name}.part")


class StagedFile:
    """One whole file written now to a temporary name beside ``path`` (and flushed to disk),
    renamed into place by ``close``: a ``TableWriter`` for ``commit_together``, for data that
    is all in memory (a report, a plot)."""

    def __init__(self, path: str | Path, data: bytes) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self._committed = False
        try:
            with open(self._tmp, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        except BaseException as exc:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
            if isinstance(exc, OSError):
                raise InputError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc
            raise

    def finish(self) -> None:
        """Nothing left to write (it was written when made)."""

    def close(self) -> None:
        """Rename the file into place."""
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc
        self._committed = True

    def abort(self) -> None:
        """Drop the temporary file, or the file ``close`` put in place."""
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()
        if self._committed:
            self._committed = False
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def commit_together(writers: list[TableWriter] | list[TableWriter | StagedFile]) -> None:
    """Rename several outputs of one run into place only when every one of them is complete.

    Each is finished first (written and flushed under its temporary name: a full disk fails
    here, before anything is renamed), then renamed; a rename that fails takes back the ones
    made before it. On failure every writer is aborted: nothing is left under any final name.
    """
    try:
        for writer in writers:
            writer.finish()
        for writer in writers:
            writer.close()
    except Exception:
        for writer in writers:
            writer.abort()
        raise
