"""Column mapping: how an export's own column names map to cfdetect's canonical schema.

A mapping file is TOML or JSON. Top-level ``their_name = "our_name"`` pairs rename columns; an
optional ``[transforms]`` table names a value transform per canonical column; an optional
``[constants]`` table fills a canonical column that the export lacks (a single-seller shop's
``seller_id``, a marketplace's one ``currency``)::

    name = "title"
    "Review Feedback" = "seller_rating"

    [transforms]
    seller_rating = "percent_to_rating"

    [constants]
    seller_id = "abt.com"

Named presets cover known public exports (``ozon-ecup-2025``, ``ebay-scrape``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cfdetect import _parsers as p
from cfdetect.errors import UsageError
from cfdetect.schema import COLUMN_NAMES


def _percent_to_rating(raw: object) -> object:
    return p.percent_to_rating(raw)


def _fraction_to_rating(raw: object) -> object:
    value = p.parse_float(raw)
    if value > 1:
        raise p.ParseError(f"{raw!r} is above 1")
    return value * 5.0


def _ten_to_rating(raw: object) -> object:
    value = p.parse_float(raw)
    if value > 10:
        raise p.ParseError(f"{raw!r} is above 10")
    return value / 2.0


TRANSFORMS: dict[str, Callable[[object], object]] = {
    "percent_to_rating": _percent_to_rating,
    "fraction_to_rating": _fraction_to_rating,
    "ten_to_rating": _ten_to_rating,
}
"""Value transforms a mapping may name: each maps one raw value to a value the schema reads."""


@dataclass(frozen=True)
class ColumnMap:
    """A mapping from an export's columns to the canonical schema.

    Parameters
    ----------
    renames : dict
        ``their_name -> our_name``.
    transforms : dict
        ``our_name -> transform name`` (one of ``TRANSFORMS``).
    constants : dict
        ``our_name -> value`` for canonical columns the export lacks.
    carried : tuple of str
        Input columns carried through that must never be model inputs (documentation only,
        e.g. post-publication signals); shown by ``cfdetect validate``.
    name : str
        Where the mapping came from (preset name or file path).

    Examples
    --------
    >>> cmap = ColumnMap(renames={"Title": "title"}, constants={"currency": "EUR"})
    >>> list(cmap.apply(pd.DataFrame({"Title": ["x"]})).columns)
    ['title', 'currency']
    """

    renames: Mapping[str, str] = field(default_factory=dict)
    transforms: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, object] = field(default_factory=dict)
    carried: tuple[str, ...] = ()
    name: str = "identity"

    def __post_init__(self) -> None:
        targets = list(self.renames.values())
        for ours in [*targets, *self.transforms, *self.constants]:
            if ours not in COLUMN_NAMES:
                raise UsageError(f"column map {self.name}: {ours!r} is not a cfdetect column")
        dupes = sorted({t for t in targets if targets.count(t) > 1})
        if dupes:
            raise UsageError(f"column map {self.name}: several columns map to {dupes[0]!r}")
        for ours, transform in self.transforms.items():
            if transform not in TRANSFORMS:
                known = ", ".join(TRANSFORMS)
                raise UsageError(
                    f"column map {self.name}: unknown transform {transform!r} for {ours} ({known})"
                )

    def apply(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Rename, transform and fill the columns of one raw chunk (a new frame).

        Examples
        --------
        >>> cmap = ColumnMap(renames={"Item": "title"}, constants={"currency": "GBP"})
        >>> raw = pd.DataFrame({"Item": ["Gucci belt"], "currency": ["EUR"]})
        >>> cmap.apply(raw).to_dict("records")
        [{'title': 'Gucci belt', 'currency': 'EUR'}]
        """
        renames = {theirs: ours for theirs, ours in self.renames.items() if theirs in raw.columns}
        shadowed = [c for c in raw.columns if c in renames.values() and c not in renames]
        frame = raw.drop(columns=shadowed).rename(columns=renames)
        for ours, value in self.constants.items():
            if ours not in frame.columns:
                frame[ours] = value
        for ours, transform in self.transforms.items():
            if ours in frame.columns:
                frame[ours] = frame[ours].map(_tolerant(TRANSFORMS[transform]))
        return frame

    def recognised(self, input_columns: list[str]) -> tuple[list[str], list[str], list[str]]:
        """Return (recognised canonical columns, missing canonical columns, ignored input columns).

        Ignored input columns are carried through to the output untouched and never used.

        Examples
        --------
        >>> recognised, missing, ignored = ColumnMap(renames={"Item": "title"}).recognised(
        ...     ["Item", "price", "colour"])
        >>> recognised, "seller_id" in missing, ignored
        (['title', 'price'], True, ['colour'])
        """
        mapped = {self.renames.get(c, c) for c in input_columns} | set(self.constants)
        recognised = [c for c in COLUMN_NAMES if c in mapped]
        missing = [c for c in COLUMN_NAMES if c not in mapped]
        ignored = [c for c in input_columns if self.renames.get(c, c) not in COLUMN_NAMES]
        return recognised, missing, ignored


