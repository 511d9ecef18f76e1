"""The Scorer: the fast single-listing path equals the frame path; errors; reasons; CLI."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import InvalidListing
from cfdetect.scorer import Scorer, format_reasons
from cfdetect.validate import iter_valid_chunks

runner = CliRunner()


@pytest.fixture(scope="module")
def scorer(model_dir: Path) -> Scorer:
    return Scorer.load(model_dir)


@pytest.fixture(scope="module")
def listings(simulated: pd.DataFrame) -> list[dict[str, Any]]:
    rows = simulated.tail(400).drop(columns=["is_counterfeit"])
    return rows.astype(object).where(rows.notna(), None).to_dict("records")


def test_fast_path_equals_frame_path(
    scorer: Scorer, simulated: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "tail.csv"
    simulated.tail(400).to_csv(path, index=False)
    frame = pd.concat(list(iter_valid_chunks(path)), ignore_index=True)
    batch = scorer.score_frame(frame)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    fast = np.array([scorer.score(r).score for r in records])
    np.testing.assert_allclose(fast, batch["score"].to_numpy(), rtol=0, atol=1e-9)
    assert [scorer.score(r).decision for r in records] == batch["decision"].tolist()


def test_records_from_plain_dicts(scorer: Scorer, listings: list[dict[str, Any]]) -> None:
    results = list(scorer.score_records(listings[:20]))
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert {r.decision for r in results} <= {"block", "review", "allow"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"price": "free"}, "price"),
        ({"price": -3}, "price"),
        ({"price": float("nan")}, "price"),
        ({"seller_id": None}, "seller_id"),
        ({"seller_rating": 9}, "seller_rating"),
        ({"created_at": "03/04/2025"}, "created_at"),
        ({"currency": "XXX"}, "currency"),
        ({"title": ["not", "text"]}, "title"),
    ],
)
def test_invalid_listing_names_the_field(
    scorer: Scorer, listings: list[dict[str, Any]], change: dict[str, Any], field: str
) -> None:
    listing = {**listings[0], **change}
    with pytest.raises(InvalidListing) as info:
        scorer.score(listing)
    assert info.value.field == field and isinstance(info.value, ValueError)


def test_obvious_fake_is_flagged_with_faithful_reasons(scorer: Scorer) -> None:
    result = scorer.score(
        {
            "listing_id": "x",
            "title": "Rolex Submariner AAA 1:1 super clone replica",
            "price": 95,
            "seller_id": "fresh_account",
            "seller_age_days": 2,
            "seller_n_takedowns": 3,
            "seller_n_listings": 40,
        }
    )
    assert result.decision in ("block", "review")
    scored = [r for r in result.reasons if r.code != "unfamiliar"]  # the policy's notes
    assert scored and all(r.weight > 0 for r in scored)
    weights = [r.weight for r in scored]
    assert weights == sorted(weights, reverse=True)


def test_thread_safe(scorer: Scorer, listings: list[dict[str, Any]]) -> None:
    sequential = [scorer.score(r).score for r in listings[:100]]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda r: scorer.score(r).score, listings[:100]))
    assert parallel == sequential


def test_threshold_overrides(model_dir: Path) -> None:
    strict = Scorer.load(model_dir, block_threshold=1.01, review_threshold=1.01)
    assert strict.decide(0.99) == "allow"


def test_score_command_accounts_for_every_row(
    model_dir: Path, simulated: pd.DataFrame, tmp_path: Path
) -> None:
    data = simulated.head(300).copy()
    data = data.astype({"title": object, "price": object})
    data.loc[5, "title"] = ""
    data.loc[6, "price"] = "ask"
    source = tmp_path / "in.csv"
    data.to_csv(source, index=False)
    out, rejects = tmp_path / "out.csv", tmp_path / "rejects.csv"
    args = ["score", str(source), "-o", str(out), "--model", str(model_dir),
            "--rejects", str(rejects), "--chunk-size", "64"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    scored, rejected = pd.read_csv(out), pd.read_csv(rejects)
    assert len(scored) + len(rejected) == 300
    assert list(scored.columns[:4]) == ["listing_id", "score", "decision", "reasons"]
    assert "tactic" in scored.columns  # extra input columns are carried through
    assert scored["listing_id"].tolist() == [
        i for i in data["listing_id"] if i not in set(rejected["listing_id"])
    ]
    assert "rows read" in result.stderr and result.stdout == ""


def test_parallel_jobs_give_the_same_output(
    model_dir: Path, simulated: pd.DataFrame, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    simulated.head(400).to_csv(source, index=False)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.csv"
        args = ["score", str(source), "-o", str(out), "--model", str(model_dir),
                "--jobs", jobs, "--chunk-size", "50"]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_explain_command(model_dir: Path) -> None:
    listing = {"listing_id": "e1", "title": "Gucc1 Marmont bag AAA", "price": 60, "seller_id": "s"}
    result = runner.invoke(app, ["explain", json.dumps(listing), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "decision" in result.stdout and "score" in result.stdout


@pytest.mark.parametrize(
    ("arg", "fragment"), [('{"title": "x"}', "invalid listing"), ("{not json", "not valid JSON")]
)
def test_explain_errors(model_dir: Path, arg: str, fragment: str) -> None:
    result = runner.invoke(app, ["explain", arg, "--model", str(model_dir)])
    assert result.exit_code == 2 and fragment in result.stderr


def test_score_with_tampered_model_fails_cleanly(
    model_dir: Path, tmp_path: Path, simulated: pd.DataFrame
) -> None:
    copy = tmp_path / "bad"
    copy.mkdir()
    for name in ("model.joblib", "card.json"):
        (copy / name).write_bytes((model_dir / name).read_bytes())
    (copy / "model.joblib").write_bytes(b"tampered")
    source = tmp_path / "in.csv"
    simulated.head(5).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(source), "-o", str(out), "--model", str(copy)])
    assert result.exit_code == 1 and "differs from the card" in result.stderr
    assert not out.exists()


@pytest.fixture(scope="module")
def tail_frame(simulated: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("tail") / "tail.csv"
    simulated.tail(400).to_csv(path, index=False)
    return pd.concat(list(iter_valid_chunks(path)), ignore_index=True)


@pytest.mark.parametrize("explain", [True, "all", False])
def test_explain_modes_agree_between_paths(
    scorer: Scorer, tail_frame: pd.DataFrame, explain: bool | str
) -> None:
    batch = scorer.score_frame(tail_frame, explain=explain)
    records = tail_frame.astype(object).where(tail_frame.notna(), None).to_dict("records")
    fast = [scorer.score(r, explain=explain) for r in records]
    assert [format_reasons(r.reasons) for r in fast] == batch["reasons"].tolist()
    everything = scorer.score_frame(tail_frame, explain="all")
    # scores and decisions do not depend on which rows are explained, to the bit
    assert batch["score"].tolist() == everything["score"].tolist() == [r.score for r in fast]
    flagged = (batch["decision"] != "allow").to_numpy()
    assert flagged.any() and (~flagged).any()
    if explain is False:
        assert (batch["reasons"] == "").all()
    else:  # a flagged row's reasons are the same whichever rows are explained
        assert batch["reasons"][flagged].tolist() == everything["reasons"][flagged].tolist()
    if explain is True:
        assert (batch["reasons"][~flagged] == "").all()
        assert (everything["reasons"][~flagged] != "").any()


@pytest.mark.parametrize("explain", ["flagged", None, 1])
def test_explain_rejects_unknown_modes(
    scorer: Scorer, listings: list[dict[str, Any]], explain: object
) -> None:
    with pytest.raises(ValueError, match="explain must be"):
        scorer.score(listings[0], explain=explain)  # type: ignore[arg-type]


@pytest.mark.parametrize(("flag", "allowed_explained"), [([], False), (["--explain-all"], True)])
def test_score_command_explains_flagged_rows_or_all(
    model_dir: Path,
    simulated: pd.DataFrame,
    tmp_path: Path,
    flag: list[str],
    allowed_explained: bool,
) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    simulated.tail(300).to_csv(source, index=False)
    args = ["score", str(source), "-o", str(out), "--model", str(model_dir), *flag]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, keep_default_na=False)
    allowed = scored["decision"] == "allow"
    assert (scored.loc[~allowed, "reasons"] != "").all()
    assert (scored.loc[allowed, "reasons"] != "").any() == allowed_explained


def _raw_listing() -> dict[str, Any]:
    return {
        "listing_id": "r1",
        "title": "Rolex Submariner AAA 1:1 replica watch",
        "price": "US $95",
        "seller_id": "s1",
        "currency": "USD",
        "ships_from": "Shenzhen, China",
        "seller_age_days": "12",
    }


def test_score_frame_validates_a_raw_frame_first(scorer: Scorer) -> None:
    """``price="US $95"`` scores as 95.0 does (issue 21: it was read as a missing value)."""
    raw = pd.DataFrame([_raw_listing()])
    typed = pd.DataFrame([{**_raw_listing(), "price": 95.0, "seller_age_days": 12}])
    as_text, as_number = scorer.score_frame(raw), scorer.score_frame(typed)
    assert as_text["score"].tolist() == as_number["score"].tolist()
    assert as_text["decision"].tolist() == as_number["decision"].tolist()
    np.testing.assert_allclose(
        as_text["score"].to_numpy(), [scorer.score(_raw_listing()).score], rtol=0, atol=1e-9
    )


def test_score_frame_raises_invalid_listing_naming_row_and_field(scorer: Scorer) -> None:
    from cfdetect.errors import InvalidListing

    rows = [_raw_listing(), {**_raw_listing(), "listing_id": "r2", "price": "ninety-five"}]
    with pytest.raises(InvalidListing, match="row 2: price") as caught:
        scorer.score_frame(pd.DataFrame(rows))
    assert caught.value.row == 2 and caught.value.field == "price"
    with pytest.raises(InvalidListing, match="ships_from"):
        scorer.score_frame(pd.DataFrame([{**_raw_listing(), "ships_from": "ZZ"}]))


def test_validate_frame_is_public_and_its_rows_score(scorer: Scorer) -> None:
    import cfdetect

    rows = [_raw_listing(), {**_raw_listing(), "listing_id": "r2", "price": "ninety-five"}]
    result = cfdetect.validate_frame(pd.DataFrame(rows))
    assert result.rejects[["row_number", "field"]].values.tolist() == [[2, "price"]]
    scored = scorer.score_frame(result.rows)
    assert scored["listing_id"].tolist() == ["r1"]
    assert scored["score"].tolist() == scorer.score_frame(pd.DataFrame(rows[:1]))["score"].tolist()


@pytest.mark.parametrize(
    ("field", "text"),
    [("seller_age_days", "161.894"), ("seller_rating", "4.875"), ("quantity", "1.000")],
)
def test_parse_record_reads_plain_decimals_as_validation_does(field: str, text: str) -> None:
    """``score`` (parse_record) and ``score_frame`` / the CLI (Validator) read the same value:
    "161.894" days was 161,894 in one and 161.894 in the other (found by the service's tests)."""
    from cfdetect.schema import Validator, parse_record

    listing = {"listing_id": "a", "title": "Rolex", "price": "5", "seller_id": "s", field: text}
    one = parse_record(listing)[field]
    frame = Validator().validate(pd.DataFrame([listing])).rows[field]
    assert one == float(frame.iloc[0]) == float(text)
