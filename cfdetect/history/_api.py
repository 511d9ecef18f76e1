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
"""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, UsageError
from cfdetect.history._engine import PRIORS, SELLER_FIELDS, Sources, compute_shard
from cfdetect.history._formats import (
    EVENT_LOGS,
    LISTINGS,
    LOG_FORMATS,
    MISSING_TIME,
    ColumnError,
    LogFormat,
    check_columns,
    parse_log_chunk,
)
from cfdetect.history._spill import ShardStore
from cfdetect.io import DEFAULT_CHUNK_SIZE, RawChunk, open_writer, read_chunks
from cfdetect.registry import normalise_key
from cfdetect.schema import dtype_of

_KEYS = (b"cfdetect:seller1", b"cfdetect:seller2", b"cfdetect:brand01", b"cfdetect:listing")
LOG_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".jsonl", ".jsonl.gz", ".parquet")
"""File name endings a logs directory is searched for (``listings.csv``, ``sales.parquet``...)."""
ROWS_PER_SHARD = 1_500_000
"""Rows of all inputs per shard aimed at when the number of shards is chosen from file sizes."""
BUCKET_ROWS = 1 << 18
"""Output rows per result bucket."""


@dataclass(frozen=True)
class SellerLogs:
    """Where the logs are. Every one is optional; a field whose log is missing stays empty.

    Attributes
    ----------
    listings : path, optional
        A listings log holding the listing history; without it the listings being answered are
        their own history.
    sellers, takedowns, ratings, sales, returns : path, optional
        See ``docs/seller_history.md`` for their columns.

    Examples
    --------
    >>> SellerLogs(takedowns="t.csv").given()
    ['takedowns']
    """

    listings: str | Path | None = None
    sellers: str | Path | None = None
    takedowns: str | Path | None = None
    ratings: str | Path | None = None
    sales: str | Path | None = None
    returns: str | Path | None = None

    @classmethod
    def from_dir(cls, directory: str | Path, **overrides: str | Path | None) -> SellerLogs:
        """Find ``listings``, ``sellers``, ``takedowns``, ``ratings``, ``sales`` and ``returns``
        files (any of ``LOG_SUFFIXES``) in a directory; ``overrides`` win over what is found.

        Raises
        ------
        UsageError
            When the directory does not exist or holds two files for one log.
        """
        root = Path(directory)
        if not root.is_dir():
            raise UsageError(f"--seller-logs {directory}: no such directory")
        found: dict[str, Path] = {}
        for name in LOG_FORMATS:
            hits = [root / f"{name}{s}" for s in LOG_SUFFIXES if (root / f"{name}{s}").is_file()]
            if len(hits) > 1:
                raise UsageError(
                    f"{directory}: several {name} logs ({', '.join(h.name for h in hits)}); "
                    "keep one"
                )
            if hits:
                found[name] = hits[0]
        for name, value in overrides.items():
            if value is not None:
                found[name] = Path(value)
        return cls(**found)

    def given(self) -> list[str]:
        """Names of the logs given."""
        return [name for name in LOG_FORMATS if getattr(self, name) is not None]


@dataclass
class HistoryReport:
    """What a seller-history run read and wrote.

    Attributes
    ----------
    rows : int
        Rows of the listings answered (``data``).
    answered : int
        Rows that got seller fields (the others could not be read; ``strict=False`` only).
    from_log : int
        Rows answered as rows of a separate listings log (matched by listing id).
    log_rows : dict
        Rows read per log.
    shards : int
        Seller shards.
    spilled_bytes : int
        Bytes written to the temporary directory (0: everything fit the memory budget).
    seconds : float
    peak_rss_mb : float
        Peak resident memory of the process so far (``getrusage``), MiB.
    output : str
    """

    rows: int = 0
    answered: int = 0
    from_log: int = 0
    log_rows: dict[str, int] = field(default_factory=dict)
    shards: int = 0
    spilled_bytes: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    output: str = ""


class SellerFields:
    """The seller fields of every row of ``data``, read back in row order.

    Made by :func:`seller_fields`; close it (or use it as a context manager) to remove its
    temporary files.
    """

    def __init__(self, store: ShardStore, n_rows: int, report: HistoryReport) -> None:
        self._store = store
        self.n_rows = n_rows
        self.report = report
        self._bucket = -1
        self._dense = np.zeros((0, len(SELLER_FIELDS)))

    def values(self, positions: np.ndarray) -> np.ndarray:
        """Fields of 0-based rows (any order; ascending reads each bucket once), shape (n, 9)."""
        out = np.full((len(positions), len(SELLER_FIELDS)), np.nan)
        if not len(positions):
            return out
        buckets = positions // BUCKET_ROWS
        for bucket in np.unique(buckets):
            rows = np.flatnonzero(buckets == bucket)
            dense = self._load(int(bucket))
            out[rows] = dense[positions[rows] - bucket * BUCKET_ROWS]
        return out

    def frame(self, positions: np.ndarray) -> pd.DataFrame:
        """The ``SELLER_FIELDS`` of 0-based rows as columns in the schema's dtypes."""
        values = self.values(positions)
        return pd.DataFrame(
            {name: pd.Series(values[:, j]).astype(dtype_of(name))
             for j, name in enumerate(SELLER_FIELDS)}
        )  # fmt: skip

    def attach(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Replace the seller_* columns of validated rows (by their ``row_number``).

        Examples
        --------
        >>> with seller_fields(frame, "logs/") as fields:  # doctest: +SKIP
        ...     rows = fields.attach(validated_rows)
        """
        if "row_number" not in rows.columns:
            raise UsageError("attach needs validated rows (with their row_number column)")
        positions = rows["row_number"].to_numpy(dtype=np.int64) - 1
        fields = self.frame(positions)
        out = rows.copy()
        for name in SELLER_FIELDS:
            out[name] = fields[name].to_numpy()
            out[name] = out[name].astype(dtype_of(name))
        return out

    def _load(self, bucket: int) -> np.ndarray:
        if bucket != self._bucket:
            size = min(BUCKET_ROWS, max(self.n_rows - bucket * BUCKET_ROWS, 0))
            dense = np.full((size, len(SELLER_FIELDS)), np.nan)
            part = self._store.load("results", bucket)
            if part is not None:
                local = part["dst"] - bucket * BUCKET_ROWS
                dense[local] = np.column_stack([part[f"v{j}"] for j in range(len(SELLER_FIELDS))])
            self._dense, self._bucket = dense, bucket
        return self._dense

    def close(self) -> None:
        """Remove the temporary files."""
        self._store.close()

    def __enter__(self) -> SellerFields:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
    say = progress or (lambda _msg: None)
    if isinstance(logs, SellerLogs):
        found = logs
    elif logs is not None:
        found = SellerLogs.from_dir(logs)
    else:
        found = SellerLogs()
    if not isinstance(data, pd.DataFrame) and str(data) == "-":
        raise UsageError("seller history reads its input twice: give a file, not stdin (-)")
    for name in found.given():
        path = Path(getattr(found, name))
        if not path.is_file():
            raise InputError(f"{path}: no such file (the {name} log)")
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    history_log = found.listings
    if (
        history_log is not None
        and not isinstance(data, pd.DataFrame)
        and _same_file(history_log, data)
    ):
        history_log = None
    sources = Sources(
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
    n_shards = shards or _choose_shards(data, found)
    if n_shards < 1:
        raise UsageError("shards must be at least 1")
    report = HistoryReport(shards=n_shards)
    store = ShardStore(n_shards, memory_budget, tmp_dir)
    results = ShardStore(1, memory_budget, tmp_dir)  # re-made below with the row count
    try:
        reader = _Reader(store, n_shards, chunk_size, encoding)
        say("reading the listings")
        if history_log is None:
            n_rows = reader.listings(data, cmap, fmt, strict, sources)
        else:
            n_rows = reader.matched(data, cmap, fmt, strict, history_log, sources, report)
        report.rows = n_rows
        report.log_rows["listings"] = reader.history_rows
        for name in ("sellers", *EVENT_LOGS):
            path = getattr(found, name)
            if path is not None:
                say(f"reading the {name} log")
                report.log_rows[name] = reader.log(path, LOG_FORMATS[name], name)
        results = ShardStore(max(1, math.ceil(n_rows / BUCKET_ROWS)), memory_budget // 4, tmp_dir)
        for shard in range(n_shards):
            say(f"answering shard {shard + 1} of {n_shards}")
            parts = {k: store.load(k, shard) for k in ("listings", "queries", "sellers",
                                                       *EVENT_LOGS)}  # fmt: skip
            for k in parts:
                store.drop(k, shard)
            dst, values = compute_shard(
                parts["listings"], parts["queries"], {k: parts[k] for k in EVENT_LOGS},
                parts["sellers"], sources,
            )  # fmt: skip
            report.answered += len(dst)
            results.add(
                "results",
                dst // BUCKET_ROWS,
                {"dst": dst, **{f"v{j}": values[:, j] for j in range(values.shape[1])}},
            )
        report.spilled_bytes = store.spilled_bytes + results.spilled_bytes
    except BaseException:
        results.close()
        raise
    finally:
        store.close()
    report.seconds = time.perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return SellerFields(results, n_rows, report)


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


# --- reading ---------------------------------------------------------------------------------


def _name(data: str | Path | pd.DataFrame) -> str:
    return "<frame>" if isinstance(data, pd.DataFrame) else str(data)


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


def _raw_chunks(
    data: str | Path | pd.DataFrame, fmt: str | None, chunk_size: int, encoding: str
) -> Iterator[RawChunk]:
    if isinstance(data, pd.DataFrame):
        for start in range(0, len(data), chunk_size):
            piece = data.iloc[start : start + chunk_size].reset_index(drop=True)
            numbers = np.arange(start + 1, start + len(piece) + 1, dtype=np.int64)
            yield RawChunk(piece, numbers)
        return
    yield from read_chunks(data, fmt, chunk_size, encoding)


def _hash(values: np.ndarray, key: bytes) -> np.ndarray:
    return pd.util.hash_array(values, hash_key=key.decode()).astype(np.uint64)


def _brand_hashes(brands: np.ndarray | None, ok: np.ndarray) -> np.ndarray:
    """Hash of each usable row's declared brand, normalised (``normalise_key``); 0 for none."""
    if brands is None:
        return np.zeros(int(ok.sum()), np.uint64)
    brands = brands[ok]
    codes, uniques = pd.factorize(brands, use_na_sentinel=True)
    keys = np.array([normalise_key(str(u)) for u in uniques], dtype=object)
    hashed = _hash(keys, _KEYS[2]) if len(keys) else np.zeros(0, np.uint64)
    hashed[hashed == 0] = 1
    return np.where(codes >= 0, hashed[np.maximum(codes, 0)] if len(keys) else 0, 0).astype(
        np.uint64
    )


class _Reader:
    """Reads the inputs chunk by chunk into the shard store."""

    def __init__(self, store: ShardStore, n_shards: int, chunk_size: int, encoding: str) -> None:
        self.store = store
        self.n_shards = n_shards
        self.chunk_size = chunk_size
        self.encoding = encoding
        self.history_rows = 0

    def _shard(self, h1: np.ndarray) -> np.ndarray:
        return (h1 % np.uint64(self.n_shards)).astype(np.int64)

    def _parsed_chunks(
        self,
        source: str | Path | pd.DataFrame,
        fmt_spec: LogFormat,
        cmap: ColumnMap | None,
        file_format: str | None,
        strict: bool,
    ) -> Iterator[tuple[RawChunk, dict[str, np.ndarray], np.ndarray]]:
        """Yield (chunk, parsed values, usable rows) of a listings file or a log."""
        wanted = {c.name for c in fmt_spec.columns}
        first = True
        for chunk in _raw_chunks(source, file_format, self.chunk_size, self.encoding):
            if chunk.broken and strict:
                number, _raw, reason = chunk.broken[0]
                raise InputError(f"{_name(source)}: row {number}: {reason}")
            raw = chunk.frame
            if cmap is not None:
                theirs = {t for t, o in cmap.renames.items() if o in wanted}
                raw = cmap.apply(raw[[c for c in raw.columns if c in wanted | theirs]])
            if first:
                check_columns(_name(source), [str(c) for c in raw.columns], fmt_spec)
                first = False
            try:
                values, bad = parse_log_chunk(raw, fmt_spec, strict=strict)
            except ColumnError as exc:
                number = int(chunk.row_numbers[exc.position])
                raise InputError(f"{_name(source)}: row {number}: {exc}") from None
            yield chunk, values, ~bad

    def listings(
        self,
        data: str | Path | pd.DataFrame,
        cmap: ColumnMap,
        fmt: str | None,
        strict: bool,
        sources: Sources,
    ) -> int:
        """``data`` is its own listing history: every row is a listing and an output row."""
        n_rows = 0
        for chunk, values, ok in self._parsed_chunks(data, LISTINGS, cmap, fmt, strict):
            n_rows = max(n_rows, int(chunk.row_numbers.max(initial=0)),
                         max((b[0] for b in chunk.broken), default=0))  # fmt: skip
            pos = chunk.row_numbers - 1
            self._add_listings(values, ok, pos, pos)
        self.history_rows = n_rows
        return n_rows

    def _add_listings(
        self, values: dict[str, np.ndarray], ok: np.ndarray, pos: np.ndarray, dst: np.ndarray
    ) -> None:
        """Add the usable rows (``ok``) of a parsed chunk; ``pos``/``dst`` are per chunk row."""
        if not ok.any():
            return
        pos, dst = pos[ok], dst[ok]
        sellers = values["seller_id"][ok]
        h1 = _hash(sellers, _KEYS[0])
        self.store.add(
            "listings",
            self._shard(h1),
            {
                "h1": h1,
                "h2": _hash(sellers, _KEYS[1]),
                "t": values["created_at"][ok],
                "pos": pos,
                "brand": _brand_hashes(values.get("brand"), ok),
                "lid": _hash(values["listing_id"][ok], _KEYS[3]),
                "dst": dst,
            },
        )

    def matched(
        self,
        data: str | Path | pd.DataFrame,
        cmap: ColumnMap,
        fmt: str | None,
        strict: bool,
        history_log: str | Path,
        sources: Sources,
        report: HistoryReport,
    ) -> int:
        """A separate listings log is the history; ``data`` rows are matched to it by id."""
        ids: list[np.ndarray] = []
        sellers: list[np.ndarray] = []
        times: list[np.ndarray] = []
        rows: list[np.ndarray] = []
        n_rows = 0
        for chunk, values, ok in self._parsed_chunks(data, LISTINGS, cmap, fmt, strict):
            n_rows = max(n_rows, int(chunk.row_numbers.max(initial=0)),
                         max((b[0] for b in chunk.broken), default=0))  # fmt: skip
            ids.append(values["listing_id"][ok])
            sellers.append(values["seller_id"][ok])
            times.append(values["created_at"][ok])
            rows.append(chunk.row_numbers[ok] - 1)
        data_ids = np.concatenate(ids) if ids else np.zeros(0, object)
        data_sellers = np.concatenate(sellers) if sellers else np.zeros(0, object)
        data_rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        data_times = np.concatenate(times) if times else np.zeros(0, np.int64)
        seller_hash = _hash(data_sellers, _KEYS[0]) if len(data_sellers) else np.zeros(0, np.uint64)
        first = ~pd.Index(data_ids).duplicated()
        index = pd.Index(data_ids[first])
        first_rows = np.flatnonzero(first)
        matched = np.zeros(len(data_ids), bool)

        log_rows = 0
        for chunk, values, ok in self._parsed_chunks(history_log, LISTINGS, None, None, True):
            log_rows += chunk.n_rows
            hit = index.get_indexer(values["listing_id"])
            which = np.where(hit >= 0, first_rows[np.maximum(hit, 0)], -1)
            log_h1 = _hash(values["seller_id"], _KEYS[0])
            same = (which >= 0) & (seller_hash[np.maximum(which, 0)] == log_h1)
            which = np.where(same, which, -1)
            matched[which[which >= 0]] = True
            dst = np.where(which >= 0, data_rows[np.maximum(which, 0)], -1)
            self._add_listings(values, ok, chunk.row_numbers - 1, dst)
        self.history_rows = log_rows
        report.from_log = int(matched.sum())

        rest = ~matched
        if rest.any():
            h1 = seller_hash[rest]
            self.store.add(
                "queries",
                self._shard(h1),
                {"h1": h1, "h2": _hash(data_sellers[rest], _KEYS[1]), "t": data_times[rest],
                 "dst": data_rows[rest]},
            )  # fmt: skip
        return n_rows

    def log(self, path: str | Path, fmt_spec: LogFormat, name: str) -> int:
        """Read one event log or the sellers table into the store; return its rows."""
        count = 0
        for chunk, values, ok in self._parsed_chunks(path, fmt_spec, None, None, True):
            count += chunk.n_rows
            if not ok.any():
                continue
            h1 = _hash(values["seller_id"], _KEYS[0])
            columns = {"h1": h1, "h2": _hash(values["seller_id"], _KEYS[1])}
            n = len(h1)
            if name == "sellers":
                columns.update(_seller_columns(values, chunk.row_numbers, path))
            else:
                columns["t"] = values[fmt_spec.required[1]]
            if name == "takedowns":
                lid = values.get("listing_id")
                lid_hash = np.zeros(n, np.uint64)
                if lid is not None:
                    given = np.array([v is not None for v in lid], bool)
                    if given.any():
                        lid_hash[given] = _hash(lid[given], _KEYS[3])
                    lid_hash[given & (lid_hash == 0)] = 1
                columns["lid"] = lid_hash
            elif name == "ratings":
                columns["stars"] = values["stars"]
            elif name == "sales":
                amount = values.get("amount")
                if amount is not None and np.isnan(amount).any():
                    number = int(chunk.row_numbers[np.flatnonzero(np.isnan(amount))[0]])
                    raise InputError(f"{path}: row {number}: amount is empty")
                cents = np.zeros(n) if amount is None else np.round(amount * 100.0)
                columns["cents"] = cents.astype(np.int64)
            self.store.add(name, self._shard(h1), columns)
        return count


def _seller_columns(
    values: dict[str, np.ndarray], row_numbers: np.ndarray, path: str | Path
) -> dict[str, np.ndarray]:
    n = len(values["seller_id"])
    missing_time = np.full(n, MISSING_TIME, np.int64)

    def number(name: str) -> np.ndarray:
        given = values.get(name)
        return np.zeros(n) if given is None else np.nan_to_num(given, nan=0.0)

    out = {
        "row": row_numbers.astype(np.int64),
        "joined": values.get("joined_at", missing_time),
        "as_of": values.get("as_of", missing_time),
        "hidden": np.maximum(values.get("hidden", np.zeros(n, np.int8)), 0).astype(np.int8),
        "prior_listings": number("prior_listings"),
        "prior_brands": number("prior_brands"),
        "prior_takedowns": number("prior_takedowns"),
        "prior_n_ratings": number("prior_n_ratings"),
        "prior_gmv_cents": np.round(number("prior_gmv_90d") * 100.0),
        "prior_orders_90d": number("prior_orders_90d"),
        "prior_returns_90d": number("prior_returns_90d"),
    }
    rating_sum = values.get("prior_rating_sum")
    mean = values.get("prior_rating")
    by_mean = np.nan_to_num(mean * out["prior_n_ratings"], nan=0.0) if mean is not None else 0.0
    if rating_sum is None:
        out["prior_rating_sum"] = np.zeros(n) + by_mean
    else:
        out["prior_rating_sum"] = np.where(np.isnan(rating_sum), by_mean, rating_sum)
    balance = np.zeros(n, bool)
    for name in PRIORS:
        balance |= out[name] != 0
    unanchored = np.flatnonzero(balance & (out["as_of"] == MISSING_TIME))
    if len(unanchored):
        number_ = int(row_numbers[unanchored[0]])
        raise InputError(
            f"{path}: row {number_}: as_of is empty; an opening balance (prior_*) needs the time "
            "it was taken"
        )
    return out
