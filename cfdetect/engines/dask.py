"""Score a Parquet dataset on a Dask cluster: ``cfdetect score INPUT --engine dask``.

How a run goes:

1. The client plans tasks from the files' footers (``plan_parquet``): runs of row groups in
   input order, each with the global number of its first row. Nothing else is read here.
2. Each task runs on a worker: it reads its rows as local scoring reads Parquet, validates and
   scores them chunk by chunk with ``cfdetect.scoring.run_chunks`` (one ``Validator`` per task,
   so a repeated id inside the task is rejected exactly as locally), and writes its scored rows
   as ``part-NNNNNN.parquet`` into the temporary output directory, with its rejects and the
   (listing id, row number) of its scored rows beside them. The worker loads the model once
   (``load_scorer``). The client's progress bar advances as tasks complete.
3. Listing ids scored by more than one task are found with a Dask shuffle (``value_counts`` of
   the ids); for each, every scored row after the first in input order is taken out of its
   part and rejected with the reason local scoring gives ("listing id appears earlier in the
   file"), its raw row re-read from the input. The output therefore equals local scoring's
   row for row, and output + rejects == input rows (checked before anything is published).
4. The client writes the rejects file (CSV, JSON Lines or Parquet, in row order) and renames
   the temporary directory into place.

The input, the output directory and the model directory must be reachable at the same paths
from the client and every worker (one machine, or a shared filesystem).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.artifact import Trust
from cfdetect.columns import ColumnMap
from cfdetect.engines import (
    ModelSpec,
    OutputDirectory,
    load_scorer,
    output_columns,
    write_rejects,
)
from cfdetect.engines._parquet import ParquetTask, plan_parquet, read_task
from cfdetect.errors import CfdetectError
from cfdetect.io import DEFAULT_CHUNK_SIZE, RawChunk, detect_format, reason_list_type
from cfdetect.schema import Validator, duplicate_rejects
from cfdetect.scorer import Explain
from cfdetect.scoring.chunks import reasons_text, run_chunks, scorer_rows
from cfdetect.scoring.options import ScoreOptions
from cfdetect.scoring.report import ScoreReport, check_accounting, merge_validation
from cfdetect.validate import ValidationReport, check_columns

__all__ = ["run_dask", "score_dask"]

_WORK = "_cfdetect"  # scratch subdirectory of the temporary output (ids and rejects per task)
_TOP_COLUMNS = ["listing_id", "score", "decision", "reasons", "row_number"]


@dataclass(frozen=True)
class _Job:
    """What every task of one run shares (sent with each task; a few kilobytes)."""

    model: ModelSpec
    cmap: ColumnMap
    explain: Explain
    chunk_size: int
    tmp: str
    schema: Any  # pyarrow.Schema of the output parts
    top_n: int = 10

    def part(self, index: int, kind: str = "") -> Path:
        """The file of task ``index``: its output part, or its ``ids`` / ``rejects`` file."""
        name = f"part-{index:06d}.parquet"
        return Path(self.tmp) / name if not kind else Path(self.tmp) / _WORK / kind / name


@dataclass
class _TaskResult:
    """What a task reports back: counts, its most suspicious rows, which files it wrote."""

    index: int
    validation: ValidationReport
    scored: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    top: pd.DataFrame | None = None
    has_ids: bool = False
    has_rejects: bool = False


_REJECT_TYPES = {"row_number": "int64", "listing_id": "string", "field": "string"}


def _rejects_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("row_number", pa.int64()),
            ("listing_id", pa.string()),
            ("field", pa.string()),
            ("reason", pa.string()),
            ("raw", pa.string()),
        ]
    )


def _write_parquet(frame: pd.DataFrame, schema: Any, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame.reindex(columns=schema.names), schema, preserve_index=False)
    pq.write_table(table, path)


def _top(
    pool: pd.DataFrame | None, scored: pd.DataFrame, numbers: np.ndarray, n: int
) -> pd.DataFrame | None:
    """Keep the ``n`` highest-scored flagged rows seen so far (the first of equal scores)."""
    flagged = scored.loc[scored["decision"] != "allow", _TOP_COLUMNS[:4]].assign(
        row_number=numbers[(scored["decision"] != "allow").to_numpy()]
    )
    if not len(flagged):
        return pool
    flagged["reasons"] = flagged["reasons"].map(reasons_text)  # the summary's table: text
    pool = flagged if pool is None else pd.concat([pool, flagged], ignore_index=True)
    return pool.nlargest(n, "score", keep="first")


def _score_task(task: ParquetTask, job: _Job) -> _TaskResult:
    """Worker: read, validate and score one task; write its part, ids and rejects."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    step = scorer_rows(load_scorer(job.model), job.explain, "records")
    result = _TaskResult(task.index, ValidationReport(task.path))
    ids: list[pd.DataFrame] = []
    rejects: list[pd.DataFrame] = []
    writer = None
    chunks = read_task(task, job.chunk_size)
    try:
        for done in run_chunks(chunks, Validator(job.cmap), step, validation=result.validation):
            scored, numbers = done.scored, done.row_numbers
            assert scored is not None
            if len(done.rejects):
                rejects.append(done.rejects)
            if not len(scored):
                continue
            table = pa.Table.from_pandas(
                scored.reindex(columns=job.schema.names), job.schema, preserve_index=False
            )
            if writer is None:
                writer = pq.ParquetWriter(job.part(task.index), job.schema)
            writer.write_table(table)
            ids.append(pd.DataFrame({"listing_id": scored["listing_id"], "row_number": numbers}))
            result.scored += len(scored)
            result.decisions.update(scored["decision"].tolist())
            result.top = _top(result.top, scored, numbers, job.top_n)
    finally:
        if writer is not None:
            writer.close()
    if ids:
        frame = pd.concat(ids, ignore_index=True).astype({"listing_id": "string"})
        frame.to_parquet(job.part(task.index, "ids"), index=False)
        result.has_ids = True
    if rejects:
        found = pd.concat(rejects, ignore_index=True)
        _write_parquet(found, _rejects_schema(), job.part(task.index, "rejects"))
        result.has_rejects = True
    return result


