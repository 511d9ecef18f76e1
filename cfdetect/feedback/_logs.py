"""Reading the platform's outcome logs (review verdicts, appeals, notices) through cfdetect's IO."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cfdetect.errors import InputError
from cfdetect.io import read_chunks

LOG_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reviews": (("listing_id", "verdict_time", "verdict"), ("reviewer",)),
    "appeals": (("listing_id", "appeal_time", "outcome"), ()),
    "notices": (("listing_id", "notice_time"), ("rights_holder",)),
}
"""Per log: (required columns, optional columns)."""
VALUES: dict[str, tuple[str, tuple[str, ...]]] = {
    "reviews": ("verdict", ("infringing", "genuine")),
    "appeals": ("outcome", ("upheld", "rejected")),
}


def read_table(path: str | Path, fmt: str | None = None) -> pd.DataFrame:
    """Read a whole CSV/TSV/JSONL/Parquet file (optionally gzipped) with ``cfdetect.io``.

    Raises
    ------
    InputError
        When the file cannot be read or has rows that do not split into fields.
    """
    frames = []
    for chunk in read_chunks(path, fmt):
        if chunk.broken:
            number, _, reason = chunk.broken[0]
            raise InputError(f"{path}: row {number} cannot be read ({reason})")
        frames.append(chunk.frame)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def read_log(path: str | Path | pd.DataFrame, kind: str, fmt: str | None = None) -> pd.DataFrame:
    """Read and check one outcome log; times become UTC timestamps.

    Parameters
    ----------
    path : path or DataFrame
        The log (or an already loaded frame).
    kind : {"reviews", "appeals", "notices"}
        Which log (``LOG_COLUMNS`` names its columns).

    Returns
    -------
    DataFrame
        The required and present optional columns; ``listing_id`` as string, the time column
        as UTC timestamps, the verdict/outcome lower-cased.

    Raises
    ------
    InputError
        A missing column, an unreadable time or an unknown verdict/outcome.
    """
    required, optional = LOG_COLUMNS[kind]
    frame = path.copy() if isinstance(path, pd.DataFrame) else read_table(path, fmt)
    name = "<frame>" if isinstance(path, pd.DataFrame) else str(path)
    if frame.empty and not len(frame.columns):
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in required})
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"{name}: the {kind} log lacks the column(s) {', '.join(missing)}")
    out = frame[[c for c in (*required, *optional) if c in frame.columns]].copy()
    out["listing_id"] = out["listing_id"].astype("string").str.strip()
    if out["listing_id"].isna().any() or (out["listing_id"] == "").any():
        raise InputError(f"{name}: the {kind} log has rows without a listing_id")
    time_column = required[1]
    try:
        times = pd.to_datetime(out[time_column], utc=True, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise InputError(f"{name}: {time_column} is not a timestamp everywhere ({exc})") from None
    if times.isna().any():
        raise InputError(f"{name}: {time_column} is missing in {int(times.isna().sum())} rows")
    out[time_column] = times
    if kind in VALUES:
        column, allowed = VALUES[kind]
        values = out[column].astype("string").str.strip().str.lower()
        bad = ~values.isin(allowed)
        if bad.any():
            raise InputError(
                f"{name}: {int(bad.sum())} {column} values are not {' or '.join(allowed)} "
                f"(first: {out[column][bad].iloc[0]!r})"
            )
        out[column] = values.astype(object)
    return out.reset_index(drop=True)
