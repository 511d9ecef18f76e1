"""Ranking and calibration figures of scores against labels (no timeline needed).

The one metrics module: ``cfdetect evaluate``'s figures and the hold-out metrics training writes
to the model card (``ranking_metrics``) are computed here.

Ties: listings with equal scores share one threshold (the precision-recall curve steps over them
together), except for precision at a fixed number of listings, where equal scores are taken in
the order given (the evaluation passes them in submission order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cfdetect._stats import Z95, Rate

N_BINS = 10


@dataclass(frozen=True)
class PRCurve:
    """Precision and recall at each distinct score threshold, highest threshold first.

    Attributes
    ----------
    thresholds : ndarray
        Distinct scores, descending; a listing is flagged when its score is ``>=`` the threshold.
    tp, fp : ndarray of int
        Infringing and genuine listings flagged at each threshold.
    positives : int
        All infringing listings.
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    positives: int

    @property
    def precision(self) -> np.ndarray:
        """``tp / (tp + fp)`` at each threshold."""
        return self.tp / np.maximum(self.tp + self.fp, 1)

    @property
    def recall(self) -> np.ndarray:
        """``tp / positives`` at each threshold (zeros when there are no positives)."""
        return self.tp / max(self.positives, 1)


def pr_curve(y: np.ndarray, scores: np.ndarray) -> PRCurve:
    """The precision-recall curve of ``scores`` for the 0/1 labels ``y``.

    Examples
    --------
    >>> c = pr_curve(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.8, 0.1]))
    >>> c.thresholds.tolist(), c.tp.tolist(), c.fp.tolist()
    ([0.9, 0.8, 0.1], [1, 2, 2], [0, 1, 2])
    """
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    tp = np.cumsum(y[order], dtype=np.int64)
    fp = np.arange(1, y.size + 1, dtype=np.int64) - tp
    last = np.flatnonzero(np.r_[ranked[1:] != ranked[:-1], True]) if y.size else np.array([], int)
    return PRCurve(ranked[last], tp[last], fp[last], int(y.sum()))


def average_precision(curve: PRCurve) -> float | None:
    """PR-AUC as average precision: ``sum_k (R_k - R_{k-1}) P_k`` over thresholds (no
    interpolation; scikit-learn's ``average_precision_score``). None without positives.

    Examples
    --------
    >>> c = pr_curve(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1]))
    >>> round(average_precision(c), 4)  # (1/2)*1 + (1/2)*(2/3)
    0.8333
    """
    if curve.positives == 0:
        return None
    recall_steps = np.diff(np.r_[0, curve.tp]) / curve.positives
    return float(np.sum(recall_steps * curve.precision))


def ap_interval(ap: float, positives: int, z: float = Z95) -> tuple[float, float] | None:
    """Logit interval of average precision (Boyd, Eng & Page, ECML 2013): ``expit(logit(AP) ±
    z / sqrt(n_pos AP (1 - AP)))``. None when AP is 0 or 1 or there are no positives.

    Examples
    --------
    >>> [round(b, 3) for b in ap_interval(0.8, 100)]
    [0.71, 0.867]
    """
    if positives <= 0 or not 1e-12 < ap < 1.0 - 1e-12:
        return None
    centre = math.log(ap / (1.0 - ap))
    half = z / math.sqrt(positives * ap * (1.0 - ap))
    return _expit(centre - half), _expit(centre + half)


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))  # no overflow for very negative x


def recall_at_precision(curve: PRCurve, target: float) -> tuple[int, float | None]:
    """Largest number of infringing listings flagged by a threshold whose precision is at least
    ``target``, and that threshold (None, with 0 flagged, when no threshold reaches it).

    Examples
    --------
    >>> c = pr_curve(np.array([1, 1, 0, 1]), np.array([0.9, 0.8, 0.7, 0.6]))
    >>> recall_at_precision(c, 0.98), recall_at_precision(c, 0.75)
    ((2, 0.8), (3, 0.6))
    """
    ok = np.flatnonzero(curve.precision >= target - 1e-12)
    if ok.size == 0:
        return 0, None
    best = ok[np.argmax(curve.tp[ok])]
    return int(curve.tp[best]), float(curve.thresholds[best])


def top_k_hits(
    y: np.ndarray, scores: np.ndarray, k: int, tiebreak: np.ndarray | None = None
) -> int:
    """Infringing listings among the ``k`` highest scores, in linear time.

    Listings tied at the ``k``-th score are taken in ``tiebreak`` order (then row order).

    Examples
    --------
    >>> top_k_hits(np.array([0, 1, 1]), np.array([0.5, 0.5, 0.1]), 1)
    0
    >>> top_k_hits(np.array([0, 1, 1]), np.array([0.5, 0.5, 0.1]), 1, np.array([2.0, 1.0, 0.0]))
    1
    """
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n = scores.size
    if k <= 0:
        return 0
    if k >= n:
        return int(y.sum())
    kth = np.partition(scores, n - k)[n - k]
    above = scores > kth
    ties = np.flatnonzero(scores == kth)
    if tiebreak is not None:
        ties = ties[np.lexsort((ties, np.asarray(tiebreak)[ties]))]
    taken = ties[: k - int(above.sum())]
    return int(y[above].sum() + y[taken].sum())


