"""Resale and grey-market prices of genuine goods: used items and genuine formats.

Used, pre-owned and vintage genuine listings are priced from ``resale.csv`` (used price / new retail
per (brand, product type) and per product line); a row the table lacks takes its brand's median,
else its category's default below (general knowledge). Genuine formats (travel sprays, minis,
testers, decants, gift-set pieces, part-used bottles, outlet and diffusion lines, refurbished
units, jersey tiers) come from ``formats.csv`` with their own price ratios and title words.
"""

from __future__ import annotations

import numpy as np

from cfdetect.registry import normalise_key
from cfdetect.resale import FormatTable, ResaleTable
from cfdetect.simulate._catalog import Catalog

CATEGORY_USED_RATIO: dict[str, tuple[float, float]] = {
    "bags_luxury_fashion": (0.35, 0.75), "watches": (0.5, 0.85), "jewelry": (0.3, 0.6),
    "sneakers_sportswear": (0.3, 0.6), "apparel": (0.15, 0.45), "eyewear": (0.25, 0.5),
    "electronics_accessories": (0.35, 0.65), "fragrance_cosmetics": (0.4, 0.7),
    "skincare_haircare": (0.3, 0.6), "toys": (0.4, 0.9), "sports_jerseys": (0.25, 0.55),
    "auto_parts": (0.3, 0.6), "home_appliances": (0.3, 0.55), "phone_accessories": (0.2, 0.45),
    "batteries_power": (0.4, 0.7), "power_tools": (0.45, 0.7), "golf_equipment": (0.4, 0.7),
    "bicycle_parts": (0.45, 0.75), "kitchen_drinkware": (0.35, 0.65),
    "baby_products": (0.35, 0.6), "pet_products": (0.3, 0.5),
}  # fmt: skip
"""Used / new retail by category where resale.csv has no row (general knowledge)."""
DEFAULT_USED_RATIO = (0.3, 0.6)

FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "travel_spray": ("Travel Spray 10ml", "Travel Size 10ml", "Purse Spray"),
    "mini": ("Mini 5ml", "Miniature 7.5ml", "Mini Splash"),
    "sample_vial": ("Sample Vial 1.5ml", "Sample 2ml", "Carded Sample"),
    "deluxe_sample": ("Deluxe Sample", "Deluxe Travel Size", "Mini Size"),
    "tester": ("Tester", "Tester - No Box", "Tester Unboxed", "Tstr no cap"),
    "decant_per_ml": ("Decant", "Sample Decant", "Glass Atomizer Decant"),
    "gift_set_piece": ("from Gift Set", "No Box (from set)", "Gift Set Bottle, no box"),
    "part_used_90pct": ("90% Full", "Used 90%", "Almost Full Bottle"),
    "part_used_50pct": ("Half Full", "50% Left", "Partial Bottle"),
    "swatched_used": ("Swatched Once", "Used Once", "Lightly Used"),
    "travel_candle": ("Travel Candle", "Mini Candle"),
    "manufacturer_refurbished": ("Certified Refurbished", "Manufacturer Refurbished"),
    "outlet": ("Outlet", "Factory Outlet"),
    "booster_pack": ("Booster Pack", "Single Booster"),
    "booster_box": ("Booster Box", "Sealed Booster Box"),
    "elite_trainer_box": ("Elite Trainer Box", "ETB Sealed"),
    "polybag_gwp": ("Polybag", "Gift with Purchase Polybag"),
    "blind_box_single": ("Blind Box Single", "Single Blind Box"),
    "whole_set_sealed": ("Whole Set Sealed Case", "Full Set Sealed"),
    "stadium_replica": ("Stadium Jersey", "Fan Version", "Stadium Replica"),
    "match_authentic": ("Match Authentic Jersey", "Player Issue Authentic"),
    "kids_kit": ("Kids Kit", "Youth Mini Kit"),
    "name_and_number_printing": ("Official Name and Number Printing", "Official Nameset"),
    "rolex_certified_pre_owned": ("Rolex Certified Pre-Owned", "CPO"),
    "coach_outlet_made_for_outlet": ("Coach Outlet", "Outlet Style"),
}  # fmt: skip
"""Title words of formats; the others write their own name ("Coach Outlet", "Swingman")."""
_FORMAT_CONDITIONS = {
    "part_used_90pct": "used", "part_used_50pct": "used", "swatched_used": "used",
    "manufacturer_refurbished": "refurbished", "tnf_renewed": "refurbished",
    "rolex_certified_pre_owned": "used",
}  # fmt: skip
_TITLE_CASE = {"nb": "NB", "ua": "UA", "tnf": "TNF", "gwp": "GWP"}


