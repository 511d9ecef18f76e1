"""Brand registry: brands, aliases, product lines, reference prices and authorised sellers.

The registry is a long CSV table with one row per (brand, product type); see ``data/README.md``
for the columns. It is read by the simulator (which brands exist and what they cost) and by the
features (which brands a title mentions, what the usual price is, who is authorised to sell).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.errors import InputError

REGISTRY_COLUMNS: tuple[str, ...] = (
    "brand",
    "aliases",
    "category",
    "product_type",
    "product_lines",
    "price_low_usd",
    "price_high_usd",
    "registered",
    "authorised_sellers",
    "popularity",
    "fake_appeal",
)

REGISTRY_CATEGORIES: tuple[str, ...] = (
    "apparel", "auto_parts", "baby_products", "bags_luxury_fashion", "batteries_power",
    "bicycle_parts", "electronics_accessories", "eyewear", "fragrance_cosmetics", "golf_equipment",
    "home_appliances", "jewelry", "kitchen_drinkware", "medical_devices", "pet_products",
    "pharmaceuticals", "phone_accessories", "power_tools", "skincare_haircare",
    "sneakers_sportswear", "software_licenses", "sports_jerseys", "tobacco_vaping", "toys",
    "watches",
)  # fmt: skip
"""The categories of the shipped registry (``data/README.md``). A custom registry may use others
(the simulator then writes generic listings for them); every category must be snake_case."""
_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def normalise_key(text: str) -> str:
    """Return the lookup key of a brand, alias or product line: NFKC, casefolded, single spaces.

    Examples
    --------
    >>> normalise_key("  Louis  VUITTON ")
    'louis vuitton'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _split(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split("|") if part.strip()]


@dataclass(frozen=True)
class BrandRegistry:
    """The brand registry, indexed for lookups.

    Attributes
    ----------
    table : DataFrame
        One row per (brand, product type), the columns of ``REGISTRY_COLUMNS``.
    brands : DataFrame
        One row per brand: ``brand``, ``category``, ``registered``, ``popularity``,
        ``fake_appeal``, ``price_low_usd``/``price_high_usd`` (over all its product types),
        ``aliases`` and ``authorised_sellers`` as lists.
    names : dict
        Lookup key of every brand name and alias -> canonical brand.
    lines : dict
        Lookup key of every product line -> (brand, product type).
    authorised : dict
        Seller id -> set of brands the seller is authorised for.

    Examples
    --------
    >>> reg = load_registry()
    >>> reg.canonical("LV"), reg.is_authorised("allheart_authorized", "3M Littmann")
    ('Louis Vuitton', True)
    """

    table: pd.DataFrame
    brands: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)
    lines: dict[str, tuple[str, str]] = field(default_factory=dict)
    authorised: dict[str, frozenset[str]] = field(default_factory=dict)

    def reference_range(self, brand: str, product_type: str | None = None) -> tuple[float, float]:
        """Return the (low, high) USD retail range of a brand, or of one of its product types.

        Examples
        --------
        >>> reg = load_registry()
        >>> low, high = reg.reference_range("Rolex")
        >>> low > 1000
        True
        """
        rows = self.table[self.table["brand"] == brand]
        if product_type is not None and (rows["product_type"] == product_type).any():
            rows = rows[rows["product_type"] == product_type]
        if rows.empty:
            raise KeyError(brand)
        return float(rows["price_low_usd"].min()), float(rows["price_high_usd"].max())

    def canonical(self, name: str) -> str | None:
        """Return the canonical brand for a brand name or alias, or None if unknown.

        Examples
        --------
        >>> reg = load_registry()
        >>> reg.canonical("louis  VUITTON"), reg.canonical("LV"), reg.canonical("no such brand")
        ('Louis Vuitton', 'Louis Vuitton', None)
        """
        return self.names.get(normalise_key(name))

    def is_authorised(self, seller_id: str, brand: str) -> bool:
        """Return True when ``seller_id`` is an authorised seller of ``brand``.

        Examples
        --------
        >>> reg = load_registry()
        >>> reg.is_authorised("medline_authorized", "3M Littmann"), reg.is_authorised("x", "Gucci")
        (True, False)
        """
        return brand in self.authorised.get(seller_id, frozenset())


