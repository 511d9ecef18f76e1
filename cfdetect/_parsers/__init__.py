"""Parsers for the messy values real listing exports contain.

Every parser takes one raw value (usually a string) and returns the parsed value, or raises
``ParseError`` with a sentence a person understands. None of them guesses: a value that can be
read two ways is an error. ``None`` means the value is missing (empty or an NA marker).

One module per kind of value (every name is imported from ``cfdetect._parsers``): ``_missing``
(``ParseError``, NA markers), ``_numbers`` (numbers, counts, percentages, ratings, yes/no),
``_prices`` (prices, currencies, reference rates), ``_dates``, ``_conditions``, ``_countries``.
"""

from __future__ import annotations

from cfdetect._parsers._conditions import parse_condition
from cfdetect._parsers._countries import country_code, parse_country
from cfdetect._parsers._dates import parse_datetime
from cfdetect._parsers._missing import NA_MARKERS, ParseError, is_missing
from cfdetect._parsers._numbers import (
    parse_bool,
    parse_count,
    parse_float,
    parse_number,
    parse_percentage,
    parse_rating,
    percent_to_rating,
)
from cfdetect._parsers._prices import (
    DOLLARS,
    USD_PER_UNIT,
    parse_currency,
    parse_price,
    read_price,
)

__all__ = [
    "DOLLARS",
    "NA_MARKERS",
    "USD_PER_UNIT",
    "ParseError",
    "country_code",
    "is_missing",
    "parse_bool",
    "parse_condition",
    "parse_count",
    "parse_country",
    "parse_currency",
    "parse_datetime",
    "parse_float",
    "parse_number",
    "parse_percentage",
    "parse_price",
    "parse_rating",
    "percent_to_rating",
    "read_price",
]
