"""Score listings on Spark: ``score_spark(df)`` through ``mapInPandas``, and ``--engine spark``.

Each Spark partition goes through ``cfdetect.scoring.score_chunk`` batch by batch (one
``Validator`` per partition, the model loaded once per Python worker by ``load_scorer``), the
same code local scoring runs. Around it:

- **Row numbers.** Every row gets a global 1-based row number before scoring. ``score_spark``
  numbers rows in the DataFrame's own order (partition by partition, as Spark enumerates them;
  one light Spark job counts the rows of each partition). ``cfdetect score --engine spark``
  numbers rows in input order: files sorted by path, rows in file order (Parquet's
  ``_metadata.row_index``), as ``--engine dask`` does.
- **Repeated listing ids.** A partition rejects repeats within itself as local scoring does; ids
  scored in more than one partition are found by a ``groupBy``, and every row after the first
  (by row number) is moved to the rejects with local scoring's reason, its raw row re-read from
  the input. So the scored rows equal local scoring's, and output + rejects == input rows.
- **Timestamps.** Spark would hand ``TimestampType`` columns to Python as wall-clock times of
  the session time zone; they are passed as microseconds since the epoch instead and read back
  as UTC instants, as local reading gives them, whatever the session time zone.

The scored partitions are persisted (memory and disk) for the DataFrames ``score_spark``
returns; ``spark.catalog.clearCache()`` frees them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import numpy as np
import pandas as pd

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.artifact import Trust
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.engines import (
    ModelSpec,
    _quiet_future_warnings,
    check_accounting,
    load_scorer,
    output_columns,
    replaceable_entry,
    write_rejects,
)
from cfdetect.errors import CfdetectError, InputError, ModelError, UsageError
from cfdetect.io import DEFAULT_CHUNK_SIZE, RawChunk, detect_format
from cfdetect.schema import REJECT_COLUMNS, Validator, duplicate_rejects
from cfdetect.scorer import Explain, Scorer
from cfdetect.scoring import ScoreReport, score_chunk
from cfdetect.validate import ValidationReport, check_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["score_spark", "score_spark_file", "score_spark_with_rejects"]

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
    scorer = load_scorer(job.model)
    validator = Validator(job.cmap)
    for batch in batches:
        raw, numbers = _raw_frame(batch, job)
        scored, kept, rejects = score_chunk(
            RawChunk(raw, numbers), scorer, validator, explain=job.explain, reasons_as="records"
        )
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
    """A reason list column as text (``code: sentence; ...``), as ``batch.reasons_text``."""
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


def score_spark_with_rejects(
    df: DataFrame,
    model_dir: str | Path | None = None,
    *,
    columns: ColumnMap | str | Path | None = None,
    explain: Explain = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    trust: Trust | None = None,
) -> tuple[DataFrame, DataFrame]:
    """Score a Spark DataFrame of listings: ``(scored, rejects)``.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Listings in the input schema (or mapped with ``columns``), one row per listing.
    model_dir : path, optional
        Model directory, readable at the same path on every executor; default: the shipped
        model (the same cfdetect version must be installed on the executors).
    columns, explain, block_threshold, review_threshold, trust
        As for ``cfdetect.batch.score_file``.

    Returns
    -------
    scored : DataFrame
        ``listing_id``, ``score``, ``decision``, ``reasons``, ``in_favour``, then the extra
        input columns: the schema of ``cfdetect score``'s Parquet output (``reasons`` and
        ``in_favour`` as arrays of ``{code, text, weight}`` structs).
    rejects : DataFrame
        ``row_number`` (1-based in the DataFrame's partition order), ``listing_id``,
        ``field``, ``reason``, ``raw``.

    Examples
    --------
    >>> df = spark.read.parquet("s3a://bucket/listings/")  # doctest: +SKIP
    >>> scored, rejects = score_spark_with_rejects(df)  # doctest: +SKIP
    >>> scored.filter("decision = 'block'").count()  # doctest: +SKIP
    """
    scorer = Scorer.load(
        model_dir, block_threshold=block_threshold, review_threshold=review_threshold, trust=trust
    )
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    with _spark_errors():
        job = _job(df, scorer, model_dir, cmap, explain)
        kept, rejects, _ = _score_numbered(_number_by_partition(df), job)
    return kept.drop(_ROW), rejects


def score_spark(
    df: DataFrame,
    model_dir: str | Path | None = None,
    *,
    columns: ColumnMap | str | Path | None = None,
    explain: Explain = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    trust: Trust | None = None,
) -> DataFrame:
    """Score a Spark DataFrame of listings through ``mapInPandas``; the rows that validate.

    Returns a DataFrame with the schema of ``cfdetect score``'s output (``listing_id``,
    ``score``, ``decision``, ``reasons``, the extra input columns) and the same scores.
    Rows that do not validate, and later rows repeating a listing id, are left out; use
    ``score_spark_with_rejects`` to get them with their reasons.

    Examples
    --------
    >>> from cfdetect.engines.spark import score_spark
    >>> scored = score_spark(spark.read.parquet("listings/"))  # doctest: +SKIP
    >>> scored.write.parquet("scored/")  # doctest: +SKIP
    """
    scored, _ = score_spark_with_rejects(
        df,
        model_dir,
        columns=columns,
        explain=explain,
        block_threshold=block_threshold,
        review_threshold=review_threshold,
        trust=trust,
    )
    return scored


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


@contextlib.contextmanager
def _conf(spark: SparkSession, key: str, value: str) -> Iterator[None]:
    """Set a session configuration for the block (timestamps written as UTC instants, which
    read back as local scoring's output does, instead of Spark's default INT96)."""
    before = spark.conf.get(key, None)
    spark.conf.set(key, value)
    try:
        yield
    finally:
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:500] if lines else "unknown error"


def _session(master: str | None, batch_rows: int) -> tuple[SparkSession, bool]:
    """The active session (left running), or a new one: ``local[*]`` unless ``master`` or
    spark-submit says otherwise (stopped at the end of the run)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit
    builder = SparkSession.builder.appName("cfdetect score")
    if master is not None:
        builder = builder.master(master)
    elif not submitted:
        builder = builder.master("local[*]")
    if (master or "local").startswith("local") and not submitted:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
        .config("spark.executorEnv.PYTHONWARNINGS", "ignore::FutureWarning")
        .config("spark.ui.showConsoleProgress", "true")
    )
    with _quiet_future_warnings():
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


