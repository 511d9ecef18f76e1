"""A block's listing rows, once each listing has its seller and catalogue row: the product line
and prices, the language and currency, the category and shipping country, the text, the
timeline (queued on the sellers' records) and the point-in-time seller_* fields. A part of
``Simulator`` (``cfdetect.simulate._core``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.simulate._catalog import Catalog
from cfdetect.simulate._config import SECONDS_PER_DAY, SimulationConfig
from cfdetect.simulate._frame import typed_frame
from cfdetect.simulate._history import SellerHistory
from cfdetect.simulate._languages import draw_languages, local_currencies
from cfdetect.simulate._market import MarketPrices
from cfdetect.simulate._pricing import charm_round, listing_prices
from cfdetect.simulate._sellers import Network, SellerTable
from cfdetect.simulate._tactics import RECIPES, SELLER_KINDS
from cfdetect.simulate._timeline import (
    WINDOW_DAYS,
    BlockPlan,
    Outcomes,
    history_events,
    simulate_outcomes,
)
from cfdetect.simulate._titles import TextMaker
from cfdetect.simulate._world import World

_UNBRANDED_CASES = ("homage", "unbranded_generic", "long_tail_brand", "blank_wholesale")
_IMPORT_COUNTRIES = np.array(["JP", "HK", "DE", "IT", "AE", "KR", "SG", "GB"], dtype=object)
EXPORT_GAP_SHARE = 0.03
"""Share of rows where each of ``_GAPPY_COLUMNS`` is missing, whatever the label."""
_GAPPY_COLUMNS = ("description", "condition", "quantity", "ships_from", "image_count")
_SELLER_FIELDS = ("seller_age_days", "seller_rating", "seller_n_ratings", "seller_n_listings",
                  "seller_n_takedowns", "seller_n_brands", "seller_gmv_90d", "seller_orders_90d",
                  "seller_returns_90d")  # fmt: skip


@dataclass(frozen=True)
class _Offers:
    """What each listing of a block offers, and in which language: its product line and noun,
    retail and reference prices (USD), its price in local currency and in USD, quantity, and
    the format (and its condition) of a genuine-format listing."""

    line: list[str]
    noun: list[str]
    retail: np.ndarray
    reference: np.ndarray
    local: np.ndarray
    price_usd: np.ndarray
    quantity: np.ndarray
    currency: np.ndarray
    languages: np.ndarray
    formats: np.ndarray
    fmt: list[str]
    format_condition: list[str]


class ListingRows:
    """The part of ``Simulator`` that writes a block's rows."""

    config: SimulationConfig
    world: World | None
    catalog: Catalog
    market: MarketPrices
    plan: BlockPlan
    block_seeds: list
    vocab: list
    language_shares: dict[str, float]
    sellers: SellerTable
    history: SellerHistory
    networks: list[Network]
    first_row: np.ndarray
    id_width: int
    _nouns: list[str]
    _generic_price: np.ndarray

    def _rows(
        self,
        rng: np.random.Generator,
        text: TextMaker,
        block: int,
        times: np.ndarray,
        period: np.ndarray,
        is_fake: np.ndarray,
        recipe: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
    ) -> pd.DataFrame:
        cat, sellers, n = self.catalog, self.sellers, len(times)
        kind_names = np.array([k.name for k in SELLER_KINDS], dtype=object)
        kind = kind_names[sellers["kind"][seller]]
        unbranded = np.isin(recipe, _UNBRANDED_CASES)
        accessory = recipe == "compatible_accessory"
        offers = self._offers(rng, block, recipe, kind, is_fake, seller, row, unbranded, accessory)
        category, ships = self._category_and_shipping(rng, recipe, seller, row)
        titles, descriptions, declared = self._texts(
            text, block, period, is_fake, recipe, row, kind, seller, ships, offers
        )
        sale_ratio = np.where(accessory, 1.0, offers.price_usd / offers.retail)
        outcomes = self._outcomes(rng, times, recipe, is_fake, row, sale_ratio)
        history = self._record_history(block, times, seller, outcomes, offers.price_usd, declared)

        own_brand = sellers["own_brand"][seller]
        true_brand = np.where(unbranded | accessory, own_brand, cat.brand[row])
        long_tail = recipe == "long_tail_brand"
        true_brand[long_tail] = [titles[i].split(" ", 1)[0] for i in np.flatnonzero(long_tail)]
        first = self.first_row[block]
        condition = self._conditions(
            rng, recipe, kind, is_fake, offers.formats, offers.format_condition
        )
        frame = {
            "listing_id": [f"L{first + i:0{self.id_width}d}" for i in range(n)],
            "title": titles,
            "price": offers.local,
            "seller_id": sellers["seller_id"][seller],
            "description": descriptions,
            "brand": declared,
            "category": category,
            "currency": offers.currency,
            "condition": condition,
            "quantity": offers.quantity,
            "ships_from": ships,
            "image_count": self._image_counts(rng, recipe),
            "created_at": times,
            **self._seller_fields(times, seller, history),
            "is_counterfeit": is_fake ^ (rng.random(n) < self.config.label_noise),
            "published_at": outcomes.published,
            "first_sale_at": outcomes.first_sale,
            "reported_at": outcomes.reported,
            "tactic": np.where(is_fake, recipe, "none"),
            "case": recipe,
            "seller_kind": kind,
            "period": period,
            "reference_price_usd": np.round(offers.reference, 2),
            "true_brand": true_brand,
            "product_type": cat.product_type[row],
            "returned_at": outcomes.returned,
            "language": offers.languages,
        }
        for name in _GAPPY_COLUMNS:  # marketplace exports leave some fields empty
            frame[name] = np.where(rng.random(n) < EXPORT_GAP_SHARE, None, frame[name])
        return typed_frame(frame)

    def _offers(
        self,
        rng: np.random.Generator,
        block: int,
        recipe: np.ndarray,
        kind: np.ndarray,
        is_fake: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        unbranded: np.ndarray,
        accessory: np.ndarray,
    ) -> _Offers:
        """Product lines and prices; the language each listing is written in, and its currency
        (the local price is rounded as sellers price, then converted back to USD)."""
        cat, n = self.catalog, len(row)
        line, noun = self._lines(rng, recipe, row)
        low, high = cat.low[row], cat.high[row]
        retail = self._retail(rng, row, line, low, high)
        generic = self._generic_price[row]
        reference = np.where(unbranded, generic, cat.reference[row])
        retail = np.where(unbranded, generic * rng.lognormal(0.0, 0.45, n), retail)
        price_usd, quantity = listing_prices(rng, recipe, kind, retail, accessory, unbranded)
        used = np.isin(recipe, ("used_authentic", "closet_clearout"))
        price_usd = np.where(used, retail * self.market.used_multiple(rng, row, line), price_usd)
        formats = recipe == "genuine_format"
        fmt = [""] * n
        format_condition: list[str] = []
        if formats.any():
            names, fmt_price, format_condition = self.market.pick_formats(
                rng, row[formats], retail[formats], cat.reference[row[formats]]
            )
            price_usd[formats] = fmt_price
            for j, i in enumerate(np.flatnonzero(formats)):
                fmt[i] = names[j]

        if self.world is not None:
            price_usd = self.world.prices(price_usd, is_fake)
        languages, currency_draw = draw_languages(self.block_seeds[block], n, self.language_shares)
        currency = local_currencies(languages, self.sellers["currency"][seller], currency_draw)
        usd_per_unit = np.array([USD_PER_UNIT[c] for c in currency])
        local = charm_round(rng, price_usd / usd_per_unit, is_fake)
        price_usd = local * usd_per_unit
        return _Offers(
            line, noun, retail, reference, local, price_usd, quantity, currency, languages,
            formats, fmt, format_condition,
        )  # fmt: skip

    def _category_and_shipping(
        self, rng: np.random.Generator, recipe: np.ndarray, seller: np.ndarray, row: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each listing's category (half of the implausible bundles in a wrong one) and where it
        ships from (the seller's country; parallel imports from abroad)."""
        cat, n = self.catalog, len(row)
        category = cat.category[row].copy()
        misplaced = (recipe == "implausible_bundle") & (rng.random(n) < 0.5)
        category[misplaced] = np.array(cat.categories, dtype=object)[
            rng.integers(0, len(cat.categories), int(misplaced.sum()))
        ]
        ships = self.sellers["ships_from"][seller].copy()  # before the text: shipping notes use it
        imports = recipe == "parallel_import"
        ships[imports] = _IMPORT_COUNTRIES[
            rng.integers(0, len(_IMPORT_COUNTRIES), int(imports.sum()))
        ]
        return category, ships

    def _texts(
        self,
        text: TextMaker,
        block: int,
        period: np.ndarray,
        is_fake: np.ndarray,
        recipe: np.ndarray,
        row: np.ndarray,
        kind: np.ndarray,
        seller: np.ndarray,
        ships: np.ndarray,
        offers: _Offers,
    ) -> tuple[list[str], list[str | None], list[str]]:
        """Each listing's title, description (None: the seller wrote none) and declared brand;
        a world then rewrites some titles."""
        cat = self.catalog
        line, noun, languages = offers.line, offers.noun, offers.languages
        own_brand = self.sellers["own_brand"][seller]
        networks = self.sellers["network"][seller]
        titles: list[str] = []
        descriptions: list[str | None] = []
        declared: list[str] = []
        for i in range(len(row)):
            text.format_name = offers.fmt[i]
            title, description, brand = text.make(
                recipe[i], cat.brand[row[i]], cat.aliases[cat.brand_index[row[i]]], line[i],
                noun[i], cat.category[row[i]], cat.product_type[row[i]], kind[i], own_brand[i],
                self.vocab[period[i]],
                self.networks[networks[i]].templates[period[i]]
                if recipe[i] == "network_template"
                else None,
                ships[i], languages[i],
            )  # fmt: skip
            titles.append(title)
            descriptions.append(description or None)  # some sellers write none
            declared.append(brand)
        if self.world is not None:
            world_rng = np.random.default_rng([self.config.seed, block, 23])
            self.world.rewrite(world_rng, titles, is_fake)
        return titles, descriptions, declared

    def _record_history(
        self,
        block: int,
        times: np.ndarray,
        seller: np.ndarray,
        outcomes: Outcomes,
        price_usd: np.ndarray,
        declared: list[str],
    ) -> dict[str, np.ndarray]:
        """Queue the listings' future events on their sellers' records and return what each
        seller's record says as each listing is submitted."""
        price_cents = np.round(price_usd * 100).astype(np.int64)
        ev_times, ev_sellers, ev_values = history_events(outcomes, seller, price_cents)
        buckets = self.plan.bucket(ev_times)
        keep = buckets < self.plan.n_blocks
        self.history.schedule(buckets[keep], ev_times[keep], ev_sellers[keep], ev_values[keep])
        return self.history.annotate(block, times, seller, declared)

    @staticmethod
    def _retail(
        rng: np.random.Generator,
        row: np.ndarray,
        line: list[str],
        low: np.ndarray,
        high: np.ndarray,
    ) -> np.ndarray:
        """Retail price of each item: its product line's own price point, give or take a variant.

        A line (model) has one list price within its brand and product type's range, the same
        in every run; sizes, materials and bundles move it by about 10%. Items without a line
        draw anywhere in the range.
        """
        anywhere = rng.uniform(0.0, 1.0, len(row))
        variant = rng.lognormal(0.0, 0.1, len(row))
        point = np.array(
            [
                zlib.crc32(f"{r}|{name}".encode()) / 2**32 if name else a
                for r, name, a in zip(row.tolist(), line, anywhere.tolist(), strict=True)
            ]
        )
        log_low, log_high = np.log(low), np.log(high)
        retail = np.exp(log_low + point * (log_high - log_low)) * np.where(
            [bool(name) for name in line], variant, 1.0
        )
        return np.clip(retail, low, high)

    def _lines(
        self, rng: np.random.Generator, recipe: np.ndarray, row: np.ndarray
    ) -> tuple[list[str], list[str]]:
        """Product line (model name) and product noun of each listing."""
        cat = self.catalog
        u = rng.random(len(row)).tolist()
        lines, nouns = [], []
        for r, name, draw in zip(row.tolist(), recipe, u, strict=True):
            options = cat.lines[r]
            if name == "legal_replica_word":
                options = tuple(o for o in options if "replica" in o.lower()) or options
            lines.append(options[int(draw * len(options))] if options else "")
            nouns.append(self._nouns[r])
        return lines, nouns

    def _conditions(
        self,
        rng: np.random.Generator,
        recipe: np.ndarray,
        kind: np.ndarray,
        is_fake: np.ndarray,
        formats: np.ndarray,
        format_condition: list[str],
    ) -> np.ndarray:
        condition = np.array([RECIPES[str(r)].condition for r in recipe], dtype=object)
        condition[formats] = np.array(format_condition, dtype=object)
        passed_off = is_fake & (kind == "individual") & (rng.random(len(recipe)) < 0.5)
        condition[passed_off] = "used"
        condition[rng.random(len(recipe)) < 0.01] = "other"
        return condition

    def _image_counts(self, rng: np.random.Generator, recipe: np.ndarray) -> np.ndarray:
        low = np.array([RECIPES[str(r)].images[0] for r in recipe])
        high = np.array([RECIPES[str(r)].images[1] for r in recipe])
        return rng.integers(low, high + 1)

    def _outcomes(
        self,
        rng: np.random.Generator,
        times: np.ndarray,
        recipe: np.ndarray,
        is_fake: np.ndarray,
        row: np.ndarray,
        price_ratio: np.ndarray,
    ) -> Outcomes:
        cat = self.catalog
        registered = cat.registered[row]
        base_report = np.array([RECIPES[str(r)].report_prob for r in recipe])
        report_prob = np.where(is_fake, base_report * np.where(registered, 1.0, 0.45), 0.0)
        report_days = np.where(registered, 3.0, 10.0) * np.where(recipe == "superfake", 2.0, 1.0)
        return_prob = np.array([RECIPES[str(r)].return_prob for r in recipe])
        return simulate_outcomes(rng, times, price_ratio, cat.popularity[row], report_prob,
                                 report_days, return_prob)  # fmt: skip

    def _seller_fields(
        self, times: np.ndarray, seller: np.ndarray, history: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Point-in-time seller_* fields: history before the start plus events before ``times``."""
        s = self.sellers
        fade = np.clip((self.plan.start + WINDOW_DAYS * SECONDS_PER_DAY - times)
                       / (WINDOW_DAYS * SECONDS_PER_DAY), 0.0, 1.0)  # fmt: skip
        n_ratings = s["prior_rating_n"][seller] + history["rating_n"]
        rating_sum = s["prior_rating_sum"][seller] + history["rating_sum"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rating = np.where(n_ratings > 0, rating_sum / n_ratings, np.nan)
        gmv_cents = np.round(s["prior_gmv_cents"][seller] * fade) + history["gmv_cents"]
        fields = {
            "seller_age_days": np.round((times - s["created"][seller]) / SECONDS_PER_DAY, 4),
            "seller_rating": np.round(rating, 3),
            "seller_n_ratings": n_ratings.astype(float),
            "seller_n_listings": (s["prior_listings"][seller] + history["listings"]).astype(float),
            "seller_n_takedowns": (s["prior_takedowns"][seller] + history["takedowns"]).astype(
                float
            ),
            "seller_n_brands": (s["prior_brands"][seller] + history["brands"]).astype(float),
            "seller_gmv_90d": gmv_cents / 100.0,
            "seller_orders_90d": np.round(s["prior_orders"][seller] * fade) + history["orders"],
            "seller_returns_90d": np.round(s["prior_returns"][seller] * fade) + history["returns"],
        }
        hidden = s["hidden"][seller]
        for name in _SELLER_FIELDS:
            fields[name] = np.where(hidden, np.nan, fields[name])
        return fields
