"""Writing scored pieces of a local run: the rows to the output, the count to the report.

``write_scored`` is the one place a local run (serial or ``--jobs``) writes scored rows;
``collect_piece`` writes what a worker made of a piece, after moving a listing id an earlier
piece scored to the rejects (each worker only sees its own piece).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cfdetect.columns import ColumnMap
from cfdetect.schema import duplicate_rejects, repeated_ids
from cfdetect.scoring.chunks import ChunkResult
from cfdetect.scoring.report import ScoreReport


def write_scored(writer: Any, scored: pd.DataFrame, report: ScoreReport) -> None:
    """Write scored rows and count them in the report."""
    writer.write(scored)
    report.add_scored(scored)


def collect_piece(
    piece: ChunkResult,
    cmap: ColumnMap,
    seen: set[str],
    writer: Any,
    rejects: Any,
    report: ScoreReport,
) -> None:
    """Write one scored piece: ids seen in earlier pieces move to the rejects (in row order)."""
    assert piece.scored is not None
    raw = piece.chunk
    scored, found = piece.scored, piece.rejects
    repeated = repeated_ids(scored["listing_id"].to_numpy(dtype=object, na_value=None), seen)
    if repeated.any():
        numbers = piece.row_numbers[repeated]
        positions = np.searchsorted(raw.row_numbers, numbers)
        duplicates = duplicate_rejects(raw.frame.iloc[positions], numbers, cmap)
        found = pd.concat([found, duplicates], ignore_index=True).sort_values(
            "row_number", kind="stable", ignore_index=True
        )
        scored = scored.loc[~repeated].reset_index(drop=True)
    report.validation.add(raw.n_rows, len(scored), found)
    if rejects is not None and len(found):
        rejects.write(found)
    if len(scored):
        write_scored(writer, scored, report)
