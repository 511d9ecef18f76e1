"""Local scoring: the worker-process path writes exactly what the single-process path writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cfdetect._processes import worker_context
from cfdetect.artifact import verify_model
from cfdetect.scoring import parallel, score_file


def test_parallel_path_equals_single_process_path(
    model_dir: Path, simulated: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = simulated.head(160).astype({"title": object, "price": object, "listing_id": object})
    data.loc[3, "price"] = "ask"
    data.loc[30, "listing_id"] = data.loc[2, "listing_id"]  # repeats an id of an earlier piece
    data.loc[31, "listing_id"] = data.loc[3, "listing_id"]  # repeats the id of a rejected row
    data.loc[32, "listing_id"] = data.loc[30, "listing_id"]  # and a repeat of the repeat
    data.loc[90, "listing_id"] = data.loc[89, "listing_id"]  # within one piece
    source = tmp_path / "in.csv"
    data.to_csv(source, index=False)
    lines = source.read_text().splitlines(keepends=True)
    lines.insert(50, "broken,row\n")  # a row with the wrong number of fields
    source.write_text("".join(lines))
    monkeypatch.setattr(parallel, "PIECE_ROWS", 7)
    outputs = {}
    for jobs in (1, 2):
        out, rejects = tmp_path / f"out{jobs}.csv", tmp_path / f"rejects{jobs}.csv"
        report = score_file(source, out, model=model_dir, rejects=rejects, chunk_size=40, jobs=jobs)
        outputs[jobs] = (out.read_bytes(), rejects.read_bytes(), report.validation.rejected)
        assert report.validation.rows_read == report.validation.valid + report.validation.rejected
    assert outputs[1] == outputs[2]
    rejected = pd.read_csv(tmp_path / "rejects2.csv")
    assert rejected["row_number"].is_monotonic_increasing
    assert (rejected["reason"] == "listing id appears earlier in the file").sum() == 3
    assert outputs[1][2] == 5  # the bad price, the broken row and the three repeats


def test_empty_input_scores_to_an_empty_output(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("listing_id,title,price,seller_id\n1,,5,s\n")
    out = tmp_path / "out.csv"
    report = score_file(source, out, model=model_dir, jobs=1)
    assert report.scored == 0 and list(pd.read_csv(out).columns[:2]) == ["listing_id", "score"]


@pytest.mark.slow  # starts a Python process and its spawned workers
def test_a_worker_that_cannot_start_is_a_one_line_error(tmp_path: Path) -> None:
    """A script without a ``__main__`` guard: the spawned workers re-run it and die on start."""
    import subprocess
    import sys

    source = tmp_path / "in.csv"
    source.write_text("listing_id,title,price,seller_id\n1,Rolex watch,20,s\n2,Bag,30,t\n")
    out = tmp_path / "out.csv"
    script = tmp_path / "no_guard.py"
    script.write_text(
        "from cfdetect.scoring import score_file\n"
        "from cfdetect.errors import WorkerError\n"
        "try:\n"
        f"    score_file({str(source)!r}, {str(out)!r}, jobs=2)\n"
        "except WorkerError as exc:\n"
        "    print('WorkerError:', exc)\n"
        "    raise SystemExit(3)\n"
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert run.returncode == 3, run.stderr[-2000:]
    (line,) = run.stdout.splitlines()
    assert "worker process stopped" in line and "__main__" in line
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))  # no partial left behind


def test_importing_the_package_and_cli_leaves_heavy_libraries_out() -> None:
    # the CLI starts the workers' fork server before it imports scikit-learn and pandas itself
    code = (
        "import sys, cfdetect, cfdetect.cli, cfdetect._processes; "
        "print(sorted(m for m in ('sklearn', 'pandas', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_parallel_parent_never_imports_scikit_learn(tmp_path: Path) -> None:
    # the parent of --jobs workers reads, checks the model without unpickling it and writes:
    # scikit-learn (about a CPU second to import) is the workers' business only
    source = tmp_path / "in.csv"
    source.write_text("listing_id,title,price,seller_id\n1,Rolex watch,9,s\n2,Nike cap,5,t\n")
    code = (
        "import sys\n"
        "from cfdetect.scoring import score_file\n"
        "if __name__ == '__main__':\n"
        f"    score_file({str(source)!r}, {str(tmp_path / 'out.csv')!r}, jobs=2)\n"
        "    print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    script = tmp_path / "run.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
    assert len(pd.read_csv(tmp_path / "out.csv")) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows")
def test_workers_fork_from_a_preloaded_server() -> None:
    context = worker_context()
    assert context.get_start_method() == "forkserver"
    from multiprocessing import forkserver

    assert "cfdetect.scoring.parallel" in forkserver._forkserver._preload_modules  # type: ignore[attr-defined]


SHARED_MODEL_PROBE = """
import sys
from cfdetect import _preloaded
from cfdetect.scoring import parallel
from cfdetect._processes import start_server, warm_up, worker_pool
from cfdetect.artifact import verify_model
from cfdetect.columns import load_column_map


