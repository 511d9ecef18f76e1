"""The run report of a scoring run: counts by outcome, decisions, the top flagged rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from cfdetect.validate import ValidationReport


@dataclass
class ScoreReport:
    """What one batch run did: counts by outcome and the time it took.

    ``resumed_chunks`` is the number of input chunks an interrupted earlier run had completed
    and this run continued after (0 for a fresh run); ``discarded_partial`` is True when a fresh
    run replaced the partial output of an interrupted one.
    """

    validation: ValidationReport
    scored: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    output: str = ""
    top: pd.DataFrame | None = None
    top_n: int = 10
    resumed_chunks: int = 0
    discarded_partial: bool = False
