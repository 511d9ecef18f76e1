"""The output table: its columns and their dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cfdetect.schema import dtype_of
from cfdetect.simulate._timeline import NO_TIME

LISTING_COLUMNS: tuple[str, ...] = (
    "listing_id", "title", "price", "seller_id", "description", "brand", "category", "currency",
    "condition", "quantity", "ships_from", "image_count", "created_at", "seller_age_days",
    "seller_rating", "seller_n_ratings", "seller_n_listings", "seller_n_takedowns",
    "seller_n_brands", "seller_gmv_90d", "seller_orders_90d", "seller_returns_90d",
)  # fmt: skip
LABEL_COLUMNS: tuple[str, ...] = ("is_counterfeit", "published_at", "first_sale_at", "reported_at")
SIMULATOR_COLUMNS: tuple[str, ...] = (
    "tactic", "case", "seller_kind", "period", "reference_price_usd", "true_brand",
    "product_type", "returned_at", "language",
)  # fmt: skip
"""Simulator-only columns: how each row was made. Never model inputs."""
OUTPUT_COLUMNS: tuple[str, ...] = LISTING_COLUMNS + LABEL_COLUMNS + SIMULATOR_COLUMNS


def _timestamps(seconds: np.ndarray) -> pd.Series:
    """Seconds since the epoch (``NO_TIME`` for never) -> UTC timestamps in the schema's unit."""
    stamps = seconds.astype("datetime64[s]")
    stamps[seconds == NO_TIME] = np.datetime64("NaT")
    return pd.Series(pd.DatetimeIndex(stamps).tz_localize("UTC")).astype(dtype_of("created_at"))


def typed_frame(columns: dict[str, object]) -> pd.DataFrame:
    """Assemble a block's columns (``OUTPUT_COLUMNS``, plain arrays) with the schema's dtypes.

    Timestamps arrive as seconds since the epoch (``NO_TIME`` for never); listing and label
    columns get the dtypes of ``cfdetect.schema``; simulator-only text columns are strings.
    """
    out: dict[str, pd.Series] = {}
    for name in OUTPUT_COLUMNS:
        values = columns[name]
        if name in ("created_at", "published_at", "first_sale_at", "reported_at", "returned_at"):
            out[name] = _timestamps(np.asarray(values))
        elif name in LISTING_COLUMNS or name in LABEL_COLUMNS:
            series = pd.Series(values)
            out[name] = series.astype(dtype_of(name))
        elif name == "period":
            out[name] = pd.Series(values, dtype="int64")
        elif name == "reference_price_usd":
            out[name] = pd.Series(values, dtype="float64")
        else:
            out[name] = pd.Series(values, dtype="string")
    return pd.DataFrame(out)
