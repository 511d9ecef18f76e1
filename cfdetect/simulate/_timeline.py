"""Time: blocks of the simulated span, listing arrivals, and each listing's life after submission.

The span is cut into blocks of whole hours, each with its own random stream, so the output does
not depend on how it is chunked. Arrivals follow an hourly intensity (time of day, weekends, slow
growth). After submission a listing is published within minutes; then three clocks race over its
lifetime of 30-120 days: the first sale (hazard rises with demand and falls with price against
the item's retail price, so cheap fakes sell fast), the rights holder's report (infringing
listings only; registered brands report more often and sooner), and the listing's expiry. A
report removes the listing, so no sale happens after it. A sale may be returned 4-30 days later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cfdetect.simulate._catalog import sample_weighted
from cfdetect.simulate._config import SECONDS_PER_DAY, SimulationConfig

NO_TIME = np.iinfo(np.int64).min
"""Marks a timestamp that never happens (NaT in the output)."""
TARGET_BLOCK_ROWS = 4096
MAX_BLOCK_DAYS = 7
RATING_DELAY_DAYS = 10
WINDOW_DAYS = 90


@dataclass(frozen=True)
class BlockPlan:
    """How the span is cut into blocks and how many listings each block gets.

    Attributes
    ----------
    start : int
        Start of the span, seconds since the epoch.
    span : int
        Block length in seconds (whole hours).
    counts : ndarray of int
        Listings per block.
    period_span : float
        Length of one ``period`` in seconds.
    n_periods : int
        Number of periods.
    hourly : ndarray of float
        Arrival intensity of every hour of the span.
    """

    start: int
    span: int
    counts: np.ndarray
    period_span: float
    n_periods: int
    hourly: np.ndarray

    @property
    def n_blocks(self) -> int:
        """Number of blocks."""
        return len(self.counts)

    def block_start(self, block: int) -> int:
        """First second of a block."""
        return self.start + block * self.span

    def bucket(self, times: np.ndarray) -> np.ndarray:
        """Block index of each time (may exceed the last block)."""
        return (times - self.start) // self.span

    def period(self, times: np.ndarray) -> np.ndarray:
        """The ``period`` column for each time."""
        raw = np.floor((times - self.start) / self.period_span).astype(np.int64)
        return np.clip(raw, 0, self.n_periods - 1)

    def arrivals(self, rng: np.random.Generator, block: int) -> np.ndarray:
        """Sorted submission times (s) of the listings of one block."""
        hours_per_block = self.span // 3600
        first = block * hours_per_block
        weights = self.hourly[first : first + hours_per_block]
        n = int(self.counts[block])
        hours = sample_weighted(rng, weights, n) + first
        seconds = rng.integers(0, 3600, size=n)
        return np.sort(self.start + hours * 3600 + seconds)


def plan_blocks(config: SimulationConfig, rng: np.random.Generator) -> BlockPlan:
    """Cut the span into blocks and spread ``n_listings`` over them.

    Examples
    --------
    >>> plan = plan_blocks(SimulationConfig(n_listings=100, days=14), np.random.default_rng(0))
    >>> int(plan.counts.sum()), plan.n_blocks
    (100, 2)
    """
    total_hours = config.days * 24
    wanted = max(math.ceil(config.n_listings / TARGET_BLOCK_ROWS), math.ceil(config.days / 7))
    hours_per_block = max(1, min(MAX_BLOCK_DAYS * 24, total_hours // wanted))
    n_blocks = math.ceil(total_hours / hours_per_block)
    hour = np.arange(n_blocks * hours_per_block)
    stamp = config.start_seconds + hour * 3600
    hour_of_day = (stamp // 3600) % 24
    weekday = (stamp // SECONDS_PER_DAY + 3) % 7  # 1970-01-01 was a Thursday; 5, 6 = Sat, Sun
    intensity = (
        (1.0 + 0.55 * np.cos(2 * np.pi * (hour_of_day - 20) / 24))
        * np.where(weekday >= 5, 1.15, 1.0)
        * (1.0 + 0.3 * hour / max(1, total_hours))
    )
    intensity[hour >= total_hours] = 0.0
    per_block = intensity.reshape(n_blocks, hours_per_block).sum(axis=1)
    counts = rng.multinomial(config.n_listings, per_block / per_block.sum())
    return BlockPlan(
        start=config.start_seconds,
        span=hours_per_block * 3600,
        counts=counts,
        period_span=config.days * SECONDS_PER_DAY / config.n_periods,
        n_periods=config.n_periods,
        hourly=intensity,
    )


@dataclass(frozen=True)
class Outcomes:
    """What happened to each listing after submission (seconds; ``NO_TIME`` if never)."""

    published: np.ndarray
    first_sale: np.ndarray
    reported: np.ndarray
    returned: np.ndarray


def simulate_outcomes(
    rng: np.random.Generator,
    created: np.ndarray,
    price_ratio: np.ndarray,
    demand: np.ndarray,
    report_prob: np.ndarray,
    report_days: np.ndarray,
    return_prob: np.ndarray,
) -> Outcomes:
    """Draw publication, first sale, rights-holder report and return times.

    Parameters
    ----------
    rng : Generator
        Random stream of the block.
    created : ndarray of int
        Submission times (s).
    price_ratio : ndarray of float
        Price against the item's retail price.
    demand : ndarray of float
        Relative demand for the product (1 = median).
    report_prob : ndarray of float
        Chance a rights holder ever reports the listing while it is live (0 for genuine).
    report_days : ndarray of float
        Mean days from publication to the report.
    return_prob : ndarray of float
        Chance a sale is returned.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> one = np.ones(1)
    >>> out = simulate_outcomes(rng, np.array([0]), 0.1 * one, one, one, 3 * one, 0 * one)
    >>> bool(out.published[0] >= 0)
    True
    """
    n = len(created)
    delay = np.maximum(1, np.round(rng.lognormal(np.log(90.0), 1.3, n))).astype(np.int64)
    published = created + delay
    lifetime = rng.uniform(30, 120, n) * SECONDS_PER_DAY
    sale_rate = demand**0.5 * np.clip(price_ratio, 0.02, 3.0) ** -0.7 / 25.0
    to_sale = rng.exponential(1.0, n) / sale_rate * SECONDS_PER_DAY
    to_report = rng.exponential(1.0, n) * report_days * SECONDS_PER_DAY
    is_reported = (rng.random(n) < report_prob) & (to_report < lifetime)
    end = np.where(is_reported, to_report, lifetime)
    sold = to_sale < end
    is_returned = sold & (rng.random(n) < return_prob)
    to_return = to_sale + rng.uniform(4, 30, n) * SECONDS_PER_DAY
    return Outcomes(
        published=published,
        first_sale=np.where(sold, published + to_sale.astype(np.int64) + 1, NO_TIME),
        reported=np.where(is_reported, published + to_report.astype(np.int64) + 1, NO_TIME),
        returned=np.where(is_returned, published + to_return.astype(np.int64) + 1, NO_TIME),
    )


def history_events(
    outcomes: Outcomes, sellers: np.ndarray, price_cents: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn outcomes into seller events: (times, sellers, deltas of ``EVENT_FIELDS``).

    Takedown at the report; sale (+GMV, +1 order) at the first sale and its expiry from the
    90-day window; return (+1) and its expiry; a rating of 1 at a return, else of 5 ten days
    after the sale.
    """
    window = WINDOW_DAYS * SECONDS_PER_DAY
    sold = outcomes.first_sale != NO_TIME
    returned = outcomes.returned != NO_TIME
    reported = outcomes.reported != NO_TIME
    sale, back = outcomes.first_sale, outcomes.returned
    rating_time = sale + RATING_DELAY_DAYS * SECONDS_PER_DAY
    specs = [  # (which listings, when, deltas of EVENT_FIELDS, whether the GMV delta is x price)
        (reported, outcomes.reported, (1, 0, 0, 0, 0, 0), False),
        (sold, sale, (0, 0, 0, 1, 1, 0), True),
        (sold, sale + window, (0, 0, 0, -1, -1, 0), True),
        (returned, back, (0, 1, 1, 0, 0, 1), False),
        (returned, back + window, (0, 0, 0, 0, 0, -1), False),
        (sold & ~returned, rating_time, (0, 5, 1, 0, 0, 0), False),
    ]
    times, who, values = [], [], []
    for mask, when, deltas, times_price in specs:
        delta = np.tile(np.array(deltas, np.int64), (int(mask.sum()), 1))
        if times_price:
            delta[:, 3] *= price_cents[mask]
        times.append(when[mask])
        who.append(sellers[mask])
        values.append(delta)
    return np.concatenate(times), np.concatenate(who), np.concatenate(values)
