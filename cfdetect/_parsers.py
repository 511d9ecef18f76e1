"""Parsers for the messy values real listing exports contain.

Every parser takes one raw value (usually a string) and returns the parsed value, or raises
``ParseError`` with a sentence a person understands. None of them guesses: a value that can be
read two ways is an error. ``None`` means the value is missing (empty or an NA marker).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import UTC, datetime

import pandas as pd

from cfdetect._rules import price_problem

NA_MARKERS = frozenset(
    {"", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "-", "--", "—", "?", "#n/a", "missing"}
)

# ISO 4217 codes cfdetect knows, with an approximate reference rate to USD (USD per unit).
# Prices are compared with reference retail prices in USD; these rates only need to be right to a
# few percent for that. A model's card records the table it was trained with.
USD_PER_UNIT: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CNY": 0.138, "RUB": 0.011,
    "INR": 0.012, "CAD": 0.73, "AUD": 0.66, "NZD": 0.60, "CHF": 1.13, "HKD": 0.128,
    "SGD": 0.74, "KRW": 0.00073, "BRL": 0.18, "MXN": 0.055, "PLN": 0.25, "SEK": 0.095,
    "NOK": 0.093, "DKK": 0.145, "CZK": 0.043, "HUF": 0.0027, "TRY": 0.029, "AED": 0.272,
    "SAR": 0.267, "ZAR": 0.054, "KZT": 0.002, "UAH": 0.024, "THB": 0.028, "VND": 0.00004,
    "IDR": 0.000063, "MYR": 0.22, "PHP": 0.017, "TWD": 0.031, "ILS": 0.27, "ARS": 0.001,
    "CLP": 0.0011, "COP": 0.00025, "EGP": 0.02, "NGN": 0.00065,
}  # fmt: skip

# Currency markers that name exactly one currency. "$" alone is read as USD (the convention of
# US exports) unless a currency column says otherwise; "¥" is JPY or CNY and needs that column.
_CURRENCY_MARKERS: tuple[tuple[str, str | None], ...] = (
    ("US $", "USD"), ("US$", "USD"), ("USD", "USD"), ("C $", "CAD"), ("CA$", "CAD"),
    ("C$", "CAD"), ("AU $", "AUD"), ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"),
    ("HK$", "HKD"), ("S$", "SGD"), ("R$", "BRL"), ("MX$", "MXN"), ("EUR", "EUR"),
    ("€", "EUR"), ("GBP", "GBP"), ("£", "GBP"), ("JPY", "JPY"), ("CNY", "CNY"), ("RMB", "CNY"),
    ("RUB", "RUB"), ("руб.", "RUB"), ("руб", "RUB"), ("₽", "RUB"), ("INR", "INR"),
    ("₹", "INR"), ("Rs.", "INR"), ("CHF", "CHF"), ("KRW", "KRW"), ("₩", "KRW"),
    ("PLN", "PLN"), ("zł", "PLN"), ("TRY", "TRY"), ("₺", "TRY"), ("CAD", "CAD"), ("AUD", "AUD"),
    ("¥", None), ("$", "$"),
)  # fmt: skip
DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD"})
_CODE_RE = re.compile(r"\b([A-Z]{3})\b")
_NUMBER_RE = re.compile(r"^[+-]?[0-9][0-9.,' \u00a0\u202f]*$")
_RANGE_RE = re.compile(r"\d\s*(?:to|-|–|—|~)\s*\D{0,6}\d", re.IGNORECASE)


class ParseError(ValueError):
    """A raw value that cannot be read unambiguously; the message says why."""


def is_missing(raw: object) -> bool:
    """Return True for None, NaN, NaT and NA markers such as ``""``, ``"N/A"`` or ``"null"``.

    Examples
    --------
    >>> is_missing(" N/A "), is_missing("0")
    (True, False)
    """
    if raw is None or raw is pd.NaT:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    if isinstance(raw, str):
        return raw.strip().casefold() in NA_MARKERS
    try:
        return bool(pd.isna(raw))
    except (TypeError, ValueError, ArithmeticError):  # arrays; Decimal("sNaN")
        return False


def _show(raw: object) -> str:
    try:
        text = str(raw)
    except Exception:  # an int past Python's digit limit, an object whose str() fails
        return f"a {type(raw).__name__} value"
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_number(raw: object, *, integer: bool = False) -> float:
    """Read a number written with either separator convention.

    ``1,549.00`` and ``1.549,00`` are both 1549.0; ``1 549``, ``1'549`` and ``1549`` too. A single
    separator followed by exactly three digits is a thousands separator (prices and counts do not
    carry three decimals); more than one decimal separator, or groups that are not three digits
    long, are errors.

    Examples
    --------
    >>> parse_number("1.549,00"), parse_number("1,549"), parse_number("12,5")
    (1549.0, 1549.0, 12.5)
    """
    if isinstance(raw, bool):
        raise ParseError(f"{_show(raw)} is a yes/no value, not a number")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond float range
            raise ParseError(f"{_show(raw)} is not a finite number") from None
    else:
        text = str(raw).strip()
        if not _NUMBER_RE.match(text):
            raise ParseError(f"{_show(raw)} is not a number")
        sign = -1.0 if text.startswith("-") else 1.0
        text = text.lstrip("+-")
        for space in (" ", "\u00a0", "\u202f", "'"):
            if space in text:
                groups = text.split(space)
                tail = re.split(r"[.,]", groups[-1])[0]
                if any(len(g) != 3 for g in groups[1:-1]) or len(tail) != 3:
                    raise ParseError(f"{_show(raw)}: digit groups are not thousands")
                text = text.replace(space, "")
        value = sign * _read_separators(text, raw)
    if not math.isfinite(value):
        raise ParseError(f"{_show(raw)} is not a finite number")
    if integer and value != int(value):
        raise ParseError(f"{_show(raw)} is not a whole number")
    return value


def _read_separators(text: str, raw: object) -> float:
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if text.count(decimal) > 1:
            raise ParseError(f"{_show(raw)} has more than one decimal separator")
        whole, frac = text.split(decimal)
        groups = whole.split(thousands)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]) or not groups[0]:
            raise ParseError(f"{_show(raw)}: digit groups are not thousands")
        return float("".join(groups) + "." + frac)
    sep = "," if commas else "." if dots else ""
    if not sep:
        return float(text)
    parts = text.split(sep)
    if not parts[0] or not parts[-1]:
        raise ParseError(f"{_show(raw)} is not a number")
    if len(parts) > 2:
        if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
            raise ParseError(f"{_show(raw)}: digit groups are not thousands")
        return float("".join(parts))
    whole, frac = parts
    if len(frac) == 3 and len(whole) <= 3 and not whole.startswith("0"):
        return float(whole + frac)  # "1,549": a thousands separator, prices have no 3 decimals
    return float(whole + "." + frac)


def parse_price(raw: object, currency: str | None = None) -> tuple[float, str | None]:
    """Read a price with an optional currency symbol or code; return ``(amount, currency)``.

    ``currency`` is the value of the row's currency column, if any; a symbol in the price that
    contradicts it is an error. Ranges (``$10 - $20``) are errors: a listing has one price.

    Examples
    --------
    >>> parse_price("US $1,549.00"), parse_price("1.549,00 €"), parse_price("$ 540")
    ((1549.0, 'USD'), (1549.0, 'EUR'), (540.0, 'USD'))
    """
    amount, code = read_price(raw, currency)
    problem = price_problem(amount, USD_PER_UNIT.get(code or "USD", 1.0))
    if problem:
        raise ParseError(problem)
    return amount, code


def read_price(raw: object, currency: str | None = None) -> tuple[float, str | None]:
    """``parse_price`` without the range check (``cfdetect._rules.price_problem``).

    Examples
    --------
    >>> read_price("0 EUR")
    (0.0, 'EUR')
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        amount, found = parse_number(raw), None
    else:
        text = " ".join(str(raw).split())
        if _RANGE_RE.search(text) and not _NUMBER_RE.match(text):
            raise ParseError(f"{_show(raw)} is a price range, not one price")
        found, text = _strip_currency(text, raw)
        if text.lower().endswith(("/ea", "/each", " each", "/pc", " per item")):
            text = text.rsplit("/", 1)[0] if "/" in text else text.rsplit(" ", 1)[0]
            text = text.strip()
        try:
            amount = parse_number(text.strip())
        except ParseError as exc:
            raise ParseError(str(exc).replace(_show(text.strip()), _show(raw))) from None
    if found == "$":  # a bare dollar sign: the currency column's dollar, else USD
        found = currency if currency in DOLLARS else "USD"
    if currency is not None and found is not None and currency != found:
        raise ParseError(f"{_show(raw)} is in {found} but the currency column says {currency}")
    return amount, currency or found


