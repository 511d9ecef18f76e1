"""Hardening, round 2: wide files are refused at once, a late column is never dropped silently,
UTF-16 and UTF-32 input is read.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.io import MAX_COLUMNS, read_chunks
from cfdetect.schema import Validator
from cfdetect.validate import validate_file

runner = CliRunner()

REQUIRED = {"listing_id": "1", "title": "Rolex Submariner", "price": "9000", "seller_id": "s"}


def _wide_csv(path: Path, extra: int) -> Path:
    names = [*REQUIRED, *(f"c{i}" for i in range(extra))]
    values = [*REQUIRED.values(), *(["x"] * extra)]
    path.write_text(",".join(names) + "\n" + ",".join(values) + "\n")
    return path


def _one_line_error(result: object) -> str:
    output = result.output  # type: ignore[attr-defined]
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_ten_thousand_column_file_is_refused_at_once(tmp_path: Path, command: str) -> None:
    source = _wide_csv(tmp_path / "wide.csv", 10_000)
    args = [command, str(source)] + (
        ["-o", str(tmp_path / "out.csv")] if command == "score" else []
    )
    started = time.perf_counter()
    result = runner.invoke(app, args)
    assert time.perf_counter() - started < (2 if command == "validate" else 15)  # + model load
    assert result.exit_code == 1
    assert "10,004 columns" in _one_line_error(result)
    assert not (tmp_path / "out.csv").exists()


def test_a_file_at_the_column_limit_validates_in_under_two_seconds(tmp_path: Path) -> None:
    source = _wide_csv(tmp_path / "wide.csv", MAX_COLUMNS - len(REQUIRED))
    started = time.perf_counter()
    report = validate_file(source)
    assert time.perf_counter() - started < 2
    assert report.valid == 1


def test_the_validator_builds_wide_frames_at_once() -> None:
    raw = pd.DataFrame(
        {**{k: [v] for k, v in REQUIRED.items()}, **{f"c{i}": ["x"] for i in range(1500)}}
    )
    started = time.perf_counter()
    rows = Validator().validate(raw).rows
    assert time.perf_counter() - started < 1
    assert list(rows.columns[-2:]) == ["c1498", "c1499"]


def test_json_lines_with_a_new_key_per_row_is_refused_at_the_limit(tmp_path: Path) -> None:
    source = tmp_path / "keys.jsonl"
    with source.open("w") as out:
        for i in range(4_000):
            out.write(json.dumps({**REQUIRED, "listing_id": str(i), f"k{i}": "v"}) + "\n")
    started = time.perf_counter()
    result = runner.invoke(app, ["validate", str(source)])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert f"line {MAX_COLUMNS - len(REQUIRED) + 1}:" in line and "2,001 columns" in line


def test_a_wide_parquet_schema_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "wide.parquet"
    pd.DataFrame(
        {**{k: [v] for k, v in REQUIRED.items()}, **{f"c{i}": ["x"] for i in range(2_000)}}
    ).to_parquet(source)
    with pytest.raises(Exception, match="2,004 columns"):
        next(read_chunks(source))


def _late_column_dump(path: Path) -> Path:
    with path.open("w") as out:
        for i in range(30):
            record = {**REQUIRED, "listing_id": str(i)}
            if i == 25:
                record["late_col"] = "hello"
            out.write(json.dumps(record) + "\n")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet"])
def test_a_column_first_seen_after_the_first_chunk_is_never_dropped(
    tmp_path: Path, suffix: str
) -> None:
    source = _late_column_dump(tmp_path / "late.jsonl")
    output = tmp_path / f"scored{suffix}"
    result = runner.invoke(app, ["score", str(source), "-o", str(output), "--chunk-size", "10"])
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert "'late_col' first appears after the first chunk" in line
    assert not output.exists()
    assert not list(tmp_path.glob(".scored*"))


def test_a_late_column_is_kept_in_json_lines_and_with_a_larger_chunk(tmp_path: Path) -> None:
    source = _late_column_dump(tmp_path / "late.jsonl")
    for output, chunk in ((tmp_path / "s.jsonl", "10"), (tmp_path / "s.csv", "100")):
        result = runner.invoke(
            app, ["score", str(source), "-o", str(output), "--chunk-size", chunk]
        )
        assert result.exit_code == 0, result.output
        frame = (
            pd.read_json(output, lines=True) if output.suffix == ".jsonl" else pd.read_csv(output)
        )
        assert frame.loc[frame["listing_id"] == 25, "late_col"].tolist() == ["hello"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("named", [True, False])
def test_utf16_and_utf32_input_is_read(tmp_path: Path, encoding: str, named: bool) -> None:
    text = "listing_id,title,price,seller_id\n1,Rolex Submariner,9000,s\n2,Найк Air Max,80,t\n"
    source = tmp_path / "in.csv"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    source.write_bytes((bom + text).encode(encoding))
    args = ["validate", str(source)] + (["--encoding", encoding] if named else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = validate_file(source, encoding=encoding if named else "utf-8")
    assert (report.valid, report.rejected) == (2, 0)
    chunk = next(read_chunks(source, encoding=encoding if named else "utf-8"))
    assert chunk.frame["title"].tolist() == ["Rolex Submariner", "Найк Air Max"]


def test_binary_files_are_still_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"listing_id,title\n" + b"\x00" * 500)
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 1
    assert "not a text file" in _one_line_error(result)
