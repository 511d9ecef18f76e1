"""Compute every evaluation figure, with its denominator, from an already-scored frame.

The definitions are DESIGN.md's "Evaluation: definitions"; each figure's ``definition`` sentence
repeats its numerator and denominator. The engine degrades: without labels it reports the score
distribution and the decision counts; with labels but without the timeline columns it reports the
classification figures and names the columns the replay needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cfdetect._ranking import (
    PRCurve,
    calibration,
    pr_curve,
    threshold_sweep,
)
from cfdetect._stats import Rate
from cfdetect.errors import InputError, UsageError
from cfdetect.evaluate._baselines import keyword_baseline, no_screening
from cfdetect.evaluate._curves import survival_curves, weekly_notices
from cfdetect.evaluate._figures import (
    DEFINITIONS,
    LABEL_KEYS,
    REPLAY_KEYS,
    classification_figures,
    replay_figures,
)
from cfdetect.evaluate._groups import group_table
from cfdetect.evaluate._replay import (
    DECISIONS,
    DEFAULT_HORIZON_DAYS,
    SECONDS_PER_DAY,
    TIMELINE_COLUMNS,
    check_decisions,
    first_time_ns,
    outcomes_frame,
    run_timeline,
    to_seconds,
    to_timestamps,
)
from cfdetect.evaluate._result import EvaluationResult

QUANTILES = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def evaluate_scored(
    frame: pd.DataFrame,
    scores: object,
    decisions: object,
    *,
    thresholds: Mapping[str, float] | None = None,
    review_capacity: float = 200,
    notice_capacity: float = 500,
    baseline_decisions: object | None = None,
    baseline_name: str = "none",
    horizon_days: float = DEFAULT_HORIZON_DAYS,
) -> EvaluationResult:
    """Evaluate scored listings: catch rates, the replay of the period, and what they leave out.

    Parameters
    ----------
    frame : DataFrame
        One row per listing: ``is_counterfeit`` (0/1; rows with a missing label are left out),
        ``created_at``, ``first_sale_at``, ``reported_at`` (for the replay), optional
        ``listing_id``, ``seller_id``, ``brand``, ``category``, ``registered`` (bool), ``title``
        (for the keywords baseline).
    scores : array-like of float
        Calibrated probability of infringement per row, in [0, 1].
    decisions : array-like of str
        "block", "review" or "allow" per row.
    thresholds : mapping, optional
        ``{"block": t, "review": t}`` for the operating points; by default the lowest score of
        each decision.
    review_capacity, notice_capacity : float
        Reviews and notices the teams finish per day.
    baseline_decisions : array-like of str, optional
        The baseline's decisions (e.g. another model's); by default from ``baseline_name``.
    baseline_name : str
        ``none`` (all allowed), ``keywords`` (:func:`keyword_baseline`) or a label for
        ``baseline_decisions``.
    horizon_days : float
        The replay runs this many days past the last submission.

    Returns
    -------
    EvaluationResult

    Examples
    --------
    >>> day = pd.Timestamp("2025-01-01", tz="UTC")
    >>> frame = pd.DataFrame({"created_at": [day] * 3, "is_counterfeit": [1, 1, 0],
    ...     "first_sale_at": [pd.NaT, day + pd.Timedelta("3D"), pd.NaT],
    ...     "reported_at": [day + pd.Timedelta("1D"), day + pd.Timedelta("5D"), pd.NaT]})
    >>> result = evaluate_scored(frame, [0.99, 0.3, 0.1], ["block", "allow", "allow"])
    >>> result["proactive_recall"].text(), result["notices"], result["notices_baseline"]
    ('50.0% (1 of 2) [95% CI 9.5–90.5%]', 1, 2)
    """
    n = len(frame)
    _check_options(n, review_capacity, notice_capacity, horizon_days)
    score = _check_scores(scores, n)
    decision = check_decisions(decisions, n)
    base_all = _baseline(frame, baseline_decisions, baseline_name)
    notes: list[str] = []
    config: dict[str, Any] = {
        "review_capacity": float(review_capacity),
        "notice_capacity": float(notice_capacity),
        "horizon_days": float(horizon_days),
        "baseline": baseline_name,
        "thresholds": _thresholds(thresholds, score, decision),
    }
    labels = _labels(frame)
    decision_counts = {d: int(np.sum(decision == d)) for d in DECISIONS}
    _note_exploration(frame, decision, config, notes)
    if labels is None:
        return _scores_only(score, config, decision_counts, notes)

    run = _Run(review_capacity, notice_capacity, horizon_days, baseline_name)
    return _labelled(frame, labels, score, decision, base_all, run, config, decision_counts, notes)


@dataclass(frozen=True)
class _Run:
    """The options of one evaluation the replay needs (as given to ``evaluate_scored``)."""

    review_capacity: float
    notice_capacity: float
    horizon_days: float
    baseline_name: str


def _labelled(
    frame: pd.DataFrame,
    labels: np.ndarray,
    score: np.ndarray,
    decision: np.ndarray,
    base_all: np.ndarray,
    run: _Run,
    config: dict[str, Any],
    decision_counts: dict[str, int],
    notes: list[str],
) -> EvaluationResult:
    """The result with labels: the classification figures and, when the timeline columns
    allow it, the replay of the period (rows without a label are left out)."""
    known = ~np.isnan(labels)
    if not known.all():
        dropped = int((~known).sum())
        notes.append(f"{dropped:,} rows without a label were left out of every figure.")
        frame = frame.loc[known]
        score, decision, labels = score[known], decision[known], labels[known]
        base_all = base_all[known]
    y = labels > 0
    curve = pr_curve(y, score)
    figures = classification_figures(frame, y, score, decision, run.review_capacity, curve)
    counts: dict[str, int | None] = {
        "listings": int(y.size),
        "infringing": int(y.sum()),
        "genuine": int((~y).sum()),
        **{f"decision_{d}": int(np.sum(decision == d)) for d in DECISIONS},
        "notices": None,
        "notices_baseline": None,
    }
    period = _period(frame, run.horizon_days)
    curves = _classification_curves(y, score, decision, config["thresholds"], curve)

    missing = _replay_missing(frame, notes)
    replay = _Replay("classification")
    if missing:
        for key in REPLAY_KEYS:
            reason = f"{DEFINITIONS[key]}: needs the columns {', '.join(missing)}"
            figures[key] = Rate.missing(key, reason)
        config["replay_missing_columns"] = missing
    else:
        replay = _replay(frame, decision, base_all, run, figures, counts, notes, curves)

    tables = _tables(frame, y, score, decision, replay.proactive)
    return EvaluationResult(
        status=replay.status,
        notes=notes,
        figures=figures,
        counts=counts,
        config=config,
        period=period,
        decision_counts=decision_counts,
        score_summary=_score_summary(score, y),
        tables=tables,
        curves=curves,
        outcomes=replay.outcomes,
        baseline_outcomes=replay.baseline_outcomes,
    )


def _check_options(
    n: int, review_capacity: float, notice_capacity: float, horizon_days: float
) -> None:
    if n == 0:
        raise InputError("nothing to evaluate: the data has no listings")
    if review_capacity < 0 or notice_capacity < 0:
        raise UsageError("review and notice capacities must be 0 or more per day")
    if horizon_days < 0:
        raise UsageError(f"horizon must be 0 days or more, not {horizon_days}")


def _note_exploration(
    frame: pd.DataFrame, decision: np.ndarray, config: dict[str, Any], notes: list[str]
) -> None:
    """The exploration estimate (issue 23) in ``config``, its sentence in ``notes``, when the
    frame holds explored listings."""
    from cfdetect.feedback._exploration import exploration_summary  # issue 23

    explored = exploration_summary(frame, decision)
    if explored is not None:
        config["exploration_estimate"], sentence = explored
        notes.append(sentence)


def _scores_only(
    score: np.ndarray,
    config: dict[str, Any],
    decision_counts: dict[str, int],
    notes: list[str],
) -> EvaluationResult:
    """The result without labels: the score distribution and the decision counts only."""
    notes.append(
        "No labels (is_counterfeit): only the score distribution and the decision counts can "
        "be reported; catch rates, recall and wrongly blocked listings need labels."
    )
    return EvaluationResult(
        status="scores",
        notes=notes,
        figures=_missing_figures("needs labels (is_counterfeit)"),
        counts={"listings": len(score), "notices": None, "notices_baseline": None},
        config=config,
        period=None,
        decision_counts=decision_counts,
        score_summary=_score_summary(score, None),
        curves={"score_histogram": _histogram(score)},
    )


def _replay_missing(frame: pd.DataFrame, notes: list[str]) -> list[str]:
    """What the replay lacks (its columns, or a submission time in some rows), said in
    ``notes``; empty when the replay can run."""
    need = ", ".join(TIMELINE_COLUMNS)
    missing = [c for c in TIMELINE_COLUMNS if c not in frame]
    if missing:
        notes.append(
            f"No replay: the data lacks {', '.join(missing)}; the replay needs {need} "
            "(submission time, and when each listing would first sell and be reported if "
            "left live). Only classification figures are reported."
        )
        return missing
    no_time = _missing_times(frame)
    if no_time:
        notes.append(
            f"No replay: created_at is missing in {no_time:,} of {len(frame):,} labelled "
            f"rows; the replay needs {need}, with a submission time in every row. Only "
            "classification figures are reported."
        )
        return ["created_at in some rows"]
    return []


@dataclass(frozen=True)
class _Replay:
    """What the replay adds to a result (nothing when it could not run)."""

    status: str
    proactive: np.ndarray | None = None
    outcomes: pd.DataFrame | None = None
    baseline_outcomes: pd.DataFrame | None = None


def _replay(
    frame: pd.DataFrame,
    decision: np.ndarray,
    base_all: np.ndarray,
    run: _Run,
    figures: dict[str, Rate],
    counts: dict[str, int | None],
    notes: list[str],
    curves: dict[str, Any],
) -> _Replay:
    """Replay the period with the decisions and with the baseline's: the replay figures (into
    ``figures``, ``counts`` and ``notes``), the survival and weekly-notice curves (into
    ``curves``) and each listing's outcome."""
    capacities = {"review_capacity": run.review_capacity, "notice_capacity": run.notice_capacity}
    timeline = run_timeline(frame, decision, **capacities, horizon_days=run.horizon_days)
    base_timeline = run_timeline(frame, base_all, **capacities, horizon_days=run.horizon_days)
    proactive = replay_figures(timeline, base_timeline, run.baseline_name, figures, counts, notes)
    curves["survival"] = survival_curves(timeline)
    curves["weekly_notices"] = weekly_notices(timeline, base_timeline)
    ids = frame["listing_id"].array if "listing_id" in frame else np.arange(len(frame))
    return _Replay(
        "full", proactive, outcomes_frame(timeline, ids), outcomes_frame(base_timeline, ids)
    )


