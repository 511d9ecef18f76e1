"""Parquet through pyarrow: the reader (typed columns, nested and binary ones as text) and the
Arrow type of the scored outputs' reason lists."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cfdetect.errors import InputError, UsageError
from cfdetect.io._chunks import RawChunk, _check_width


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


REASON_COLUMNS = frozenset({"reasons", "in_favour"})
"""Scored outputs' columns that hold lists of ``{code, text, weight}`` in JSON Lines and Parquet
(``Scorer.score_frame(reasons_as="records")``); a Parquet file types them as such."""


def reason_list_type() -> Any:
    """The Arrow type of a Parquet output's ``reasons`` and ``in_favour``."""
    import pyarrow as pa

    reason = pa.struct([("code", pa.string()), ("text", pa.string()), ("weight", pa.float64())])
    return pa.list_(reason)
