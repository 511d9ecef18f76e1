"""Spark scoring internals shared by ``score_spark`` and ``--engine spark``: the partition
functions (each partition goes through ``cfdetect.scoring.run_chunks``), the schemas, the global
row numbers, the cross-partition duplicate rule and Spark's errors as cfdetect's."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import numpy as np
import pandas as pd

from cfdetect.columns import ColumnMap
from cfdetect.engines import ModelSpec, _quiet_future_warnings, load_scorer, output_columns
from cfdetect.errors import CfdetectError, InputError, ModelError, UsageError
from cfdetect.io import RawChunk
from cfdetect.schema import Validator, duplicate_rejects
from cfdetect.scorer import Explain, Scorer
from cfdetect.scoring.chunks import run_chunks, scorer_rows

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_ROW = "_cf_row"  # global 1-based row number, added before scoring
_KIND = "_cf_kind"  # 0: scored row, 1: rejected row
_FIELD, _REASON, _RAW = "_cf_field", "_cf_reason", "_cf_raw"
_POSITION_BITS = 33  # monotonically_increasing_id: partition index << 33 | position
_BATCH_ROWS = 20_000


@dataclass(frozen=True)
class _SparkJob:
    """What every partition of one run shares (pickled into the ``mapInPandas`` function)."""

    model: ModelSpec
    cmap: ColumnMap
    explain: Explain
    output: tuple[str, ...]
    timestamps: tuple[str, ...]  # TimestampType input columns, passed as microseconds


def _raw_frame(batch: pd.DataFrame, job: _SparkJob) -> tuple[pd.DataFrame, np.ndarray]:
    """The raw input rows of one Arrow batch as local reading gives them, and their numbers."""
    numbers = batch[_ROW].to_numpy(dtype=np.int64)
    raw = batch.drop(columns=[_ROW]).reset_index(drop=True)
    for name in job.timestamps:  # instants, as local reading gives them (UTC, microseconds)
        if name in raw.columns:
            instants = pd.to_datetime(raw[name], unit="us", utc=True)
            raw[name] = instants.astype("datetime64[us, UTC]")
    return raw, numbers


def _score_partition(job: _SparkJob, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Executor: validate and score one partition, batch by batch; scored and rejected rows."""
    step = scorer_rows(load_scorer(job.model), job.explain, "records")
    chunks = (RawChunk(*_raw_frame(batch, job)) for batch in batches)
    for done in run_chunks(chunks, Validator(job.cmap), step):
        scored, kept, rejects = done.scored, done.row_numbers, done.rejects
        assert scored is not None
        if len(scored):
            out = scored.reindex(columns=list(job.output))
            out.insert(0, _ROW, kept)
            out.insert(0, _KIND, np.zeros(len(out), dtype=np.int32))
            for name in (_FIELD, _REASON, _RAW):
                out[name] = None
            yield out
        if len(rejects):
            none = pd.Series([None] * len(rejects), dtype=object)
            out = pd.DataFrame({_KIND: np.ones(len(rejects), dtype=np.int32)})
            out[_ROW] = rejects["row_number"].to_numpy(dtype=np.int64)
            for name in job.output:
                out[name] = rejects["listing_id"].to_numpy() if name == "listing_id" else none
            out[_FIELD] = rejects["field"].to_numpy()
            out[_REASON] = rejects["reason"].to_numpy()
            out[_RAW] = rejects["raw"].to_numpy()
            yield out