def default_registry_path() -> Path:
    """Return the path of the shipped brand registry (``data/brands.csv``)."""
    packaged = resources.files("cfdetect").joinpath("_data/brands.csv")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / "brands.csv"


def _read_table(path: Path) -> pd.DataFrame:
    """Read and check a registry CSV: numbers, price ranges, snake_case names (one row a line)."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the brand registry ({exc})") from exc
    missing = [c for c in REGISTRY_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{path}: the brand registry lacks column(s) {', '.join(missing)}")
    for col in ("price_low_usd", "price_high_usd", "popularity", "fake_appeal"):
        values = pd.to_numeric(table[col], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError(f"{path}: line {row}, field {col}: not a non-negative number")
        table[col] = values.astype(float)
    if (table["price_low_usd"] > table["price_high_usd"]).any():
        row = int(np.flatnonzero((table["price_low_usd"] > table["price_high_usd"]).to_numpy())[0])
        raise InputError(f"{path}: line {row + 2}: price_low_usd is above price_high_usd")
    for col in ("category", "product_type"):
        bad = ~table[col].str.strip().str.fullmatch(_SNAKE).astype(bool)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError(f"{path}: line {row}, field {col}: not a snake_case name")
        table[col] = table[col].str.strip()
    table["registered"] = table["registered"].str.strip().isin(["1", "true", "True", "yes"])
    table["brand"] = table["brand"].str.strip()
    return table


def load_registry(path: str | Path | None = None) -> BrandRegistry:
    """Read a brand registry CSV and index it.

    Parameters
    ----------
    path : str or Path, optional
        A registry CSV with the columns of ``REGISTRY_COLUMNS``. Default: the shipped registry.

    Returns
    -------
    BrandRegistry

    Raises
    ------
    InputError
        If the file is missing, lacks a column, or has an unreadable price range.

    Examples
    --------
    >>> reg = load_registry()
    >>> reg.canonical("LV")
    'Louis Vuitton'
    """
    path = Path(path) if path is not None else default_registry_path()
    table = _read_table(path)

    names: dict[str, str] = {}
    lines: dict[str, tuple[str, str]] = {}
    authorised: dict[str, set[str]] = {}
    brand_rows = []
    for brand, group in table.groupby("brand", sort=True):
        brand = str(brand)
        aliases = sorted({a for cell in group["aliases"] for a in _split(cell)})
        sellers = sorted({s for cell in group["authorised_sellers"] for s in _split(cell)})
        names.setdefault(normalise_key(brand), brand)
        for alias in aliases:
            names.setdefault(normalise_key(alias), brand)
        for _, row in group.iterrows():
            for line in _split(row["product_lines"]):
                lines.setdefault(normalise_key(line), (brand, row["product_type"]))
        for seller in sellers:
            authorised.setdefault(seller, set()).add(brand)
        first = group.iloc[0]
        brand_rows.append(
            {
                "brand": brand,
                "category": first["category"],
                "registered": bool(group["registered"].any()),
                "popularity": float(group["popularity"].max()),
                "fake_appeal": float(group["fake_appeal"].max()),
                "price_low_usd": float(group["price_low_usd"].min()),
                "price_high_usd": float(group["price_high_usd"].max()),
                "aliases": aliases,
                "authorised_sellers": sellers,
            }
        )
    brands = pd.DataFrame(brand_rows)
    return BrandRegistry(
        table=table.reset_index(drop=True),
        brands=brands,
        names=names,
        lines=lines,
        authorised={k: frozenset(v) for k, v in authorised.items()},
    )