def brier(y: np.ndarray, scores: np.ndarray, name: str = "brier") -> Rate:
    """Brier score: the mean squared difference of score and label, with a normal interval.

    ``numerator`` is the sum of squared errors and ``denominator`` the number of listings.

    Examples
    --------
    >>> r = brier(np.array([1, 0]), np.array([0.8, 0.4]))
    >>> round(r.value, 4), r.denominator
    (0.1, 2)
    """
    errors = (np.asarray(scores, dtype=np.float64) - np.asarray(y, dtype=np.float64)) ** 2
    definition = (
        "mean of (score − label)² over all labelled listings (the denominator); "
        "interval: normal approximation"
    )
    n = errors.size
    if n == 0:
        return Rate(name, 0.0, 0, None, None, None, definition, "score")
    value = float(errors.mean())
    half = Z95 * float(errors.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    total = float(errors.sum())
    low, high = max(0.0, value - half), min(1.0, value + half)
    return Rate(name, total, n, value, low, high, definition, "score")


@dataclass(frozen=True)
class Calibration:
    """Reliability table over ``N_BINS`` equal-width score bins (a score of 1.0 is in the last).

    Attributes
    ----------
    count, mean_score, positive_rate : ndarray
        Listings, their mean score and the share infringing in each bin (NaN for empty bins).
    """

    count: np.ndarray
    mean_score: np.ndarray
    positive_rate: np.ndarray

    @property
    def ece(self) -> float | None:
        """Expected calibration error ``sum_b (n_b / n) |mean score_b - positive rate_b|``."""
        n = int(self.count.sum())
        if n == 0:
            return None
        used = self.count > 0
        gaps = np.abs(self.mean_score[used] - self.positive_rate[used])
        return float(np.sum(self.count[used] / n * gaps))


def calibration(y: np.ndarray, scores: np.ndarray, bins: int = N_BINS) -> Calibration:
    """Bin the scores in ``bins`` equal-width bins of [0, 1] and compare them with the labels.

    Examples
    --------
    >>> cal = calibration(np.array([1, 0, 1, 1]), np.array([0.05, 0.05, 0.95, 1.0]))
    >>> cal.count[[0, 9]].tolist(), round(cal.ece, 4)
    ([2, 2], 0.2375)
    """
    scores = np.asarray(scores, dtype=np.float64)
    which = np.clip(np.floor(scores * bins).astype(np.int64), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    sum_score = np.bincount(which, weights=scores, minlength=bins)
    sum_y = np.bincount(which, weights=np.asarray(y, dtype=np.float64), minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        return Calibration(count, sum_score / count, sum_y / count)


def calibration_curve(
    y: np.ndarray, scores: np.ndarray, bins: int = N_BINS
) -> list[dict[str, float]]:
    """``calibration`` as a model card records it: one entry per non-empty bin.

    Examples
    --------
    >>> curve = calibration_curve(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]), bins=2)
    >>> [(row["mean_score"], row["observed"], row["rows"]) for row in curve]
    [(0.15, 0.0, 2), (0.85, 1.0, 2)]
    """
    cal = calibration(y, scores, bins)
    return [
        {
            "low": round(b / bins, 4),
            "high": round((b + 1) / bins, 4),
            "mean_score": round(float(cal.mean_score[b]), 4),
            "observed": round(float(cal.positive_rate[b]), 4),
            "rows": int(cal.count[b]),
        }
        for b in range(bins)
        if cal.count[b]
    ]


def threshold_sweep(
    y: np.ndarray, scores: np.ndarray, grid: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Share of infringing and of genuine listings scoring at or above each threshold.

    Returns ``threshold``, ``catch_rate`` (infringing ≥ t ÷ infringing) and ``wrongly_flagged``
    (genuine ≥ t ÷ genuine): what blocking at ``t`` alone would do, before any review.

    Examples
    --------
    >>> out = threshold_sweep(np.array([1, 0]), np.array([0.9, 0.2]), np.array([0.1, 0.5]))
    >>> out["catch_rate"].tolist(), out["wrongly_flagged"].tolist()
    ([1.0, 1.0], [1.0, 0.0])
    """
    grid = np.linspace(0.0, 1.0, 101) if grid is None else np.asarray(grid, dtype=np.float64)
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    out = {"threshold": grid}
    for key, part in (("catch_rate", scores[y]), ("wrongly_flagged", scores[~y])):
        ranked = np.sort(part)
        at_or_above = ranked.size - np.searchsorted(ranked, grid, side="left")
        out[key] = at_or_above / ranked.size if ranked.size else np.full(grid.shape, np.nan)
    return out


def ranking_metrics(y: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """PR-AUC, recall at 95%/98% precision, Brier score and expected calibration error.

    The hold-out figures training writes to the model card; without both classes only the
    counts.

    Examples
    --------
    >>> m = ranking_metrics(np.array([0, 0, 1, 1]), np.array([0.0, 0.1, 0.9, 1.0]))
    >>> m["pr_auc"], m["recall_at_98_precision"], round(m["brier"], 4)
    (1.0, 1.0, 0.005)
    """
    y = np.asarray(y)
    scores = np.asarray(scores, dtype=np.float64)
    counts = {"rows": float(len(y)), "positives": float(np.sum(y))}
    if len(np.unique(y)) < 2:
        return counts
    curve = pr_curve(y, scores)

    def recall_at(target: float) -> float:
        return recall_at_precision(curve, target)[0] / curve.positives

    return {
        **counts,
        "pr_auc": float(average_precision(curve)),  # type: ignore[arg-type]
        "recall_at_95_precision": recall_at(0.95),
        "recall_at_98_precision": recall_at(0.98),
        "brier": float(brier(y, np.clip(scores, 0, 1)).value),  # type: ignore[arg-type]
        "ece": float(calibration(y, scores).ece),  # type: ignore[arg-type]
    }
