"""The simulation loop: one time block at a time, in ``created_at`` order.

For each block: suspend sellers with three takedowns and open replacement accounts; draw arrival
times; decide which listings are counterfeit and by which tactic (genuine ones: which case); find
each listing's seller and catalogue row; price it; write its text; draw its timeline; queue its
future events on the seller's record; answer the seller_* fields from the record; emit the rows.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.registry import BrandRegistry, load_registry
from cfdetect.resale import load_formats, load_resale
from cfdetect.simulate._catalog import Catalog, sample_weighted
from cfdetect.simulate._config import SECONDS_PER_DAY, SimulationConfig
from cfdetect.simulate._drift import DriftSchedule
from cfdetect.simulate._frame import typed_frame
from cfdetect.simulate._history import SellerHistory
from cfdetect.simulate._languages import check_language_shares, draw_languages, local_currencies
from cfdetect.simulate._market import MarketPrices
from cfdetect.simulate._pricing import charm_round, listing_prices
from cfdetect.simulate._sellers import (
    SUSPEND_AFTER_TAKEDOWNS,
    Network,
    SellerTable,
    open_accounts,
)
from cfdetect.simulate._tactics import (
    CASE_NAMES,
    CASES,
    COUNTERFEIT_KINDS,
    KIND_INDEX,
    RECIPES,
    SELLER_KINDS,
    TACTIC_NAMES,
    TACTICS,
)
from cfdetect.simulate._timeline import (
    WINDOW_DAYS,
    Outcomes,
    history_events,
    plan_blocks,
    simulate_outcomes,
)
from cfdetect.simulate._titles import (
    NetworkTemplate,
    TextMaker,
    humanize,
    make_template,
    period_vocab,
)
from cfdetect.simulate._vocab import profile_of
from cfdetect.simulate._world import World

_UNBRANDED_CASES = ("homage", "unbranded_generic", "long_tail_brand", "blank_wholesale")
_NEW_ACCOUNT_CASES = ("new_genuine_seller", "closet_clearout")
_IMPORT_COUNTRIES = np.array(["JP", "HK", "DE", "IT", "AE", "KR", "SG", "GB"], dtype=object)
ACCOUNT_LIFE_DAYS = 60.0
"""Mean days a counterfeit account keeps listing before it is abandoned (and replaced)."""
BURST_ACCOUNT_LIFE_DAYS = (2.0, 20.0)
NEW_TARGET_BOOST = 2.5
EXPORT_GAP_SHARE = 0.03
"""Share of rows where each of ``_GAPPY_COLUMNS`` is missing, whatever the label."""
_GAPPY_COLUMNS = ("description", "condition", "quantity", "ships_from", "image_count")
_TAKEN_OVER = ("small_shop", "established_reseller", "individual")
_TAKEN_OVER_WEIGHTS = np.array([0.5, 0.3, 0.2])
_SELLER_FIELDS = ("seller_age_days", "seller_rating", "seller_n_ratings", "seller_n_listings",
                  "seller_n_takedowns", "seller_n_brands", "seller_gmv_90d", "seller_orders_90d",
                  "seller_returns_90d")  # fmt: skip


class Simulator:
    """One simulated marketplace; ``blocks()`` yields its listings block by block.

    Parameters
    ----------
    config : SimulationConfig
        The settings.
    registry : BrandRegistry, optional
        Brands to simulate; default: the shipped registry.
    world : World, optional
        A world that differs from the default (``cfdetect.simulate._world``); None: the default
        world, unchanged.

    Examples
    --------
    >>> frames = list(Simulator(SimulationConfig(n_listings=200, days=30)).blocks())
    >>> sum(len(f) for f in frames)
    200
    """

    def __init__(
        self,
        config: SimulationConfig,
        registry: BrandRegistry | None = None,
        world: World | None = None,
    ) -> None:
        self.config = config
        self.world = world
        self.catalog = Catalog.from_registry(registry if registry is not None else load_registry())
        if world is not None:
            cat = self.catalog
            self.catalog = replace(
                cat, popularity=world.popularity(cat.popularity, cat.category, cat.brand)
            )
        self.market = MarketPrices(self.catalog, load_resale(), load_formats())
        root = np.random.SeedSequence(config.seed)
        setup_seed, block_seed = root.spawn(2)
        rng = np.random.default_rng(setup_seed)
        self.schedule = DriftSchedule(config.drift, config.n_periods)
        self.plan = plan_blocks(config, rng)
        self.block_seeds = block_seed.spawn(self.plan.n_blocks)
        self.vocab = [period_vocab(self.schedule, p) for p in range(config.n_periods)]
        self.language_shares = check_language_shares(config.language_shares)
        self.tactic_weights = self.schedule.weights(TACTICS)
        if world is not None:
            self.tactic_weights = world.tactic_mix(self.tactic_weights, TACTIC_NAMES)
        self.case_weights = self.schedule.weights(CASES)
        self.brand_intro = self.schedule.intro_phases(rng, len(self.catalog.brands), 0.4)
        self.sellers = SellerTable()
        self.history = SellerHistory()
        self.targets = self._open_initial_sellers(rng)
        self.networks = self._make_networks(rng)
        self.history.ensure(len(self.sellers))
        self.first_row = np.concatenate([[0], np.cumsum(self.plan.counts)[:-1]])
        self.id_width = max(7, len(str(config.n_listings)))
        cat = self.catalog
        self._nouns = [humanize(product_type) for product_type in cat.product_type]
        self._generic_price = np.array(
            [
                profile_of(c, t).generic_price_usd
                for c, t in zip(cat.category, cat.product_type, strict=True)
            ]
        )
        self._brand_first_row = np.searchsorted(cat.brand_index, np.arange(len(cat.brands)))
        self._brand_end_row = np.searchsorted(cat.brand_index, np.arange(len(cat.brands)), "right")

    # --- setup -------------------------------------------------------------------------------

    def _expected_listings(self) -> dict[str, float]:
        """Listings each seller kind is expected to make, from the recipe mixes."""
        n, rate = self.config.n_listings, self.config.counterfeit_rate
        expected = dict.fromkeys(KIND_INDEX, 0.0)
        mixes = [(CASES, self.case_weights.mean(axis=0), 1 - rate),
                 (TACTICS, self.tactic_weights.mean(axis=0), rate)]  # fmt: skip
        for recipes, weights, share in mixes:
            for recipe, weight in zip(recipes, weights, strict=True):
                if recipe.name in (*_NEW_ACCOUNT_CASES, "burst_new_accounts", "hijacked_account"):
                    continue
                total = sum(w for _, w in recipe.kinds)
                for kind, w in recipe.kinds:
                    expected[kind] += n * share * weight * w / total
        return expected

    def _open_initial_sellers(self, rng: np.random.Generator) -> dict[str, int]:
        start = self.plan.start
        expected = self._expected_listings()
        targets: dict[str, int] = {}
        for spec in SELLER_KINDS:
            if spec.name in ("authorised_store", "counterfeit_network"):
                continue
            count = max(2, math.ceil(expected[spec.name] / spec.listings_per_seller))
            targets[spec.name] = count
            if spec.name == "casual_counterfeiter":
                self._open_counterfeit_accounts(rng, spec.name, count, start, spec.age_days)
                continue
            age = np.expm1(rng.uniform(*np.log1p(spec.age_days), count))
            created = start - (age * SECONDS_PER_DAY).astype(np.int64)
            open_accounts(self.sellers, rng, self.catalog, spec.name, created, start=start,
                          with_history=True)  # fmt: skip
        authorised = self.catalog.authorised
        if authorised:
            spec = SELLER_KINDS[KIND_INDEX["authorised_store"]]
            count = len(authorised)
            age = np.expm1(rng.uniform(*np.log1p(spec.age_days), count))
            created = start - (age * SECONDS_PER_DAY).astype(np.int64)
            first_brand = np.array([brands[0] for brands in authorised.values()])
            focus = self.catalog.category_index[self._rows_of_brands(first_brand)]
            index = open_accounts(self.sellers, rng, self.catalog, "authorised_store", created,
                                  start=start, focus=focus, with_history=True)  # fmt: skip
            self.sellers["seller_id"][index] = np.array(list(authorised), dtype=object)
            self.sellers["activity"][index] *= 3.0
            self._authorised = (index, [authorised[s] for s in authorised])
        else:
            self._authorised = (np.zeros(0, np.int64), [])
        return targets

    def _rows_of_brands(self, brands: np.ndarray) -> np.ndarray:
        """First catalogue row of each brand."""
        return np.searchsorted(self.catalog.brand_index, brands)

    def _make_networks(self, rng: np.random.Generator) -> list[Network]:
        cat, plan = self.catalog, self.plan
        expected = self._expected_listings()["counterfeit_network"]
        burst_share = self.tactic_weights.mean(axis=0)[TACTIC_NAMES.index("burst_new_accounts")]
        expected += self.config.n_listings * self.config.counterfeit_rate * burst_share
        n_networks = max(2, round(expected / 500))
        intro = self.schedule.intro_phases(rng, n_networks, 0.4)
        intro[0] = 0.0
        accounts = np.clip(np.round(expected / n_networks / 12), 3, 40).astype(int)
        brand_weight = np.bincount(cat.brand_index, cat.popularity * cat.fake_appeal,
                                   minlength=len(cat.brands))  # fmt: skip
        networks = []
        text_rng = random.Random(int(rng.integers(2**62)))
        n_periods = self.config.n_periods
        for i in range(n_networks):
            period = math.ceil(intro[i] * (n_periods - 1) - 1e-9)
            start = int(plan.start + period * plan.period_span)
            end = self.config.end_seconds
            if self.config.drift and i > 0:  # early networks break up; one lasts throughout
                end = int(plan.start + rng.uniform(0.5, 1.5) * n_periods * plan.period_span)
            usable = brand_weight * (self.brand_intro <= intro[i] + 1e-9)
            k = min(int(rng.integers(3, 9)), int((usable > 0).sum()))
            brands = rng.choice(len(cat.brands), size=k, replace=False, p=usable / usable.sum())
            rows = np.flatnonzero(np.isin(cat.brand_index, brands))
            spec = SELLER_KINDS[KIND_INDEX["counterfeit_network"]]
            countries = [c for c, _ in spec.ships_from]
            weights = np.array([w for _, w in spec.ships_from], dtype=float)
            network = Network(
                index=i,
                start=start,
                rows=rows,
                end=end,
                templates=self._templates(text_rng, period),
                accounts=int(accounts),
                ships_from=countries[int(sample_weighted(rng, weights, 1)[0])],
            )
            networks.append(network)
            self._open_network_accounts(rng, network, network.accounts, start, (1.0, 120.0))
        return networks

    def _templates(self, text_rng: random.Random, first_period: int) -> tuple[NetworkTemplate, ...]:
        """A network's title template per period: rotated each period under drift (more of them
        copy retail catalogue titles later), one template throughout without drift."""
        n_periods = self.config.n_periods
        if not self.config.drift:
            return (make_template(text_rng, self.vocab[0], 0.4),) * n_periods
        templates = []
        for period in range(n_periods):
            phase = self.schedule.phase(max(period, first_period))
            vocab = self.vocab[max(period, first_period)]
            templates.append(make_template(text_rng, vocab, 0.15 + 0.6 * phase))
        return tuple(templates)

    def _open_network_accounts(
        self, rng: np.random.Generator, network: Network, n: int, at: int, age: tuple[float, float]
    ) -> np.ndarray:
        return self._open_counterfeit_accounts(
            rng, "counterfeit_network", n, at, age, focus=-1, network=network.index,
            ships_from=network.ships_from,
        )  # fmt: skip

    def _aged_share(self, at: int) -> float:
        """Share of new counterfeit accounts that are old accounts bought or taken over.

        Under drift it grows from 20% to 65% over the span (sellers adapt to screening that
        weighs account history); without drift it is 40% throughout.
        """
        if self.world is not None and self.world.counterfeit_aged_share is not None:
            return self.world.counterfeit_aged_share
        if not self.config.drift:
            return 0.4
        period = int(self.plan.period(np.array([at]))[0])
        return 0.2 + 0.45 * self.schedule.phase(period)

    def _open_counterfeit_accounts(
        self,
        rng: np.random.Generator,
        kind: str,
        n: int,
        at: int,
        fresh_age_days: tuple[float, float],
        **options: object,
    ) -> np.ndarray:
        """Open counterfeit accounts: fresh ones, or aged ones (bought or taken over) that carry
        the history of the small shop, reseller or private seller they used to be."""
        aged = rng.random(n) < self._aged_share(at)
        past = np.array(_TAKEN_OVER, dtype=object)[sample_weighted(rng, _TAKEN_OVER_WEIGHTS, n)]
        past[~aged] = ""
        age_days = np.where(aged, rng.uniform(300, 2500, n), rng.uniform(*fresh_age_days, n))
        created = at - (age_days * SECONDS_PER_DAY).astype(np.int64)
        closes = at + (rng.exponential(ACCOUNT_LIFE_DAYS, n) * SECONDS_PER_DAY).astype(np.int64)
        index = np.zeros(n, dtype=np.int64)
        for history_like in np.unique(past):
            part = past == history_like
            index[part] = open_accounts(
                self.sellers, rng, self.catalog, kind, created[part], start=self.plan.start,
                with_history=True, history_like=str(history_like) or None,
                closes_at=closes[part], **options,  # type: ignore[arg-type]
            )  # fmt: skip
        self.history.ensure(len(self.sellers))
        return index

    # --- per block ---------------------------------------------------------------------------

    def blocks(self) -> Iterator[pd.DataFrame]:
        """Yield the listings of each non-empty block, in ``created_at`` order."""
        for block in range(self.plan.n_blocks):
            frame = self._block(block)
            if frame is not None:
                yield frame

    def _suspend_and_replace(self, rng: np.random.Generator, at: int) -> None:
        sellers = self.sellers
        caught = self.history.totals[: len(sellers), 0] >= SUSPEND_AFTER_TAKEDOWNS
        newly = caught & (sellers["closed_at"] > at)
        sellers["closed_at"][newly] = at
        open_now = sellers.eligible(at)
        live_kind = np.bincount(sellers["kind"][open_now], minlength=len(SELLER_KINDS))
        ages = {"casual_counterfeiter": (0.5, 30.0), "superfake_seller": (200.0, 2000.0)}
        for kind, age in ages.items():
            missing = self.targets[kind] - int(live_kind[KIND_INDEX[kind]])
            if missing > 0:
                self._open_counterfeit_accounts(rng, kind, missing, at, age)
        live_network = np.bincount(
            sellers["network"][open_now] + 1, minlength=len(self.networks) + 1
        )
        for network in self.networks:
            missing = network.accounts - int(live_network[network.index + 1])
            if network.start <= at < network.end and missing > 0:
                self._open_network_accounts(rng, network, missing, at, (0.1, 7.0))
        self.history.ensure(len(sellers))

    def _block(self, block: int) -> pd.DataFrame | None:
        rng = np.random.default_rng(self.block_seeds[block])
        text = TextMaker(random.Random(int(rng.integers(2**62))))
        t0 = self.plan.block_start(block)
        t1 = t0 + self.plan.span
        self._suspend_and_replace(rng, t0)
        times = self.plan.arrivals(rng, block)
        n = len(times)
        if n == 0:
            self.history.annotate(block, np.zeros(0, np.int64), np.zeros(0, np.int64), [])
            return None
        period = self.plan.period(times)
        is_fake = rng.random(n) < self.config.counterfeit_rate
        recipe = self._recipes(rng, is_fake, period)
        kind = self._kinds(rng, recipe)
        seller = np.full(n, -1, dtype=np.int64)
        row = np.full(n, -1, dtype=np.int64)
        self._assign_bursts(rng, recipe == "burst_new_accounts", times, seller, row, t0, t1)
        period = self.plan.period(times)
        network_rows = (kind == "counterfeit_network") & (seller < 0)
        self._assign_networks(rng, network_rows, seller, row, period, t0)
        self._retarget(rng, recipe, seller >= 0, row)
        self._assign_new_genuine(rng, np.isin(recipe, _NEW_ACCOUNT_CASES), kind, times, seller,
                                 row, recipe)  # fmt: skip
        self._assign_hijacked(rng, recipe == "hijacked_account", period, seller, row, t0)
        self._assign_authorised(
            rng, (kind == "authorised_store") & (seller < 0), recipe, seller, row
        )
        self._assign_pools(rng, seller < 0, recipe, kind, is_fake, period, seller, row, t0)

        order = np.argsort(times, kind="stable")
        times, period, is_fake, recipe, seller, row = (
            a[order] for a in (times, period, is_fake, recipe, seller, row)
        )
        return self._rows(rng, text, block, times, period, is_fake, recipe, seller, row)

    def _recipes(
        self, rng: np.random.Generator, is_fake: np.ndarray, period: np.ndarray
    ) -> np.ndarray:
        recipe = np.empty(len(is_fake), dtype=object)
        tactics = np.array(TACTIC_NAMES, dtype=object)
        for p in np.unique(period[is_fake]):
            rows = is_fake & (period == p)
            recipe[rows] = tactics[sample_weighted(rng, self.tactic_weights[p], int(rows.sum()))]
        genuine = ~is_fake
        cases = np.array(CASE_NAMES, dtype=object)
        for p in np.unique(period[genuine]):
            rows = genuine & (period == p)
            recipe[rows] = cases[sample_weighted(rng, self.case_weights[p], int(rows.sum()))]
        return recipe

    def _kinds(self, rng: np.random.Generator, recipe: np.ndarray) -> np.ndarray:
        kind = np.empty(len(recipe), dtype=object)
        for name in np.unique(recipe):
            rows = recipe == name
            names = np.array([k for k, _ in RECIPES[name].kinds], dtype=object)
            weights = np.array([w for _, w in RECIPES[name].kinds], dtype=float)
            kind[rows] = names[sample_weighted(rng, weights, int(rows.sum()))]
        if not len(self._authorised[0]):
            kind[kind == "authorised_store"] = "established_reseller"
        return kind

    def _fake_rows(
        self, rng: np.random.Generator, period: np.ndarray, luxury: np.ndarray
    ) -> np.ndarray:
        """Catalogue rows of counterfeits: brands targeted by then, popular and appealing.

        Brands that become targets later are hot once they do (weight x2.5).
        """
        cat = self.catalog
        out = np.zeros(len(period), dtype=np.int64)
        intro = self.brand_intro[cat.brand_index]
        for p in np.unique(period):
            phase = self.schedule.phase(int(p))
            targeted = (intro <= phase + 1e-9) * np.where(intro > 0, NEW_TARGET_BOOST, 1.0)
            for lux in (False, True):
                rows = (period == p) & (luxury == lux)
                if rows.any():
                    weights = cat.counterfeit_weights(phase, lux, self.config.drift) * targeted
                    out[rows] = sample_weighted(rng, weights, int(rows.sum()))
        return out

    def _assign_bursts(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        times: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        t0: int,
        t1: int,
    ) -> None:
        """Bursts: a network opens a few accounts and lists dozens of items within hours."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        started = [net for net in self.networks if net.start <= t0 < net.end] or self.networks[:1]
        n_bursts = max(1, round(len(index) / 30))
        burst_of = rng.integers(0, n_bursts, len(index))
        latest = max(t0 + 1, t1 - 6 * 3600)
        for b in range(n_bursts):
            rows = index[burst_of == b]
            if not len(rows):
                continue
            network = started[int(rng.integers(len(started)))]
            center = int(rng.integers(t0, latest))
            n_accounts = int(rng.integers(2, 7))
            created = center - rng.uniform(1800, 3 * SECONDS_PER_DAY, n_accounts).astype(np.int64)
            lifetime = rng.uniform(*BURST_ACCOUNT_LIFE_DAYS, n_accounts) * SECONDS_PER_DAY
            accounts = open_accounts(
                self.sellers, rng, self.catalog, "counterfeit_network", created,
                start=self.plan.start, focus=-1, network=network.index,
                ships_from=network.ships_from, closes_at=center + lifetime.astype(np.int64),
            )  # fmt: skip
            seller[rows] = accounts[rng.integers(0, n_accounts, len(rows))]
            times[rows] = np.minimum(center + rng.integers(0, 6 * 3600, len(rows)), t1 - 1)
            row[rows] = self._network_rows(rng, network, len(rows))
        self.history.ensure(len(self.sellers))

    def _network_rows(self, rng: np.random.Generator, network: Network, n: int) -> np.ndarray:
        cat = self.catalog
        weights = cat.popularity[network.rows] * cat.fake_appeal[network.rows]
        return network.rows[sample_weighted(rng, weights, n)]

    def _assign_networks(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        period: np.ndarray,
        t0: int,
    ) -> None:
        index = np.flatnonzero(mask)
        if not len(index):
            return
        started = [net for net in self.networks if net.start <= t0 < net.end] or self.networks[:1]
        choice = rng.integers(0, len(started), len(index))
        open_now = self.sellers.eligible(t0)
        for j, network in enumerate(started):
            rows = index[choice == j]
            if not len(rows):
                continue
            accounts = open_now[self.sellers["network"][open_now] == network.index]
            if not len(accounts):
                accounts = self._open_network_accounts(rng, network, 3, t0, (0.1, 7.0))
            weights = self.sellers["activity"][accounts]
            seller[rows] = accounts[sample_weighted(rng, weights, len(rows))]
            row[rows] = self._network_rows(rng, network, len(rows))

    def _assign_new_genuine(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        kind: np.ndarray,
        times: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        recipe: np.ndarray,
    ) -> None:
        """Brand-new genuine accounts: opened hours to weeks before their first listing (shops
        starting out, and private sellers clearing out their own things)."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        for name in _NEW_ACCOUNT_CASES:
            part = index[recipe[index] == name]
            weights = self.catalog.genuine_weights(name)
            row[part] = sample_weighted(rng, weights, len(part))
        focus = self.catalog.category_index[row[index]]
        age = np.expm1(rng.uniform(np.log1p(0.02), np.log1p(25.0), len(index)))
        created = times[index] - (age * SECONDS_PER_DAY).astype(np.int64)
        for name in np.unique(kind[index]):
            part = kind[index] == name
            seller[index[part]] = open_accounts(
                self.sellers, rng, self.catalog, name, created[part], start=self.plan.start,
                focus=focus[part],
            )  # fmt: skip
        self.history.ensure(len(self.sellers))

    def _retarget(
        self, rng: np.random.Generator, recipe: np.ndarray, mask: np.ndarray, row: np.ndarray
    ) -> None:
        """Rows of the tactics tied to some products (jerseys, beauty, small tech, dupes)."""
        for name in np.unique(recipe[mask]):
            targeted = self.catalog.fake_target_weights(str(name))
            if targeted is not None:
                rows = np.flatnonzero(mask & (recipe == name))
                row[rows] = sample_weighted(rng, targeted, len(rows))

    def _assign_hijacked(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        period: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        t0: int,
    ) -> None:
        """Dormant private accounts taken over: years old, a few good ratings, then a run of
        cheap branded goods (one account per five or so listings)."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        n_accounts = max(1, len(index) // 5)
        age = rng.uniform(700, 3500, n_accounts)
        created = t0 - (age * SECONDS_PER_DAY).astype(np.int64)
        closes = t0 + (rng.uniform(2, 30, n_accounts) * SECONDS_PER_DAY).astype(np.int64)
        accounts = open_accounts(
            self.sellers, rng, self.catalog, "casual_counterfeiter", created,
            start=self.plan.start, focus=-1, with_history=True, history_like="individual",
            closes_at=closes,
        )  # fmt: skip
        self.history.ensure(len(self.sellers))
        seller[index] = accounts[rng.integers(0, n_accounts, len(index))]
        row[index] = self._fake_rows(rng, period[index], np.zeros(len(index), dtype=bool))

    def _assign_authorised(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        recipe: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
    ) -> None:
        """Authorised stores sell the brands the registry authorises them for."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        stores, brands = self._authorised
        pair_store = np.concatenate(
            [np.full(len(b), s) for s, b in zip(stores, brands, strict=True)]
        )
        pair_brand = np.concatenate(brands)
        share = np.concatenate([np.full(len(b), 1.0 / len(b)) for b in brands])
        pick = sample_weighted(rng, self.sellers["activity"][pair_store] * share, len(index))
        seller[index] = pair_store[pick]
        row[index] = self._row_within_brand(rng, pair_brand[pick])

    def _row_within_brand(self, rng: np.random.Generator, brands: np.ndarray) -> np.ndarray:
        """A catalogue row of each given brand, weighted by popularity."""
        cum = np.concatenate([[0.0], np.cumsum(self.catalog.popularity)])
        low = cum[self._brand_first_row[brands]]
        high = cum[self._brand_end_row[brands]]
        target = low + rng.random(len(brands)) * (high - low)
        found = np.searchsorted(cum, target, side="right") - 1
        return np.clip(found, self._brand_first_row[brands], self._brand_end_row[brands] - 1)

    def _assign_pools(
        self,
        rng: np.random.Generator,
        mask: np.ndarray,
        recipe: np.ndarray,
        kind: np.ndarray,
        is_fake: np.ndarray,
        period: np.ndarray,
        seller: np.ndarray,
        row: np.ndarray,
        t0: int,
    ) -> None:
        """Everyone else: pick the product first, then a seller of the kind who sells it."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        fake = index[is_fake[index]]
        luxury = recipe[fake] == "superfake"
        row[fake] = self._fake_rows(rng, period[fake], luxury)
        self._retarget(rng, recipe, np.isin(np.arange(len(recipe)), fake), row)
        genuine = index[~is_fake[index]]
        for name in np.unique(recipe[genuine]):
            rows = genuine[recipe[genuine] == name]
            weights = self.catalog.genuine_weights(str(name))
            if name == "genuine_format":
                weights = weights * self.market.has_format
            row[rows] = sample_weighted(rng, weights, len(rows))

        sellers = self.sellers
        open_now = sellers.eligible(t0)
        open_now = open_now[sellers["network"][open_now] < 0]
        category = self.catalog.category_index[row]
        for name in np.unique(kind[index]):
            counterfeit_kind = name in COUNTERFEIT_KINDS
            of_kind = open_now[sellers["kind"][open_now] == KIND_INDEX[name]]
            for needs_fakes in (False, True):
                rows = index[(kind[index] == name) & (is_fake[index] == needs_fakes)]
                if not len(rows):
                    continue
                pool = of_kind
                if needs_fakes and not counterfeit_kind:
                    pool = of_kind[sellers["sells_fakes"][of_kind]]
                for c in np.unique(category[rows]):
                    part = rows[category[rows] == c]
                    focus = sellers["focus"][pool]
                    candidates = pool[(focus == c) | (focus < 0)]
                    if not len(candidates):
                        created = t0 - (rng.uniform(1, 60, 2) * SECONDS_PER_DAY).astype(np.int64)
                        candidates = open_accounts(
                            sellers, rng, self.catalog, str(name), created,
                            start=self.plan.start, focus=np.full(2, c),
                        )  # fmt: skip
                        sellers["sells_fakes"][candidates] = needs_fakes
                    weights = sellers["activity"][candidates]
                    seller[part] = candidates[sample_weighted(rng, weights, len(part))]
        self.history.ensure(len(sellers))

    # --- rows --------------------------------------------------------------------------------

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
        currency = local_currencies(languages, sellers["currency"][seller], currency_draw)
        usd_per_unit = np.array([USD_PER_UNIT[c] for c in currency])
        local = charm_round(rng, price_usd / usd_per_unit, is_fake)
        price_usd = local * usd_per_unit

        titles, descriptions, declared = [], [], []
        own_brand = sellers["own_brand"][seller]

        category = cat.category[row].copy()
        misplaced = (recipe == "implausible_bundle") & (rng.random(n) < 0.5)
        category[misplaced] = np.array(cat.categories, dtype=object)[
            rng.integers(0, len(cat.categories), int(misplaced.sum()))
        ]
        ships = sellers["ships_from"][seller].copy()  # before the text: shipping notes use it
        imports = recipe == "parallel_import"
        ships[imports] = _IMPORT_COUNTRIES[
            rng.integers(0, len(_IMPORT_COUNTRIES), int(imports.sum()))
        ]
        networks = sellers["network"][seller]
        for i in range(n):
            text.format_name = fmt[i]
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

        sale_ratio = np.where(accessory, 1.0, price_usd / retail)
        outcomes = self._outcomes(rng, times, recipe, is_fake, row, sale_ratio)
        price_cents = np.round(price_usd * 100).astype(np.int64)
        ev_times, ev_sellers, ev_values = history_events(outcomes, seller, price_cents)
        buckets = self.plan.bucket(ev_times)
        keep = buckets < self.plan.n_blocks
        self.history.schedule(buckets[keep], ev_times[keep], ev_sellers[keep], ev_values[keep])
        history = self.history.annotate(block, times, seller, declared)

        true_brand = np.where(unbranded | accessory, own_brand, cat.brand[row])
        long_tail = recipe == "long_tail_brand"
        true_brand[long_tail] = [titles[i].split(" ", 1)[0] for i in np.flatnonzero(long_tail)]
        first = self.first_row[block]
        frame = {
            "listing_id": [f"L{first + i:0{self.id_width}d}" for i in range(n)],
            "title": titles,
            "price": local,
            "seller_id": sellers["seller_id"][seller],
            "description": descriptions,
            "brand": declared,
            "category": category,
            "currency": currency,
            "condition": self._conditions(rng, recipe, kind, is_fake, formats, format_condition),
            "quantity": quantity,
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
            "reference_price_usd": np.round(reference, 2),
            "true_brand": true_brand,
            "product_type": cat.product_type[row],
            "returned_at": outcomes.returned,
            "language": languages,
        }
        for name in _GAPPY_COLUMNS:  # marketplace exports leave some fields empty
            frame[name] = np.where(rng.random(n) < EXPORT_GAP_SHARE, None, frame[name])
        return typed_frame(frame)

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
