"""Scoring listing files: the package that owns a run.

- ``options``: ``ScoreOptions`` and ``EngineOptions``, the typed options of a run;
- ``chunks``: the one chunk loop (``run_chunks``: read chunks → validate → score, with the row
  accounting) and its step ``score_chunk``; every path runs it;
- ``local``: ``score_file`` on this machine, one process; ``parallel``: its ``--jobs`` workers;
  ``outputs`` and ``writing``: the atomic output files and what is written to them;
- ``resume``: the progress file of an interruptible run; ``report``: ``ScoreReport`` and the
  row accounting;
- ``dispatch``: ``score``, local | dask | spark. The engines (``cfdetect.engines``) import this
  package's parts; this package imports them only inside ``dispatch.score``.
"""

from cfdetect.scoring.chunks import (
    PIECE_ROWS,
    ChunkResult,
    pieces,
    reasons_form,
    reasons_text,
    run_chunks,
    score_chunk,
    scorer_rows,
)
from cfdetect.scoring.dispatch import score
from cfdetect.scoring.local import score_file
from cfdetect.scoring.options import ENGINES, EngineOptions, ScoreOptions
from cfdetect.scoring.report import ScoreReport, check_accounting, merge_validation
from cfdetect.scoring.resume import progress_path

__all__ = [
    "ENGINES",
    "PIECE_ROWS",
    "ChunkResult",
    "EngineOptions",
    "ScoreOptions",
    "ScoreReport",
    "check_accounting",
    "merge_validation",
    "pieces",
    "progress_path",
    "reasons_form",
    "reasons_text",
    "run_chunks",
    "score",
    "score_chunk",
    "score_file",
    "scorer_rows",
]
