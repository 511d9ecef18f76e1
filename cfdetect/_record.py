"""One listing given as a mapping, validated: ``parse_record``, the single-listing twin of
``cfdetect.schema.Validator`` (the same parsers, limits and reasons: ``cfdetect._rules``).

``Scorer.score`` and ``cfdetect explain`` read listings with it; ``cfdetect.schema`` re-exports it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from cfdetect import _parsers as p
from cfdetect import _rules as rules
from cfdetect._fields import (
    _BY_NAME,
    _SCALAR_PARSERS,
    ALL_COLUMNS,
    LISTING_COLUMNS,
    Column,
)
from cfdetect._fields import not_text as _not_text
from cfdetect._parsers import ParseError
from cfdetect._rules import MAX_TEXT_CHARS, MAX_TITLE_CHARS
from cfdetect.errors import InvalidListing


def parse_record(listing: Mapping[str, object], *, labels: bool = True) -> dict[str, object]:
    """Validate one listing given as a mapping; return its canonical, typed values.

    The single-listing twin of ``Validator.validate``: the same parsers, the same limits, the
    same reasons. Missing optional fields are ``None``; unknown keys are kept as they are.
    Values that are already typed (text, finite numbers, ISO 8601 UTC timestamps such as
    ``2025-03-01T10:00:00Z``, UTC ``pandas.Timestamp`` values, two-letter country codes) take a
    short path with the same result as the parsers.

    Parameters
    ----------
    listing : mapping
        Field name -> raw value.
    labels : bool, default=True
        Also read the training-only columns (``is_counterfeit``, ``published_at``,
        ``first_sale_at``, ``reported_at``). With ``False`` they are neither read nor returned
        (scoring at submission never uses them).

    Raises
    ------
    InvalidListing
        Naming the field and the reason, for the first field that cannot be read.

    Examples
    --------
    >>> parse_record({"listing_id": 7, "title": "Rolex", "price": "US $1,549.00",
    ...               "seller_id": "s"})["price"]
    1549.0
    >>> parse_record({"listing_id": 7, "title": " ", "price": 5, "seller_id": "s"})
    Traceback (most recent call last):
    ...
    cfdetect.errors.InvalidListing: title: title is empty
    """
    if not isinstance(listing, Mapping):
        raise InvalidListing(
            "_row", f"a listing is a mapping of fields, not {type(listing).__name__}"
        )
    out: dict[str, object] = {k: v for k, v in listing.items() if k not in _BY_NAME}
    # an unreadable currency is raised in the currency column's turn, as Validator does
    currency, currency_error = _record_currency(listing.get("currency"))
    markers = p.NA_MARKERS
    for col, name, kind, limit in _RECORD_PLAN if labels else _LISTING_PLAN:
        raw = listing.get(name)
        kind_of = type(raw)
        if kind_of is str and kind in _NUMERIC_KINDS and _PLAIN_NUMBER.match(raw):  # type: ignore[arg-type]
            # a plain decimal reads as the frame path (``pd.to_numeric``) reads it: "161.894"
            # is 161.894, not a thousands group (the CLI's and score_frame's value, to the bit)
            raw, kind_of = float(raw), float  # type: ignore[arg-type]
        # short paths: values that are plainly present and already of the right type
        if kind_of is str:
            text = raw.strip()  # type: ignore[union-attr]
            if text.casefold() in markers:
                raw = None  # missing
            else:
                found = _plain_text(kind, text, limit, currency, currency_error)
                if found is not _PARSER:
                    out[name] = found
                    continue
        elif kind_of is pd.Timestamp and kind == "datetime":
            stamp = _utc_stamp(raw)  # type: ignore[arg-type]
            if stamp is not None:
                out[name] = stamp
                continue
        elif kind_of is float or kind_of is int:
            if raw != raw:  # NaN
                raw = None
            else:
                number = _plain_number(kind, raw, currency)  # type: ignore[arg-type]
                if number is not None:
                    out[name] = number
                    continue
        out[name], currency = _missing_or_parsed(col, raw, kind_of, currency, currency_error)
    out["currency"] = currency or "USD"
    return out


def _missing_or_parsed(
    col: Column, raw: object, kind_of: type, currency: str | None, currency_error: str | None
) -> tuple[object, str | None]:
    """A value no short path took: None when missing (an error when required), else what its
    parser reads (``_parse_field``); with the currency as known after it."""
    # str, float and int values are missing exactly when the short paths said so
    if col.kind == "currency" and currency_error is not None:
        raise InvalidListing(col.name, currency_error)
    if raw is None or (kind_of not in _PLAIN_TYPES and _is_missing_value(raw)):
        if col.required:
            raise InvalidListing(col.name, rules.empty_reason(col.name))
        return None, currency
    return _parse_field(col, raw, currency)


_PARSER = object()  # a short path's answer: this value goes through its parser


def _plain_text(
    kind: str, text: str, limit: int, currency: str | None, currency_error: str | None
) -> object:
    """A stripped, present text value as its parser reads it, where that is plain; else _PARSER."""
    if limit:  # id, title, text
        return text if len(text) <= limit and "\ufffd" not in text else _PARSER
    if kind == "datetime" and _ISO_UTC.match(text):
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:  # "2025-02-30T...": the parser says why
            return _PARSER
        return pd.Timestamp(stamp) if 1990 <= stamp.year <= 2100 else _PARSER
    if kind == "currency" and currency_error is None:  # read before the loop
        return currency
    if kind == "condition":  # never an error
        return p.parse_condition(text)
    if kind == "country" and len(text) == 2 and text.isascii() and text.isalpha():
        code = p.country_code(text)  # what parse_country returns for a two-letter code
        return code if code is not None else _PARSER
    return _PARSER


def _record_currency(declared: object) -> tuple[str | None, str | None]:
    """``parse_record``'s currency, read before the other fields: (code, why it is unreadable)."""
    if type(declared) is str and declared in _CURRENCY_CODES:
        return declared, None  # what parse_currency returns for a plain ISO code
    if declared is None or _is_missing_value(declared):
        return None, None
    try:
        return p.parse_currency(declared), None
    except (ValueError, TypeError) as exc:  # ParseError, or a value no parser foresaw
        return None, rules.parse_reason("currency", exc)


