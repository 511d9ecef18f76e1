"""Tests of training on a prior (``cfdetect train OWN --prior``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.constraints import monotonic_cst
from cfdetect.feedback._prior import PriorScore, boosting_params
from cfdetect.scorer import Scorer
from cfdetect.simulate import SimulationConfig, load_world, simulate
from cfdetect.training import read_training_frame


def test_boosting_params_shrink_with_small_sets() -> None:
    assert boosting_params(50_000, 300) == {}
    small = boosting_params(350, 300)
    assert small["max_iter"] == 40 and small["learning_rate"] == 0.05
    assert boosting_params(5_000, 300)["max_iter"] == 200
    assert monotonic_cst(["prior__prior_logit"]) == [1]


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
    assert card["feature_schema"][-1] == "prior__prior_logit"
    assert card["config"]["prior"] == "models/default"
    assert card["decision_policy"]["block_requires_evidence"]
    scorer = Scorer.load(out, trust=True)
    scored = scorer.score_frame(read_training_frame(frame.head(200)), explain=True)
    assert scored["score"].between(0, 1).all()
    # the prior feature is the prior's own raw score
    prior = Scorer.load(None)
    part = dict(scorer._parts)["prior"]
    assert isinstance(part, PriorScore)
    assert np.isfinite(scored["score"]).all() and prior.feature_names[0] in scorer.feature_names


def test_train_with_missing_prior_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "own.csv"
    simulate(SimulationConfig(n_listings=400, seed=9, days=30)).to_csv(data, index=False)
    result = CliRunner().invoke(
        app, ["train", str(data), "-o", str(tmp_path / "m"), "--prior", str(tmp_path / "none"),
              "--no-text-model", "--no-ablation"],
    )  # fmt: skip
    assert result.exit_code == 1