def _strip_currency(text: str, raw: object) -> tuple[str | None, str]:
    found: str | None = None
    for marker, code in _CURRENCY_MARKERS:
        if marker in text:
            if code is None and marker == "¥":
                raise ParseError(f"{_show(raw)}: '¥' is yen or yuan; give a currency column")
            found = code
            text = text.replace(marker, " ", 1)
            break
    match = _CODE_RE.search(text)
    if match:
        code = match.group(1)
        if code not in USD_PER_UNIT:
            raise ParseError(f"{_show(raw)}: unknown currency {code!r}")
        if found is not None and code != found:
            raise ParseError(f"{_show(raw)} names two currencies")
        found, text = code, text.replace(code, " ", 1)
    return found, text


def parse_currency(raw: object) -> str:
    """Read an ISO 4217 currency code (or a symbol that names one currency).

    Examples
    --------
    >>> parse_currency(" eur "), parse_currency("£")
    ('EUR', 'GBP')
    """
    text = str(raw).strip()
    if text.upper() in USD_PER_UNIT:
        return text.upper()
    for marker, code in _CURRENCY_MARKERS:
        if text == marker and code is not None:
            return "USD" if code == "$" else code
    raise ParseError(f"{_show(raw)} is not a currency cfdetect knows (ISO 4217 code expected)")