class _HadoopDirectory:
    """The Spark counterpart of ``OutputDirectory``: a temporary sibling directory renamed into
    place on success, on any filesystem Spark writes to (local, HDFS, S3A, ...)."""

    def __init__(self, spark: SparkSession, target: str) -> None:
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        hpath = jvm.org.apache.hadoop.fs.Path
        self._path = hpath
        self.target = hpath(target)
        self.fs = self.target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        parent = self.target.getParent()
        if parent is not None and not self.fs.exists(parent):
            raise InputError(f"{target}: the output directory {parent} does not exist")
        if self.fs.exists(self.target):
            if not self.fs.getFileStatus(self.target).isDirectory():
                raise InputError(f"{target}: is a file; --engine spark writes a directory")
            for status in self.fs.listStatus(self.target):
                if not replaceable_entry(status.getPath().getName(), status.isFile()):
                    raise InputError(
                        f"{target}: exists and holds other files than Parquet parts; "
                        "choose a new output directory"
                    )
        name = self.target.getName()
        self.tmp = hpath(parent, f".{name}.{uuid.uuid4().hex[:12]}.part")

    def commit(self) -> None:
        old = None
        if self.fs.exists(self.target):
            old = self._path(self.target.getParent(), f".{self.target.getName()}.old")
            if not self.fs.rename(self.target, old):
                raise InputError(f"{self.target}: cannot replace the earlier output")
        if not self.fs.rename(self.tmp, self.target):
            raise InputError(f"{self.target}: cannot rename the finished output into place")
        if old is not None:
            self.fs.delete(old, True)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.fs.delete(self.tmp, True)


def _reason_counts(report: ValidationReport, rows: list[Any]) -> None:
    """Count rejects grouped by (field, reason) into the report, as ``ValidationReport.add``."""
    counts = [int(r["count"]) for r in rows]
    frame = pd.DataFrame(
        {
            "field": np.repeat(np.array([r["field"] for r in rows], dtype=object), counts),
            "reason": np.repeat(np.array([r["reason"] for r in rows], dtype=object), counts),
        }
    )
    report.add(0, 0, frame)


