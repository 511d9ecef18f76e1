"""Tests of feedback logs -> labels (``cfdetect labels``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import InputError, UsageError
from cfdetect.feedback import join_labels

T0 = pd.Timestamp("2025-03-01T00:00:00Z")


def at(hours: float) -> str:
    return (T0 + pd.Timedelta(hours=hours)).isoformat()


LISTINGS = pd.DataFrame(
    {
        "listing_id": ["a", "b", "c", "d", "e"],
        "decision": ["block", "review", "allow", "review", "block"],
    }
)


def reviews(*rows: tuple[str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"listing_id": i, "verdict_time": at(h), "verdict": v, "reviewer": "r1"}
            for i, h, v in rows
        ]
    )


def appeals(*rows: tuple[str, float, str]) -> pd.DataFrame:
    return pd.DataFrame([{"listing_id": i, "appeal_time": at(h), "outcome": o} for i, h, o in rows])


def notices(*rows: tuple[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"listing_id": i, "notice_time": at(h), "rights_holder": "X"} for i, h in rows]
    )


def label_of(out: pd.DataFrame, listing: str) -> tuple[object, object]:
    row = out.set_index("listing_id").loc[listing]
    value = row["is_counterfeit"]
    return (None if pd.isna(value) else int(value)), row["label_source"]


def test_upheld_appeal_after_block_is_genuine() -> None:
    out, summary = join_labels(LISTINGS, appeals=appeals(("a", 5, "upheld"), ("e", 6, "rejected")))
    assert label_of(out, "a") == (0, "appeal_upheld")
    assert label_of(out, "e") == (1, "appeal_rejected")
    assert summary.labelled == 2
    # an upheld appeal after an infringing verdict overrides it
    out, _ = join_labels(
        LISTINGS, reviews=reviews(("b", 1, "infringing")), appeals=appeals(("b", 30, "upheld"))
    )
    assert label_of(out, "b") == (0, "appeal_upheld")


def test_notice_before_review_verdict_the_verdict_wins() -> None:
    out, _ = join_labels(LISTINGS, reviews=reviews(("c", 10, "genuine")), notices=notices(("c", 2)))
    assert label_of(out, "c") == (0, "review")
    # a notice after a genuine verdict makes it infringing
    out, _ = join_labels(LISTINGS, reviews=reviews(("c", 1, "genuine")), notices=notices(("c", 2)))
    assert label_of(out, "c") == (1, "notice")


def test_duplicate_and_later_verdicts() -> None:
    logs = reviews(
        ("b", 1, "genuine"),
        ("b", 3, "infringing"),
        ("b", 3, "infringing"),  # exported twice
        ("d", 4, "genuine"),
        ("d", 4, "infringing"),  # two reviewers disagree at the same time
    )
    out, summary = join_labels(LISTINGS, reviews=logs)
    assert label_of(out, "b") == (1, "review")
    assert label_of(out, "d") == (None, "conflict")
    assert summary.duplicates == 1 and summary.conflicts == 1
    assert out.set_index("listing_id").loc["b", "label_events"] == 2
    assert label_of(out, "c") == (None, None) or pd.isna(label_of(out, "c")[1])


def test_same_time_tie_goes_to_the_appeal() -> None:
    out, _ = join_labels(
        LISTINGS, reviews=reviews(("a", 5, "infringing")), appeals=appeals(("a", 5, "upheld"))
    )
    assert label_of(out, "a") == (0, "appeal_upheld")


def test_as_of_cut() -> None:
    logs = reviews(("b", 1, "genuine"), ("b", 48, "infringing"))
    out, summary = join_labels(LISTINGS, reviews=logs, notices=notices(("c", 30)), as_of=at(24))
    assert label_of(out, "b") == (0, "review")
    assert pd.isna(out.set_index("listing_id").loc["c", "is_counterfeit"])
    assert summary.after_as_of == 2
    out, _ = join_labels(LISTINGS, reviews=logs, as_of=at(48))
    assert label_of(out, "b") == (1, "review")
    assert out.set_index("listing_id").loc["b", "label_time"] == T0 + pd.Timedelta(hours=48)


def test_bad_logs() -> None:
    with pytest.raises(InputError, match="verdict"):
        join_labels(LISTINGS, reviews=reviews(("a", 1, "maybe")))
    with pytest.raises(InputError, match="appeal_time"):
        join_labels(LISTINGS, appeals=pd.DataFrame({"listing_id": ["a"], "outcome": ["upheld"]}))
    with pytest.raises(UsageError):
        join_labels(LISTINGS, reviews=reviews(("a", 1, "genuine")), as_of="not a time")


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_cli_labels(tmp_path: Path, suffix: str) -> None:
    scored = tmp_path / "scored.csv"
    LISTINGS.to_csv(scored, index=False)
    paths = {}
    for name, frame in (
        ("reviews", reviews(("b", 1, "infringing"))),
        ("appeals", appeals(("a", 2, "upheld"))),
        ("notices", notices(("c", 3))),
    ):
        paths[name] = tmp_path / f"{name}.{suffix}"
        if suffix == "csv":
            frame.to_csv(paths[name], index=False)
        elif suffix == "jsonl":
            frame.to_json(paths[name], orient="records", lines=True)
        else:
            frame.to_parquet(paths[name])
    out = tmp_path / "labelled.parquet"
    result = CliRunner().invoke(
        app,
        ["labels", str(scored), "-o", str(out), "--reviews", str(paths["reviews"]),
         "--appeals", str(paths["appeals"]), "--notices", str(paths["notices"])],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    labelled = pd.read_parquet(out).set_index("listing_id")
    assert labelled["is_counterfeit"].tolist()[:3] == [0, 1, 1]
    assert labelled["label_source"].tolist()[:3] == ["appeal_upheld", "review", "notice"]


def test_cli_labels_errors(tmp_path: Path) -> None:
    scored = tmp_path / "scored.csv"
    LISTINGS.to_csv(scored, index=False)
    result = CliRunner().invoke(app, ["labels", str(scored), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    bad = tmp_path / "r.csv"
    bad.write_text("listing_id,verdict_time\na,2025-01-01\n")
    result = CliRunner().invoke(
        app, ["labels", str(scored), "-o", str(tmp_path / "o.csv"), "--reviews", str(bad)]
    )
    assert result.exit_code == 1


def test_unappealed_blocks_count_as_infringing() -> None:
    listings = LISTINGS.assign(created_at=[at(0)] * 5)
    out, _ = join_labels(
        listings, appeals=appeals(("a", 30, "upheld")), unappealed_blocks="3D", as_of=at(24 * 4)
    )
    assert label_of(out, "a") == (0, "appeal_upheld")  # appealed: the appeal decides
    assert label_of(out, "e") == (1, "block_unappealed")
    assert pd.isna(out.set_index("listing_id").loc["b", "label_source"])  # not blocked
    early, _ = join_labels(listings, appeals=appeals(("a", 30, "upheld")),
                           unappealed_blocks="3D", as_of=at(24))  # fmt: skip
    assert pd.isna(early.set_index("listing_id").loc["e", "is_counterfeit"])  # window not over
    with pytest.raises(InputError, match="created_at"):
        join_labels(LISTINGS, appeals=appeals(("a", 1, "upheld")), unappealed_blocks="3D")
