"""Issue 19: monotonic constraints, evidence-gated blocking, abstaining on the unfamiliar, reasons
that argue both ways, and old cards that keep today's behaviour."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cfdetect.artifact import load_model
from cfdetect.constraints import MONOTONIC, monotonic_cst
from cfdetect.errors import ModelError
from cfdetect.policy import (
    EVIDENCE,
    UNFAMILIAR_CEILING,
    Evidence,
    admit_doubt,
    decide,
    policy_card,
    scripts_of,
)
from cfdetect.scorer import Scorer

# codes that name the same features from either side
_SAME_FEATURES = {
    "price_in_line_with_reference": "price_far_below_reference",
    "price_far_above_reference": "price_far_below_reference",
    "ships_from": "ships_from_risk",
}


@pytest.fixture(scope="module")
def scorer(model_dir: Path) -> Scorer:
    return Scorer.load(model_dir)


@pytest.fixture(scope="module")
def rows(simulated: pd.DataFrame) -> pd.DataFrame:
    from cfdetect.schema import Validator

    sample = simulated.sample(600, random_state=0)
    raw = sample.drop(columns=[c for c in sample.columns if c not in _INPUT], errors="ignore")
    return Validator().validate(raw.astype(object).where(raw.notna(), None)).rows


_INPUT = (
    "listing_id", "title", "price", "seller_id", "description", "brand", "category", "currency",
    "condition", "quantity", "ships_from", "image_count", "created_at", "seller_age_days",
    "seller_rating", "seller_n_ratings", "seller_n_listings", "seller_n_takedowns",
    "seller_n_brands", "seller_gmv_90d", "seller_orders_90d", "seller_returns_90d",
)  # fmt: skip


def _matrix(scorer: Scorer, frame: pd.DataFrame) -> np.ndarray:
    from cfdetect.schema import canonical_frame

    enriched = scorer._brands.transform(scorer._normalizer.transform(canonical_frame(frame)))
    return np.asarray(scorer._features.transform(enriched), dtype=np.float64)


def test_the_table_tolerates_absent_features() -> None:
    assert monotonic_cst(["text__hash_3", "nope"]) == [0, 0]
    assert all(direction in (-1, 1) and why for direction, why in MONOTONIC.values())


def test_monotonic_for_every_constrained_feature(scorer: Scorer, rows: pd.DataFrame) -> None:
    """Perturbation test on real rows: moving one constrained feature in its direction never
    moves the model's score the other way."""
    X = _matrix(scorer, rows)
    classifier = scorer._classifier
    base = classifier.decision_function(X)
    constrained = [(j, d) for j, d in enumerate(monotonic_cst(scorer.feature_names)) if d != 0]
    assert len(constrained) >= 20
    for j, direction in constrained:
        column = X[:, j]
        span = float(np.nanmax(column) - np.nanmin(column)) or 1.0
        for step in (0.1 * span, span, 3.0 * span):
            moved = X.copy()
            moved[:, j] = column + step
            change = classifier.decision_function(moved) - base
            name = scorer.feature_names[j]
            if direction > 0:
                assert change.min() >= -1e-9, name
            else:
                assert change.max() <= 1e-9, name


def test_no_evidence_is_never_blocked(model_dir: Path, rows: pd.DataFrame) -> None:
    everything = Scorer.load(model_dir, block_threshold=0.0, review_threshold=0.0)
    scored = everything.score_frame(rows, explain=False)
    policy = everything.card["decision_policy"]
    evidence = Evidence(everything.feature_names, policy).any(_matrix(everything, rows))
    decisions = scored["decision"].to_numpy()
    assert not (decisions[~evidence] == "block").any()
    assert (decisions[evidence] == "block").any()
    # the single-listing path makes the same decisions
    for record, expected in zip(rows.head(80).to_dict("records"), decisions[:80], strict=True):
        assert everything.score(record, explain=False).decision == expected


def test_unfamiliar_is_never_blocked(model_dir: Path) -> None:
    everything = Scorer.load(model_dir, block_threshold=0.0, review_threshold=0.0)
    fake = {
        "listing_id": "u1",
        "title": "Rolex Submariner replica 1:1 clone",
        "price": 80,
        "seller_id": "s",
        "seller_age_days": 3,
        "seller_n_takedowns": 4,
        "seller_n_listings": 20,
    }
    assert everything.score(fake).decision == "block"  # evidence and familiar
    cases = [
        {**fake, "title": "Ρόλεξ Submariner ρεπλίκα αντίγραφο 1:1"},  # Greek: never trained on
        {k: v for k, v in fake.items() if not k.startswith("seller_") or k == "seller_id"},
        {**fake, "brand": "Zorblatt Horologie"},  # a brand neither registered nor seen
    ]
    for listing in cases:
        result = everything.score(listing)
        assert result.decision == "review", listing
        assert result.reasons[0].code == "unfamiliar"
        frame = everything.score_frame(pd.DataFrame([listing]))
        assert frame["decision"].tolist() == ["review"]
        assert frame["reasons"][0].startswith("unfamiliar: ")
        # calibration that admits doubt: never the 0.99+ of a listing like the training data
        assert result.score <= UNFAMILIAR_CEILING
        assert frame["score"].tolist() == [result.score]


