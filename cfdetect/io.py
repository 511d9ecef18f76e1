"""Chunked readers and atomic writers for CSV, JSON Lines and Parquet; ``-`` is stdin/stdout.

Readers yield ``RawChunk`` objects: the raw values of up to ``chunk_size`` rows (strings for
text formats, so the schema's parsers see what the file says), their 1-based row numbers, and the
rows the reader could not split into fields (a CSV line with the wrong number of fields, a JSON
Lines line that is not an object), which validation turns into rejects. Nothing is dropped.

Writers write to a temporary file beside the target and rename it into place only when the whole
output has been written, so an interrupted run never leaves a partial file under the final name.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np
import pandas as pd

from cfdetect._checks import check_encoding
from cfdetect.errors import InputError, UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock on partial outputs
    fcntl = None  # type: ignore[assignment]

FORMATS = ("csv", "tsv", "jsonl", "parquet")
DEFAULT_CHUNK_SIZE = 100_000
_SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip

MAX_COLUMNS = 2_000
"""The most columns an input may have: marketplace exports have tens to a few hundred; a file with
thousands is not a listing dump (and would cost minutes per chunk to carry through)."""

csv.field_size_limit(2**31 - 1)


@dataclass
class RawChunk:
    """Raw rows of one chunk, as read.

    Attributes
    ----------
    frame : DataFrame
        The rows that split into fields, in the file's own column names.
    row_numbers : ndarray of int64
        1-based input row number of each row of ``frame``.
    broken : list of (row_number, raw_text, reason)
        Rows that could not be split into fields.
    bytes_read : int
        Bytes of the input consumed so far (for progress), 0 when unknown.
    ends_chunk : bool
        This is the last piece of a ``chunk_size`` chunk: always, unless ``read_chunks`` was
        asked for smaller pieces (``piece_size``).
    """

    frame: pd.DataFrame
    row_numbers: np.ndarray
    broken: list[tuple[int, str, str]] = field(default_factory=list)
    bytes_read: int = 0
    ends_chunk: bool = True

    @property
    def n_rows(self) -> int:
        """Rows read in this chunk, broken ones included."""
        return len(self.frame) + len(self.broken)


def detect_format(path: str | Path, fmt: str | None = None) -> tuple[str, bool]:
    """Return ``(format, gzipped)`` from an explicit format or the file's suffix.

    Examples
    --------
    >>> detect_format("dump.csv.gz")
    ('csv', True)
    >>> detect_format("-", "jsonl")
    ('jsonl', False)
    """
    name = str(path).lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    if fmt is not None:
        fmt = fmt.lower().removesuffix(".gz")
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt, gz
    if str(path) == "-":
        raise UsageError("reading stdin or writing stdout needs --format (csv, jsonl or parquet)")
    suffix = Path(name).suffix
    if suffix not in _SUFFIXES:
        raise UsageError(f"{path}: cannot tell the format from the suffix; pass --format")
    return _SUFFIXES[suffix], gz


def read_chunks(
    path: str | Path,
    fmt: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    encoding: str = "utf-8",
    *,
    piece_size: int | None = None,
) -> Iterator[RawChunk]:
    """Yield the rows of a listing file in chunks.

    Parameters
    ----------
    path : str or Path
        CSV, TSV, JSON Lines or Parquet file, optionally gzipped (``.gz``); ``-`` for stdin.
    fmt : str, optional
        Format when the suffix does not tell (required for stdin).
    chunk_size : int
        Rows per chunk.
    encoding : str
        Text encoding of CSV/JSON Lines input. Bytes that do not decode become U+FFFD, and
        validation rejects the rows that contain them.
    piece_size : int, optional
        CSV/TSV input: yield each chunk as it is read, in pieces of at most this many rows
        (``RawChunk.ends_chunk`` marks a chunk's last piece), so a consumer can start on the
        first rows sooner. The chunks are the same either way; other formats yield whole chunks.

    Raises
    ------
    InputError
        A one-line message naming the file and position when the file cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = f.write_text("listing_id,title\\n1,Rolex\\n2,a,b\\n")
    >>> chunk = next(read_chunks(f))
    >>> len(chunk.frame), chunk.broken[0][0]
    (1, 2)
    """
    if chunk_size < 1 or (piece_size is not None and piece_size < 1):
        raise UsageError("chunk size must be at least 1")
    check_encoding(encoding)
    kind, gz = detect_format(path, fmt)
    if str(path) != "-" and not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        if kind == "parquet":
            yield from _read_parquet(path, chunk_size)
        elif kind == "jsonl":
            with _open_text(path, gz, encoding) as (stream, raw):
                yield from _read_jsonl(stream, raw, path, chunk_size)
        else:
            with _open_text(path, gz, encoding) as (stream, raw):
                delimiter = "\t" if kind == "tsv" else None
                yield from _read_csv(stream, raw, path, chunk_size, delimiter, piece_size)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"{path}: the gzip stream is corrupt or truncated ({exc})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeError as exc:  # a codec that cannot start (utf-32 without its byte order mark)
        raise InputError(
            f"{path}: cannot be read as {encoding} ({exc}); check --encoding"
        ) from None


@contextlib.contextmanager
def _open_text(path: str | Path, gz: bool, encoding: str) -> Iterator[tuple[IO[str], IO[bytes]]]:
    raw: IO[bytes]
    if str(path) == "-":
        raw = sys.stdin.buffer
        close = False
    else:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
        close = True
    try:
        binary: IO[bytes] = gzip.GzipFile(fileobj=raw) if gz else raw  # type: ignore[assignment]
        head = binary.peek(8192)[:8192] if hasattr(binary, "peek") else b""
        utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        wide = _wide_encoding(head) if utf8 else None
        if wide is not None:  # a UTF-16/32 byte order mark: the file says what it is
            encoding, utf8 = wide, False
        if _looks_binary(head, encoding):
            raise InputError(f"{path}: not a text file (binary content); check --format")
        stream = io.TextIOWrapper(
            binary, encoding="utf-8-sig" if utf8 else encoding, errors="replace", newline=""
        )
        yield stream, raw
    finally:
        if close:
            raw.close()


_MAGIC = (b"PAR1", b"\x1f\x8b", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG")


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def _wide_encoding(head: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte order mark names (UTF-32 LE first: it starts like
    UTF-16 LE), or None."""
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def _looks_binary(head: bytes, encoding: str = "utf-8") -> bool:
    """A Parquet/gzip/zip/Office/PDF/PNG signature, or many NUL characters, is not CSV or JSONL.

    NULs are counted in the decoded text: UTF-16 and UTF-32 text is full of NUL *bytes*.

    >>> _looks_binary("listing_id,title\\n".encode("utf-16"), "utf-16")
    False
    >>> _looks_binary(b"\\x00" * 100)
    True
    """
    if head.startswith(_MAGIC):
        return True
    if b"\x00" not in head:
        return False
    try:
        text = head.decode(encoding, errors="replace")
    except (LookupError, UnicodeError):  # a codec that cannot start: the reader says so
        text = head.decode("latin-1")
    return text.count("\x00") > max(8, len(text) // 20)


def _position(raw: IO[bytes]) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


def _header_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, name in enumerate(header):
        name = (name.lstrip("\ufeff") if i == 0 else name).strip() or f"Unnamed: {i}"  # a BOM
        base, k = name, 1
        while name in names:
            name, k = f"{base}.{k}", k + 1
        names.append(name)
    return names


def _read_csv(
    stream: IO[str],
    raw: IO[bytes],
    path: str | Path,
    chunk_size: int,
    delimiter: str | None,
    piece_size: int | None = None,
) -> Iterator[RawChunk]:
    first = stream.readline()
    if not first.strip():
        raise InputError(f"{path}: the file is empty (no header line)")
    if delimiter is None:
        delimiter = max((",", ";", "\t", "|"), key=first.count)
    piece = min(piece_size or chunk_size, chunk_size)
    reader = csv.reader(itertools.chain((first,), stream), delimiter=delimiter)
    try:
        header = _header_names(next(reader))
        width = len(header)
        _check_width(path, width, "the header names")
        rows: list[list[str]] = []
        numbers: list[int] = []
        broken: list[tuple[int, str, str]] = []
        row_number = in_chunk = 0
        ended = True  # the last piece yielded ended its chunk
        for record in reader:
            if not record:
                continue
            row_number += 1
            if len(record) == width:
                rows.append(record)
                numbers.append(row_number)
            else:
                reason = (
                    f"line {reader.line_num}: the row has {len(record)} fields, "
                    f"the header has {width}"
                )
                broken.append((row_number, delimiter.join(record), reason))
            in_chunk += 1
            if in_chunk >= chunk_size or len(rows) + len(broken) >= piece:
                ended = in_chunk >= chunk_size
                in_chunk = 0 if ended else in_chunk
                yield _chunk(rows, header, numbers, broken, raw, ended)
                rows, numbers, broken = [], [], []
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from exc
    if rows or broken or row_number == 0 or not ended:  # (an empty piece can end a chunk)
        yield _chunk(rows, header, numbers, broken, raw, True)


def _check_width(path: str | Path, width: int, where: str) -> None:
    if width > MAX_COLUMNS:
        raise InputError(
            f"{path}: {where} {width:,} columns; cfdetect reads at most {MAX_COLUMNS:,} "
            "(keep the listing columns you need and drop the rest)"
        )


def _chunk(
    rows: list[list[str]],
    header: list[str],
    numbers: list[int],
    broken: list[tuple[int, str, str]],
    raw: IO[bytes],
    ends_chunk: bool = True,
) -> RawChunk:
    frame = (
        pd.DataFrame(rows, columns=header, dtype=object)
        if rows
        else pd.DataFrame({name: pd.Series(dtype=object) for name in header})
    )
    return RawChunk(frame, np.asarray(numbers, dtype=np.int64), broken, _position(raw), ends_chunk)


def _read_jsonl(
    stream: IO[str], raw: IO[bytes], path: str | Path, chunk_size: int
) -> Iterator[RawChunk]:
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    broken: list[tuple[int, str, str]] = []
    row_number = 0
    keys: set[str] = set()
    for line_number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        row_number += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"line {line_number}: not JSON ({exc.msg})"
            broken.append((row_number, line.rstrip("\r\n"), reason))
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, 10,000 nested [
            reason = f"line {line_number}: not JSON cfdetect reads ({type(exc).__name__})"
            broken.append((row_number, line.rstrip("\r\n")[:10_000], reason))
        else:
            if isinstance(record, dict):
                if "\\u" in line and _ESCAPED_SURROGATE.search(line):
                    record = _replace_surrogates(record)
                if not keys.issuperset(record):
                    keys.update(record)
                    _check_width(path, len(keys), f"line {line_number}: the records so far name")
                records.append({k: _flatten(v) for k, v in record.items()})
                numbers.append(row_number)
            else:
                reason = f"line {line_number}: a JSON {type(record).__name__}, not an object"
                broken.append((row_number, line.rstrip("\r\n"), reason))
        if len(records) + len(broken) >= chunk_size:
            yield _record_chunk(records, numbers, broken, raw)
            records, numbers, broken = [], [], []
    if records or broken or row_number == 0:
        yield _record_chunk(records, numbers, broken, raw)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(value: Any) -> Any:
    """Lone surrogates (``"\\ud800"`` in JSON) are no text: U+FFFD, which validation rejects."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def _flatten(value: object) -> object:
    if isinstance(value, dict | list):
        try:
            return json.dumps(value, ensure_ascii=False)
        except (ValueError, RecursionError):  # nested past the recursion limit
            return "[nested too deep]"
    if type(value) is int and not -(2**63) <= value < 2**63:
        return str(value)  # beyond int64: read as text, where the parsers say why
    return value


def _record_chunk(
    records: list[dict[str, Any]],
    numbers: list[int],
    broken: list[tuple[int, str, str]],
    raw: IO[bytes],
) -> RawChunk:
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object)
    return RawChunk(frame, np.asarray(numbers, dtype=np.int64), broken, _position(raw))


def _read_parquet(path: str | Path, chunk_size: int) -> Iterator[RawChunk]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise UsageError("Parquet needs pyarrow: pip install 'cfdetect[parquet]'") from exc
    source: Any = io.BytesIO(sys.stdin.buffer.read()) if str(path) == "-" else str(path)
    try:
        parquet = pq.ParquetFile(source)
        _check_width(path, len(parquet.schema_arrow.names), "the schema names")
        done = 0
        for batch in parquet.iter_batches(batch_size=chunk_size):
            batch = plain_columns(batch)
            frame = batch.to_pandas()  # typed columns: the validator's fast path reads them as is
            numbers = np.arange(done + 1, done + len(frame) + 1, dtype=np.int64)
            done += len(frame)
            yield RawChunk(frame, numbers, [], 0)
        if done == 0:
            names = parquet.schema_arrow.names
            yield RawChunk(pd.DataFrame(columns=names, dtype=object), np.zeros(0, np.int64))
    except (pa.ArrowException, OSError) as exc:  # every Arrow error: corrupt pages, footers
        detail = " ".join(str(exc).split())[:300]
        raise InputError(f"{path}: not a readable Parquet file ({detail})") from exc


def plain_columns(batch: Any) -> Any:
    """Give nested Parquet columns (lists, structs, maps) as JSON text, as JSON Lines input is
    read; binary columns, and text columns holding bytes that are not UTF-8 (a damaged file),
    as text where undecodable bytes become U+FFFD, which validation rejects with a hint. Other
    columns keep their types."""
    import pyarrow as pa

    types = pa.types
    arrays = list(batch.columns)
    changed = False
    for i, (array, field_) in enumerate(zip(arrays, batch.schema, strict=True)):
        kind = field_.type
        if types.is_nested(kind):
            values = [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in array.to_pylist()
            ]
        elif any(is_(kind) for is_ in (types.is_binary, types.is_large_binary)) or (
            types.is_fixed_size_binary(kind)
        ):
            values = _decoded(array.to_pylist())
        elif types.is_string(kind) or types.is_large_string(kind) or types.is_dictionary(kind):
            try:
                array.validate(full=True)  # checks that the text is UTF-8
                continue
            except pa.ArrowInvalid:
                if types.is_dictionary(kind):
                    array = array.dictionary_decode()
                values = _decoded(array.cast(pa.large_binary()).to_pylist())
        else:
            continue
        arrays[i] = pa.array(values, pa.string())
        changed = True
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def _decoded(values: list[Any]) -> list[str | None]:
    return [None if v is None else bytes(v).decode("utf-8", "replace") for v in values]


def input_size(path: str | Path) -> int | None:
    """Return the size in bytes of a file, or None for stdin and unknown sizes."""
    if str(path) == "-":
        return None
    try:
        return Path(path).stat().st_size
    except OSError:
        return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP, CSV injection)."""
FORMULA_BLANKS = " \xa0\x00"
"""Leading characters a spreadsheet may skip before a formula: spaces, NBSP (U+00A0), NUL."""
_MAYBE_FORMULA = FORMULA_STARTS + tuple(FORMULA_BLANKS)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_formula(value: str) -> str:
    """Neutralise one cell text for spreadsheets: prefix ``'`` when it could start a formula.

    Text whose first character other than a space, NBSP (U+00A0) or NUL is ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading single quote (OWASP's advice against CSV
    injection), so a spreadsheet shows it as text instead of evaluating it. Plain numbers
    (``-5``, ``+1.5e3``, also after leading spaces) cannot be formulas and are kept.

    Examples
    --------
    >>> escape_formula("=1+1"), escape_formula("@SUM(A1)"), escape_formula(" =1")
    ("'=1+1", "'@SUM(A1)", "' =1")
    >>> escape_formula("-12.5"), escape_formula("Rolex")
    ('-12.5', 'Rolex')
    """
    return "'" + value if _is_formula(value) else value


def _is_formula(value: str) -> bool:
    if not value.startswith(_MAYBE_FORMULA):  # the common case: one C-level check
        return False
    head = value.lstrip(FORMULA_BLANKS)
    return head.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(head)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``escape_formula`` applied to every text cell and column name.

    Numeric columns are left alone; the frame is copied only when a cell changes.

    Examples
    --------
    >>> escape_formulas(pd.DataFrame({"t": ["=1+1", "ok"], "n": [-1, 2]}))["t"].tolist()
    ["'=1+1", 'ok']
    """
    names = [escape_formula(str(c)) for c in frame.columns]
    out = frame if names == [str(c) for c in frame.columns] else frame.set_axis(names, axis=1)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
            continue
        values = column.to_numpy(dtype=object, na_value=None)
        hits = [j for j, v in enumerate(values) if type(v) is str and _is_formula(v)]
        if hits:
            if out is frame:
                out = frame.copy()
            fixed = values.copy()
            for j in hits:
                fixed[j] = "'" + fixed[j]
            out.isetitem(i, pd.Series(fixed, index=out.index, dtype=column.dtype))
    return out


def delimited_text(
    frame: pd.DataFrame, sep: str = ",", *, header: bool = True, escape: bool = False
) -> str:
    r"""Write ``frame`` as CSV (``sep=","``) or TSV (``sep="\t"``) text, rows ending with ``\n``.

    The one writer of every delimited output (scored rows, the rejects of validate, score and
    evaluate). TSV is quoted as CSV is: a cell or column name holding the delimiter, a double
    quote, a line feed or a carriage return is written in double quotes, its quotes doubled, so
    that ``pandas.read_csv(sep="\t")`` and Python's ``csv`` module read every cell back as it
    was; other cells are written as they are. With ``escape``, ``escape_formulas`` first.

    Examples
    --------
    >>> delimited_text(pd.DataFrame({"a": ["x\ry", "=1"], "b": [1.5, 2.0]}), escape=True)
    'a,b\n"x\ry",1.5\n\'=1,2.0\n'
    """
    if escape:
        frame = escape_formulas(frame)
    text = frame.to_csv(index=False, header=header, sep=sep)
    if "\r" not in text:
        return text
    # the csv module quotes only the delimiter, the quote and the characters of its line
    # terminator: end the rows with a run of CR LF that no cell holds, so that every cell holding
    # a CR is quoted, then end them with LF again (unquoted cells hold no CR or LF, so each run
    # found is a row end)
    end = "\r\n"
    while end in text:
        end += "\r\n"
    return frame.to_csv(index=False, header=header, sep=sep, lineterminator=end).replace(end, "\n")


def jsonl_text(frame: pd.DataFrame) -> str:
    r"""Write ``frame`` as JSON Lines, one object per row, floats in full.

    pandas writes floats to 10 significant decimals; here every float (of a float column, or
    in an object column) is written as Python's ``repr``, the shortest text that reads back as
    the same float, as CSV output has it; NaN and infinities are ``null``. The rest is pandas'
    ``to_json`` (ISO dates, text as it is).

    Examples
    --------
    >>> jsonl_text(pd.DataFrame({"id": ["a/b"], "score": [0.1 + 0.2]}))
    '{"id":"a\\/b","score":0.30000000000000004}\n'
    """
    fields: list[str] = []  # '{"name":' or ',"name":' of each float column
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if column.dtype.kind != "f" and not (column.dtype == object and _floats_no_text(column)):
            continue
        if not fields:
            frame = frame.copy()
        empty = _to_json(pd.DataFrame({0: [None]}).set_axis(frame.columns[i : i + 1], axis=1))
        fields.append(("{" if i == 0 else ",") + empty[1 : empty.rindex("null}")])
        frame.isetitem(i, pd.Series(_float_texts(column), index=frame.index, dtype=object))
    text = _to_json(frame)
    # the floats were written as JSON strings: unquote them. A quote after { or , is never
    # escaped, so it opens a key: '{"name":"' or ',"name":"' is found only where the float
    # column's field starts (or that column's null, which is not followed by a quote)
    for field_ in fields:
        pieces = text.split(field_ + '"')  # each piece after the first: 'float"...'
        rest = [piece.replace('"', "", 1) for piece in pieces[1:]]  # a float holds no quote
        text = field_.join([pieces[0], *rest])
    return text


def _floats_no_text(column: pd.Series) -> bool:
    """An object column holding floats and no text (a JSON Lines input's number field)."""
    kinds = {type(v) for v in column.to_numpy().tolist()}
    return float in kinds and str not in kinds


def _float_texts(column: pd.Series) -> list[object]:
    """Each float as ``repr`` (NaN, infinities: None, written null); other values as they are."""
    if column.dtype.kind == "f":
        values = column.to_numpy(dtype=np.float64)
        texts: list[object] = list(map(repr, values.tolist()))
        for j in np.flatnonzero(~np.isfinite(values)).tolist():
            texts[j] = None
        return texts
    return [
        (repr(v) if v - v == 0 else None) if isinstance(v, float) else v
        for v in column.to_numpy(dtype=object).tolist()
    ]


def _to_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)


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


REASON_COLUMNS = frozenset({"reasons", "in_favour"})
"""Scored outputs' columns that hold lists of ``{code, text, weight}`` in JSON Lines and Parquet
(``Scorer.score_frame(reasons_as="records")``); a Parquet file types them as such."""


def reason_list_type() -> Any:
    """The Arrow type of a Parquet output's ``reasons`` and ``in_favour``."""
    import pyarrow as pa

    reason = pa.struct([("code", pa.string()), ("text", pa.string()), ("weight", pa.float64())])
    return pa.list_(reason)


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
    return TableWriter(
        path, kind, gz, escape=escape_formulas, resumable=resumable, resume=resume
    )


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


def write_table(path: str | Path, frame: pd.DataFrame, fmt: str | None = None) -> None:
    """Write one whole DataFrame atomically (format by suffix)."""
    with open_writer(path, fmt) as writer:
        writer.write(frame)
