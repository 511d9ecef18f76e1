"""Read a listing file through the schema: valid chunks out, rejects to a file, counts kept.

This is the one path from a file on disk to canonical rows; ``cfdetect validate``, scoring and
training all read through ``iter_valid_chunks``.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, InvalidListing
from cfdetect.io import DEFAULT_CHUNK_SIZE, RawChunk, TableWriter, open_writer, read_chunks
from cfdetect.schema import (
    COLUMN_NAMES,
    REQUIRED_COLUMNS,
    ValidationResult,
    Validator,
    dtype_of,
    empty_rejects,
)

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|(?<![\w-])\d[\d,.]*")


@dataclass
class ValidationReport:
    """Counts of one pass over an input file.

    Attributes
    ----------
    rows_read, valid, rejected : int
        ``valid + rejected == rows_read`` always.
    rejects_by_reason : Counter
        ``(field, reason with values elided) -> count``.
    recognised, missing, ignored : list of str
        Canonical columns found, canonical columns absent, input columns carried through unused.
    columns : list of str
        The input's own column names (its header; a JSON Lines file's first chunk's keys).

    Examples
    --------
    >>> report = ValidationReport("dump.csv")
    >>> rejects = pd.DataFrame({"field": ["price"], "reason": ["price: 'abc' is not a number"]})
    >>> report.add(3, 2, rejects)
    >>> report.rows_read, report.valid, report.rejected, dict(report.rejects_by_reason)
    (3, 2, 1, {('price', 'price: … is not a number'): 1})
    """

    source: str
    rows_read: int = 0
    valid: int = 0
    rejected: int = 0
    rejects_by_reason: Counter[tuple[str, str]] = field(default_factory=Counter)
    recognised: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def add(self, rows: int, valid: int, rejects: pd.DataFrame) -> None:
        """Count one validated chunk: ``rows`` read, ``valid`` kept, the ``rejects`` frame.

        Examples
        --------
        >>> report = ValidationReport("dump.csv")
        >>> report.add(5, 5, pd.DataFrame({"field": [], "reason": []}))
        >>> report.valid == report.rows_read == 5
        True
        """
        self.rows_read += rows
        self.valid += valid
        self.rejected += len(rejects)
        for fld, reason in zip(rejects["field"], rejects["reason"], strict=True):
            self.rejects_by_reason[(str(fld), _QUOTED.sub("…", str(reason)))] += 1


def check_columns(
    input: str | Path, chunk: RawChunk, cmap: ColumnMap, validation: ValidationReport
) -> None:
    """Check the header (the first chunk) and record how its columns map into ``validation``.

    Shared by ``iter_valid_chunks``, ``cfdetect score`` and the engines.

    Raises
    ------
    InputError
        When a required column is missing; fills ``validation``'s column lists otherwise.
    """
    names = [str(c) for c in chunk.frame.columns]
    validation.columns = names
    validation.recognised, validation.missing, validation.ignored = cmap.recognised(names)
    validation.carried = [c for c in cmap.carried if c in names]
    absent = [c for c in REQUIRED_COLUMNS if c in validation.missing]
    if absent and (names or not chunk.broken):
        found = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        raise InputError(
            f"{input}: required column(s) {', '.join(absent)} missing (found: {found}); "
            "map them with --columns"
        )


@contextlib.contextmanager
def open_rejects(
    path: str | Path | None, *, escape_formulas: bool = ESCAPE_FORMULAS
) -> Iterator[TableWriter | None]:
    """Open the rejects file (CSV or JSONL by suffix), or yield None when no path is given.

    The file always gets its header, also when no row was rejected, and is renamed into place
    only when the run completes.
    """
    if path is None:
        yield None
        return
    with open_writer(path, escape_formulas=escape_formulas) as writer:
        yield writer
        finish_rejects(writer)


def finish_rejects(writer: TableWriter) -> None:
    """Give a rejects file its header when no row was rejected (every rejects writer's end)."""
    if writer.rows == 0:
        writer.write(empty_rejects())


def iter_valid_chunks(
    path: str | Path,
    column_map: ColumnMap | str | Path | None = None,
    *,
    fmt: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    encoding: str = "utf-8",
    rejects: TableWriter | None = None,
    report: ValidationReport | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield the valid rows of a listing file chunk by chunk, in canonical columns.

    Parameters
    ----------
    path : str or Path
        The input file (``-`` for stdin with ``fmt``).
    column_map : ColumnMap, preset name or mapping file, optional
    fmt : str, optional
    chunk_size : int
    rejects : TableWriter, optional
        Where rejected rows are written; they are counted in ``report`` either way.
    report : ValidationReport, optional
        Filled in as chunks pass.
    progress : callable, optional
        Called with ``(rows_read_so_far, bytes_read_so_far)`` after each chunk.

    Raises
    ------
    InputError
        When the file cannot be read or lacks a required column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = f.write_text("listing_id,title,price,seller_id\\n1,Rolex,US $9,s\\n2,x,-1,s\\n")
    >>> rep = ValidationReport(str(f))
    >>> [len(c) for c in iter_valid_chunks(f, report=rep)], rep.rejected
    ([1], 1)
    """
    cmap = column_map if isinstance(column_map, ColumnMap) else load_column_map(column_map)
    validator = Validator(cmap)
    report = report if report is not None else ValidationReport(str(path))
    first = True
    for chunk in read_chunks(path, fmt, chunk_size, encoding):
        if first:
            check_columns(path, chunk, cmap, report)
            first = False
        result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
        report.add(chunk.n_rows, len(result.rows), result.rejects)
        if rejects is not None and len(result.rejects):
            rejects.write(result.rejects)
        if progress is not None:
            progress(report.rows_read, chunk.bytes_read)
        yield result.rows


def validate_file(
    path: str | Path,
    column_map: ColumnMap | str | Path | None = None,
    *,
    fmt: str | None = None,
    rejects_path: str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    encoding: str = "utf-8",
    progress: Callable[[int, int], None] | None = None,
    escape_formulas: bool = ESCAPE_FORMULAS,
) -> ValidationReport:
    """Validate a whole listing file; optionally write its rejects (CSV or JSONL by suffix).

    ``escape_formulas`` (default True, as the CLI's ``--escape-formulas``): CSV/TSV rejects get a
    leading ``'`` on cells a spreadsheet would run as a formula.

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = f.write_text("listing_id,title,price,seller_id\\n1,Rolex,\\"1.549,00 €\\",s\\n")
    >>> validate_file(f).valid
    1
    """
    report = ValidationReport(str(path))
    with open_rejects(rejects_path, escape_formulas=escape_formulas) as writer:
        for _ in iter_valid_chunks(
            path,
            column_map,
            fmt=fmt,
            chunk_size=chunk_size,
            encoding=encoding,
            rejects=writer,
            report=report,
            progress=progress,
        ):
            pass
    return report


def validate_frame(frame: pd.DataFrame, column_map: ColumnMap | None = None) -> ValidationResult:
    """Validate a DataFrame of raw listings: the parsers, limits and rejects of ``validate_file``.

    Parameters
    ----------
    frame : DataFrame
        Raw listings, one per row (strings such as ``"US $95"`` or typed values).
    column_map : ColumnMap, optional
        How the frame's columns map to the canonical ones; default: names used as they are.

    Returns
    -------
    ValidationResult
        ``rows``: the valid rows in canonical columns and dtypes (with ``row_number``, 1-based),
        ready for ``Scorer.score_frame``; ``rejects``: one row per rejected row, with the field
        and the reason.

    Examples
    --------
    >>> raw = pd.DataFrame({"listing_id": ["a", "b"], "title": ["Rolex", "Omega"],
    ...                     "price": ["US $95", "free"], "seller_id": ["s", "s"]})
    >>> result = validate_frame(raw)
    >>> result.rows["price"].tolist(), result.rejects["field"].tolist()
    ([95.0], ['price'])
    """
    validator = Validator(column_map) if column_map is not None else Validator()
    return validator.validate(frame.reset_index(drop=True))


def is_validated(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is what validation yields: every canonical column it has in its canonical
    dtype (``validate_frame``, ``iter_valid_chunks``) and no required value missing.

    A frame built by hand or read with ``pandas.read_csv`` has other dtypes (``object``, ``str``,
    ``int64``): it is not, and ``Scorer.score_frame`` validates it first.
    """
    for name in frame.columns:
        if name in COLUMN_NAMES and str(frame[name].dtype) != dtype_of(name):
            return False
    return not any(frame[name].isna().any() for name in REQUIRED_COLUMNS if name in frame)


def require_valid(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` when it is validated; else its validated rows, or ``InvalidListing`` naming the
    first rejected row (1-based, in frame order), its field and the reason.

    What ``Scorer.score_frame`` and ``TrainedModel.predict_proba`` run on their input: a raw
    value (``price="US $95"``) is parsed as the CLI parses it, never read as a missing value.
    To score the valid rows and keep the rejects, call ``validate_frame`` first and score its
    ``rows``.
    """
    if is_validated(frame):
        return frame
    result = validate_frame(frame)
    if len(result.rejects):
        first = result.rejects.iloc[0]
        more = len(result.rejects) - 1
        raise InvalidListing(
            str(first["field"]),
            str(first["reason"])
            + (f" (and {more} more rejected row{'s' if more > 1 else ''})" if more else "")
            + "; validate_frame() returns the valid rows and the rejects",
            row=int(first["row_number"]),
        )
    rows = result.rows.drop(columns="row_number")
    rows.index = frame.index
    return rows