def _utc_stamp(raw: pd.Timestamp) -> pd.Timestamp | None:
    """A UTC timestamp in range: what parse_datetime returns, without its conversions; else None."""
    tz = raw.tzinfo
    if (tz is UTC or (type(tz) is ZoneInfo and tz.key == "UTC")) and 1990 <= raw.year <= 2100:
        return raw if tz is UTC and raw.unit == "us" else raw.tz_convert(UTC).as_unit("us")
    return None


def _plain_number(kind: str, raw: float, currency: str | None) -> float | None:
    """A plain valid number of a numeric kind as the parsers return it; None: the parser's turn."""
    try:
        value = float(raw)
    except OverflowError:  # an int beyond float range: the parser says why
        return None
    if kind == "float":
        return value if 0.0 <= value < math.inf else None
    if kind == "count":
        return float(int(value)) if 0.0 <= value <= 1e12 and value == int(value) else None
    if kind == "rating":
        return value if 0.0 <= value <= 5.0 else None
    if kind == "price":
        rate = p.USD_PER_UNIT.get(currency or "USD", 1.0)
        return value if rules.price_problem(value, rate) is None else None
    return None


def _parse_field(col: Column, raw: object, currency: str | None) -> tuple[object, str | None]:
    """One present field through its parser: (value, the currency, found in a price's text)."""
    name = col.name
    try:
        if col.kind == "price":
            value, found = _parse_one_price(raw, currency)
            return value, currency or found
        return _parse_one(col, raw, currency), currency
    except InvalidListing:
        raise
    except ParseError as exc:
        raise InvalidListing(name, rules.parse_reason(name, exc)) from None
    except (ValueError, ArithmeticError, TypeError) as exc:  # a value no parser foresaw
        raise InvalidListing(
            name, f"{name}: a {type(raw).__name__} value that cannot be read ({exc})"
        ) from None


_TEXT_LIMITS = {"id": MAX_TEXT_CHARS, "title": MAX_TITLE_CHARS, "text": MAX_TEXT_CHARS}


def _plan(columns: tuple[Column, ...]) -> tuple[tuple[Column, str, str, int], ...]:
    """``parse_record``'s loop: column, name, kind, length limit (text kinds; else 0)."""
    return tuple((c, c.name, c.kind, _TEXT_LIMITS.get(c.kind, 0)) for c in columns)


_LISTING_PLAN = _plan(LISTING_COLUMNS)
_RECORD_PLAN = _plan(ALL_COLUMNS)
_PLAIN_TYPES = frozenset({str, float, int})
# currency codes parse_currency returns as they are written
_CURRENCY_CODES = frozenset(
    c for c in p.USD_PER_UNIT if c == c.strip().upper() and c.casefold() not in p.NA_MARKERS
)
# ISO 8601 in UTC to the second, as exports and cfdetect itself write it: read with fromisoformat
_NUMERIC_KINDS = frozenset({"float", "count", "rating"})
_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")
_ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


def _is_missing_value(raw: object) -> bool:
    try:
        return p.is_missing(raw)
    except (TypeError, ValueError, ArithmeticError):
        return False


def _parse_one_price(raw: object, currency: str | None) -> tuple[float, str | None]:
    amount, found = p.read_price(raw, currency)
    problem = rules.price_problem(amount, p.USD_PER_UNIT.get(currency or found or "USD", 1.0))
    if problem:
        raise InvalidListing("price", problem)
    return amount, found


def _parse_one(col: Column, raw: object, currency: str | None) -> object:
    if col.kind in ("id", "title", "text"):
        if _not_text(raw, col.kind):
            raise InvalidListing(col.name, rules.type_reason(col.name, raw))
        if isinstance(raw, float | np.floating):  # a whole-number id
            raw = int(raw)
        text = str(raw).strip()
        limit = rules.text_limit(col.kind)
        if len(text) > limit:
            raise InvalidListing(col.name, rules.length_reason(col.name, len(text), limit))
        if "\ufffd" in text:
            raise InvalidListing(col.name, rules.mangled_reason(col.name))
        return text
    if col.kind == "currency":
        return currency
    value = _SCALAR_PARSERS[col.kind](raw)
    if col.kind == "datetime":
        return value
    return float(value) if col.kind in ("float", "rating", "count") else value
