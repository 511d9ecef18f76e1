"""Distributed scoring on Spark (local[2]): the same rows, scores and rejects as local scoring.

Marked ``spark``: ``make test-spark`` installs the extra and runs them (Java 17+ needed).
The session uses a time zone with daylight saving time on purpose: Spark would hand timestamps
to Python as wall-clock times of the session's zone, and the engine must see the same instants
as local scoring whatever the zone.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import test_engines
from test_engines import DUPLICATE, assert_same_report, make_dump
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import ModelError
from cfdetect.scoring import score_file

# the dump and its local scoring: the Dask tests' fixtures, one definition for both engines
dump = test_engines.dump
local = test_engines.local

pytestmark = [
    pytest.mark.spark,
    # PySpark's own pandas-3 notices, not cfdetect's
    pytest.mark.filterwarnings("ignore:.*does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local[2] session; small file splits so that a test file spans several partitions."""
    pytest.importorskip("pyspark", reason="needs the spark extra: pip install 'cfdetect[spark]'")
    import warnings

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not yet fully support pandas")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("cfdetect-tests")
            .config("spark.sql.session.timeZone", "America/New_York")
            .config("spark.sql.files.maxPartitionBytes", "65536")
            .config("spark.sql.files.openCostInBytes", "1024")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.executorEnv.PYTHONWARNINGS", "ignore::FutureWarning")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_score_spark_equals_local_scoring_row_for_row(
    spark: Any, dump: Path, local: dict[str, Any], model_dir: Path, simulated: pd.DataFrame
) -> None:
    from cfdetect.engines.spark import score_spark, score_spark_with_rejects

    df = spark.read.parquet(str(dump))
    assert df.rdd.getNumPartitions() > 1  # repeats across partitions are exercised
    scored, rejects = score_spark_with_rejects(df, model_dir)
    got = scored.toPandas()  # partition order: the file's order
    want = local["scored"]
    assert list(got.columns) == list(want.columns)  # the output schema of cfdetect score
    for name in want.columns:
        if isinstance(want[name].dtype, pd.DatetimeTZDtype):  # Spark returns session wall time
            got[name] = got[name].dt.tz_localize("America/New_York").dt.tz_convert("UTC")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    found = rejects.orderBy("row_number").toPandas()
    expected = pd.read_csv(io.BytesIO(local["rejects"]), dtype={"listing_id": object})
    assert found["row_number"].tolist() == expected["row_number"].tolist()
    assert found["raw"].tolist() == expected["raw"].tolist()  # timestamps as instants, in UTC
    assert found["reason"].tolist() == expected["reason"].tolist()
    repeats = found.loc[found["reason"] == DUPLICATE, "row_number"].tolist()
    assert repeats == make_dump(simulated).attrs["duplicates"]
    assert score_spark(df, model_dir).columns == list(want.columns)


def test_cli_engine_spark_writes_what_local_scoring_writes(
    spark: Any, dump: Path, local: dict[str, Any], model_dir: Path, tmp_path: Path
) -> None:
    out, rejects = tmp_path / "scored", tmp_path / "rejects.csv"
    args = ["score", str(dump), "--engine", "spark", "--master", "local[2]", "-o", str(out)]
    args += ["--rejects", str(rejects), "--model", str(model_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_parquet(out), local["scored"])  # order and dtypes
    assert rejects.read_bytes() == local["rejects"]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no temporary left


def test_spark_partitioned_dataset_in_input_order(
    spark: Any, simulated: pd.DataFrame, model_dir: Path, tmp_path: Path
) -> None:
    from cfdetect.engines.spark import score_spark_file

    data = make_dump(simulated).head(1_000)
    data.loc[750, "listing_id"] = data.loc[10, "listing_id"]  # repeats a row of another file
    root = tmp_path / "dataset"
    frames = []
    for shard, (lo, hi) in {"a": (0, 400), "b": (400, 700), "c": (700, 1_000)}.items():
        (root / f"shard={shard}").mkdir(parents=True)
        data.iloc[lo:hi].to_parquet(root / f"shard={shard}" / "part-0.parquet", index=False)
        frames.append(data.iloc[lo:hi].assign(shard=shard))
    whole = tmp_path / "whole.parquet"
    pd.concat(frames, ignore_index=True).to_parquet(whole, index=False)
    expected = score_file(whole, tmp_path / "local.parquet", model=model_dir)
    report = score_spark_file(root, tmp_path / "out", model=model_dir, spark=spark)
    assert_same_report(report, expected)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "out"), pd.read_parquet(tmp_path / "local.parquet")
    )
    assert report.top is not None and expected.top is not None
    assert list(report.top["listing_id"]) == list(expected.top["listing_id"])
    assert list(report.top["reasons"]) == list(expected.top["reasons"])  # the table: text
    assert all(isinstance(text, str) for text in report.top["reasons"])


def test_untrusted_model_is_refused_before_any_spark_work(
    spark: Any, dump: Path, tmp_path: Path
) -> None:
    from cfdetect.engines.spark import score_spark_file

    stranger = tmp_path / "model"
    stranger.mkdir()
    (stranger / "card.json").write_text('{"model_sha256": "0"}')
    with pytest.raises(ModelError):
        score_spark_file(dump, tmp_path / "out", model=stranger, spark=spark)
    assert not (tmp_path / "out").exists()
