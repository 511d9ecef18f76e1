"""Tests of the exploration slice and its inverse-propensity estimates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cfdetect.errors import InputError, UsageError
from cfdetect.feedback._exploration import estimate_recall, horvitz_thompson, plan_reviews
from cfdetect.scorer import Scorer


def population(seed: int = 100, n: int = 20_000, days: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.08
    score = np.clip(np.where(y, rng.beta(5, 2, n), rng.beta(1, 6, n)), 0, 1)
    decision = np.where(score > 0.8, "block", np.where(score > 0.45, "review", "allow"))
    return pd.DataFrame(
        {"y": y.astype(int), "score": score, "decision": decision, "day": rng.integers(0, days, n)}
    )


def test_probabilities_match_the_reserved_share() -> None:
    frame = population()
    plan = plan_reviews(
        frame["decision"], frame["score"], frame["day"], capacity=400, exploration=0.05
    )
    eligible = frame["decision"] != "review"
    assert plan.loc[~eligible, "exploration_probability"].isna().all()
    for _, rows in frame[eligible].groupby("day"):
        p = plan.loc[rows.index, "exploration_probability"]
        assert np.allclose(p, 20 / len(rows))
    # about 5% of 400 a day for 10 days
    assert 120 < (plan["queued"] == "exploration").sum() < 280
    assert ((plan["queued"] == "exploration") <= eligible).all()


def test_horvitz_thompson_is_unbiased_on_a_synthetic_population() -> None:
    rng = np.random.default_rng(1)
    y = (rng.random(5000) < 0.1).astype(float)
    p = rng.uniform(0.01, 0.3, 5000)  # unequal inclusion probabilities
    estimates = []
    for _ in range(2000):
        drawn = rng.random(5000) < p
        estimates.append(horvitz_thompson(y[drawn], p[drawn]))
    mean, se = np.mean(estimates), np.std(estimates) / np.sqrt(len(estimates))
    assert abs(mean - y.sum()) < 4 * se
    assert horvitz_thompson([1, 0, 1], [0.5, 0.5, 0.25]) == 6.0
    with pytest.raises(InputError):
        horvitz_thompson([1], [0.0])


def test_recall_estimate_unbiased_and_covers_the_truth() -> None:
    frame = population(102)
    infringing = frame["y"] == 1
    caught = infringing & (frame["decision"] != "allow")
    true_recall = caught.sum() / infringing.sum()
    true_share = frame.loc[frame["decision"] == "allow", "y"].mean()
    estimates, covered = [], 0
    for seed in range(40):
        plan = plan_reviews(
            frame["decision"], frame["score"], frame["day"], capacity=800, exploration=0.2,
            seed=seed,
        )  # fmt: skip
        data = frame.join(plan)
        data["review_label"] = np.where(data["queued"] != "", data["y"], np.nan)
        result = estimate_recall(data, n_boot=200, seed=seed)
        estimates.append(result["allowed_infringing_share"].value)
        covered += result["recall"].covers(true_recall)
    assert abs(np.mean(estimates) - true_share) < 0.15 * true_share
    assert covered >= 32  # nominal 95% of 40


def test_bad_arguments() -> None:
    with pytest.raises(UsageError):
        plan_reviews(["allow"], [0.1], [0], capacity=10, exploration=1.5)
    with pytest.raises(UsageError):
        plan_reviews(["allow"], [0.1, 0.2], [0], capacity=10)
    with pytest.raises(InputError):
        estimate_recall(pd.DataFrame({"decision": ["allow"]}))


def test_evaluate_reports_the_exploration_estimate(tmp_path: Path) -> None:
    from cfdetect.evaluate import evaluate_scored
    from cfdetect.evaluate._run import evaluate_file

    frame = population(103, n=4000, days=4)
    plan = plan_reviews(frame["decision"], frame["score"], frame["day"], capacity=400,
                        exploration=0.2)  # fmt: skip
    data = frame.join(plan)
    data["review_label"] = np.where(data["queued"] != "", data["y"], np.nan)
    data["created_at"] = pd.Timestamp("2025-01-01", tz="UTC") + pd.to_timedelta(data["day"], "D")
    result = evaluate_scored(
        data[["created_at", "review_probability", "review_label"]],
        data["score"].to_numpy(),
        data["decision"].to_numpy(),
    )
    assert result.status == "scores"  # no is_counterfeit: review labels only
    estimate = result.config["exploration_estimate"]
    assert estimate["recall"]["low"] <= estimate["recall"]["value"] <= estimate["recall"]["high"]
    assert any(note.startswith("Exploration estimate") for note in result.notes)
    # through the file reader: the columns survive validation
    path = tmp_path / "scored.csv"
    listing = pd.DataFrame({
        "listing_id": [f"L{i}" for i in range(len(data))], "title": "Item", "price": 10.0,
        "seller_id": "s", "created_at": data["created_at"].astype(str),
        "review_probability": data["review_probability"], "review_label": data["review_label"],
    })  # fmt: skip
    listing.to_csv(path, index=False)
    fixed = _Fixed(listing["listing_id"].tolist(), data["score"].to_numpy(),
                   data["decision"].to_numpy())  # fmt: skip
    run = evaluate_file(path, fixed)
    assert "exploration_estimate" in run.result.config


class _Fixed(Scorer):
    """A Scorer that gives each listing a given score and decision (no model)."""

    def __init__(self, ids: list[str], scores: np.ndarray, decisions: np.ndarray) -> None:
        self.table = dict(zip(ids, zip(scores.tolist(), decisions.tolist(), strict=True),
                              strict=True))  # fmt: skip
        self.block_threshold, self.review_threshold = 0.8, 0.45
        self.card = {"name": "fixed", "thresholds": {"review_capacity": 400}}

    def score_frame(self, frame: pd.DataFrame, *, explain: object = False) -> pd.DataFrame:
        ids = frame["listing_id"].astype(str).tolist()
        scores = [self.table[i][0] for i in ids]
        decisions = [self.table[i][1] for i in ids]
        return pd.DataFrame(
            {"listing_id": ids, "score": scores, "decision": decisions, "reasons": ""}
        )


def test_estimates_stay_in_their_ranges_under_label_error() -> None:
    """The label-error correction makes a genuine verdict count below 0; no estimate or interval
    end may leave [0, 1] (recall, share) or go below 0 (counts)."""
    decision = np.array(["allow"] * 40 + ["review"] * 10 + ["block"] * 10, dtype=object)
    label = np.array([0.0] * 39 + [1.0] + [1.0] * 8 + [0.0] * 2 + [1.0] * 10)
    data = pd.DataFrame({"decision": decision, "review_probability": 0.05, "review_label": label})
    result = estimate_recall(data, n_boot=300, seed=1, label_error=0.2)
    for name in ("recall", "allowed_infringing_share"):
        estimate = result[name]
        assert 0 <= estimate.low <= estimate.value <= estimate.high <= 1, (name, estimate)
    for name in ("allowed_infringing", "blocked_infringing", "reviewed_infringing"):
        assert result[name].low >= 0, (name, result[name])
