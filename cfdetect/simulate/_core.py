"""The simulation loop: one time block at a time, in ``created_at`` order.

For each block: suspend sellers with three takedowns and open replacement accounts; draw arrival
times; decide which listings are counterfeit and by which tactic (genuine ones: which case); find
each listing's seller and catalogue row; price it; write its text; draw its timeline; queue its
future events on the seller's record; answer the seller_* fields from the record; emit the rows.

``Simulator`` is put together from its parts, one concern each: ``_accounts`` (opening and
suspending accounts), ``_assign`` (each listing's seller and catalogue row) and ``_rows`` (the
rows of a block); this module holds the setup and the loop.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from cfdetect.registry import BrandRegistry, load_registry
from cfdetect.resale import load_formats, load_resale
from cfdetect.simulate._accounts import NEW_ACCOUNT_CASES
from cfdetect.simulate._assign import SellerAssignment
from cfdetect.simulate._catalog import Catalog, sample_weighted
from cfdetect.simulate._config import SimulationConfig
from cfdetect.simulate._drift import DriftSchedule
from cfdetect.simulate._history import SellerHistory
from cfdetect.simulate._languages import check_language_shares
from cfdetect.simulate._market import MarketPrices
from cfdetect.simulate._rows import ListingRows
from cfdetect.simulate._sellers import SellerTable
from cfdetect.simulate._tactics import (
    CASE_NAMES,
    CASES,
    RECIPES,
    TACTIC_NAMES,
    TACTICS,
)
from cfdetect.simulate._timeline import plan_blocks
from cfdetect.simulate._titles import TextMaker, humanize, period_vocab
from cfdetect.simulate._vocab import profile_of
from cfdetect.simulate._world import World


class Simulator(SellerAssignment, ListingRows):
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

    # --- per block ---------------------------------------------------------------------------

    def blocks(self) -> Iterator[pd.DataFrame]:
        """Yield the listings of each non-empty block, in ``created_at`` order."""
        for block in range(self.plan.n_blocks):
            frame = self._block(block)
            if frame is not None:
                yield frame

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
        self._assign_new_genuine(rng, np.isin(recipe, NEW_ACCOUNT_CASES), kind, times, seller,
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
