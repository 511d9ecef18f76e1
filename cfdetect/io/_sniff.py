"""Opening a text input: stdin or a file, gzip, byte order marks, and refusing binary content."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cfdetect.errors import InputError


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