def _duplicate_partition(job: _SparkJob, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Executor: the rejects of raw rows whose listing id an earlier row scored already."""
    for batch in batches:
        raw, numbers = _raw_frame(batch, job)
        if len(raw):
            yield duplicate_rejects(raw, numbers, job.cmap)


def _rejects_struct() -> Any:
    from pyspark.sql import types as st

    return st.StructType(
        [
            st.StructField("row_number", st.LongType()),
            st.StructField("listing_id", st.StringType()),
            st.StructField("field", st.StringType()),
            st.StructField("reason", st.StringType()),
            st.StructField("raw", st.StringType()),
        ]
    )


def _reason_list_struct() -> Any:
    """The Spark type of ``reasons`` and ``in_favour``: lists of ``{code, text, weight}``, as
    local Parquet types them (``cfdetect.io.reason_list_type``)."""
    from pyspark.sql import types as st

    reason = st.StructType(
        [
            st.StructField("code", st.StringType()),
            st.StructField("text", st.StringType()),
            st.StructField("weight", st.DoubleType()),
        ]
    )
    return st.ArrayType(reason)


def _reasons_text(column: str) -> Any:
    """A reason list column as text (``code: sentence; ...``), as
    ``cfdetect.scoring.reasons_text``."""
    from pyspark.sql import functions as sf

    def line(reason: Any) -> Any:
        return sf.concat(reason["code"], sf.lit(": "), reason["text"])

    return sf.array_join(sf.transform(sf.col(column), line), "; ")


def _combined_struct(job: _SparkJob, input_schema: Any) -> Any:
    """Schema of the scoring pass: kind, row number, the output columns, the reject columns."""
    from pyspark.sql import types as st

    fixed = {
        "listing_id": st.StringType(),
        "score": st.DoubleType(),
        "decision": st.StringType(),
        "reasons": _reason_list_struct(),  # lists of {code, text, weight}, as local Parquet
        "in_favour": _reason_list_struct(),
    }
    names = set(input_schema.fieldNames())
    fields = [st.StructField(_KIND, st.IntegerType()), st.StructField(_ROW, st.LongType())]
    for name in job.output:
        if name in fixed:
            kind = fixed[name]
        elif name in names:
            kind = input_schema[name].dataType
        else:
            kind = st.StringType()
        fields.append(st.StructField(name, kind))
    fields += [st.StructField(n, st.StringType()) for n in (_FIELD, _REASON, _RAW)]
    return st.StructType(fields)


def _job(
    df: DataFrame, scorer: Scorer, model: str | Path | None, cmap: ColumnMap, explain: Explain
) -> _SparkJob:
    """The job of scoring ``df`` with a scorer the driver loaded (and so checked) itself."""
    from pyspark.sql import types as st

    names = [f.name for f in df.schema.fields if f.name != _ROW]
    stamps = tuple(f.name for f in df.schema.fields if isinstance(f.dataType, st.TimestampType))
    output = tuple(output_columns(scorer, cmap, names))
    return _SparkJob(ModelSpec.of(scorer, model), cmap, explain, output, stamps)


def _number_by_partition(df: DataFrame) -> DataFrame:
    """Add ``_cf_row``: 1-based row numbers in the DataFrame's partition order."""
    from pyspark.sql import functions as sf

    key = sf.monotonically_increasing_id()
    keyed = df.withColumn("_cf_key", key)
    part = sf.shiftright(sf.col("_cf_key"), _POSITION_BITS)
    counts = sorted(keyed.groupBy(part.alias("p")).count().collect())
    offsets: list[Any] = []
    done = 0
    for row in counts:
        offsets += [sf.lit(int(row["p"])), sf.lit(done)]
        done += int(row["count"])
    position = sf.col("_cf_key").bitwiseAND((1 << _POSITION_BITS) - 1)
    number = sf.element_at(sf.create_map(*offsets), part) + position + sf.lit(1)
    return keyed.withColumn(_ROW, number.cast("long")).drop("_cf_key")


def _number_by_file(df: DataFrame) -> tuple[DataFrame, int]:
    """Add ``_cf_row``: 1-based row numbers in input order (files by path, rows in a file).

    Also returns the number of input rows (counted per file by one light Spark job).
    """
    from pyspark.sql import functions as sf

    path = sf.col("_metadata.file_path")
    counts = df.select(path.alias("f")).groupBy("f").count().collect()
    offsets: list[Any] = []
    done = 0
    for row in sorted(counts, key=lambda r: unquote(str(r["f"]))):
        offsets += [sf.lit(str(row["f"])), sf.lit(done)]
        done += int(row["count"])
    start = sf.element_at(sf.create_map(*offsets), path)
    number = start + sf.col("_metadata.row_index") + sf.lit(1)
    return df.withColumn(_ROW, number.cast("long")).sortWithinPartitions(_ROW), done


def _score_numbered(numbered: DataFrame, job: _SparkJob) -> tuple[DataFrame, DataFrame, DataFrame]:
    """Score a DataFrame with ``_cf_row``: (scored rows with ``_cf_row``, rejects, the
    persisted scoring pass both are computed from)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as sf

    struct = _combined_struct(job, numbered.schema)
    # Spark would hand timestamps to pandas as wall-clock times of the session time zone (the
    # hour repeated when clocks go back is ambiguous): pass the instants as microseconds
    encoded = numbered.withColumns({name: sf.unix_micros(name) for name in job.timestamps})
    with _quiet_future_warnings():
        combined = encoded.mapInPandas(functools.partial(_score_partition, job), struct)
    combined = combined.persist(StorageLevel.MEMORY_AND_DISK)
    scored = combined.filter(sf.col(_KIND) == 0)
    keys = scored.select("listing_id", _ROW)
    repeated = (
        keys.groupBy("listing_id")
        .agg(sf.min(_ROW).alias("_cf_first"), sf.count(sf.lit(1)).alias("_cf_n"))
        .filter(sf.col("_cf_n") > 1)
    )
    later = (
        keys.join(repeated, "listing_id").filter(sf.col(_ROW) > sf.col("_cf_first")).select(_ROW)
    )
    kept = scored.join(later, _ROW, "left_anti").select(_ROW, *job.output)
    with _quiet_future_warnings():
        duplicates = encoded.join(later, _ROW, "left_semi").mapInPandas(
            functools.partial(_duplicate_partition, job), _rejects_struct()
        )
    found = combined.filter(sf.col(_KIND) == 1).select(
        sf.col(_ROW).alias("row_number"),
        "listing_id",
        sf.col(_FIELD).alias("field"),
        sf.col(_REASON).alias("reason"),
        sf.col(_RAW).alias("raw"),
    )
    return kept, found.unionByName(duplicates), combined


_ERROR_LINE = re.compile(r"^(?:cfdetect\.errors\.)?(\w+): (.+)$")
_ERRORS: dict[str, type[CfdetectError]] = {
    "InputError": InputError,
    "ModelError": ModelError,
    "UsageError": UsageError,
    "CfdetectError": CfdetectError,
}


@contextlib.contextmanager
def _spark_errors() -> Iterator[None]:
    """Turn Spark's exceptions into cfdetect's one-line errors (an executor's cfdetect error
    keeps its class)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import AnalysisException, PySparkException

    try:
        yield
    except AnalysisException as exc:
        raise InputError(_first_line(str(exc))) from None
    except (PySparkException, Py4JError) as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        for line in reversed(lines):
            match = _ERROR_LINE.match(line)
            if match and match.group(1) in _ERRORS:
                raise _ERRORS[match.group(1)](match.group(2)) from None
        raise CfdetectError(f"spark: {_first_line(str(exc))}") from None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:500] if lines else "unknown error"
