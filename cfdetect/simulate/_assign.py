"""Which seller lists each listing, and which catalogue row it is: bursts and networks of
counterfeit accounts, brand-new genuine accounts, hijacked accounts, authorised stores, and the
pools of everyone else. A part of ``Simulator`` (``cfdetect.simulate._core``).
"""

from __future__ import annotations

import numpy as np

from cfdetect.simulate._accounts import NEW_ACCOUNT_CASES, SellerAccounts
from cfdetect.simulate._catalog import sample_weighted
from cfdetect.simulate._config import SECONDS_PER_DAY
from cfdetect.simulate._market import MarketPrices
from cfdetect.simulate._sellers import Network, open_accounts
from cfdetect.simulate._tactics import COUNTERFEIT_KINDS, KIND_INDEX

BURST_ACCOUNT_LIFE_DAYS = (2.0, 20.0)
NEW_TARGET_BOOST = 2.5


class SellerAssignment(SellerAccounts):
    """The part of ``Simulator`` that finds each listing's seller and catalogue row."""

    market: MarketPrices
    _brand_first_row: np.ndarray
    _brand_end_row: np.ndarray

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
        for name in NEW_ACCOUNT_CASES:
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