def _collect_rejects(rejects: DataFrame, batch_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """Stream the rejects to the client in row order, as DataFrames of ``batch_rows``."""
    rows: list[Any] = []
    for row in rejects.orderBy("row_number").toLocalIterator(prefetchPartitions=True):
        rows.append(tuple(row))
        if len(rows) >= batch_rows:
            yield pd.DataFrame(rows, columns=list(REJECT_COLUMNS))
            rows = []
    if rows:
        yield pd.DataFrame(rows, columns=list(REJECT_COLUMNS))


def score_spark_file(
    input: str | Path,
    output: str | Path,
    *,
    rejects: str | Path | None = None,
    model: str | Path | None = None,
    columns: ColumnMap | str | Path | None = None,
    master: str | None = None,
    spark: SparkSession | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    explain: Explain = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    escape_formulas: bool = ESCAPE_FORMULAS,
    trust: Trust | None = None,
) -> ScoreReport:
    """Score a Parquet dataset with Spark into a Parquet directory (``--engine spark``).

    Parameters
    ----------
    input : path, URI or glob
        Parquet file(s) or directory (hive partitions become columns), anything
        ``spark.read.parquet`` reads. Input order: files sorted by path, rows in file order.
    output : path or URI
        Output directory: Parquet parts whose rows, read in name order, are the scored rows in
        input order. Written to a temporary sibling and renamed into place on success.
    rejects : path, optional
        One file on the client (``.csv``, ``.jsonl``, ``.parquet``), rows in row order.
    master : str, optional
        Spark master URL; default ``local[*]``, or the one ``spark-submit`` was given.
    spark : SparkSession, optional
        A session to use instead (left running).
    chunk_size : int
        Rows per Arrow batch handed to the scorer (at most 20,000; new sessions only).
    model, columns, explain, block_threshold, review_threshold, escape_formulas, trust
        As for ``cfdetect.batch.score_file``.

    Returns
    -------
    ScoreReport

    Examples
    --------
    >>> score_spark_file("dump/", "out/scored", rejects="out/rejects.csv",
    ...                  master="local[2]")  # doctest: +SKIP
    """
    started = time.perf_counter()
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    if str(input) == "-" or str(output) == "-":
        raise UsageError("--engine spark reads and writes Parquet files or directories, not - ")
    if rejects is not None:
        detect_format(rejects)
    scorer = Scorer.load(
        model, block_threshold=block_threshold, review_threshold=review_threshold, trust=trust
    )
    owned = False
    if spark is None:
        spark, owned = _session(master, max(1, min(chunk_size, _BATCH_ROWS)))
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    cached: list[DataFrame] = []
    try:
        with _spark_errors():
            source = spark.read.parquet(str(input))
            empty = pd.DataFrame({name: pd.Series(dtype=object) for name in source.columns})
            check_columns(input, RawChunk(empty, np.zeros(0, np.int64)), cmap, report.validation)
            job = _job(source, scorer, model, cmap, explain)
            target = _HadoopDirectory(spark, str(output))
            numbered, rows = _number_by_file(source)
            kept, found, combined = _score_numbered(numbered, job)
            found = found.persist()  # counted, then collected: re-read repeats only once
            cached += [combined, found]
            try:
                ordered = kept.orderBy(_ROW).select(*job.output)
                with _conf(spark, "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"):
                    ordered.write.mode("overwrite").parquet(target.tmp.toString())
                _fill_report(report, rows, kept, found)
                check_accounting(report)
                if rejects is not None:
                    frames = _collect_rejects(found)
                    write_rejects(rejects, frames, escape_formulas=escape_formulas)
                target.commit()
            except BaseException:
                target.abort()
                raise
    finally:
        with contextlib.suppress(Exception):
            for frame in cached:
                frame.unpersist()
            if owned:
                spark.stop()
    report.seconds = time.perf_counter() - started
    return report


def _fill_report(report: ScoreReport, rows: int, kept: DataFrame, found: DataFrame) -> None:
    """Counts, decisions, reject reasons and the top flagged rows of a finished run."""
    from pyspark.sql import functions as sf

    by_decision = kept.groupBy("decision").count().collect()
    report.decisions = Counter({str(r["decision"]): int(r["count"]) for r in by_decision})
    report.scored = sum(report.decisions.values())
    report.validation.rows_read = rows
    report.validation.valid = report.scored
    _reason_counts(report.validation, found.groupBy("field", "reason").count().collect())
    top = (
        kept.filter(sf.col("decision") != "allow")
        .orderBy(sf.col("score").desc(), sf.col(_ROW).asc())
        .limit(report.top_n)
        .select("listing_id", "score", "decision", _reasons_text("reasons").alias("reasons"))
        .toPandas()  # the summary's table: reasons as text
    )
    report.top = top if len(top) else None
