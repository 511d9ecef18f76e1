"""Distributed scoring on Dask: the same rows, scores and rejects as local ``cfdetect score``.

A LocalCluster of 2 worker processes (one thread each) is started once for this module. The
Spark engine's tests are in ``test_engines_spark.py`` (``spark`` marker, ``make test-spark``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import InputError, UsageError
from cfdetect.scoring import ScoreReport, score_file

DUPLICATE = "listing id appears earlier in the file"


def make_dump(simulated: pd.DataFrame) -> pd.DataFrame:
    """1,600 simulated listings with repeated ids (within and across partitions) and invalid
    rows; ``attrs["duplicates"]`` holds the row numbers (1-based) local scoring rejects as
    repeats."""
    data = simulated.head(1_600).reset_index(drop=True).copy()
    ids = data["listing_id"].copy()
    data.loc[1_500, "listing_id"] = ids[10]  # repeats a row of the first partition
    data.loc[1_550, "listing_id"] = ids[10]  # and again
    data.loc[120, "listing_id"] = ids[100]  # within one partition
    data.loc[800, "listing_id"] = ids[799]  # across a partition boundary (400 rows)
    data.loc[900, "price"] = -5.0  # invalid
    data.loc[901, "title"] = None  # invalid
    data.loc[1_100, "listing_id"] = ids[900]  # repeats an invalid row: scored, as locally
    data.loc[1_200, "title"] = '=HYPERLINK("http://x.example","Rolex")'  # formula-like text
    data.attrs["duplicates"] = [121, 801, 1_501, 1_551]
    return data


@pytest.fixture(scope="module")
def dump(simulated: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The listings as one Parquet file with row groups of 200 rows (8 row groups)."""
    path = tmp_path_factory.mktemp("dump") / "listings.parquet"
    make_dump(simulated).to_parquet(path, index=False, row_group_size=200)
    return path


