"""Hardening: untrusted and tampered models, formula injection, faults, interrupted runs.

Each fault ends the same way: one line on stderr, exit code 1, and no output file, partial file
or progress file left behind. An interrupted run leaves a partial file (never under the final
name) that ``--resume`` continues into the output an uninterrupted run writes, byte for byte.
"""

from __future__ import annotations

import builtins
import csv
import errno
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect import batch
from cfdetect.artifact import (
    CARD_FILE,
    MODEL_FILE,
    TRUST_ENV,
    default_model_dir,
    is_trusted,
    load_model,
    pin_trusted,
    read_card,
    sha256_of,
    verify_model,
)
from cfdetect.batch import progress_path, score_file
from cfdetect.cli import app
from cfdetect.errors import InputError, InvalidListing, ModelError, UsageError
from cfdetect.io import TableWriter, escape_formula, escape_formulas, open_writer, partial_path
from cfdetect.scorer import Scorer

runner = CliRunner()
FORMULA = '=HYPERLINK("http://evil.example","Rolex")'


# ------------------------------------------------------------------------------- factories


@pytest.fixture
def copy_model(model_dir: Path, tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``copy_model("received/m")`` copies the session model under ``tmp_path``, which
    is outside every trusted root (as a model directory someone sent would be)."""

    def copy(relative: str = "received/m") -> Path:
        target = tmp_path / relative
        target.mkdir(parents=True)
        for name in (MODEL_FILE, CARD_FILE):
            shutil.copy2(model_dir / name, target / name)
        return target

    return copy


def _edit_card(directory: Path, **changes: Any) -> None:
    card = json.loads((directory / CARD_FILE).read_text())
    card.update(changes)
    (directory / CARD_FILE).write_text(json.dumps(card))


@pytest.fixture
def dump(simulated: pd.DataFrame, tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``dump(n, "in.csv")`` writes n simulated listings with a bad price, a repeated id
    and a formula as a listing id, so that outputs and rejects both have rows."""

    def write(n: int = 400, name: str = "in.csv") -> Path:
        data = simulated.head(n).astype({"title": object, "price": object, "listing_id": object})
        data.loc[7, "price"] = "ask"
        data.loc[n - 30, "listing_id"] = data.loc[3, "listing_id"]  # repeats an early id
        data.loc[11, "listing_id"] = FORMULA
        path = tmp_path / name
        if name.endswith(".parquet"):
            data.astype(str).to_parquet(path, index=False)
        else:
            data.to_csv(path, index=False, compression="infer")
        return path

    return write


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Files in ``folder`` other than ``keep``: partial files, progress files, outputs."""
    return sorted(f.name for f in folder.iterdir() if f.name not in keep)


def _one_line_error(result: Any) -> str:
    text = result.stderr.strip()
    assert text.startswith("error:") and "\n" not in text, result.stderr
    assert "Traceback" not in result.output
    return text


# ------------------------------------------------------------------------------- model trust


def test_shipped_model_is_trusted_and_a_received_one_is_not(copy_model: Callable[..., Path]):
    received = copy_model()
    assert is_trusted(default_model_dir())
    assert not is_trusted(received)
    with pytest.raises(ModelError, match="not a trusted model directory") as info:
        Scorer.load(received)
    message = str(info.value)
    assert "--trust" in message and "runs code" in message and "\n" not in message


@pytest.mark.parametrize("how", ["true", "directory", "parent", "env"])
def test_trusting_a_directory_loads_it(
    copy_model: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    received = copy_model()
    trust: Any = {"true": True, "directory": received, "parent": [received.parent]}.get(how)
    if how == "env":
        monkeypatch.setenv(TRUST_ENV, os.pathsep.join(["/nonexistent", str(received.parent)]))
    scorer = Scorer.load(received, trust=trust)
    assert scorer.card["model_sha256"] == sha256_of(received / MODEL_FILE)


def test_a_symlink_out_of_a_trusted_root_is_not_trusted(
    copy_model: Callable[..., Path], tmp_path: Path
) -> None:
    received = copy_model("elsewhere/m")
    root = tmp_path / "trusted"
    root.mkdir()
    (root / "m").symlink_to(received, target_is_directory=True)
    with pytest.raises(ModelError, match="not a trusted"):
        load_model(root / "m", trust=[root])


def test_a_model_this_process_wrote_is_trusted_only_while_unchanged(
    copy_model: Callable[..., Path],
) -> None:
    mine = copy_model("out/m")
    pin_trusted(mine, sha256_of(mine / MODEL_FILE))  # what save_model does after writing
    load_model(mine)
    payload = joblib.load(mine / MODEL_FILE)  # rewritten consistently: file and card agree
    payload["thresholds"]["block"] = 0.01
    joblib.dump(payload, mine / MODEL_FILE)
    _edit_card(mine, model_sha256=sha256_of(mine / MODEL_FILE))
    with pytest.raises(ModelError, match="not a trusted"):
        load_model(mine)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"model_file": "../../model.joblib"}, "outside the directory"),
        ({"card_version": 2}, "card format 2"),
        ({"versions": {"cfdetect": "9.0.0", "scikit-learn": "1.0", "numpy": "1.0"}}, "retrain"),
    ],
)
def test_cards_from_elsewhere_are_refused(
    copy_model: Callable[..., Path], change: dict[str, Any], fragment: str
) -> None:
    received = copy_model()
    _edit_card(received, **change)
    with pytest.raises(ModelError, match=fragment):
        load_model(received, trust=True)


def test_a_card_whose_thresholds_were_edited_is_refused(copy_model: Callable[..., Path]) -> None:
    # a parent of --jobs workers reads the card's thresholds without unpickling the model
    received = copy_model()
    card = read_card(received)
    _edit_card(received, thresholds={**card["thresholds"], "block": 0.01})
    verify_model(received, trust=True)  # the card is not hashed: only loading can tell
    with pytest.raises(ModelError, match="thresholds differ"):
        load_model(received, trust=True)


def test_a_world_writable_model_is_refused(copy_model: Callable[..., Path]) -> None:
    received = copy_model()
    received.chmod(0o777)
    with pytest.raises(ModelError, match="every user"):
        load_model(received, trust=True)


@pytest.mark.parametrize("jobs", ["1", "2"])  # with workers the parent checks, they load
def test_cli_refuses_untrusted_and_tampered_models(
    copy_model: Callable[..., Path], dump: Callable[..., Path], tmp_path: Path, jobs: str
) -> None:
    received, source, out = copy_model(), dump(20), tmp_path / "scored.csv"
    args = ["score", str(source), "-o", str(out), "--model", str(received), "--jobs", jobs]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "--trust" in _one_line_error(refused)
    assert runner.invoke(app, [*args, "--trust", str(received.parent)]).exit_code == 0
    out.unlink()
    with open(received / MODEL_FILE, "r+b") as handle:  # one byte changed, mid-file
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    tampered = runner.invoke(app, [*args, "--trust", str(received)])
    assert tampered.exit_code == 1 and "differs from the card" in _one_line_error(tampered)
    assert _leftovers(tmp_path, {source.name, "received"}) == []
    info = runner.invoke(app, ["info", str(received)])
    assert info.exit_code == 0 and "DIFFERS" in info.stdout and "--trust" in info.stdout


def test_info_shows_a_hostile_card_inert(copy_model: Callable[..., Path]) -> None:
    received = copy_model()
    _edit_card(received, name="[link=http://e.x]m[/link]\x1b[2J")
    shown = runner.invoke(app, ["info", str(received)])
    assert shown.exit_code == 0, shown.output
    assert "[link=http://e.x]m[/link]\\x1b[2J" in shown.stdout and "\x1b" not in shown.stdout
    assert "no: loading it needs --trust" in shown.stdout
    _edit_card(received, training="not a mapping")
    broken = runner.invoke(app, ["info", str(received)])
    assert broken.exit_code == 1 and "cannot be shown" in _one_line_error(broken)


def test_explain_needs_trust_too(copy_model: Callable[..., Path]) -> None:
    received = copy_model()
    one = json.dumps({"listing_id": "1", "title": "Rolex AAA", "price": 9, "seller_id": "s"})
    assert runner.invoke(app, ["explain", one, "--model", str(received)]).exit_code == 1
    trusted = runner.invoke(
        app, ["explain", one, "--model", str(received), "--trust", str(received)]
    )
    assert trusted.exit_code == 0 and "decision" in trusted.stdout


# ------------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),  # a plain number cannot be a formula
        ("+1e5", "+1e5"),
        ("Rolex =1", "Rolex =1"),
        ("", ""),
    ],
)
def test_escape_formula(cell: str, shown: str) -> None:
    assert escape_formula(cell) == shown


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (" =1+1", "' =1+1"),  # spreadsheets skip leading spaces, NBSP and NUL before a formula
        ("\xa0@SUM(A1)", "'\xa0@SUM(A1)"),
        ("\x00=1", "'\x00=1"),
        (" \xa0\x00 +cmd|' /C calc'!A0", "' \xa0\x00 +cmd|' /C calc'!A0"),
        (" \t=1", "' \t=1"),
        ("  -12.5", "  -12.5"),  # still a plain number
        ("\xa0+1e5", "\xa0+1e5"),
        ("  Rolex", "  Rolex"),
        ("\x00", "\x00"),
    ],
)
def test_escape_formula_after_leading_blanks(cell: str, shown: str) -> None:
    assert escape_formula(cell) == shown
    assert escape_formulas(pd.DataFrame({cell: [cell]})).to_numpy().tolist() == [[shown]]
    assert escape_formulas(pd.DataFrame({cell: [cell]})).columns.tolist() == [shown]


CR_FORMULA = "harmless\r=cmd|' /C calc'!A0"


def _csv_rows(path: Path, sep: str) -> list[list[str]]:
    """Rows as Python's csv module reads them (what a careful program sees)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter=sep))


@pytest.mark.parametrize("name", ["out.csv", "out.tsv"])
@pytest.mark.parametrize("escape", [True, False])
def test_a_bare_cr_cannot_split_rows(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path, name: str, escape: bool
) -> None:
    source, out = dump(30), tmp_path / name
    rejects = tmp_path / name.replace("out", "rejects")
    raw = pd.read_csv(source, dtype=str)
    raw["note"] = CR_FORMULA  # a carried-through column
    raw["x\r=1+1"] = "y"  # and a column name
    raw.loc[7, "listing_id"] = CR_FORMULA  # the row with the bad price: a reject
    raw.to_csv(source, index=False, quoting=csv.QUOTE_ALL)  # pandas leaves a bare CR unquoted
    report = score_file(source, out, model=model_dir, rejects=rejects, escape_formulas=escape)
    sep = "\t" if name.endswith(".tsv") else ","
    for path, n in ((out, report.scored), (rejects, report.validation.rejected)):
        table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
        rows = _csv_rows(path, sep)
        assert len(table) == n == len(rows) - 1
        assert {len(r) for r in rows} == {len(rows[0])}
        header = ["'" + c if escape and c.startswith(("=", "+", "-", "@")) else c for c in rows[0]]
        assert header == rows[0]
        if path == out:
            assert (table["note"] == CR_FORMULA).all()  # starts with 'h': nothing to escape
            assert (table["x\r=1+1"] == "y").all()
        else:
            assert CR_FORMULA in table["listing_id"].tolist()
        cells = [cell for row in rows for cell in row]
        assert not escape or not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_validate_rejects_quote_a_bare_cr(tmp_path: Path) -> None:
    source, rejects = tmp_path / "in.csv", tmp_path / "rejects.csv"
    source.write_text(
        "listing_id,title,price,seller_id\n\"harmless\r=cmd|' /C calc'!A0\",Rolex,free,s\n",
        newline="",
    )
    result = runner.invoke(app, ["validate", str(source), "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    rows = _csv_rows(rejects, ",")
    assert len(rows) == 2 and rows[1][rows[0].index("listing_id")] == CR_FORMULA
    assert pd.read_csv(rejects, dtype=str).loc[0, "listing_id"] == CR_FORMULA


@pytest.mark.parametrize("name", ["out.csv", "out.tsv", "out.csv.gz"])
def test_score_escapes_formulas_in_csv_outputs(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path, name: str
) -> None:
    source, out, rejects = dump(60), tmp_path / name, tmp_path / "rejects.csv"
    raw = pd.read_csv(source, dtype=str)
    raw.loc[7, "listing_id"] = "@SUM(1+1)*cmd|' /C calc'!A0"  # the row with the bad price
    raw["note"] = "-1+1"  # an extra column, carried through
    raw.to_csv(source, index=False)
    report = score_file(source, out, model=model_dir, rejects=rejects)
    scored = pd.read_csv(out, sep="\t" if "tsv" in name else ",", dtype=str, keep_default_na=False)
    rejected = pd.read_csv(rejects, dtype=str)
    assert "'" + FORMULA in scored["listing_id"].tolist()
    assert (scored["note"] == "'-1+1").all() and report.scored == len(scored)
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in rejected["listing_id"].tolist()
    assert not any(v.startswith(("=", "+", "@")) for v in scored.to_numpy().ravel())


def test_escaping_can_be_turned_off_and_jsonl_is_left_alone(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    source = dump(40)
    raw_csv, jsonl = tmp_path / "raw.csv", tmp_path / "out.jsonl"
    args = ["score", str(source), "--model", str(model_dir), "-o"]
    assert runner.invoke(app, [*args, str(raw_csv), "--no-escape-formulas"]).exit_code == 0
    assert runner.invoke(app, [*args, str(jsonl)]).exit_code == 0
    assert FORMULA in pd.read_csv(raw_csv, dtype=str)["listing_id"].tolist()
    assert FORMULA in pd.read_json(jsonl, lines=True, dtype=str)["listing_id"].tolist()


def test_jsonl_output_keeps_every_score_exactly(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    """JSON Lines carries the full float, as CSV does: the score read back is the one scored."""
    source, out = dump(80), tmp_path / "scored.jsonl"
    score_file(source, out, model=model_dir)
    scored = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    valid = raw.drop(index=[7, 50])  # the bad price, the repeated id
    expected = Scorer.load(model_dir).score_frame(valid.reset_index(drop=True), explain=False)
    by_id = {row["listing_id"]: row["score"] for row in scored}
    assert len(by_id) == len(expected) and len(scored) == len(expected)
    for listing_id, score in zip(expected["listing_id"], expected["score"], strict=True):
        assert by_id[listing_id] == score  # exactly, not to 10 decimals
    assert any(len(repr(s)) > 12 for s in by_id.values())  # more digits than 10 decimals


def test_validate_escapes_its_rejects(tmp_path: Path) -> None:
    source, rejects = tmp_path / "in.csv", tmp_path / "rejects.csv"
    source.write_text("listing_id,title,price,seller_id\n\"=cmd|' /C calc'!A0\",Rolex,free,s\n")
    result = runner.invoke(app, ["validate", str(source), "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(rejects, dtype=str).loc[0, "listing_id"] == "'=cmd|' /C calc'!A0"


def test_evaluate_escapes_its_rejects(model_dir: Path, tmp_path: Path) -> None:
    source, rejects = tmp_path / "in.csv", tmp_path / "rejects.csv"
    source.write_text(
        "listing_id,title,price,seller_id,is_counterfeit\n"
        "\"=cmd|' /C calc'!A0\",Rolex,free,s,1\nok,Rolex Submariner,9000,s,0\n"
    )
    args = ["evaluate", str(source), "--model", str(model_dir), "--out", str(tmp_path / "r"),
            "--rejects", str(rejects)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert pd.read_csv(rejects, dtype=str).loc[0, "listing_id"] == "'=cmd|' /C calc'!A0"
    assert runner.invoke(app, [*args, "--no-escape-formulas"]).exit_code == 0
    assert pd.read_csv(rejects, dtype=str).loc[0, "listing_id"] == "=cmd|' /C calc'!A0"


def test_terminal_output_shows_hostile_text_inert(model_dir: Path) -> None:
    hostile = "[link=http://e.x]R[/link]\x1b[2J\u202e"
    one = json.dumps({"listing_id": hostile, "title": "Rolex AAA", "price": 9, "seller_id": "s"})
    result = runner.invoke(app, ["explain", one, "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "[link=http://e.x]R[/link]\\x1b[2J\\u202e" in result.stdout
    assert "\x1b" not in result.stdout


HOSTILE_NAMES = [
    "\x1b[31mRED",
    "[link=http://evil]x[/link]",
    "\u202eevil",
    "[bold]b\u2066i\u2069\u200fr\u200e\x9b2J\x7f",
]
RAW_CONTROLS = ("\x1b", "\x9b", "\x7f", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f")


@pytest.mark.parametrize("command", ["validate", "score"])
def test_summaries_show_hostile_column_names_and_values_inert(
    model_dir: Path, make_listings: Callable[..., pd.DataFrame], tmp_path: Path, command: str
) -> None:
    """Column names, listing ids, values in reasons and file names reach the terminal with
    their controls shown escaped and their rich markup shown as text."""
    from cfdetect import cli

    data = make_listings(6, title="Rolex Submariner replica AAA 1:1")
    for i, name in enumerate(HOSTILE_NAMES):
        data[name] = name
        data.loc[i, "listing_id"] = name
    data.loc[4:, "price"] = HOSTILE_NAMES[1:3]  # rejects
    source = tmp_path / "in[bold]\x1b[2J\u202e.csv"
    data.to_csv(source, index=False)
    args = [command, str(source), "--rejects", str(tmp_path / "rejects.csv")]
    if command == "score":
        args += ["--model", str(model_dir), "-o", str(tmp_path / "scored.csv"), "--show", "4"]
        args += ["--review-threshold", "0", "--block-threshold", "0"]  # every row is flagged
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli.err, "_width", 1000)  # no wrapping inside the names
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    shown = result.stderr
    assert not [c for c in RAW_CONTROLS if c in shown], repr(shown)
    assert "in[bold]\\x1b[2J\\u202e.csv" in shown  # the file name, in the title
    # column names in validate's summary, listing ids in score's top rows
    assert "[link=http://evil]x[/link]" in shown
    assert "\\x1b[31mRED" in shown and "\\u202eevil" in shown
    assert "[bold]b\\u2066i\\u2069\\u200fr\\u200e\\x9b2J\\x7f" in shown


# ------------------------------------------------------------------------------- faults


def test_unreadable_input(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = dump(20), tmp_path / "scored.csv"
    real_open = builtins.open

    def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(source):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)  # chmod 000 does not stop root
    result = runner.invoke(app, ["score", str(source), "-o", str(out), "--model", str(model_dir)])
    assert result.exit_code == 1 and "Permission denied" in _one_line_error(result)
    assert _leftovers(tmp_path, {source.name}) == []


def _truncated_parquet(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt_gzip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for at in range(len(data) // 2, len(data) // 2 + 40):
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def _truncated_gzip(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])


@pytest.mark.parametrize(
    ("name", "damage", "fragment"),
    [
        ("in.parquet", _truncated_parquet, "not a readable Parquet file"),
        ("in.csv.gz", _corrupt_gzip, "gzip stream is corrupt or truncated"),
        ("in.csv.gz", _truncated_gzip, "gzip stream is corrupt or truncated"),
    ],
)
def test_damaged_inputs_fail_cleanly_mid_run(
    model_dir: Path,
    dump: Callable[..., Path],
    tmp_path: Path,
    name: str,
    damage: Callable[[Path], None],
    fragment: str,
) -> None:
    source = dump(1_500, name)
    damage(source)
    out, rejects = tmp_path / "scored.csv", tmp_path / "rejects.csv"
    args = ["score", str(source), "-o", str(out), "--rejects", str(rejects), "--chunk-size",
            "50", "--model", str(model_dir)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and fragment in _one_line_error(result)
    assert _leftovers(tmp_path, {source.name}) == []


@contextmanager
def _disk_full_after(writes: int) -> Iterator[None]:
    """Make every TableWriter fail with ENOSPC from its ``writes``-th chunk on."""
    real = TableWriter._write
    seen = {"n": 0}

    def write(self: TableWriter, chunk: pd.DataFrame) -> None:
        seen["n"] += 1
        if seen["n"] >= writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, chunk)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TableWriter, "_write", write)
        yield


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_disk_full_mid_run(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path, jobs: str
) -> None:
    source, out, rejects = dump(600), tmp_path / "scored.csv", tmp_path / "rejects.csv"
    args = ["score", str(source), "-o", str(out), "--rejects", str(rejects), "--chunk-size",
            "50", "--jobs", jobs, "--model", str(model_dir)]  # fmt: skip
    with _disk_full_after(5):
        result = runner.invoke(app, args)
    assert result.exit_code == 1 and "No space left on device" in _one_line_error(result)
    assert _leftovers(tmp_path, {source.name}) == []


@pytest.mark.parametrize(
    ("output", "rejects", "fragment"),
    [
        ("missing/scored.csv", None, "does not exist"),
        ("scored.csv", "missing/rejects.csv", "does not exist"),
        ("taken.csv", None, "is a directory"),
    ],
)
def test_output_that_cannot_be_written(
    model_dir: Path,
    dump: Callable[..., Path],
    tmp_path: Path,
    output: str,
    rejects: str | None,
    fragment: str,
) -> None:
    source = dump(20)
    keep = {source.name}
    if output == "taken.csv":
        (tmp_path / output).mkdir()
        keep.add(output)
    args = ["score", str(source), "-o", str(tmp_path / output), "--model", str(model_dir)]
    if rejects:
        args += ["--rejects", str(tmp_path / rejects)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and fragment in _one_line_error(result)
    assert _leftovers(tmp_path, keep) == []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_real_write_failure_in_a_subprocess(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    """The operating system refuses a write (file size limit: EFBIG, as a full disk would)."""
    import resource

    source, out = dump(1_500), tmp_path / "scored.csv"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    done = subprocess.run(
        [sys.executable, "-m", "cfdetect.cli", "score", str(source), "-o", str(out),
         "--chunk-size", "100", "--model", str(model_dir), "--trust", str(model_dir)],
        capture_output=True, text=True, timeout=300, preexec_fn=limit, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().startswith("error:") and "\n" not in done.stderr.strip()
    assert "File too large" in done.stderr
    assert _leftovers(tmp_path, {source.name}) == []


def test_huge_integers_past_the_str_limit_are_invalid_listings(model_dir: Path) -> None:
    scorer = Scorer.load(model_dir)
    base = {"listing_id": "1", "title": "Rolex", "price": 9, "seller_id": "s"}
    for field in ("price", "title", "currency", "seller_rating", "created_at", "quantity"):
        with pytest.raises(InvalidListing) as info:
            scorer.score({**base, field: 10**5000})
        assert info.value.field == field


# ------------------------------------------------------------------------------- resume


@contextmanager
def _interrupt_after(writes: int) -> Iterator[None]:
    """Raise KeyboardInterrupt (what Ctrl-C and the CLI's SIGTERM handler raise) at the
    ``writes``-th scored piece, mid-run."""
    real = batch._write
    seen = {"n": 0}

    def write(*args: Any) -> None:
        seen["n"] += 1
        if seen["n"] == writes:
            raise KeyboardInterrupt
        real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "_write", write)
        yield


@pytest.mark.parametrize(
    ("name", "jobs"),
    [
        ("out.csv", 1),
        ("out.csv.gz", 1),
        ("out.jsonl", 1),
        ("out.tsv", 1),
        pytest.param("out.csv", 2, marks=pytest.mark.slow),  # worker processes start
    ],
)
def test_interrupted_run_resumes_byte_identical(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path, name: str, jobs: int
) -> None:
    source = dump(240)
    options = {"model": model_dir, "chunk_size": 24, "jobs": jobs}
    reference = score_file(
        source, tmp_path / f"ref.{name}", rejects=tmp_path / "ref.csv", **options
    )
    out, rejects = tmp_path / name, tmp_path / "rejects.csv"
    with _interrupt_after(6 * jobs), pytest.raises(KeyboardInterrupt):  # jobs pieces a chunk
        score_file(source, out, rejects=rejects, **options)
    assert not out.exists() and not rejects.exists()  # nothing under the final names
    assert partial_path(out).exists() and progress_path(out).exists()
    report = score_file(source, out, rejects=rejects, resume=True, **options)
    assert report.resumed_chunks >= 4
    assert out.read_bytes() == (tmp_path / f"ref.{name}").read_bytes()
    assert rejects.read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert (report.scored, report.decisions) == (reference.scored, reference.decisions)
    assert report.validation.rejected == reference.validation.rejected
    assert not partial_path(out).exists() and not progress_path(out).exists()


def test_resume_checks_the_input_and_the_options(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    source, out = dump(200), tmp_path / "out.csv"
    with _interrupt_after(3), pytest.raises(KeyboardInterrupt):
        score_file(source, out, model=model_dir, chunk_size=40)
    with pytest.raises(InputError, match="chunk_size 40 → 50"):
        score_file(source, out, model=model_dir, chunk_size=50, resume=True)
    os.utime(source, ns=(time.time_ns(), time.time_ns() + 10**9))  # same bytes, touched
    with pytest.raises(InputError, match=r"cannot resume.*input mtime_ns"):
        score_file(source, out, model=model_dir, chunk_size=40, resume=True)
    report = score_file(source, out, model=model_dir, chunk_size=40)  # starts over
    assert report.discarded_partial and not progress_path(out).exists()


def test_resume_without_an_interrupted_run_starts_from_the_top(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    source, out = dump(100), tmp_path / "out.csv"
    report = score_file(source, out, model=model_dir, resume=True)
    assert report.resumed_chunks == 0 and report.scored > 0
    with pytest.raises(UsageError, match="--resume needs"):
        score_file(source, "-", model=model_dir, resume=True)
    with pytest.raises(UsageError, match="--resume needs"):
        score_file(source, tmp_path / "out.parquet", model=model_dir, resume=True)


def test_a_second_run_on_the_same_output_is_refused(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    source, out = dump(50), tmp_path / "out.csv"
    other = open_writer(out, resumable=True)  # another run holds the partial file
    try:
        with pytest.raises(InputError, match="another cfdetect process"):
            score_file(source, out, model=model_dir)
        assert partial_path(out).exists()  # the other run's partial file is left alone
    finally:
        other.abort()
    assert not out.exists()


def test_stopped_between_the_renames(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    source, out, rejects = dump(120), tmp_path / "out.csv", tmp_path / "rejects.csv"
    score_file(source, tmp_path / "ref.csv", rejects=tmp_path / "ref_rejects.csv", model=model_dir)
    real_close, closes = TableWriter.close, {"n": 0}

    def close(self: TableWriter) -> None:
        closes["n"] += 1
        if closes["n"] == 2:  # the output is in place, the rejects are not
            raise KeyboardInterrupt
        real_close(self)

    with pytest.MonkeyPatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(TableWriter, "close", close)
        score_file(source, out, rejects=rejects, model=model_dir)
    assert out.exists() and not rejects.exists()
    score_file(source, out, rejects=rejects, model=model_dir, resume=True)
    assert rejects.read_bytes() == (tmp_path / "ref_rejects.csv").read_bytes()
    assert out.read_bytes() == (tmp_path / "ref.csv").read_bytes()


# ------------------------------------------------------------------------------- killed for real

SLOW_CLI = """
import signal, sys, time
# a terminal delivers Ctrl-C; a background job (CI) starts with SIGINT ignored: restore it
signal.signal(signal.SIGINT, signal.default_int_handler)
from cfdetect import batch
pause = float(sys.argv.pop(1))
real = batch._write
def slow(*args):
    time.sleep(pause)
    real(*args)
batch._write = slow
from cfdetect.cli import main
sys.argv[0] = "cfdetect"
main()
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _descendants(pid: int) -> list[int]:
    """Process ids started by ``pid``, by its children and so on (from /proc): the workers
    come from a fork server the scoring process started."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = [], {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found.extend(frontier)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("sig", "jobs", "code"),
    [
        (signal.SIGKILL, "1", -9),
        (signal.SIGTERM, "1", 143),
        (signal.SIGINT, "1", 130),
        pytest.param(
            signal.SIGTERM,
            "2",
            143,
            marks=pytest.mark.xfail(
                reason="open: a worker's pipe can break during SIGTERM shutdown and print a "
                "traceback (seen once in CI on a loaded machine)",
                strict=False,
            ),
        ),
        (signal.SIGKILL, "2", -9),
    ],
)
def test_killed_scoring_subprocess_resumes_byte_identical(
    model_dir: Path,
    dump: Callable[..., Path],
    tmp_path: Path,
    sig: signal.Signals,
    jobs: str,
    code: int,
) -> None:
    source = dump(1_200)
    ref_out, ref_rejects = tmp_path / "ref.csv", tmp_path / "ref_rejects.csv"
    score_file(source, ref_out, rejects=ref_rejects, model=model_dir, chunk_size=100)
    out, rejects = tmp_path / "scored.csv", tmp_path / "rejects.csv"
    args = ["score", str(source), "-o", str(out), "--rejects", str(rejects), "--chunk-size",
            "100", "--jobs", jobs, "--model", str(model_dir),
            "--trust", str(model_dir)]  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, "0.3", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    done = 0
    while done < 3 and time.monotonic() < deadline and process.poll() is None:
        with suppress(FileNotFoundError, ValueError, KeyError):  # not written yet, or mid-write
            done = json.loads(progress_path(out).read_text())["chunks_done"]
        time.sleep(0.02)
    assert done >= 3, process.communicate()[1]
    workers = _descendants(process.pid)
    assert len(workers) >= (3 if jobs == "2" else 0)  # the fork server and two workers
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert not out.exists() and not rejects.exists()
    assert partial_path(out).exists() and progress_path(out).exists()
    if sig != signal.SIGKILL:
        assert "--resume" in stderr and "Traceback" not in stderr
    stop = time.monotonic() + 10  # workers leave with their parent, even after SIGKILL
    while any(_alive(pid) for pid in workers) and time.monotonic() < stop:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)

    resumed = runner.invoke(app, [*args, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert "resumed after" in resumed.stderr
    assert out.read_bytes() == ref_out.read_bytes()
    assert rejects.read_bytes() == ref_rejects.read_bytes()
    assert _leftovers(tmp_path, {source.name, ref_out.name, ref_rejects.name, out.name,
                                 rejects.name}) == []  # fmt: skip


def test_gzip_outputs_stay_readable_members_and_all(
    model_dir: Path, dump: Callable[..., Path], tmp_path: Path
) -> None:
    """A resumable gzip output is one gzip member per chunk: any gzip reader reads it whole."""
    source, out = dump(200), tmp_path / "out.jsonl.gz"
    report = score_file(source, out, model=model_dir, chunk_size=50)
    lines = gzip.decompress(out.read_bytes()).decode("utf-8").splitlines()
    assert len(lines) == report.scored
