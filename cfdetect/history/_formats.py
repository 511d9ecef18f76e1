"""The log formats ``cfdetect seller-history`` reads, and the parsing of one chunk of a log.

Every log is a table (CSV, TSV, JSON Lines or Parquet, optionally gzipped) read through
``cfdetect.io.read_chunks``. Each format names its columns, which are required, and how each is
read; other columns are ignored. ``docs/seller_history.md`` documents them for users.

Parsing is vectorised for clean values (``pandas.to_datetime`` / ``to_numeric``) and falls back to
the parsers of ``cfdetect._parsers`` for the rest, so a bad value gets the same readable reason as
in a listing file. A value that cannot be read is an error naming the file, the row and the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cfdetect import _parsers as p
from cfdetect.errors import InputError

MISSING_TIME = np.iinfo(np.int64).min
"""A timestamp (microseconds since the epoch) that is not given."""


@dataclass(frozen=True)
class LogColumn:
    """One column of a log format.

    Attributes
    ----------
    name : str
        Column name in the file.
    kind : str
        ``id``, ``text``, ``datetime``, ``count``, ``float``, ``rating`` or ``bool``.
    required : bool
        The column must be present and every value non-empty.
    doc : str
        What it means (shown in the docs and in errors).
    """

    name: str
    kind: str
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class LogFormat:
    """A log: its name (also the file stem inside a logs directory) and its columns.

    Examples
    --------
    >>> LOG_FORMATS["takedowns"].required
    ('seller_id', 'removed_at')
    """

    name: str
    columns: tuple[LogColumn, ...]
    doc: str = ""

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)


LISTINGS = LogFormat(
    "listings",
    (
        LogColumn("listing_id", "id", True, "the listing"),
        LogColumn("seller_id", "id", True, "who listed it"),
        LogColumn("created_at", "datetime", True, "submission time"),
        LogColumn("brand", "text", False, "declared brand (distinct brands are counted)"),
    ),
    "one row per submitted listing; a listing file of the schema is a listings log",
)
SELLERS = LogFormat(
    "sellers",
    (
        LogColumn("seller_id", "id", True, "one row per seller"),
        LogColumn("joined_at", "datetime", False, "account creation; default: first listing"),
        LogColumn("hidden", "bool", False, "export no history for this seller (all empty)"),
        LogColumn("as_of", "datetime", False, "time of the opening balance below"),
        LogColumn("prior_listings", "count", False, "listings before as_of not in the log"),
        LogColumn("prior_brands", "count", False, "distinct brands of those listings"),
        LogColumn("prior_takedowns", "count", False, "takedowns before as_of not in the log"),
        LogColumn("prior_n_ratings", "count", False, "ratings before as_of not in the log"),
        LogColumn("prior_rating_sum", "float", False, "sum of their stars"),
        LogColumn("prior_rating", "rating", False, "their mean (when the sum is not given)"),
        LogColumn("prior_gmv_90d", "float", False, "90-day GMV as of as_of"),
        LogColumn("prior_orders_90d", "count", False, "90-day orders as of as_of"),
        LogColumn("prior_returns_90d", "count", False, "90-day returns as of as_of"),
    ),
    "optional: join dates, hidden sellers and opening balances of history before the logs",
)
TAKEDOWNS = LogFormat(
    "takedowns",
    (
        LogColumn("seller_id", "id", True, "seller of the removed listing"),
        LogColumn("removed_at", "datetime", True, "removal time"),
        LogColumn("listing_id", "id", False, "a listing removed twice counts once"),
    ),
    "one row per listing removed for infringement",
)
RATINGS = LogFormat(
    "ratings",
    (
        LogColumn("seller_id", "id", True, "rated seller"),
        LogColumn("rated_at", "datetime", True, "when the rating was left"),
        LogColumn("stars", "rating", True, "0..5"),
    ),
    "one row per rating",
)
SALES = LogFormat(
    "sales",
    (
        LogColumn("seller_id", "id", True, "seller"),
        LogColumn("sold_at", "datetime", True, "order time"),
        LogColumn("amount", "float", False, "order value (one currency); GMV needs it"),
    ),
    "one row per order",
)
RETURNS = LogFormat(
    "returns",
    (
        LogColumn("seller_id", "id", True, "seller"),
        LogColumn("returned_at", "datetime", True, "return time"),
    ),
    "one row per returned order",
)
LOG_FORMATS: dict[str, LogFormat] = {
    f.name: f for f in (LISTINGS, SELLERS, TAKEDOWNS, RATINGS, SALES, RETURNS)
}
EVENT_LOGS: tuple[str, ...] = ("takedowns", "ratings", "sales", "returns")


class ColumnError(Exception):
    """A value of one column cannot be read: ``position`` in the chunk and ``reason``."""

    def __init__(self, position: int, column: str, reason: str) -> None:
        super().__init__(reason)
        self.position = position
        self.column = column
        self.reason = reason


def parse_log_chunk(
    frame: pd.DataFrame, fmt: LogFormat, *, strict: bool = True
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Parse the columns of ``fmt`` in one raw chunk.

    Parameters
    ----------
    frame : DataFrame
        Raw rows (already renamed to the format's column names).
    fmt : LogFormat
    strict : bool
        Raise on the first value that cannot be read (and on a missing required value); with
        ``False`` such rows are marked bad instead.

    Returns
    -------
    values : dict of str to ndarray
        Per present column: ``id``/``text`` as object arrays (None when missing), ``datetime``
        as int64 microseconds since the epoch (``MISSING_TIME`` when missing), numbers as
        float64 (NaN when missing), ``bool`` as int8 (-1 when missing).
    bad : ndarray of bool
        Rows that cannot be used (always all False when ``strict``).

    Raises
    ------
    ColumnError
        When ``strict`` and a value cannot be read.

    Examples
    --------
    >>> raw = pd.DataFrame({"seller_id": [" s1", "s2"], "removed_at": ["2025-01-01", "1735693200"]})
    >>> values, bad = parse_log_chunk(raw, TAKEDOWNS)
    >>> values["seller_id"].tolist(), (values["removed_at"] // 1_000_000).tolist()
    (['s1', 's2'], [1735689600, 1735693200])
    """
    n = len(frame)
    bad = np.zeros(n, dtype=bool)
    values: dict[str, np.ndarray] = {}
    for col in fmt.columns:
        if col.name not in frame.columns:
            continue
        parsed, missing, errors = _PARSERS[col.kind](frame[col.name])
        if col.required:
            errors = np.where(missing & (errors == None), f"{col.name} is empty", errors)  # noqa: E711
        failed = np.flatnonzero(errors != None)  # noqa: E711
        if len(failed):
            if strict:
                first = int(failed[0])
                raise ColumnError(first, col.name, str(errors[first]))
            bad[failed] = True
        values[col.name] = parsed
    return values, bad