def _tolerant(transform: Callable[[object], object]) -> Callable[[object], object]:
    """Apply a transform; keep missing values and values it cannot read as they are.

    A value kept as it is then fails the schema's own parser, which rejects the row with a reason.
    """

    def apply(raw: object) -> object:
        if p.is_missing(raw):
            return raw
        try:
            return transform(raw)
        except p.ParseError:
            return raw

    return apply


PRESETS: dict[str, ColumnMap] = {
    "ozon-ecup-2025": ColumnMap(
        name="ozon-ecup-2025",
        renames={
            "id": "listing_id",
            "name_rus": "title",
            "description": "description",
            "brand_name": "brand",
            "CommercialTypeName4": "category",
            "PriceDiscounted": "price",
            "SellerID": "seller_id",
            "seller_time_alive": "seller_age_days",
            "GmvTotal90": "seller_gmv_90d",
            "OrderAcceptedCountTotal90": "seller_orders_90d",
            "ExemplarReturnedCountTotal90": "seller_returns_90d",
            "resolution": "is_counterfeit",
        },
        constants={"currency": "RUB"},
        carried=(
            "item_count_sales7",
            "item_count_sales30",
            "item_count_sales90",
            "item_count_returns7",
            "item_count_returns30",
            "item_count_returns90",
            "item_count_fake_returns7",
            "item_count_fake_returns30",
            "item_count_fake_returns90",
            "ExemplarReturnedValueTotal7",
            "ExemplarReturnedValueTotal30",
            "ExemplarReturnedValueTotal90",
            "item_time_alive",
        ),
    ),
    "ebay-scrape": ColumnMap(
        name="ebay-scrape",
        renames={
            "URL": "listing_id",
            "Title": "title",
            "Price": "price",
            "Seller": "seller_id",
            "Number of Reviews": "seller_n_ratings",
            "Review Feedback": "seller_rating",
            "Item Condition": "condition",
            "Location": "ships_from",
            "Quote": "description",
        },
        transforms={"seller_rating": "percent_to_rating"},
    ),
}


def load_column_map(spec: str | Path | None) -> ColumnMap:
    """Return the column map named by a preset name or a TOML/JSON file path (None: identity).

    Raises
    ------
    UsageError
        If the preset is unknown, the file cannot be read, or it maps to unknown columns.

    Examples
    --------
    >>> load_column_map("ebay-scrape").renames["Title"]
    'title'
    """
    if spec is None:
        return ColumnMap()
    if str(spec) in PRESETS:
        return PRESETS[str(spec)]
    path = Path(spec)
    if not path.is_file():
        known = ", ".join(PRESETS)
        raise UsageError(f"--columns {spec}: neither a mapping file nor a preset ({known})")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except RecursionError:
        raise UsageError(f"{path}: cannot read the column map (nested too deeply)") from None
    except (OSError, ValueError) as exc:  # JSON, TOML and UTF-8 errors are ValueErrors
        reason = "a number has too many digits" if "digits" in str(exc) else exc
        raise UsageError(f"{path}: cannot read the column map ({reason})") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a column map is a table of their_name = our_name")
    tables = {key: data.pop(key, {}) for key in ("columns", "transforms", "constants")}
    for key, table in tables.items():
        if not isinstance(table, dict):
            raise UsageError(f"{path}: {key!r} must be a table of names, got {table!r:.80}")
    renames, transforms, constants = (dict(t) for t in tables.values())
    for key, value in data.items():
        if not isinstance(value, str):
            raise UsageError(f"{path}: {key!r} must map to a column name, got {value!r}")
        renames[key] = value
    return ColumnMap(renames=renames, transforms=transforms, constants=constants, name=str(path))
