"""cfdetect: flag counterfeit and IP-infringing marketplace listings before publication.

Examples
--------
>>> import cfdetect
>>> cfdetect.load_registry().canonical("LV")
'Louis Vuitton'

``cfdetect.evaluate`` is the evaluation package (``cfdetect.evaluate.evaluate_scored``, ...);
its one-call entry point, read a file, score, replay and report, is ``cfdetect.evaluate_file``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cfdetect._version import __version__

if TYPE_CHECKING:
    from cfdetect import evaluate
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
    from cfdetect.validate import (
        ValidationReport,
        iter_valid_chunks,
        validate_file,
        validate_frame,
    )

# the public names and the private modules they live in; imported on first use, so that
# ``import cfdetect.cli`` (or any light submodule) does not pull scikit-learn and pandas in
_EXPORTS = {
    "BrandRegistry": "cfdetect.registry",
    "CfdetectError": "cfdetect.errors",
    "ColumnMap": "cfdetect.columns",
    "InputError": "cfdetect.errors",
    "InvalidListing": "cfdetect.errors",
    "ModelError": "cfdetect.errors",
    "ScoreResult": "cfdetect.scorer",
    "Scorer": "cfdetect.scorer",
    "UsageError": "cfdetect.errors",
    "ValidationReport": "cfdetect.validate",
    "evaluate_file": "cfdetect.evaluate",
    "iter_valid_chunks": "cfdetect.validate",
    "load_column_map": "cfdetect.columns",
    "load_registry": "cfdetect.registry",
    "seller_history": "cfdetect.history",
    "train": "cfdetect.training",
    "validate_file": "cfdetect.validate",
    "validate_frame": "cfdetect.validate",
}


def __getattr__(name: str) -> Any:
    if name == "evaluate":
        return importlib.import_module("cfdetect.evaluate")
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'cfdetect' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    "validate_frame",
]
