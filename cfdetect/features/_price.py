"""How a listing's price compares with the usual price of what it claims to be.

The reference of a (brand, product type) is learned from genuine training listings as a robust
centre (median of the log USD price) and scale (MAD x 1.4826), each shrunk toward the registry's
prior (the geometric mean of its retail range, and a quarter of the range's log width) with weight
``n / (n + prior_strength)``. Listings without a brand are compared with the median of their
category. Used and refurbished items get a learned offset (they sell below new).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.features._base import (
    ListingTransformer,
    RegistryLike,
    as_features,
    condition_key,
    math_each,
    number_column,
    number_of,
    resolve_registry,
    target_array,
    text_column,
    text_of,
)
from cfdetect.features._text import normalize_text

FEATURES: tuple[str, ...] = (
    "price_log_usd",
    "price_log_ratio",
    "price_robust_z",
    "price_has_reference",
    "price_ratio",
    "price_below_half",
    "price_reference_level",
    "price_below_floor",
)
MAD_TO_SD = 1.4826
Z_LIMIT = 10.0
RATIO_LIMIT = 10.0
_OFFSET_CONDITIONS = ("used", "refurbished", "other")
# Reference levels: which reference a listing was compared with.
LEVEL_NONE, LEVEL_CATEGORY, LEVEL_BRAND, LEVEL_PRODUCT, LEVEL_LINE = 0.0, 1.0, 2.0, 3.0, 4.0

# (log-USD centre, log scale, level, log-USD floor: the registry's lowest new retail price of
# the brand's product type, NaN when the registry has none)
Reference = tuple[float, float, float, float]
_NO_FLOOR = math.nan


def usd_rate(currency: str) -> float:
    """USD per unit of a currency code (``""`` is USD; an unknown code gives NaN)."""
    code = currency.strip().upper()
    if not code:
        return 1.0
    return USD_PER_UNIT.get(code, math.nan)


_LOG_HALF = math.log(0.5)
_LOG_RATIO_LIMIT = math.log(RATIO_LIMIT)


def price_row(price: float, rate: float, reference: Reference) -> tuple[float, ...]:
    """The price features of one listing: its price, USD rate and (centre, scale, level).

    The one implementation of the features: ``transform`` maps it over rows and
    ``transform_record`` calls it once. A NaN centre means no reference.
    """
    centre, scale, level, floor = reference
    usd = price * rate
    if not usd > 0:  # also NaN: unknown price or currency
        return 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, LEVEL_NONE, 0.0
    log_price = math.log(usd)
    below_floor = float(log_price < floor)  # False for a NaN floor
    if math.isnan(centre):
        return log_price, 0.0, 0.0, 0.0, 1.0, 0.0, LEVEL_NONE, below_floor
    ratio = log_price - centre
    z = min(max(ratio / scale, -Z_LIMIT), Z_LIMIT)
    return (
        log_price,
        ratio,
        z,
        1.0,
        min(math.exp(min(ratio, _LOG_RATIO_LIMIT)), RATIO_LIMIT),
        float(ratio < _LOG_HALF),
        level,
        below_floor,
    )


def price_columns(prices: np.ndarray, rates: np.ndarray, references: np.ndarray) -> np.ndarray:
    """``price_row`` of every listing at once, column by column (bit-identical to it).

    Parameters
    ----------
    prices, rates : ndarray of shape (n,)
        Prices and USD rates (NaN when unknown).
    references : ndarray of shape (n, 4)
        (centre, scale, level, floor) of each listing.

    Returns
    -------
    ndarray of shape (n, len(FEATURES))
    """
    centre, scale, level, floor = references.T
    usd = prices * rates
    priced = usd > 0  # not NaN either
    log_price = np.zeros(len(usd))
    log_price[priced] = math_each(math.log, usd[priced])
    known = priced & ~np.isnan(centre)
    with np.errstate(all="ignore"):
        ratio = log_price - centre
        z = ratio / scale
    z = np.where(z < -Z_LIMIT, -Z_LIMIT, z)
    z = np.where(z > Z_LIMIT, Z_LIMIT, z)
    capped = np.where(ratio > _LOG_RATIO_LIMIT, _LOG_RATIO_LIMIT, ratio)
    times = np.ones(len(usd))
    times[known] = math_each(math.exp, capped[known])
    times = np.where(times > RATIO_LIMIT, RATIO_LIMIT, times)
    columns = (
        log_price,
        np.where(known, ratio, 0.0),
        np.where(known, z, 0.0),
        known,
        times,
        known & (ratio < _LOG_HALF),
        np.where(known, level, LEVEL_NONE),
        priced & (log_price < floor),
    )
    return as_features(columns, len(usd))


def _robust(values: np.ndarray) -> tuple[int, float, float]:
    median = float(np.median(values))
    return len(values), median, float(np.median(np.abs(values - median))) * MAD_TO_SD


def _robust_groups(frame: pd.DataFrame, keys: list[str]) -> dict[Any, tuple[int, float, float]]:
    """``_robust`` of ``log_usd`` per group of ``keys``, computed with one groupby."""
    if frame.empty:
        return {}
    grouped = frame.groupby(keys, sort=True)["log_usd"]
    median = grouped.transform("median")
    spread = (frame["log_usd"] - median).abs().groupby([frame[k] for k in keys], sort=True)
    table = pd.DataFrame(
        {"n": grouped.size(), "median": grouped.median(), "mad": spread.median() * MAD_TO_SD}
    )
    return {
        (tuple(str(k) for k in key) if isinstance(key, tuple) else str(key)): (int(n), m, d)
        for key, n, m, d in zip(
            table.index,
            table["n"],
            table["median"].astype(float),
            table["mad"].astype(float),
            strict=True,
        )
    }


def _prior_from_range(low: float, high: float, min_scale: float) -> tuple[float, float] | None:
    if not (low > 0 and high > 0 and math.isfinite(low) and math.isfinite(high)):
        return None
    lo, hi = math.log(low), math.log(high)
    return (lo + hi) / 2.0, max((hi - lo) / 4.0, min_scale)


class PriceReference(ListingTransformer):
    """Compare each listing's price with the usual price of its brand and product type.

    Reads ``price``, ``currency`` (default USD; a currency missing from ``USD_PER_UNIT`` makes
    the price unknown), ``detected_brand`` and ``detected_product_type`` (from
    ``BrandMentions``), and optionally ``category`` and ``condition``. Outputs, in order:

    - ``price_log_usd``: log of the price in USD (0 when unknown);
    - ``price_log_ratio``: log price minus the reference centre (0 without a reference);
    - ``price_robust_z``: that ratio over the reference scale, clipped to [-10, 10];
    - ``price_has_reference``: 1 when a reference applies;
    - ``price_ratio``: price / reference, clipped to [0, 10] (1 without a reference);
    - ``price_below_half``: 1 when the price is below half the reference;
    - ``price_reference_level``: 4 product line, 3 brand and product type, 2 brand, 1 category,
      0 none;
    - ``price_below_floor``: 1 when the price is under the registry's lowest retail price for the
      brand's product type (the floor of its retail range: no genuine new item of that type sells
      for less), 0 otherwise and when the registry has no range.

    The product line (``detected_line``, e.g. "submariner") has its own reference when genuine
    training listings name it: a line has one list price, so its reference is much sharper than
    the range of its product type, which is the line's prior.

    Parameters
    ----------
    registry : str, Path, BrandRegistry or None, default=None
        Registry whose retail ranges are the priors (None: the shipped one).
    prior_strength : float, default=20.0
        Pseudo-count of the prior: with n genuine listings the data get weight n / (n + 20).
    min_scale : float, default=0.25
        Smallest scale of a reference, in log units (a 25% spread).

    Attributes
    ----------
    centres_ : dict
        (brand, product type) -> log-USD centre; product type ``""`` is the brand-level centre.
    scales_ : dict
        Same keys -> log scale.
    counts_ : dict
        Same keys -> number of genuine training listings.
    line_centres_, line_scales_, line_counts_ : dict
        (brand, product line) -> log-USD centre, log scale, genuine training listings.
    category_centres_, category_scales_ : dict
        Normalised category -> centre / scale, for listings without a brand.
    condition_offsets_ : dict
        Condition -> log offset of its prices from the reference (used, refurbished, other).
    global_reference_ : tuple of float or None
        (median, MAD scale) of all genuine log prices: the prior of brands the registry lacks.
    registry_ : BrandRegistry
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"price": [9000.0, 9500.0, 120.0], "detected_brand": ["Rolex"] * 3,
    ...                   "detected_product_type": ["watch"] * 3})
    >>> pr = PriceReference().fit(X, [0, 0, 1])
    >>> f = pr.transform_record({"price": 450.0, "detected_brand": "Rolex"})
    >>> bool(f[5])  # below half of the usual Rolex price
    True
    """

    required_columns = ("price",)

    def __init__(
        self,
        *,
        registry: RegistryLike = None,
        prior_strength: float = 20.0,
        min_scale: float = 0.25,
    ) -> None:
        self.registry = registry
        self.prior_strength = prior_strength
        self.min_scale = min_scale

    def fit(self, X: pd.DataFrame, y: object = None) -> PriceReference:
        """Learn the price references from the genuine listings (``y == 0``; all if y is None).

        Parameters
        ----------
        X : DataFrame
            Listings with ``price`` and the ``BrandMentions`` columns.
        y : array-like of 0/1, optional
            1 for counterfeit listings, which are left out of the references.

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        for name in ("prior_strength", "min_scale"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        if not self.min_scale > 0:
            raise ValueError("min_scale must be positive")
        labels = target_array(y, len(X))
        self.registry_ = resolve_registry(self.registry)
        rates = self._rates(X)
        with np.errstate(divide="ignore", invalid="ignore"):
            usd = number_column(X, "price") * rates
            log_prices = np.log(np.where(usd > 0, usd, np.nan))
        genuine = np.isfinite(log_prices)
        if labels is not None:
            genuine &= labels == 0
        frame = pd.DataFrame(
            {
                "brand": text_column(X, "detected_brand"),
                "ptype": text_column(X, "detected_product_type"),
                "line": text_column(X, "detected_line"),
                "category": [normalize_text(c) for c in text_column(X, "category")],
                "condition": [condition_key(c) for c in text_column(X, "condition")],
                "log_usd": log_prices,
            }
        )[genuine]
        self._fit_references(frame)
        self._fit_condition_offsets(frame)
        self.floors_ = {
            (str(r.brand), str(r.product_type)): math.log(float(r.price_low_usd))
            for r in self.registry_.table.itertuples(index=False)
            if float(r.price_low_usd) > 0
        }
        self.feature_names_out_ = list(FEATURES)
        return self

    def _shrink(
        self, stats: tuple[int, float, float], prior: tuple[float, float] | None
    ) -> tuple[float, float]:
        n, median, spread = stats
        if prior is None:
            return median, max(spread, self.min_scale)
        w = n / (n + self.prior_strength) if n + self.prior_strength > 0 else 1.0
        centre = w * median + (1.0 - w) * prior[0]
        return centre, max(w * spread + (1.0 - w) * prior[1], self.min_scale)

    def _fit_references(self, frame: pd.DataFrame) -> None:
        min_scale = float(self.min_scale)
        values = frame["log_usd"].to_numpy()
        self.global_reference_ = _robust(values)[1:] if len(values) else None
        global_prior = (
            (self.global_reference_[0], max(self.global_reference_[1], min_scale))
            if self.global_reference_ is not None
            else None
        )
        brand_priors = {
            str(r.brand): _prior_from_range(r.price_low_usd, r.price_high_usd, min_scale)
            for r in self.registry_.brands.itertuples(index=False)
        }
        type_priors = {
            (str(r.brand), str(r.product_type)): _prior_from_range(
                r.price_low_usd, r.price_high_usd, min_scale
            )
            for r in self.registry_.table.itertuples(index=False)
        }
        branded = frame[frame["brand"] != ""]
        brand_stats = _robust_groups(branded, ["brand"])
        type_stats = _robust_groups(branded[branded["ptype"] != ""], ["brand", "ptype"])
        centres: dict[tuple[str, str], float] = {}
        scales: dict[tuple[str, str], float] = {}
        counts: dict[tuple[str, str], int] = {}
        for brand in sorted(set(brand_priors) | set(brand_stats)):
            prior = brand_priors.get(brand) or global_prior
            stats = brand_stats.get(brand, (0, 0.0, 0.0))
            if prior is None and stats[0] == 0:
                continue
            centres[brand, ""], scales[brand, ""] = self._shrink(stats, prior)
            counts[brand, ""] = stats[0]
        for key in sorted(set(type_priors) | set(type_stats)):
            brand_key = (key[0], "")
            brand_level = (centres[brand_key], scales[brand_key]) if brand_key in centres else None
            prior = type_priors.get(key) or brand_level or global_prior
            stats = type_stats.get(key, (0, 0.0, 0.0))
            if prior is None and stats[0] == 0:
                continue
            centres[key], scales[key] = self._shrink(stats, prior)
            counts[key] = stats[0]
        self.centres_, self.scales_, self.counts_ = centres, scales, counts
        self.line_centres_: dict[tuple[str, str], float] = {}
        self.line_scales_: dict[tuple[str, str], float] = {}
        self.line_counts_: dict[tuple[str, str], int] = {}
        lined = branded[branded["line"] != ""]
        # a line's prior is its product type's reference (the type it is most often seen with)
        pairs = (
            lined[lined["ptype"] != ""]
            .groupby(["brand", "line", "ptype"], sort=True)
            .size()
            .reset_index(name="n")
            .sort_values(["brand", "line", "n"], ascending=[True, True, False], kind="stable")
            .drop_duplicates(["brand", "line"])
        )
        line_type = {
            (str(b), str(line)): str(t)
            for b, line, t in zip(pairs["brand"], pairs["line"], pairs["ptype"], strict=True)
        }
        for line_key, stats in _robust_groups(lined, ["brand", "line"]).items():
            key = (line_key[0], line_type.get(line_key, ""))
            parent = key if key in centres else (line_key[0], "")
            prior = (centres[parent], scales[parent]) if parent in centres else global_prior
            self.line_centres_[line_key], self.line_scales_[line_key] = self._shrink(stats, prior)
            self.line_counts_[line_key] = stats[0]
        self.category_centres_: dict[str, float] = {}
        self.category_scales_: dict[str, float] = {}
        for category, group in frame[frame["category"] != ""].groupby("category", sort=True):
            centre, scale = self._shrink(_robust(group["log_usd"].to_numpy()), global_prior)
            self.category_centres_[str(category)] = centre
            self.category_scales_[str(category)] = scale

    def _fit_condition_offsets(self, frame: pd.DataFrame) -> None:
        self.condition_offsets_: dict[str, float] = {}
        frame = frame[frame["condition"].isin(_OFFSET_CONDITIONS)]
        if frame.empty:
            return
        memo: dict[tuple[str, str, str, str], float] = {}
        keys = zip(frame["brand"], frame["ptype"], frame["category"], frame["line"], strict=True)
        centres = np.array(
            [memo[k] if k in memo else memo.setdefault(k, self._reference(*k)[0]) for k in keys]
        )
        residual = frame["log_usd"].to_numpy() - centres
        conditions = frame["condition"].to_numpy()
        for condition in _OFFSET_CONDITIONS:
            mask = (conditions == condition) & np.isfinite(residual)
            n = int(mask.sum())
            if n:
                w = n / (n + self.prior_strength) if n + self.prior_strength > 0 else 1.0
                self.condition_offsets_[condition] = w * float(np.median(residual[mask]))

    # -- lookups ------------------------------------------------------------------------------

    def _reference(self, brand: str, ptype: str, category: str, line: str = "") -> Reference:
        """(centre, scale, level) of a listing; NaN centre when there is no reference."""
        if brand:
            lines = getattr(self, "line_centres_", None)  # None: fitted before line references
            if line and lines and (brand, line) in lines:
                return lines[brand, line], self.line_scales_[brand, line], LEVEL_LINE
            if ptype and (brand, ptype) in self.centres_:
                return self.centres_[brand, ptype], self.scales_[brand, ptype], LEVEL_PRODUCT
            if (brand, "") in self.centres_:
                return self.centres_[brand, ""], self.scales_[brand, ""], LEVEL_BRAND
        if category and category in self.category_centres_:
            scale = self.category_scales_[category]
            return self.category_centres_[category], scale, LEVEL_CATEGORY
        return math.nan, math.nan, LEVEL_NONE

    def reference_for(
        self,
        brand: str,
        product_type: str | None = None,
        *,
        category: str = "",
        line: str = "",
    ) -> tuple[float, float] | None:
        """The usual price of a brand (and product type), for reason sentences.

        Parameters
        ----------
        brand : str
            Canonical brand (``""`` for none).
        product_type : str, optional
        category : str, optional
            Used when there is no brand reference.
        line : str, optional
            Product line as ``BrandMentions`` writes it (``detected_line``).

        Returns
        -------
        (centre_usd, scale) or None
            The reference price in USD (exp of the log centre) and its scale in log units;
            None when no reference applies.
        """
        if not hasattr(self, "centres_"):  # check_is_fitted costs ~10 us per reason
            check_is_fitted(self, "centres_")
        centre, scale, level = self._reference(
            brand, product_type or "", normalize_text(category), line
        )
        if level == LEVEL_NONE:
            return None
        return math.exp(centre), scale

    def _rates(self, X: pd.DataFrame) -> np.ndarray:
        memo: dict[str, float] = {}
        rates = [
            memo[c] if c in memo else memo.setdefault(c, usd_rate(c))
            for c in text_column(X, "currency")
        ]
        return np.array(rates, dtype="float64")

    def _transform_frame(self, X: pd.DataFrame) -> np.ndarray:
        memo: dict[tuple[str, str, str, str, str], Reference] = {}
        refs = []
        for key in zip(
            text_column(X, "detected_brand"),
            text_column(X, "detected_product_type"),
            text_column(X, "category"),
            text_column(X, "condition"),
            text_column(X, "detected_line"),
            strict=True,
        ):
            ref = memo.get(key)
            if ref is None:
                ref = memo[key] = self._row_reference(*key)
            refs.append(ref)
        references = np.array(refs, dtype="float64").reshape(len(refs), 4)
        return self._trim(price_columns(number_column(X, "price"), self._rates(X), references))

    def _trim(self, features: np.ndarray) -> np.ndarray:
        """The columns this fit outputs (a model fitted before ``price_below_floor`` has 7)."""
        n = len(self.feature_names_out_)
        return features if features.shape[-1] == n else features[..., :n]

    def _row_reference(
        self, brand: str, ptype: str, category: str, condition: str, line: str = ""
    ) -> Reference:
        centre, scale, level = self._reference(brand, ptype, normalize_text(category), line)
        floors = getattr(self, "floors_", None) or {}  # None: fitted before the floor
        return (
            centre + self.condition_offsets_.get(condition_key(condition), 0.0),
            scale,
            level,
            floors.get((brand, ptype), _NO_FLOOR) if brand and ptype else _NO_FLOOR,
        )

    def transform_record(self, record: Mapping[str, Any]) -> np.ndarray:
        """The features of one listing (a mapping of column -> value), as ``transform`` would.

        Parameters
        ----------
        record : mapping
            One listing with canonical keys (``detected_brand`` etc. from ``BrandMentions``).

        Returns
        -------
        ndarray of shape (8,)
        """
        reference = self._row_reference(
            text_of(record, "detected_brand"),
            text_of(record, "detected_product_type"),
            text_of(record, "category"),
            text_of(record, "condition"),
            text_of(record, "detected_line"),
        )
        rate = usd_rate(text_of(record, "currency"))
        row = np.array(price_row(number_of(record, "price"), rate, reference), dtype="float64")
        return self._trim(row)
