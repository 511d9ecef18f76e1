"""Evaluation engine: catch rates with their denominators, the timeline replay, and reports.

Marketplace statements say "98% of proactive takedowns were removed before a single sale could be
made"; that figure is conditional on being caught. This package computes the statement-style
figures for a scored period of listings *and* the ones they leave out (proactive recall over all
infringing listings, genuine listings wrongly blocked), every rate with its numerator, denominator
and a 95% Wilson interval. DESIGN.md ("Evaluation: definitions") is the contract.

:func:`evaluate_file` is the whole job (read and validate a file, score it with a model and a
baseline, replay, write the report; ``cfdetect evaluate`` calls it); :func:`evaluate_scored`
evaluates listings someone already scored. ``cfdetect.evaluate`` is this package, so the top-level
re-export of the one-call function is ``cfdetect.evaluate_file`` (like ``validate_file``): a
function named ``cfdetect.evaluate`` would hide the package's other names.

Examples
--------
>>> import pandas as pd
>>> from cfdetect.evaluate import evaluate_scored
>>> day = pd.Timestamp("2025-01-01", tz="UTC")
>>> frame = pd.DataFrame({"created_at": [day] * 3, "is_counterfeit": [1, 1, 0],
...     "first_sale_at": [pd.NaT, day + pd.Timedelta("3D"), pd.NaT],
...     "reported_at": [pd.NaT, day + pd.Timedelta("5D"), pd.NaT]})
>>> result = evaluate_scored(frame, [0.99, 0.3, 0.1], ["block", "allow", "allow"])
>>> print(result.headline()["omitted"][0])  # doctest: +ELLIPSIS
But: proactive recall is 50.0% — 1 of ALL 2 infringing listings were taken down before any ...
"""

from cfdetect._stats import Rate, wilson_interval
from cfdetect.evaluate._baselines import keyword_baseline
from cfdetect.evaluate._metrics import evaluate_scored
from cfdetect.evaluate._replay import replay
from cfdetect.evaluate._report import write_report
from cfdetect.evaluate._result import EvaluationResult
from cfdetect.evaluate._run import EvaluationRun, evaluate_file

__all__ = [
    "EvaluationResult",
    "EvaluationRun",
    "Rate",
    "evaluate_file",
    "evaluate_scored",
    "keyword_baseline",
    "replay",
    "wilson_interval",
    "write_report",
]
