"""``--engine spark``: score a Parquet dataset with Spark into a Parquet directory.

The session (``local[*]`` unless told otherwise), the output directory renamed into place on
any filesystem Spark writes to, the rejects streamed to the client in row order, and the run
report computed in Spark.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cfdetect.engines import _quiet_future_warnings, replaceable_entry, write_rejects
from cfdetect.engines._spark_score import (
    _ROW,
    _job,
    _number_by_file,
    _reasons_text,
    _score_numbered,
    _spark_errors,
)
from cfdetect.errors import InputError, UsageError
from cfdetect.io import RawChunk, detect_format
from cfdetect.schema import REJECT_COLUMNS
from cfdetect.scoring.options import ScoreOptions
from cfdetect.scoring.report import ScoreReport, check_accounting
from cfdetect.validate import ValidationReport, check_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_BATCH_ROWS = 20_000


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


def run_spark(
    input: str | Path,
    output: str | Path,
    options: ScoreOptions,
    *,
    master: str | None = None,
    spark: SparkSession | None = None,
) -> ScoreReport:
    """Score a Parquet dataset with Spark with typed options (what ``score_spark_file`` and
    ``cfdetect.scoring.score`` run); see ``cfdetect.engines.spark.score_spark_file``."""
    started = time.perf_counter()
    options.check()
    if str(input) == "-" or str(output) == "-":
        raise UsageError("--engine spark reads and writes Parquet files or directories, not - ")
    if options.rejects is not None:
        detect_format(options.rejects)
    scorer = options.load_scorer()
    owned = False
    if spark is None:
        spark, owned = _session(master, max(1, min(options.chunk_size, _BATCH_ROWS)))
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    cached: list[DataFrame] = []
    try:
        with _spark_errors():
            _score_into(spark, input, output, options, scorer, report, cached)
    finally:
        with contextlib.suppress(Exception):
            for frame in cached:
                frame.unpersist()
            if owned:
                spark.stop()
    report.seconds = time.perf_counter() - started
    return report


def _score_into(
    spark: SparkSession,
    input: str | Path,
    output: str | Path,
    options: ScoreOptions,
    scorer: Any,
    report: ScoreReport,
    cached: list[DataFrame],
) -> None:
    """Score, write the output directory and the rejects, fill the report; the DataFrames it
    persists go to ``cached`` (the caller frees them)."""
    cmap = options.column_map()
    source = spark.read.parquet(str(input))
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in source.columns})
    check_columns(input, RawChunk(empty, np.zeros(0, np.int64)), cmap, report.validation)
    job = _job(source, scorer, options.model, cmap, options.explain)
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
        if options.rejects is not None:
            frames = _collect_rejects(found)
            write_rejects(options.rejects, frames, escape_formulas=options.escape_formulas)
        target.commit()
    except BaseException:
        target.abort()
        raise


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
