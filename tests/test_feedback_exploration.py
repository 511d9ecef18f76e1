"""Tests of the exploration slice and its inverse-propensity estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cfdetect.errors import InputError, UsageError
from cfdetect.feedback._exploration import estimate_recall, horvitz_thompson, plan_reviews


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
