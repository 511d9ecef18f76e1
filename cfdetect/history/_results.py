"""What a seller-history run gives back: ``SellerFields`` (each row's fields, read back in row
order from result buckets) and its ``HistoryReport``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cfdetect.errors import UsageError
from cfdetect.history._engine import SELLER_FIELDS
from cfdetect.history._spill import ShardStore
from cfdetect.schema import dtype_of

BUCKET_ROWS = 1 << 18
"""Output rows per result bucket."""


@dataclass
class HistoryReport:
    """What a seller-history run read and wrote.

    Attributes
    ----------
    rows : int
        Rows of the listings answered (``data``).
    answered : int
        Rows that got seller fields (the others could not be read; ``strict=False`` only).
    from_log : int
        Rows answered as rows of a separate listings log (matched by listing id).
    log_rows : dict
        Rows read per log.
    shards : int
        Seller shards.
    spilled_bytes : int
        Bytes written to the temporary directory (0: everything fit the memory budget).
    seconds : float
    peak_rss_mb : float
        Peak resident memory of the process so far (``getrusage``), MiB.
    output : str
    """

    rows: int = 0
    answered: int = 0
    from_log: int = 0
    log_rows: dict[str, int] = field(default_factory=dict)
    shards: int = 0
    spilled_bytes: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    output: str = ""


class SellerFields:
    """The seller fields of every row of ``data``, read back in row order.

    Made by :func:`seller_fields`; close it (or use it as a context manager) to remove its
    temporary files.
    """

    def __init__(self, store: ShardStore, n_rows: int, report: HistoryReport) -> None:
        self._store = store
        self.n_rows = n_rows
        self.report = report
        self._bucket = -1
        self._dense = np.zeros((0, len(SELLER_FIELDS)))

    def values(self, positions: np.ndarray) -> np.ndarray:
        """Fields of 0-based rows (any order; ascending reads each bucket once), shape (n, 9)."""
        out = np.full((len(positions), len(SELLER_FIELDS)), np.nan)
        if not len(positions):
            return out
        buckets = positions // BUCKET_ROWS
        for bucket in np.unique(buckets):
            rows = np.flatnonzero(buckets == bucket)
            dense = self._load(int(bucket))
            out[rows] = dense[positions[rows] - bucket * BUCKET_ROWS]
        return out

    def frame(self, positions: np.ndarray) -> pd.DataFrame:
        """The ``SELLER_FIELDS`` of 0-based rows as columns in the schema's dtypes."""
        values = self.values(positions)
        return pd.DataFrame(
            {name: pd.Series(values[:, j]).astype(dtype_of(name))
             for j, name in enumerate(SELLER_FIELDS)}
        )  # fmt: skip

    def attach(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Replace the seller_* columns of validated rows (by their ``row_number``).

        Examples
        --------
        >>> with seller_fields(frame, "logs/") as fields:  # doctest: +SKIP
        ...     rows = fields.attach(validated_rows)
        """
        if "row_number" not in rows.columns:
            raise UsageError("attach needs validated rows (with their row_number column)")
        positions = rows["row_number"].to_numpy(dtype=np.int64) - 1
        fields = self.frame(positions)
        out = rows.copy()
        for name in SELLER_FIELDS:
            out[name] = fields[name].to_numpy()
            out[name] = out[name].astype(dtype_of(name))
        return out

    def _load(self, bucket: int) -> np.ndarray:
        if bucket != self._bucket:
            size = min(BUCKET_ROWS, max(self.n_rows - bucket * BUCKET_ROWS, 0))
            dense = np.full((size, len(SELLER_FIELDS)), np.nan)
            part = self._store.load("results", bucket)
            if part is not None:
                local = part["dst"] - bucket * BUCKET_ROWS
                dense[local] = np.column_stack([part[f"v{j}"] for j in range(len(SELLER_FIELDS))])
            self._dense, self._bucket = dense, bucket
        return self._dense

    def close(self) -> None:
        """Remove the temporary files."""
        self._store.close()

    def __enter__(self) -> SellerFields:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