_PERCENT_RE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*%")


def parse_percentage(raw: object) -> float:
    """Read a percentage such as ``"99.4% Positive feedback"``; return it as 0..100.

    Examples
    --------
    >>> parse_percentage("99.4% Positive feedback")
    99.4
    """
    match = _PERCENT_RE.match(str(raw))
    if not match:
        raise ParseError(f"{_show(raw)} is not a percentage")
    value = float(match.group(1).replace(",", "."))
    if value > 100:
        raise ParseError(f"{_show(raw)} is above 100%")
    return value


_RATING_RE = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:/\s*5|out of 5(?: stars)?|stars?)?\s*$", re.I
)


def parse_rating(raw: object) -> float:
    """Read a 0..5 star rating (``4.8``, ``"4,8"``, ``"4.8/5"``, ``"4.8 out of 5 stars"``).

    A percentage is an error here: map it with the ``percent_to_rating`` transform instead.

    Examples
    --------
    >>> parse_rating("4.8 out of 5 stars")
    4.8
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw) if not isinstance(raw, int) or abs(raw) < 2**64 else math.inf
    else:
        text = str(raw)
        if "%" in text:
            raise ParseError(
                f"{_show(raw)} is a percentage, not a 0-5 rating; map it with percent_to_rating"
            )
        match = _RATING_RE.match(text)
        if not match:
            raise ParseError(f"{_show(raw)} is not a 0-5 rating")
        value = float(match.group(1).replace(",", "."))
    if not 0 <= value <= 5:
        raise ParseError(f"rating {_show(raw)} is outside 0-5")
    return value


def percent_to_rating(raw: object) -> float:
    """Map a positive-feedback percentage to the 0..5 scale (100% -> 5.0).

    Examples
    --------
    >>> percent_to_rating("99.4% Positive feedback")
    4.97
    """
    return round(parse_percentage(raw) / 20.0, 4)


_SUFFIX = {"k": 1e3, "m": 1e6}


def parse_count(raw: object) -> int:
    """Read a non-negative whole count: ``"2,009"``, ``"1 234"``, ``"1.2k"``, ``"(13992)"``.

    Examples
    --------
    >>> parse_count("2,009"), parse_count("1.2k"), parse_count("(13992)")
    (2009, 1200, 13992)
    """
    if isinstance(raw, str):
        text = raw.strip().strip("()").strip()
        mult = _SUFFIX.get(text[-1:].lower()) if text else None
        if mult:
            value = parse_number(text[:-1].replace(",", ".")) * mult
            return _check_count(round(value), raw)
        value = parse_number(text, integer=True)
    else:
        value = parse_number(raw, integer=True)
    return _check_count(int(value), raw)


def _check_count(value: int, raw: object) -> int:
    if value < 0:
        raise ParseError(f"count {_show(raw)} is negative")
    if value > 10**12:
        raise ParseError(f"count {_show(raw)} is implausibly large")
    return value


def parse_float(raw: object, *, minimum: float | None = 0.0) -> float:
    """Read a plain number (either separator convention), by default non-negative.

    Examples
    --------
    >>> parse_float("1 234,5")
    1234.5
    """
    value = parse_number(raw)
    if minimum is not None and value < minimum:
        raise ParseError(f"{_show(raw)} is below {minimum:g}")
    return value


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on", "counterfeit", "fake", "infringing"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", "genuine", "authentic", "ok"})


def parse_bool(raw: object) -> bool:
    """Read a yes/no value: 1/0, true/false, yes/no, counterfeit/genuine.

    Examples
    --------
    >>> parse_bool("Yes"), parse_bool(0)
    (True, False)
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(f"{_show(raw)} is not a yes/no value")


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


