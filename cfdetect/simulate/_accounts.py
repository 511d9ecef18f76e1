"""Opening and closing seller accounts: the sellers at the start, the counterfeit networks,
counterfeit accounts (fresh, or old ones bought or taken over), suspension after three takedowns
and the replacement accounts. A part of ``Simulator`` (``cfdetect.simulate._core``).
"""

from __future__ import annotations

import math
import random

import numpy as np

from cfdetect.simulate._catalog import Catalog, sample_weighted
from cfdetect.simulate._config import SECONDS_PER_DAY, SimulationConfig
from cfdetect.simulate._drift import DriftSchedule
from cfdetect.simulate._history import SellerHistory
from cfdetect.simulate._sellers import (
    SUSPEND_AFTER_TAKEDOWNS,
    Network,
    SellerTable,
    open_accounts,
)
from cfdetect.simulate._tactics import CASES, KIND_INDEX, SELLER_KINDS, TACTIC_NAMES, TACTICS
from cfdetect.simulate._timeline import BlockPlan
from cfdetect.simulate._titles import NetworkTemplate, make_template
from cfdetect.simulate._world import World

NEW_ACCOUNT_CASES = ("new_genuine_seller", "closet_clearout")
"""Genuine cases whose listings come from accounts opened just before them."""
ACCOUNT_LIFE_DAYS = 60.0
"""Mean days a counterfeit account keeps listing before it is abandoned (and replaced)."""
_TAKEN_OVER = ("small_shop", "established_reseller", "individual")
_TAKEN_OVER_WEIGHTS = np.array([0.5, 0.3, 0.2])


class SellerAccounts:
    """The accounts part of ``Simulator``: its sellers, networks and their openings."""

    config: SimulationConfig
    world: World | None
    catalog: Catalog
    schedule: DriftSchedule
    plan: BlockPlan
    vocab: list
    tactic_weights: np.ndarray
    case_weights: np.ndarray
    brand_intro: np.ndarray
    sellers: SellerTable
    history: SellerHistory
    targets: dict[str, int]
    networks: list[Network]
    _authorised: tuple[np.ndarray, list]

    def _expected_listings(self) -> dict[str, float]:
        """Listings each seller kind is expected to make, from the recipe mixes."""
        n, rate = self.config.n_listings, self.config.counterfeit_rate
        expected = dict.fromkeys(KIND_INDEX, 0.0)
        mixes = [(CASES, self.case_weights.mean(axis=0), 1 - rate),
                 (TACTICS, self.tactic_weights.mean(axis=0), rate)]  # fmt: skip
        for recipes, weights, share in mixes:
            for recipe, weight in zip(recipes, weights, strict=True):
                if recipe.name in (*NEW_ACCOUNT_CASES, "burst_new_accounts", "hijacked_account"):
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
