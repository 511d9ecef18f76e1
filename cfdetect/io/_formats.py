"""Input and output formats: the names, the suffixes that tell them, gzip, the input's size."""

from __future__ import annotations

from pathlib import Path

from cfdetect.errors import UsageError

FORMATS = ("csv", "tsv", "jsonl", "parquet")
DEFAULT_CHUNK_SIZE = 100_000
_SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


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


def input_size(path: str | Path) -> int | None:
    """Return the size in bytes of a file, or None for stdin and unknown sizes."""
    if str(path) == "-":
        return None
    try:
        return Path(path).stat().st_size
    except OSError:
        return None
