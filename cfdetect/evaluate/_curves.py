"""Curves over time from the replay: survival of infringing listings and notices per week."""

from __future__ import annotations

import numpy as np

from cfdetect.evaluate._replay import SECONDS_PER_DAY, Timeline

SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier survival curve: the share of items whose event has not happened by ``t``.

    Parameters
    ----------
    durations : ndarray of float
        Time from the start to the event, or to censoring when ``observed`` is False.
    observed : ndarray of bool
        True when the event happened at ``durations``.

    Returns
    -------
    (times, survival)
        Step function: ``survival[i]`` holds from ``times[i]`` on; starts at ``(0, 1)``.

    Examples
    --------
    >>> t, s = kaplan_meier(np.array([1.0, 2.0, 2.0, 3.0]), np.array([True, True, False, True]))
    >>> t.tolist(), s.round(3).tolist()
    ([0.0, 1.0, 2.0, 3.0], [1.0, 0.75, 0.5, 0.0])
    """
    durations = np.asarray(durations, dtype=np.float64)
    observed = np.asarray(observed, dtype=bool)
    if durations.size == 0:
        return np.array([0.0]), np.array([1.0])
    times, inverse = np.unique(durations, return_inverse=True)
    events = np.bincount(inverse, weights=observed, minlength=times.size)
    leaving = np.bincount(inverse, minlength=times.size)
    at_risk = durations.size - np.r_[0, np.cumsum(leaving)[:-1]]
    survival = np.cumprod(1.0 - events / at_risk)
    keep = events > 0
    times, survival = times[keep], survival[keep]
    if times.size == 0 or times[0] > 0:
        return np.r_[0.0, times], np.r_[1.0, survival]
    return times, survival


def survival_curves(t: Timeline) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Survival in days of the infringing listings: until removal, and until the first sale they
    would make if left live. Both are censored at the end of the period.

    Examples
    --------
    >>> import pandas as pd
    >>> from cfdetect.evaluate._replay import run_timeline
    >>> day = pd.Timestamp("2025-01-01", tz="UTC")
    >>> frame = pd.DataFrame({"created_at": [day], "is_counterfeit": [1],
    ...     "first_sale_at": [day + pd.Timedelta("2D")], "reported_at": [pd.NaT]})
    >>> tl = run_timeline(frame, np.array(["review"]), review_capacity=1, notice_capacity=1)
    >>> curves = survival_curves(tl)
    >>> curves["removal"][0].tolist(), curves["first_sale"][0].tolist()
    ([0.0, 1.0], [0.0, 2.0])
    """
    fake = t.infringing
    created = t.created[fake]
    open_for = t.end - created
    removed = t.removed_at[fake] - created
    removal_seen = np.isfinite(removed)
    sale = t.sale[fake] - created
    sale_seen = np.isfinite(sale) & (t.sale[fake] <= t.end)
    return {
        "removal": kaplan_meier(
            np.where(removal_seen, removed, open_for) / SECONDS_PER_DAY, removal_seen
        ),
        "first_sale": kaplan_meier(
            np.where(sale_seen, sale, open_for) / SECONDS_PER_DAY, sale_seen
        ),
    }


def weekly_notices(model: Timeline, baseline: Timeline | None) -> dict[str, np.ndarray]:
    """Notices per week of the period (week 0 starts at the first submission), for the model's
    replay and the baseline's.

    Examples
    --------
    >>> import pandas as pd
    >>> from cfdetect.evaluate._replay import run_timeline
    >>> day = pd.Timestamp("2025-01-01", tz="UTC")
    >>> frame = pd.DataFrame({"created_at": [day, day], "is_counterfeit": [1, 1],
    ...     "first_sale_at": [pd.NaT, pd.NaT],
    ...     "reported_at": [day + pd.Timedelta("1D"), day + pd.Timedelta("8D")]})
    >>> tl = run_timeline(frame, np.array(["allow"] * 2), review_capacity=1, notice_capacity=1)
    >>> weekly_notices(tl, None)["model"].tolist()
    [1, 1, 0, 0, 0]
    """
    weeks = int(np.floor(model.end / SECONDS_PER_WEEK)) + 1
    out = {"week": np.arange(weeks), "model": _per_week(model.notice_at, weeks)}
    if baseline is not None:
        out["baseline"] = _per_week(baseline.notice_at, weeks)
    return out


def _per_week(notice_at: np.ndarray, weeks: int) -> np.ndarray:
    seen = notice_at[np.isfinite(notice_at)]
    which = np.clip((seen // SECONDS_PER_WEEK).astype(np.int64), 0, weeks - 1)
    return np.bincount(which, minlength=weeks)
