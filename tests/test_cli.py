"""The command line, through typer's CliRunner: exit codes, summaries on stderr, files written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from test_evaluate import assert_report_matches_metrics  # tests/ is on sys.path (rootdir mode)
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
    args = ["validate", str(path), "--rejects", str(rejects), "--max-reject-rate", "0.2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # 1 of 5 rejected: not above 0.2
    assert result.stdout == ""  # summaries go to stderr
    assert "rows read" in result.stderr and "not a number" in result.stderr
    table = pd.read_csv(rejects)
    assert table["row_number"].tolist() == [3] and table["field"].tolist() == ["price"]
    strict = runner.invoke(app, ["validate", str(path)])  # default: any reject fails
    assert strict.exit_code == 1 and "above --max-reject-rate 0" in strict.stderr
    above = runner.invoke(app, ["validate", str(path), "--max-reject-rate", "0.1"])
    assert above.exit_code == 1


def test_validate_summary_json_and_quiet(
    make_listings: Callable[..., pd.DataFrame], write_file: Callable[..., Path], tmp_path: Path
) -> None:
    raw = make_listings(4)
    raw.loc[[1, 2, 3], "price"] = "ask me"
    path = write_file(raw, "dump.csv")
    summary = tmp_path / "summary.json"
    args = ["-q", "validate", str(path), "--summary-json", str(summary)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1  # 3 of 4 rows rejected
    assert "rows read" not in result.stderr and "error:" in result.stderr  # quiet, not mute
    document = json.loads(summary.read_text())
    assert (document["rows_read"], document["rejected"], document["reject_rate"]) == (4, 3, 0.75)
    assert document["rejects_by_reason"][0]["field"] == "price"


def test_score_explain_choice_deprecated_aliases_and_summary_json(
    make_listings: Callable[..., pd.DataFrame], write_file: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_file(make_listings(6), "dump.csv")
    outputs = {}
    for name, extra in {
        "all": ["--explain", "all"],
        "all_old": ["--explain-all"],
        "none": ["--explain", "none"],
        "none_old": ["--no-explain"],
        "flagged": ["--explain", "flagged"],
        "default": [],
    }.items():
        out = tmp_path / f"{name}.csv"
        result = runner.invoke(app, ["-q", "score", str(path), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        outputs[name] = out.read_bytes()
    assert outputs["all"] == outputs["all_old"] and outputs["none"] == outputs["none_old"]
    assert outputs["flagged"] == outputs["default"]
    summary = tmp_path / "s.json"
    result = runner.invoke(app, ["score", str(path), "-o", str(tmp_path / "x.csv"),
                                 "--summary-json", str(summary)])  # fmt: skip
    document = json.loads(summary.read_text())
    assert document["scored"] == 6 and sum(document["decisions"].values()) == 6
    bad = runner.invoke(app, ["score", str(path), "--explain", "some"])
    assert bad.exit_code == 2
    bad = runner.invoke(app, ["score", str(path), "--engine", "ray"])
    assert bad.exit_code == 2


def test_jsonl_and_parquet_reasons_are_lists_csv_text(
    make_listings: Callable[..., pd.DataFrame], write_file: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_file(make_listings(20), "dump.csv")
    for suffix in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"scored.{suffix}"
        result = runner.invoke(app, ["score", str(path), "-o", str(out), "--explain", "all"])
        assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "scored.csv", keep_default_na=False)
    rows = [json.loads(line) for line in (tmp_path / "scored.jsonl").read_text().splitlines()]
    parquet = pd.read_parquet(tmp_path / "scored.parquet")
    for i, row in enumerate(rows):
        assert isinstance(row["reasons"], list) and isinstance(row["in_favour"], list)
        for reason in row["reasons"]:
            assert set(reason) == {"code", "text", "weight"}
        text = "; ".join(f"{r['code']}: {r['text']}" for r in row["reasons"])
        assert csv["reasons"][i] == text  # CSV keeps the readable string
        assert [r["code"] for r in parquet["reasons"][i]] == [r["code"] for r in row["reasons"]]
        assert row["score"] == csv["score"][i] == parquet["score"][i]
    assert any(row["reasons"] for row in rows)


def test_explain_and_info_json_parse(tmp_path: Path) -> None:
    listing = {"listing_id": "1", "title": "Rolex Submariner AAA 1:1 clone", "price": 95,
               "seller_id": "s"}  # fmt: skip
    result = runner.invoke(app, ["explain", "--json", json.dumps(listing)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["decision"] in ("block", "review", "allow")
    assert all(set(r) == {"code", "text", "weight"} for r in document["reasons"])
    info = runner.invoke(app, ["info", "--json"])
    assert info.exit_code == 0, info.output
    card = json.loads(info.stdout)
    assert card["trusted"] is True and card["matches_card"] is True
    assert card["card"]["model_sha256"] == card["model_file_sha256"]


def test_explain_is_not_wrapped_when_piped() -> None:
    title = "Rolex Submariner AAA 1:1 replica " + "with a very long description " * 6
    listing = {"listing_id": "1", "title": title, "price": 95, "seller_id": "s"}
    result = runner.invoke(app, ["explain", json.dumps(listing)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(line.startswith(("listing", "score", "decision", "reason", "in favour"))
               for line in lines)  # fmt: skip


def test_format_is_a_choice(
    make_listings: Callable[..., pd.DataFrame], write_file: Callable[..., Path]
) -> None:
    good = write_file(make_listings(2), "good.csv")
    result = runner.invoke(app, ["validate", str(good), "--format", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in result.stderr  # names the choices


def test_env_defaults_shown_in_help() -> None:
    result = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "200"})
    assert "CFDETECT_MODEL" in result.stdout


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


# ---------------------------------------------------------------- evaluate

TIMELINE = ["created_at", "first_sale_at", "reported_at"]


@pytest.fixture(scope="module")
def period_file(simulated: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The last 2,000 simulated listings (after the model's training data in time) as Parquet."""
    path = tmp_path_factory.mktemp("period") / "period.parquet"
    simulated.sort_values("created_at").tail(2_000).to_parquet(path)
    return path


