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

from cfdetect.feedback._exploration import Estimate, estimate_recall, horvitz_thompson, plan_reviews
from cfdetect.feedback._labels import (
    LabelSummary,
    events_frame,
    join_labels,
    label_file,
    resolve_events,
)
from cfdetect.feedback._logs import LOG_COLUMNS, read_log, read_table

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
