"""Replay a period of listings in time order: blocks, the review queue, sales, notices.

Semantics
---------
Every listing is scored at its submission time ``created_at`` and gets one decision.

* ``block`` removes it at ``created_at``, before publication: it is never live, never sells and
  is never reported.
* ``review`` publishes it at ``created_at`` and puts it in the review queue. The queue is worked
  first in, first out by ``created_at`` (ties: input order) by a deterministic single server that
  finishes one item every ``86400 / review_capacity`` seconds, around the clock: item ``i`` of the
  queue (0-based) completes at ``c_i = max(a_i, c_{i-1}) + s``, computed in closed form as
  ``c_i = (i + 1) s + max_{j <= i}(a_j - j s)``. An infringing listing is removed when its review
  completes (it may already have sold); a genuine one stays live.
* ``allow`` publishes it at ``created_at``.
* A live listing sells at ``first_sale_at`` if that is strictly before its removal, and is
  reported by the rights holder at ``reported_at`` if it is still live then; a removal at the
  same instant as a sale or a report wins (the listing is gone). Each report is a takedown
  notice. Notices are handled first in, first out by ``reported_at`` (ties: submission order) by a
  notice team modelled like the review queue with ``notice_capacity`` per day. Handling a notice
  removes an infringing listing (if a review has not removed it first; a review completing at
  the same instant as the notice handling counts as the remover). A notice about a genuine
  listing is declined: the listing stays live. A notice is handled, and takes a slot of the
  team's capacity, even when a review removed the listing after the report and before the
  notice's turn.
* The replayed period ends ``horizon_days`` (default 30) after the last submission. Nothing that
  would happen later happens in the replay: reviews and notices not finished by then stay
  unfinished (the listing stays live), and later sales and reports are not counted.

``published_at`` in the data is not used (publication is taken to be immediate at submission);
``first_sale_at`` and ``reported_at`` are read as "when this would happen if the listing stayed
live", which is what the simulator and a marketplace's history of unscreened listings give.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cfdetect.errors import InputError, UsageError

SECONDS_PER_DAY = 86_400.0
DEFAULT_HORIZON_DAYS = 30.0
DECISIONS = ("block", "review", "allow")
REMOVERS = ("block", "review", "notice")
"""``Timeline.removed_by`` codes index this tuple; -1 is "not removed"."""
NOT_REMOVED, BY_BLOCK, BY_REVIEW, BY_NOTICE = -1, 0, 1, 2
TIMELINE_COLUMNS = ("created_at", "first_sale_at", "reported_at")


def fifo_completion(arrivals: np.ndarray, capacity: float) -> np.ndarray:
    """Completion times of a first-in first-out single-server queue with fixed service time.

    Parameters
    ----------
    arrivals : ndarray of float
        Arrival times in seconds, sorted ascending (the service order).
    capacity : float
        Items finished per day; the service time is ``86400 / capacity`` seconds. With 0 nothing
        is ever finished (all completions are ``inf``).

    Examples
    --------
    >>> fifo_completion(np.array([0.0, 0.0, 0.0, 100_000.0]), capacity=2).tolist()
    [43200.0, 86400.0, 129600.0, 172800.0]
    """
    arrivals = np.asarray(arrivals, dtype=np.float64)
    if capacity < 0:
        raise UsageError(f"capacity must be 0 or more per day, not {capacity}")
    if capacity == 0:
        return np.full(arrivals.shape, np.inf)
    service = SECONDS_PER_DAY / capacity
    steps = np.arange(arrivals.size, dtype=np.float64) * service
    return steps + service + np.maximum.accumulate(arrivals - steps)


def to_seconds(values: object, column: str, origin_ns: int = 0) -> np.ndarray:
    """UTC timestamps (datetime or ISO strings; naive ones read as UTC) -> seconds since
    ``origin_ns`` (nanoseconds since the epoch), NaN for missing.

    Examples
    --------
    >>> to_seconds(pd.Series(["1970-01-02T00:00:00Z", None]), "created_at").tolist()
    [86400.0, nan]
    """
    raw = _to_datetime64(values, column)
    out = (raw.view(np.int64) - np.int64(origin_ns)).astype(np.float64) / 1e9
    out[np.isnat(raw)] = np.nan
    return out


def _to_datetime64(values: object, column: str) -> np.ndarray:
    try:
        stamps = pd.to_datetime(pd.Series(values), utc=True, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise InputError(f"column {column}: not a timestamp everywhere ({exc})") from exc
    return stamps.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def first_time_ns(values: object, column: str) -> int:
    """The earliest timestamp of a column in nanoseconds since the epoch (0 if none)."""
    raw = _to_datetime64(values, column)
    raw = raw[~np.isnat(raw)]
    return int(raw.min().view(np.int64)) if raw.size else 0


def to_timestamps(seconds: np.ndarray, origin_ns: int = 0) -> pd.Series:
    """Seconds since ``origin_ns`` (NaN/inf for never) -> UTC timestamps (NaT for never).

    Examples
    --------
    >>> to_timestamps(np.array([86400.0, np.nan])).tolist()
    [Timestamp('1970-01-02 00:00:00+0000', tz='UTC'), NaT]
    """
    seconds = np.asarray(seconds, dtype=np.float64)
    finite = np.isfinite(seconds)
    ns = np.zeros(seconds.shape, dtype=np.int64)
    ns[finite] = np.round(seconds[finite] * 1e9).astype(np.int64) + np.int64(origin_ns)
    stamps = ns.view("datetime64[ns]").copy()
    stamps[~finite] = np.datetime64("NaT")
    return pd.Series(pd.DatetimeIndex(stamps).tz_localize("UTC"))


def check_decisions(decisions: object, n: int) -> np.ndarray:
    """Return the decisions as an object array of "block"/"review"/"allow"; raise on anything else.

    Examples
    --------
    >>> check_decisions(["Block", "allow"], 2).tolist()
    ['block', 'allow']
    """
    codes, uniques = pd.factorize(np.asarray(decisions, dtype=object), use_na_sentinel=True)
    if codes.size != n:
        raise UsageError(f"{codes.size} decisions for {n} listings")
    names = np.array([str(u).strip().lower() for u in uniques] + [""], dtype=object)
    valid = np.isin(names, DECISIONS)
    bad = ~valid[codes]  # code -1 (missing) picks the trailing "" entry
    if bad.any():
        example = np.asarray(decisions, dtype=object)[np.argmax(bad)]
        raise InputError(
            f"{int(bad.sum())} decisions are not block/review/allow (first: {example!r})"
        )
    return names[codes]


def _labels(frame: pd.DataFrame) -> np.ndarray:
    if "is_counterfeit" not in frame:
        raise InputError("the replay needs the label column is_counterfeit")
    labels = pd.to_numeric(frame["is_counterfeit"], errors="coerce")
    if labels.isna().any():
        raise InputError(f"is_counterfeit is missing in {int(labels.isna().sum())} rows")
    return labels.to_numpy(dtype=np.float64) > 0


def replay(
    frame: pd.DataFrame,
    decisions: object,
    *,
    review_capacity: float,
    notice_capacity: float,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
) -> pd.DataFrame:
    """Replay the period and return each listing's outcome (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        ``listing_id``, ``created_at``, ``is_counterfeit``, ``first_sale_at``, ``reported_at``
        (nullable UTC timestamps), one row per listing.
    decisions : array-like of str
        "block", "review" or "allow" per row of ``frame``.
    review_capacity, notice_capacity : float
        Items the review team and the notice team finish per day.
    horizon_days : float
        The period ends this many days after the last submission.

    Returns
    -------
    DataFrame
        In the rows' order and index: ``listing_id``, ``decision``, ``published`` (bool),
        ``reviewed_at`` (review completion, any label), ``removed_at``, ``removed_by``
        (categorical "block", "review", "notice"; missing when never removed),
        ``sold_before_removal`` (bool), ``notice_at``, ``notice_handled_at``; times are UTC
        timestamps, NaT for "not within the period". ``attrs`` holds ``period_start``,
        ``period_end`` and the parameters.

    Examples
    --------
    >>> day = pd.Timestamp("2025-01-01", tz="UTC")
    >>> frame = pd.DataFrame({
    ...     "listing_id": ["a", "b"], "created_at": [day, day], "is_counterfeit": [1, 1],
    ...     "first_sale_at": [day + pd.Timedelta("1h"), pd.NaT],
    ...     "reported_at": [pd.NaT, day + pd.Timedelta("2D")]})
    >>> out = replay(frame, ["review", "allow"], review_capacity=48, notice_capacity=24)
    >>> out[["removed_by", "sold_before_removal"]].values.tolist()
    [['review', False], ['notice', False]]
    >>> out.loc[1, "notice_handled_at"] - out.loc[1, "notice_at"]
    Timedelta('0 days 01:00:00')
    """
    t = run_timeline(
        frame,
        check_decisions(decisions, len(frame)),
        review_capacity=review_capacity,
        notice_capacity=notice_capacity,
        horizon_days=horizon_days,
    )
    ids = frame["listing_id"].array if "listing_id" in frame else np.arange(len(frame))
    out = outcomes_frame(t, ids, frame.index)
    out.attrs.update(
        period_start=to_timestamps(np.array([0.0]), t.origin_ns)[0],
        period_end=to_timestamps(np.array([t.end]), t.origin_ns)[0],
        horizon_days=float(horizon_days),
        review_capacity=float(review_capacity),
        notice_capacity=float(notice_capacity),
    )
    return out


def outcomes_frame(t: Timeline, ids: object, index: pd.Index | None = None) -> pd.DataFrame:
    """The per-listing outcome frame of a :class:`Timeline` (see :func:`replay`)."""
    decision_codes = np.zeros(t.decision.size, dtype=np.int8)  # "block"
    decision_codes[t.decision == "review"] = 1
    decision_codes[t.decision == "allow"] = 2
    return pd.DataFrame(
        {
            "listing_id": ids,
            "decision": pd.Categorical.from_codes(decision_codes, categories=DECISIONS),
            "published": t.published,
            "reviewed_at": to_timestamps(t.reviewed_at, t.origin_ns).array,
            "removed_at": to_timestamps(t.removed_at, t.origin_ns).array,
            "removed_by": pd.Categorical.from_codes(t.removed_by, categories=REMOVERS),
            "sold_before_removal": t.sold,
            "notice_at": to_timestamps(t.notice_at, t.origin_ns).array,
            "notice_handled_at": to_timestamps(t.notice_handled_at, t.origin_ns).array,
        },
        index=index,
    )


@dataclass(frozen=True)
class Timeline:
    """The replay's arrays, one entry per listing; times in seconds since ``origin_ns``.

    ``removed_at`` is ``inf`` for never, the other times NaN for never; ``removed_by`` holds
    codes into ``REMOVERS`` (-1: not removed).
    """

    origin_ns: int
    end: float
    infringing: np.ndarray
    decision: np.ndarray
    created: np.ndarray
    sale: np.ndarray
    report: np.ndarray
    published: np.ndarray
    reviewed_at: np.ndarray
    removed_at: np.ndarray
    removed_by: np.ndarray
    sold: np.ndarray
    notice_at: np.ndarray
    notice_handled_at: np.ndarray


def run_timeline(
    frame: pd.DataFrame,
    decision: np.ndarray,
    *,
    review_capacity: float,
    notice_capacity: float,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
) -> Timeline:
    """The replay as arrays (what :func:`replay` returns as a frame); ``decision`` must come
    from :func:`check_decisions`."""
    missing = [c for c in TIMELINE_COLUMNS if c not in frame]
    if missing:
        raise InputError(f"the replay needs the columns {', '.join(missing)}")
    if horizon_days < 0:
        raise UsageError(f"horizon must be 0 days or more, not {horizon_days}")
    n = len(frame)
    if len(decision) != n:
        raise UsageError(f"{len(decision)} decisions for {n} listings")
    infringing = _labels(frame)
    origin = first_time_ns(frame["created_at"], "created_at")
    # Seconds since the first submission: exact multiples of the service times.
    created = to_seconds(frame["created_at"], "created_at", origin)
    if np.isnan(created).any():
        raise InputError(f"created_at is missing in {int(np.isnan(created).sum())} rows")
    sale = to_seconds(frame["first_sale_at"], "first_sale_at", origin)
    report = to_seconds(frame["reported_at"], "reported_at", origin)
    end = (float(created.max()) if n else 0.0) + horizon_days * SECONDS_PER_DAY

    order = np.lexsort((np.arange(n), created))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    blocked = decision == "block"
    reviewed = decision == "review"
    review_rows = order[reviewed[order]]
    reviewed_at = np.full(n, np.nan)
    reviewed_at[review_rows] = fifo_completion(created[review_rows], review_capacity)
    reviewed_at[reviewed_at > end] = np.nan  # not finished within the period
    review_removal = np.where(infringing & ~np.isnan(reviewed_at), reviewed_at, np.inf)

    before_notice = np.where(blocked, created, review_removal)
    # A report happens while live: published, within the period, strictly before removal.
    noticed = ~blocked & (report <= end) & (report < before_notice)  # NaN compares False
    notice_rows = np.flatnonzero(noticed)
    notice_rows = notice_rows[np.lexsort((rank[notice_rows], report[notice_rows]))]
    handled_at = np.full(n, np.nan)
    handled_at[notice_rows] = fifo_completion(report[notice_rows], notice_capacity)
    handled_at[handled_at > end] = np.nan
    notice_removal = np.where(infringing & ~np.isnan(handled_at), handled_at, np.inf)

    removed = np.minimum(before_notice, notice_removal)
    removed_by = np.full(n, NOT_REMOVED, dtype=np.int8)
    removed_by[np.isfinite(review_removal) & (review_removal <= notice_removal)] = BY_REVIEW
    removed_by[np.isfinite(notice_removal) & (notice_removal < review_removal)] = BY_NOTICE
    removed_by[blocked] = BY_BLOCK
    sold = ~blocked & (sale <= end) & (sale < removed)

    return Timeline(
        origin_ns=origin,
        end=end,
        infringing=infringing,
        decision=decision,
        created=created,
        sale=sale,
        report=report,
        published=~blocked,
        reviewed_at=reviewed_at,
        removed_at=removed,
        removed_by=removed_by,
        sold=sold,
        notice_at=np.where(noticed, report, np.nan),
        notice_handled_at=handled_at,
    )
