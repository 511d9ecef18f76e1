"""What training measures on the hold-out: thresholds, the decision policy's effect, metrics.

Moved out of ``cfdetect.model`` (which re-exports ``choose_thresholds``); every function here
is a pure computation on scores, labels and features.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import precision_recall_curve

from cfdetect.policy import (
    FAMILIARITY_FIELDS,
    Evidence,
    Familiarity,
    Thresholds,
    decide,
    policy_gates,
)


def choose_thresholds(
    y: np.ndarray,
    scores: np.ndarray,
    days: float,
    target_precision: float,
    review_capacity: int,
    review_min_score: float = 0.0,
) -> Thresholds:
    """Choose ``block`` at the target precision and ``review`` by reviewer capacity.

    ``block`` is the lowest threshold whose precision on (y, scores) reaches the target (so recall
    is as high as the precision allows); if none does, the highest score plus epsilon (block
    nothing). ``review`` is lowered below ``block`` until the band holds ``review_capacity``
    listings per day of the period the scores cover, but never below ``review_min_score``.

    Examples
    --------
    >>> t = choose_thresholds(np.array([0, 0, 1, 1]), np.array([.1, .2, .8, .9]), 1.0, .98, 1)
    >>> t.block, t.review
    (0.8, 0.2)
    """
    no_block = float(np.max(scores)) + 1e-9, 1.0, 0.0
    if not np.any(y):  # (a split of a few hundred own labels on a prior)
        block, achieved_p, achieved_r = no_block
        method = "the threshold split holds no infringing listing: block disabled"
    else:
        precision, recall, cuts = precision_recall_curve(y, scores)
        ok = np.flatnonzero(precision[:-1] >= target_precision)
        if len(ok):
            i = ok[0]
            block, achieved_p, achieved_r = float(cuts[i]), float(precision[i]), float(recall[i])
            method = (
                f"lowest threshold with precision >= {target_precision:g} on the threshold split"
            )
        else:
            block, achieved_p, achieved_r = no_block
            method = f"no threshold reached precision {target_precision:g}: block disabled"
    per_day = max(days, 1e-9)
    capacity = round(review_capacity * per_day)
    # The lowest score whose band [review, block) holds at most the capacity (ties count whole).
    band = scores[(scores < block) & (scores >= review_min_score)]
    values, counts = np.unique(band, return_counts=True)
    in_band = np.cumsum(counts[::-1])[::-1]  # listings with score >= values[i] and < block
    fits = np.flatnonzero(in_band <= capacity)
    review = float(values[fits[0]]) if len(fits) else block
    n_review = int(in_band[fits[0]]) if len(fits) else 0
    return Thresholds(
        block=block,
        review=review,
        method=method
        + f"; review band sized to {review_capacity} listings/day"
        + (f", no lower than score {review_min_score:g}" if review_min_score > 0 else ""),
        target_precision=target_precision,
        review_capacity=review_capacity,
        achieved_precision=achieved_p,
        achieved_recall=achieved_r,
        review_per_day=n_review / per_day,
    )


def _policy_decisions(
    scores: np.ndarray,
    X: np.ndarray,
    enriched: pd.DataFrame,
    names: list[str],
    thresholds: Thresholds,
    familiarity: Familiarity,
    declared_status: Callable[[str], tuple[str, str]],
) -> tuple[np.ndarray, dict[str, Any], np.ndarray]:
    """Hold-out decisions under the decision policy, how many listings it moved, and which
    listings are unfamiliar."""
    columns = {
        name: enriched[name].to_numpy(dtype=object)
        for name in FAMILIARITY_FIELDS
        if name in enriched
    }
    gates = policy_gates(
        Evidence(names), familiarity, X, lambda: columns, range(len(scores)), declared_status
    )
    evidence, unfamiliar, found = gates
    assert evidence is not None and unfamiliar is not None
    kinds: Counter[str] = Counter()
    for notes in found.values():
        kinds.update({_unfamiliar_kind(note) for note in notes})
    over = scores >= thresholds.block
    gated = decide(
        scores, thresholds.block, thresholds.review, evidence=evidence, unfamiliar=unfamiliar
    )
    n = max(len(scores), 1)
    return (
        gated,
        {
            "rows": len(scores),
            "over_block_threshold": int(over.sum()),
            "blocked": int((gated == "block").sum()),
            "moved_to_review": int((over & (gated == "review")).sum()),
            "moved_no_evidence": int((over & ~evidence).sum()),
            "moved_unfamiliar": int((over & unfamiliar).sum()),
            "unfamiliar_share": float(unfamiliar.mean()) if len(scores) else 0.0,
            "unfamiliar_share_by_check": {k: v / n for k, v in sorted(kinds.items())},
            "no_evidence_share": float((~evidence).mean()) if len(scores) else 0.0,
        },
        unfamiliar,
    )


def _unfamiliar_kind(note: str) -> str:
    for prefix, kind in (
        ("brand ", "unknown_brand"),
        ("price ", "price_range"),
        ("title written", "script"),
        ("no seller history", "no_seller_history"),
    ):
        if note.startswith(prefix):
            return kind
    return "other"


def _decision_metrics(y: np.ndarray, decisions: np.ndarray) -> dict[str, float]:
    blocked = decisions == "block"
    reviewed = decisions == "review"
    positives = max(int(y.sum()), 1)
    return {
        "block_precision": float(y[blocked].mean()) if blocked.any() else float("nan"),
        "block_recall": float(y[blocked].sum() / positives),
        "review_or_block_recall": float(y[blocked | reviewed].sum() / positives),
        "genuine_blocked_rate": float(blocked[y == 0].mean()) if (y == 0).any() else 0.0,
        "review_share": float(reviewed.mean()),
    }


def _calibrated_scores(
    calibrated: CalibratedClassifierCV, classifier: HistGradientBoostingClassifier, X: Any
) -> np.ndarray:
    """``calibrated.predict_proba(frame)[:, 1]`` from already computed features ``X``.

    The calibrator maps the frozen pipeline's decision function; computing it from ``X`` saves a
    second pass of the feature steps over the hold-out.
    """
    (fitted,) = calibrated.calibrated_classifiers_
    (isotonic,) = fitted.calibrators
    return np.clip(isotonic.predict(classifier.decision_function(X)), 0.0, 1.0)
