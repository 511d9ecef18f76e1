"""The chunk pipeline: validate raw chunks, score their valid rows, count every row.

``run_chunks`` is the one chunk loop (read chunks in, validated and scored chunks out, with the
row accounting): the local serial run, the Dask tasks, the Spark partitions and ``evaluate``
iterate it; ``score_chunk``, its step, is what a ``--jobs`` worker runs on each piece (cut by
``pieces``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from cfdetect.io import RawChunk
from cfdetect.schema import Validator
from cfdetect.scorer import Explain, Scorer
from cfdetect.validate import ValidationReport

ScoreRows = Callable[[pd.DataFrame], pd.DataFrame]
"""Scores validated rows: ``Scorer.score_frame`` with the run's settings, or evaluate's columns."""

# Most rows a worker validates and scores at once. A chunk is cut into ``jobs`` equal pieces up to
# this size: large pieces keep the per-call costs and each worker's cache misses (the brand
# matcher's) few; small ones (the old 5,000 rows) cost a fifth more CPU on two workers.
PIECE_ROWS = 10000


@dataclass
class _Piece:
    """What a worker made of one piece of a raw chunk."""

    scored: pd.DataFrame
    row_numbers: np.ndarray  # input row number of each scored row
    rejects: pd.DataFrame
    n_rows: int


def reasons_form(fmt: str) -> Literal["text", "records"]:
    """How an output format carries ``reasons`` and ``in_favour``: JSON Lines and Parquet as
    lists of ``{code, text, weight}``, CSV and TSV as readable text (``code: sentence; ...``)."""
    return "records" if fmt in ("jsonl", "parquet") else "text"


def reasons_text(reasons: str | list[dict[str, Any]]) -> str:
    """Reasons as text (``code: sentence; ...``), from records or text."""
    if isinstance(reasons, str):
        return reasons
    return "; ".join(f"{r['code']}: {r['text']}" for r in reasons)


def score_chunk(
    chunk: RawChunk,
    scorer: Scorer,
    validator: Validator,
    *,
    explain: Explain = True,
    reasons_as: Literal["text", "records"] = "text",
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Validate one raw chunk and score its valid rows (what every scoring path runs per chunk).

    The ``validator`` keeps the listing ids it has seen: a later row with a seen id is rejected
    (pass a fresh ``Validator`` for duplicates within this chunk only). The distributed engines
    (``cfdetect.engines``) call this on each partition.

    Returns
    -------
    (scored, row_numbers, rejects)
        ``Scorer.score_frame`` of the valid rows, the input row number of each scored row, and
        the rejected rows (``row_number``, ``listing_id``, ``field``, ``reason``, ``raw``).

    Examples
    --------
    >>> raw = pd.DataFrame({"listing_id": ["a", "a"], "title": ["Rolex", "Rolex"],
    ...                     "price": ["US $9", "9"], "seller_id": ["s", "s"]})
    >>> chunk = RawChunk(raw, np.array([7, 8]))
    >>> scored, numbers, rejects = score_chunk(chunk, Scorer.load(), Validator())
    >>> list(scored["listing_id"]), numbers.tolist(), rejects["row_number"].tolist()
    (['a'], [7], [8])
    """
    done = _validate_and_score(chunk, validator, scorer_rows(scorer, explain, reasons_as))
    assert done.scored is not None
    return done.scored, done.row_numbers, done.rejects


def scorer_rows(
    scorer: Scorer, explain: Explain = True, reasons_as: Literal["text", "records"] = "text"
) -> ScoreRows:
    """``scorer.score_frame`` with these settings, as the step ``run_chunks`` takes."""

    def score_rows(rows: pd.DataFrame) -> pd.DataFrame:
        return scorer.score_frame(rows, explain=explain, reasons_as=reasons_as)

    return score_rows


