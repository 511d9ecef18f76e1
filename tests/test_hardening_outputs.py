"""Hardening, round 2: interrupted ``--jobs`` runs say one line; the outputs of a run commit
together; one output path is written by one run at a time.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import Interrupted
from cfdetect.io import TableWriter, partial_path
from cfdetect.scoring import progress_path

runner = CliRunner()

# Ctrl-C reaches a terminal's foreground job; a background job (CI) starts with SIGINT ignored
SLOW_CLI = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from cfdetect.scoring import writing
real = writing.write_scored
def slow(*args):
    time.sleep(0.2)
    real(*args)
writing.write_scored = slow
from cfdetect.cli import main
sys.argv[0] = "cfdetect"
main()
"""


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated dump (``cfdetect simulate``) that takes a --jobs 2 run many chunks."""
    path = tmp_path_factory.mktemp("dump") / "dump.csv"
    result = runner.invoke(app, ["simulate", "-o", str(path), "--listings", "6000", "--seed", "4"])
    assert result.exit_code == 0, result.output
    return path


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("sig", "group", "when"),
    [
        (signal.SIGINT, False, "running"),
        (signal.SIGINT, True, "running"),  # Ctrl-C in a terminal: the whole foreground group
        (signal.SIGTERM, False, "running"),
        (signal.SIGTERM, True, "running"),
        (signal.SIGHUP, True, "running"),  # the terminal closes: the whole group
        (signal.SIGINT, True, "starting"),  # while the fork server imports and loads the model
        (signal.SIGHUP, True, "starting"),
    ],
)
def test_interrupted_jobs_run_says_one_line(
    big_dump: Path, tmp_path: Path, sig: signal.Signals, group: bool, when: str
) -> None:
    out, rejects = tmp_path / "scored.csv", tmp_path / "rejects.csv"
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, "score", str(big_dump), "-o", str(out), "--rejects",
         str(rejects), "--jobs", "2", "--chunk-size", "200"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        if when == "running":  # after the first checkpoint
            done = 0
            while done < 1 and time.monotonic() < deadline and process.poll() is None:
                with suppress(FileNotFoundError, ValueError, KeyError):
                    done = json.loads(progress_path(out).read_text())["chunks_done"]
                time.sleep(0.02)
            assert done >= 1
        else:  # the resource tracker and the fork server run, no worker yet
            while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.3)
            assert not progress_path(out).exists()
        if group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted:"), stderr
    assert not out.exists() and not rejects.exists()
    if when == "running":  # kept for --resume, and the line says so
        assert partial_path(out).exists() and progress_path(out).exists()
        assert "--resume" in lines[0]


# ------------------------------------------------------------------------------- commit together


@pytest.fixture
def listings_csv(simulated: pd.DataFrame, tmp_path: Path) -> Path:
    """300 simulated listings, one with a bad price (a reject early on) and one near the end."""
    data = simulated.head(300).astype({"price": object})
    data.loc[[5, 280], "price"] = "ask"
    path = tmp_path / "in.csv"
    data.to_csv(path, index=False)
    return path


@contextmanager
def _rejects_disk_full(stage: str) -> Iterator[None]:
    """The disk fills up while the rejects are written: at their second chunk (``write``), or
    as they are flushed to disk at the end (``finish``), or renamed into place after the output
    (``rename``); the output's writes all succeed."""
    real_write, real_fsync, real_replace = TableWriter._write, os.fsync, os.replace
    writes = {"n": 0}

    def write(self: TableWriter, chunk: pd.DataFrame) -> None:
        if Path(self.path).name == "rejects.csv" and stage == "write":
            writes["n"] += 1
            if writes["n"] >= 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, chunk)

    def fsync(fd: int) -> None:
        if stage == "finish" and "rejects.csv" in Path(os.readlink(f"/proc/self/fd/{fd}")).name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    def replace(source: str, target: str) -> None:
        if stage == "rename" and Path(target).name == "rejects.csv":  # the directory is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TableWriter, "_write", write)
        patch.setattr(os, "fsync", fsync)
        patch.setattr(os, "replace", replace)
        yield


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("stage", ["write", "finish", "rename"])
@pytest.mark.parametrize(
    ("source", "output"),
    [("file", "scored.parquet"), ("stdin", "scored.csv"), ("file", "scored.csv")],
)
def test_a_full_disk_on_the_rejects_leaves_no_output(
    model_dir: Path, listings_csv: Path, tmp_path: Path, source: str, output: str, stage: str
) -> None:
    out, rejects = tmp_path / output, tmp_path / "rejects.csv"
    args = ["score", str(listings_csv) if source == "file" else "-", "-o", str(out), "--rejects",
            str(rejects), "--chunk-size", "100", "--model", str(model_dir)]  # fmt: skip
    stdin = listings_csv.read_bytes() if source == "stdin" else None
    if source == "stdin":
        args += ["--format", "csv"]
    with _rejects_disk_full(stage):
        result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 1, result.output
    text = result.stderr.strip()
    assert text.startswith("error:") and "\n" not in text and "No space left" in text, text
    assert sorted(f.name for f in tmp_path.iterdir()) == ["in.csv"]  # no output, no temp file


