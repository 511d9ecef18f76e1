"""The shape of a listing: quantity, images, condition, origin and how the title is written."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cfdetect.features._base import (
    ListingTransformer,
    as_features,
    condition_key,
    country_key,
    counts_of,
    log1p_each,
    number_column,
    number_of,
    target_array,
    text_column,
    text_of,
)

FEATURES: tuple[str, ...] = (
    "quantity_log",
    "quantity_bulk",
    "image_count",
    "image_count_missing",
    "condition_new",
    "condition_used",
    "condition_refurbished",
    "ships_from_known",
    "ships_from_risk",
    "title_length",
    "title_upper_ratio",
    "title_digit_ratio",
    "title_emoji_count",
    "title_exclaim",
)
_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_DIGITS = bytes(range(48, 58))


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or 0x2190 <= code <= 0x21FF
        or code in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x3030, 0x303D)
    )


def title_stats(title: str) -> tuple[float, float, float, float, float]:
    """Length, uppercase share of letters, digit share of characters, emoji and ``!`` counts.

    Examples
    --------
    >>> title_stats("NEW Rolex 100% AUTHENTIC!!! 🔥")[:2], title_stats("Rolex 41mm!")[2:]
    ((29.0, 0.7647058823529411), (0.18181818181818182, 0.0, 1.0))
    """
    n = len(title)
    if n == 0:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    if title.isascii():
        raw = title.encode("ascii")
        upper = n - len(raw.translate(None, _ASCII_UPPER))
        letters = n - len(raw.translate(None, _ASCII_LETTERS))
        digits = n - len(raw.translate(None, _ASCII_DIGITS))
        emoji = 0
    else:
        upper = sum(1 for c in title if c.isupper())
        letters = sum(1 for c in title if c.isalpha())
        digits = sum(1 for c in title if c.isdigit())
        emoji = sum(1 for c in title if _is_emoji(c))
    return (
        float(n),
        upper / letters if letters else 0.0,
        digits / n,
        float(emoji),
        float(title.count("!")),
    )


def title_stats_many(titles: list[str]) -> np.ndarray:
    """``title_stats`` of many titles, shape ``(n, 5)``: ASCII titles counted at once in numpy.

    The counts are exact integers and the two ratios the same float divisions, so the result is
    bit-identical to ``title_stats`` row by row.
    """
    n = len(titles)
    out = np.zeros((n, 5), dtype="float64")
    lengths = np.fromiter(map(len, titles), dtype=np.int64, count=n)
    ascii_rows = np.fromiter(map(str.isascii, titles), dtype=bool, count=n) & (lengths > 0)
    rows = np.flatnonzero(ascii_rows)
    if len(rows):
        chars = np.frombuffer("".join([titles[i] for i in rows]).encode("ascii"), dtype=np.uint8)
        size = lengths[rows]
        starts = np.concatenate(([0], np.cumsum(size)[:-1]))

        def count(mask: np.ndarray) -> np.ndarray:
            return np.add.reduceat(mask.astype(np.int64), starts)

        upper = count((chars >= 65) & (chars <= 90))
        letters = upper + count((chars >= 97) & (chars <= 122))
        out[rows, 0] = size
        out[rows, 1] = np.where(letters > 0, upper / np.maximum(letters, 1), 0.0)
        out[rows, 2] = count((chars >= 48) & (chars <= 57)) / size
        out[rows, 4] = count(chars == 33)
    for i in np.flatnonzero(~ascii_rows & (lengths > 0)).tolist():
        out[i] = title_stats(titles[i])
    return out


def shape_row(
    quantity: float,
    images: float,
    condition: str,
    country: tuple[float, float],
    title: str,
    bulk_quantity: float,
) -> tuple[float, ...]:
    """The features of one listing (``country``: known flag and risk; ``condition``: canonical).

    The one implementation of the features: ``transform`` maps it over rows and
    ``transform_record`` calls it once.
    """
    q = 0.0 if math.isnan(quantity) else max(quantity, 0.0)
    no_images = math.isnan(images)
    return (
        math.log1p(q),
        float(q >= bulk_quantity),
        0.0 if no_images else images,
        float(no_images),
        float(condition == "new"),
        float(condition == "used"),
        float(condition == "refurbished"),
        *country,
        *title_stats(title),
    )


class ListingShape(ListingTransformer):
    """Quantity, images, condition, ships-from risk and title style of each listing.

    Outputs, in order: ``quantity_log`` (log1p units), ``quantity_bulk`` (at least
    ``bulk_quantity`` units), ``image_count`` (0 when missing) and ``image_count_missing``,
    ``condition_new`` / ``_used`` / ``_refurbished``, ``ships_from_known`` (a country is given),
    ``ships_from_risk`` (the smoothed counterfeit rate of that country in the training data; the
    overall rate for other countries), and from the original title ``title_length``,
    ``title_upper_ratio`` (share of letters in capitals), ``title_digit_ratio``,
    ``title_emoji_count`` and ``title_exclaim`` (number of ``!``).

    Parameters
    ----------
    smoothing : float, default=20.0
        Pseudo-count pulling a country's rate toward the overall rate.
    bulk_quantity : int, default=10
        Quantity from which a listing counts as bulk.

    Attributes
    ----------
    country_rate_ : dict
        Country code -> smoothed counterfeit rate (empty when fitted without labels).
    global_rate_ : float
        Counterfeit rate of the training listings (0 without labels).
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"title": ["a", "b", "c", "d"], "ships_from": ["CN", "CN", "US", "US"]})
    >>> ls = ListingShape(smoothing=2).fit(X, [1, 1, 0, 0])
    >>> round(ls.country_rate_["CN"], 3), ls.global_rate_
    (0.75, 0.5)
    """

    required_columns = ("title",)

    def __init__(self, *, smoothing: float = 20.0, bulk_quantity: int = 10) -> None:
        self.smoothing = smoothing
        self.bulk_quantity = bulk_quantity

    def fit(self, X: pd.DataFrame, y: object = None) -> ListingShape:
        """Learn the smoothed counterfeit rate per ships-from country.

        Parameters
        ----------
        X : DataFrame
            Listings (a ``title`` column is required).
        y : array-like of 0/1, optional
            Labels; without them every country's risk is 0.

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        for name in ("smoothing", "bulk_quantity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        labels = target_array(y, len(X))
        self.country_rate_: dict[str, float] = {}
        self.global_rate_ = 0.0
        if labels is not None:
            known = np.isfinite(labels)
            if known.any():
                self.global_rate_ = float(labels[known].mean())
                countries = [country_key(c) for c in text_column(X, "ships_from")]
                frame = pd.DataFrame({"country": countries, "y": labels})[known]
                stats = frame[frame["country"] != ""].groupby("country")["y"].agg(["sum", "count"])
                m = float(self.smoothing)
                for country, row in stats.iterrows():
                    total = row["count"] + m
                    rate = (row["sum"] + m * self.global_rate_) / total if total > 0 else 0.0
                    self.country_rate_[str(country)] = float(rate)
        self.feature_names_out_ = list(FEATURES)
        return self

    def _country(self, text: str) -> tuple[float, float]:
        code = country_key(text)
        if not code:
            return 0.0, self.global_rate_
        return 1.0, self.country_rate_.get(code, self.global_rate_)

    def _transform_frame(self, X: pd.DataFrame) -> np.ndarray:
        """``shape_row`` of every listing, column by column (bit-identical to it)."""
        country_memo: dict[str, tuple[float, float]] = {}
        countries = [
            country_memo[c] if c in country_memo else country_memo.setdefault(c, self._country(c))
            for c in text_column(X, "ships_from")
        ]
        cond_memo: dict[str, str] = {}
        conditions = np.array(
            [
                cond_memo[c] if c in cond_memo else cond_memo.setdefault(c, condition_key(c))
                for c in text_column(X, "condition")
            ],
            dtype=object,
        )
        n = len(X)
        quantity = counts_of(number_column(X, "quantity"))
        images = number_column(X, "image_count")
        no_images = np.isnan(images)
        known, risk = zip(*countries, strict=True) if n else ((), ())
        stats = title_stats_many(text_column(X, "title"))
        columns = [
            log1p_each(quantity),
            quantity >= float(self.bulk_quantity),
            np.where(no_images, 0.0, images),
            no_images,
            conditions == "new",
            conditions == "used",
            conditions == "refurbished",
            np.asarray(known, dtype="float64"),
            np.asarray(risk, dtype="float64"),
            *stats.T,
        ]
        return as_features(columns, n)

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
        row = shape_row(
            number_of(record, "quantity"),
            number_of(record, "image_count"),
            condition_key(text_of(record, "condition")),
            self._country(text_of(record, "ships_from")),
            text_of(record, "title"),
            float(self.bulk_quantity),
        )
        return np.array(row, dtype="float64")
