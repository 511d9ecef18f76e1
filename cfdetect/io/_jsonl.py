"""The JSON Lines reader: one object a line, nested values as JSON text, lines that are not
objects kept as broken rows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from cfdetect.io._chunks import RawChunk, _check_width, _position


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
