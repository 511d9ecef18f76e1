"""Seller history from raw logs: read the logs in chunks, shard by seller, answer, write.

Passes:

1. The listings to answer (``data``) are read in chunks; each row's seller, submission time,
   declared brand and listing id go to their seller's shard (a hash of the seller id).
2. When a separate listings log is given, it is the listing history: its rows go to the shards
   too, and a row of ``data`` with the same listing id (and seller) is answered as that log row;
   the other rows of ``data`` are answered from the log without being added to it.
3. The event logs (takedowns, ratings, sales, returns) and the sellers table go to the shards.
4. Each shard is answered with sorts and binary searches (``_engine``) and its results go to a
   second store, bucketed by output row.
5. The output rows are read back in input order (``SellerFields``): ``seller_history`` writes
   ``data`` again with the seller_* columns filled in; ``cfdetect train`` and
   ``cfdetect evaluate`` attach them to their validated chunks by ``row_number``.

Only one shard is materialised at a time, and rows are buffered up to a budget and spilled to a
temporary directory beyond it, so the logs may be larger than memory.

The modules: ``_logs`` (where the logs are), ``_formats`` (their columns and parsing),
``_reader`` (passes 1 to 3), ``_engine`` (pass 4), ``_spill`` (the shard stores), ``_results``
(pass 5 and the report); this one runs the passes.
"""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, UsageError
from cfdetect.history._engine import SELLER_FIELDS, Sources, compute_shard
from cfdetect.history._formats import EVENT_LOGS, LOG_FORMATS
from cfdetect.history._logs import LOG_SUFFIXES, SellerLogs
from cfdetect.history._reader import _name, _raw_chunks, _Reader
from cfdetect.history._results import BUCKET_ROWS, HistoryReport, SellerFields
from cfdetect.history._spill import ShardStore
from cfdetect.io import DEFAULT_CHUNK_SIZE, open_writer, read_chunks
from cfdetect.schema import dtype_of

__all__ = [
    "BUCKET_ROWS",
    "LOG_SUFFIXES",
    "ROWS_PER_SHARD",
    "HistoryReport",
    "SellerFields",
    "SellerLogs",
    "peak_rss_mb",
    "seller_fields",
    "seller_history",
]

ROWS_PER_SHARD = 1_500_000
"""Rows of all inputs per shard aimed at when the number of shards is chosen from file sizes."""