_LONGEST_MARKER = max(len(m) for m in p.NA_MARKERS)


def _missing(series: pd.Series) -> np.ndarray:
    """Missing values: None/NaN and the schema's NA markers ("", "n/a", "null", ...)."""
    missing = series.isna().to_numpy(bool, copy=True)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.astype("string")
        short = (text.str.len() <= _LONGEST_MARKER + 16).fillna(False).to_numpy(bool)
        if short.any():  # only short values can be markers (with some whitespace around)
            folded = text[short].str.strip().str.casefold()
            missing[short] |= folded.isin(list(p.NA_MARKERS)).fillna(True).to_numpy(bool)
    return missing


def _no_errors(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _fallback(
    series: pd.Series,
    todo: np.ndarray,
    parser: Callable[[object], object],
    column_errors: np.ndarray,
    name: str,
) -> list[object]:
    """Parse the values at ``todo`` one distinct value at a time; record reasons."""
    raws = series.to_numpy(dtype=object)[todo]
    cache: dict[object, tuple[object, str | None]] = {}
    out: list[object] = []
    for i, raw in zip(todo.tolist(), raws, strict=True):
        key = (type(raw), raw)
        if key not in cache:
            try:
                cache[key] = (parser(raw), None)
            except (p.ParseError, TypeError, ValueError) as exc:
                cache[key] = (None, str(exc) or f"{raw!r} cannot be read")
        value, reason = cache[key]
        if reason is not None:
            column_errors[i] = f"{name}: {reason}"
        out.append(value)
    return out


def _parse_ids(series: pd.Series, *, keep_markers: bool = False) -> tuple:
    missing = _missing(series)
    if series.dtype.kind == "f":  # ids read as floats: 12.0 -> "12"
        whole = series.notna() & (series == series.round())
        text = series.astype("string")
        text = text.where(~whole, series[whole].astype("int64").astype("string"))
    else:
        text = series.astype("string")
    text = text.str.strip()
    values = text.to_numpy(dtype=object, na_value=None)
    values[missing] = None
    errors = _no_errors(len(series))
    mangled = text.str.contains("\ufffd", regex=False).fillna(False).to_numpy(bool)
    errors[mangled] = f"{series.name}: contains bytes that are not valid in the file's encoding"
    return values, missing, errors


def _parse_times(series: pd.Series) -> tuple:
    missing = _missing(series)
    errors = _no_errors(len(series))
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = series.dt.tz_convert("UTC") if series.dt.tz else series.dt.tz_localize("UTC")
    else:
        stamps = pd.to_datetime(series.where(~missing), errors="coerce", utc=True, format="ISO8601")
    micros = _micros(stamps)
    todo = np.flatnonzero((micros == MISSING_TIME) & ~missing)
    if len(todo):
        parsed = _fallback(series, todo, p.parse_datetime, errors, str(series.name))
        micros[todo] = [
            _micros(pd.Series([v]))[0] if v is not None else MISSING_TIME for v in parsed
        ]
    return micros, missing, errors


def _micros(stamps: pd.Series) -> np.ndarray:
    """UTC timestamps -> int64 microseconds since the epoch (``MISSING_TIME`` for NaT)."""
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(None)
    raw = stamps.to_numpy(dtype="datetime64[us]")
    out = raw.view(np.int64).copy()
    out[np.isnat(raw)] = MISSING_TIME
    return out


_EXPECTED = {"rating": "a rating from 0 to 5", "count": "a whole number of 0 or more"}


def _number_parser(kind: str) -> Callable[[pd.Series], tuple]:
    scalars: dict[str, Callable[[object], object]] = {
        "count": p.parse_count, "float": p.parse_float, "rating": p.parse_rating,
    }  # fmt: skip
    scalar = scalars[kind]

    def parse(series: pd.Series) -> tuple:
        missing = _missing(series)
        errors = _no_errors(len(series))
        if pd.api.types.is_bool_dtype(series.dtype):
            numbers = np.full(len(series), np.nan)
        else:
            numbers = pd.to_numeric(series.where(~missing), errors="coerce")
            numbers = numbers.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        todo = np.flatnonzero(~np.isfinite(numbers) & ~missing)
        if len(todo):
            parsed = _fallback(series, todo, scalar, errors, str(series.name))
            numbers[todo] = [np.nan if v is None else float(v) for v in parsed]  # type: ignore[arg-type]
        with np.errstate(invalid="ignore"):
            out_of_range = np.isfinite(numbers) & (numbers < 0)
            if kind == "rating":
                out_of_range |= numbers > 5
            if kind == "count":
                out_of_range |= np.isfinite(numbers) & (numbers != np.round(numbers))
        for i in np.flatnonzero(out_of_range & (errors == None)).tolist():  # noqa: E711
            what = _EXPECTED.get(kind, "a number of 0 or more")
            errors[i] = f"{series.name}: {numbers[i]:g} is not {what}"
        numbers[missing] = np.nan
        return numbers, missing, errors

    return parse


_BOOLS = {"true": 1, "false": 0, "1": 1, "0": 0, "yes": 1, "no": 0, "1.0": 1, "0.0": 0}


def _parse_bools(series: pd.Series) -> tuple:
    missing = _missing(series)
    errors = _no_errors(len(series))
    if pd.api.types.is_bool_dtype(series.dtype) and not missing.any():
        return series.to_numpy(dtype=bool).astype(np.int8), missing, errors
    out = np.full(len(series), -1, dtype=np.int8)
    common = series.astype("string").str.strip().str.casefold().map(_BOOLS)
    known = common.notna().to_numpy(bool) & ~missing
    out[known] = common[known].astype(int).to_numpy()
    todo = np.flatnonzero(~missing & ~known)
    if len(todo):
        parsed = _fallback(series, todo, p.parse_bool, errors, str(series.name))
        out[todo] = [-1 if v is None else int(bool(v)) for v in parsed]
    return out, missing, errors


def _parse_text(series: pd.Series) -> tuple:
    return _parse_ids(series)


_PARSERS: dict[str, Callable[[pd.Series], tuple]] = {
    "id": _parse_ids,
    "text": _parse_text,
    "datetime": _parse_times,
    "count": _number_parser("count"),
    "float": _number_parser("float"),
    "rating": _number_parser("rating"),
    "bool": _parse_bools,
}


def check_columns(path: object, columns: list[str], fmt: LogFormat) -> None:
    """Raise ``InputError`` when a required column of ``fmt`` is absent (one line)."""
    absent = [c for c in fmt.required if c not in columns]
    if absent:
        found = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        raise InputError(
            f"{path}: the {fmt.name} log needs column(s) {', '.join(absent)} (found: {found})"
        )
