"""``TableWriter``: chunks appended to a locked temporary file, resumable at checkpoints, renamed
into place on success; ``open_writer`` and ``write_table``."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pandas as pd

from cfdetect.errors import InputError, UsageError
from cfdetect.io._atomic import partial_path
from cfdetect.io._formats import detect_format
from cfdetect.io._parquet import REASON_COLUMNS, reason_list_type
from cfdetect.io._text import delimited_text, jsonl_text

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock on partial outputs
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class WriterState:
    """Where a resumable output stands at a checkpoint: bytes and rows written, header columns.

    ``TableWriter.checkpoint`` returns it; ``open_writer(..., resume=state)`` continues from it.
    """

    bytes: int
    rows: int
    columns: list[str] | None


class TableWriter:
    """Append DataFrame chunks to one output file; rename it into place on success.

    Use ``open_writer``. Every writer of a file writes to ``partial_path``, locked against a
    second writer (``InputError``: another process is writing this output). On an exception
    inside the ``with`` block the temporary file is removed and nothing is left under the final
    name. A *resumable* writer marks checkpoints (``checkpoint``: for gzip, each one ends a gzip
    member, so the file can be cut there and continued), and on an interruption
    (``KeyboardInterrupt``, ``SystemExit``) keeps its temporary file for ``resume``.
    """

    def __init__(
        self,
        path: str | Path,
        fmt: str,
        gz: bool,
        *,
        escape: bool = False,
        resumable: bool = False,
        resume: WriterState | None = None,
    ) -> None:
        self.path = path
        self.fmt = fmt
        self.gz = gz
        self.escape = escape and fmt in ("csv", "tsv")
        self._sep = "\t" if fmt == "tsv" else ","
        self.resumable = resumable or resume is not None
        self.rows = 0
        self._columns: list[str] | None = None
        self._parquet: Any = None
        self._schema: Any = None
        self._gzip: gzip.GzipFile | None = None
        self._stdout = str(path) == "-"
        self._tmp: Path | None = None
        self._finished = False  # the temporary file is complete on disk
        self._committed = False  # and renamed into place
        if self._stdout:
            if self.resumable:
                raise UsageError("an output written to stdout cannot be resumed")
            self._file: IO[bytes] = sys.stdout.buffer if fmt != "parquet" else io.BytesIO()
            return
        target = Path(path)
        if not target.parent.is_dir():
            raise InputError(f"{path}: the output directory {target.parent} does not exist")
        if target.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        # every run, resumable or not, writes to the one partial file of its output and locks
        # it: a second run on the same output is refused instead of interleaving or racing
        self._tmp = partial_path(target)
        self._file = self._open_partial(resume)

    def _open_partial(self, resume: WriterState | None) -> IO[bytes]:
        """Open ``partial_path`` without truncating, lock it, then cut it to the checkpoint."""
        assert self._tmp is not None
        try:
            fd = os.open(self._tmp, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc
        file = os.fdopen(fd, "r+b")
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    raise InputError(
                        f"{self.path}: another cfdetect process is writing this output "
                        f"({self._tmp.name} is locked)"
                    ) from None
            size = os.fstat(file.fileno()).st_size
            keep = 0
            if resume is not None:
                if size < resume.bytes:
                    raise InputError(
                        f"{self.path}: cannot resume, {self._tmp.name} holds {size:,} bytes, "
                        f"the last checkpoint recorded {resume.bytes:,}; run without --resume"
                    )
                keep = resume.bytes
                self.rows = resume.rows
                self._columns = list(resume.columns) if resume.columns is not None else None
            file.truncate(keep)
            file.seek(keep)
        except BaseException:
            file.close()
            raise
        return file

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        elif self.resumable and not issubclass(exc_type, Exception):
            self.detach()  # interrupted: keep the partial file for --resume
        else:
            self.abort()

    @property
    def _binary(self) -> IO[bytes]:
        """The stream chunks go to: the file, or the current gzip member on it."""
        if not self.gz:
            return self._file
        if self._gzip is None:
            # no file name and no time in the header: the same rows give the same bytes
            self._gzip = gzip.GzipFile(filename="", fileobj=self._file, mode="wb", mtime=0)
        return self._gzip  # type: ignore[return-value]

    def write(self, chunk: pd.DataFrame) -> None:
        """Append one chunk (its columns must match the first chunk's for CSV and Parquet)."""
        try:
            self._write(chunk)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: writing failed ({exc.strerror or exc})") from exc
        self.rows += len(chunk)

    def _write(self, chunk: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = [str(c) for c in chunk.columns]
            if self.fmt in ("csv", "tsv"):
                head = delimited_text(chunk.iloc[:0], self._sep, escape=self.escape)
                self._binary.write(head.encode("utf-8"))
        elif self.fmt != "jsonl":
            known = set(self._columns)
            late = [str(c) for c in chunk.columns if str(c) not in known]
            if late:  # a CSV header or Parquet schema is fixed by the first chunk
                self.abort()
                raise InputError(
                    f"{self.path}: input column {late[0]!r} first appears after the first chunk, "
                    f"and a {self.fmt} output's columns are fixed by its first chunk; write JSON "
                    "Lines (-o NAME.jsonl) or raise --chunk-size so the first chunk holds it"
                )
            chunk = chunk.reindex(columns=self._columns)
        if self.fmt == "parquet":
            self._write_parquet(chunk)
        elif chunk.empty:
            return
        elif self.fmt in ("csv", "tsv"):
            text = delimited_text(chunk, self._sep, header=False, escape=self.escape)
            self._binary.write(text.encode("utf-8"))
        elif self.fmt == "jsonl":
            text = jsonl_text(chunk)
            self._binary.write(text.encode("utf-8"))
            if not text.endswith("\n"):
                self._binary.write(b"\n")

    def _write_parquet(self, chunk: pd.DataFrame) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover
            raise UsageError("Parquet needs pyarrow: pip install 'cfdetect[parquet]'") from exc
        if self._parquet is None:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            fields = [
                pa.field(f.name, reason_list_type())  # lists of reasons (or none yet)
                if f.name in REASON_COLUMNS
                and (pa.types.is_list(f.type) or pa.types.is_null(f.type))
                else pa.field(f.name, pa.string())
                if pa.types.is_null(f.type)
                else f
                for f in table.schema
            ]
            self._schema = pa.schema(fields)
            self._parquet = pq.ParquetWriter(self._binary, self._schema)
        table = pa.Table.from_pandas(chunk, schema=self._schema, preserve_index=False)
        self._parquet.write_table(table)

    def checkpoint(self) -> WriterState:
        """Make everything written so far a prefix a resumed run can continue from.

        Ends the current gzip member and flushes to the operating system (a killed process
        loses nothing flushed; a power cut may, and ``resume`` then notices the short file).
        """
        if not self.resumable:
            raise UsageError("checkpoints need a resumable writer (open_writer(resumable=True))")
        try:
            if self._gzip is not None:
                self._gzip.close()  # ends the member; the file stays open
                self._gzip = None
            self._file.flush()
            position = self._file.tell()
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: writing failed ({exc.strerror or exc})") from exc
        return WriterState(position, self.rows, self._columns)

    def finish(self) -> None:
        """Write the end of the file and flush it to disk, still under its temporary name (a
        full disk shows here); ``close`` then renames it. For outputs that commit together:
        ``finish`` each of them, then ``close`` each (``commit_together``)."""
        if self._finished:
            return
        if self._columns is None and self.fmt == "parquet":
            self.abort()
            raise InputError(f"{self.path}: nothing to write (no columns)")
        try:
            if self._parquet is not None:
                self._parquet.close()
            if self._stdout:
                self._finished = True
                return
            if self.gz and (self._gzip is not None or self._file.tell() == 0):
                self._binary.close()  # the last member (an empty one for an empty output)
                self._gzip = None
            self._file.flush()
            os.fsync(self._file.fileno())
            if fcntl is None:  # (Windows renames no open file; elsewhere it stays locked)
                self._file.close()
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: writing failed ({exc.strerror or exc})") from exc
        self._finished = True

    def close(self) -> None:
        """Finish the file (``finish``) and move it under its final name."""
        self.finish()
        try:
            if self._stdout:
                if isinstance(self._file, io.BytesIO):
                    sys.stdout.buffer.write(self._file.getvalue())
                sys.stdout.buffer.flush()
                return
            assert self._tmp is not None
            os.replace(self._tmp, self.path)  # then unlock: no other run takes the partial file
            self._committed = True
            self._file.close()
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: writing failed ({exc.strerror or exc})") from exc

    def detach(self) -> None:
        """Close the temporary file and keep it (an interrupted resumable run)."""
        if self._stdout:
            return
        with contextlib.suppress(Exception):
            self._file.close()

    def abort(self) -> None:
        """Drop the temporary file; leave nothing under the final name (after ``close``, the
        file this writer put there: one of several outputs that must commit together failed)."""
        if self._stdout or self._tmp is None:
            return
        with contextlib.suppress(Exception):
            if self._parquet is not None:  # now, not when collected (on a closed file)
                self._parquet.close()
        with contextlib.suppress(Exception):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()
        if self._committed:
            self._committed = False
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)


def open_writer(
    path: str | Path,
    fmt: str | None = None,
    *,
    escape_formulas: bool = False,
    resumable: bool = False,
    resume: WriterState | None = None,
) -> TableWriter:
    """Open an atomic chunk writer; the format comes from ``fmt`` or the suffix.

    Parameters
    ----------
    path : str or Path
        The final file name, or ``-`` for stdout.
    fmt : str, optional
        Format when the suffix does not tell.
    escape_formulas : bool, default False
        CSV/TSV only: neutralise cells a spreadsheet would read as formulas
        (``escape_formula``). A plain writer writes what it is given; the functions that
        write listing text for people pass ``cfdetect._settings.ESCAPE_FORMULAS`` (on).
    resumable : bool
        Write to ``partial_path(path)``, keep it when interrupted, allow ``checkpoint``.
    resume : WriterState, optional
        Continue the partial file from this checkpoint (it is cut there first).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> with open_writer(out) as writer:
    ...     writer.write(pd.DataFrame({"a": [1, 2]}))
    >>> out.read_text()
    'a\\n1\\n2\\n'
    """
    kind, gz = detect_format(path, fmt)
    return TableWriter(path, kind, gz, escape=escape_formulas, resumable=resumable, resume=resume)


def write_table(path: str | Path, frame: pd.DataFrame, fmt: str | None = None) -> None:
    """Write one whole DataFrame atomically (format by suffix)."""
    with open_writer(path, fmt) as writer:
        writer.write(frame)