@dataclass
class _DropResult:
    """What taking the later duplicates out of one task's part changed."""

    index: int
    numbers: np.ndarray
    decisions: Counter[str]
    validation: ValidationReport


def _drop_duplicates(task: ParquetTask, numbers: np.ndarray, job: _Job) -> _DropResult:
    """Worker: move the rows ``numbers`` (ids scored earlier by another task) to the rejects."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pd.read_parquet(job.part(task.index, "ids"))
    positions = np.searchsorted(ids["row_number"].to_numpy(), numbers)
    path = job.part(task.index)
    part = pq.read_table(path)
    decisions = Counter(part.column("decision").take(pa.array(positions)).to_pylist())
    keep = np.ones(part.num_rows, dtype=bool)
    keep[positions] = False
    if keep.any():
        pq.write_table(part.filter(pa.array(keep)), path)
    else:
        path.unlink()
    found = []
    for chunk in read_task(task, job.chunk_size):
        selected = np.isin(chunk.row_numbers, numbers)
        if selected.any():
            raw = chunk.frame.loc[selected]
            found.append(duplicate_rejects(raw, chunk.row_numbers[selected], job.cmap))
    duplicates = pd.concat(found, ignore_index=True)
    rejects_path = job.part(task.index, "rejects")
    merged = duplicates
    if rejects_path.exists():
        merged = pd.concat([pd.read_parquet(rejects_path), duplicates], ignore_index=True)
        merged = merged.sort_values("row_number", kind="stable", ignore_index=True)
    _write_parquet(merged, _rejects_schema(), rejects_path)
    delta = ValidationReport(task.path)
    delta.add(0, -len(numbers), duplicates)
    return _DropResult(task.index, numbers, decisions, delta)


@contextlib.contextmanager
def _connect(client: Any, workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """Yield a Dask client: the caller's, one to ``scheduler``, or one to a local cluster of
    ``workers`` single-threaded worker processes (closed afterwards)."""
    from distributed import Client, LocalCluster

    if client is not None:
        yield client
        return
    if scheduler is not None:
        try:
            own = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise CfdetectError(f"cannot reach the Dask scheduler {scheduler} ({exc})") from None
        with own:
            yield own
        return
    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as own:
        yield own


def _gather(futures: list[Any], on_result: Callable[[Any], None]) -> None:
    """Wait for futures as they complete; the first failure cancels the rest and is raised.

    Errors cfdetect raises on purpose (unreadable file, untrusted model) keep their type; any
    other worker failure (a worker killed, out of memory) becomes a one-line ``CfdetectError``.
    """
    from distributed import as_completed

    try:
        for future in as_completed(futures):
            on_result(future.result())
    except CfdetectError:
        _cancel(futures)
        raise
    except Exception as exc:
        _cancel(futures)
        raise CfdetectError(f"a Dask task failed: {type(exc).__name__}: {exc}") from exc
    except BaseException:
        _cancel(futures)
        raise


def _cancel(futures: list[Any]) -> None:
    for future in futures:
        with contextlib.suppress(Exception):
            future.cancel()


def _repeated_ids(job: _Job, indexes: list[int]) -> np.ndarray:
    """Row numbers of scored rows whose listing id a task earlier in the input scored already.

    A Dask shuffle counts the ids of all scored rows; only ids counted more than once come back
    to the client, with their row numbers (each task scored an id at most once).
    """
    import dask.dataframe as dd

    ids = dd.read_parquet([str(job.part(i, "ids")) for i in indexes])
    counts = ids["listing_id"].value_counts(split_out=max(1, len(indexes) // 16))
    repeated = counts[counts > 1].compute()
    if not len(repeated):
        return np.zeros(0, dtype=np.int64)
    wanted = list(repeated.index)
    rows = ids[ids["listing_id"].isin(wanted)].compute()
    first = rows.groupby("listing_id")["row_number"].transform("min")
    return np.sort(rows.loc[rows["row_number"] != first, "row_number"].to_numpy(np.int64))


def score_dask(
    input: str | Path,
    output: str | Path,
    *,
    rejects: str | Path | None = None,
    model: str | Path | None = None,
    columns: ColumnMap | str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    explain: Explain = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    escape_formulas: bool = ESCAPE_FORMULAS,
    trust: Trust | None = None,
) -> ScoreReport:
    """Score a Parquet dataset on Dask into a Parquet directory; rejected rows to ``rejects``.

    Parameters
    ----------
    input : path or glob
        A Parquet file, a directory of them (hive ``key=value/`` partitions become columns,
        files starting with ``.`` or ``_`` are skipped) or a glob. Input order: files sorted by
        path, rows in file order.
    output : path
        Output directory: ``part-NNNNNN.parquet`` files whose rows, read in name order, are the
        scored rows in input order (``listing_id``, ``score``, ``decision``, ``reasons``, then
        the input's extra columns). Written under a temporary name and renamed on success.
    rejects : path, optional
        One file (``.csv``, ``.jsonl`` or ``.parquet``) with every rejected row, in row order,
        row numbers global. Without it the rejects are only counted.
    model, columns, explain, block_threshold, review_threshold, escape_formulas, trust
        As for ``cfdetect.scoring.score_file``.
    workers : int, optional
        Start a local cluster of this many worker processes (one thread each). Default: one per
        core.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://10.0.0.5:8786``) instead.
    client : distributed.Client, optional
        A client the caller already has (left open).
    chunk_size : int
        Rows per task (row groups are grouped up to this size) and per validate-and-score call.
    progress : callable, optional
        Called with ``(rows done, 0)`` as tasks complete.

    Returns
    -------
    ScoreReport

    Raises
    ------
    InputError
        Missing or unreadable input, a required column missing, an output that cannot be
        written.
    ModelError
        The model cannot be loaded (on the client or on a worker).

    Examples
    --------
    >>> report = score_dask("dump/", "out/scored", rejects="out/rejects.csv",
    ...                     workers=2)  # doctest: +SKIP
    >>> report.scored + report.validation.rejected == report.validation.rows_read  # doctest: +SKIP
    True
    """
    options = ScoreOptions(
        model=model,
        columns=columns,
        rejects=rejects,
        chunk_size=chunk_size,
        explain=explain,
        block_threshold=block_threshold,
        review_threshold=review_threshold,
        progress=progress,
        escape_formulas=escape_formulas,
        trust=trust,
    )
    return run_dask(input, output, options, workers=workers, scheduler=scheduler, client=client)


def run_dask(
    input: str | Path,
    output: str | Path,
    options: ScoreOptions,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
) -> ScoreReport:
    """Score a Parquet dataset on Dask with typed options (what ``score_dask`` and
    ``cfdetect.scoring.score`` run); see ``score_dask``."""
    started = time.perf_counter()
    options.check()
    if options.rejects is not None:
        detect_format(options.rejects)
    scorer = options.load_scorer()
    cmap = options.column_map()
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    plan = plan_parquet(input, options.chunk_size)
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in plan.columns})
    check_columns(input, RawChunk(empty, np.zeros(0, dtype=np.int64)), cmap, report.validation)
    schema = _output_schema(output_columns(scorer, cmap, plan.columns), plan.schema)
    out = OutputDirectory(output)
    spec = ModelSpec.of(scorer, options.model)
    job = _Job(spec, cmap, options.explain, options.chunk_size, str(out.tmp), schema)
    try:
        for kind in ("ids", "rejects"):
            (out.tmp / _WORK / kind).mkdir(parents=True)
        with _connect(client, workers, scheduler) as dask:
            results, dropped = _run_tasks(dask, plan.tasks, job, report, options.progress)
        _publish(out, job, results, dropped, report, options)
    except BaseException:
        out.abort()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _run_tasks(
    dask: Any,
    tasks: list[ParquetTask],
    job: _Job,
    report: ScoreReport,
    progress: Callable[[int, int], None] | None,
) -> tuple[dict[int, _TaskResult], np.ndarray]:
    """Score every task, then take the later repeats of an id out of the parts: the task
    results and the row numbers of the rows taken out."""
    results: dict[int, _TaskResult] = {}

    def collect(result: _TaskResult) -> None:
        results[result.index] = result
        merge_validation(report.validation, result.validation)
        if progress is not None:
            progress(report.validation.rows_read, 0)

    _gather(dask.map(_score_task, tasks, job=job, pure=False), collect)
    for result in results.values():
        report.scored += result.scored
        report.decisions.update(result.decisions)
    with_ids = [i for i in sorted(results) if results[i].has_ids]
    dropped = _repeated_ids(job, with_ids) if len(with_ids) > 1 else np.zeros(0)
    if len(dropped):
        _drop(dask, tasks, dropped, job, results, report)
    return results, dropped


def _publish(
    out: OutputDirectory,
    job: _Job,
    results: dict[int, _TaskResult],
    dropped: np.ndarray,
    report: ScoreReport,
    options: ScoreOptions,
) -> None:
    """The top rows, the accounting check, the rejects file, the directory renamed into place."""
    import shutil

    import pyarrow.parquet as pq

    tops = [r.top for _, r in sorted(results.items()) if r.top is not None]
    if tops:
        pool = pd.concat(tops, ignore_index=True).sort_values("row_number", kind="stable")
        pool = pool.loc[~pool["row_number"].isin(dropped)]
        report.top = pool.nlargest(report.top_n, "score", keep="first")[_TOP_COLUMNS[:4]]
        report.top = report.top.reset_index(drop=True)
    if not any(out.tmp.glob("part-*.parquet")):
        pq.write_table(job.schema.empty_table(), job.part(0))
    check_accounting(report)
    if options.rejects is not None:
        parts = (
            pd.read_parquet(job.part(i, "rejects")).astype(_REJECT_TYPES)
            for i in sorted(results)
            if job.part(i, "rejects").exists()
        )
        write_rejects(options.rejects, parts, escape_formulas=options.escape_formulas)
    shutil.rmtree(out.tmp / _WORK)
    out.commit()


def _drop(
    dask: Any,
    tasks: list[ParquetTask],
    dropped: np.ndarray,
    job: _Job,
    results: dict[int, _TaskResult],
    report: ScoreReport,
) -> None:
    """Take later duplicates out of the parts that hold them (one Dask task per part)."""
    starts = np.array([t.first_row for t in tasks], dtype=np.int64)
    owner = np.searchsorted(starts, dropped, side="right") - 1
    futures = [
        dask.submit(_drop_duplicates, tasks[i], dropped[owner == i], job, pure=False)
        for i in np.unique(owner)
    ]

    def apply(change: _DropResult) -> None:
        merge_validation(report.validation, change.validation)
        report.scored -= len(change.numbers)
        report.decisions.subtract(change.decisions)
        results[change.index].has_rejects = True

    _gather(futures, apply)


def _output_schema(columns: list[str], input_schema: Any) -> Any:
    """The Arrow schema of the output parts: scores, then extras typed as in the input."""
    import pyarrow as pa

    fixed = {
        "listing_id": pa.string(),
        "score": pa.float64(),
        "decision": pa.string(),
        "reasons": reason_list_type(),  # lists of {code, text, weight}, as local Parquet
        "in_favour": reason_list_type(),
    }
    fields = []
    for name in columns:
        if name in fixed:
            fields.append(pa.field(name, fixed[name]))
        elif name in input_schema.names:
            fields.append(input_schema.field(name))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)
