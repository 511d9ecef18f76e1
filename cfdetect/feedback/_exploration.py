"""The exploration slice of the review queue and what it lets an operator estimate.

Reviewers only see what the model flagged, so their verdicts say nothing about what it allowed
(or about how right its blocks were). The exploration slice reserves a share of each day's review
capacity (default 5%) for listings drawn at random from that day's ``allow`` and ``block``
decisions: each such listing is drawn independently with the same known probability
``exploration_probability`` = min(1, reserved slots / allow-and-block listings of the day)
(Poisson sampling). The rest of the capacity works the ``review`` decisions, highest score first.

With the verdicts, :func:`estimate_recall` estimates, from review labels alone, how many
infringing listings were allowed, blocked and sent to review, each with a Horvitz-Thompson sum
``sum(y_i / p_i)`` over the reviewed listings (``p_i`` the chance listing ``i`` was reviewed),
and from them the proactive recall (caught before publication or by review, over all infringing)
and the infringing share of allowed traffic, with percentile intervals from a Poisson bootstrap
of the reviewed listings (each reviewed listing weighted by a Poisson(1) draw).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cfdetect.errors import InputError, UsageError

DEFAULT_EXPLORATION = 0.05


def plan_reviews(
    decisions: object,
    scores: object,
    days: object,
    *,
    capacity: float,
    exploration: float = DEFAULT_EXPLORATION,
    seed: int = 0,
) -> pd.DataFrame:
    """Decide which listings reviewers see each day: the exploration slice and the queue.

    Parameters
    ----------
    decisions : array-like of str
        ``block``/``review``/``allow`` per listing.
    scores : array-like of float
        The model's scores (the queue works the highest first).
    days : array-like
        The day (any hashable, e.g. a date or an integer) each listing was submitted.
    capacity : float
        Listings reviewers finish per day.
    exploration : float
        Share of the capacity reserved for the exploration slice (0 to 1).
    seed : int
        Seed of the draws.

    Returns
    -------
    DataFrame
        In input order: ``queued`` ("review", "exploration" or "" for not reviewed),
        ``exploration_probability`` (the chance an allow/block listing was drawn; NaN for review
        decisions), ``review_probability`` (the chance the listing was reviewed at all:
        the exploration probability, or for review decisions the share of that day's review
        decisions the queue reached).

    Examples
    --------
    >>> plan = plan_reviews(["allow"] * 95 + ["review"] * 5, [0.0] * 95 + [0.5] * 5,
    ...                     [0] * 100, capacity=10, exploration=0.5)
    >>> round(float(plan["exploration_probability"].iloc[0]), 4)  # 5 slots / 95 allowed
    0.0526
    """
    if not 0 <= exploration <= 1:
        raise UsageError(f"exploration must be a share between 0 and 1, not {exploration}")
    if capacity < 0:
        raise UsageError(f"review capacity must be 0 or more per day, not {capacity}")
    decision = np.asarray(decisions, dtype=object)
    score = np.asarray(scores, dtype=np.float64)
    day = pd.factorize(np.asarray(days, dtype=object))[0]
    n = decision.size
    if score.size != n or day.size != n:
        raise UsageError("decisions, scores and days must have the same length")
    rng = np.random.default_rng(seed)
    queued = np.full(n, "", dtype=object)
    explore_p = np.full(n, np.nan)
    review_p = np.zeros(n)
    eligible = (decision == "allow") | (decision == "block")
    reserved = capacity * exploration
    draws = rng.random(n)
    for d in np.unique(day):
        rows = day == d
        pool = rows & eligible
        n_pool = int(pool.sum())
        p = min(1.0, reserved / n_pool) if n_pool else 0.0
        explore_p[pool] = p
        review_p[pool] = p
        picked = pool & (draws < p)
        queued[picked] = "exploration"
        left = max(int(np.floor(capacity - picked.sum())), 0)
        candidates = np.flatnonzero(rows & (decision == "review"))
        if candidates.size:
            order = candidates[np.argsort(-score[candidates], kind="stable")]
            queued[order[:left]] = "review"
            review_p[candidates] = min(left, candidates.size) / candidates.size
    return pd.DataFrame(
        {"queued": queued, "exploration_probability": explore_p, "review_probability": review_p}
    )


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its interval."""

    value: float
    low: float
    high: float

    def covers(self, truth: float) -> bool:
        """Whether the interval holds ``truth``."""
        return bool(self.low <= truth <= self.high)

    def as_dict(self) -> dict[str, float]:
        """``{"value", "low", "high"}``."""
        return {"value": self.value, "low": self.low, "high": self.high}


def horvitz_thompson(y: object, p: object, weights: object | None = None) -> float:
    """The Horvitz-Thompson estimate of a population total, ``sum(w_i y_i / p_i)`` over the
    sampled units (``p_i`` > 0 their inclusion probabilities).

    Examples
    --------
    >>> horvitz_thompson([1, 0, 1], [0.5, 0.5, 0.25])
    6.0
    """
    y_arr = np.asarray(y, dtype=np.float64)
    p_arr = np.asarray(p, dtype=np.float64)
    if (p_arr <= 0).any() or (p_arr > 1).any():
        raise InputError("inclusion probabilities must lie in (0, 1]")
    w = np.ones_like(y_arr) if weights is None else np.asarray(weights, dtype=np.float64)
    return float(np.sum(w * y_arr / p_arr))


