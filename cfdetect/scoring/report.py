"""The run report of a scoring run: counts by outcome, decisions, the top flagged rows, and the
row accounting every run checks before it publishes (read == scored + rejected)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cfdetect.errors import CfdetectError
from cfdetect.scoring.chunks import reasons_text
from cfdetect.validate import ValidationReport


@dataclass
class ScoreReport:
    """What one scoring run did: counts by outcome and the time it took.

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

    def add_scored(self, scored: pd.DataFrame) -> None:
        """Count scored rows and keep the ``top_n`` highest-scored flagged ones (the first of
        equal scores), their reasons as text."""
        self.scored += len(scored)
        self.decisions.update(scored["decision"].tolist())
        flagged = scored.loc[
            scored["decision"] != "allow", ["listing_id", "score", "decision", "reasons"]
        ]
        if len(flagged):
            flagged = flagged.assign(reasons=flagged["reasons"].map(reasons_text))
            pool = flagged if self.top is None else pd.concat([self.top, flagged])
            self.top = pool.nlargest(self.top_n, "score", keep="first")


def merge_validation(into: ValidationReport, part: ValidationReport) -> None:
    """Add the counts of one partition's ``ValidationReport`` to the run's."""
    into.rows_read += part.rows_read
    into.valid += part.valid
    into.rejected += part.rejected
    into.rejects_by_reason.update(part.rejects_by_reason)


def check_accounting(report: Any) -> None:
    """Every input row is scored or rejected: refuse to publish an output that loses rows.

    Raises
    ------
    CfdetectError
        ``rows read != scored + rejected`` (a bug, or input changed while it was read).
    """
    validation = report.validation
    if validation.rows_read != report.scored + validation.rejected:
        raise CfdetectError(
            f"{validation.source}: read {validation.rows_read:,} rows but scored "
            f"{report.scored:,} and rejected {validation.rejected:,}; no output was written "
            "(was the input changed while it was read?)"
        )