# First match wins, so the longer phrase comes first ("como nuevo" is used, "nuevo" new). The
# marketplaces' own scales in the supported languages: eBay, Vinted ("Muy bueno", "Sehr gut",
# "Très bon état"), Mercado Libre, OLX, Avito ("Б/у", "Отличное состояние").
_CONDITIONS = (
    ("refurb", "refurbished"), ("renewed", "refurbished"), ("remanufactured", "refurbished"),
    ("reacondicionad", "refurbished"), ("recondicionad", "refurbished"),
    ("renovad", "refurbished"), ("generalüberholt", "refurbished"),
    ("reconditionné", "refurbished"), ("восстановлен", "refurbished"),
    ("parts", "other"), ("not working", "other"), ("para piezas", "other"),
    ("para peças", "other"), ("für bastler", "other"), ("defekt", "other"),
    ("pour pièces", "other"), ("на запчасти", "other"),
    ("pre-owned", "used"), ("preowned", "used"), ("second hand", "used"), ("secondhand", "used"),
    ("used", "used"), ("like new", "used"), ("good", "used"), ("fair", "used"),
    ("usad", "used"), ("seminuev", "used"), ("segunda mano", "used"), ("como nuev", "used"),
    ("buen estado", "used"), ("muy bueno", "used"), ("satisfactorio", "used"),
    ("seminov", "used"), ("bom estado", "used"), ("muito bom", "used"), ("satisfatório", "used"),
    ("gebraucht", "used"), ("wie neu", "used"), ("neuwertig", "used"), ("sehr gut", "used"),
    ("gut erhalten", "used"), ("zufriedenstellend", "used"),
    ("occasion", "used"), ("bon état", "used"), ("comme neuf", "used"), ("satisfaisant", "used"),
    ("б/у", "used"), ("состояние", "used"), ("поддержан", "used"), ("ношен", "used"),
    ("new", "new"), ("нов", "new"), ("open box", "new"), ("sealed", "new"),
    ("nuev", "new"), ("novo", "new"), ("nova", "new"), ("neu", "new"), ("neuf", "new"),
    ("neuve", "new"),
)  # fmt: skip


def parse_condition(raw: object) -> str:
    """Map free-text condition to ``new``, ``used``, ``refurbished`` or ``other``.

    Examples
    --------
    >>> parse_condition("New other (see details)"), parse_condition("Seller refurbished")
    ('new', 'refurbished')
    """
    text = str(raw).strip().casefold()
    known = _CONDITION_MEMO.get(text)
    if known is not None:
        return known
    value = next((value for needle, value in _CONDITIONS if needle in text), "other")
    if len(text) <= 64 and len(_CONDITION_MEMO) < 4096:  # the few values exports use (bounded;
        _CONDITION_MEMO[text] = value  # a race between threads writes the same value)
    return value


