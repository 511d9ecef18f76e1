"""Seller history as known at submission: age, ratings, takedowns, velocity, authorisation.

Rates are smoothed toward priors so that a seller with two listings and one takedown is not
scored like one with two hundred and a hundred. A dump with no seller history at all (a
retailer's catalogue) is flagged ``seller_history_missing`` rather than made to look like a
brand-new seller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cfdetect.features._base import (
    ListingTransformer,
    RegistryLike,
    as_features,
    at_least_zero,
    counts_of,
    log1p_each,
    number_column,
    number_of,
    resolve_registry,
    text_column,
    text_of,
)

HISTORY_COLUMNS: tuple[str, ...] = (
    "seller_age_days",
    "seller_rating",
    "seller_n_ratings",
    "seller_n_listings",
    "seller_n_takedowns",
    "seller_n_brands",
    "seller_gmv_90d",
    "seller_orders_90d",
    "seller_returns_90d",
)
FEATURES: tuple[str, ...] = (
    "seller_log_age",
    "seller_age_missing",
    "seller_new",
    "seller_rating_shrunk",
    "seller_log_n_ratings",
    "seller_takedown_rate",
    "seller_has_takedowns",
    "seller_log_listings",
    "seller_velocity",
    "seller_brand_diversity",
    "seller_return_rate",
    "seller_log_gmv",
    "seller_history_missing",
    "seller_authorised",
)
NEW_SELLER_DAYS = 30.0


@dataclass(frozen=True)
class SellerPriors:
    """The smoothing parameters of ``seller_row``."""

    rating_prior: float
    rating_strength: float
    takedown_alpha: float
    takedown_beta: float
    return_alpha: float
    return_beta: float


def _count(value: float) -> float:
    return 0.0 if math.isnan(value) else max(value, 0.0)


def seller_row(history: Sequence[float], authorised: float, p: SellerPriors) -> tuple[float, ...]:
    """The seller features of one listing from its ``HISTORY_COLUMNS`` values (NaN = missing).

    The one implementation of the features: ``transform`` maps it over rows and
    ``transform_record`` calls it once.
    """
    age, rating, n_ratings, listings, takedowns, brands, gmv, orders, returns = history
    age_missing = math.isnan(age)
    age0 = 0.0 if age_missing else max(age, 0.0)
    if math.isnan(rating):
        shrunk = p.rating_prior
    else:
        weight = 1.0 if math.isnan(n_ratings) else max(n_ratings, 0.0)  # a rating without a count
        stars = min(max(rating, 0.0), 5.0)  # weighs like one rating
        shrunk = (stars * weight + p.rating_prior * p.rating_strength) / (
            weight + p.rating_strength
        )
    n_listings, n_takedowns = _count(listings), _count(takedowns)
    diversity = 0.0
    if not (math.isnan(brands) or math.isnan(listings)):
        diversity = max(brands, 0.0) / (n_listings + 1.0)
    history_missing = all(math.isnan(v) for v in history)
    return (
        math.log1p(age0),
        float(age_missing),
        float(not age_missing and age0 < NEW_SELLER_DAYS),
        shrunk,
        math.log1p(_count(n_ratings)),
        (n_takedowns + p.takedown_alpha) / (n_listings + p.takedown_alpha + p.takedown_beta),
        float(n_takedowns > 0),
        math.log1p(n_listings),
        0.0 if age_missing else math.log1p(n_listings / (age0 + 1.0)),
        diversity,
        (_count(returns) + p.return_alpha) / (_count(orders) + p.return_alpha + p.return_beta),
        math.log1p(_count(gmv)),
        float(history_missing),
        authorised,
    )


def seller_columns(
    history: Sequence[np.ndarray], authorised: np.ndarray, p: SellerPriors
) -> np.ndarray:
    """``seller_row`` of every listing at once, column by column (bit-identical to it).

    Parameters
    ----------
    history : sequence of ndarray
        The ``HISTORY_COLUMNS`` values (float64, NaN = missing), one array per column.
    authorised : ndarray
        Whether each seller is authorised for the detected brand (0.0 or 1.0).
    p : SellerPriors
        The smoothing parameters.

    Returns
    -------
    ndarray of shape (n_listings, len(FEATURES))
    """
    age, rating, n_ratings, listings, takedowns, brands, gmv, orders, returns = history
    with np.errstate(all="ignore"):
        age_missing = np.isnan(age)
        age0 = np.where(age_missing, 0.0, at_least_zero(age))
        weight = np.where(np.isnan(n_ratings), 1.0, at_least_zero(n_ratings))
        stars = at_least_zero(rating)
        stars = np.where(stars > 5.0, 5.0, stars)
        shrunk = (stars * weight + p.rating_prior * p.rating_strength) / (
            weight + p.rating_strength
        )
        shrunk = np.where(np.isnan(rating), p.rating_prior, shrunk)
        n_listings, n_takedowns = counts_of(listings), counts_of(takedowns)
        diversity = np.where(
            np.isnan(brands) | np.isnan(listings), 0.0, at_least_zero(brands) / (n_listings + 1.0)
        )
        velocity = np.where(age_missing, 0.0, log1p_each(n_listings / (age0 + 1.0)))
        columns = (
            log1p_each(age0),
            age_missing,
            ~age_missing & (age0 < NEW_SELLER_DAYS),
            shrunk,
            log1p_each(counts_of(n_ratings)),
            (n_takedowns + p.takedown_alpha) / (n_listings + p.takedown_alpha + p.takedown_beta),
            n_takedowns > 0,
            log1p_each(n_listings),
            velocity,
            diversity,
            (counts_of(returns) + p.return_alpha)
            / (counts_of(orders) + p.return_alpha + p.return_beta),
            log1p_each(counts_of(gmv)),
            np.logical_and.reduce([np.isnan(v) for v in history]),
            authorised,
        )
    return as_features(columns, len(age))


class SellerRisk(ListingTransformer):
    """Features of the seller's history, smoothed, and whether the seller is authorised.

    Reads the ``seller_*`` history columns (all optional), ``seller_id`` and ``detected_brand``
    (from ``BrandMentions``). Outputs, in order: ``seller_log_age`` (log1p days, 0 when missing),
    ``seller_age_missing``, ``seller_new`` (younger than 30 days), ``seller_rating_shrunk``
    (rating shrunk toward ``rating_prior`` by its number of ratings; the prior when missing),
    ``seller_log_n_ratings``, ``seller_takedown_rate`` ((takedowns + alpha) / (listings + alpha +
    beta)), ``seller_has_takedowns``, ``seller_log_listings``, ``seller_velocity`` (log1p of
    listings per day of age), ``seller_brand_diversity`` (brands / (listings + 1)),
    ``seller_return_rate`` (smoothed returns / orders over 90 days), ``seller_log_gmv``,
    ``seller_history_missing`` (no history column has a value) and ``seller_authorised`` (the
    registry lists the seller as authorised for the detected brand).

    Parameters
    ----------
    registry : str, Path, BrandRegistry or None, default=None
        Registry with the authorised sellers (None: the shipped one).
    rating_prior : float, default=4.6
        Rating assumed for a seller without ratings (0-5).
    rating_strength : float, default=20.0
        Pseudo-count of the rating prior.
    takedown_alpha, takedown_beta : float, default=0.5, 20.0
        Beta prior of the takedown rate (prior mean alpha / (alpha + beta)).
    return_alpha, return_beta : float, default=1.0, 19.0
        Beta prior of the return rate (prior mean 5%).

    Attributes
    ----------
    registry_ : BrandRegistry
    priors_ : SellerPriors
        The validated smoothing parameters.
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> sr = SellerRisk().fit(pd.DataFrame({"seller_id": ["a"]}))
    >>> f = sr.transform_record({"seller_age_days": 3, "seller_n_listings": 40,
    ...                          "seller_n_takedowns": 6})
    >>> round(float(f[5]), 3)  # smoothed takedown rate (6 + 0.5) / (40 + 20.5)
    0.107
    """

    def __init__(
        self,
        *,
        registry: RegistryLike = None,
        rating_prior: float = 4.6,
        rating_strength: float = 20.0,
        takedown_alpha: float = 0.5,
        takedown_beta: float = 20.0,
        return_alpha: float = 1.0,
        return_beta: float = 19.0,
    ) -> None:
        self.registry = registry
        self.rating_prior = rating_prior
        self.rating_strength = rating_strength
        self.takedown_alpha = takedown_alpha
        self.takedown_beta = takedown_beta
        self.return_alpha = return_alpha
        self.return_beta = return_beta

    def fit(self, X: pd.DataFrame, y: object = None) -> SellerRisk:
        """Validate the parameters and load the registry; nothing is learned from the data.

        Parameters
        ----------
        X : DataFrame
            Listings (every column optional).
        y : ignored

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        for name in ("rating_strength", "takedown_alpha", "takedown_beta", "return_alpha",
                     "return_beta"):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        prior = self.rating_prior
        if isinstance(prior, bool) or not isinstance(prior, int | float) or not 0 <= prior <= 5:
            raise ValueError(f"rating_prior must be a number in 0..5, got {prior!r}")
        if min(self.takedown_alpha + self.takedown_beta, self.return_alpha + self.return_beta) <= 0:
            raise ValueError("alpha + beta of a smoothed rate must be positive")
        if self.rating_strength == 0:
            raise ValueError("rating_strength must be positive")
        self.registry_ = resolve_registry(self.registry)
        self.priors_ = SellerPriors(
            float(self.rating_prior),
            float(self.rating_strength),
            float(self.takedown_alpha),
            float(self.takedown_beta),
            float(self.return_alpha),
            float(self.return_beta),
        )
        self.feature_names_out_ = list(FEATURES)
        return self

    def _authorised(self, seller: str, brand: str) -> float:
        return float(bool(brand) and brand in self.registry_.authorised.get(seller.strip(), ()))

    def _transform_frame(self, X: pd.DataFrame) -> np.ndarray:
        history = [number_column(X, c) for c in HISTORY_COLUMNS]
        sellers = text_column(X, "seller_id")
        brands = text_column(X, "detected_brand")
        flags = [self._authorised(s, b) for s, b in zip(sellers, brands, strict=True)]
        return seller_columns(history, np.asarray(flags, dtype="float64"), self.priors_)

    def transform_record(self, record: Mapping[str, Any]) -> np.ndarray:
        """The features of one listing (a mapping of column -> value), as ``transform`` would.

        Parameters
        ----------
        record : mapping
            One listing with canonical keys; missing keys are missing values.

        Returns
        -------
        ndarray of shape (14,)
        """
        history = [number_of(record, c) for c in HISTORY_COLUMNS]
        authorised = self._authorised(
            text_of(record, "seller_id"), text_of(record, "detected_brand")
        )
        return np.array(seller_row(history, authorised, self.priors_), dtype="float64")
