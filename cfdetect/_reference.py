"""The drift monitor's reference, stored with a model: a sample of its own hold-out listings.

``cfdetect monitor`` compares today's listings with what the model learned from. A model trained
on a platform's own listings must be compared with those, not with a simulated world, so
training writes a random sample of the hold-out split (the latest listings it was measured on;
listing columns only, no label) to ``reference.parquet`` in the model directory and records the
file's rows and sha256 in the card (``artifact.MONITOR_REFERENCE``). The monitor reads it when no
``--reference`` is given and the card names one, and refuses a file whose hash differs.

The file holds up to ``TrainConfig.monitor_reference_rows`` of the training listings (titles,
sellers, prices): train with ``--monitor-reference-rows 0`` for a model directory that will be
shared outside the platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cfdetect.artifact import sha256_of
from cfdetect.errors import ModelError

REFERENCE_FILE = "reference.parquet"


def holdout_sample(hold_part: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame | None:
    """Up to ``rows`` listings of the hold-out split, drawn with ``seed``, in their order; only
    the canonical listing columns. None when ``rows`` is 0 or the split is empty.

    Examples
    --------
    >>> hold = pd.DataFrame({"title": list("abcd"), "price": [1.0] * 4, "is_counterfeit": 0})
    >>> holdout_sample(hold, 2, seed=0).columns.tolist()
    ['title', 'price']
    """
    from cfdetect.schema import LISTING_COLUMNS

    if rows <= 0 or hold_part.empty:
        return None
    keep = [c.name for c in LISTING_COLUMNS if c.name in hold_part.columns]
    sample = hold_part.sample(n=min(rows, len(hold_part)), random_state=seed).sort_index()
    return sample[keep].reset_index(drop=True)


def write_reference(directory: str | Path, frame: pd.DataFrame) -> dict[str, Any]:
    """Write ``frame`` to ``directory/reference.parquet`` (atomically, with ``cfdetect.io``);
    return the card's entry.

    Examples
    --------
    >>> import tempfile
    >>> entry = write_reference(tempfile.mkdtemp(), pd.DataFrame({"title": ["a", "b"]}))
    >>> entry["file"], entry["rows"]
    ('reference.parquet', 2)
    """
    from cfdetect.io import write_table

    path = Path(directory) / REFERENCE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_table(path, frame)
    return {
        "file": REFERENCE_FILE,
        "rows": len(frame),
        "sha256": sha256_of(path),
        "of": "a random sample of the hold-out split, listing columns only (the drift "
        "monitor's reference)",
    }


def checked_reference(directory: str | Path, entry: Mapping[str, Any]) -> Path:
    """The file a card's ``monitor_reference`` entry names, once its sha256 matches the entry's
    (the monitor then reads it as it reads ``--reference FILE``).

    Raises
    ------
    ModelError
        When the file is missing or not the one the card names.

    Examples
    --------
    >>> import tempfile
    >>> where = tempfile.mkdtemp()
    >>> entry = write_reference(where, pd.DataFrame({"title": ["a", "b"]}))
    >>> checked_reference(where, entry).name
    'reference.parquet'
    """
    path = Path(directory) / Path(str(entry.get("file", REFERENCE_FILE))).name
    if not path.is_file():
        raise ModelError(f"{path}: the monitor reference the model card names is missing")
    if sha256_of(path) != entry.get("sha256"):
        raise ModelError(
            f"{path}: not the monitor reference the model card names (sha256 differs); "
            "pass --reference FILE, or retrain"
        )
    return path