def _missing_times(frame: pd.DataFrame) -> int:
    """Rows without a submission time (the replay needs one in every row)."""
    created = to_seconds(frame["created_at"], "created_at")
    return int(np.isnan(created).sum())


def _check_scores(scores: object, n: int) -> np.ndarray:
    values = pd.to_numeric(pd.Series(scores), errors="coerce").to_numpy(dtype=np.float64)
    if values.size != n:
        raise UsageError(f"{values.size} scores for {n} listings")
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        raise InputError(f"{int(bad.sum())} scores are missing or outside 0..1")
    return values


def _labels(frame: pd.DataFrame) -> np.ndarray | None:
    """Labels as floats (NaN where missing), or None when the column is absent or empty."""
    if "is_counterfeit" not in frame:
        return None
    raw = frame["is_counterfeit"]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(values).all():
        return None
    unreadable = np.isnan(values) & raw.notna().to_numpy()
    bad = unreadable | (~np.isnan(values) & ~np.isin(values, (0.0, 1.0)))
    if bad.any():
        raise InputError(f"is_counterfeit must be 0 or 1; {int(bad.sum())} rows are not")
    return values


def _thresholds(
    given: Mapping[str, float] | None, score: np.ndarray, decision: np.ndarray
) -> dict[str, Any]:
    if given is not None:
        unknown = set(given) - {"block", "review"}
        if unknown:
            raise UsageError(f"thresholds: unknown keys {sorted(unknown)}; use block, review")
        out: dict[str, Any] = {k: float(v) for k, v in given.items()}
        out["source"] = "given"
        return out
    out = {"source": "lowest score of each decision"}
    for name in ("block", "review"):
        chosen = score[decision == name]
        out[name] = float(chosen.min()) if chosen.size else None
    return out


