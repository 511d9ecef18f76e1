"""The canonical listing schema and the validation that splits a chunk into typed rows and rejects.

Validation is vectorised for clean values (``pandas.to_numeric`` / ``to_datetime``) and falls back
to the parsers of ``cfdetect._parsers`` only for the values that need them, so a million clean rows
validate in seconds and every messy value still gets a readable reason when it is rejected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cfdetect import _parsers as p
from cfdetect import _rules as rules
from cfdetect._fields import (
    _BY_NAME,
    _DTYPES,
    _SCALAR_PARSERS,
    ALL_COLUMNS,
    COLUMN_NAMES,
    LABEL_COLUMNS,
    LISTING_COLUMNS,
    REJECT_COLUMNS,
    REQUIRED_COLUMNS,
    Column,
    dtype_of,
)
from cfdetect._fields import is_bool as _is_bool
from cfdetect._fields import not_text as _not_text
from cfdetect._parsers import ParseError
from cfdetect._record import parse_record
from cfdetect._rules import MAX_TEXT_CHARS, MAX_TITLE_CHARS

if TYPE_CHECKING:
    from cfdetect.columns import ColumnMap

# re-exported: the rule table (cfdetect._rules), the columns (cfdetect._fields), parse_record
__all__ = [
    "ALL_COLUMNS", "COLUMN_NAMES", "LABEL_COLUMNS", "LISTING_COLUMNS", "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS", "REJECT_COLUMNS", "REQUIRED_COLUMNS", "Column", "ValidationResult",
    "Validator", "canonical_frame", "dtype_of", "duplicate_rejects", "empty_rejects",
    "parse_record", "reject_frame", "repeated_ids",
]  # fmt: skip


@dataclass
class ValidationResult:
    """What validation made of one chunk.

    Attributes
    ----------
    rows : DataFrame
        Valid rows in canonical columns and dtypes, then the extra input columns untouched,
        with ``row_number`` (1-based, input order) as a column.
    rejects : DataFrame
        One row per rejected input row: ``row_number``, ``listing_id``, ``field``, ``reason``,
        ``raw`` (the input row as JSON).
    """

    rows: pd.DataFrame
    rejects: pd.DataFrame


@dataclass
class Validator:
    """Validates chunks of one input file, remembering listing ids across chunks.

    Parameters
    ----------
    column_map : ColumnMap, optional
        How the input's columns map to the canonical ones; default (None): names used as they
        are.

    Examples
    --------
    >>> raw = pd.DataFrame({"listing_id": ["a", "a"], "title": ["Rolex", "x"],
    ...                     "price": ["US $1,549.00", "5"], "seller_id": ["s", "s"]})
    >>> result = Validator().validate(raw)
    >>> float(result.rows.loc[0, "price"]), result.rejects.loc[0, "field"]
    (1549.0, 'listing_id')
    """

    column_map: ColumnMap | None = None
    _seen_ids: set[str] = field(default_factory=set, init=False, repr=False)
    _next_row: int = field(default=1, init=False, repr=False)

    def validate(
        self,
        raw: pd.DataFrame,
        row_numbers: np.ndarray | None = None,
        broken: Iterable[tuple[int, str, str]] = (),
    ) -> ValidationResult:
        """Split one chunk of raw rows into canonical rows and rejects.

        Parameters
        ----------
        raw : DataFrame
            Rows as read, in the input's own column names.
        row_numbers : array of int, optional
            1-based input row numbers of ``raw``; default: continuing from the previous chunk.
        broken : iterable of (row_number, raw_text, reason)
            Rows the reader could not split into fields; they become rejects.
        """
        n = len(raw)
        if row_numbers is None:
            row_numbers = np.arange(self._next_row, self._next_row + n, dtype=np.int64)
        broken = list(broken)
        last = max([int(row_numbers.max()) if n else 0] + [b[0] for b in broken])
        self._next_row = max(self._next_row, last + 1)

        # the identity map's apply: a new frame, the input is never changed
        frame = raw.drop(columns=[]) if self.column_map is None else self.column_map.apply(raw)
        for name in REQUIRED_COLUMNS:  # a JSON Lines chunk none of whose records has it
            if name not in frame.columns:
                frame[name] = pd.Series(None, index=frame.index, dtype=object)
        out, errors = _parse_columns(frame)
        ids = out["listing_id"].to_numpy(dtype=object, na_value=None)
        duplicate = repeated_ids(ids, self._seen_ids, valid=errors.isna().to_numpy())
        dup_err = pd.Series(
            np.where(duplicate, f"{rules.DUPLICATE_ID_FIELD}|{rules.DUPLICATE_ID_REASON}", None),
            index=frame.index,
        )
        errors = errors.where(errors.notna(), dup_err.where(duplicate))

        bad = errors.notna().to_numpy()
        extras = [c for c in frame.columns if c not in _BY_NAME and not c.startswith("_")]
        parts: dict[str, Any] = {"row_number": pd.Series(row_numbers, index=frame.index)}
        parts.update((name, out[name]) for name in COLUMN_NAMES if name in out)
        parts.update((name, frame[name]) for name in extras)
        rows = pd.concat(parts, axis=1).loc[~bad].reset_index(drop=True)  # at once: no inserts

        reject_parts = errors[bad].astype(str).str.split("|", n=1, expand=True)
        rejects = reject_frame(
            row_numbers[bad],
            _display_ids(frame, bad),
            reject_parts[0].to_numpy() if bad.any() else [],
            reject_parts[1].to_numpy() if bad.any() else [],
            _raw_json(raw.loc[bad]) if bad.any() else [],
        )
        if broken:
            rejects = pd.concat([rejects, _broken_rejects(broken)], ignore_index=True).sort_values(
                "row_number", kind="stable", ignore_index=True
            )
        return ValidationResult(rows=rows, rejects=rejects.astype({"row_number": "int64"}))


def _parse_columns(frame: pd.DataFrame) -> tuple[dict[str, pd.Series], pd.Series]:
    """Parse every canonical column of a mapped chunk; return (typed columns, first errors).

    Each row's error is its first failing column's, as ``field|reason`` (NA: a valid row).
    """
    errors = pd.Series(pd.NA, index=frame.index, dtype="object")
    out: dict[str, pd.Series] = {}
    currency = None  # read first: the price is read in the currency the column declares
    if "currency" in frame.columns:
        currency = _parse_column(frame["currency"], _BY_NAME["currency"])
    for col in ALL_COLUMNS:
        if col.name not in frame.columns:
            continue
        if col.kind == "price":
            declared = None if currency is None else currency[0]
            values, errs, out["_price_currency"] = _parse_price(frame[col.name], declared)
        elif col.kind == "currency" and currency is not None:
            values, errs = currency
        else:
            values, errs = _parse_column(frame[col.name], col)
        out[col.name] = values
        errors = errors.where(errors.notna(), errs)
    if "price" in out and "currency" not in frame.columns:
        out["currency"] = out.pop("_price_currency")
    elif "price" in out:
        detected = out.pop("_price_currency")
        out["currency"] = out["currency"].where(out["currency"].notna(), detected)
    if "currency" in out:
        out["currency"] = out["currency"].fillna("USD").astype("string")
    return out, errors


def _missing_mask(series: pd.Series) -> pd.Series:
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        as_text = series.astype("string").str.strip().str.casefold()
        return series.isna() | as_text.isin(list(p.NA_MARKERS)).fillna(True)
    return series.isna()


def _required_errors(missing: pd.Series, col: Column) -> pd.Series:
    errors = pd.Series(pd.NA, index=missing.index, dtype="object")
    if col.required:
        errors[missing] = f"{col.name}|{rules.empty_reason(col.name)}"
    return errors


def _parse_column(series: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    """Parse one column; return (typed values, errors as 'field|reason' or NA)."""
    missing = _missing_mask(series)
    errors = _required_errors(missing, col)
    if col.kind in ("id", "title", "text"):
        return _parse_text(series, col, missing, errors)
    typed = _typed_column(series, col, missing)
    if typed is not None:
        return typed, errors
    values = pd.Series(pd.NA, index=series.index, dtype="object")
    todo = ~missing
    fast = _fast_path(series[todo], col.kind)
    if fast is not None:
        ok = fast.notna()
        values[fast.index[ok]] = fast[ok]
        todo = todo & ~values.notna()
    positions = np.flatnonzero(todo.to_numpy())
    if len(positions):
        parsed, failed = _parse_values(
            series.to_numpy(dtype=object)[positions], _SCALAR_PARSERS[col.kind]
        )
        values.iloc[positions] = parsed
        reasons = [
            f"{col.name}|{rules.parse_reason(col.name, r)}" if r is not None else pd.NA
            for r in failed
        ]
        errors.iloc[positions] = np.where(
            pd.isna(errors.iloc[positions]), reasons, errors.iloc[positions]
        )
    return _cast(values, col), errors


def _typed_column(series: pd.Series, col: Column, missing: pd.Series) -> pd.Series | None:
    """Typed input (Parquet, DataFrames) whose every value is valid, without parsing; else None.

    A column that fails any check goes through the general path, which names each bad value.
    """
    dtype = series.dtype
    present = ~missing.to_numpy()
    if col.kind in ("float", "count", "rating"):
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            return None
        numbers = series.astype("float64")
        v = numbers.to_numpy()
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(v) & (v >= 0)
            if col.kind == "rating":
                ok &= v <= 5
            if col.kind == "count":
                ok &= (v == np.round(v)) & (v <= 1e12)
        if (present & ~ok).any():
            return None
        return _cast(numbers.where(present), col)
    if col.kind == "datetime" and pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = series.dt.tz_convert("UTC") if series.dt.tz else series.dt.tz_localize("UTC")
        years = stamps.dt.year.to_numpy(dtype="float64", na_value=np.nan)
        if (present & ~((years >= 1990) & (years <= 2100))).any():
            return None
        return stamps.where(present).astype(_DTYPES[col.kind])
    return None


def _parse_values(
    raws: np.ndarray, parser: Callable[[object], object]
) -> tuple[list[object], list[str | None]]:
    """Parse raw values one by one (each distinct value once); return (values, reasons)."""
    cache: dict[tuple[type, object], tuple[object, str | None]] = {}
    values: list[object] = []
    reasons: list[str | None] = []
    for raw in raws:
        key = (type(raw), raw)
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (parser(raw), None)
            except ParseError as exc:
                hit = (pd.NA, str(exc))
            except TypeError:  # unhashable or exotic types never reach here; keep safe
                hit = (pd.NA, f"{raw!r} cannot be read")
            cache[key] = hit
        values.append(hit[0])
        reasons.append(hit[1])
    return values, reasons


def _yes_no(series: pd.Series, numbers: pd.Series) -> np.ndarray:
    """Where a column holds yes/no values (``True``, ``np.False_``), which no number or price
    is, though ``to_numeric`` reads them as 1 and 0: only those values are looked at."""
    if series.dtype == bool:
        return np.ones(len(series), dtype=bool)
    found = np.zeros(len(series), dtype=bool)
    if series.dtype == object:
        ones_and_zeros = np.flatnonzero(numbers.isin([0, 1]).to_numpy())
        values = series.to_numpy(dtype=object)
        found[ones_and_zeros] = [_is_bool(values[i]) for i in ones_and_zeros]
    return found


def _fast_path(series: pd.Series, kind: str) -> pd.Series | None:
    if series.empty:
        return None
    if kind in ("float", "count", "rating"):
        numbers = pd.to_numeric(series, errors="coerce")
        numbers = numbers.where(~_yes_no(series, numbers))
    if kind in ("float", "count"):
        finite = np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan))
        ok = finite & (numbers >= 0).to_numpy()
        if kind == "count":
            ok &= (numbers == numbers.round()).to_numpy() & (numbers <= 1e12).to_numpy()
        return numbers.where(ok)
    if kind == "rating":
        return numbers.where((numbers >= 0) & (numbers <= 5))
    if kind == "currency":
        codes = series.astype("string").str.strip().str.upper()
        return codes.where(codes.isin(list(p.USD_PER_UNIT))).astype(object)
    if kind == "datetime":
        if series.dtype == object:  # text only: numbers (Unix time) go to the parser
            text = [type(v) is str for v in series.to_numpy()]
            series = series[text]
        elif not pd.api.types.is_string_dtype(series.dtype):
            return None
        stamps = pd.to_datetime(series, errors="coerce", utc=True, format="ISO8601")
        years = stamps.dt.year
        return stamps.where((years >= 1990) & (years <= 2100)).astype(object)
    return None


def _cast(values: pd.Series, col: Column) -> pd.Series:
    dtype = _DTYPES[col.kind]
    if dtype == "datetime64[us, UTC]":
        return pd.to_datetime(values, utc=True).astype(dtype)
    if dtype in ("Int64", "Int8", "float64"):
        return pd.to_numeric(values, errors="coerce").astype(dtype)
    return values.astype(dtype)


def _parse_text(
    series: pd.Series, col: Column, missing: pd.Series, errors: pd.Series
) -> tuple[pd.Series, pd.Series]:
    text = series.astype("string").str.strip()
    if col.kind == "id" and series.dtype.kind == "f":  # ids read as floats: 12.0 -> "12"
        whole = series.notna() & (series.abs() < 2**53) & (series == series.round())
        text = text.where(~whole, series[whole].astype("int64").astype("string"))
    text = text.where(~missing, pd.NA)
    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty", "integer"):
        for pos, value in enumerate(series.to_numpy(dtype=object)):
            if not missing.iloc[pos] and _not_text(value, col.kind) and pd.isna(errors.iloc[pos]):
                errors.iloc[pos] = f"{col.name}|{rules.type_reason(col.name, value)}"
    limit = rules.text_limit(col.kind)
    lengths = text.str.len().fillna(0)
    too_long = (lengths > limit) & errors.isna()
    errors[too_long] = [
        f"{col.name}|{rules.length_reason(col.name, n, limit)}" for n in lengths[too_long]
    ]
    mangled = text.str.contains("\ufffd", regex=False).fillna(False) & errors.isna()
    errors[mangled] = f"{col.name}|{rules.mangled_reason(col.name)}"
    return text, errors


_PLAIN_PRICE = re.compile(
    r"^\s*(?P<pre>US ?\$|\$|USD|€|EUR|£|GBP)?\s*"
    r"(?P<num>[1-9]\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
    r"\s*(?P<post>USD|EUR|GBP|€|£)?\s*$"
)
_MARKER_CODES = {"US $": "USD", "US$": "USD", "$": "$", "USD": "USD", "€": "EUR", "EUR": "EUR",
                 "£": "GBP", "GBP": "GBP"}  # fmt: skip


def _parse_price(
    series: pd.Series, currency: pd.Series | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse the price column; return (amounts, errors, currency found in the price text).

    Plain numbers and the common ``US $1,549.00`` / ``12.50 EUR`` shapes are read vectorised;
    everything else goes through ``parse_price`` one distinct value at a time.
    """
    missing = _missing_mask(series)
    errors = _required_errors(missing, _BY_NAME["price"])
    amounts = pd.to_numeric(series.where(~missing), errors="coerce").astype("float64")
    finite = np.isfinite(amounts.to_numpy(dtype="float64", na_value=np.nan))
    finite &= ~_yes_no(series, amounts)
    amounts = amounts.where(finite)
    found = pd.Series(pd.NA, index=series.index, dtype="object")
    declared = None if currency is None else currency.astype("string")
    todo = (~missing).to_numpy() & ~finite
    if todo.any():
        shapes = series[todo].astype("string").str.extract(_PLAIN_PRICE)
        marker = shapes["pre"].fillna(shapes["post"]).map(_MARKER_CODES)
        ok = shapes["num"].notna() & ~(shapes["pre"].notna() & shapes["post"].notna())
        if declared is not None:
            decl = declared[todo]
            dollar_ok = (marker == "$") & decl.isin(list(p.DOLLARS))
            conflict = decl.notna() & marker.notna() & (marker != decl) & ~dollar_ok
            ok &= ~conflict.fillna(False)
        ok = ok.fillna(False).to_numpy(dtype=bool)
        idx = np.flatnonzero(todo)[ok]
        amounts.iloc[idx] = shapes["num"][ok].str.replace(",", "", regex=False).astype("float64")
        found.iloc[idx] = marker[ok].to_numpy(dtype=object)
        todo[idx] = False
    positions = np.flatnonzero(todo)
    if len(positions):
        raws = series.to_numpy(dtype=object)[positions]
        decls = [None] * len(positions)
        if declared is not None:
            decls = [_known_currency(d) for d in declared.to_numpy(dtype=object)[positions]]
        for pos, raw, decl in zip(positions, raws, decls, strict=True):
            try:
                amounts.iloc[pos], found.iloc[pos] = p.read_price(raw, decl)
            except ParseError as exc:
                errors.iloc[pos] = f"price|{rules.parse_reason('price', exc)}"
    dollar = (found == "$").fillna(False)
    if dollar.any():
        decl = declared if declared is not None else pd.Series(pd.NA, index=series.index)
        dollars = decl.where(decl.isin(list(p.DOLLARS)), "USD")
        found = found.where(~dollar, dollars)
    code = found if declared is None else declared.astype(object).where(declared.notna(), found)
    rates = code.map(p.USD_PER_UNIT).fillna(1.0).astype("float64")
    values = amounts.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        plausible = (values > 0) & (values < rules.MAX_PRICE)
        plausible &= values * rates.to_numpy() <= rules.MAX_PRICE
    implausible = amounts.notna().to_numpy() & ~plausible & errors.isna().to_numpy()
    errors[implausible] = [
        f"price|{rules.price_problem(v, r)}"
        for v, r in zip(amounts[implausible], rates[implausible], strict=True)
    ]
    return amounts.where(errors.isna()), errors, found