def test_reasons_and_in_favour_never_share_a_feature(scorer: Scorer, rows: pd.DataFrame) -> None:
    seen_favour = 0
    for record in rows.head(250).to_dict("records"):
        result = scorer.score(record, explain="all")
        against = {_SAME_FEATURES.get(r.code, r.code) for r in result.reasons}
        favour = {_SAME_FEATURES.get(r.code, r.code) for r in result.in_favour}
        assert not against & favour
        seen_favour += bool(favour)
        for reason in result.reasons:  # never a value the constraints count in its favour
            assert reason.code != "price_far_above_reference"
            if reason.code == "seller_takedowns":
                assert record["seller_n_takedowns"] >= 1
            if reason.code == "seller_age":
                assert not record["seller_age_days"] >= 90
        assert all(r.weight < 0 for r in result.in_favour)
    assert seen_favour
    frame = scorer.score_frame(rows.head(250), explain="all")
    assert list(frame.columns[:5]) == ["listing_id", "score", "decision", "reasons", "in_favour"]


def test_established_seller_is_argued_for(scorer: Scorer) -> None:
    result = scorer.score(
        {
            "listing_id": "old",
            "title": "Louis Vuitton Neverfull MM Monogram pre-owned",
            "price": 1295,
            "brand": "Louis Vuitton",
            "seller_id": "consignor",
            "seller_age_days": 3385,
            "seller_rating": 4.9,
            "seller_n_ratings": 375,
            "seller_n_listings": 900,
            "seller_n_takedowns": 0,
        },
        explain="all",
    )
    text = " ".join(r.text for r in result.reasons)
    assert "3,385" not in text and "no earlier takedowns" not in text


def test_decide_is_the_plain_rule_without_gates() -> None:
    scores = np.array([0.0, 0.3, 0.5, 0.9])
    assert decide(scores, 0.5, 0.3).tolist() == ["allow", "review", "block", "block"]


def test_scripts() -> None:
    assert scripts_of("Nike Air") == {"LATIN"} and "CYRILLIC" in scripts_of("Найк Air")


def test_policy_card_lists_every_evidence_rule() -> None:
    card = policy_card()
    assert len(card["evidence"]) == len(EVIDENCE) and card["block_requires_evidence"]
    json.dumps(card)


def test_card_has_calibration_curves(model_dir: Path) -> None:
    metrics = json.loads((model_dir / "card.json").read_text())["holdout_metrics"]
    curve = metrics["calibration_curve"]
    assert sum(row["rows"] for row in curve) == metrics["rows"]
    assert all(row["low"] <= row["mean_score"] <= row["high"] for row in curve)
    unfamiliar = metrics["calibration_curve_unfamiliar"]
    assert all(row["mean_score"] <= UNFAMILIAR_CEILING for row in unfamiliar)


def test_admit_doubt_lowers_only_unfamiliar_scores() -> None:
    scores = np.array([0.999, 0.999, 0.5, 0.97])
    unfamiliar = np.array([True, False, True, True])
    assert admit_doubt(scores, unfamiliar, 0.95).tolist() == [0.95, 0.999, 0.5, 0.95]
    assert admit_doubt(scores, unfamiliar, None) is scores  # a card without a ceiling


def test_model_card_has_the_policy(model_dir: Path) -> None:
    card = json.loads((model_dir / "card.json").read_text())
    assert card["decision_policy"] == json.loads(json.dumps(policy_card()))
    moved = card["holdout_metrics"]["decision_policy"]
    assert 0 <= moved["unfamiliar_share"] <= 1 and moved["moved_to_review"] >= 0
    assert card["config"]["monotonic"] is True


def test_an_edited_card_cannot_drop_the_policy(model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "m"
    shutil.copytree(model_dir, copy)
    card = json.loads((copy / "card.json").read_text())
    del card["decision_policy"]
    (copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="decision policy"):
        load_model(copy, trust=True)


def test_old_cards_keep_the_threshold_rule(model_dir: Path, rows: pd.DataFrame) -> None:
    """A card without a decision policy (every model trained before issue 19) blocks on the
    threshold alone, in both paths."""
    estimator, _thresholds, card = load_model(model_dir)
    old = {k: v for k, v in card.items() if k != "decision_policy"}
    scorer = Scorer(estimator, 0.0, 0.0, old)
    scored = scorer.score_frame(rows.head(50), explain=False)
    assert (scored["decision"] == "block").all()
    assert scorer.score(rows.head(1).to_dict("records")[0]).decision == "block"
    assert "decision_policy" in Scorer.load().card  # the shipped model has one (issue 19)


def test_evidence_of_one_row_is_the_frame_rule(scorer: Scorer) -> None:
    """``Scorer.score`` tests one row on Python floats, frames with numpy: the same answers."""
    evidence = Evidence(scorer.feature_names, scorer.card["decision_policy"])
    rng = np.random.default_rng(0)
    values = [0.0, 1.0, 0.1, 0.2, 0.5, 3.0, 4.0, np.nan, -1.0, np.inf]
    matrix = rng.choice(values, size=(2000, len(scorer.feature_names)))
    one_by_one = np.vstack([evidence.mask(row) for row in matrix])
    assert (one_by_one == evidence.mask(matrix)).all()
    assert evidence.mask(matrix).any()  # the sample exercises the rules