def _baseline(frame: pd.DataFrame, decisions: object | None, name: str) -> np.ndarray:
    if decisions is not None:
        return check_decisions(decisions, len(frame))
    if name == "none":
        return no_screening(frame)
    if name == "keywords":
        if "title" not in frame:
            raise InputError("the keywords baseline needs the title column")
        return keyword_baseline(frame)
    raise UsageError(
        f"baseline {name!r}: pass its decisions (baseline_decisions), or use none or keywords"
    )


def _missing_figures(reason: str) -> dict[str, Rate]:
    keys = REPLAY_KEYS + LABEL_KEYS
    return {key: Rate.missing(key, f"{DEFINITIONS.get(key, key)}: {reason}") for key in keys}


def _period(frame: pd.DataFrame, horizon_days: float) -> dict[str, Any] | None:
    if "created_at" not in frame or len(frame) == 0:
        return None
    origin = first_time_ns(frame["created_at"], "created_at")
    created = to_seconds(frame["created_at"], "created_at", origin)
    if np.isnan(created).all():
        return None
    last = float(np.nanmax(created))
    first_day = np.floor(origin / 1e9 / SECONDS_PER_DAY)
    last_day = np.floor((origin / 1e9 + last) / SECONDS_PER_DAY)
    stamps = to_timestamps(np.array([0.0, last, last + horizon_days * SECONDS_PER_DAY]), origin)
    return {
        "start": stamps[0].isoformat(),
        "last_submission": stamps[1].isoformat(),
        "end": stamps[2].isoformat(),
        "days": int(last_day - first_day) + 1,
        "horizon_days": float(horizon_days),
    }