def _known_currency(code: object) -> str | None:
    return code if isinstance(code, str) and code in p.USD_PER_UNIT else None


def repeated_ids(
    ids: Iterable[object], seen: set[Any], valid: Iterable[bool] | None = None
) -> np.ndarray:
    """The one duplicate-id rule: mark the ids an earlier row already had.

    Earlier means earlier in this batch or in ``seen`` (updated in place: the ids of earlier
    chunks). Missing ids and rows already invalid (``valid`` False) neither repeat nor count.

    Examples
    --------
    >>> seen = {"a"}
    >>> repeated_ids(["a", "b", "b", None], seen).tolist(), sorted(seen)
    ([True, False, True, False], ['a', 'b'])
    """
    ids = list(ids)
    oks = [True] * len(ids) if valid is None else list(valid)
    dup = np.zeros(len(ids), dtype=bool)
    for i, (value, ok) in enumerate(zip(ids, oks, strict=True)):
        if value is None or not ok:
            continue
        if value in seen:
            dup[i] = True
        else:
            seen.add(value)
    return dup


def reject_frame(
    row_numbers: Iterable[int],
    listing_ids: Iterable[object],
    fields: Iterable[str] | str,
    reasons: Iterable[str] | str,
    raws: Iterable[str],
) -> pd.DataFrame:
    """The one reject-row format: ``REJECT_COLUMNS``, ids and raw text cut to their limits.

    ``fields`` and ``reasons`` may be one string for every row.

    Examples
    --------
    >>> row = reject_frame([3], ["a"], "price", "price is empty", ["{}"]).to_dict("records")[0]
    >>> list(row.values())
    [3, 'a', 'price', 'price is empty', '{}']
    """
    numbers = np.asarray(list(row_numbers), dtype=np.int64)
    n = len(numbers)
    ids = [None if v is None else str(v)[: rules.MAX_REJECT_ID_CHARS] for v in listing_ids]
    return pd.DataFrame(
        {
            "row_number": numbers,
            "listing_id": pd.Series(ids, dtype=object),
            "field": [fields] * n if isinstance(fields, str) else list(fields),
            "reason": [reasons] * n if isinstance(reasons, str) else list(reasons),
            "raw": [r[: rules.MAX_REJECT_RAW_CHARS] for r in raws],
        }
    )


