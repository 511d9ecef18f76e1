"""Timestamps: the formats exports use, Unix times, day/month order only where it is certain;
every time in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd

from cfdetect._parsers._missing import ParseError, _show

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%b %d, %Y", "%B %d, %Y", "%d %b %Y",
    "%d %B %Y", "%b %d %Y", "%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z",
)  # fmt: skip
_SLASH_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_datetime(raw: object) -> pd.Timestamp:
    """Read a timestamp and return it in UTC; naive times are taken as UTC.

    Accepts ISO 8601, ``2024-03-05 12:00``, ``05.03.2024``, ``Mar 5, 2024``, RFC 2822, Unix
    seconds or milliseconds, and ``dd/mm/yyyy`` or ``mm/dd/yyyy`` only where the day is above 12
    (``03/05/2024`` is ambiguous and an error).

    Examples
    --------
    >>> str(parse_datetime("2024-03-05T12:00:00+02:00"))
    '2024-03-05 10:00:00+00:00'
    >>> str(parse_datetime("25/12/2024"))
    '2024-12-25 00:00:00+00:00'
    """
    if isinstance(raw, pd.Timestamp | datetime):
        return _utc(pd.Timestamp(raw), raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            return _from_epoch(float(raw), raw)
        except OverflowError:  # an int beyond float range
            raise ParseError(f"{_show(raw)} is not a valid Unix time") from None
    text = str(raw).strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text), raw)
    match = _SLASH_RE.match(text)
    if match:
        return _from_slashes(match, raw)
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            stamp = pd.Timestamp(text)
        except (ValueError, OverflowError) as exc:
            raise ParseError(f"{_show(raw)} is not a valid date") from exc
        return _utc(stamp, raw)
    for fmt in _DATE_FORMATS:
        try:
            return _utc(pd.Timestamp(datetime.strptime(text, fmt)), raw)
        except ValueError:
            continue
    raise ParseError(f"{_show(raw)} is not a date format cfdetect reads (use ISO 8601)")


def _from_slashes(match: re.Match[str], raw: object) -> pd.Timestamp:
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if first <= 12 and second <= 12 and first != second:
        raise ParseError(f"{_show(raw)} could be day/month or month/day; use ISO 8601")
    day, month = (first, second) if first > 12 else (second, first)
    hour, minute, sec = (int(match.group(i) or 0) for i in (4, 5, 6))
    try:
        return pd.Timestamp(datetime(year, month, day, hour, minute, sec, tzinfo=UTC))
    except ValueError as exc:
        raise ParseError(f"{_show(raw)} is not a valid date") from exc


def _from_epoch(value: float, raw: object) -> pd.Timestamp:
    unit = "ms" if value > 1e11 else "s"
    try:
        return _utc(pd.Timestamp(value, unit=unit), raw)
    except (ValueError, OverflowError) as exc:
        raise ParseError(f"{_show(raw)} is not a valid Unix time") from exc


def _utc(stamp: pd.Timestamp, raw: object) -> pd.Timestamp:
    if stamp is pd.NaT:
        raise ParseError(f"{_show(raw)} is not a date")
    if not 1990 <= stamp.year <= 2100:
        raise ParseError(f"{_show(raw)}: year {stamp.year} is outside 1990-2100")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("us")