@pytest.fixture(scope="module")
def evaluated(period_file: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("evaluation") / "report"
    args = ["evaluate", str(period_file), "--model", str(model_dir), "--baseline", "keywords",
            "--review-capacity", "15", "--notice-capacity", "40", "--out", str(out)]  # fmt: skip
    return runner.invoke(app, args), out


def test_evaluate_writes_the_report(evaluated) -> None:
    result, out = evaluated
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the summary goes to stderr, the report to files
    assert "of proactive takedowns were removed before a single sale" in result.stderr
    assert "But: proactive recall is" in result.stderr
    assert "Genuine listings wrongly blocked" in result.stderr
    names = {p.name for p in out.iterdir()}
    plots = {"pr_curve.png", "calibration.png", "threshold.png", "survival.png",
             "notices_weekly.png", "registered.png"}  # fmt: skip
    assert {"metrics.json", "report.md", "report.html"} | plots <= names
    doc = json.loads((out / "metrics.json").read_text())
    for key in ("proactive_recall", "prepublication_catch_rate", "removed_before_first_sale",
                "notices", "notices_baseline", "notices_change", "notices_handled_24h",
                "wrongly_blocked_rate", "genuine_sellers_affected", "pr_auc",
                "recall_at_98_precision", "precision_at_capacity", "brier", "ece", "per_brand",
                "per_category"):  # fmt: skip
        assert key in doc, key
    assert doc["status"] == "full" and doc["config"]["baseline"] == "keywords"
    assert doc["config"]["review_capacity"] == 15 and doc["config"]["notice_capacity"] == 40
    assert doc["counts"]["listings"] == 2_000
    recall = doc["proactive_recall"]
    assert recall["numerator"] <= recall["denominator"] == doc["counts"]["infringing"]
    assert recall["low"] <= recall["value"] <= recall["high"]
    assert {row["registered"] for row in doc["per_registered"]} >= {"registered", "unregistered"}
    assert_report_matches_metrics(out)


def test_evaluate_html_is_self_contained(evaluated) -> None:
    _, out = evaluated
    html = (out / "report.html").read_text()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html, flags=re.IGNORECASE)
    assert len(refs) >= 6 and all(r.startswith("data:image/png;base64,") for r in refs)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "url(" not in html and "http://" not in html and "https://" not in html


@pytest.mark.slow
def test_evaluate_html_renders_offline_in_headless_chromium(evaluated, tmp_path: Path) -> None:
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if browser is None:
        pytest.skip("no Chromium here (apt-get install chromium-headless-shell)")
    _, out = evaluated
    shot = tmp_path / "shot.png"
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400",
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",  # no network
        f"--screenshot={shot}", (out / "report.html").resolve().as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert shot.is_file() and shot.stat().st_size > 20_000, done.stderr[-2000:]


def test_evaluate_degrades_without_timelines(
    simulated: pd.DataFrame, model_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "no_timeline.csv"
    simulated.head(600).drop(columns=["first_sale_at", "reported_at"]).to_csv(path, index=False)
    result = runner.invoke(
        app, ["evaluate", str(path), "--model", str(model_dir), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "classification" in result.stderr
    assert "the replay needs created_at, first_sale_at, reported_at" in result.stderr
    assert "of infringing listings were blocked before publication" in result.stderr
    doc = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert doc["status"] == "classification" and doc["proactive_recall"]["value"] is None
    assert doc["wrongly_blocked_rate"]["value"] is not None


def test_evaluate_degrades_without_labels(
    simulated: pd.DataFrame, model_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "no_labels.jsonl"
    simulated.head(300).drop(columns=["is_counterfeit"]).to_json(
        path, orient="records", lines=True, date_format="iso"
    )
    result = runner.invoke(
        app, ["evaluate", str(path), "--model", str(model_dir), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "No labels" in result.stderr and "scores" in result.stderr
    doc = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert doc["status"] == "scores" and sum(doc["decision_counts"].values()) == 300
    assert (tmp_path / "r" / "score_distribution.png").is_file()


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["evaluate", "{missing}"], 1, "no such file"),
        (["evaluate", "{good}", "--baseline", "nope"], 2, "use none, keywords or a model"),
        (["evaluate", "{good}", "--review-capacity", "-1"], 2, "capacities"),
        (["evaluate", "{good}", "--model", "{tmp}"], 1, "card.json"),
        (["evaluate", "{good}", "--columns", "nope"], 2, "neither a mapping file"),
        (["evaluate", "{bad}"], 1, "required column"),
    ],
)
def test_evaluate_errors_are_one_line(
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
    out = ["--out", str(tmp_path / "report")]
    result = runner.invoke(app, [a.format(**names) for a in args] + out)
    assert result.exit_code == code, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0
    assert not (tmp_path / "report" / "metrics.json").exists()
