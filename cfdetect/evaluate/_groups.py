"""Per-group tables (per brand, per category, registered vs unregistered brands), vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cfdetect._stats import Z95

MISSING_GROUP = "(none)"


def wilson_arrays(
    k: np.ndarray, n: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`~cfdetect.evaluate.wilson_interval`: value, low, high (NaN where n=0).

    Examples
    --------
    >>> v, lo, hi = wilson_arrays(np.array([5, 0]), np.array([10, 0]))
    >>> v.tolist()[0], round(float(lo[0]), 4), round(float(hi[0]), 4), bool(np.isnan(v[1]))
    (0.5, 0.2366, 0.7634, True)
    """
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denom
        half = z / denom * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    empty = n == 0
    return np.where(empty, np.nan, p), np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def group_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Group codes and labels: booleans become "registered"/"unregistered"; other values are
    trimmed strings; missing and blank values become "(none)" (always the last label, possibly
    with no rows).

    Examples
    --------
    >>> codes, labels = group_codes(pd.Series(["A", " A", None, "B"]))
    >>> codes.tolist(), labels.tolist()
    ([0, 0, 2, 1], ['A', 'B', '(none)'])
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if values.dtype == bool or str(values.dtype) == "boolean":
        names = ["registered" if u else "unregistered" for u in uniques]
    else:
        names = [str(u).strip() or MISSING_GROUP for u in uniques]
    merged, labels = pd.factorize(np.array(names + [MISSING_GROUP], dtype=object))
    return merged[codes], np.asarray(labels, dtype=object)


def grouped_average_precision(
    codes: np.ndarray,
    y: np.ndarray,
    scores: np.ndarray,
    n_groups: int,
    score_order: np.ndarray | None = None,
) -> np.ndarray:
    """Average precision of each group (NaN for a group without positives), in one sort.

    Examples
    --------
    >>> grouped_average_precision(np.array([0, 0, 1, 1]), np.array([1, 0, 0, 1]),
    ...                           np.array([0.9, 0.1, 0.8, 0.2]), 2).round(3).tolist()
    [1.0, 0.5]
    """
    n = codes.size
    if n == 0:
        return np.full(n_groups, np.nan)
    scores = np.asarray(scores, dtype=np.float64)
    if score_order is None:
        score_order = np.argsort(-scores, kind="stable")
    small = codes.astype(np.uint16 if n_groups < 2**16 else np.int64)  # uint16 sorts by radix
    order = score_order[np.argsort(small[score_order], kind="stable")]
    c, s, yy = codes[order], scores[order], y[order].astype(np.float64)
    starts = np.r_[True, c[1:] != c[:-1]]
    start_idx = np.flatnonzero(starts)
    member = np.cumsum(starts) - 1
    cum_tp = np.cumsum(yy)
    tp = cum_tp - (cum_tp - yy)[start_idx][member]
    flagged = np.arange(1, n + 1) - start_idx[member]
    boundary = np.flatnonzero(np.r_[(s[1:] != s[:-1]) | (c[1:] != c[:-1]), True])
    tp_b, group_b = tp[boundary], member[boundary]
    previous = np.r_[0.0, tp_b[:-1]]
    previous[np.r_[True, group_b[1:] != group_b[:-1]]] = 0.0
    area = np.bincount(group_b, weights=(tp_b - previous) * tp_b / flagged[boundary])
    positives = np.bincount(member, weights=yy)
    out = np.full(n_groups, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[c[start_idx]] = np.where(positives > 0, area / positives, np.nan)
    return out


def group_table(
    keys: pd.Series,
    y: np.ndarray,
    scores: np.ndarray,
    decision: np.ndarray,
    proactive: np.ndarray | None = None,
    name: str = "group",
    score_order: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per group: counts, recall at the decisions, wrongly blocked, PR-AUC.

    Columns: ``name``, ``rows``, ``infringing``, ``genuine``, ``blocked``, ``reviewed``,
    ``flagged_infringing`` and ``flagged_recall`` (infringing blocked or sent to review ÷
    infringing) with ``_low``/``_high``, ``genuine_blocked`` and ``wrongly_blocked`` (÷ genuine)
    with ``_low``/``_high``, ``pr_auc`` (only where both classes are present) and, when the replay
    ran, ``proactive_takedowns`` and ``proactive_recall`` (÷ infringing). Sorted by rows, largest
    first. ``score_order`` (``argsort(-scores, kind="stable")``) saves a sort when given.

    Examples
    --------
    >>> t = group_table(pd.Series(["A", "A", "B"]), np.array([1, 0, 1]),
    ...                 np.array([0.9, 0.2, 0.4]), np.array(["block", "allow", "allow"]),
    ...                 name="brand")
    >>> t[["brand", "rows", "flagged_recall", "wrongly_blocked", "pr_auc"]].values.tolist()
    [['A', 2, 1.0, 0.0, 1.0], ['B', 1, 0.0, nan, nan]]
    """
    codes, labels = group_codes(keys)
    n_groups = len(labels)
    y = np.asarray(y, dtype=bool)
    blocked = decision == "block"
    flagged = blocked | (decision == "review")

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=mask, minlength=n_groups).astype(np.int64)

    infringing = count(y)
    rows = np.bincount(codes, minlength=n_groups)
    columns: dict[str, np.ndarray] = {
        name: labels,
        "rows": rows,
        "infringing": infringing,
        "genuine": rows - infringing,
        "blocked": count(blocked),
        "reviewed": count(decision == "review"),
        "flagged_infringing": count(flagged & y),
    }
    _add_rate(columns, "flagged_recall", columns["flagged_infringing"], infringing)
    columns["genuine_blocked"] = count(blocked & ~y)
    _add_rate(columns, "wrongly_blocked", columns["genuine_blocked"], columns["genuine"])
    auc = grouped_average_precision(codes, y, scores, n_groups, score_order)
    columns["pr_auc"] = np.where(columns["genuine"] > 0, auc, np.nan)
    if proactive is not None:
        columns["proactive_takedowns"] = count(np.asarray(proactive, dtype=bool) & y)
        _add_rate(columns, "proactive_recall", columns["proactive_takedowns"], infringing)
    table = pd.DataFrame(columns)
    table = table[table["rows"] > 0]
    return table.sort_values(["rows", name], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def _add_rate(table: dict[str, np.ndarray], column: str, k: np.ndarray, n: np.ndarray) -> None:
    value, low, high = wilson_arrays(k, n)
    table[column] = value
    table[f"{column}_low"] = low
    table[f"{column}_high"] = high