def probe():
    if parallel._WORKER_ERROR is not None:  # the worker refused the model: say why
        raise parallel._WORKER_ERROR
    shared = _preloaded.SCORER
    return shared is not None and parallel._WORKER.estimator is shared.estimator, (
        parallel._WORKER.block_threshold, parallel._WORKER.review_threshold)


if __name__ == "__main__":
    model, sha = sys.argv[1], sys.argv[2]
    start_server(model, True, preload=True)
    pool = worker_pool(2, initializer=parallel._init_worker,
                       initargs=(model, 0.9, 0.1, load_column_map(None), sha))
    print([pool.submit(probe).result() for _ in range(4)])
    pool.shutdown()
"""


@pytest.mark.slow  # a fresh process, its fork server and two workers
@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows")
@pytest.mark.parametrize("pinned", ["card", "other"])
def test_workers_share_the_fork_servers_model_only_when_it_is_the_checked_file(
    model_dir: Path, tmp_path: Path, pinned: str
) -> None:
    script = tmp_path / "probe.py"
    script.write_text(SHARED_MODEL_PROBE)
    sha = verify_model(model_dir, trust=True).sha256 if pinned == "card" else "0" * 64
    done = subprocess.run(
        [sys.executable, str(script), str(model_dir), sha],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if pinned == "card":  # one copy of the model for all workers, with the parent's thresholds
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == repr([(True, (0.9, 0.1))] * 4)
    else:  # a different file than the parent checked: the worker loads (and refuses) it itself
        assert done.returncode != 0 and "ModelError" in done.stderr
        assert "not a trusted model directory" in done.stderr


def test_stopped_pool_leaves_nothing_for_exit_to_wake(monkeypatch: pytest.MonkeyPatch) -> None:
    # at exit, concurrent.futures wakes every live pool manager without the pool's lock; a
    # manager closing its pipe meanwhile printed a traceback after an interrupted --jobs run
    import concurrent.futures.process as futures_process
    import time

    from cfdetect._processes import stop_pool, worker_pool

    manager_class = futures_process._ExecutorManagerThread
    close = manager_class.join_executor_internals

    def slow_close(self: object) -> None:  # a loaded machine: the manager ends late
        time.sleep(0.5)
        close(self)

    monkeypatch.setattr(manager_class, "join_executor_internals", slow_close)
    pool = worker_pool(2)
    futures = [pool.submit(time.sleep, 5) for _ in range(4)]
    while not any(f.running() for f in futures):
        time.sleep(0.01)
    manager = pool._executor_manager_thread
    assert manager is not None and manager.is_alive()
    stop_pool(pool)
    assert not manager.is_alive()
    wakeups = [w for t, w in futures_process._threads_wakeups.items() if t is manager]
    assert all(w._closed for w in wakeups)
