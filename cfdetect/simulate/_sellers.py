"""Sellers: who they are, their history before the simulation, and how listings find them.

A seller is a row of ``SellerTable``. Sellers that exist at the start carry an *initial* history
(listings, distinct brands, takedowns and ratings before the start, plus the 90-day GMV, orders
and returns as of the start, which leave the window linearly over the first 90 days). Accounts
opened during the simulation (new counterfeiters, network accounts, burst accounts, new genuine
sellers) start from nothing. A seller reported three times inside the simulation is suspended;
counterfeit accounts are also abandoned after a while and replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cfdetect.simulate._catalog import Catalog, sample_weighted
from cfdetect.simulate._config import SECONDS_PER_DAY
from cfdetect.simulate._tactics import KIND_INDEX, SELLER_KINDS, SellerKind
from cfdetect.simulate._titles import NetworkTemplate
from cfdetect.simulate._vocab import MAKER_SYLLABLES_A, MAKER_SYLLABLES_B, profile_of

NEVER = np.iinfo(np.int64).max
SUSPEND_AFTER_TAKEDOWNS = 3
_LOCAL_CURRENCY = {"DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR", "NL": "EUR", "GB": "GBP"}
_MAKERS = ("accessory_maker", "unbranded_merchant")

_NUMERIC: dict[str, type] = {
    "kind": np.int64, "focus": np.int64, "network": np.int64, "created": np.int64,
    "closed_at": np.int64, "activity": np.float64, "hidden": np.bool_,
    "sells_fakes": np.bool_, "prior_listings": np.int64, "prior_brands": np.int64,
    "prior_takedowns": np.int64, "prior_rating_n": np.int64, "prior_rating_sum": np.int64,
    "prior_gmv_cents": np.int64, "prior_orders": np.int64, "prior_returns": np.int64,
}  # fmt: skip
_TEXT = ("seller_id", "ships_from", "currency", "own_brand")


class SellerTable:
    """Column store of all sellers, growing as accounts open.

    Examples
    --------
    >>> table = SellerTable()
    >>> len(table)
    0
    """

    def __init__(self) -> None:
        self._columns: dict[str, np.ndarray] = {k: np.zeros(64, t) for k, t in _NUMERIC.items()}
        self._columns.update({k: np.zeros(64, object) for k in _TEXT})
        self._n = 0
        self._ids: set[str] = set()

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, name: str) -> np.ndarray:
        """A writable view of one column."""
        return self._columns[name][: self._n]

    def add(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Append sellers (one array per column, all the same length); return their indices."""
        n = len(values["kind"])
        first = self._n
        capacity = len(self._columns["kind"])
        if first + n > capacity:
            grown = max(2 * capacity, first + n)
            for name, column in self._columns.items():
                bigger = np.zeros(grown, column.dtype)
                bigger[:first] = column[:first]
                self._columns[name] = bigger
        for name, column in self._columns.items():
            column[first : first + n] = values[name]
        self._n = first + n
        self._ids.update(values["seller_id"])
        return np.arange(first, first + n)

    def fresh_ids(self, rng: np.random.Generator, n: int) -> list[str]:
        """``n`` new opaque seller ids ("S" and eight digits) unused so far."""
        ids: dict[str, None] = {}
        while len(ids) < n:
            for number in rng.integers(10_000_000, 100_000_000, size=n - len(ids)).tolist():
                candidate = f"S{number}"
                if candidate not in self._ids:
                    ids[candidate] = None
        return list(ids)

    def eligible(self, at: int) -> np.ndarray:
        """Indices of sellers open (created, neither abandoned nor suspended) at time ``at``."""
        return np.flatnonzero((self["created"] < at) & (self["closed_at"] > at))


@dataclass(frozen=True)
class Network:
    """An organised counterfeit network running many accounts.

    Attributes
    ----------
    index : int
        Value of the sellers' ``network`` column.
    start, end : int
        When it begins and stops listing (s).
    rows : ndarray of int
        Catalogue rows it targets.
    templates : tuple of NetworkTemplate
        Title template shared by its accounts, per period (rotated when drifting).
    accounts : int
        Accounts it keeps open, replacing suspended ones.
    ships_from : str
        Its warehouse country.
    """

    index: int
    start: int
    end: int
    rows: np.ndarray
    templates: tuple[NetworkTemplate, ...]
    accounts: int
    ships_from: str


def open_accounts(
    table: SellerTable,
    rng: np.random.Generator,
    catalog: Catalog,
    kind: str,
    created: np.ndarray,
    *,
    start: int,
    focus: np.ndarray | int | None = None,
    network: int = -1,
    ships_from: str | None = None,
    with_history: bool = False,
    history_like: str | None = None,
    closes_at: np.ndarray | None = None,
) -> np.ndarray:
    """Open ``len(created)`` accounts of one kind; return their indices in ``table``.

    Parameters
    ----------
    table : SellerTable
        Where they go.
    rng : Generator
        Random stream.
    catalog : Catalog
        For focus categories and typical prices.
    kind : str
        A ``SELLER_KINDS`` name.
    created : ndarray of int
        Account creation times (s).
    start : int
        Start of the simulation (s); the initial history is as of this time.
    focus : ndarray of int or int, optional
        Category index of each account (-1: any); drawn when not given.
    network : int
        Network index, -1 for none.
    ships_from : str, optional
        Country for all the accounts; drawn per account when not given.
    with_history : bool
        Give the accounts a history before ``start`` (only for accounts older than ``start``).
    history_like : str, optional
        Draw that history as for this other kind (an old account bought or taken over by a
        counterfeiter looks like the small shop it was).
    closes_at : ndarray of int, optional
        When each account stops listing (abandoned); default never. Suspension can come sooner.
    """
    spec = SELLER_KINDS[KIND_INDEX[kind]]
    n = len(created)
    focus = _focus(rng, catalog, spec, n, focus)
    ships, currency = _shipping(rng, spec, n, ships_from)
    own_brand = _maker_brands(rng, n) if kind in _MAKERS else np.full(n, "", dtype=object)
    values: dict[str, np.ndarray] = {
        "kind": np.full(n, KIND_INDEX[kind]),
        "focus": focus,
        "network": np.full(n, network),
        "created": created,
        "closed_at": np.full(n, NEVER) if closes_at is None else closes_at,
        "activity": rng.lognormal(0.0, 1.0, n),
        "hidden": rng.random(n) < spec.hidden_share,
        "sells_fakes": rng.random(n) < spec.sells_fakes_share,
        "seller_id": np.array(table.fresh_ids(rng, n), dtype=object),
        "ships_from": ships,
        "currency": currency,
        "own_brand": own_brand,
    }
    past = history_like or spec.name
    values.update(_initial_history(rng, catalog, past, focus, created, start, with_history))
    return table.add(values)