_CONDITION_MEMO: dict[str, str] = {}


_COUNTRIES = {
    "united states": "US", "usa": "US", "u.s.a.": "US", "united states of america": "US",
    "china": "CN", "hong kong": "HK", "taiwan": "TW", "japan": "JP", "south korea": "KR",
    "korea": "KR", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "germany": "DE", "france": "FR", "italy": "IT", "spain": "ES", "netherlands": "NL",
    "belgium": "BE", "switzerland": "CH", "austria": "AT", "poland": "PL", "sweden": "SE",
    "norway": "NO", "denmark": "DK", "finland": "FI", "ireland": "IE", "portugal": "PT",
    "greece": "GR", "czech republic": "CZ", "czechia": "CZ", "hungary": "HU", "romania": "RO",
    "russia": "RU", "russian federation": "RU", "ukraine": "UA", "turkey": "TR", "türkiye": "TR",
    "israel": "IL", "united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA",
    "india": "IN", "pakistan": "PK", "bangladesh": "BD", "thailand": "TH", "vietnam": "VN",
    "viet nam": "VN", "malaysia": "MY", "singapore": "SG", "indonesia": "ID",
    "philippines": "PH", "australia": "AU", "new zealand": "NZ", "canada": "CA",
    "mexico": "MX", "brazil": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO",
    "south africa": "ZA", "nigeria": "NG", "egypt": "EG", "kazakhstan": "KZ",
    "puerto rico": "PR",
    "bulgaria": "BG",
    "venezuela": "VE",
    "peru": "PE",
    "ecuador": "EC",
    "uruguay": "UY",
    "paraguay": "PY",
    "bolivia": "BO",
    "costa rica": "CR",
    "panama": "PA",
    "guatemala": "GT",
    "dominican republic": "DO",
    "jamaica": "JM",
    "cuba": "CU",
    "honduras": "HN",
    "el salvador": "SV",
    "nicaragua": "NI",
    "croatia": "HR",
    "serbia": "RS",
    "slovenia": "SI",
    "slovakia": "SK",
    "lithuania": "LT",
    "latvia": "LV",
    "estonia": "EE",
    "belarus": "BY",
    "moldova": "MD",
    "luxembourg": "LU",
    "iceland": "IS",
    "malta": "MT",
    "cyprus": "CY",
    "albania": "AL",
    "bosnia and herzegovina": "BA",
    "north macedonia": "MK",
    "macedonia": "MK",
    "montenegro": "ME",
    "armenia": "AM",
    "azerbaijan": "AZ",
    "uzbekistan": "UZ",
    "kyrgyzstan": "KG",
    "mongolia": "MN",
    "iran": "IR",
    "iraq": "IQ",
    "jordan": "JO",
    "lebanon": "LB",
    "kuwait": "KW",
    "qatar": "QA",
    "bahrain": "BH",
    "oman": "OM",
    "yemen": "YE",
    "sri lanka": "LK",
    "nepal": "NP",
    "myanmar": "MM",
    "cambodia": "KH",
    "laos": "LA",
    "macau": "MO",
    "macao": "MO",
    "morocco": "MA",
    "algeria": "DZ",
    "tunisia": "TN",
    "kenya": "KE",
    "ethiopia": "ET",
    "ghana": "GH",
    "tanzania": "TZ",
    "uganda": "UG",
    "senegal": "SN",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "cameroon": "CM",
    "angola": "AO",
    "mauritius": "MU",
    "fiji": "FJ",
    "liechtenstein": "LI",
    "monaco": "MC",
    "andorra": "AD",
    "san marino": "SM",
    "guam": "GU",
    "bahamas": "BS",
    "barbados": "BB",
    "trinidad and tobago": "TT",
    "bermuda": "BM",
    "afghanistan": "AF",
    "syria": "SY",
    "libya": "LY",
    "sudan": "SD",
    "zimbabwe": "ZW",
    "zambia": "ZM",
    "botswana": "BW",
    "namibia": "NA",
    "mozambique": "MZ",
    "madagascar": "MG",
    "rwanda": "RW",
    "papua new guinea": "PG",
    "brunei": "BN",
    "maldives": "MV",
    "tajikistan": "TJ",
    "turkmenistan": "TM",
    "north korea": "KP",
    "republic of korea": "KR",
    "korea, south": "KR",
    "the netherlands": "NL",
    "holland": "NL",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "mainland china": "CN",
    "prc": "CN",
    "people's republic of china": "CN",
}  # fmt: skip
_US_STATES = frozenset(
    (
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
        "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
        "massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio "
        "oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin "
        "wyoming"
    ).split()
    + ["new hampshire", "new jersey", "new mexico", "new york", "north carolina"]
    + ["north dakota", "rhode island", "south carolina", "south dakota", "west virginia"]
)


