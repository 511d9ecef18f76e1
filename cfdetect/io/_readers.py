"""``read_chunks``: one entry to every reader, with the errors of a file that cannot be read."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from cfdetect._checks import check_encoding
from cfdetect.errors import InputError, UsageError
from cfdetect.io._chunks import RawChunk
from cfdetect.io._csv import _read_csv
from cfdetect.io._formats import DEFAULT_CHUNK_SIZE, detect_format
from cfdetect.io._jsonl import _read_jsonl
from cfdetect.io._parquet import _read_parquet
from cfdetect.io._sniff import _open_text


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
