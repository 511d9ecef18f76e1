"""``RawChunk``, what every reader yields, and the limits and helpers the readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from cfdetect.errors import InputError

MAX_COLUMNS = 2_000
"""The most columns an input may have: marketplace exports have tens to a few hundred; a file with
thousands is not a listing dump (and would cost minutes per chunk to carry through)."""


@dataclass
class RawChunk:
    """Raw rows of one chunk, as read.

    Attributes
    ----------
    frame : DataFrame
        The rows that split into fields, in the file's own column names.
    row_numbers : ndarray of int64
        1-based input row number of each row of ``frame``.
    broken : list of (row_number, raw_text, reason)
        Rows that could not be split into fields.
    bytes_read : int
        Bytes of the input consumed so far (for progress), 0 when unknown.
    ends_chunk : bool
        This is the last piece of a ``chunk_size`` chunk: always, unless ``read_chunks`` was
        asked for smaller pieces (``piece_size``).
    """

    frame: pd.DataFrame
    row_numbers: np.ndarray
    broken: list[tuple[int, str, str]] = field(default_factory=list)
    bytes_read: int = 0
    ends_chunk: bool = True

    @property
    def n_rows(self) -> int:
        """Rows read in this chunk, broken ones included."""
        return len(self.frame) + len(self.broken)


def _check_width(path: str | Path, width: int, where: str) -> None:
    if width > MAX_COLUMNS:
        raise InputError(
            f"{path}: {where} {width:,} columns; cfdetect reads at most {MAX_COLUMNS:,} "
            "(keep the listing columns you need and drop the rest)"
        )


def _position(raw: IO[bytes]) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0