def _fold(text: str) -> str:
    """A name as the country table keys it: case-folded, accents and curly quotes dropped,
    whitespace collapsed ("Côte d’Ivoire" -> "cote d'ivoire")."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@functools.cache
def _country_table() -> tuple[frozenset[str], dict[str, str]]:
    """(ISO 3166-1 alpha-2 codes, folded name -> code): every name, official name, common name
    and alpha-3 code ``pycountry`` knows, then the project's aliases (``_COUNTRIES``: "UK",
    "Holland", "Ivory Coast", ...), which win where both name a country."""
    import pycountry  # loaded on the first country read

    codes = frozenset(str(c.alpha_2) for c in pycountry.countries)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                names[_fold(str(value))] = str(country.alpha_2)
    names.update((_fold(name), code) for name, code in _COUNTRIES.items())
    return codes, names


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a two-letter text names ("de" -> "DE", "UK" -> "GB"), or
    None when it names none ("XX", "ZZ")."""
    codes, names = _country_table()
    upper = text.upper()
    if upper in codes:
        return upper
    return names.get(_fold(text)) if _fold(text) in _TWO_LETTER_ALIASES else None


_MAX_NAME_PARTS = 4
_TWO_LETTER_ALIASES = frozenset({"uk"})  # not ISO codes, but what exports write for one


def parse_country(raw: object) -> str:
    """Read a country as an ISO 3166 alpha-2 code, from a code, a name or a place ending in one.

    Names are those of ISO 3166 (via ``pycountry``: "Korea, Republic of", "Côte d'Ivoire",
    "Georgia") and the project's aliases ("South Korea", "UK", "Holland"); a place is read from
    its longest comma-separated tail that names a country ("Tbilisi, Georgia" -> GE), else from
    a US state ("Austin, Texas" -> US). A two-letter code must be an assigned ISO 3166-1 code.

    Examples
    --------
    >>> parse_country("Mount Vernon, New York, United States"), parse_country("cn")
    ('US', 'CN')
    >>> parse_country("Tbilisi, Georgia"), parse_country("Korea, Republic of")
    ('GE', 'KR')
    """
    text = str(raw).strip()
    if len(text) == 2 and text.isascii() and text.isalpha():  # a code: [A-Za-z]{2}
        code = country_code(text)
        if code is None:
            raise ParseError(f"{_show(raw)} is not an ISO 3166 country code")
        return code
    _, names = _country_table()
    # a country's name has at most three comma-separated parts ("Congo, The Democratic Republic
    # of the"): the tails of the last four parts, longest first (linear in a hostile text)
    parts = [part.strip() for part in text.rsplit(",", _MAX_NAME_PARTS)[-_MAX_NAME_PARTS:]]
    for k in range(len(parts)):  # the longest tail first, then ever shorter ones
        code = names.get(_fold(", ".join(parts[k:])))
        if code is not None:
            return code
    if _fold(parts[-1]) in _US_STATES:
        return "US"
    raise ParseError(f"{_show(raw)} is not a country cfdetect knows; use an ISO 3166 code")