@pytest.fixture(scope="module")
def local(dump: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Local ``cfdetect score`` of the dump: the reference every engine must equal."""
    out = tmp_path_factory.mktemp("local")
    report = score_file(dump, out / "scored.parquet", model=model_dir, rejects=out / "rejects.csv")
    return {
        "scored": pd.read_parquet(out / "scored.parquet"),
        "rejects": (out / "rejects.csv").read_bytes(),
        "report": report,
    }


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A Dask client on a LocalCluster of 2 single-threaded worker processes."""
    pytest.importorskip(
        "dask.dataframe", reason="needs the dask extra: pip install 'cfdetect[dask]'"
    )
    distributed = pytest.importorskip(
        "distributed", reason="needs the dask extra: pip install 'cfdetect[dask]'"
    )
    import logging

    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def run_dask(source: Path | str, out: Path, client: Any, model_dir: Path, **kw: Any) -> ScoreReport:
    from cfdetect.engines.dask import score_dask

    kw.setdefault("chunk_size", 400)  # tasks of 2 row groups: 4 tasks over 2 workers
    return score_dask(source, out, model=model_dir, client=client, **kw)


def assert_same_report(report: ScoreReport, expected: ScoreReport) -> None:
    got, want = report.validation, expected.validation
    assert (got.rows_read, got.valid, got.rejected) == (want.rows_read, want.valid, want.rejected)
    assert got.rejects_by_reason == want.rejects_by_reason
    assert report.scored == expected.scored
    assert +report.decisions == +expected.decisions
    assert got.rows_read == report.scored + got.rejected  # every input row ends in one place


def test_dask_scores_equal_local_scoring_row_for_row(
    dump: Path, local: dict[str, Any], client: Any, model_dir: Path, tmp_path: Path
) -> None:
    out, rejects = tmp_path / "scored", tmp_path / "rejects.csv"
    progress: list[int] = []
    report = run_dask(
        dump, out, client, model_dir, rejects=rejects, progress=lambda r, b: progress.append(r)
    )
    parts = sorted(p.name for p in out.iterdir())
    assert len(parts) == 4 and parts[0] == "part-000000.parquet"  # one part per task, in order
    scored = pd.read_parquet(out)
    pd.testing.assert_frame_equal(scored, local["scored"])  # same rows, order, scores, dtypes
    assert rejects.read_bytes() == local["rejects"]  # global row numbers, same reasons and raw
    assert_same_report(report, local["report"])
    assert progress[-1] == 1_600 and progress == sorted(progress)
    assert list(report.top["listing_id"]) == list(local["report"].top["listing_id"])


def test_repeated_ids_across_partitions_are_rejected_as_locally(
    dump: Path, simulated: pd.DataFrame, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    out, rejects = tmp_path / "scored", tmp_path / "rejects.jsonl"
    run_dask(dump, out, client, model_dir, rejects=rejects)
    found = pd.read_json(rejects, lines=True)
    repeats = found.loc[found["reason"] == DUPLICATE, "row_number"].tolist()
    assert repeats == make_dump(simulated).attrs["duplicates"]  # global 1-based row numbers
    assert found["row_number"].is_monotonic_increasing
    scored = pd.read_parquet(out)
    assert scored["listing_id"].is_unique
    assert (scored["listing_id"] == simulated["listing_id"][10]).sum() == 1  # the first kept


@pytest.mark.slow
def test_partitioned_directory_and_glob_inputs(
    simulated: pd.DataFrame, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    """Hive partitions become columns; input order is files by path, rows in file order."""
    data = make_dump(simulated).head(1_000)
    data.loc[750, "listing_id"] = data.loc[10, "listing_id"]  # repeats a row of another file
    root = tmp_path / "dataset"
    frames = []
    for shard, (lo, hi) in {"a": (0, 400), "b": (400, 700), "c": (700, 1_000)}.items():
        part = data.iloc[lo:hi]
        (root / f"shard={shard}").mkdir(parents=True)
        part.to_parquet(root / f"shard={shard}" / "part-0.parquet", index=False)
        frames.append(part.assign(shard=shard))
    (root / "_SUCCESS").write_text("")  # skipped, as Spark and Arrow skip it
    whole = tmp_path / "whole.parquet"
    pd.concat(frames, ignore_index=True).to_parquet(whole, index=False)
    expected = score_file(whole, tmp_path / "local.parquet", model=model_dir)
    report = run_dask(root, tmp_path / "from_dir", client, model_dir, chunk_size=300)
    assert report.validation.rejects_by_reason[("listing_id", DUPLICATE)] == 3
    assert_same_report(report, expected)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "from_dir"), pd.read_parquet(tmp_path / "local.parquet")
    )
    flat = tmp_path / "flat"
    flat.mkdir()
    for k, frame in enumerate(frames):
        frame.to_parquet(flat / f"dump-{k}.parquet", index=False)
    report = run_dask(f"{flat}/dump-*.parquet", tmp_path / "from_glob", client, model_dir)
    assert_same_report(report, expected)


@pytest.mark.slow
def test_output_is_published_atomically(
    dump: Path, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "scored"
    broken = tmp_path / "broken"
    broken.mkdir()
    pd.read_parquet(dump).head(300).to_parquet(broken / "a.parquet", index=False)
    (broken / "b.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError, match=r"b\.parquet"):  # found while planning
        run_dask(broken, out, client, model_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]  # no output, no temp dir
    good = (broken / "a.parquet").read_bytes()
    # the first data page's header: the footer reads, the rows do not (on a worker)
    first = pq.ParquetFile(broken / "a.parquet").metadata.row_group(0).column(0)
    page = first.dictionary_page_offset or first.data_page_offset
    (broken / "b.parquet").write_bytes(good[:page] + b"\xff" * 64 + good[page + 64 :])
    with pytest.raises(InputError, match=r"b\.parquet"):
        run_dask(broken, out, client, model_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]
    out.mkdir()
    (out / "part-000000.parquet").write_bytes(b"an earlier run")
    run_dask(dump, out, client, model_dir)  # an earlier output directory is replaced whole
    assert len(pd.read_parquet(out)) == 1_594
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="other files"):
        run_dask(dump, out, client, model_dir)


@pytest.mark.slow
def test_each_worker_loads_the_model_once(
    dump: Path, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    run_dask(dump, tmp_path / "a", client, model_dir)
    run_dask(dump, tmp_path / "b", client, model_dir)

    def loaded() -> int:
        from cfdetect.engines import _SCORERS

        return sum(1 for spec in _SCORERS if spec.path == str(model_dir.resolve()))

    assert set(client.run(loaded).values()) == {1}


def test_required_column_missing_fails_before_scoring(
    simulated: pd.DataFrame, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "no_price.parquet"
    simulated.head(10).drop(columns=["price"]).to_parquet(source, index=False)
    with pytest.raises(InputError, match=r"required column.*price"):
        run_dask(source, tmp_path / "out", client, model_dir)
    assert not (tmp_path / "out").exists()


def test_empty_input_writes_an_empty_part(
    simulated: pd.DataFrame, client: Any, model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "empty.parquet"
    simulated.head(0).to_parquet(source, index=False)
    report = run_dask(source, tmp_path / "out", client, model_dir, rejects=tmp_path / "r.csv")
    scored = pd.read_parquet(tmp_path / "out")
    assert report.validation.rows_read == 0 and len(scored) == 0
    assert list(scored.columns[:4]) == ["listing_id", "score", "decision", "reasons"]
    assert (tmp_path / "r.csv").read_text().startswith("row_number,listing_id,field,reason,raw")


runner = CliRunner()


@pytest.mark.slow
def test_cli_engine_dask_on_a_running_scheduler(
    dump: Path, local: dict[str, Any], client: Any, model_dir: Path, tmp_path: Path
) -> None:
    out, rejects = tmp_path / "scored", tmp_path / "rejects.csv"
    args = ["score", str(dump), "--engine", "dask", "--scheduler", client.scheduler.address]
    args += ["-o", str(out), "--rejects", str(rejects), "--model", str(model_dir)]
    args += ["--chunk-size", "1000", "--trust", str(model_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1,594" in result.output  # scored, in the summary
    pd.testing.assert_frame_equal(pd.read_parquet(out), local["scored"])
    assert rejects.read_bytes() == local["rejects"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "dask", "--jobs", "2"], "--jobs is an option of --engine local"),
        (["--engine", "dask", "--resume"], "--resume is an option of --engine local"),
        (["--workers", "2"], "--workers and --scheduler are options of --engine dask"),
        (["--engine", "dask", "--master", "local[2]"], "--master is an option of --engine spark"),
        (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://x:1"], "not both"),
        (["--engine", "ray"], "'ray' is not one of"),
        (["--engine", "dask", "--format", "csv"], "--format is an option of --engine local"),
    ],
)
def test_cli_engine_usage_errors(options: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "in.parquet", "-o", str(tmp_path / "o"), *options])
    assert result.exit_code == 2
    shown = " ".join(result.output.replace("│", " ").split())  # rich's error box, unwrapped
    assert message in shown


def test_engine_without_its_extra_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from cfdetect.scoring import EngineOptions, ScoreOptions, score

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(UsageError, match=r"pip install 'cfdetect\[dask\]'"):
        score("in.parquet", "out", ScoreOptions(), EngineOptions("dask"))
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(UsageError, match=r"pip install 'cfdetect\[spark\]'"):
        score("in.parquet", "out", ScoreOptions(), EngineOptions("spark"))


def test_importing_cfdetect_imports_neither_dask_nor_spark() -> None:
    code = (
        "import sys, cfdetect, cfdetect.cli, cfdetect.engines;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'pyspark', 'py4j')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