def _focus(
    rng: np.random.Generator,
    catalog: Catalog,
    spec: SellerKind,
    n: int,
    focus: np.ndarray | int | None,
) -> np.ndarray:
    """The category each account sells in (-1: any): as given, or drawn by the catalogue's
    popularity, a share of the kind's accounts selling in any category."""
    if isinstance(focus, int):
        return np.full(n, focus)
    if focus is None:
        cat_weights = np.bincount(catalog.category_index, catalog.popularity,
                                  minlength=len(catalog.categories))  # fmt: skip
        focus = sample_weighted(rng, cat_weights, n)
        focus[rng.random(n) < spec.any_category_share] = -1
    return focus


def _shipping(
    rng: np.random.Generator, spec: SellerKind, n: int, ships_from: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Where each account ships from (as given, or drawn by the kind's mix) and its currency:
    half of them price in their country's own currency, where it has one here, the rest in USD."""
    countries = [c for c, _ in spec.ships_from]
    weights = np.array([w for _, w in spec.ships_from], dtype=float)
    if ships_from is None:
        ships = np.array(countries, dtype=object)[sample_weighted(rng, weights, n)]
    else:
        ships = np.full(n, ships_from, dtype=object)
    local = rng.random(n) < 0.5
    currency = np.array(
        [
            _LOCAL_CURRENCY.get(c, "USD") if loc else "USD"
            for c, loc in zip(ships, local, strict=True)
        ],
        dtype=object,
    )
    return ships, currency


def _maker_brands(rng: np.random.Generator, n: int) -> np.ndarray:
    """Made-up brand names of accessory makers and unbranded merchants (two syllables, some in
    capitals)."""
    first = rng.integers(0, len(MAKER_SYLLABLES_A), n)
    second = rng.integers(0, len(MAKER_SYLLABLES_B), n)
    upper = rng.random(n) < 0.3
    names = [
        MAKER_SYLLABLES_A[a] + MAKER_SYLLABLES_B[b] for a, b in zip(first, second, strict=True)
    ]
    return np.array([s.upper() if u else s for s, u in zip(names, upper, strict=True)], object)


def _log_uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> np.ndarray:
    low, high = np.log1p(bounds[0]), np.log1p(bounds[1])
    return np.expm1(rng.uniform(low, high, n))


def _initial_history(
    rng: np.random.Generator,
    catalog: Catalog,
    kind: str,
    focus: np.ndarray,
    created: np.ndarray,
    start: int,
    with_history: bool,
) -> dict[str, np.ndarray]:
    """History before the start: scaled down for young accounts, zero when not wanted."""
    spec = SELLER_KINDS[KIND_INDEX[kind]]
    n = len(created)
    age_days = np.maximum((start - created) / SECONDS_PER_DAY, 0.0)
    youth = np.clip(age_days / 730.0, 0.0, 1.0) if with_history else np.zeros(n)
    listings = np.round(_log_uniform(rng, spec.prior_listings, n) * youth).astype(np.int64)
    brands = np.minimum(
        listings, np.round(np.sqrt(listings) * spec.brand_spread * rng.uniform(0.3, 1.0, n))
    ).astype(np.int64)
    takedowns = np.minimum(listings, rng.poisson(spec.prior_takedowns * youth))
    ratings = np.round(listings * rng.uniform(*spec.ratings_per_listing, n)).astype(np.int64)
    mean_rating = rng.uniform(*spec.rating, n)
    window_share = np.minimum(1.0, 90.0 / np.maximum(age_days, 1.0))
    orders = rng.poisson(listings * window_share * rng.uniform(0.2, 0.6, n))
    by_category, overall = catalog.typical_prices()
    typical = np.where(focus >= 0, by_category[np.maximum(focus, 0)], overall) * spec.price_level
    if kind in _MAKERS:
        generic = np.array([profile_of(c).generic_price_usd for c in catalog.categories])
        typical = np.where(focus >= 0, generic[np.maximum(focus, 0)], 25.0)
    return {
        "prior_listings": listings,
        "prior_brands": brands,
        "prior_takedowns": takedowns,
        "prior_rating_n": ratings,
        "prior_rating_sum": np.round(ratings * mean_rating).astype(np.int64),
        "prior_gmv_cents": np.round(orders * typical * 100).astype(np.int64),
        "prior_orders": orders,
        "prior_returns": rng.binomial(orders, spec.return_rate),
    }
