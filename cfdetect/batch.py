"""Streaming batch scoring of listing files: read, validate, score chunk by chunk, write.

The main process reads and validates chunks (so duplicate ids are caught across the whole file)
and writes results in input order; with ``jobs > 1`` the scoring of chunks runs in worker
processes that each load the model once. Output and rejects are written atomically.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cfdetect.columns import ColumnMap
from cfdetect.errors import UsageError
from cfdetect.io import DEFAULT_CHUNK_SIZE, detect_format, open_writer
from cfdetect.scorer import OUTPUT_COLUMNS, Scorer
from cfdetect.validate import ValidationReport, iter_valid_chunks, open_rejects


@dataclass
class ScoreReport:
    """What one batch run did: counts by outcome and the time it took."""

    validation: ValidationReport
    scored: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    output: str = ""
    top: pd.DataFrame | None = None
    top_n: int = 10


_WORKER: Scorer | None = None


def _init_worker(model: str | None, block: float | None, review: float | None) -> None:
    global _WORKER
    _WORKER = Scorer.load(model, block_threshold=block, review_threshold=review)


def _score_in_worker(frame: pd.DataFrame, explain: bool) -> pd.DataFrame:
    assert _WORKER is not None
    return _WORKER.score_frame(frame, explain=explain)


def score_file(
    input: str | Path,
    output: str | Path,
    *,
    model: str | Path | None = None,
    columns: ColumnMap | str | Path | None = None,
    rejects: str | Path | None = None,
    fmt: str | None = None,
    output_format: str | None = None,
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
    explain: bool = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScoreReport:
    """Score a listing file into an output file; rejected rows go to ``rejects``.

    Parameters
    ----------
    input, output : path
        Files (format by suffix) or ``-`` for stdin/stdout.
    model : path, optional
        Model directory; default the shipped model.
    columns : column map, preset name or mapping file, optional
    rejects : path, optional
        Where rejected rows are written (CSV or JSONL by suffix). Without it they are counted.
    fmt, output_format : str, optional
        Input format and output format when the suffix does not tell.
    jobs : int
        Worker processes scoring chunks in parallel (output stays in input order).
    explain : bool
        Reason codes for flagged rows.
    block_threshold, review_threshold : float, optional
        Override the model card's thresholds.

    Returns
    -------
    ScoreReport

    Examples
    --------
    >>> report = score_file("data/sample_listings.csv", "out/scored.csv")  # doctest: +SKIP
    """
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    started = time.perf_counter()
    if str(output) == "-" and output_format is None:
        output_format = "jsonl" if detect_format(input, fmt)[0] == "jsonl" else "csv"
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    scorer = Scorer.load(model, block_threshold=block_threshold, review_threshold=review_threshold)
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(open_writer(output, output_format))
        rejects_writer = stack.enter_context(open_rejects(rejects))
        chunks = iter_valid_chunks(
            input,
            columns,
            fmt=fmt,
            chunk_size=chunk_size,
            encoding=encoding,
            rejects=rejects_writer,
            report=report.validation,
            progress=progress,
        )
        if jobs == 1:
            for frame in chunks:
                _write(writer, scorer.score_frame(frame, explain=explain), report)
        else:
            _score_parallel(chunks, writer, report, model, jobs, explain,
                            scorer.block_threshold, scorer.review_threshold)  # fmt: skip
        if writer.rows == 0:
            writer.write(pd.DataFrame({name: pd.Series(dtype=object) for name in OUTPUT_COLUMNS}))
    report.seconds = time.perf_counter() - started
    return report


def _score_parallel(
    chunks: object,
    writer: object,
    report: ScoreReport,
    model: str | Path | None,
    jobs: int,
    explain: bool,
    block: float,
    review: float,
) -> None:
    pending: deque[Future[pd.DataFrame]] = deque()
    model_arg = str(model) if model is not None else None
    # "spawn": forking a process that already runs threads (OpenMP, a host application) can
    # deadlock the children; each worker starts clean and loads the model once.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(model_arg, block, review)
    ) as pool:
        for frame in chunks:  # type: ignore[attr-defined]
            pending.append(pool.submit(_score_in_worker, frame, explain))
            while len(pending) > 2 * jobs:
                _write(writer, pending.popleft().result(), report)
        while pending:
            _write(writer, pending.popleft().result(), report)


def _write(writer: object, scored: pd.DataFrame, report: ScoreReport) -> None:
    writer.write(scored)  # type: ignore[attr-defined]
    report.scored += len(scored)
    report.decisions.update(scored["decision"].tolist())
    flagged = scored.loc[
        scored["decision"] != "allow", ["listing_id", "score", "decision", "reasons"]
    ]
    if len(flagged):
        pool = flagged if report.top is None else pd.concat([report.top, flagged])
        report.top = pool.nlargest(report.top_n, "score", keep="first")
