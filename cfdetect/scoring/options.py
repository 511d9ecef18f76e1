"""Typed options of a scoring run: what to score with (``ScoreOptions``) and where
(``EngineOptions``), passed whole instead of long keyword lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import UsageError
from cfdetect.io import DEFAULT_CHUNK_SIZE
from cfdetect.scorer import Explain, Scorer

if TYPE_CHECKING:
    from cfdetect.artifact import Trust

ENGINES = ("local", "dask", "spark")
"""Values of ``cfdetect score --engine``."""


@dataclass(frozen=True)
class ScoreOptions:
    """How to score a listing file: everything but the input and the output.

    Attributes
    ----------
    model : path, optional
        Model directory; default the shipped model.
    columns : column map, preset name or mapping file, optional
    rejects : path, optional
        Where rejected rows are written (CSV or JSONL by suffix; Parquet too with an engine).
    fmt, output_format : str, optional
        Input format and output format when the suffix does not tell.
    encoding : str
    chunk_size : int
        Rows read, validated and scored at once.
    jobs : int
        Local worker processes scoring chunks in parallel (output stays in input order).
    explain : bool or "all"
        Reason codes for the flagged rows (``True``), every row (``"all"``) or none.
    block_threshold, review_threshold : float, optional
        Override the model card's thresholds.
    progress : callable, optional
        Called with ``(rows_read, bytes_read)`` as the run goes.
    escape_formulas : bool
        CSV/TSV outputs: prefix ``'`` to cells a spreadsheet would run as a formula.
    resume : bool
        Continue an interrupted local run from its last completed chunk.
    trust : bool, path or paths, optional
        Trust for the model directory (``Scorer.load``).

    Examples
    --------
    >>> ScoreOptions(jobs=2).chunk_size
    100000
    """

    model: str | Path | None = None
    columns: ColumnMap | str | Path | None = None
    rejects: str | Path | None = None
    fmt: str | None = None
    output_format: str | None = None
    encoding: str = "utf-8"
    chunk_size: int = DEFAULT_CHUNK_SIZE
    jobs: int = 1
    explain: Explain = True
    block_threshold: float | None = None
    review_threshold: float | None = None
    progress: Callable[[int, int], None] | None = None
    escape_formulas: bool = ESCAPE_FORMULAS
    resume: bool = False
    trust: Trust | None = None

    def check(self) -> None:
        """Refuse counts no run can use.

        Raises
        ------
        UsageError
            ``jobs`` or ``chunk_size`` below 1.
        """
        if self.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        if self.chunk_size < 1:
            raise UsageError("chunk size must be at least 1")

    def column_map(self) -> ColumnMap:
        """The column map ``columns`` names (the identity map by default)."""
        if isinstance(self.columns, ColumnMap):
            return self.columns
        return load_column_map(self.columns)

    def load_scorer(self) -> Scorer:
        """Load the model with these thresholds and this trust (``Scorer.load``)."""
        return Scorer.load(
            self.model,
            block_threshold=self.block_threshold,
            review_threshold=self.review_threshold,
            trust=self.trust,
        )


@dataclass(frozen=True)
class EngineOptions:
    """Where a run scores: this machine, a Dask cluster or Spark.

    Attributes
    ----------
    name : {"local", "dask", "spark"}
    workers : int, optional
        Dask: start a local cluster of this many worker processes (default: one per core).
    scheduler : str, optional
        Dask: address of a running scheduler (``tcp://host:8786``); excludes ``workers``.
    master : str, optional
        Spark: the master URL (default ``local[*]``, or what ``spark-submit`` set).
    """

    name: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    master: str | None = None

    def check(self) -> None:
        """Refuse an unknown engine and the options of another engine.

        Raises
        ------
        UsageError
        """
        if self.name not in ENGINES:
            raise UsageError(f"unknown engine {self.name!r}; use one of {', '.join(ENGINES)}")
        if self.name != "dask" and (self.workers is not None or self.scheduler is not None):
            raise UsageError("--workers and --scheduler are options of --engine dask")
        if self.name != "spark" and self.master is not None:
            raise UsageError("--master is an option of --engine spark")
        if self.workers is not None and self.scheduler is not None:
            raise UsageError(
                "give --workers (a local cluster) or --scheduler (a cluster), not both"
            )
        if self.workers is not None and self.workers < 1:
            raise UsageError("--workers must be at least 1")
