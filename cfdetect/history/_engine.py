"""Point-in-time seller fields of one shard of sellers, vectorised.

Everything here works on plain arrays of one shard (all the rows of a subset of sellers):
listings, extra queries, the event logs and the sellers table. The rule is the one of
``docs/seller_history.md``: a listing's fields count only what happened *strictly before* its
``created_at``. Listings of one seller with the same ``created_at`` count each other in log order
(the earlier row is "before"); an event at the same microsecond as the listing is not counted.

How: sellers are numbered inside the shard; every timestamp is replaced by its rank among all the
timestamps of the shard; ``seller * n_ranks + rank`` is then a sort key in which "the events of
this seller before time t" is a contiguous run. Each event log is sorted once and turned into
prefix sums; a query is two binary searches (``searchsorted(side="left")``, so an event at the
query's own time is excluded), and a 90-day window is a third search at ``t - 90 days``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cfdetect.errors import InputError
from cfdetect.history._formats import MISSING_TIME

MICROS_PER_DAY = 86_400 * 1_000_000
WINDOW_DAYS = 90
WINDOW = WINDOW_DAYS * MICROS_PER_DAY
SELLER_FIELDS: tuple[str, ...] = (
    "seller_age_days", "seller_rating", "seller_n_ratings", "seller_n_listings",
    "seller_n_takedowns", "seller_n_brands", "seller_gmv_90d", "seller_orders_90d",
    "seller_returns_90d",
)  # fmt: skip
"""The listing schema's seller_* columns, in the order of the result matrix."""
PRIORS: tuple[str, ...] = (
    "prior_listings", "prior_brands", "prior_takedowns", "prior_n_ratings", "prior_rating_sum",
    "prior_gmv_cents", "prior_orders_90d", "prior_returns_90d",
)  # fmt: skip
"""Opening-balance columns of the sellers stream (float64, 0 when not given)."""


@dataclass(frozen=True)
class Sources:
    """Which logs were given (a field whose log is missing stays empty) and their names.

    Attributes
    ----------
    takedowns, ratings, sales, amounts, returns : bool
        ``amounts``: the sales log has an ``amount`` column (GMV).
    names : dict of str to str
        Display name of each input (for error messages): ``listings``, ``queries``, ``sellers``.
    """

    takedowns: bool = False
    ratings: bool = False
    lenient: bool = False
    sales: bool = False
    amounts: bool = False
    returns: bool = False
    names: dict[str, str] | None = None

    def name(self, key: str) -> str:
        """Display name of an input."""
        return (self.names or {}).get(key, key)


