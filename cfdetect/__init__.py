"""cfdetect: flag counterfeit and IP-infringing marketplace listings before publication.

Examples
--------
>>> import cfdetect
>>> cfdetect.load_registry().canonical("LV")
'Louis Vuitton'

``cfdetect.evaluate`` is the evaluation package (``cfdetect.evaluate.evaluate_scored``, ...);
its one-call entry point, read a file, score, replay and report, is ``cfdetect.evaluate_file``.
"""

from cfdetect import evaluate
from cfdetect._version import __version__
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import (
    CfdetectError,
    InputError,
    InvalidListing,
    ModelError,
    UsageError,
)
from cfdetect.evaluate import evaluate_file
from cfdetect.history import seller_history
from cfdetect.registry import BrandRegistry, load_registry
from cfdetect.scorer import Scorer, ScoreResult
from cfdetect.training import train
from cfdetect.validate import ValidationReport, iter_valid_chunks, validate_file

__all__ = [
    "BrandRegistry",
    "CfdetectError",
    "ColumnMap",
    "InputError",
    "InvalidListing",
    "ModelError",
    "ScoreResult",
    "Scorer",
    "UsageError",
    "ValidationReport",
    "__version__",
    "evaluate",
    "evaluate_file",
    "iter_valid_chunks",
    "load_column_map",
    "load_registry",
    "seller_history",
    "train",
    "validate_file",
]