def estimate_recall(
    frame: pd.DataFrame,
    *,
    label_column: str = "review_label",
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    label_error: float = 0.0,
) -> dict[str, object]:
    """Estimate recall and the infringing share of allowed traffic from review labels alone.

    Parameters
    ----------
    frame : DataFrame
        One row per listing: ``decision``, ``review_probability`` (:func:`plan_reviews`) and
        ``label_column``: the reviewer's verdict (1 infringing, 0 genuine) on reviewed rows,
        missing elsewhere. Rows with a verdict must have a positive review probability.
    label_column : str
        The verdict column.
    n_boot, level, seed : int, float, int
        Poisson-bootstrap replicates, interval level and seed.
    label_error : float
        The reviewers' known error rate ``e`` (a verdict flipped either way with probability
        ``e`` < 0.5): each verdict ``v`` counts as ``(v - e) / (1 - 2e)``, unbiased for the true
        label. Without it, on a sample that is mostly genuine, 2% of flipped verdicts add about
        2 points to the infringing share of allowed traffic.

    Returns
    -------
    dict
        ``recall`` (caught by block or review over all infringing), ``allowed_infringing_share``
        (infringing share of allowed listings), ``allowed_infringing``, ``blocked_infringing``,
        ``reviewed_infringing`` (estimated counts): each an :class:`Estimate`; ``reviewed``
        (verdicts used) and ``explored`` (of them from the exploration slice, allow or block).
    """
    for column in ("decision", "review_probability", label_column):
        if column not in frame.columns:
            raise InputError(f"the recall estimate needs the column {column}")
    label = pd.to_numeric(frame[label_column], errors="coerce").to_numpy(dtype=np.float64)
    seen = ~np.isnan(label)
    decision = frame["decision"].astype(str).to_numpy()[seen]
    p = frame["review_probability"].to_numpy(dtype=np.float64)[seen]
    y = label[seen]
    if not 0 <= label_error < 0.5:
        raise UsageError(f"label_error must be in [0, 0.5), not {label_error}")
    y = (y - label_error) / (1 - 2 * label_error)
    if (p <= 0).any():
        raise InputError("rows with a verdict must have a review probability above 0")
    n_allow = float((frame["decision"].astype(str) == "allow").sum())
    groups = {d: decision == d for d in ("allow", "block", "review")}

    def figures(w: np.ndarray) -> np.ndarray:
        # the label-error correction can push a total below 0: a count of infringing listings
        # is at least 0, and recall and the share lie in [0, 1] (so do their intervals)
        totals = {d: max(0.0, float(np.sum(w[m] * y[m] / p[m]))) for d, m in groups.items()}
        caught = totals["block"] + totals["review"]
        everything = caught + totals["allow"]
        recall = caught / everything if everything > 0 else np.nan
        share = min(1.0, totals["allow"] / n_allow) if n_allow else np.nan
        return np.array([recall, share, totals["allow"], totals["block"], totals["review"]])

    point = figures(np.ones(y.size))
    rng = np.random.default_rng(seed)
    boot = np.array([figures(rng.poisson(1.0, y.size).astype(float)) for _ in range(n_boot)])
    alpha = (1 - level) / 2
    low = np.nanquantile(boot, alpha, axis=0) if n_boot else point
    high = np.nanquantile(boot, 1 - alpha, axis=0) if n_boot else point
    names = ("recall", "allowed_infringing_share", "allowed_infringing", "blocked_infringing",
             "reviewed_infringing")  # fmt: skip
    out: dict[str, object] = {
        name: Estimate(float(point[i]), float(low[i]), float(high[i]))
        for i, name in enumerate(names)
    }
    out["reviewed"] = int(y.size)
    out["explored"] = int((groups["allow"] | groups["block"]).sum())
    out["level"] = level
    return out


EXPLORATION_COLUMNS = ("review_probability", "review_label")
"""Columns that let ``cfdetect evaluate`` estimate recall from review labels alone."""


def exploration_summary(
    frame: pd.DataFrame, decisions: object
) -> tuple[dict[str, Any], str] | None:
    """The exploration estimate for ``cfdetect evaluate`` (None without ``EXPLORATION_COLUMNS``).

    ``decisions`` must be those the review plan was made from (the same model and thresholds).
    Returns the figures (JSON-ready) and a sentence for the report's notes.
    """
    if not all(c in frame.columns for c in EXPLORATION_COLUMNS):
        return None
    data = pd.DataFrame(
        {
            "decision": np.asarray(decisions, dtype=object),
            "review_probability": pd.to_numeric(frame["review_probability"], errors="coerce")
            .fillna(0.0)
            .to_numpy(),
            "review_label": pd.to_numeric(frame["review_label"], errors="coerce").to_numpy(),
        }
    )
    if not data["review_label"].notna().any():
        return None
    found = estimate_recall(data)
    recall, share = found["recall"], found["allowed_infringing_share"]
    assert isinstance(recall, Estimate) and isinstance(share, Estimate)
    figures = {
        "recall": recall.as_dict(),
        "allowed_infringing_share": share.as_dict(),
        "reviewed": found["reviewed"],
        "explored": found["explored"],
    }
    sentence = (
        f"Exploration estimate from review labels alone ({found['reviewed']:,} verdicts, "
        f"{found['explored']:,} from the exploration slice): the model flagged "
        f"{recall.value:.1%} of infringing listings [95% interval {recall.low:.1%}–"
        f"{recall.high:.1%}]; {share.value:.2%} of allowed listings infringe "
        f"[{share.low:.2%}–{share.high:.2%}] (inverse-propensity weighted, docs/operating.md)."
    )
    return figures, sentence
