"""Reading the listings and the logs chunk by chunk into the seller shards: values parsed by the
log formats, sellers, brands and listing ids hashed, listings matched to a separate listings log
by id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.columns import ColumnMap
from cfdetect.errors import InputError
from cfdetect.history._engine import PRIORS, Sources
from cfdetect.history._formats import (
    LISTINGS,
    MISSING_TIME,
    ColumnError,
    LogFormat,
    check_columns,
    parse_log_chunk,
)
from cfdetect.history._results import HistoryReport
from cfdetect.history._spill import ShardStore
from cfdetect.io import RawChunk, read_chunks
from cfdetect.registry import normalise_key

_KEYS = (b"cfdetect:seller1", b"cfdetect:seller2", b"cfdetect:brand01", b"cfdetect:listing")


def _name(data: str | Path | pd.DataFrame) -> str:
    return "<frame>" if isinstance(data, pd.DataFrame) else str(data)


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