def duplicate_rejects(raw: pd.DataFrame, numbers: np.ndarray, cmap: ColumnMap) -> pd.DataFrame:
    """Reject rows whose id appeared earlier, as ``Validator.validate`` writes them.

    Used by the local path and the engines, so a duplicate reads the same wherever it is found.
    """
    ids = cmap.apply(raw)["listing_id"] if len(raw) else pd.Series(dtype=object)
    return reject_frame(
        numbers,
        [str(v).strip() for v in ids],
        rules.DUPLICATE_ID_FIELD,
        rules.DUPLICATE_ID_REASON,
        _raw_json(raw),
    )


def _display_ids(frame: pd.DataFrame, bad: np.ndarray) -> list[object]:
    if "listing_id" not in frame.columns:
        return [None] * int(bad.sum())
    ids = frame["listing_id"][bad]
    return [None if p.is_missing(v) else str(v).strip() for v in ids]


def _raw_json(raw: pd.DataFrame) -> list[str]:
    records = raw.astype(object).where(raw.notna(), None).to_dict(orient="records")
    return [json.dumps(r, ensure_ascii=False, default=str) for r in records]


def _broken_rejects(broken: list[tuple[int, str, str]]) -> pd.DataFrame:
    return reject_frame(
        [b[0] for b in broken],
        [None] * len(broken),
        rules.BROKEN_ROW_FIELD,
        [b[2] for b in broken],
        [b[1] for b in broken],
    )


def empty_rejects() -> pd.DataFrame:
    """Return an empty rejects frame with the rejects columns."""
    return reject_frame([], [], [], [], [])


def canonical_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every canonical listing column present (missing ones all-NA).

    Examples
    --------
    >>> canonical_frame(pd.DataFrame({"title": ["x"]}))["seller_rating"].isna().all()
    np.True_
    """
    out = frame.copy()
    for col in LISTING_COLUMNS:
        if col.name not in out.columns:
            out[col.name] = pd.Series(None, index=out.index, dtype=dtype_of(col.name))
    return out
