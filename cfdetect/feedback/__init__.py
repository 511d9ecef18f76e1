"""Learning from the platform's own outcomes (issue 23).

* :func:`join_labels` / :func:`label_file` (``cfdetect labels``): review verdicts, appeals and
  notices -> point-in-time labels with their source.
* :mod:`cfdetect.feedback._exploration`: the exploration slice of the review queue and the
  inverse-propensity estimate of recall on allowed traffic.
* :mod:`cfdetect.feedback._prior`: training on a small own-labelled set with a prior model.
* :mod:`cfdetect.feedback._monitor` (``cfdetect monitor``): drift against the training data.
* :mod:`cfdetect.feedback._replay` (``cfdetect replay``): the whole loop, day by day.

``docs/operating.md`` walks an operator through them.
"""

from __future__ import annotations

import importlib
from typing import Any

# what each public name is imported from, on first use: ``import cfdetect.cli`` registers the
# feedback commands without importing pandas (the CLI's fork server starts before it)
_SOURCES = {
    "Estimate": "_exploration",
    "estimate_recall": "_exploration",
    "horvitz_thompson": "_exploration",
    "plan_reviews": "_exploration",
    "LabelSummary": "_labels",
    "events_frame": "_labels",
    "join_labels": "_labels",
    "label_file": "_labels",
    "resolve_events": "_labels",
    "LOG_COLUMNS": "_logs",
    "read_log": "_logs",
    "read_table": "_logs",
}


def __getattr__(name: str) -> Any:
    if name in _SOURCES:
        value = getattr(importlib.import_module(f"cfdetect.feedback.{_SOURCES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cfdetect.feedback' has no attribute {name!r}")


__all__ = [
    "LOG_COLUMNS",
    "Estimate",
    "LabelSummary",
    "estimate_recall",
    "events_frame",
    "horvitz_thompson",
    "join_labels",
    "label_file",
    "plan_reviews",
    "read_log",
    "read_table",
    "resolve_events",
]
