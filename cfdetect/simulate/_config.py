"""The simulation settings and their validation."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import pandas as pd

from cfdetect.errors import UsageError
from cfdetect.simulate._languages import DEFAULT_LANGUAGE_SHARES, check_language_shares

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class SimulationConfig:
    """Settings of one simulated marketplace run.

    Parameters
    ----------
    n_listings : int
        Listings to generate.
    seed : int
        Seed of every random stream; the same seed gives the same output, byte for byte.
    start : str
        First day of the simulated span (ISO date or UTC timestamp).
    days : int
        Length of the span in days.
    counterfeit_rate : float
        Share of listings that are counterfeit or infringing (0 to 0.9).
    drift : bool
        Let later periods bring tactics, obfuscations, brands and seller networks absent earlier.
        Without drift the mix is the same in every period.
    label_noise : float
        Share of ``is_counterfeit`` labels flipped at random (0 to 0.5); the timelines and the
        ``tactic``/``case`` columns keep the true story.
    n_periods : int
        Equal time spans numbered in the ``period`` column.
    chunk_size : int
        Rows per chunk yielded by ``simulate_chunks``; the output does not depend on it.
    language_shares : tuple of (str, float)
        Share of listings written in each language (``en``, ``es``, ``pt_BR``, ``de``, ``fr``,
        ``ru``; normalised to sum to 1). Default ``DEFAULT_LANGUAGE_SHARES`` (68 % English);
        ``(("en", 1.0),)`` gives an English-only marketplace.

    Raises
    ------
    UsageError
        When a value makes no sense (negative count, rate out of range, unreadable date).

    Examples
    --------
    >>> SimulationConfig(n_listings=1000, seed=7).days
    365
    >>> SimulationConfig(counterfeit_rate=2.0)
    Traceback (most recent call last):
    ...
    cfdetect.errors.UsageError: counterfeit_rate must be between 0 and 0.9, got 2.0
    """

    n_listings: int = 10_000
    seed: int = 0
    start: str = "2025-01-01"
    days: int = 365
    counterfeit_rate: float = 0.08
    drift: bool = True
    label_noise: float = 0.0
    n_periods: int = 4
    chunk_size: int = 100_000
    language_shares: tuple[tuple[str, float], ...] = DEFAULT_LANGUAGE_SHARES

    def __post_init__(self) -> None:
        _check_int("n_listings", self.n_listings, 1)
        _check_int("seed", self.seed, 0)
        _check_int("days", self.days, 1)
        _check_int("n_periods", self.n_periods, 1)
        _check_int("chunk_size", self.chunk_size, 1)
        _check_rate("counterfeit_rate", self.counterfeit_rate, 0.9)
        _check_rate("label_noise", self.label_noise, 0.5)
        try:
            check_language_shares(self.language_shares)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if not isinstance(self.drift, bool):
            raise UsageError(f"drift must be True or False, got {self.drift!r}")
        if self.n_periods > self.days:
            raise UsageError(f"n_periods ({self.n_periods}) cannot exceed days ({self.days})")
        # cfdetect reads dates up to 2100; the timelines run on past the span, so it ends by 2099
        latest = int(pd.Timestamp("2100-01-01", tz="UTC").timestamp())
        if self.end_seconds > latest:
            most = (latest - self.start_seconds) // SECONDS_PER_DAY
            raise UsageError(
                f"days ({self.days:,}) from {self.start} would end after 2099; at most {most:,} "
                "(cfdetect reads dates up to 2100)"
            )

    @property
    def start_seconds(self) -> int:
        """The start as whole seconds since the Unix epoch (UTC)."""
        try:
            stamp = pd.Timestamp(self.start)
        except (ValueError, TypeError) as exc:
            raise UsageError(
                f"start must be a date such as 2025-01-01, got {self.start!r}"
            ) from exc
        if stamp is pd.NaT:
            raise UsageError(f"start must be a date such as 2025-01-01, got {self.start!r}")
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        if not 1990 <= stamp.year <= 2090:
            raise UsageError(f"start must fall between 1990 and 2090, got {self.start!r}")
        return int(stamp.timestamp())

    @property
    def end_seconds(self) -> int:
        """The end of the span (exclusive) in seconds since the Unix epoch."""
        return self.start_seconds + self.days * SECONDS_PER_DAY


def _check_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise UsageError(f"{name} must be a whole number of at least {minimum}, got {value!r}")


def _check_rate(name: str, value: object, maximum: float) -> None:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or not 0 <= float(value) <= maximum:  # type: ignore[arg-type]
        raise UsageError(f"{name} must be between 0 and {maximum}, got {value!r}")
