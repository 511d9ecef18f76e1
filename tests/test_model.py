"""Training, thresholds and the model directory: round trip, tampering, versions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.artifact import CARD_FILE, MODEL_FILE, load_model, read_card
from cfdetect.cli import app
from cfdetect.errors import ModelError, UsageError
from cfdetect.model import TrainConfig, canonical_frame, choose_thresholds, ranking_metrics

runner = CliRunner()


def test_card_records_what_matters(model_dir: Path) -> None:
    card = read_card(model_dir)
    assert card["training"]["simulated"] is True
    assert set(card["versions"]) >= {"cfdetect", "scikit-learn", "numpy", "pandas", "python"}
    assert len(card["model_sha256"]) == 64 and card["feature_schema"]
    assert 0 <= card["thresholds"]["review"] <= card["thresholds"]["block"] <= 1 + 1e-6
    assert card["holdout_metrics"]["pr_auc"] > 0.5
    assert card["training_data"]["sha256"] and card["training_data"]["time_span"]


def test_round_trip_gives_identical_predictions(model_dir: Path, simulated: pd.DataFrame) -> None:
    estimator, thresholds, _ = load_model(model_dir)
    again, _, _ = load_model(model_dir)
    rows = canonical_frame(simulated.head(300))
    assert np.array_equal(estimator.predict_proba(rows), again.predict_proba(rows))
    decisions = thresholds.decide(estimator.predict_proba(rows)[:, 1])
    assert set(decisions) <= {"block", "review", "allow"}


def test_tampered_model_is_refused(model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in (MODEL_FILE, CARD_FILE):
        (copy / name).write_bytes((model_dir / name).read_bytes())
    with open(copy / MODEL_FILE, "ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ModelError, match="differs from the card"):
        load_model(copy)


def test_version_mismatch_is_refused(model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / MODEL_FILE).write_bytes((model_dir / MODEL_FILE).read_bytes())
    card = json.loads((model_dir / CARD_FILE).read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    (copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2"):
        load_model(copy)


@pytest.mark.parametrize("missing", [MODEL_FILE, CARD_FILE])
def test_incomplete_directory(model_dir: Path, tmp_path: Path, missing: str) -> None:
    for name in (MODEL_FILE, CARD_FILE):
        if name != missing:
            (tmp_path / name).write_bytes((model_dir / name).read_bytes())
    with pytest.raises(ModelError):
        load_model(tmp_path)


def test_info_command(model_dir: Path) -> None:
    result = runner.invoke(app, ["info", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "block threshold" in result.stdout and "simulated" in result.stdout


def test_info_on_missing_dir(tmp_path: Path) -> None:
    result = runner.invoke(app, ["info", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no such model directory" in result.stderr


def test_train_command(simulated: pd.DataFrame, tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    simulated.head(3000).to_csv(data, index=False)
    out = tmp_path / "model"
    result = runner.invoke(
        app, ["train", str(data), "-o", str(out), "--no-ablation", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert (out / MODEL_FILE).is_file() and (out / CARD_FILE).is_file()


def test_train_without_label_is_an_error(tmp_path: Path, simulated: pd.DataFrame) -> None:
    data = tmp_path / "train.csv"
    simulated.head(500).drop(columns=["is_counterfeit"]).to_csv(data, index=False)
    result = runner.invoke(app, ["train", str(data), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and "label" in result.stderr


def test_thresholds_reach_target_precision() -> None:
    rng = np.random.default_rng(0)
    y = rng.random(5000) < 0.1
    scores = np.clip(y * 0.6 + rng.random(5000) * 0.5, 0, 1)
    t = choose_thresholds(y.astype(int), scores, days=10, target_precision=0.98, review_capacity=20)
    blocked = scores >= t.block
    assert y[blocked].mean() >= 0.98
    band = (scores >= t.review) & (scores < t.block)
    assert band.sum() == pytest.approx(200, abs=2)


def test_ranking_metrics_perfect() -> None:
    metrics = ranking_metrics(np.array([0, 0, 1, 1]), np.array([0.0, 0.1, 0.9, 1.0]))
    assert metrics["pr_auc"] == 1.0 and metrics["recall_at_98_precision"] == 1.0


@pytest.mark.parametrize(
    "kwargs", [{"target_precision": 1.5}, {"review_capacity": -1}, {"splits": (0.5, 0.5, 0, 0)}]
)
def test_bad_train_config(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        TrainConfig(**kwargs)  # type: ignore[arg-type]


def test_holdout_scores_from_features_equal_predict_proba(simulated: pd.DataFrame) -> None:
    from cfdetect.model import _calibrated_scores, train

    trained = train(
        canonical_frame(simulated), TrainConfig(ablation=True, ablation_rows=1500, max_iter=30)
    )
    calibrated = trained.estimator
    pipeline = calibrated.calibrated_classifiers_[0].estimator.estimator
    frame = canonical_frame(simulated.tail(400))
    features = pipeline[:-1].transform(frame)
    direct = _calibrated_scores(calibrated, pipeline.steps[-1][1], features)
    np.testing.assert_allclose(direct, calibrated.predict_proba(frame)[:, 1], atol=1e-12)
    assert [row["variant"] for row in trained.ablation] == [
        "title only",
        "+ price",
        "+ seller",
        "all",
    ]


def test_comparisons_in_a_second_process_equal_those_fitted_here(
    simulated: pd.DataFrame,
) -> None:
    from cfdetect.model import train

    frame = canonical_frame(simulated)
    config = {"ablation_rows": 1500, "max_iter": 30}
    stages: list[str] = []
    here = train(frame, TrainConfig(side_process_rows=0, **config))
    there = train(frame, TrainConfig(side_process_rows=1, **config), progress=stages.append)
    assert any("second process" in stage for stage in stages)  # the process really ran
    assert there.ablation == here.ablation and len(here.ablation) == 4
    for key in ("baseline", "baseline_tuned"):
        assert there.metrics[key] == here.metrics[key]


@pytest.mark.parametrize("kwargs", [{"side_process_rows": -1}, {"n_threads": 0}])
def test_bad_process_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        TrainConfig(**kwargs)  # type: ignore[arg-type]


def test_training_window_keeps_the_most_recent_rows(simulated: pd.DataFrame) -> None:
    from cfdetect.model import train

    trained = train(
        canonical_frame(simulated),
        TrainConfig(ablation=False, baseline=False, max_iter=20, max_train_rows=2000),
    )
    split = trained.data["split_rows"]
    assert split["train"] == 2000 and split["train_split"] > 2000


def test_review_band_respects_the_minimum_score() -> None:
    y = np.array([0] * 90 + [1] * 10)
    scores = np.r_[np.linspace(0.0, 0.09, 90), np.full(10, 0.99)]
    t = choose_thresholds(
        y, scores, days=1, target_precision=0.98, review_capacity=500, review_min_score=0.05
    )
    assert t.review >= 0.05 and t.block == pytest.approx(0.99)
