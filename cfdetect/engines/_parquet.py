"""Parquet datasets cut into ordered scoring tasks (file row groups), and read back per task.

A dataset is a Parquet file, a directory of them (hive partitions ``key=value/`` become columns),
or a glob of files and directories. Its *input order* is the files sorted by path, then the rows
of each file in order; row numbers (1-based) count in that order, as ``cfdetect score`` counts
the rows of one file. Planning reads only the files' footers (row counts per row group); a task
is a run of consecutive row groups of one file, so a worker reads only its own bytes.

Rows are read as ``cfdetect.io`` reads a Parquet file (nested columns as JSON text, binary as
text, other columns typed), so validation and scoring see the same values as local scoring.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cfdetect.errors import InputError, UsageError
from cfdetect.io import RawChunk, plain_columns

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ParquetTask:
    """Consecutive row groups of one Parquet file: what one worker reads, validates and scores.

    Attributes
    ----------
    index : int
        Position of the task in input order (names its output part).
    path : str
        The Parquet file.
    row_groups : tuple of int
        The file's row groups this task reads, consecutive.
    first_row : int
        Global 1-based row number of the task's first row.
    n_rows : int
        Rows in the task.
    keys : tuple of (name, value)
        Hive partition values of the file (``category=watches/`` -> ``(("category",
        "watches"),)``), added as columns.
    """

    index: int
    path: str
    row_groups: tuple[int, ...]
    first_row: int
    n_rows: int
    keys: tuple[tuple[str, Any], ...] = ()


@dataclass
class ParquetPlan:
    """The tasks of a dataset in input order, and its columns (those of its first file)."""

    tasks: list[ParquetTask]
    columns: list[str]
    schema: Any  # pyarrow.Schema of the first file (nested and binary columns as strings)
    files: int

    @property
    def rows(self) -> int:
        """Rows in the whole dataset."""
        return sum(t.n_rows for t in self.tasks)


def dataset_files(source: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Return the Parquet files of a file, directory or glob in input order, with hive keys.

    Files and directories whose name starts with ``.`` or ``_`` inside a directory are skipped
    (``_SUCCESS``, ``.crc`` files, temporary outputs), as Spark, Dask and Arrow skip them.

    Raises
    ------
    InputError
        Nothing matches, or a directory holds no Parquet file.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "category=watches").mkdir()
    >>> pd.DataFrame({"a": [1]}).to_parquet(root / "category=watches" / "p0.parquet")
    >>> [(pathlib.Path(f).name, keys) for f, keys in dataset_files(root)]
    [('p0.parquet', {'category': 'watches'})]
    """
    text = str(source)
    if text == "-":
        raise UsageError("the dask and spark engines read Parquet files or directories, not stdin")
    if _GLOB_CHARS & set(text):
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            raise InputError(f"{source}: no file matches")
    else:
        matches = [text]
    out: list[tuple[str, dict[str, Any]]] = []
    for match in matches:
        path = Path(match)
        if path.is_dir():
            out += _directory_files(path)
        elif path.is_file():
            out.append((str(path), {}))
        else:
            raise InputError(f"{match}: no such file or directory")
    if not out:
        raise InputError(f"{source}: no Parquet file found")
    return out


def _directory_files(root: Path) -> list[tuple[str, dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(root), format="parquet", partitioning="hive")
        fragments = sorted(dataset.get_fragments(), key=lambda f: f.path)
        return [(f.path, ds.get_partition_keys(f.partition_expression)) for f in fragments]
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{root}: not a readable Parquet dataset ({exc})") from exc


def plan_parquet(source: str | Path, task_rows: int) -> ParquetPlan:
    """Cut a Parquet dataset into tasks of about ``task_rows`` rows, in input order.

    Consecutive row groups of a file are grouped while the task stays within ``task_rows``; a
    row group is never split (it is one task, read in pieces), so write datasets with row
    groups of at most a few hundred thousand rows for an even spread over the workers.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "d.parquet"
    >>> pd.DataFrame({"a": range(10)}).to_parquet(f, row_group_size=3)
    >>> [(t.row_groups, t.first_row, t.n_rows) for t in plan_parquet(f, 6).tasks]
    [((0, 1), 1, 6), ((2, 3), 7, 4)]
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    tasks: list[ParquetTask] = []
    schema = None
    files = dataset_files(source)
    next_row = 1
    for path, found in files:
        keys = tuple(found.items())
        try:
            meta = pq.ParquetFile(path).metadata
            file_schema = meta.schema.to_arrow_schema()
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
        if schema is None:
            schema = _plain_schema(file_schema, found)
        group: list[int] = []
        rows = 0
        for i in range(meta.num_row_groups):
            n = meta.row_group(i).num_rows
            if group and rows + n > task_rows:
                tasks.append(ParquetTask(len(tasks), path, tuple(group), next_row, rows, keys))
                next_row += rows
                group, rows = [], 0
            group.append(i)
            rows += n
        if group:
            tasks.append(ParquetTask(len(tasks), path, tuple(group), next_row, rows, keys))
            next_row += rows
    assert schema is not None
    return ParquetPlan(tasks, list(schema.names), schema, len(files))


def _plain_schema(schema: Any, keys: dict[str, Any]) -> Any:
    """The Arrow schema rows are read with: nested and binary columns as strings, then keys."""
    import pyarrow as pa

    types = pa.types
    fields = []
    for f in schema:
        kind = f.type
        plain = (
            types.is_nested(kind)
            or types.is_binary(kind)
            or types.is_large_binary(kind)
            or types.is_fixed_size_binary(kind)
        )
        fields.append(pa.field(f.name, pa.string()) if plain else f)
    for name, value in keys.items():
        if name not in schema.names:
            kind = pa.int64() if isinstance(value, int) else pa.string()
            fields.append(pa.field(name, kind))
    return pa.schema(fields)


def read_task(task: ParquetTask, chunk_size: int) -> Iterator[RawChunk]:
    """Yield the rows of one task in chunks of at most ``chunk_size`` rows, with global numbers.

    Raises
    ------
    InputError
        The file cannot be read.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    done = 0
    try:
        parquet = pq.ParquetFile(task.path)
        for batch in parquet.iter_batches(batch_size=chunk_size, row_groups=list(task.row_groups)):
            frame = plain_columns(batch).to_pandas()
            for name, value in task.keys:
                if name not in frame.columns:
                    frame[name] = value
            numbers = np.arange(len(frame), dtype=np.int64) + task.first_row + done
            done += len(frame)
            yield RawChunk(frame, numbers, [], 0)
    except (pa.ArrowInvalid, pa.ArrowIOError, OSError) as exc:
        raise InputError(f"{task.path}: not a readable Parquet file ({exc})") from exc
    if done != task.n_rows:
        raise InputError(f"{task.path}: read {done:,} rows, its footer says {task.n_rows:,}")
