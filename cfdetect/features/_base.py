"""Plumbing shared by the listing transformers: input checks, column access, registry loading.

Every transformer of ``cfdetect.features`` reads a pandas DataFrame whose columns carry the
canonical listing names of ``docs``/``DESIGN.md`` (``title``, ``price``, ``seller_age_days``, ...).
Optional columns may be absent: a missing column reads as missing values. Columns are looked up
by name, so the columns seen by ``transform`` need not be those seen by ``fit``.

The same helpers read one listing given as a mapping (``transform_record``): ``text_of`` and
``number_of`` return exactly what ``text_column`` and ``number_column`` return for a one-row frame.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from cfdetect._parsers import ParseError, parse_condition, parse_country
from cfdetect.features._text import as_text, normalize_text
from cfdetect.registry import BrandRegistry, default_registry_path, load_registry

RegistryLike = str | Path | BrandRegistry | None

_REGISTRY_CACHE: dict[tuple[str, int, int], BrandRegistry] = {}


def resolve_registry(registry: RegistryLike) -> BrandRegistry:
    """Return a loaded ``BrandRegistry`` from a path, an already loaded registry, or None.

    ``None`` means the shipped registry. Files are read once per (path, size, mtime).
    """
    if isinstance(registry, BrandRegistry):
        return registry
    if registry is not None and not isinstance(registry, str | Path):
        raise TypeError(
            f"registry must be a path, a BrandRegistry or None, not {type(registry).__name__}"
        )
    path = Path(registry) if registry is not None else default_registry_path()
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return load_registry(path)  # raises a readable InputError
    if key not in _REGISTRY_CACHE:
        _REGISTRY_CACHE[key] = load_registry(path)
    return _REGISTRY_CACHE[key]


def text_column(X: pd.DataFrame, column: str) -> list[str]:
    """The values of a text column as strings; missing column or values give ``""``."""
    if column not in X.columns:
        return [""] * len(X)
    series = X[column]
    if isinstance(series.dtype, pd.StringDtype):  # strings or missing values only
        return series.to_numpy(dtype=object, na_value="").tolist()
    return [v if type(v) is str else as_text(v) for v in series.tolist()]


def number_column(X: pd.DataFrame, column: str) -> np.ndarray:
    """The values of a numeric column as float64; missing, unreadable or infinite -> NaN."""
    if column not in X.columns:
        return np.full(len(X), np.nan)
    series = X[column]
    if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
        series = pd.to_numeric(series.astype(object), errors="coerce")
    values = series.to_numpy(dtype="float64", na_value=np.nan, copy=True)
    values[~np.isfinite(values)] = np.nan
    return values


def text_of(record: Mapping[str, Any], column: str) -> str:
    """The text of ``record[column]`` as ``text_column`` reads it."""
    value = record.get(column)
    return value if type(value) is str else as_text(value)


def number_of(record: Mapping[str, Any], column: str) -> float:
    """The number in ``record[column]`` as ``number_column`` reads it (NaN when missing)."""
    value = record.get(column)
    if type(value) is float:  # the common case: already a number (NaN and inf read as NaN)
        return value if value - value == 0.0 else math.nan
    if value is None or isinstance(value, bool):
        return math.nan if value is None else float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    elif isinstance(value, str):
        if not value.isascii() or "_" in value:  # float() reads "1_000" and "١٢"; pandas does not
            return number_of({"v": pd.to_numeric(value, errors="coerce")}, "v")
        try:
            number = float(value)
        except ValueError:
            return math.nan
    else:
        try:
            number = float(pd.to_numeric(value, errors="coerce"))
        except (TypeError, ValueError):
            return math.nan
    return number if math.isfinite(number) else math.nan


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch loop allocates many small objects.

    The per-row loops create no reference cycles (reference counting frees everything), but
    their allocations trigger collections that traverse every object of the process: with a
    large frame in memory that can double the time of a batch. The previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ListingTransformer(TransformerMixin, BaseEstimator):
    """Base class: a transformer of a DataFrame of listings with canonical column names.

    Subclasses set ``required_columns``, implement ``fit`` (calling ``_check_frame(X,
    reset=True)`` and setting ``feature_names_out_``) and ``_transform_frame``.
    """

    required_columns: ClassVar[tuple[str, ...]] = ()

    def _check_frame(self, X: object, *, reset: bool) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                f"{type(self).__name__} reads listings from a pandas DataFrame with named "
                f"columns ({', '.join(self.required_columns) or 'title, price, seller_id'}, ...); "
                f"got {type(X).__name__}"
            )
        missing = [c for c in self.required_columns if c not in X.columns]
        if missing:
            raise ValueError(
                f"{type(self).__name__}: the listings lack the column(s) {', '.join(missing)}"
            )
        if reset:
            if len(X) == 0:
                raise ValueError(f"{type(self).__name__}: cannot fit on 0 listings")
            validate_data(self, X, skip_check_array=True, reset=True)
        return X

    def _transform_frame(self, X: pd.DataFrame) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def transform(self, X: pd.DataFrame) -> Any:
        """Compute the features of a DataFrame of listings.

        Parameters
        ----------
        X : DataFrame
            Listings with canonical column names; optional columns may be absent.

        Returns
        -------
        ndarray of shape (n_listings, n_features) or DataFrame
            The features in the order of ``get_feature_names_out``.
        """
        check_is_fitted(self)
        X = self._check_frame(X, reset=False)
        with paused_gc():
            return self._transform_frame(X)

    def get_feature_names_out(self, input_features: Iterable[str] | None = None) -> np.ndarray:
        """Return the names of the output columns.

        Parameters
        ----------
        input_features : array-like of str, optional
            Ignored except by transformers that pass their input through; accepted for the
            scikit-learn API.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self, "feature_names_out_")
        return np.asarray(self.feature_names_out_, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True  # a DataFrame of listings
        tags.input_tags.string = True  # titles, brands, ids
        tags.input_tags.categorical = True  # condition, currency, ships_from
        tags.input_tags.allow_nan = True  # optional fields are often missing
        tags.target_tags.required = False
        if tags.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = []  # always float64, whatever the input
        return tags


def as_features(values: Iterable[np.ndarray | float], n_rows: int) -> np.ndarray:
    """Stack per-feature columns (arrays or scalars) into an ``(n_rows, k)`` float64 array."""
    columns = [np.broadcast_to(np.asarray(v, dtype="float64"), (n_rows,)) for v in values]
    if not columns:
        return np.empty((n_rows, 0))
    return np.ascontiguousarray(np.column_stack(columns), dtype="float64")


def math_each(function: Callable[[float], float], values: np.ndarray) -> np.ndarray:
    """``function`` (``math.log1p``, ``math.log``, ``math.exp``) of each value, as the
    per-listing functions compute it.

    Not numpy's ufuncs: their SIMD versions may differ from the C library in the last bit.
    """
    return np.array([function(v) for v in values.tolist()], dtype="float64")


def log1p_each(values: np.ndarray) -> np.ndarray:
    """``math.log1p`` of each value (``math_each``)."""
    return math_each(math.log1p, values)


def at_least_zero(values: np.ndarray) -> np.ndarray:
    """``max(v, 0.0)`` of each value, as Python computes it (NaN and ``-0.0`` are kept)."""
    return np.where(values < 0.0, 0.0, values)


def counts_of(values: np.ndarray) -> np.ndarray:
    """A count column: 0 for NaN, else ``max(v, 0.0)`` (as Python computes it)."""
    return np.where(np.isnan(values), 0.0, at_least_zero(values))


_CONDITIONS = frozenset({"new", "used", "refurbished", "other"})


@lru_cache(maxsize=1024)
def condition_key(text: str) -> str:
    """Canonical condition of a condition text: new, used, refurbished, other, or ``""``.

    Examples
    --------
    >>> condition_key("Seller refurbished"), condition_key(""), condition_key("New")
    ('refurbished', '', 'new')
    """
    norm = normalize_text(text)
    if not norm or norm in _CONDITIONS:
        return norm
    return parse_condition(norm)


@lru_cache(maxsize=1024)
def country_key(text: str) -> str:
    """ISO 3166 alpha-2 code of a ships-from text, ``""`` when missing or not a country.

    Examples
    --------
    >>> country_key("cn"), country_key("Hong Kong"), country_key("")
    ('CN', 'HK', '')
    """
    text = text.strip()
    if not text:
        return ""
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text.upper()
    try:
        return parse_country(text)
    except ParseError:
        return ""


def target_array(y: object, n_rows: int) -> np.ndarray | None:
    """Labels as float64 (1 counterfeit, 0 genuine, NaN unknown); None when ``y`` is None."""
    if y is None:
        return None
    values = pd.to_numeric(pd.Series(np.asarray(y, dtype=object).ravel()), errors="coerce")
    labels = values.to_numpy(dtype="float64", na_value=np.nan)
    if labels.shape[0] != n_rows:
        raise ValueError(f"y has {labels.shape[0]} labels for {n_rows} listings")
    bad = np.isfinite(labels) & ~np.isin(labels, (0.0, 1.0))
    if bad.any():
        raise ValueError("y must hold 0 (genuine) and 1 (counterfeit) labels")
    return labels