@dataclass
class ChunkResult:
    """One chunk through the pipeline.

    Attributes
    ----------
    index : int
        0-based position of the chunk in the input.
    chunk : RawChunk
        The chunk as read.
    scored : DataFrame or None
        What the scoring step made of the valid rows; None for a chunk only validated.
    row_numbers : ndarray of int64
        The input row number of each valid row.
    rejects : DataFrame
        The rejected rows (``row_number``, ``listing_id``, ``field``, ``reason``, ``raw``).
    """

    index: int
    chunk: RawChunk
    scored: pd.DataFrame | None
    row_numbers: np.ndarray
    rejects: pd.DataFrame


def _validate_and_score(
    chunk: RawChunk, validator: Validator, score_rows: ScoreRows | None, index: int = 0
) -> ChunkResult:
    result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
    rows = result.rows
    scored = score_rows(rows) if score_rows is not None else None
    numbers = rows["row_number"].to_numpy(dtype=np.int64)
    return ChunkResult(index, chunk, scored, numbers, result.rejects)


def run_chunks(
    chunks: Iterable[RawChunk],
    validator: Validator,
    score_rows: ScoreRows | None,
    *,
    validation: ValidationReport | None = None,
    skip: int = 0,
    first: Callable[[RawChunk], None] | None = None,
    rejects: Any = None,
) -> Iterator[ChunkResult]:
    """The chunk loop: validate each chunk, score its valid rows, count and yield them.

    Parameters
    ----------
    chunks : iterable of RawChunk
        Raw chunks in input order (``io.read_chunks``, a Parquet task, a Spark partition).
    validator : Validator
        Keeps the listing ids seen: a later row with a seen id is rejected.
    score_rows : callable or None
        Scores the valid rows of a chunk (``scorer_rows``); None only validates.
    validation : ValidationReport, optional
        Counts every row read: valid (as many as the scoring step returns) or rejected.
    skip : int
        The first ``skip`` chunks are only validated (a resumed run: their ids still count).
    first : callable, optional
        Called with the first chunk before anything else (``validate.check_columns``).
    rejects : TableWriter, optional
        Where the rejected rows are written as they come.

    Yields
    ------
    ChunkResult

    Examples
    --------
    >>> raw = pd.DataFrame({"listing_id": ["a", "a"], "title": ["Rolex", "Rolex"],
    ...                     "price": ["US $9", "9"], "seller_id": ["s", "s"]})
    >>> report = ValidationReport("<example>")
    >>> step = scorer_rows(Scorer.load())
    >>> done = list(run_chunks([RawChunk(raw, np.array([1, 2]))], Validator(), step,
    ...                        validation=report))
    >>> len(done[0].scored), report.rows_read, report.rejected
    (1, 2, 1)
    """
    for index, chunk in enumerate(chunks):
        if index == 0 and first is not None:
            first(chunk)
        step = score_rows if index >= skip else None
        done = _validate_and_score(chunk, validator, step, index)
        if validation is not None:
            valid = len(done.scored) if done.scored is not None else len(done.row_numbers)
            validation.add(chunk.n_rows, valid, done.rejects)
        if rejects is not None and done.scored is not None and len(done.rejects):
            rejects.write(done.rejects)
        yield done


def pieces(chunk: RawChunk, rows: int) -> list[RawChunk]:
    """Split a raw chunk into pieces of at most ``rows`` rows (broken rows go with the piece
    whose row numbers they fall among)."""
    n = len(chunk.frame)
    if n <= rows:
        return [chunk]
    out = []
    for lo in range(0, n, rows):
        numbers = chunk.row_numbers[lo : lo + rows]
        out.append(RawChunk(chunk.frame.iloc[lo : lo + rows], numbers, [], chunk.bytes_read))
    for broken in chunk.broken:  # by row number: the last piece starting before it
        starts = [int(p.row_numbers[0]) for p in out]
        index = max(0, int(np.searchsorted(starts, broken[0], side="right")) - 1)
        out[index].broken.append(broken)
    return out
