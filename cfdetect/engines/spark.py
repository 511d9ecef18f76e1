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

from pathlib import Path
from typing import TYPE_CHECKING

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.artifact import Trust
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.engines._spark_file import run_spark
from cfdetect.engines._spark_score import (
    _ROW,
    _job,
    _number_by_partition,
    _score_numbered,
    _spark_errors,
)
from cfdetect.io import DEFAULT_CHUNK_SIZE
from cfdetect.scorer import Explain, Scorer
from cfdetect.scoring.options import ScoreOptions
from cfdetect.scoring.report import ScoreReport

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["run_spark", "score_spark", "score_spark_file", "score_spark_with_rejects"]


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
        As for ``cfdetect.scoring.score_file``.

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
        As for ``cfdetect.scoring.score_file``.

    Returns
    -------
    ScoreReport

    Examples
    --------
    >>> score_spark_file("dump/", "out/scored", rejects="out/rejects.csv",
    ...                  master="local[2]")  # doctest: +SKIP
    """
    options = ScoreOptions(
        model=model,
        columns=columns,
        rejects=rejects,
        chunk_size=chunk_size,
        explain=explain,
        block_threshold=block_threshold,
        review_threshold=review_threshold,
        escape_formulas=escape_formulas,
        trust=trust,
    )
    return run_spark(input, output, options, master=master, spark=spark)