def compute_shard(
    listings: dict[str, np.ndarray] | None,
    queries: dict[str, np.ndarray] | None,
    events: dict[str, dict[str, np.ndarray] | None],
    sellers: dict[str, np.ndarray] | None,
    sources: Sources,
) -> tuple[np.ndarray, np.ndarray]:
    """Seller fields of every listing (with ``dst >= 0``) and every query of one shard.

    Parameters
    ----------
    listings : dict of arrays, optional
        ``h1``, ``h2`` (two 64-bit hashes of the seller id), ``t`` (µs), ``pos`` (0-based log
        row), ``brand`` (hash of the normalised declared brand, 0 for none), ``lid`` (hash of the
        listing id), ``dst`` (output row, -1 for none).
    queries : dict of arrays, optional
        Listings answered from the log without being part of it: ``h1``, ``h2``, ``t``, ``dst``.
    events : dict
        ``takedowns`` (``h1``, ``h2``, ``t``, ``lid``; ``lid`` 0 when unknown), ``ratings``
        (… ``stars``), ``sales`` (… ``cents``), ``returns`` (``h1``, ``h2``, ``t``).
    sellers : dict of arrays, optional
        ``h1``, ``h2``, ``row`` (1-based), ``joined``, ``as_of`` (µs or ``MISSING_TIME``),
        ``hidden`` (int8), and the ``PRIORS`` (float64).
    sources : Sources

    Returns
    -------
    dst : ndarray of int64
        Output row of each result.
    values : ndarray of float64, shape (n, 9)
        The ``SELLER_FIELDS`` (NaN: empty).

    Raises
    ------
    InputError
        A contradiction in the logs (a listing before its seller joined or before the opening
        balance it would be added to, a listing id twice for one seller, a seller twice in the
        sellers table), naming the rows.

    Examples
    --------
    >>> day = MICROS_PER_DAY
    >>> one = np.ones(2, np.uint64)
    >>> listings = {"h1": one, "h2": one, "t": np.array([0, 2 * day]), "pos": np.arange(2),
    ...             "brand": np.array([7, 7], np.uint64), "lid": np.array([1, 2], np.uint64),
    ...             "dst": np.arange(2)}
    >>> takedown = {"h1": one[:1], "h2": one[:1], "t": np.array([day]), "lid": one[:1]}
    >>> dst, values = compute_shard(listings, None, {"takedowns": takedown}, None,
    ...                             Sources(takedowns=True))
    >>> values[:, SELLER_FIELDS.index("seller_n_takedowns")].tolist()
    [0.0, 1.0]
    >>> values[:, SELLER_FIELDS.index("seller_age_days")].tolist()
    [0.0, 2.0]
    """
    streams = {"listings": listings, "queries": queries, "sellers": sellers, **events}
    present = {k: v for k, v in streams.items() if v is not None and len(v["h1"])}
    if not any(k in present for k in ("listings", "queries")):
        return np.zeros(0, np.int64), np.zeros((0, len(SELLER_FIELDS)))
    codes, n_sellers = _seller_codes(present)
    table = _SellerTable.build(sellers, codes.get("sellers"), n_sellers, sources)
    book = _ListingBook.build(listings, codes.get("listings"), n_sellers, sources)
    asked = _Asked.build(book, present.get("queries"), codes.get("queries"))
    counter = _Counter(present, codes, book, asked)
    values = _fields(asked, table, book, counter, sources)
    values[table.hidden[asked.seller] == 1] = np.nan
    return asked.dst, values


@dataclass(frozen=True)
class _Asked:
    """The rows to answer: the listings with an output row, then the queries."""

    seller: np.ndarray
    time: np.ndarray
    dst: np.ndarray
    row: np.ndarray  # 1-based row in its input, for messages
    kind: np.ndarray  # 0: a listing of the log, 1: a query
    n_own: int  # the first n_own rows are listings of the log

    @classmethod
    def build(
        cls, book: _ListingBook, queries: dict[str, np.ndarray] | None, codes: np.ndarray | None
    ) -> _Asked:
        q_seller = [book.seller[book.out]]
        q_time = [book.time[book.out]]
        q_dst = [book.dst[book.out]]
        q_row = [book.pos[book.out] + 1]
        q_kind = [np.zeros(int(book.out.sum()), np.int8)]
        if queries is not None and codes is not None:
            q_seller.append(codes)
            q_time.append(queries["t"])
            q_dst.append(queries["dst"])
            q_row.append(queries["dst"] + 1)
            q_kind.append(np.ones(len(codes), np.int8))
        seller, time = np.concatenate(q_seller), np.concatenate(q_time)
        dst, row, kind = np.concatenate(q_dst), np.concatenate(q_row), np.concatenate(q_kind)
        return cls(seller, time, dst, row, kind, int(book.out.sum()))