def format_words(name: str) -> tuple[str, ...]:
    """Title words of a format.

    Examples
    --------
    >>> format_words("coach_outlet_made_for_outlet")
    ('Coach Outlet', 'Outlet Style')
    >>> format_words("tester")[0]
    'Tester'
    """
    if name in FORMAT_WORDS:
        return FORMAT_WORDS[name]
    words = [_TITLE_CASE.get(w, w.capitalize()) for w in name.split("_")]
    return (" ".join(words),)


class MarketPrices:
    """Per-catalogue-row resale ratios and genuine formats.

    Parameters
    ----------
    catalog : Catalog
        The simulated registry.
    resale, formats : ResaleTable, FormatTable
        The shipped tables (or others).
    """

    def __init__(self, catalog: Catalog, resale: ResaleTable, formats: FormatTable) -> None:
        n = catalog.n_rows
        low, high = np.full(n, np.nan), np.full(n, np.nan)
        self.line_ratio: dict[tuple[int, str], tuple[float, float]] = {}
        by_pair = {
            (b, t): i
            for i, (b, t) in enumerate(zip(catalog.brand, catalog.product_type, strict=True))
        }
        for (brand, ptype, line), (lo, hi) in sorted(resale.ratios.items()):
            row = by_pair.get((brand, ptype))
            if row is None:
                continue
            if line:
                self.line_ratio[(row, line)] = (lo, hi)
            else:
                low[row], high[row] = lo, hi
        for b in range(len(catalog.brands)):  # a row without figures: its brand's median
            rows = np.flatnonzero(catalog.brand_index == b)
            known = rows[~np.isnan(low[rows])]
            if len(known):
                missing = rows[np.isnan(low[rows])]
                low[missing], high[missing] = np.median(low[known]), np.median(high[known])
        for i in np.flatnonzero(np.isnan(low)):
            low[i], high[i] = CATEGORY_USED_RATIO.get(catalog.category[i], DEFAULT_USED_RATIO)
        self.used_low, self.used_high = low, high
        self.formats: list[tuple[tuple[str, str, float, float], ...]] = []
        for brand, ptype in zip(catalog.brand, catalog.product_type, strict=True):
            table = formats.formats_of(brand, ptype)
            self.formats.append(
                tuple(
                    (f, basis, lo, hi)
                    for f, basis, lo, hi in zip(
                        table["format"],
                        table["basis"],
                        table["price_ratio_low"],
                        table["price_ratio_high"],
                        strict=True,
                    )
                )
            )
        self.has_format = np.array([bool(f) for f in self.formats])

    def used_multiple(
        self, rng: np.random.Generator, row: np.ndarray, line: list[str]
    ) -> np.ndarray:
        """Used price / new retail of each item (log-uniform in its line's or row's band)."""
        low, high = self.used_low[row].copy(), self.used_high[row].copy()
        for i, (r, name) in enumerate(zip(row.tolist(), line, strict=True)):
            found = self.line_ratio.get((r, normalise_key(name))) if name else None
            if found is not None:
                low[i], high[i] = found
        return np.exp(rng.uniform(np.log(low), np.log(high)))

    def pick_formats(
        self, rng: np.random.Generator, row: np.ndarray, retail: np.ndarray, reference: np.ndarray
    ) -> tuple[list[str], np.ndarray, list[str]]:
        """(format, USD price, condition) of each item; rows without formats get ("", retail)."""
        u, v, ml = rng.random(len(row)), rng.random(len(row)), rng.choice([2, 5, 10], len(row))
        names, prices, conditions = [], retail.copy(), []
        for i, r in enumerate(row.tolist()):
            options = self.formats[r]
            if not options:
                names.append("")
                conditions.append("new")
                continue
            name, basis, lo, hi = options[int(u[i] * len(options))]
            ratio = float(np.exp(np.log(lo) + v[i] * (np.log(hi) - np.log(lo))))
            base = retail[i] if basis == "retail" else reference[i]
            prices[i] = base * ratio * (ml[i] if name == "decant_per_ml" else 1)
            if name == "decant_per_ml":
                name = f"decant_per_ml:{ml[i]}"
            names.append(name)
            conditions.append(_FORMAT_CONDITIONS.get(name, "new"))
        return names, prices, conditions
