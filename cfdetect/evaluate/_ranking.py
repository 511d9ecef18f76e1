"""Moved to ``cfdetect._ranking`` (the one metrics module, shared with training); kept so old
imports still work."""

from cfdetect._ranking import (
    N_BINS,
    Calibration,
    PRCurve,
    ap_interval,
    average_precision,
    brier,
    calibration,
    pr_curve,
    ranking_metrics,
    recall_at_precision,
    threshold_sweep,
    top_k_hits,
)

__all__ = [
    "N_BINS", "Calibration", "PRCurve", "ap_interval", "average_precision", "brier",
    "calibration", "pr_curve", "ranking_metrics", "recall_at_precision", "threshold_sweep",
    "top_k_hits",
]  # fmt: skip
