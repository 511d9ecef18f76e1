"""Tests of training on a prior (``cfdetect train OWN --prior``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.constraints import monotonic_cst
from cfdetect.feedback._prior import (
    TREE_COUNTS,
    fit_on_prior,
    guard_block_threshold,
    increasing_calibration,
    merged_familiarity,
    residual_trees,
)
from cfdetect.model import choose_thresholds
from cfdetect.policy import Familiarity
from cfdetect.scorer import Scorer
from cfdetect.simulate import SimulationConfig, load_world, simulate
from cfdetect.training import read_training_frame


def _world(rng: np.random.Generator, n: int, weight_b: float) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, 3))
    logit = 2.0 * X[:, 0] + weight_b * X[:, 1] - 3.0 + rng.logistic(size=n)
    return X, (logit > 0).astype(np.int64)


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    with threadpool_limits(limits=1, user_api="openmp"):  # OpenMP spins on a busy machine
        yield


def test_own_plus_prior_at_least_as_good_as_the_prior() -> None:
    """A prior that never saw feature 1; own labels where it matters: the correction learns it."""
    rng = np.random.default_rng(0)
    prior = HistGradientBoostingClassifier(max_iter=60, random_state=0).fit(*_world(rng, 5000, 0))
    own_X, own_y = _world(rng, 1500, 2.0)
    test_X, test_y = _world(rng, 20_000, 2.0)
    names = ["a", "b", "c"]
    model, summary = fit_on_prior("synthetic", own_X, own_y, names, prior)
    assert summary["correction_trees"] in TREE_COUNTS and summary["correction_trees"] > 0
    assert len(prior._predictors) == 60  # the prior itself is not changed
    before = average_precision_score(test_y, prior.decision_function(test_X))
    after = average_precision_score(test_y, model.decision_function(test_X))
    assert after >= before + 0.01


def test_own_labels_like_the_priors_world_keep_its_ranking() -> None:
    """Own labels from the prior's own world: nothing to correct, the ranking stays as good."""
    rng = np.random.default_rng(1)
    prior = HistGradientBoostingClassifier(max_iter=40, random_state=0).fit(*_world(rng, 4000, 0))
    own_X, own_y = _world(rng, 400, 0)
    model, summary = fit_on_prior("synthetic", own_X, own_y, ["a", "b", "c"], prior)
    assert summary["rescaling"]["slope"] > 0
    test_X, test_y = _world(rng, 20_000, 0)
    before = average_precision_score(test_y, prior.decision_function(test_X))
    after = average_precision_score(test_y, model.decision_function(test_X))
    assert after >= before - 0.01


def test_residual_trees_keep_the_monotonic_constraints() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(600, 2))
    y = (X[:, 0] + X[:, 1] + rng.logistic(size=600) > 1).astype(np.int64)
    trees = residual_trees(X, y, np.zeros(600), [1, -1], 40)
    grid = np.column_stack([np.zeros(50), np.linspace(-3, 3, 50)])
    no_bitsets, no_map = np.zeros((0, 8), dtype=np.uint32), np.zeros(0, dtype=np.uint32)
    along = sum(t.predict(grid, no_bitsets, no_map, 1) for t in trees)
    assert np.all(np.diff(along) <= 1e-12)  # constrained decreasing in feature 1
    assert monotonic_cst(["prior__prior_logit"]) == [1]


def test_increasing_calibration_never_ties() -> None:
    """Four infringing listings, perfectly separated: isotonic would tie; this keeps the order."""
    raw = np.concatenate([np.linspace(-6, 0, 46), [2.0, 3.0, 4.0, 5.0]])
    y = np.r_[np.zeros(46), np.ones(4)].astype(np.int64)
    calibrator = increasing_calibration(raw, y, raw)
    assert np.all(np.diff(calibrator.y_thresholds_) > 0)
    test = np.linspace(-25, 25, 2001)
    assert np.all(np.diff(calibrator.predict(test)) > 0)
    assert calibrator.predict([5.0])[0] > 0.5 > calibrator.predict([-6.0])[0]


def test_block_threshold_needs_enough_infringing_listings() -> None:
    """Four infringing listings on the threshold split: block only calibrated scores >= 0.98."""
    y = np.r_[np.zeros(46), np.ones(4)].astype(np.int64)
    scores = np.r_[np.linspace(0.01, 0.3, 46), [0.4, 0.6, 0.97, 0.99]]
    chosen = choose_thresholds(y, scores, 1.0, 0.98, 10)
    assert chosen.block == 0.4  # no genuine listing above 0.4 on these 50
    guarded = guard_block_threshold(chosen, y, scores)
    assert guarded.block == 0.98 and guarded.achieved_recall == 0.25
    assert "fewer than" in guarded.method
    many = np.r_[np.zeros(46), np.ones(40)].astype(np.int64)
    plenty = np.r_[scores[:46], np.linspace(0.4, 0.99, 40)]
    kept = choose_thresholds(many, plenty, 1.0, 0.98, 10)
    assert guard_block_threshold(kept, many, plenty) == kept