def seller_fields(
    data: str | Path | pd.DataFrame,
    logs: SellerLogs | str | Path | None = None,
    *,
    columns: ColumnMap | str | Path | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    strict: bool = True,
    shards: int | None = None,
    memory_budget: int = 256 << 20,
    tmp_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> SellerFields:
    """Compute the point-in-time seller fields of every row of ``data`` from logs.

    Parameters
    ----------
    data : path or DataFrame
        The listings to answer (a listing file or frame, with ``listing_id``, ``seller_id``,
        ``created_at`` and optionally ``brand``, in the columns of ``columns``).
    logs : SellerLogs or directory, optional
        The logs; a directory is searched with :meth:`SellerLogs.from_dir`.
    columns : column map, preset or file, optional
        Applies to ``data`` (the logs use their documented column names).
    fmt, encoding, chunk_size
        How to read ``data``.
    strict : bool
        A row of ``data`` whose seller, time or id cannot be read is an error (default); with
        ``False`` it gets no fields and takes no part (validation rejects it later anyway).
    shards : int, optional
        Seller shards; default from the input sizes (about ``ROWS_PER_SHARD`` rows each).
    memory_budget : int
        Bytes of rows buffered in memory before spilling to ``tmp_dir``.
    tmp_dir : path, optional
    progress : callable, optional
        Called with a description of each stage.

    Returns
    -------
    SellerFields

    Raises
    ------
    InputError
        A file cannot be read, lacks a required column, or has a value that cannot be read
        (naming the file, the row and the column), or the logs contradict each other.
    UsageError
        A bad option (stdin as input, a missing logs directory).
    """
    started = time.perf_counter()
    found = _logs_of(logs)
    _check_inputs(data, found)
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    history_log = found.listings
    if history_log is not None and not isinstance(data, pd.DataFrame):
        history_log = None if _same_file(history_log, data) else history_log
    sources = _sources(data, found, history_log, strict)
    n_shards = shards or _choose_shards(data, found)
    if n_shards < 1:
        raise UsageError("shards must be at least 1")
    say = progress or (lambda _msg: None)
    job = _Job(data, found, history_log, cmap, fmt, encoding, chunk_size, strict, sources,
               n_shards, memory_budget, tmp_dir, say)  # fmt: skip
    report = HistoryReport(shards=n_shards)
    results, n_rows = _compute(job, report)
    report.seconds = time.perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return SellerFields(results, n_rows, report)


@dataclass(frozen=True)
class _Job:
    """One ``seller_fields`` run: what it reads, and how."""

    data: str | Path | pd.DataFrame
    logs: SellerLogs
    history_log: str | Path | None  # a separate listings log holding the history, or None
    cmap: ColumnMap
    fmt: str | None
    encoding: str
    chunk_size: int
    strict: bool
    sources: Sources
    n_shards: int
    memory_budget: int
    tmp_dir: str | Path | None
    say: Callable[[str], None]


def _logs_of(logs: SellerLogs | str | Path | None) -> SellerLogs:
    if isinstance(logs, SellerLogs):
        return logs
    if logs is not None:
        return SellerLogs.from_dir(logs)
    return SellerLogs()


def _check_inputs(data: str | Path | pd.DataFrame, logs: SellerLogs) -> None:
    """The input is read twice (not stdin), and every log given exists."""
    if not isinstance(data, pd.DataFrame) and str(data) == "-":
        raise UsageError("seller history reads its input twice: give a file, not stdin (-)")
    for name in logs.given():
        path = Path(getattr(logs, name))
        if not path.is_file():
            raise InputError(f"{path}: no such file (the {name} log)")


def _sources(
    data: str | Path | pd.DataFrame,
    found: SellerLogs,
    history_log: str | Path | None,
    strict: bool,
) -> Sources:
    """Which logs the fields can be computed from, and the names errors give the inputs."""
    return Sources(
        takedowns=found.takedowns is not None,
        ratings=found.ratings is not None,
        sales=found.sales is not None,
        amounts=found.sales is not None and _has_column(found.sales, "amount"),
        returns=found.returns is not None,
        lenient=not strict,
        names={
            "listings": str(history_log if history_log is not None else _name(data)),
            "queries": _name(data),
            "sellers": str(found.sellers),
        },
    )


def _compute(job: _Job, report: HistoryReport) -> tuple[ShardStore, int]:
    """Passes 1 to 4: read everything into the seller shards, answer each shard; return the
    result store (the caller owns it) and the rows of ``data``."""
    store = ShardStore(job.n_shards, job.memory_budget, job.tmp_dir)
    results = ShardStore(1, job.memory_budget, job.tmp_dir)  # re-made below with the row count
    try:
        n_rows = _read_inputs(job, store, report)
        buckets = max(1, math.ceil(n_rows / BUCKET_ROWS))
        results = ShardStore(buckets, job.memory_budget // 4, job.tmp_dir)
        _answer_shards(job, store, results, report)
        report.spilled_bytes = store.spilled_bytes + results.spilled_bytes
    except BaseException:
        results.close()
        raise
    finally:
        store.close()
    return results, n_rows


def _read_inputs(job: _Job, store: ShardStore, report: HistoryReport) -> int:
    """Passes 1 to 3: the listings (matched to a separate listings log when there is one), then
    the sellers table and the event logs; return the rows of ``data``."""
    reader = _Reader(store, job.n_shards, job.chunk_size, job.encoding)
    job.say("reading the listings")
    if job.history_log is None:
        n_rows = reader.listings(job.data, job.cmap, job.fmt, job.strict, job.sources)
    else:
        n_rows = reader.matched(
            job.data, job.cmap, job.fmt, job.strict, job.history_log, job.sources, report
        )
    report.rows = n_rows
    report.log_rows["listings"] = reader.history_rows
    for name in ("sellers", *EVENT_LOGS):
        path = getattr(job.logs, name)
        if path is not None:
            job.say(f"reading the {name} log")
            report.log_rows[name] = reader.log(path, LOG_FORMATS[name], name)
    return n_rows


def _answer_shards(
    job: _Job, store: ShardStore, results: ShardStore, report: HistoryReport
) -> None:
    """Pass 4: answer one shard at a time (dropped from ``store`` once loaded) into ``results``,
    bucketed by output row."""
    for shard in range(job.n_shards):
        job.say(f"answering shard {shard + 1} of {job.n_shards}")
        parts = {k: store.load(k, shard) for k in ("listings", "queries", "sellers",
                                                   *EVENT_LOGS)}  # fmt: skip
        for k in parts:
            store.drop(k, shard)
        dst, values = compute_shard(
            parts["listings"], parts["queries"], {k: parts[k] for k in EVENT_LOGS},
            parts["sellers"], job.sources,
        )  # fmt: skip
        report.answered += len(dst)
        results.add(
            "results",
            dst // BUCKET_ROWS,
            {"dst": dst, **{f"v{j}": values[:, j] for j in range(values.shape[1])}},
        )


def seller_history(
    listings: str | Path | pd.DataFrame,
    output: str | Path,
    logs: SellerLogs | str | Path | None = None,
    *,
    columns: ColumnMap | str | Path | None = None,
    fmt: str | None = None,
    output_format: str | None = None,
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    shards: int | None = None,
    memory_budget: int = 256 << 20,
    tmp_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> HistoryReport:
    """Write ``listings`` again with the seller_* fields computed from logs, as of submission.

    Every field counts only what happened strictly before the listing's ``created_at``: the
    seller's age since joining (the sellers table's ``joined_at``, else the first listing),
    listings and distinct declared brands before, takedowns before (by removal time), ratings
    and their mean, and the 90-day orders, GMV and returns. A field whose log is not given stays
    empty. The output has the input's rows in input order, its columns renamed by ``columns``,
    and the nine seller_* columns replaced or added; it appears only when complete.

    Parameters
    ----------
    listings : path or DataFrame
        The listings (a listing file; ``listing_id``, ``seller_id`` and ``created_at`` needed).
    output : path
        Where to write (.csv, .jsonl, .parquet, optionally .gz; ``-`` with ``output_format``).
    logs : SellerLogs or directory, optional
        The event logs and the sellers table (``docs/seller_history.md``).
    columns, fmt, encoding, chunk_size
        How to read ``listings``.
    output_format : str, optional
        Output format when the suffix does not tell.
    shards, memory_budget, tmp_dir, progress
        See :func:`seller_fields`.

    Returns
    -------
    HistoryReport

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"listing_id": ["a", "b"], "title": ["x", "y"], "price": [1, 2],
    ...               "seller_id": ["s", "s"],
    ...               "created_at": ["2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z"]}
    ...              ).to_csv(d / "listings.csv", index=False)
    >>> pd.DataFrame({"seller_id": ["s"], "removed_at": ["2025-01-02T00:00:00Z"]}
    ...              ).to_csv(d / "takedowns.csv", index=False)
    >>> report = seller_history(d / "listings.csv", d / "out.csv", d)
    >>> pd.read_csv(d / "out.csv")[["seller_n_listings", "seller_n_takedowns"]].values.tolist()
    [[0, 0], [1, 1]]
    """
    fields = seller_fields(
        listings, logs, columns=columns, fmt=fmt, encoding=encoding, chunk_size=chunk_size,
        strict=True, shards=shards, memory_budget=memory_budget, tmp_dir=tmp_dir,
        progress=progress,
    )  # fmt: skip
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    report = fields.report
    report.output = str(output)
    with fields, open_writer(output, output_format) as writer:
        say("writing")
        for chunk in _raw_chunks(listings, fmt, chunk_size, encoding):
            frame = cmap.apply(chunk.frame)
            filled = fields.frame(chunk.row_numbers - 1)
            for name in SELLER_FIELDS:
                frame[name] = filled[name].to_numpy()
                frame[name] = frame[name].astype(dtype_of(name))
            writer.write(frame)
    report.seconds += time.perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return report


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _has_column(path: str | Path, name: str) -> bool:
    first = next(read_chunks(path, chunk_size=1))
    return name in [str(c) for c in first.frame.columns]


def _choose_shards(data: str | Path | pd.DataFrame, logs: SellerLogs) -> int:
    """Shards for about ``ROWS_PER_SHARD`` rows each, rows guessed from file sizes."""
    paths = [getattr(logs, n) for n in logs.given()]
    rows = float(len(data)) if isinstance(data, pd.DataFrame) else 0.0
    if not isinstance(data, pd.DataFrame):
        paths.append(data)
    for path in paths:
        try:
            size = Path(path).stat().st_size
        except OSError:
            continue
        compressed = str(path).lower().endswith((".gz", ".parquet", ".pq"))
        rows += size / (8 if compressed else 40)
    return int(min(4096, max(1, math.ceil(rows / ROWS_PER_SHARD))))
