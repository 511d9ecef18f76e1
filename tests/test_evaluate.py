"""Evaluation engine: every figure against a hand computation on a tiny designed timeline.

The fixture: 14 listings over three days (2025-03-01..03), times in hours from 03-01 00:00 UTC.
Review and notice teams each finish 2 items a day (one every 12 h); the replay runs half a day
(12 h) past the last submission (60 h), so the period ends at 72 h.

 id  seller brand cat     fake decision score created first_sale reported
 L01 S1     A     watches 1    block    0.95    0      5          20
 L02 S2     A     watches 0    block    0.92    1      -          -
 L03 S3     A     bags    1    review   0.80    2     14          40
 L04 S3     B     bags    1    review   0.70    3     10          -
 L05 S4     B     watches 0    review   0.65    4      -          -
 L06 S5     A     watches 1    review   0.60    5      -          30
 L07 S5     B     bags    1    allow    0.40    6      8          24
 L08 S6     A     bags    1    allow    0.30   26      -          36
 L09 S4     B     watches 0    allow    0.35   28      -          40
 L10 S6     B     watches 1    allow    0.20   50     80          -
 L11 S1     A     bags    1    block    0.90   52      -          64
 L12 S2     B     bags    0    allow    0.10   60      -          -
 L13 S5     A     watches 1    review   0.75   50      -          55
 L14 S6     B     bags    1    review   0.62   51     70          -

Hand replay (model decisions):
 review queue, FIFO by submission: L03 2->14, L04 max(3,14)+12=26, L05 max(4,26)+12=38,
   L06 max(5,38)+12=50, L13 max(50,50)+12=62, L14 max(51,62)+12=74 > 72: unfinished, stays live.
 reports while live: L07 24, L06 30 (review at 50 is later), L08 36, L09 40 (genuine),
   L13 55 (review at 62 is later). L01, L11 blocked and L03 removed at 14 < 40: no notice.
 notice queue: L07 24->36, L06 max(30,36)+12=48, L08 max(36,48)+12=60, L09 max(40,60)+12=72,
   L13 max(55,72)+12=84 > 72: unhandled.
 removals: L01 block 0, L02 block 1, L11 block 52, L03 review 14, L04 review 26,
   L06 notice 48 (before its review at 50), L07 notice 36, L08 notice 60,
   L13 review 62 (after its notice at 55: not proactive); L09 genuine notice declined.
 sales: L03 at 14 = its removal at 14 -> removal wins, not sold; L04 10 < 26 sold;
   L07 8 < 36 sold; L10 at 80 > 72 not in the period; L14 70 <= 72, never removed: sold.
Baseline "none" (everything allowed): notices L01 20, L07 24, L06 30, L08 36, L03 40, L09 40,
 L13 55, L11 64 = 8.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfdetect.errors import InputError, UsageError
from cfdetect.evaluate import (
    EvaluationResult,
    Rate,
    evaluate_file,
    evaluate_scored,
    keyword_baseline,
    replay,
    wilson_interval,
    write_report,
)
from cfdetect.evaluate._replay import fifo_completion
from cfdetect.scorer import Scorer

T0 = pd.Timestamp("2025-03-01", tz="UTC")
DESIGN_KEYS = [
    "proactive_recall", "prepublication_catch_rate", "removed_before_first_sale", "notices",
    "notices_baseline", "notices_change", "notices_handled_24h", "wrongly_blocked_rate",
    "genuine_sellers_affected", "pr_auc", "recall_at_98_precision", "precision_at_capacity",
    "brier", "ece", "per_brand", "per_category",
]  # fmt: skip
ROWS = [
    # id, seller, brand, category, fake, decision, score, created, first_sale, reported (hours)
    ("L01", "S1", "A", "watches", 1, "block", 0.95, 0, 5, 20),
    ("L02", "S2", "A", "watches", 0, "block", 0.92, 1, None, None),
    ("L03", "S3", "A", "bags", 1, "review", 0.80, 2, 14, 40),
    ("L04", "S3", "B", "bags", 1, "review", 0.70, 3, 10, None),
    ("L05", "S4", "B", "watches", 0, "review", 0.65, 4, None, None),
    ("L06", "S5", "A", "watches", 1, "review", 0.60, 5, None, 30),
    ("L07", "S5", "B", "bags", 1, "allow", 0.40, 6, 8, 24),
    ("L08", "S6", "A", "bags", 1, "allow", 0.30, 26, None, 36),
    ("L09", "S4", "B", "watches", 0, "allow", 0.35, 28, None, 40),
    ("L10", "S6", "B", "watches", 1, "allow", 0.20, 50, 80, None),
    ("L11", "S1", "A", "bags", 1, "block", 0.90, 52, None, 64),
    ("L12", "S2", "B", "bags", 0, "allow", 0.10, 60, None, None),
    ("L13", "S5", "A", "watches", 1, "review", 0.75, 50, None, 55),
    ("L14", "S6", "B", "bags", 1, "review", 0.62, 51, 70, None),
]
CAPACITY = {"review_capacity": 2, "notice_capacity": 2, "horizon_days": 0.5}


def hours(h: float | None) -> pd.Timestamp:
    return pd.NaT if h is None else T0 + pd.Timedelta(hours=h)


def fixture_frame() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    frame = pd.DataFrame(
        {
            "listing_id": [r[0] for r in ROWS],
            "seller_id": [r[1] for r in ROWS],
            "brand": [r[2] for r in ROWS],
            "category": [r[3] for r in ROWS],
            "registered": [r[2] == "A" for r in ROWS],
            "is_counterfeit": [r[4] for r in ROWS],
            "created_at": pd.Series([hours(r[7]) for r in ROWS], dtype="datetime64[us, UTC]"),
            "first_sale_at": pd.Series([hours(r[8]) for r in ROWS], dtype="datetime64[us, UTC]"),
            "reported_at": pd.Series([hours(r[9]) for r in ROWS], dtype="datetime64[us, UTC]"),
            "title": ["Rolex watch"] * len(ROWS),
        }
    )
    decisions = np.array([r[5] for r in ROWS], dtype=object)
    scores = np.array([r[6] for r in ROWS])
    return frame, scores, decisions


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    frame, scores, decisions = fixture_frame()
    return evaluate_scored(frame, scores, decisions, **CAPACITY)


def check(rate: Rate, numerator: int, denominator: int) -> None:
    assert (rate.numerator, rate.denominator) == (numerator, denominator)
    assert rate.value == pytest.approx(numerator / denominator)
    low, high = wilson_interval(numerator, denominator)
    assert (rate.low, rate.high) == pytest.approx((low, high))


# ---------------------------------------------------------------- statistics


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # published Wilson 95% bounds
        (1, 10, 0.0179, 0.4042),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_known_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got is not None
    assert got == pytest.approx((low, high), abs=6e-5)


def test_rate_with_zero_denominator_has_no_value() -> None:
    rate = Rate.of("x", 0, 0, "x ÷ nothing")
    assert rate.value is None and rate.low is None
    assert rate.text() == "n/a (0 of 0)"
    assert rate.to_dict()["value"] is None
    assert wilson_interval(0, 0) is None


# ---------------------------------------------------------------- queue model


def test_fifo_queue_completion_times() -> None:
    # service 12 h = 43200 s: a burst queues up, an idle server starts at the next arrival
    arrivals = np.array([0.0, 3600.0, 7200.0, 200_000.0, 200_000.0])
    expected = [43200.0, 86400.0, 129600.0, 243200.0, 286400.0]
    assert fifo_completion(arrivals, 2).tolist() == expected
    assert np.isinf(fifo_completion(arrivals, 0)).all()  # nobody working: never finished


def test_fifo_queue_matches_a_loop() -> None:
    rng = np.random.default_rng(3)
    arrivals = np.sort(rng.uniform(0, 10 * 86400, 500))
    service = 86400 / 37
    done, free = [], 0.0
    for a in arrivals:
        free = max(a, free) + service
        done.append(free)
    assert fifo_completion(arrivals, 37) == pytest.approx(done)


# ---------------------------------------------------------------- replay


def test_replay_outcomes_by_hand() -> None:
    frame, _, decisions = fixture_frame()
    out = replay(frame, decisions, review_capacity=2, notice_capacity=2, horizon_days=0.5)
    out = out.set_index("listing_id")
    removed_by = {
        "L01": "block", "L02": "block", "L03": "review", "L04": "review", "L05": None,
        "L06": "notice", "L07": "notice", "L08": "notice", "L09": None, "L10": None,
        "L11": "block", "L12": None, "L13": "review", "L14": None,
    }  # fmt: skip
    assert {k: None if pd.isna(v) else v for k, v in out["removed_by"].items()} == removed_by
    removed_at = {"L01": 0, "L02": 1, "L03": 14, "L04": 26, "L06": 48, "L07": 36, "L08": 60,
                  "L11": 52, "L13": 62}  # fmt: skip
    for listing, h in removed_at.items():
        assert out.loc[listing, "removed_at"] == hours(h), listing
    assert out["removed_at"].isna().sum() == 5  # L05, L09, L10, L12, L14 never removed
    reviewed_at = {"L03": 14, "L04": 26, "L05": 38, "L06": 50, "L13": 62}  # L14 at 74 > 72
    assert out["reviewed_at"].dropna().to_dict() == {k: hours(h) for k, h in reviewed_at.items()}
    assert sorted(out.index[out["sold_before_removal"]]) == ["L04", "L07", "L14"]
    notice_at = {"L06": 30, "L07": 24, "L08": 36, "L09": 40, "L13": 55}
    assert out["notice_at"].dropna().to_dict() == {k: hours(h) for k, h in notice_at.items()}
    handled = {"L06": 48, "L07": 36, "L08": 60, "L09": 72}  # L13 at 84 > 72: unhandled
    assert out["notice_handled_at"].dropna().to_dict() == {k: hours(h) for k, h in handled.items()}
    assert out["published"].sum() == 11  # all but the three blocked
    assert out.attrs["period_end"] == hours(72)


def test_replay_without_reviewers_leaves_reviewed_listings_live() -> None:
    frame, _, decisions = fixture_frame()
    out = replay(frame, decisions, review_capacity=0, notice_capacity=2, horizon_days=0.5)
    reviewed = decisions == "review"
    assert out.loc[reviewed, "reviewed_at"].isna().all()
    assert not (out["removed_by"] == "review").any()


def test_replay_says_which_columns_it_needs() -> None:
    frame, _, decisions = fixture_frame()
    with pytest.raises(InputError, match="first_sale_at, reported_at"):
        replay(frame.drop(columns=["first_sale_at", "reported_at"]), decisions,
               review_capacity=1, notice_capacity=1)  # fmt: skip


# ---------------------------------------------------------------- every figure by hand


def test_replay_figures_by_hand(result: EvaluationResult) -> None:
    f = result.figures
    assert result.status == "full"
    # proactive takedowns: L01, L11 (block), L03, L04 (review, no notice) = 4 of 10 infringing
    check(f["proactive_recall"], 4, 10)
    # blocked infringing: L01, L11 = 2 of 10 infringing
    check(f["prepublication_catch_rate"], 2, 10)
    # of the 4 proactive takedowns, L04 sold at 10 h before its review at 26 h: 3 of 4
    check(f["removed_before_first_sale"], 3, 4)
    # notices: L06, L07, L08, L09, L13 with the model; 8 with no screening
    assert result["notices"] == 5 and result["notices_baseline"] == 8
    change = f["notices_change"]
    assert (change.numerator, change.denominator) == (5, 8)
    assert change.value == pytest.approx(5 / 8 - 1)  # -37.5%
    # interval: Wilson bounds p of 5 out of 5 + 8 mapped through p / (1 - p) - 1
    p_low, p_high = wilson_interval(5, 13)
    assert change.low == pytest.approx(p_low / (1 - p_low) - 1)
    assert change.high == pytest.approx(p_high / (1 - p_high) - 1)
    # handled within 24 h: L07 (12 h), L06 (18 h), L08 (exactly 24 h); not L09 (32 h), L13 (never)
    check(f["notices_handled_24h"], 3, 5)
    # infringing sold before removal: L04, L07, L14 = 3 of 10
    check(f["infringing_sold"], 3, 10)
    counts = result.counts
    assert counts["removed_by_block"] == 2 and counts["removed_by_review"] == 3  # L03 L04 L13
    assert counts["removed_by_notice"] == 3  # L06, L07, L08
    assert counts["infringing_never_removed"] == 2  # L10, L14
    assert counts["reviews_unfinished"] == 1 and counts["notices_unhandled"] == 1
    assert counts["notices_genuine"] == 1  # L09
    assert any("review queue did not keep up: 1 of 6" in note for note in result.notes)


def test_classification_figures_by_hand(result: EvaluationResult) -> None:
    f = result.figures
    # genuine: L02, L05, L09, L12; blocked genuine: L02 = 1 of 4
    check(f["wrongly_blocked_rate"], 1, 4)
    # sellers with a genuine listing: S2, S4; with one blocked: S2 = 1 of 2
    check(f["genuine_sellers_affected"], 1, 2)
    # genuine sent to review: L05 = 1 of 4; share of the 6 reviewed that is genuine: 1 of 6
    check(f["genuine_reviewed_rate"], 1, 4)
    check(f["review_queue_genuine_share"], 1, 6)
    # infringing blocked or reviewed: L01 L11 L03 L04 L06 L13 L14 = 7 of 10
    check(f["flagged_recall"], 7, 10)
    # ranked by score, infringing at ranks 1,3,4,5,6,8,9,10,12,13 (genuine at 2,7,11,14):
    # AP = mean precision at each infringing listing's rank
    ap = (1 + 2 / 3 + 3 / 4 + 4 / 5 + 5 / 6 + 6 / 8 + 7 / 9 + 8 / 10 + 9 / 12 + 10 / 13) / 10
    assert f["pr_auc"].value == pytest.approx(ap)  # 0.78970...
    assert f["pr_auc"].denominator == 10
    assert f["pr_auc"].low < ap < f["pr_auc"].high
    # only the top listing (L01) keeps precision >= 98% (and >= 95%): recall 1 of 10
    check(f["recall_at_98_precision"], 1, 10)
    check(f["recall_at_95_precision"], 1, 10)
    # K = 2 reviews/day x 3 days = 6; top 6 = L01 L02 L11 L03 L13 L04: 5 infringing of 6
    check(f["precision_at_capacity"], 5, 6)
    # Brier: sum of (score - label)^2 = 3.4008 over 14 listings
    assert f["brier"].value == pytest.approx(3.4008 / 14)
    assert f["brier"].numerator == pytest.approx(3.4008)
    # ECE, 10 bins: |sum score - sum label| per bin: bin9 |2.77-2|, bin8 |.8-1|, bin7 |1.45-2|,
    # bin6 |1.87-2|, bin4 |.4-1|, bin3 |.65-1|, bin2 |.2-1|, bin1 |.1-0| -> 3.5 / 14
    assert f["ece"].value == pytest.approx(3.5 / 14)


def test_group_tables_by_hand(result: EvaluationResult) -> None:
    brand = result.tables["per_brand"].set_index("brand")
    # A: L01 L02 L03 L06 L08 L11 L13; B: L04 L05 L07 L09 L10 L12 L14
    assert brand.loc["A", ["rows", "infringing", "genuine", "blocked", "reviewed"]].tolist() == [
        7, 6, 1, 3, 3,
    ]  # fmt: skip
    assert brand.loc["B", ["rows", "infringing", "genuine", "blocked", "reviewed"]].tolist() == [
        7, 4, 3, 0, 3,
    ]  # fmt: skip
    assert brand.loc["A", "flagged_recall"] == pytest.approx(5 / 6)  # L01 L03 L06 L11 L13
    assert brand.loc["B", "flagged_recall"] == pytest.approx(2 / 4)  # L04 L14
    assert brand.loc["A", "proactive_recall"] == pytest.approx(3 / 6)  # L01 L03 L11
    assert brand.loc["B", "proactive_recall"] == pytest.approx(1 / 4)  # L04
    assert brand.loc["A", "wrongly_blocked"] == 1.0  # L02 of 1 genuine
    assert brand.loc["B", "wrongly_blocked"] == 0.0  # 0 of 3 genuine
    # A ranked: .95+ .92- .90+ .80+ .75+ .60+ .30+ ; B: .70+ .65- .62+ .40+ .35- .20+ .10-
    assert brand.loc["A", "pr_auc"] == pytest.approx(
        (1 + 2 / 3 + 3 / 4 + 4 / 5 + 5 / 6 + 6 / 7) / 6
    )
    assert brand.loc["B", "pr_auc"] == pytest.approx((1 + 2 / 3 + 3 / 4 + 4 / 6) / 4)
    category = result.tables["per_category"].set_index("category")
    # watches: L01 L02 L05 L06 L09 L10 L13; bags: L03 L04 L07 L08 L11 L12 L14
    assert category.loc["watches", ["infringing", "blocked", "reviewed"]].tolist() == [4, 2, 3]
    assert category.loc["watches", "flagged_recall"] == pytest.approx(3 / 4)  # L01 L06 L13
    assert category.loc["watches", "proactive_recall"] == pytest.approx(1 / 4)  # L01
    assert category.loc["watches", "wrongly_blocked"] == pytest.approx(1 / 3)  # L02 of 3
    assert category.loc["bags", "flagged_recall"] == pytest.approx(4 / 6)  # L03 L04 L11 L14
    assert category.loc["bags", "proactive_recall"] == pytest.approx(3 / 6)  # L03 L04 L11
    registered = result.tables["per_registered"].set_index("registered")
    # brand A is registered, B is not: same rows as the brand table
    assert registered.loc["registered", "proactive_recall"] == pytest.approx(3 / 6)
    assert registered.loc["unregistered", "proactive_recall"] == pytest.approx(1 / 4)


def test_headline_puts_omitted_figures_next_to_statements(result: EvaluationResult) -> None:
    head = result.headline()
    statement, omitted = head["statement"], head["omitted"]
    assert statement[0].startswith("75.0% of proactive takedowns were removed before a single sale")
    assert "(3 of 4 caught listings — conditional on being caught)" in statement[0]
    assert statement[1].startswith("60.0% of takedown notices were handled within 24 hours")
    assert statement[2].startswith("Takedown notices declined 37.5% against baseline none")
    assert "(5 with the model vs 8 with the baseline)" in statement[2]
    # the pre-publication catch rate keeps ALL infringing listings as its denominator
    assert statement[3].startswith("20.0% of infringing listings were blocked before publication")
    assert "(2 of ALL 10 infringing listings)" in statement[3]
    # the share of takedowns that were proactive: L01 L11 L03 L04 of the 8 taken down (those
    # plus L06 L07 L08 by notice and L13, reviewed after its notice)
    assert statement[4].startswith("50.0% of takedowns were proactive")
    assert "(4 of 8 infringing listings taken down in the period)" in statement[4]
    assert omitted[0].startswith("But: proactive recall is 40.0% — 4 of ALL 10 infringing")
    assert "25.0% (1 of 4 genuine listings; 1 seller affected)" in omitted[1]
    assert omitted[2].startswith("Infringing listings that sold before removal: 30.0% (3 of ALL")


def test_proactive_share_of_takedowns_by_hand(result: EvaluationResult) -> None:
    check(result.figures["proactive_share_of_takedowns"], 4, 8)
    doc = result.to_dict()
    assert doc["proactive_share_of_takedowns"]["numerator"] == 4
    assert doc["proactive_share_of_takedowns"]["denominator"] == 8


def test_weekly_notices_and_survival(result: EvaluationResult) -> None:
    weekly = result.curves["weekly_notices"]
    assert weekly["model"].tolist() == [5] and weekly["baseline"].tolist() == [8]
    # time to removal (h) of the infringing: 0, 0, 12, 12, 23, 30, 34, 43; censored 21 (L14),
    # 22 (L10): survival 8/10, x6/8, x3/4, x2/3, x1/2, x0
    times, survival = result.curves["survival"]["removal"]
    assert (times * 24).round(6).tolist() == [0, 12, 23, 30, 34, 43]
    assert survival.tolist() == pytest.approx([0.8, 0.6, 0.45, 0.3, 0.15, 0.0])


# ---------------------------------------------------------------- baselines and errors


def test_keyword_baseline() -> None:
    titles = ["REPLICA Rolex", "1:1 copy bag", "AAA+ quality", "Gucci inspired belt",
              "fakes lot", "Fakery book", "aaah", "genuine Rolex", None]  # fmt: skip
    got = keyword_baseline(pd.DataFrame({"title": titles})).tolist()
    assert got == ["block"] * 5 + ["allow"] * 4


def test_keyword_baseline_by_name() -> None:
    frame, scores, decisions = fixture_frame()
    frame.loc[frame["listing_id"] == "L07", "title"] = "Replica Rolex"
    res = evaluate_scored(frame, scores, decisions, baseline_name="keywords", **CAPACITY)
    # keywords block L07 only, so its notice at 24 h goes: 8 - 1 = 7 baseline notices
    assert res["notices_baseline"] == 7
    assert res.config["baseline"] == "keywords"


def test_baseline_decisions_from_another_model() -> None:
    frame, scores, decisions = fixture_frame()
    other = np.where(frame["listing_id"].isin(["L06", "L07"]), "block", "allow")
    res = evaluate_scored(
        frame, scores, decisions, baseline_decisions=other, baseline_name="models/old", **CAPACITY
    )
    # the old model blocks L06 and L07, so their notices (30 h, 24 h) go: 8 - 2 = 6
    assert res["notices_baseline"] == 6
    assert res.figures["notices_change"].value == pytest.approx(5 / 6 - 1)
    assert (res.baseline_outcomes["removed_by"] == "block").sum() == 2


def test_registered_as_text() -> None:
    frame, scores, decisions = fixture_frame()
    frame["registered"] = np.where(frame["registered"], "yes", "no")
    res = evaluate_scored(frame, scores, decisions, **CAPACITY)
    table = res.tables["per_registered"].set_index("registered")
    assert table["rows"].to_dict() == {"registered": 7, "unregistered": 7}


def test_bad_inputs_are_one_line_errors() -> None:
    frame, scores, decisions = fixture_frame()
    with pytest.raises(InputError, match="no listings"):
        evaluate_scored(frame.iloc[:0], scores[:0], decisions[:0])
    with pytest.raises(UsageError, match="13 scores for 14 listings"):
        evaluate_scored(frame, scores[:-1], decisions)
    with pytest.raises(InputError, match=r"outside 0\.\.1"):
        evaluate_scored(frame, scores * 2, decisions)
    bad = decisions.copy()
    bad[0] = "delete"
    with pytest.raises(InputError, match="not block/review/allow"):
        evaluate_scored(frame, scores, bad)
    with pytest.raises(UsageError, match="baseline 'models/old'"):
        evaluate_scored(frame, scores, decisions, baseline_name="models/old")


# ---------------------------------------------------------------- degrade


def test_without_timelines_gives_classification_and_names_columns() -> None:
    frame, scores, decisions = fixture_frame()
    res = evaluate_scored(frame.drop(columns=["first_sale_at", "reported_at"]), scores, decisions)
    assert res.status == "classification"
    assert any("first_sale_at, reported_at" in n and "created_at" in n for n in res.notes)
    check(res.figures["wrongly_blocked_rate"], 1, 4)
    assert res.figures["proactive_recall"].value is None
    assert res["notices"] is None
    doc = res.to_dict()
    assert set(DESIGN_KEYS) <= set(doc)
    assert doc["proactive_recall"]["value"] is None and doc["pr_auc"]["value"] is not None
    assert "this data lacks first_sale_at, reported_at" in res.headline()["statement"][0]


def test_without_labels_gives_scores_and_decisions_only() -> None:
    frame, scores, decisions = fixture_frame()
    res = evaluate_scored(frame.drop(columns=["is_counterfeit"]), scores, decisions)
    assert res.status == "scores"
    assert res.decision_counts == {"block": 3, "review": 6, "allow": 5}
    assert any("labels" in n for n in res.notes)
    doc = res.to_dict()
    assert set(DESIGN_KEYS) <= set(doc)
    # median of the 14 scores: the 7th and 8th, (0.62 + 0.65) / 2
    assert doc["score_distribution"]["quantiles"]["q0.5"] == pytest.approx(0.635)
    assert sum(doc["score_distribution"]["histogram"]["all"]) == 14
    assert all(doc[k]["value"] is None for k in ("proactive_recall", "wrongly_blocked_rate"))


def test_missing_submission_times_give_classification_only() -> None:
    frame, scores, decisions = fixture_frame()
    frame.loc[frame["listing_id"].isin(["L03", "L09"]), "created_at"] = pd.NaT
    res = evaluate_scored(frame, scores, decisions, **CAPACITY)
    assert res.status == "classification"
    assert any("created_at is missing in 2 of 14 labelled rows" in n for n in res.notes)
    assert "created_at in some rows" in res.headline()["statement"][0]
    check(res.figures["wrongly_blocked_rate"], 1, 4)
    assert res.figures["proactive_recall"].value is None


def test_rows_without_label_are_left_out() -> None:
    frame, scores, decisions = fixture_frame()
    frame["is_counterfeit"] = frame["is_counterfeit"].astype("Int8")
    frame.loc[frame["listing_id"] == "L12", "is_counterfeit"] = pd.NA
    res = evaluate_scored(frame, scores, decisions, **CAPACITY)
    assert res.counts["listings"] == 13
    assert any("1 rows without a label" in n for n in res.notes)


# ---------------------------------------------------------------- report files


def _no_external(html: str) -> None:
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html, flags=re.IGNORECASE)
    assert refs and all(r.startswith("data:image/png;base64,") for r in refs)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "http://" not in html and "https://" not in html


def test_report_files(result: EvaluationResult, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    files = write_report(result, tmp_path / "out")
    names = set(files)
    assert {"metrics.json", "report.md", "report.html"} <= names
    assert {"pr_curve.png", "calibration.png", "threshold.png", "survival.png",
            "notices_weekly.png", "registered.png"} <= names  # fmt: skip
    for name in names:
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert not list((tmp_path / "out").glob(".*.part"))
    html = (tmp_path / "out" / "report.html").read_text()
    assert "data:image/png;base64" in html
    _no_external(html)
    assert "conditional on being caught" in html and "proactive recall is 40.0%" in html
    md = (tmp_path / "out" / "report.md").read_text()
    assert "![" in md and "(pr_curve.png)" in md and "| A | 7 | 6 |" in md
    doc = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert set(DESIGN_KEYS) <= set(doc)
    assert doc["proactive_recall"] == {
        "value": 0.4, "numerator": 4, "denominator": 10,
        "low": pytest.approx(wilson_interval(4, 10)[0]),
        "high": pytest.approx(wilson_interval(4, 10)[1]),
        "definition": result.figures["proactive_recall"].definition,
    }  # fmt: skip
    assert doc["notices"] == 5 and doc["notices_baseline"] == 8
    assert doc["notices_change"]["numerator"] == 5 and doc["notices_change"]["denominator"] == 8
    assert [row["brand"] for row in doc["per_brand"]] == ["A", "B"]


def test_report_without_matplotlib(
    result: EvaluationResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_matplotlib(_: object) -> list[object]:
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr("cfdetect.evaluate._report.render_plots", no_matplotlib)
    files = write_report(result, tmp_path)
    assert set(files) == {"metrics.json", "report.md", "report.html"}
    assert "matplotlib is not installed" in (tmp_path / "report.md").read_text()
    html = (tmp_path / "report.html").read_text()
    assert "matplotlib is not installed" in html and "<img" not in html


def test_report_for_scores_only(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    frame, scores, decisions = fixture_frame()
    res = evaluate_scored(frame.drop(columns=["is_counterfeit"]), scores, decisions)
    files = write_report(res, tmp_path)
    assert "score_distribution.png" in files and "pr_curve.png" not in files
    assert "No labels" in (tmp_path / "report.md").read_text()


# ---------------------------------------------------------------- properties


@st.composite
def random_period(draw: st.DrawFn) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int, int]:
    n = draw(st.integers(1, 30))
    hour = st.integers(0, 24 * 5)
    maybe_hour = st.none() | st.integers(0, 24 * 40)
    created = draw(st.lists(hour, min_size=n, max_size=n))
    sale = draw(st.lists(maybe_hour, min_size=n, max_size=n))
    report = draw(st.lists(maybe_hour, min_size=n, max_size=n))
    fake = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    decisions = draw(
        st.lists(st.sampled_from(["block", "review", "allow"]), min_size=n, max_size=n)
    )
    scores = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    frame = pd.DataFrame(
        {
            "listing_id": [f"X{i}" for i in range(n)],
            "seller_id": [f"S{i % 4}" for i in range(n)],
            "brand": [f"B{i % 3}" for i in range(n)],
            "is_counterfeit": fake,
            "created_at": [hours(h) for h in created],
            "first_sale_at": [
                hours(None if s is None else c + s) for c, s in zip(created, sale, strict=True)
            ],
            "reported_at": [
                hours(None if r is None else c + r) for c, r in zip(created, report, strict=True)
            ],
        }
    )
    capacities = draw(st.integers(0, 5)), draw(st.integers(0, 5))
    return frame, np.array(scores), np.array(decisions, dtype=object), *capacities


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_period())
def test_properties_of_any_replay(
    case: tuple[pd.DataFrame, np.ndarray, np.ndarray, int, int],
) -> None:
    frame, scores, decisions, review_capacity, notice_capacity = case
    res = evaluate_scored(
        frame, scores, decisions, review_capacity=review_capacity, notice_capacity=notice_capacity
    )
    out = res.outcomes
    fake = frame["is_counterfeit"].to_numpy() == 1
    blocked = decisions == "block"
    assert not out.loc[blocked, "sold_before_removal"].any()  # blocked listings never sell
    assert out.loc[blocked, "notice_at"].isna().all()
    assert not out.loc[~fake, "removed_by"].isin(["review", "notice"]).any()  # genuine stay live
    proactive = res.figures["proactive_recall"]
    assert proactive.numerator <= int(fake.sum()) == proactive.denominator
    assert res.figures["prepublication_catch_rate"].numerator <= proactive.numerator
    assert proactive.numerator <= res.figures["flagged_recall"].numerator
    for key, rate in res.figures.items():
        if rate.value is None or rate.kind == "change":
            continue
        assert 0.0 <= rate.value <= 1.0, key
        if rate.low is not None:
            assert 0.0 <= rate.low <= rate.value + 1e-12, key
            assert rate.value <= rate.high + 1e-12 and rate.high <= 1.0, key
    # the baseline "none" publishes everything: the model's notices are a subset of its notices
    assert res["notices"] <= res["notices_baseline"]


# ---------------------------------------------------------------- scale (slow)


def synthetic_period(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """``n`` synthetic scored listings over 90 days with timelines (for scale checks)."""
    rng = np.random.default_rng(seed)
    created = T0 + pd.to_timedelta(np.sort(rng.uniform(0, 90 * 86400, n)), unit="s")
    fake = rng.random(n) < 0.08
    sale = created + pd.to_timedelta(rng.exponential(5 * 86400, n), unit="s")
    report = created + pd.to_timedelta(rng.exponential(10 * 86400, n), unit="s")
    frame = pd.DataFrame(
        {
            "listing_id": np.arange(n).astype(str),
            "seller_id": rng.integers(0, n // 20 + 1, n).astype(str),
            "brand": rng.integers(0, 300, n).astype(str),
            "category": rng.integers(0, 20, n).astype(str),
            "registered": rng.random(n) < 0.6,
            "is_counterfeit": fake.astype(int),
            "created_at": created,
            "first_sale_at": sale.where(rng.random(n) < 0.5),
            "reported_at": report.where(fake & (rng.random(n) < 0.5)),
        }
    )
    scores = np.clip(np.where(fake, rng.beta(5, 2, n), rng.beta(1, 8, n)), 0, 1)
    decisions = np.where(scores > 0.95, "block", np.where(scores > 0.7, "review", "allow"))
    return frame, scores, decisions.astype(object)


@pytest.mark.slow
def test_million_listings_replay_and_consistency() -> None:
    import time

    frame, scores, decisions = synthetic_period(1_000_000)
    start = time.perf_counter()
    out = replay(frame, decisions, review_capacity=2000, notice_capacity=500)
    replay_seconds = time.perf_counter() - start
    start = time.perf_counter()
    res = evaluate_scored(frame, scores, decisions, review_capacity=2000, notice_capacity=500)
    evaluate_seconds = time.perf_counter() - start
    print(f"replay {replay_seconds:.2f} s, evaluate_scored {evaluate_seconds:.2f} s")
    c = res.counts
    assert (
        c["removed_by_block"]
        + c["removed_by_review"]
        + c["removed_by_notice"]
        + c["infringing_never_removed"]
        == c["infringing"]
    )
    assert res["notices"] == out["notice_at"].notna().sum() <= res["notices_baseline"]
    assert res.figures["proactive_recall"].denominator == c["infringing"]
    assert replay_seconds < 60  # a vectorised replay takes about a second here


# ---------------------------------------------------------------- evaluate_file: the whole job

REGISTRY_CSV = (
    "brand,aliases,category,product_type,product_lines,price_low_usd,price_high_usd,registered,"
    "authorised_sellers,popularity,fake_appeal\n"
    "A,Brand A,watches,watch,,100,200,1,,1,1\n"
    "B,,bags,bag,,100,200,0,,1,1\n"
)


class FixedScorer(Scorer):
    """A Scorer that gives each fixture listing its designed score and decision."""

    def __init__(self) -> None:  # no model: the hand fixture's scores and decisions
        self.table = {r[0]: (r[6], r[5]) for r in ROWS}
        self.block_threshold, self.review_threshold = 0.9, 0.6
        self.card = {"name": "fixed", "thresholds": {"review_capacity": 2}}

    def score_frame(self, frame: pd.DataFrame, *, explain: bool = True) -> pd.DataFrame:
        ids = frame["listing_id"].astype(str).tolist()
        return pd.DataFrame(
            {
                "listing_id": ids,
                "score": [self.table[i][0] for i in ids],
                "decision": [self.table[i][1] for i in ids],
                "reasons": "",
            }
        )


def fixture_file(tmp_path: Path, drop: tuple[str, ...] = (), brand_b: str = "B") -> Path:
    """The hand fixture as a CSV file a marketplace could export (text timestamps, aliases)."""
    frame, _, _ = fixture_frame()
    frame = frame.drop(columns=["registered", *drop])
    frame["brand"] = frame["brand"].map({"A": "brand a", "B": brand_b})  # an alias, any case
    frame["price"] = "US $150.00"
    for column in ("created_at", "first_sale_at", "reported_at"):
        if column in frame:
            frame[column] = frame[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "period.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def registry_csv(tmp_path: Path) -> Path:
    path = tmp_path / "brands.csv"
    path.write_text(REGISTRY_CSV)
    return path


def test_evaluate_file_reproduces_the_hand_computation(tmp_path: Path, registry_csv: Path) -> None:
    pytest.importorskip("matplotlib")
    run = evaluate_file(
        fixture_file(tmp_path), FixedScorer(), notice_capacity=2, horizon_days=0.5,
        registry=registry_csv, out=tmp_path / "report", chunk_size=5,
    )  # fmt: skip
    res = run.result
    f = res.figures
    assert res.status == "full" and run.validation.rows_read == 14
    assert res.config["review_capacity"] == 2  # from the (fake) model card
    check(f["proactive_recall"], 4, 10)
    check(f["prepublication_catch_rate"], 2, 10)
    check(f["removed_before_first_sale"], 3, 4)
    check(f["notices_handled_24h"], 3, 5)
    check(f["wrongly_blocked_rate"], 1, 4)
    check(f["genuine_sellers_affected"], 1, 2)
    check(f["precision_at_capacity"], 5, 6)
    assert (res["notices"], res["notices_baseline"]) == (5, 8)
    assert f["notices_change"].value == pytest.approx(5 / 8 - 1)
    # every figure equals the in-memory evaluation of the same period
    frame, scores, decisions = fixture_frame()
    direct = evaluate_scored(frame, scores, decisions, **CAPACITY)
    for key, rate in direct.figures.items():
        got = f[key]
        assert (got.numerator, got.denominator) == (rate.numerator, rate.denominator), key
        assert got.value == pytest.approx(rate.value), key
    # the registry joins the declared brand ("brand a" is an alias of A): A registered, B not
    registered = res.tables["per_registered"].set_index("registered")
    assert registered["rows"].to_dict() == {"registered": 7, "unregistered": 7}
    assert registered.loc["registered", "proactive_recall"] == pytest.approx(3 / 6)
    assert registered.loc["unregistered", "proactive_recall"] == pytest.approx(1 / 4)
    assert res.tables["per_brand"]["brand"].tolist() == ["A", "B"]  # canonical names
    assert {"metrics.json", "report.md", "report.html", "registered.png"} <= set(run.files)
    assert_report_matches_metrics(tmp_path / "report")


def test_keyword_and_model_baselines_from_a_file(tmp_path: Path, registry_csv: Path) -> None:
    path = fixture_file(tmp_path)
    frame = pd.read_csv(path)
    frame.loc[frame["listing_id"] == "L07", "title"] = "Rolex AAA replica"  # a give-away title
    frame.to_csv(path, index=False)
    run = evaluate_file(path, FixedScorer(), baseline="keywords", notice_capacity=2,
                        horizon_days=0.5, registry=registry_csv)  # fmt: skip
    # the keyword filter blocks L07 only, so its notice at 24 h goes: 8 - 1 = 7
    assert run.result["notices_baseline"] == 7 and run.baseline == "keywords"
    with pytest.raises(UsageError, match="use none, keywords or a model directory"):
        evaluate_file(path, FixedScorer(), baseline=str(tmp_path / "nope"))


def test_evaluate_file_degrades_without_timelines_or_labels(
    tmp_path: Path, registry_csv: Path
) -> None:
    pytest.importorskip("matplotlib")
    path = fixture_file(tmp_path, drop=("first_sale_at", "reported_at"))
    run = evaluate_file(path, FixedScorer(), registry=registry_csv, out=tmp_path / "a")
    assert run.result.status == "classification"
    check(run.result.figures["wrongly_blocked_rate"], 1, 4)
    md = (tmp_path / "a" / "report.md").read_text()
    assert "the replay needs created_at, first_sale_at, reported_at" in md
    assert "pr_curve.png" in run.files and "survival.png" not in run.files
    assert_report_matches_metrics(tmp_path / "a")

    path = fixture_file(tmp_path, drop=("is_counterfeit",))
    run = evaluate_file(path, FixedScorer(), registry=registry_csv, out=tmp_path / "b")
    assert run.result.status == "scores"
    assert run.result.decision_counts == {"block": 3, "review": 6, "allow": 5}
    assert "score_distribution.png" in run.files and "pr_curve.png" not in run.files
    assert "No labels" in (tmp_path / "b" / "report.md").read_text()
    assert_report_matches_metrics(tmp_path / "b")


def test_evaluate_file_errors(tmp_path: Path) -> None:
    path = fixture_file(tmp_path)
    with pytest.raises(UsageError, match="capacities"):
        evaluate_file(path, FixedScorer(), review_capacity=-1)
    bad = tmp_path / "bad.csv"
    bad.write_text("listing_id,title,price,seller_id\n1,x,-5,s\n")
    with pytest.raises(InputError, match="no valid listings to evaluate"):
        evaluate_file(bad, FixedScorer())


def test_registry_flags_of_declared_brands(registry_csv: Path) -> None:
    from cfdetect.evaluate._run import registry_flags
    from cfdetect.registry import load_registry

    declared = pd.Series(["BRAND A", " b ", "Unknown Co", "Unbranded", "", None], dtype="string")
    names, flags = registry_flags(declared, load_registry(registry_csv))
    assert names.tolist() == ["A", "B", "Unknown Co", "Unbranded", pd.NA, pd.NA]
    assert flags.tolist() == [True, False, False, pd.NA, pd.NA, pd.NA]


def _md_tables(md: str) -> dict[str, list[list[str]]]:
    """The Markdown tables of a report by the heading above them (the first table under it)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    rows: list[list[str]] = []
    for line in md.splitlines() + [""]:
        if line.startswith("## "):
            heading = line[3:]
        if line.startswith("|"):
            if not line.startswith("|---"):
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif rows:
            key = heading if heading not in tables else heading + " (2)"
            tables[key] = rows
            rows = []
    return tables


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def assert_report_matches_metrics(out: Path) -> None:
    """Every number in report.md is in metrics.json: headline, figures, counts, group tables."""
    md = (out / "report.md").read_text()
    doc = json.loads((out / "metrics.json").read_text())
    for sentence in doc["headline"]["statement"]:
        assert f"> {sentence}" in md
    for sentence in doc["headline"]["omitted"]:
        assert f"> **{sentence}**" in md
    tables = _md_tables(md)
    if doc["status"] == "scores":
        rows = tables["Decisions and scores"]
        for name, value in rows[1:]:
            if name.startswith("decision: "):
                assert doc["decision_counts"][name[10:]] == _number(value)
            else:
                q = "q" + name.removeprefix("score quantile ")
                assert doc["score_distribution"]["quantiles"][q] == pytest.approx(
                    _number(value), abs=5e-5
                )
        return
    figures = tables["Figures and their denominators"]
    assert figures[0] == ["figure", "value", "numerator", "denominator", "95% interval",
                          "definition"]  # fmt: skip
    for key, value, numerator, denominator, interval, definition in figures[1:]:
        entry = doc[key]
        if key in ("notices", "notices_baseline"):
            assert (value == "n/a" and entry is None) or _number(value) == entry, key
            continue
        assert definition.replace("\\|", "|") == entry["definition"], key
        if numerator:
            assert _number(numerator) == pytest.approx(entry["numerator"], rel=1e-3), key
        if denominator:
            assert _number(denominator) == entry["denominator"], key
        if value == "n/a":
            assert entry["value"] is None, key
        elif value.endswith("%"):
            assert _number(value) == pytest.approx(100 * entry["value"], abs=0.051), key
        else:
            assert _number(value) == pytest.approx(entry["value"], abs=5e-5), key
        if interval:
            low, high = re.split(r"–| to ", interval)
            scale = 100 if value.endswith("%") else 1
            assert _number(low) == pytest.approx(scale * entry["low"], abs=0.051), key
            assert _number(high) == pytest.approx(scale * entry["high"], abs=0.051), key
    for name, number in tables["Figures and their denominators (2)"][1:]:
        count = doc["counts"][name.replace(" ", "_")]
        assert (number == "n/a" and count is None) or count == _number(number), name
    headings = {"Per brand": "per_brand", "Per category": "per_category",
                "Registered against unregistered brands": "per_registered"}  # fmt: skip
    for heading, key in headings.items():
        found = [h for h in tables if h.startswith(heading)]
        if not found:
            assert not doc[key]
            continue
        rows = tables[found[0]]
        records = {str(r[rows[0][0]]): r for r in doc[key]}
        for row in rows[1:]:
            record = records[row[0]]
            cells = dict(zip(rows[0], row, strict=True))
            for column in ("listings", "infringing", "blocked", "reviewed"):
                assert _number(cells[column]) == record["rows" if column == "listings" else column]
            for column, (value, k, n) in {
                "recall at the decisions": ("flagged_recall", "flagged_infringing", "infringing"),
                "proactive recall": ("proactive_recall", "proactive_takedowns", "infringing"),
                "wrongly blocked": ("wrongly_blocked", "genuine_blocked", "genuine"),
            }.items():
                if column not in cells:
                    continue
                match = re.fullmatch(r"(\S+) \(([\d,]+) of ([\d,]+)\)", cells[column])
                assert match, cells[column]
                assert (_number(match[2]), _number(match[3])) == (record[k], record[n])
                if match[1] != "n/a":
                    assert _number(match[1]) == pytest.approx(100 * record[value], abs=0.051)


def test_walkthrough_notebook_is_paired_with_its_script() -> None:
    """notebooks/walkthrough.ipynb (run by make test) says what walkthrough.py says."""
    jupytext = pytest.importorskip("jupytext")
    folder = Path(__file__).resolve().parent.parent / "notebooks"
    script = jupytext.read(folder / "walkthrough.py")
    notebook = jupytext.read(folder / "walkthrough.ipynb")
    cells = [(c.cell_type, c.source) for c in script.cells]
    assert cells == [(c.cell_type, c.source) for c in notebook.cells], "run make notebook"
    assert any("evaluate_file" in source for _, source in cells)


def test_evaluate_file_passes_its_options_in_order() -> None:
    """``evaluate_file`` gathers its keyword options positionally into ``_Settings``."""
    import dataclasses
    import inspect

    from cfdetect.evaluate._run import _Settings, evaluate_file

    keywords = [
        p.name
        for p in inspect.signature(evaluate_file).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert keywords == [f.name for f in dataclasses.fields(_Settings)]
