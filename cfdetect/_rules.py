"""The validation rule table: the limits a listing's values must meet and the reasons given.

Both validation paths read their limits and write their reasons from here: the batch
``Validator`` (a chunk at a time, vectorised) and ``parse_record`` (one listing, for
``Scorer.score`` and ``cfdetect explain``). A rule written once cannot drift between them.
This module imports nothing from cfdetect: every other module may use it.

Examples
--------
>>> price_problem(0)
'price 0 must be greater than 0'
>>> price_problem(90_000_000, usd_per_unit=1.27)
'price 9e+07 is implausibly large for one listing (over 100,000,000 USD)'
>>> price_problem(1549.0) is None
True
"""

from __future__ import annotations

MAX_TITLE_CHARS = 1_000
"""Longest title, in characters."""
MAX_TEXT_CHARS = 100_000
"""Longest id or free text (description, brand, category), in characters."""
MAX_PRICE = 1e8
"""A price must be below this in its own currency and worth at most this many US dollars."""
DUPLICATE_ID_REASON = "listing id appears earlier in the file"
"""The reason a listing is rejected whose ``listing_id`` an earlier row of the file has."""
DUPLICATE_ID_FIELD = "listing_id"
BROKEN_ROW_FIELD = "_row"
"""The ``field`` of a reject for a row the reader could not split into fields."""
MAX_REJECT_RAW_CHARS = 10_000
"""A reject row's ``raw`` (the input row as JSON) is cut to this many characters."""
MAX_REJECT_ID_CHARS = 200
"""A reject row's ``listing_id`` is cut to this many characters."""


def price_problem(amount: float, usd_per_unit: float = 1.0) -> str | None:
    """Return why a parsed price is out of range, or None when it is a plausible price.

    Parameters
    ----------
    amount : float
        The price in its own currency.
    usd_per_unit : float, default=1.0
        The reference rate of that currency (``cfdetect._parsers.USD_PER_UNIT``).
    """
    if not amount > 0:
        return f"price {amount:g} must be greater than 0"
    if not amount < MAX_PRICE:
        return f"price {amount:g} must be below {MAX_PRICE:,.0f}"
    if amount * usd_per_unit > MAX_PRICE:
        return f"price {amount:g} is implausibly large for one listing (over {MAX_PRICE:,.0f} USD)"
    return None


def empty_reason(name: str) -> str:
    """The reason a required field is rejected when it is missing."""
    return f"{name} is empty"


def length_reason(name: str, length: int, limit: int) -> str:
    """The reason a text field is rejected when it is longer than its limit."""
    return f"{name} is {length:,} characters long; the limit is {limit:,}"


def mangled_reason(name: str) -> str:
    """The reason a text field is rejected when it holds undecodable bytes (U+FFFD)."""
    return (
        f"{name} contains bytes that are not valid in the file's encoding (try --encoding cp1252)"
    )


def type_reason(name: str, value: object) -> str:
    """The reason a text field is rejected when its value is not text."""
    return f"{name}: expected text, got {type(value).__name__}"


def parse_reason(name: str, problem: object) -> str:
    """The reason a field is rejected when its parser cannot read it (``problem`` says why)."""
    return f"{name}: {problem}"


def text_limit(kind: str) -> int:
    """The length limit of a text kind of the schema (``title``; ``id`` and ``text``)."""
    return MAX_TITLE_CHARS if kind == "title" else MAX_TEXT_CHARS
