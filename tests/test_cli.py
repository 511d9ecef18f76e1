"""The command line, through typer's CliRunner: exit codes, summaries on stderr, files written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect import __version__
from cfdetect.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_validate_summary_and_rejects(
    make_listings: Callable[..., pd.DataFrame], write_file: Callable[..., Path], tmp_path: Path
) -> None:
    raw = make_listings(5)
    raw.loc[2, "price"] = "ask me"
    path = write_file(raw, "dump.csv")
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(app, ["validate", str(path), "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # summaries go to stderr
    assert "rows read" in result.stderr and "not a number" in result.stderr
    table = pd.read_csv(rejects)
    assert table["row_number"].tolist() == [3] and table["field"].tolist() == ["price"]


def test_validate_stdin(make_listings: Callable[..., pd.DataFrame]) -> None:
    data = make_listings(3).to_json(orient="records", lines=True)
    result = runner.invoke(app, ["validate", "-", "--format", "jsonl"], input=data)
    assert result.exit_code == 0, result.output
    assert "3" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["validate", "{missing}"], 1, "no such file"),
        (["validate", "{bad}"], 1, "required column"),
        (["validate", "{good}", "--columns", "nope"], 2, "neither a mapping file"),
        (["validate", "-"], 2, "--format"),
        (["validate", "{good}", "--format", "xlsx"], 2, "unknown format"),
        (["validate", "{good}", "--encoding", "klingon"], 2, "unknown encoding"),
        (["validate", "{good}", "--rejects", "{tmp}/no/dir/r.csv"], 1, "does not exist"),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    make_listings: Callable[..., pd.DataFrame],
    write_file: Callable[..., Path],
    tmp_path: Path,
    args: list[str],
    code: int,
    fragment: str,
) -> None:
    good = write_file(make_listings(2), "good.csv")
    bad = write_file(pd.DataFrame({"x": [1]}), "bad.csv")
    names = {"missing": tmp_path / "missing.csv", "bad": bad, "good": good, "tmp": tmp_path}
    result = runner.invoke(app, [a.format(**names) for a in args])
    assert result.exit_code == code, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0
