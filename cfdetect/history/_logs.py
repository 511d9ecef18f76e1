"""Where the logs are: ``SellerLogs``, given one by one or found in a directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cfdetect.errors import UsageError
from cfdetect.history._formats import LOG_FORMATS

LOG_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".jsonl", ".jsonl.gz", ".parquet")
"""File name endings a logs directory is searched for (``listings.csv``, ``sales.parquet``...)."""


@dataclass(frozen=True)
class SellerLogs:
    """Where the logs are. Every one is optional; a field whose log is missing stays empty.

    Attributes
    ----------
    listings : path, optional
        A listings log holding the listing history; without it the listings being answered are
        their own history.
    sellers, takedowns, ratings, sales, returns : path, optional
        See ``docs/seller_history.md`` for their columns.

    Examples
    --------
    >>> SellerLogs(takedowns="t.csv").given()
    ['takedowns']
    """

    listings: str | Path | None = None
    sellers: str | Path | None = None
    takedowns: str | Path | None = None
    ratings: str | Path | None = None
    sales: str | Path | None = None
    returns: str | Path | None = None

    @classmethod
    def from_dir(cls, directory: str | Path, **overrides: str | Path | None) -> SellerLogs:
        """Find ``listings``, ``sellers``, ``takedowns``, ``ratings``, ``sales`` and ``returns``
        files (any of ``LOG_SUFFIXES``) in a directory; ``overrides`` win over what is found.

        Raises
        ------
        UsageError
            When the directory does not exist or holds two files for one log.
        """
        root = Path(directory)
        if not root.is_dir():
            raise UsageError(f"--seller-logs {directory}: no such directory")
        found: dict[str, Path] = {}
        for name in LOG_FORMATS:
            hits = [root / f"{name}{s}" for s in LOG_SUFFIXES if (root / f"{name}{s}").is_file()]
            if len(hits) > 1:
                raise UsageError(
                    f"{directory}: several {name} logs ({', '.join(h.name for h in hits)}); "
                    "keep one"
                )
            if hits:
                found[name] = hits[0]
        for name, value in overrides.items():
            if value is not None:
                found[name] = Path(value)
        return cls(**found)

    def given(self) -> list[str]:
        """Names of the logs given."""
        return [name for name in LOG_FORMATS if getattr(self, name) is not None]
