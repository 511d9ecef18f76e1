"""The canonical listing columns: names, kinds, dtypes and the parser of each kind.

The table both validation paths read (``cfdetect.schema.Validator`` for chunks,
``cfdetect._record.parse_record`` for one listing); ``cfdetect.schema`` re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cfdetect import _parsers as p


@dataclass(frozen=True)
class Column:
    """One column of the canonical schema."""

    name: str
    kind: str  # text, id, price, currency, float, count, rating, datetime, bool, condition, country
    required: bool = False
    doc: str = ""


LISTING_COLUMNS: tuple[Column, ...] = (
    Column("listing_id", "id", True, "unique within a file; the key of every output row"),
    Column("title", "title", True, "non-empty after trimming"),
    Column("price", "price", True, "> 0; '$1,549.00', '1.549,00 €' read when unambiguous"),
    Column("seller_id", "id", True, ""),
    Column("description", "text"),
    Column("brand", "text", doc="brand the seller declared (may be empty, wrong or misspelled)"),
    Column("category", "text"),
    Column("currency", "currency", doc="ISO 4217; default USD"),
    Column("condition", "condition", doc="new / used / refurbished / other"),
    Column("quantity", "count"),
    Column("ships_from", "country", doc="ISO 3166 alpha-2 country code"),
    Column("image_count", "count"),
    Column("created_at", "datetime", doc="submission time (UTC)"),
    Column("seller_age_days", "float"),
    Column("seller_rating", "rating", doc="0..5"),
    Column("seller_n_ratings", "count"),
    Column("seller_n_listings", "count", doc="listings before this one"),
    Column("seller_n_takedowns", "count", doc="earlier listings removed for infringement"),
    Column("seller_n_brands", "count", doc="distinct brands listed before"),
    Column("seller_gmv_90d", "float"),
    Column("seller_orders_90d", "float"),
    Column("seller_returns_90d", "float"),
)
LABEL_COLUMNS: tuple[Column, ...] = (
    Column("is_counterfeit", "bool", doc="training/evaluation only"),
    Column("published_at", "datetime"),
    Column("first_sale_at", "datetime"),
    Column("reported_at", "datetime"),
)
ALL_COLUMNS: tuple[Column, ...] = LISTING_COLUMNS + LABEL_COLUMNS
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in ALL_COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in ALL_COLUMNS if c.required)
REJECT_COLUMNS: tuple[str, ...] = ("row_number", "listing_id", "field", "reason", "raw")

_DTYPES = {
    "id": "string", "title": "string", "text": "string", "currency": "string",
    "condition": "string", "country": "string", "price": "float64", "float": "float64",
    "rating": "float64", "count": "Int64", "bool": "Int8", "datetime": "datetime64[us, UTC]",
}  # fmt: skip


def dtype_of(name: str) -> str:
    """Return the pandas dtype of a canonical column."""
    return _DTYPES[_BY_NAME[name].kind]


_BY_NAME = {c.name: c for c in ALL_COLUMNS}
_SCALAR_PARSERS: dict[str, Callable[[object], object]] = {
    "currency": p.parse_currency,
    "float": p.parse_float,
    "rating": p.parse_rating,
    "count": p.parse_count,
    "bool": lambda raw: int(p.parse_bool(raw)),
    "datetime": p.parse_datetime,
    "condition": p.parse_condition,
    "country": p.parse_country,
}


def not_text(value: object, kind: str) -> bool:
    """A value a text column does not take: text and whole numbers are text, ids too as floats."""
    if isinstance(value, str) or (isinstance(value, int | np.integer) and not is_bool(value)):
        return False
    return not (kind == "id" and isinstance(value, float | np.floating) and value.is_integer())


def is_bool(value: object) -> bool:
    return isinstance(value, bool | np.bool_)