def test_familiarity_merges_what_the_prior_and_the_own_rows_saw() -> None:
    prior = Familiarity({("acme", "bag"): (1.0, 3.0)}, {"nobrand"}, {"latin"})
    ranges = {("acme", "bag"): (2.0, 4.0), ("zeta", ""): (0.0, 1.0)}
    own = Familiarity(ranges, {"mine"}, {"cyrillic"})
    merged = merged_familiarity(prior, own)
    assert merged.price_ranges == {("acme", "bag"): (1.0, 4.0), ("zeta", ""): (0.0, 1.0)}
    assert merged.declared_brands == {"nobrand", "mine"} and merged.scripts == {"latin", "cyrillic"}
    assert merged_familiarity(None, own) is own


def test_train_with_prior_cli(tmp_path: Path) -> None:
    data = tmp_path / "own.parquet"
    frame = simulate(
        SimulationConfig(n_listings=1500, seed=9, days=60), world=load_world("shifted")
    )
    frame.to_parquet(data)
    out = tmp_path / "model"
    result = CliRunner().invoke(
        app,
        ["train", str(data), "-o", str(out), "--prior", "models/default", "--no-text-model",
         "--no-ablation"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    card = json.loads((out / "card.json").read_text())
    prior = Scorer.load(None)
    assert card["feature_schema"] == prior.feature_names  # the prior's own features
    assert card["config"]["prior"] == "models/default"
    assert card["training_data"]["prior"]["correction_trees"] in TREE_COUNTS
    assert card["decision_policy"]["block_requires_evidence"]
    scorer = Scorer.load(out, trust=True)
    fitted = card["training_data"]["prior"]
    extra = fitted["correction_trees"] * fitted["folds"]  # the folds' corrections, averaged
    assert len(scorer._classifier._predictors) == len(prior._classifier._predictors) + extra
    assert np.all(np.diff(scorer._iso_y) > 0)  # a strictly increasing calibration
    scored = scorer.score_frame(read_training_frame(frame.head(200)), explain=True)
    assert scored["score"].between(0, 1).all() and np.isfinite(scored["score"]).all()


def test_train_with_prior_when_later_splits_hold_no_infringing_listing(tmp_path: Path) -> None:
    # 600 own labels: the calibration, threshold and hold-out splits (the last 30% in time) may
    # hold no infringing listing
    frame = simulate(SimulationConfig(n_listings=600, seed=9, days=60), world=load_world("shifted"))
    frame = frame.sort_values("created_at", kind="stable").reset_index(drop=True)
    frame.loc[round(0.7 * len(frame)) :, "is_counterfeit"] = 0
    data = tmp_path / "own.parquet"
    frame.to_parquet(data)
    args = ["train", str(data), "--no-text-model", "--no-ablation"]
    alone = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "alone")])
    assert alone.exit_code == 1 and "calibration split has only one class" in alone.output
    out = tmp_path / "model"
    result = CliRunner().invoke(app, [*args, "-o", str(out), "--prior", "models/default"])
    assert result.exit_code == 0, result.output
    thresholds = json.loads((out / "card.json").read_text())["thresholds"]
    assert thresholds["block"] == 0.98  # guarded: nothing on the split can place it
    assert "holds no infringing listing" in thresholds["method"]
    info = CliRunner().invoke(app, ["info", str(out)], env={"COLUMNS": "200"})
    assert info.exit_code == 0 and "holds no infringing listing: no ranking figures" in info.output
    assert "PR-AUC n/a" in info.output and "None" not in info.output
    scorer = Scorer.load(out, trust=True)
    assert np.all(np.diff(scorer._iso_y) > 0)
    scored = scorer.score_frame(read_training_frame(frame.head(200)))
    assert scored["score"].between(0, 1).all()


def test_no_infringing_listing_on_the_threshold_split_disables_block() -> None:
    chosen = choose_thresholds(np.zeros(50, dtype=np.int64), np.linspace(0, 0.9, 50), 1.0, 0.98, 10)
    assert chosen.block > 0.9 and chosen.achieved_recall == 0.0
    assert chosen.method.startswith("the threshold split holds no infringing listing")
    assert guard_block_threshold(chosen, np.zeros(50), np.linspace(0, 0.9, 50)).block == 0.98


def test_train_with_missing_prior_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "own.csv"
    simulate(SimulationConfig(n_listings=400, seed=9, days=30)).to_csv(data, index=False)
    result = CliRunner().invoke(
        app, ["train", str(data), "-o", str(tmp_path / "m"), "--prior", str(tmp_path / "none"),
              "--no-text-model", "--no-ablation"],
    )  # fmt: skip
    assert result.exit_code == 1