@pytest.mark.parametrize("form", ["same", "relative", "symlink"])
def test_the_same_path_for_output_and_rejects_is_refused(
    model_dir: Path,
    listings_csv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    """Both writers would share one temporary file: the rejects end up in the output."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    rejects = {"same": "x.csv", "relative": "sub/../x.csv", "symlink": "sub/link.csv"}[form]
    if form == "symlink":  # to where the output will be
        (tmp_path / "sub" / "link.csv").symlink_to(tmp_path / "x.csv")
    read = []
    never = lambda *a, **k: read.append(1) or iter(())  # noqa: E731
    monkeypatch.setattr("cfdetect.scoring.local.read_chunks", never)
    args = ["score", "-", "--format", "csv", "-o", "x.csv", "--rejects", rejects,
            "--model", str(model_dir)]  # fmt: skip
    result = runner.invoke(app, args, input=listings_csv.read_bytes())
    assert result.exit_code == 2, result.output
    text = result.stderr.strip()
    assert text.startswith("error:") and "\n" not in text and "same file" in text, text
    assert not read and not (tmp_path / "x.csv").exists()
    assert sorted(f.name for f in tmp_path.iterdir()) == ["in.csv", "sub"]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("fault", ["disk full", "SIGTERM"])
def test_evaluate_leaves_nothing_when_it_fails_writing_the_report(
    model_dir: Path, listings_csv: Path, tmp_path: Path, fault: str
) -> None:
    """The rejects file and the plots are not left behind by a run that wrote no report."""
    pytest.importorskip("matplotlib")
    out, rejects = tmp_path / "evaluation", tmp_path / "rejects.csv"
    args = ["evaluate", str(listings_csv), "--model", str(model_dir), "--out", str(out),
            "--rejects", str(rejects), "--chunk-size", "100"]  # fmt: skip
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # the plots are written, then the disk is full
        if "report.md" in os.readlink(f"/proc/self/fd/{fd}"):
            if fault == "SIGTERM":  # what the CLI's handler raises
                raise Interrupted(signal.SIGTERM)
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        result = runner.invoke(app, args)
    text = result.stderr.strip()
    assert "\n" not in text and "Traceback" not in result.output, result.output
    if fault == "SIGTERM":
        assert result.exit_code == 143 and text.startswith("interrupted:"), result.output
        assert "no output was left" in text
    else:
        assert result.exit_code == 1 and "No space left" in text, result.output
    assert sorted(f.name for f in tmp_path.iterdir()) == ["in.csv"]  # no rejects, no directory


# ------------------------------------------------------------------------------- one run per output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX flock")
@pytest.mark.parametrize(
    ("source", "output"),
    [("file", "scored.parquet"), ("stdin", "scored.csv"), ("stdin", "scored.parquet"),
     ("file", "scored.csv")],
)  # fmt: skip
def test_a_second_run_on_the_same_output_is_refused_whatever_the_formats(
    model_dir: Path, listings_csv: Path, tmp_path: Path, source: str, output: str
) -> None:
    """Another run holds the lock on the output's partial file: this one is refused, and
    leaves the other's partial file as it was."""
    import fcntl

    out = tmp_path / output
    other = open(partial_path(out), "wb")  # noqa: SIM115 - the other run's partial file
    other.write(b"the other run's rows")
    other.flush()
    fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    args = ["score", str(listings_csv) if source == "file" else "-", "-o", str(out),
            "--model", str(model_dir)]  # fmt: skip
    if source == "stdin":
        args += ["--format", "csv"]
    stdin = listings_csv.read_bytes() if source == "stdin" else None
    try:
        result = runner.invoke(app, args, input=stdin)
    finally:
        other.close()
    assert result.exit_code == 1, result.output
    text = result.stderr.strip()
    assert text.startswith("error:") and "\n" not in text, text
    assert "another cfdetect process is writing this output" in text
    assert partial_path(out).read_bytes() == b"the other run's rows"
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(["in.csv", partial_path(out).name])