class _Counter:
    """Counts of what happened before each asked row, by binary searches on sort keys
    (``seller * n_ranks + rank of the time``)."""

    def __init__(
        self,
        present: dict[str, dict[str, np.ndarray]],
        codes: dict[str, np.ndarray],
        book: _ListingBook,
        asked: _Asked,
    ) -> None:
        self.present, self.codes, self.n = present, codes, len(asked.time)
        time, seller = asked.time, asked.seller
        event_times = [present[k]["t"] for k in ("takedowns", "ratings", "sales", "returns")
                       if k in present]  # fmt: skip
        self.ranks = ranks = _Ranks(np.concatenate([book.time, time, time - WINDOW, *event_times]))
        self.query_key = seller * ranks.n + ranks.of(time)
        self.window_key = seller * ranks.n + ranks.of(time - WINDOW)
        self.seller_key = seller * ranks.n

    def listings_before(self, book: _ListingBook, asked: _Asked) -> tuple[np.ndarray, np.ndarray]:
        """Listings and distinct brands before: own position for log rows, a search for
        queries."""
        ranks, n_own = self.ranks, asked.n_own
        before = np.zeros(self.n, np.int64)
        brands = np.zeros(self.n, np.int64)
        before[:n_own], brands[:n_own] = book.before[book.out], book.brands[book.out]
        if self.n > n_own:
            keys = book.seller * ranks.n + ranks.of(book.time)  # sorted: the book is in key order
            at = np.searchsorted(keys, self.query_key[n_own:], "left")
            start = np.searchsorted(keys, self.seller_key[n_own:], "left")
            before[n_own:] = at - start
            brands[n_own:] = book.brand_prefix[at] - book.brand_prefix[start]
        return before, brands

    def first_takedowns_only(self) -> None:
        """Count a listing's takedown once (``_first_takedowns``)."""
        takedowns = _first_takedowns(self.present.get("takedowns"), self.codes.get("takedowns"))
        if takedowns is not None:
            self.present["takedowns"], self.codes["takedowns"] = takedowns

    def summed(self, name: str, columns: tuple[str, ...], window: bool = False) -> np.ndarray:
        """Events of log ``name`` before each asked row (within the 90-day window when
        ``window``): their count, then the sum of each of ``columns``."""
        stream = self.present.get(name)
        if stream is None:
            return np.zeros((self.n, len(columns) + 1))
        ev_key = self.codes[name] * self.ranks.n + self.ranks.of(stream["t"])
        order = np.argsort(ev_key, kind="stable")
        ev_key = ev_key[order]
        parts = [np.ones(len(order))] + [stream[c][order].astype(np.float64) for c in columns]
        prefix = np.vstack([np.zeros((1, len(parts))), np.cumsum(np.column_stack(parts), 0)])
        upto = prefix[np.searchsorted(ev_key, self.query_key, "left")]
        lower = self.window_key if window else self.seller_key
        return upto - prefix[np.searchsorted(ev_key, lower, "left")]


def _fields(
    asked: _Asked,
    table: _SellerTable,
    book: _ListingBook,
    counter: _Counter,
    sources: Sources,
) -> np.ndarray:
    """The ``SELLER_FIELDS`` of every asked row (NaN: its log is not given)."""
    values = np.full((len(asked.time), len(SELLER_FIELDS)), np.nan)
    col = {name: i for i, name in enumerate(SELLER_FIELDS)}
    before, brands = counter.listings_before(book, asked)
    values[:, col["seller_age_days"]] = _age_days(asked, table, book, sources)
    fade = _fade(asked, table, sources)
    prior = {name: table.priors[name][asked.seller] for name in PRIORS}
    values[:, col["seller_n_listings"]] = prior["prior_listings"] + before
    values[:, col["seller_n_brands"]] = prior["prior_brands"] + brands
    if sources.takedowns:
        counter.first_takedowns_only()
        counted = counter.summed("takedowns", ())
        values[:, col["seller_n_takedowns"]] = prior["prior_takedowns"] + counted[:, 0]
    if sources.ratings:
        counted = counter.summed("ratings", ("stars",))
        n = prior["prior_n_ratings"] + counted[:, 0]
        total = prior["prior_rating_sum"] + counted[:, 1]
        values[:, col["seller_n_ratings"]] = n
        with np.errstate(invalid="ignore", divide="ignore"):
            values[:, col["seller_rating"]] = np.round(np.where(n > 0, total / n, np.nan), 3)
    if sources.sales:
        counted = counter.summed("sales", ("cents",) if sources.amounts else (), window=True)
        orders = np.round(prior["prior_orders_90d"] * fade) + counted[:, 0]
        values[:, col["seller_orders_90d"]] = orders
        if sources.amounts:
            cents = np.round(prior["prior_gmv_cents"] * fade) + counted[:, 1]
            values[:, col["seller_gmv_90d"]] = cents / 100.0
    if sources.returns:
        counted = counter.summed("returns", (), window=True)
        values[:, col["seller_returns_90d"]] = (
            np.round(prior["prior_returns_90d"] * fade) + counted[:, 0]
        )
    return values


