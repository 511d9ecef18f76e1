"""The evaluation's result object and its ``metrics.json`` form."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cfdetect._stats import Rate
from cfdetect.evaluate._headline import headline

FIXED_KEYS = (
    "proactive_recall", "prepublication_catch_rate", "removed_before_first_sale", "notices",
    "notices_baseline", "notices_change", "notices_handled_24h", "wrongly_blocked_rate",
    "genuine_sellers_affected", "pr_auc", "recall_at_98_precision", "precision_at_capacity",
    "brier", "ece", "per_brand", "per_category",
)  # fmt: skip
"""The keys of ``metrics.json`` fixed by DESIGN.md."""
COUNT_KEYS = ("notices", "notices_baseline")
TABLE_KEYS = ("per_brand", "per_category", "per_registered")
SCHEMA = "cfdetect.evaluate/1"


@dataclass
class EvaluationResult:
    """Everything :func:`~cfdetect.evaluate.evaluate_scored` found, ready for a report.

    Attributes
    ----------
    status : {"full", "classification", "scores"}
        ``full``: labels and timelines, every figure; ``classification``: labels but no timeline
        columns, so no replay; ``scores``: no labels, only the score distribution and decisions.
    notes : list of str
        Sentences about what could not be computed and why, and caveats.
    figures : dict of str to Rate
        Every rate and score by its ``metrics.json`` key (``Rate.missing`` when unavailable).
    counts : dict of str to int or None
        Listings, infringing, genuine, decisions, takedowns by route, notices, queue backlogs.
    config : dict
        Capacities, horizon, baseline name, thresholds.
    period : dict or None
        ``start``, ``end`` (ISO timestamps), ``days`` and ``horizon_days`` of the replay.
    decision_counts : dict of str to int
    score_summary : dict
        Quantiles and a 10-bin histogram of the scores (by class when labelled).
    tables : dict of str to DataFrame
        ``per_brand``, ``per_category`` and ``per_registered`` where the columns exist.
    curves : dict
        Data behind the plots (PR curve, calibration, threshold sweep, survival, weekly notices).
    outcomes, baseline_outcomes : DataFrame or None
        Per-listing replay outcomes (see :func:`~cfdetect.evaluate.replay`) for the model's
        decisions and the baseline's.
    """

    status: str
    notes: list[str]
    figures: dict[str, Rate]
    counts: dict[str, int | None]
    config: dict[str, Any]
    period: dict[str, Any] | None
    decision_counts: dict[str, int]
    score_summary: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    curves: dict[str, Any] = field(default_factory=dict)
    outcomes: pd.DataFrame | None = None
    baseline_outcomes: pd.DataFrame | None = None

    def __getitem__(self, key: str) -> Rate | int | None:
        """A figure by its ``metrics.json`` key; ``notices`` and ``notices_baseline`` are counts."""
        if key in COUNT_KEYS:
            return self.counts.get(key)
        return self.figures[key]

    def headline(self) -> dict[str, list[str]]:
        """The statement-style figures and, right after them, what such statements leave out."""
        return headline(self)

    def to_dict(self) -> dict[str, Any]:
        """The ``metrics.json`` document (JSON-safe: NaN and infinities become null)."""
        doc: dict[str, Any] = {
            "schema": SCHEMA,
            "status": self.status,
            "notes": list(self.notes),
            "headline": self.headline(),
            "period": self.period,
            "config": self.config,
            "counts": self.counts,
        }
        for key in FIXED_KEYS:
            if key in COUNT_KEYS:
                doc[key] = self.counts.get(key)
            elif key not in TABLE_KEYS:
                doc[key] = self.figures[key].to_dict()
        for key, rate in self.figures.items():
            if key not in FIXED_KEYS:
                doc[key] = rate.to_dict()
        for key in TABLE_KEYS:
            table = self.tables.get(key)
            doc[key] = None if table is None else json.loads(table.to_json(orient="records"))
        doc["decision_counts"] = self.decision_counts
        doc["score_distribution"] = self.score_summary
        return _json_safe(doc)

    def to_json(self) -> str:
        """``metrics.json`` as text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_json_safe(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    return value
