"""Prices and currencies: the reference rates, the symbols and codes that name one currency, a
price with its currency, and the range check of ``cfdetect._rules``."""

from __future__ import annotations

import re

from cfdetect._parsers._missing import ParseError, _show
from cfdetect._parsers._numbers import _NUMBER_RE, parse_number
from cfdetect._rules import price_problem

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
_RANGE_RE = re.compile(r"\d\s*(?:to|-|–|—|~)\s*\D{0,6}\d", re.IGNORECASE)


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