def _age_days(
    asked: _Asked, table: _SellerTable, book: _ListingBook, sources: Sources
) -> np.ndarray:
    """Days since the seller joined (the sellers table's ``joined_at``, else its first
    listing); a listing before its seller joined is an error."""
    seller, time = asked.seller, asked.time
    joined = table.joined[seller]
    first = np.minimum(book.first_time[seller], time)
    known_join = joined != MISSING_TIME
    late = np.flatnonzero(known_join & (joined > time))
    if len(late):
        i = int(late[0])
        raise InputError(
            f"{_where(sources, asked.kind[i], asked.row[i])}: created_at is before its seller's "
            f"joined_at (row {table.row[seller[i]]} of {sources.name('sellers')})"
        )
    origin = np.where(known_join, joined, first)
    return np.round((time - origin) / MICROS_PER_DAY, 4)


def _fade(asked: _Asked, table: _SellerTable, sources: Sources) -> np.ndarray:
    """How much of the opening 90-day balances (as of ``as_of``) is still inside each row's
    window (1 at ``as_of``, 0 from 90 days later, and without a balance); a listing before its
    seller's balance is an error (the balance would count later history)."""
    seller, time = asked.seller, asked.time
    as_of = table.as_of[seller]
    has_balance = as_of != MISSING_TIME
    early = np.flatnonzero(has_balance & (time < as_of))
    if len(early):
        i = int(early[0])
        raise InputError(
            f"{_where(sources, asked.kind[i], asked.row[i])}: created_at is before its seller's "
            f"opening balance as_of (row {table.row[seller[i]]} of {sources.name('sellers')}); "
            "the balance would count later history"
        )
    return np.where(has_balance, np.clip((as_of + WINDOW - time) / WINDOW, 0.0, 1.0), 0.0)


def _where(sources: Sources, kind: int, row: int) -> str:
    return f"{sources.name('listings' if kind == 0 else 'queries')}: row {row}"


def _seller_codes(present: dict[str, dict[str, np.ndarray]]) -> tuple[dict[str, np.ndarray], int]:
    """Number the sellers of the shard 0..n-1 by their first hash; check the second agrees."""
    names = list(present)
    h1 = np.concatenate([present[k]["h1"] for k in names])
    h2 = np.concatenate([present[k]["h2"] for k in names])
    unique, inverse = np.unique(h1, return_inverse=True)
    check = np.zeros(len(unique), np.uint64)
    check[inverse] = h2
    if (check[inverse] != h2).any():  # pragma: no cover - needs a 64-bit hash collision
        raise InputError(
            "two different seller ids share a 64-bit hash; rename one of them (please report)"
        )
    bounds = np.cumsum([0] + [len(present[k]["h1"]) for k in names])
    codes = {k: inverse[bounds[i] : bounds[i + 1]].astype(np.int64) for i, k in enumerate(names)}
    return codes, len(unique)


class _Ranks:
    """Rank of every timestamp among a fixed set (``searchsorted`` into the sorted set)."""

    def __init__(self, times: np.ndarray) -> None:
        self.values = np.unique(times)
        self.n = len(self.values) + 1

    def of(self, times: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.values, times, "left").astype(np.int64)


@dataclass
class _SellerTable:
    joined: np.ndarray
    as_of: np.ndarray
    hidden: np.ndarray
    row: np.ndarray
    priors: dict[str, np.ndarray]

    @classmethod
    def build(
        cls,
        stream: dict[str, np.ndarray] | None,
        codes: np.ndarray | None,
        n: int,
        sources: Sources,
    ) -> _SellerTable:
        joined = np.full(n, MISSING_TIME, np.int64)
        as_of = np.full(n, MISSING_TIME, np.int64)
        hidden = np.zeros(n, np.int8)
        row = np.zeros(n, np.int64)
        priors = {name: np.zeros(n) for name in PRIORS}
        if stream is None or codes is None or not len(codes):
            return cls(joined, as_of, hidden, row, priors)
        order = np.lexsort((stream["row"], codes))
        dup = np.flatnonzero(codes[order][1:] == codes[order][:-1])
        if len(dup):
            a, b = stream["row"][order[dup[0]]], stream["row"][order[dup[0] + 1]]
            raise InputError(
                f"{sources.name('sellers')}: row {b}: seller_id appears twice (also row {a})"
            )
        joined[codes] = stream["joined"]
        as_of[codes] = stream["as_of"]
        hidden[codes] = stream["hidden"]
        row[codes] = stream["row"]
        for name in PRIORS:
            priors[name][codes] = stream[name]
        return cls(joined, as_of, hidden, row, priors)


