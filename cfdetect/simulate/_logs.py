"""The simulator's raw logs: what a marketplace keeps instead of per-listing seller snapshots.

``write_simulation(..., logs=DIR)`` writes, beside the listings, the logs that
``cfdetect seller-history`` reads (formats in ``docs/seller_history.md``):

- ``listings``: the listing columns of the schema without the seller_* snapshot;
- ``takedowns``: one row per reported listing, ``removed_at`` = ``reported_at``;
- ``sales``: one row per first sale, ``amount`` = the listing's price in USD;
- ``returns``: one row per returned sale;
- ``ratings``: one star at a return, or five stars ten days after a sale that is not returned;
- ``sellers``: every account: ``joined_at``, the ``hidden`` flag (history not exported) and the
  opening balance of its history before the start (``as_of`` = the start).

The logs are exported at the end of the span: an event at or after it has not happened yet and
is not written. Rebuilding the seller_* fields from these logs gives the simulator's own
snapshot fields row for row (``tests/test_history.py``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.io import TableWriter, detect_format, open_writer
from cfdetect.simulate._config import SimulationConfig
from cfdetect.simulate._tactics import SELLER_KINDS
from cfdetect.simulate._timeline import RATING_DELAY_DAYS

if TYPE_CHECKING:
    from cfdetect.simulate._core import Simulator

LOG_NAMES = ("listings", "takedowns", "sales", "returns", "ratings", "sellers")
LISTING_LOG_COLUMNS = (
    "listing_id", "title", "price", "seller_id", "description", "brand", "category", "currency",
    "condition", "quantity", "ships_from", "image_count", "created_at",
)  # fmt: skip


class SimulationLogs:
    """Writers of the raw logs of one simulation, one file per log in ``directory``.

    Parameters
    ----------
    directory : path
        Created when missing.
    config : SimulationConfig
        For the export time (the end of the span) and the opening balance time (the start).
    suffix : str
        File ending of every log: ``csv``, ``csv.gz``, ``jsonl``, ``jsonl.gz`` or ``parquet``.
    """

    def __init__(
        self, directory: str | Path, config: SimulationConfig, suffix: str = "csv"
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.config = config
        self.suffix = suffix
        self.text = not suffix.startswith("parquet")
        self.end = pd.Timestamp(config.end_seconds, unit="s", tz="UTC")
        self._stack = contextlib.ExitStack()
        self._writers: dict[str, TableWriter] = {}
        self.rows: dict[str, int] = dict.fromkeys(LOG_NAMES, 0)

    def path(self, name: str) -> Path:
        """File of one log."""
        return self.directory / f"{name}.{self.suffix}"

    def __enter__(self) -> SimulationLogs:
        for name in LOG_NAMES:
            self._writers[name] = self._stack.enter_context(open_writer(self.path(name)))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.__exit__(exc_type, exc, tb)

    def _write(self, name: str, frame: pd.DataFrame) -> None:
        self._writers[name].write(iso_timestamps(frame) if self.text else frame)
        self.rows[name] += len(frame)

    def add(self, chunk: pd.DataFrame) -> None:
        """Log the listings of one output chunk and the events they lead to before the end."""
        self._write("listings", chunk[list(LISTING_LOG_COLUMNS)])
        ids, sellers = chunk["listing_id"], chunk["seller_id"]
        end = self.end

        def events(when: pd.Series, column: str, **extra: object) -> pd.DataFrame:
            keep = (when.notna() & (when < end)).to_numpy()
            frame = pd.DataFrame(
                {"listing_id": ids[keep], "seller_id": sellers[keep], column: when[keep]}
            )
            for name, values in extra.items():
                frame[name] = np.asarray(values)[keep] if not np.isscalar(values) else values
            return frame.reset_index(drop=True)

        usd = chunk["currency"].map(USD_PER_UNIT).to_numpy(dtype=float)
        cents = np.round(chunk["price"].to_numpy(dtype=float) * usd * 100)
        self._write("takedowns", events(chunk["reported_at"], "removed_at"))
        self._write("sales", events(chunk["first_sale_at"], "sold_at", amount=cents / 100.0,
                                    currency="USD"))  # fmt: skip
        self._write("returns", events(chunk["returned_at"], "returned_at"))
        sold = chunk["first_sale_at"]
        returned = chunk["returned_at"]
        rated_at = returned.where(returned.notna(), sold + pd.Timedelta(days=RATING_DELAY_DAYS))
        stars = np.where(returned.notna(), 1, 5)
        self._write("ratings", events(rated_at, "rated_at", stars=stars))

    def finish(self, simulator: Simulator) -> None:
        """Write the sellers table: join dates, hidden flags, opening balances as of the start."""
        table = simulator.sellers
        start = pd.Timestamp(self.config.start_seconds, unit="s", tz="UTC")
        kinds = np.array([k.name for k in SELLER_KINDS], dtype=object)
        joined = pd.to_datetime(table["created"], unit="s", utc=True)
        frame = pd.DataFrame(
            {
                "seller_id": pd.Series(table["seller_id"], dtype="string"),
                "joined_at": pd.Series(joined).astype("datetime64[us, UTC]"),
                "hidden": table["hidden"].astype(bool),
                "as_of": pd.Series([start] * len(table)).astype("datetime64[us, UTC]"),
                "prior_listings": table["prior_listings"],
                "prior_brands": table["prior_brands"],
                "prior_takedowns": table["prior_takedowns"],
                "prior_n_ratings": table["prior_rating_n"],
                "prior_rating_sum": table["prior_rating_sum"],
                "prior_gmv_90d": table["prior_gmv_cents"] / 100.0,
                "prior_orders_90d": table["prior_orders"],
                "prior_returns_90d": table["prior_returns"],
                "seller_kind": pd.Series(kinds[table["kind"]], dtype="string"),
            }
        )
        for start_row in range(0, len(frame), self.config.chunk_size):
            self._write("sellers", frame.iloc[start_row : start_row + self.config.chunk_size])


def log_suffix(path: str | Path, fmt: str | None) -> str:
    """File ending of the logs: the listing output's format (and gzip), e.g. ``csv.gz``.

    Examples
    --------
    >>> log_suffix("out/listings.parquet", None), log_suffix("x.jsonl.gz", None)
    ('parquet', 'jsonl.gz')
    """
    kind, gz = detect_format(path, fmt)
    return kind + (".gz" if gz else "")


def iso_timestamps(chunk: pd.DataFrame) -> pd.DataFrame:
    """Timestamps as ISO 8601 UTC text (``2025-01-01T00:25:40Z``), empty when missing.

    Formatting here is several times faster than letting the CSV writer format tz-aware values.
    """
    out = chunk.copy(deep=False)
    for name in out.columns:
        if isinstance(out[name].dtype, pd.DatetimeTZDtype):
            seconds = out[name].dt.tz_convert(None).to_numpy().astype("datetime64[s]")
            text = np.char.add(np.datetime_as_string(seconds, unit="s"), "Z").astype(object)
            text[np.isnat(seconds)] = None
            out[name] = text
    return out
