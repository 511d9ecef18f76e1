"""Seller history from raw logs: the seller_* fields of each listing as known at submission.

Marketplaces keep logs, not per-listing seller snapshots. :func:`seller_history` rebuilds the
schema's seller_* fields from a listings log and optional takedown, rating, sales and return
logs and a sellers table, counting only what happened strictly before each listing's
``created_at``, so that no later takedown or sale leaks into a feature. ``cfdetect
seller-history`` is its command; ``cfdetect train`` and ``cfdetect evaluate`` call
:func:`seller_fields` with ``--seller-logs DIR``. The log formats are in
``docs/seller_history.md`` and :data:`LOG_FORMATS`.

Examples
--------
>>> from cfdetect.history import LOG_FORMATS, SELLER_FIELDS
>>> sorted(LOG_FORMATS)
['listings', 'ratings', 'returns', 'sales', 'sellers', 'takedowns']
>>> SELLER_FIELDS[0]
'seller_age_days'
"""

from cfdetect.history._api import (
    HistoryReport,
    SellerFields,
    SellerLogs,
    peak_rss_mb,
    seller_fields,
    seller_history,
)
from cfdetect.history._engine import SELLER_FIELDS, WINDOW_DAYS
from cfdetect.history._formats import LOG_FORMATS, LogColumn, LogFormat

__all__ = [
    "LOG_FORMATS",
    "SELLER_FIELDS",
    "WINDOW_DAYS",
    "HistoryReport",
    "LogColumn",
    "LogFormat",
    "SellerFields",
    "SellerLogs",
    "peak_rss_mb",
    "seller_fields",
    "seller_history",
]
