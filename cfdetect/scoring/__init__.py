"""Scoring listing files: the chunk pipeline, the resume protocol and the run report.

``cfdetect.batch.score_file`` runs a local scoring job (one process or ``--jobs`` workers) on
these parts; the distributed engines (``cfdetect.engines``) score their partitions with the same
``score_chunk`` and report with the same ``ScoreReport``. The engines depend on this package,
never the reverse.
"""

from cfdetect.scoring.chunks import PIECE_ROWS, pieces, reasons_form, reasons_text, score_chunk
from cfdetect.scoring.report import ScoreReport
from cfdetect.scoring.resume import progress_path

__all__ = [
    "PIECE_ROWS",
    "ScoreReport",
    "pieces",
    "progress_path",
    "reasons_form",
    "reasons_text",
    "score_chunk",
]
