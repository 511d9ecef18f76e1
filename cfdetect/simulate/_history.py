"""Point-in-time seller history, computed from the simulated event log.

Every listing leaves future events on its seller's record: a takedown when a rights holder reports
it (at ``reported_at``), a sale at ``first_sale_at`` (one order worth its USD price, counted in the
90-day window until 90 days later), a return at ``returned_at`` (in the window for 90 days), and a
rating: one star at the return, or five stars ten days after a sale that is not returned. The
seller_* fields of a listing sum the events *strictly before* its ``created_at``, on top of the
seller's history from before the simulation (see ``_sellers``). Listings and distinct declared
brands count the seller's earlier listings in (``created_at``, ``listing_id``) order.

Events are kept in buckets, one per time block; a block's listings are answered with one sort of
the block's listings and events by (seller, time), so the cost is linear in the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cfdetect.registry import normalise_key

EVENT_FIELDS: tuple[str, ...] = ("takedowns", "rating_sum", "rating_n", "gmv_cents", "orders",
                                 "returns")  # fmt: skip
_BRAND_KEY_BASE = 1 << 24


class SellerHistory:
    """Running per-seller totals plus the events still to come, bucketed by block.

    Examples
    --------
    >>> history = SellerHistory()
    >>> history.ensure(2)
    >>> takedown = np.array([[1, 0, 0, 0, 0, 0]])
    >>> history.schedule(np.array([0]), np.array([5]), np.array([1]), takedown)
    >>> out = history.annotate(0, np.array([5, 6]), np.array([1, 1]), ["Rolex", "Rolex"])
    >>> out["takedowns"].tolist(), out["listings"].tolist(), out["brands"].tolist()
    ([0, 1], [0, 1], [0, 1])
    """

    def __init__(self) -> None:
        self.totals = np.zeros((0, len(EVENT_FIELDS)), dtype=np.int64)
        self.listings = np.zeros(0, dtype=np.int64)
        self.brands = np.zeros(0, dtype=np.int64)
        self._seen_brands: set[int] = set()
        self._brand_codes: dict[str, int] = {}
        self._key_codes: dict[str, int] = {}
        self._buckets: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}

    def ensure(self, n_sellers: int) -> None:
        """Make room for sellers up to index ``n_sellers - 1`` (capacity doubles as needed)."""
        capacity = len(self.listings)
        if n_sellers > capacity:
            grown = max(2 * capacity, n_sellers, 64)
            totals = np.zeros((grown, len(EVENT_FIELDS)), np.int64)
            totals[:capacity] = self.totals
            self.totals = totals
            self.listings = np.concatenate([self.listings, np.zeros(grown - capacity, np.int64)])
            self.brands = np.concatenate([self.brands, np.zeros(grown - capacity, np.int64)])

    def schedule(
        self, buckets: np.ndarray, times: np.ndarray, sellers: np.ndarray, values: np.ndarray
    ) -> None:
        """Queue events: block index, time (s), seller index and the ``EVENT_FIELDS`` deltas."""
        for bucket in np.unique(buckets):
            rows = buckets == bucket
            parts = self._buckets.setdefault(int(bucket), [])
            # stored compactly (int32 sellers and deltas: one listing's price in cents fits)
            parts.append(
                (times[rows], sellers[rows].astype(np.int32), values[rows].astype(np.int32))
            )

    def annotate(
        self, block: int, times: np.ndarray, sellers: np.ndarray, declared: Sequence[str | None]
    ) -> dict[str, np.ndarray]:
        """Answer one block's listings (in output order) and fold the block into the totals.

        Returns the counts accumulated inside the simulation strictly before each listing:
        ``listings``, ``brands`` (distinct declared brands) and every ``EVENT_FIELDS`` entry.
        """
        parts = self._buckets.pop(block, [])
        if parts:
            ev_times = np.concatenate([p[0] for p in parts])
            ev_sellers = np.concatenate([p[1] for p in parts]).astype(np.int64)
            ev_values = np.concatenate([p[2] for p in parts]).astype(np.int64)
        else:
            ev_times = np.zeros(0, np.int64)
            ev_sellers = np.zeros(0, np.int64)
            ev_values = np.zeros((0, len(EVENT_FIELDS)), np.int64)
        n = len(times)
        all_sellers = np.concatenate([sellers, ev_sellers])
        all_times = np.concatenate([times, ev_times])
        is_event = np.concatenate([np.zeros(n, np.int8), np.ones(len(ev_times), np.int8)])
        values = np.concatenate([np.zeros((n, len(EVENT_FIELDS)), np.int64), ev_values])
        order = np.lexsort((is_event, all_times, all_sellers))
        before = _exclusive_group_cumsum(all_sellers[order], values[order])
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        out = {
            name: before[position[:n], j] + self.totals[sellers, j]
            for j, name in enumerate(EVENT_FIELDS)
        }

        new_brand = self._new_brand_flags(sellers, declared)
        by_seller = np.argsort(sellers, kind="stable")
        counts = _exclusive_group_cumsum(
            sellers[by_seller], np.column_stack([np.ones(n, np.int64), new_brand[by_seller]])
        )
        earlier = np.empty((n, 2), np.int64)
        earlier[by_seller] = counts
        out["listings"] = earlier[:, 0] + self.listings[sellers]
        out["brands"] = earlier[:, 1] + self.brands[sellers]

        np.add.at(self.totals, ev_sellers, ev_values)
        np.add.at(self.listings, sellers, 1)
        np.add.at(self.brands, sellers, new_brand)
        return out

    def _new_brand_flags(self, sellers: np.ndarray, declared: Sequence[str | None]) -> np.ndarray:
        flags = np.zeros(len(sellers), np.int64)
        for i, (seller, name) in enumerate(zip(sellers.tolist(), declared, strict=True)):
            if not name:
                continue
            code = self._brand_codes.get(name)
            if code is None:  # one code per declared spelling, shared by its normalised key
                key = normalise_key(name)
                code = self._brand_codes[name] = self._key_codes.setdefault(
                    key, len(self._key_codes)
                )
            pair = seller * _BRAND_KEY_BASE + code
            if pair not in self._seen_brands:
                self._seen_brands.add(pair)
                flags[i] = 1
        return flags


def _exclusive_group_cumsum(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-group running sums of ``values`` rows, excluding the row itself (groups contiguous)."""
    if len(groups) == 0:
        return values.copy()
    inclusive = np.cumsum(values, axis=0)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    group_of = np.cumsum(np.r_[True, groups[1:] != groups[:-1]]) - 1
    offset = np.vstack([np.zeros((1, values.shape[1]), values.dtype), inclusive[starts[1:] - 1]])
    return inclusive - offset[group_of] - values
