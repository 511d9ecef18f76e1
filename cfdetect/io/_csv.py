"""The CSV and TSV reader: the delimiter from the header line, rows of the wrong width kept as
broken rows, chunks (or smaller pieces) of raw strings."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from cfdetect.errors import InputError
from cfdetect.io._chunks import RawChunk, _check_width, _position

csv.field_size_limit(2**31 - 1)  # a cell may hold a whole page of text


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