def _classification_curves(
    y: np.ndarray,
    score: np.ndarray,
    decision: np.ndarray,
    thresholds: Mapping[str, Any],
    curve: PRCurve,
) -> dict[str, Any]:
    points: dict[str, dict[str, float | None]] = {}
    for name in ("block", "review"):
        t = thresholds.get(name)
        if t is None:
            continue
        flagged = score >= t
        tp = int(np.sum(flagged & y))
        points[name] = {
            "threshold": float(t),
            "recall": tp / max(int(y.sum()), 1),
            "precision": tp / max(int(flagged.sum()), 1),
        }
    flagged = decision != "allow"
    tp = int(np.sum(flagged & y))
    points["decisions"] = {
        "threshold": None,
        "recall": tp / max(int(y.sum()), 1),
        "precision": tp / max(int(flagged.sum()), 1),
    }
    return {
        "pr": {"recall": curve.recall, "precision": curve.precision, "points": points},
        "calibration": calibration(y, score),
        "threshold_sweep": threshold_sweep(y, score),
        "score_histogram": _histogram(score, y),
    }


def _tables(
    frame: pd.DataFrame,
    y: np.ndarray,
    score: np.ndarray,
    decision: np.ndarray,
    proactive: np.ndarray | None,
) -> dict[str, pd.DataFrame]:
    tables = {}
    order = np.argsort(-score, kind="stable")
    for column, key in (("brand", "per_brand"), ("category", "per_category")):
        if column in frame:
            tables[key] = group_table(
                frame[column], y, score, decision, proactive, name=column, score_order=order
            )
    if "registered" in frame:
        registered = _as_bool(frame["registered"])
        tables["per_registered"] = group_table(
            registered, y, score, decision, proactive, name="registered", score_order=order
        )
    return tables


def _as_bool(values: pd.Series) -> pd.Series:
    """True/False from booleans, 0/1 or yes/no/true/false text; anything else is missing."""
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    words = dict.fromkeys(("true", "t", "yes", "y", "1", "1.0"), True)
    words.update(dict.fromkeys(("false", "f", "no", "n", "0", "0.0"), False))
    mapped = [words.get(str(u).strip().lower()) for u in uniques] + [None]
    return pd.Series(np.array(mapped, dtype=object)[codes], index=values.index, dtype="boolean")


def _histogram(score: np.ndarray, y: np.ndarray | None = None) -> dict[str, Any]:
    edges = np.linspace(0.0, 1.0, 11)
    which = np.clip(np.floor(score * 10).astype(np.int64), 0, 9)
    out: dict[str, Any] = {"edges": edges, "all": np.bincount(which, minlength=10)}
    if y is not None:
        out["infringing"] = np.bincount(which[y], minlength=10)
        out["genuine"] = np.bincount(which[~y], minlength=10)
    return out


def _score_summary(score: np.ndarray, y: np.ndarray | None) -> dict[str, Any]:
    def quantiles(values: np.ndarray) -> dict[str, float | None]:
        if values.size == 0:
            return {f"q{q:g}": None for q in QUANTILES}
        found = np.quantile(values, QUANTILES)
        return {f"q{q:g}": float(v) for q, v in zip(QUANTILES, found, strict=True)}

    out: dict[str, Any] = {
        "n": int(score.size),
        "mean": float(score.mean()) if score.size else None,
        "quantiles": quantiles(score),
        "histogram": {k: v.tolist() for k, v in _histogram(score, y).items()},
    }
    if y is not None:
        out["quantiles_infringing"] = quantiles(score[y])
        out["quantiles_genuine"] = quantiles(score[~y])
    return out
