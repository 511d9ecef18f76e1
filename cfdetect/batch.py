"""Former home of local batch scoring, kept so that ``from cfdetect.batch import score_file``
still works: the run now lives in ``cfdetect.scoring`` (``score_file``, ``ScoreReport``,
``progress_path``). New code imports from ``cfdetect.scoring``."""

from cfdetect.scoring import (
    PIECE_ROWS,
    ScoreReport,
    progress_path,
    reasons_form,
    reasons_text,
    score_chunk,
    score_file,
)

__all__ = [
    "PIECE_ROWS",
    "ScoreReport",
    "progress_path",
    "reasons_form",
    "reasons_text",
    "score_chunk",
    "score_file",
]
