"""The evaluation's figures, each a Rate whose definition names its denominator.

Classification figures need labels and scores; replay figures need the replay's timeline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cfdetect._ranking import (
    PRCurve,
    ap_interval,
    average_precision,
    brier,
    calibration,
    recall_at_precision,
    top_k_hits,
)
from cfdetect._stats import Rate, ratio_change
from cfdetect.evaluate._replay import (
    BY_BLOCK,
    BY_NOTICE,
    BY_REVIEW,
    NOT_REMOVED,
    SECONDS_PER_DAY,
    Timeline,
    to_seconds,
)

DAY_SECONDS = SECONDS_PER_DAY

DEFINITIONS = {
    "proactive_recall": "proactive takedowns (infringing listings removed by block or review "
    "before any notice) ÷ all infringing listings in the period",
    "prepublication_catch_rate": "infringing listings blocked before publication ÷ all "
    "infringing listings",
    "removed_before_first_sale": "proactive takedowns removed before their first sale ÷ "
    "proactive takedowns (conditional on being caught)",
    "proactive_share_of_takedowns": "proactive takedowns ÷ infringing listings taken down in the "
    "period by block, review or notice (a share of takedowns, not of infringing listings)",
    "notices_change": "notices with the model ÷ notices with the baseline − 1 (approximate "
    "interval: both counts taken as Poisson)",
    "notices_handled_24h": "notices handled within 24 h of reported_at ÷ all notices in the period",
    "wrongly_blocked_rate": "genuine listings blocked ÷ all genuine listings",
    "genuine_sellers_affected": "sellers with at least one genuine listing blocked ÷ sellers with "
    "at least one genuine listing",
    "genuine_reviewed_rate": "genuine listings sent to review ÷ all genuine listings",
    "review_queue_genuine_share": "genuine listings ÷ all listings sent to review",
    "flagged_recall": "infringing listings blocked or sent to review ÷ all infringing listings "
    "(proactive recall with unlimited reviewers and no notices)",
    "infringing_sold": "infringing listings that sold before removal ÷ all infringing listings",
    "pr_auc": "average precision of the scores; denominator: infringing listings; interval: "
    "logit (Boyd, Eng & Page 2013)",
    "recall_at_98_precision": "infringing listings at or above the threshold with the most "
    "recall among those with precision ≥ 98% ÷ all infringing listings",
    "recall_at_95_precision": "infringing listings at or above the threshold with the most "
    "recall among those with precision ≥ 95% ÷ all infringing listings",
    "precision_at_capacity": "infringing listings among the K highest-scored (K = review "
    "capacity × days of the period) ÷ K",
    "ece": "expected calibration error over 10 equal-width score bins: Σ (listings in bin ÷ all "
    "labelled listings) × |mean score − share infringing|; denominator: labelled listings; "
    "no interval",
}
REPLAY_KEYS = (
    "proactive_recall", "removed_before_first_sale", "notices_change", "notices_handled_24h",
    "infringing_sold", "proactive_share_of_takedowns",
)  # fmt: skip
LABEL_KEYS = (
    "prepublication_catch_rate", "wrongly_blocked_rate", "genuine_sellers_affected",
    "genuine_reviewed_rate", "review_queue_genuine_share", "flagged_recall", "pr_auc",
    "recall_at_98_precision", "recall_at_95_precision", "precision_at_capacity", "brier", "ece",
)  # fmt: skip


def classification_figures(
    frame: pd.DataFrame,
    y: np.ndarray,
    score: np.ndarray,
    decision: np.ndarray,
    review_capacity: float,
    curve: PRCurve,
) -> dict[str, Rate]:
    d = DEFINITIONS
    blocked = decision == "block"
    reviewed = decision == "review"
    positives, genuine = int(y.sum()), int((~y).sum())
    figures = {
        "prepublication_catch_rate": Rate.of(
            "prepublication_catch_rate", np.sum(blocked & y), positives,
            d["prepublication_catch_rate"],
        ),
        "flagged_recall": Rate.of(
            "flagged_recall", np.sum((blocked | reviewed) & y), positives, d["flagged_recall"]
        ),
        "wrongly_blocked_rate": Rate.of(
            "wrongly_blocked_rate", np.sum(blocked & ~y), genuine, d["wrongly_blocked_rate"]
        ),
        "genuine_reviewed_rate": Rate.of(
            "genuine_reviewed_rate", np.sum(reviewed & ~y), genuine, d["genuine_reviewed_rate"]
        ),
        "review_queue_genuine_share": Rate.of(
            "review_queue_genuine_share", np.sum(reviewed & ~y), np.sum(reviewed),
            d["review_queue_genuine_share"],
        ),
    }  # fmt: skip
    figures["genuine_sellers_affected"] = _sellers_affected(frame, y, blocked)
    ap = average_precision(curve)
    bounds = None if ap is None else ap_interval(ap, positives)
    low, high = bounds if bounds is not None else (None, None)
    figures["pr_auc"] = Rate("pr_auc", None, positives, ap, low, high, d["pr_auc"], "score")
    for target, key in ((0.98, "recall_at_98_precision"), (0.95, "recall_at_95_precision")):
        hits, threshold = recall_at_precision(curve, target)
        at = "no threshold reaches it" if threshold is None else f"threshold {threshold:.4g}"
        figures[key] = Rate.of(key, hits, positives, f"{d[key]} ({at})")
    figures["precision_at_capacity"] = _precision_at_capacity(frame, y, score, review_capacity)
    figures["brier"] = brier(y, score)
    cal = calibration(y, score)
    ece = cal.ece
    figures["ece"] = Rate("ece", None, int(y.size), ece, None, None, d["ece"], "score")
    return figures


def _sellers_affected(frame: pd.DataFrame, y: np.ndarray, blocked: np.ndarray) -> Rate:
    key = "genuine_sellers_affected"
    if "seller_id" not in frame:
        return Rate.missing(key, f"{DEFINITIONS[key]}: needs the column seller_id")
    sellers, uniques = pd.factorize(frame["seller_id"], use_na_sentinel=False)
    genuine_sellers = int(np.count_nonzero(np.bincount(sellers[~y], minlength=len(uniques))))
    affected = int(np.count_nonzero(np.bincount(sellers[blocked & ~y], minlength=len(uniques))))
    return Rate.of(key, affected, genuine_sellers, DEFINITIONS[key])


def _precision_at_capacity(
    frame: pd.DataFrame, y: np.ndarray, score: np.ndarray, review_capacity: float
) -> Rate:
    key = "precision_at_capacity"
    if "created_at" not in frame:
        return Rate.missing(key, f"{DEFINITIONS[key]}: needs created_at to count the days")
    created = to_seconds(frame["created_at"], "created_at")
    if np.isnan(created).any():
        return Rate.missing(key, f"{DEFINITIONS[key]}: created_at is missing in some rows")
    days = np.floor(created / SECONDS_PER_DAY)
    n_days = int(days.max() - days.min()) + 1 if days.size else 0
    k = min(int(np.floor(review_capacity * n_days)), int(y.size))
    hits = top_k_hits(y, score, k, tiebreak=created)  # equal scores: earlier submission first
    definition = f"{DEFINITIONS[key]}; K = {k:,} ({review_capacity:g}/day × {n_days} days)"
    return Rate.of(key, hits, k, definition)


def replay_figures(
    t: Timeline,
    base: Timeline,
    baseline_name: str,
    figures: dict[str, Rate],
    counts: dict[str, int | None],
    notes: list[str],
) -> np.ndarray:
    d = DEFINITIONS
    y = t.infringing
    positives = int(y.sum())
    noticed = ~np.isnan(t.notice_at)
    proactive = y & ((t.removed_by == BY_BLOCK) | (t.removed_by == BY_REVIEW)) & ~noticed
    n_proactive = int(proactive.sum())
    figures["proactive_recall"] = Rate.of(
        "proactive_recall", n_proactive, positives, d["proactive_recall"]
    )
    taken_down = y & (t.removed_by != NOT_REMOVED)
    figures["proactive_share_of_takedowns"] = Rate.of(
        "proactive_share_of_takedowns", n_proactive, np.sum(taken_down),
        d["proactive_share_of_takedowns"],
    )  # fmt: skip
    figures["removed_before_first_sale"] = Rate.of(
        "removed_before_first_sale", np.sum(proactive & ~t.sold), n_proactive,
        d["removed_before_first_sale"],
    )  # fmt: skip
    notices = int(noticed.sum())
    base_notices = int((~np.isnan(base.notice_at)).sum())
    figures["notices_change"] = ratio_change(
        "notices_change", notices, base_notices,
        f"{d['notices_change']}; baseline: {baseline_name}",
    )  # fmt: skip
    delay = t.notice_handled_at - t.notice_at
    fast = noticed & (delay <= DAY_SECONDS)  # NaN (not handled in the period) is False
    figures["notices_handled_24h"] = Rate.of(
        "notices_handled_24h", np.sum(fast), notices, d["notices_handled_24h"]
    )
    figures["infringing_sold"] = Rate.of(
        "infringing_sold", np.sum(y & t.sold), positives, d["infringing_sold"]
    )
    reviews = t.decision == "review"
    unfinished_reviews = int(np.sum(reviews & np.isnan(t.reviewed_at)))
    unhandled = int(np.sum(noticed & np.isnan(t.notice_handled_at)))
    counts.update(
        notices=notices,
        notices_baseline=base_notices,
        proactive_takedowns=n_proactive,
        removed_by_block=int(np.sum(y & (t.removed_by == BY_BLOCK))),
        removed_by_review=int(np.sum(y & (t.removed_by == BY_REVIEW))),
        removed_by_notice=int(np.sum(y & (t.removed_by == BY_NOTICE))),
        infringing_never_removed=int(np.sum(y & (t.removed_by == NOT_REMOVED))),
        reviews_unfinished=unfinished_reviews,
        notices_unhandled=unhandled,
        notices_genuine=int(np.sum(noticed & ~y)),
    )
    if unfinished_reviews:
        notes.append(
            f"The review queue did not keep up: {unfinished_reviews:,} of {int(reviews.sum()):,} "
            "reviews were not finished by the end of the period; those listings stayed live."
        )
    if unhandled:
        notes.append(
            f"The notice team did not keep up: {unhandled:,} of {notices:,} notices were not "
            "handled by the end of the period."
        )
    return proactive
