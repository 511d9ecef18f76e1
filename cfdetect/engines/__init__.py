"""Distributed scoring engines: thin Dask and Spark adapters over the library's chunk loop.

``cfdetect score INPUT --engine dask|spark`` (``cfdetect.scoring.score``) scores a Parquet
dataset on a cluster with the same results as local scoring: each partition goes through
``cfdetect.scoring.run_chunks`` (the schema's ``Validator`` and ``Scorer.score_frame``, the
loop every local run uses), row numbers are global (1-based, input order) and a listing id
seen earlier in the input rejects the later row, across partitions too. Every input row ends
in the output or the rejects.

Importing this package imports neither Dask nor PySpark; ``cfdetect.engines.dask`` and
``cfdetect.engines.spark`` import them when called. Helpers shared by both engines live here:
the per-process model cache (a worker loads the model once), the output columns of a dataset,
the atomic output directory and the rejects writer. The engines import ``cfdetect.scoring``'s
parts (the chunk loop, the options, the report); the local runner is no business of theirs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.artifact import ModelCard, default_model_dir, pin_trusted
from cfdetect.columns import ColumnMap
from cfdetect.errors import InputError, UsageError
from cfdetect.io import detect_format
from cfdetect.schema import Validator
from cfdetect.scorer import Scorer
from cfdetect.validate import open_rejects

__all__ = [
    "ModelSpec",
    "OutputDirectory",
    "load_scorer",
    "output_columns",
    "replaceable_entry",
    "write_rejects",
]


@dataclass(frozen=True)
class ModelSpec:
    """What a worker needs to load the model the driver checked: path, file hash, thresholds.

    The driver loads the model with the caller's trust settings; a worker trusts the directory
    only while its model file has the hash the driver saw (``pin_trusted``), so a worker never
    unpickles another file. ``path`` is None for the shipped default model (each worker's own
    installed copy, which must be the same file).
    """

    path: str | None
    sha256: str | None
    block: float
    review: float

    @classmethod
    def of(cls, scorer: Scorer, model: str | Path | None) -> ModelSpec:
        """The spec of a scorer loaded from ``model`` (an absolute path: workers may not share
        the driver's working directory)."""
        path = str(Path(model).expanduser().resolve()) if model is not None else None
        sha = ModelCard.of(scorer.card).model_sha256
        return cls(path, sha, scorer.block_threshold, scorer.review_threshold)


_SCORERS: dict[ModelSpec, Scorer] = {}
_LOCK = threading.Lock()


def load_scorer(spec: ModelSpec) -> Scorer:
    """Return this process's scorer for ``spec``, loading the model on first use only.

    Dask workers and Spark's Python workers are long-lived processes: each loads the model once
    and scores every partition it is given with it.

    Examples
    --------
    >>> from cfdetect.scorer import Scorer
    >>> spec = ModelSpec.of(Scorer.load(), None)
    >>> load_scorer(spec) is load_scorer(spec)
    True
    """
    with _LOCK:
        scorer = _SCORERS.get(spec)
        if scorer is None:
            if spec.sha256 is not None:
                where = spec.path if spec.path is not None else default_model_dir()
                pin_trusted(where, spec.sha256)
            scorer = Scorer.load(
                spec.path, block_threshold=spec.block, review_threshold=spec.review
            )
            _SCORERS[spec] = scorer
        return scorer


def output_columns(scorer: Scorer, cmap: ColumnMap, columns: list[str]) -> list[str]:
    """The scored output's columns for an input with these columns (what ``score`` writes).

    Examples
    --------
    >>> from cfdetect.columns import ColumnMap
    >>> from cfdetect.scorer import Scorer
    >>> output_columns(Scorer.load(), ColumnMap(), ["listing_id", "title", "price", "seller_id",
    ...                                             "shop_url"])
    ['listing_id', 'score', 'decision', 'reasons', 'in_favour', 'shop_url']
    """
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    rows = Validator(cmap).validate(empty).rows
    return [str(c) for c in scorer.score_frame(rows, explain=False).columns]


def replaceable_entry(name: str, is_file: bool) -> bool:
    """Whether an entry may be in an output directory cfdetect replaces: Parquet part files
    and hidden or ``_`` entries (``_SUCCESS``, ``.crc`` files), as cfdetect and Spark write.

    Examples
    --------
    >>> replaceable_entry("part-00000.parquet", True), replaceable_entry("notes.txt", True)
    (True, False)
    """
    if name.startswith((".", "_")):
        return True
    return is_file and name.startswith("part-") and ".parquet" in name


def _replaceable(directory: Path) -> bool:
    """An output directory cfdetect (or Spark) wrote: only part files and hidden/_ entries."""
    return all(replaceable_entry(e.name, e.is_file()) for e in directory.iterdir())


class OutputDirectory:
    """A Parquet output directory written under a temporary name and renamed on success.

    The parts are written into ``.NAME.<random>.part/`` beside the target; ``commit`` renames it
    to ``NAME`` (an earlier output directory of the same name is replaced: renamed aside, then
    deleted), ``abort`` deletes it. A directory holding anything but Parquet part files is never
    replaced. The target must be on a filesystem the client and every worker see at the same
    path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "scored"
    >>> out = OutputDirectory(target)
    >>> _ = (out.tmp / "part-00000.parquet").write_bytes(b"")
    >>> out.commit()
    >>> sorted(p.name for p in target.iterdir())
    ['part-00000.parquet']
    """

    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        if str(target) == "-":
            raise UsageError("the dask and spark engines write a Parquet directory: give -o DIR")
        if not self.target.parent.is_dir():
            raise InputError(f"{target}: the output directory {self.target.parent} does not exist")
        if self.target.exists() and not self.target.is_dir():
            raise InputError(f"{target}: is a file; the dask and spark engines write a directory")
        if self.target.is_dir() and not _replaceable(self.target):
            raise InputError(
                f"{target}: exists and holds other files than Parquet parts; "
                "choose a new output directory"
            )
        self.tmp = self.target.with_name(f".{self.target.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            self.tmp.mkdir()
        except OSError as exc:
            raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from exc

    def commit(self) -> None:
        """Move the finished directory under its final name."""
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.{uuid.uuid4().hex[:12]}.old")
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Delete the temporary directory; nothing is left under the final name."""
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_rejects(
    path: str | Path, frames: Iterable[pd.DataFrame], *, escape_formulas: bool = ESCAPE_FORMULAS
) -> int:
    """Write rejects frames (in row order) to one file with the library's atomic writer.

    Returns the number of rows written. The file gets its header also when nothing was rejected.
    """
    detect_format(path)  # a usage error before any work when the suffix is unknown
    with open_rejects(path, escape_formulas=escape_formulas) as writer:
        assert writer is not None
        for frame in frames:
            if len(frame):
                writer.write(frame)
    return writer.rows


@contextlib.contextmanager
def _quiet_future_warnings() -> Any:
    """PySpark warns that it does not fully support pandas 3; the paths cfdetect uses work."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not yet fully support pandas")
        yield
