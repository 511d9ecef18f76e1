"""The brand registry as arrays the simulator samples from.

One catalogue row is one registry row: a (brand, product type) with its product lines, retail
price range, popularity and appeal to counterfeiters. The reference price of a row is the geometric
mean of its range; an item's own retail price is drawn log-uniformly inside the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from cfdetect.registry import BrandRegistry
from cfdetect.simulate._vocab import (
    BEAUTY_CATEGORIES,
    BLANK_GOODS_CATEGORIES,
    DUPE_CATEGORIES,
    HOMAGE_CATEGORIES,
    LATE_RISK_CATEGORIES,
    LUXURY_CATEGORIES,
    NOT_RESOLD_CATEGORIES,
    REFURBISHABLE_CATEGORIES,
    SMALL_TECH_TYPES,
    profile_of,
)


@dataclass(frozen=True)
class Catalog:
    """Registry rows as aligned arrays.

    Attributes
    ----------
    brand, category, product_type : ndarray of str
        Per row.
    lines : list of tuple of str
        Product lines (model names) per row; may be empty.
    low, high, reference : ndarray of float
        Retail range and reference price (USD) per row.
    popularity, fake_appeal : ndarray of float
        Per row, scaled so the median popularity is 1 and the largest appeal is 1.
    registered : ndarray of bool
        Whether the brand enrols in the marketplace's brand-protection programme.
    brand_index : ndarray of int
        Row -> index into ``brands``.
    brands : tuple of str
        Distinct brands.
    aliases : tuple of tuple of str
        Aliases per brand.
    authorised : dict
        Authorised seller id -> brand indices.
    categories : tuple of str
        Distinct categories; ``category_index`` maps rows to it.
    category_index : ndarray of int
        Row -> index into ``categories``.
    """

    brand: np.ndarray
    category: np.ndarray
    product_type: np.ndarray
    lines: list[tuple[str, ...]]
    low: np.ndarray
    high: np.ndarray
    reference: np.ndarray
    popularity: np.ndarray
    fake_appeal: np.ndarray
    registered: np.ndarray
    brand_index: np.ndarray
    brands: tuple[str, ...]
    aliases: tuple[tuple[str, ...], ...]
    authorised: dict[str, np.ndarray]
    categories: tuple[str, ...]
    category_index: np.ndarray

    @classmethod
    def from_registry(cls, registry: BrandRegistry) -> Catalog:
        """Index a loaded registry.

        Examples
        --------
        >>> from cfdetect.registry import load_registry
        >>> catalog = Catalog.from_registry(load_registry())
        >>> len(catalog.brands) > 100
        True
        """
        table = registry.table.sort_values(["brand", "product_type"], kind="stable")
        table = table.reset_index(drop=True)
        brands = tuple(str(b) for b in registry.brands["brand"])
        position = {b: i for i, b in enumerate(brands)}
        categories = tuple(sorted({str(c) for c in table["category"]}))
        cat_position = {c: i for i, c in enumerate(categories)}
        low = table["price_low_usd"].to_numpy(dtype=float).clip(min=0.5)
        high = np.maximum(table["price_high_usd"].to_numpy(dtype=float), low)
        popularity = table["popularity"].to_numpy(dtype=float) + 1e-3
        appeal = table["fake_appeal"].to_numpy(dtype=float) + 1e-3
        authorised = {
            seller: np.array(sorted(position[b] for b in owned), dtype=np.int64)
            for seller, owned in sorted(registry.authorised.items())
        }
        return cls(
            brand=table["brand"].astype(str).to_numpy(dtype=object),
            category=table["category"].astype(str).to_numpy(dtype=object),
            product_type=table["product_type"].astype(str).to_numpy(dtype=object),
            lines=[_pipe_list(cell) for cell in table["product_lines"]],
            low=low,
            high=high,
            reference=np.sqrt(low * high),
            popularity=popularity / np.median(popularity),
            fake_appeal=appeal / appeal.max(),
            registered=table["registered"].to_numpy(dtype=bool),
            brand_index=np.array([position[b] for b in table["brand"]], dtype=np.int64),
            brands=brands,
            aliases=tuple(tuple(a) for a in registry.brands["aliases"]),
            authorised=authorised,
            categories=categories,
            category_index=np.array([cat_position[c] for c in table["category"]], np.int64),
        )

    @property
    def n_rows(self) -> int:
        """Number of (brand, product type) rows."""
        return len(self.brand)

    @cached_property
    def _typical_prices(self) -> tuple[np.ndarray, float]:
        per_category = np.array(
            [
                np.median(self.reference[self.category_index == c])
                for c in range(len(self.categories))
            ]
        )
        return per_category, float(np.median(self.reference))

    def typical_prices(self) -> tuple[np.ndarray, float]:
        """Median reference price per category, and over all rows (USD)."""
        return self._typical_prices

    def in_categories(self, names: frozenset[str]) -> np.ndarray:
        """Boolean mask of the rows whose category is in ``names`` (all rows when none is)."""
        mask = np.isin(self.category, sorted(names))
        return mask if mask.any() else np.ones(self.n_rows, dtype=bool)

    def legal_replica_rows(self) -> np.ndarray:
        """Rows where the word "replica" is used legally: a fragrance line named Replica,
        official replica jerseys, scale-model replicas; all rows when the registry has none."""
        fragrance = np.array(
            [any("replica" in line.lower() for line in lines) for lines in self.lines]
        )
        jerseys = self._type_or_category("jersey", "sports_jerseys")
        models = self._type_or_category("die_cast_car", "toys")
        mask = fragrance | jerseys | models
        return mask if mask.any() else np.ones(self.n_rows, dtype=bool)

    def _type_or_category(self, product_type: str, category: str) -> np.ndarray:
        """Rows of a product type, or of the whole category when the type is absent."""
        of_type = self.product_type == product_type
        return of_type if of_type.any() else self.category == category

    def genuine_weights(self, case: str) -> np.ndarray:
        """Row weights of genuine listings of one case (zero where the case does not apply)."""
        weights = self.popularity.copy()
        if case == "refurbished":
            weights *= self.in_categories(REFURBISHABLE_CATEGORIES)
        elif case == "homage":
            weights *= self.in_categories(HOMAGE_CATEGORIES)
        elif case == "legal_replica_word":
            weights *= self.legal_replica_rows()
        elif case == "compatible_accessory":
            boost = {"electronics_accessories": 4.0, "auto_parts": 2.0, "home_appliances": 2.0}
            weights *= np.array([boost.get(c, 1.0) for c in self.category])
            pairs = zip(self.category, self.product_type, strict=True)
            weights *= np.array([bool(profile_of(c, t).accessories) for c, t in pairs])
        elif case == "first_party_budget":
            weights *= ~self.in_categories(LUXURY_CATEGORIES)
        elif case == "authenticity_claims":
            weights *= self.in_categories(LUXURY_CATEGORIES | {"sneakers_sportswear"})
        elif case in ("used_authentic", "closet_clearout"):
            weights *= ~np.isin(self.category, sorted(NOT_RESOLD_CATEGORIES))
            if case == "closet_clearout":  # wardrobes and drawers: fashion, watches, gadgets
                weights *= np.where(self.in_categories(LUXURY_CATEGORIES), 3.0, 1.0)
        elif case == "blank_wholesale":
            weights *= self.in_categories(BLANK_GOODS_CATEGORIES)
        return weights

    def fake_target_weights(self, tactic: str) -> np.ndarray | None:
        """Row weights of a tactic tied to some products (None: the tactic takes any row)."""
        mask = None
        if tactic == "custom_logo_wholesale":
            mask = self.in_categories(BLANK_GOODS_CATEGORIES)
        elif tactic == "jersey_player_version":
            mask = self.in_categories(frozenset({"sports_jerseys"}))
        elif tactic == "beauty_discount":
            mask = self.in_categories(BEAUTY_CATEGORIES)
        elif tactic == "dupe_listing":
            mask = self.in_categories(DUPE_CATEGORIES)
        elif tactic == "electronics_clean":
            mask = np.isin(self.product_type, sorted(SMALL_TECH_TYPES)) | np.isin(
                self.category, ["toys", "jewelry"]
            )
        if mask is None:
            return None
        return self.popularity * self.fake_appeal**2 * mask

    def counterfeit_weights(self, phase: float, luxury_only: bool, drift: bool) -> np.ndarray:
        """Row weights of counterfeit listings before brand targeting (popularity x appeal^2).

        Under drift, safety-critical categories gain weight as the phase grows.
        """
        weights = self.popularity * self.fake_appeal**2
        if luxury_only:
            weights = weights * self.in_categories(LUXURY_CATEGORIES)
        if drift:
            late = np.isin(self.category, sorted(LATE_RISK_CATEGORIES))
            weights = weights * np.where(late, 1.0 + 2.0 * phase, 1.0)
        return weights


def sample_weighted(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """Draw ``n`` indices with probability proportional to ``weights`` (inverse CDF).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sample_weighted(rng, np.array([0.0, 1.0, 0.0]), 3).tolist()
    [1, 1, 1]
    """
    cdf = np.cumsum(weights, dtype=float)
    if n == 0 or cdf[-1] <= 0:
        return np.zeros(n, dtype=np.int64)
    picks = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
    return np.minimum(picks, len(weights) - 1).astype(np.int64)


def _pipe_list(cell: object) -> tuple[str, ...]:
    if not isinstance(cell, str):
        return ()
    return tuple(part.strip() for part in cell.split("|") if part.strip())