@dataclass
class _ListingBook:
    """The shard's listings in (seller, created_at, log row) order with their running counts."""

    seller: np.ndarray
    time: np.ndarray
    pos: np.ndarray
    dst: np.ndarray
    out: np.ndarray
    before: np.ndarray
    brands: np.ndarray
    brand_prefix: np.ndarray
    first_time: np.ndarray

    @classmethod
    def build(
        cls,
        stream: dict[str, np.ndarray] | None,
        codes: np.ndarray | None,
        n_sellers: int,
        sources: Sources,
    ) -> _ListingBook:
        first_time = np.full(n_sellers, np.iinfo(np.int64).max, np.int64)
        if stream is None or codes is None or not len(codes):
            empty = np.zeros(0, np.int64)
            return cls(empty, empty, empty, empty, empty.astype(bool), empty, empty,
                       np.zeros(1, np.int64), first_time)  # fmt: skip
        keep = _unique_ids(codes, stream, sources)
        if keep is not None:
            stream, codes = {k: v[keep] for k, v in stream.items()}, codes[keep]
        order = np.lexsort((stream["pos"], stream["t"], codes))
        seller, time = codes[order], stream["t"][order]
        n = len(order)
        starts_flag = np.r_[True, seller[1:] != seller[:-1]]
        start = np.maximum.accumulate(np.where(starts_flag, np.arange(n), 0))
        before = np.arange(n) - start
        first_time[seller[starts_flag]] = time[starts_flag]

        brand = stream["brand"][order]
        named = np.flatnonzero(brand != 0)
        new = np.zeros(n, np.int64)
        if len(named):
            by_pair = named[np.lexsort((named, brand[named], seller[named]))]
            first = np.r_[
                True,
                (seller[by_pair][1:] != seller[by_pair][:-1])
                | (brand[by_pair][1:] != brand[by_pair][:-1]),
            ]
            new[by_pair[first]] = 1
        prefix = np.r_[0, np.cumsum(new)]
        brands = prefix[np.arange(n)] - prefix[start]
        dst = stream["dst"][order]
        return cls(seller, time, stream["pos"][order], dst, dst >= 0, before, brands, prefix,
                   first_time)  # fmt: skip


def _unique_ids(
    codes: np.ndarray, stream: dict[str, np.ndarray], sources: Sources
) -> np.ndarray | None:
    """None when no seller repeats a listing id; else (lenient) the rows to keep, or raise."""
    lid = stream["lid"]
    order = np.lexsort((stream["pos"], lid, codes))
    same = (codes[order][1:] == codes[order][:-1]) & (lid[order][1:] == lid[order][:-1])
    hit = np.flatnonzero(same)
    if len(hit) and sources.lenient:
        keep = np.ones(len(codes), bool)
        keep[order[hit + 1]] = False
        return keep
    if len(hit):
        a, b = stream["pos"][order[hit[0]]] + 1, stream["pos"][order[hit[0] + 1]] + 1
        raise InputError(
            f"{sources.name('listings')}: row {b}: listing_id appears earlier (row {a}) for the "
            "same seller; a listing is counted once"
        )
    return None


def _first_takedowns(
    stream: dict[str, np.ndarray] | None, codes: np.ndarray | None
) -> tuple[dict[str, np.ndarray], np.ndarray] | None:
    """Keep the first removal of each (seller, listing id); rows without a listing id all count."""
    if stream is None or codes is None or not (stream["lid"] != 0).any():
        return None
    lid = stream["lid"]
    order = np.lexsort((stream["t"], lid, codes))
    repeat = np.zeros(len(order), bool)
    repeat[order[1:]] = (
        (codes[order][1:] == codes[order][:-1])
        & (lid[order][1:] == lid[order][:-1])
        & (lid[order][1:] != 0)
    )
    keep = ~repeat
    return {k: v[keep] for k, v in stream.items()}, codes[keep]
