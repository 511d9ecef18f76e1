"""The chunk pipeline: validate one raw chunk and score its valid rows.

``score_chunk`` is what every scoring path runs per chunk: local runs (one process or the
``--jobs`` workers, on pieces cut by ``pieces``) and the distributed engines' partitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from cfdetect.io import RawChunk
from cfdetect.schema import Validator
from cfdetect.scorer import Explain, Scorer

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
    result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
    rows = result.rows
    return (
        scorer.score_frame(rows, explain=explain, reasons_as=reasons_as),
        rows["row_number"].to_numpy(dtype=np.int64),
        result.rejects,
    )


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
