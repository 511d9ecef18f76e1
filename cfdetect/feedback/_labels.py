"""Feedback logs -> labels: a point-in-time join of review verdicts, appeals and notices.

Every outcome is an *event* on a listing with a time and a label it implies:

============================  =======  ======================
event                         label    ``label_source``
============================  =======  ======================
review verdict ``infringing``  1       ``review``
review verdict ``genuine``     0       ``review``
appeal ``upheld``              0       ``appeal_upheld``
appeal ``rejected``            1       ``appeal_rejected``
notice (confirmed)             1       ``notice``
block not appealed (optional)  1       ``block_unappealed``
published, no outcome (opt.)   0       ``published_unreported``
============================  =======  ======================

The last row only with ``unappealed_blocks`` (``--unappealed-blocks-after 14d``): a block that no
appeal contested within that window counts as infringing from the window's end, on listings
with ``decision`` = block and a ``created_at``. Without it blocked listings get labels only from
appeals and the exploration slice, and a model retrained on the outcomes sees few of the
listings its prior blocked (``docs/operating.md``). Likewise ``unreported_published``
(``--unreported-after 7D``): a listing that was published (allowed, or sent to review) and
has no outcome at all within the window counts as genuine from the window's end; a later
notice or verdict overrides it (the latest event wins). Without it the labels are the review
queue's, a sample the model chose, and a model trained on them alone misjudges how rare
infringement is in the rest of the traffic.

Precedence (``docs/operating.md``):

1. **Point in time.** Only events at or before ``as_of`` count; a label exists from its event's
   time on (``label_time``).
2. **The latest event wins.** A later review verdict overrides an earlier one; an upheld appeal
   after a block (or after an ``infringing`` verdict) makes the listing genuine; a notice after a
   ``genuine`` verdict makes it infringing, and a review verdict after a notice overrides the
   notice.
3. **Ties at the same time** go to the more authoritative source: appeal, then review, then
   notice.
4. **Duplicates** (the same source and label at the same time, e.g. a verdict exported twice)
   count once. **Conflicts** (the same source at the same time with different labels, e.g. two
   reviewers disagreeing in the same second) leave the listing unlabelled: ``label_source`` is
   ``conflict`` and the label is missing, so neither side trains the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.errors import InputError, UsageError
from cfdetect.feedback._logs import read_log, read_table
from cfdetect.io import write_table

SOURCES: tuple[str, ...] = (
    "appeal_upheld", "appeal_rejected", "review", "notice", "block_unappealed",
    "published_unreported",
)  # fmt: skip
_RANK = {"appeal_upheld": 0, "appeal_rejected": 0, "review": 1, "notice": 2,
         "block_unappealed": 3, "published_unreported": 4}  # fmt: skip
"""Authority at equal times: lower wins."""
LABEL_COLUMNS: tuple[str, ...] = ("label_source", "label_time", "label_events")


@dataclass
class LabelSummary:
    """What a join produced: rows, labelled rows by source, events ignored and why."""

    rows: int = 0
    labelled: int = 0
    positives: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    events: int = 0
    after_as_of: int = 0
    unknown_listing: int = 0
    conflicts: int = 0
    duplicates: int = 0

    def lines(self) -> list[str]:
        """The summary as short lines for stderr."""
        sources = ", ".join(f"{k} {v:,}" for k, v in sorted(self.by_source.items())) or "none"
        return [
            f"{self.labelled:,} of {self.rows:,} listings labelled ({self.positives:,} "
            f"infringing); by source: {sources}",
            f"{self.events:,} events read; ignored: {self.after_as_of:,} after --as-of, "
            f"{self.unknown_listing:,} on unknown listings, {self.duplicates:,} duplicates; "
            f"{self.conflicts:,} listings left unlabelled by conflicting verdicts",
        ]


def events_frame(
    reviews: pd.DataFrame | None = None,
    appeals: pd.DataFrame | None = None,
    notices: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All outcome events as one frame: ``listing_id``, ``time``, ``label``, ``source``.

    The inputs are checked logs (:func:`cfdetect.feedback.read_log`); any may be None.
    """
    parts = []
    if reviews is not None and len(reviews):
        parts.append(
            pd.DataFrame(
                {
                    "listing_id": reviews["listing_id"].to_numpy(),
                    "time": reviews["verdict_time"].to_numpy(),
                    "label": (reviews["verdict"] == "infringing").to_numpy().astype(np.int8),
                    "source": "review",
                }
            )
        )
    if appeals is not None and len(appeals):
        upheld = (appeals["outcome"] == "upheld").to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "listing_id": appeals["listing_id"].to_numpy(),
                    "time": appeals["appeal_time"].to_numpy(),
                    "label": (~upheld).astype(np.int8),
                    "source": np.where(upheld, "appeal_upheld", "appeal_rejected"),
                }
            )
        )
    if notices is not None and len(notices):
        parts.append(
            pd.DataFrame(
                {
                    "listing_id": notices["listing_id"].to_numpy(),
                    "time": notices["notice_time"].to_numpy(),
                    "label": np.ones(len(notices), dtype=np.int8),
                    "source": "notice",
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            {
                "listing_id": pd.Series(dtype="string"),
                "time": pd.Series(dtype="datetime64[ns, UTC]"),
                "label": pd.Series(dtype=np.int8),
                "source": pd.Series(dtype=object),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    out["listing_id"] = out["listing_id"].astype("string")
    out["time"] = pd.to_datetime(out["time"], utc=True)
    return out


def resolve_events(
    events: pd.DataFrame, as_of: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, LabelSummary]:
    """One label per listing from its events, by the module's precedence rules.

    Returns
    -------
    (DataFrame, LabelSummary)
        Indexed by ``listing_id``: ``label`` (Int8, missing for a conflict), ``label_source``,
        ``label_time``, ``label_events`` (events counted).

    Examples
    --------
    >>> t = pd.Timestamp("2025-01-01", tz="UTC")
    >>> events = pd.DataFrame({"listing_id": ["a", "a"], "time": [t, t + pd.Timedelta("1D")],
    ...                        "label": [1, 0], "source": ["review", "appeal_upheld"]})
    >>> resolve_events(events)[0][["label", "label_source"]].values.tolist()
    [[0, 'appeal_upheld']]
    """
    summary = LabelSummary(events=len(events))
    if as_of is not None:
        late = events["time"] > as_of
        summary.after_as_of = int(late.sum())
        events = events[~late]
    deduped = events.drop_duplicates(["listing_id", "time", "source", "label"])
    summary.duplicates = len(events) - len(deduped)
    counts = deduped.groupby("listing_id", sort=False).size()
    frame = deduped.assign(rank=deduped["source"].map(_RANK).astype(np.int8))
    # the latest time; at that time the most authoritative source
    frame = frame.sort_values(["listing_id", "time", "rank"], ascending=[True, False, True])
    top = frame.groupby("listing_id", sort=False).head(1)
    best = frame.merge(top[["listing_id", "time", "rank"]], on=["listing_id", "time", "rank"])
    labels_at_top = best.groupby("listing_id", sort=False)["label"].nunique()
    conflicted = labels_at_top.index[labels_at_top.to_numpy() > 1]
    out = top.set_index("listing_id")[["label", "source", "time"]].rename(
        columns={"source": "label_source", "time": "label_time"}
    )
    out["label"] = out["label"].astype("Int8")
    out.loc[out.index.isin(conflicted), "label"] = pd.NA
    out.loc[out.index.isin(conflicted), "label_source"] = "conflict"
    out["label_events"] = counts.reindex(out.index).astype("int64")
    summary.conflicts = len(conflicted)
    return out, summary


def join_labels(
    listings: pd.DataFrame,
    reviews: pd.DataFrame | None = None,
    appeals: pd.DataFrame | None = None,
    notices: pd.DataFrame | None = None,
    *,
    as_of: str | pd.Timestamp | None = None,
    label_column: str = "is_counterfeit",
    unappealed_blocks: str | pd.Timedelta | None = None,
    unreported_published: str | pd.Timedelta | None = None,
) -> tuple[pd.DataFrame, LabelSummary]:
    """Label listings from the outcome logs, point in time.

    Parameters
    ----------
    listings : DataFrame
        Scored (or plain) listings with ``listing_id``; every column is kept.
    reviews, appeals, notices : DataFrame, optional
        The logs (formats in ``docs/operating.md``; checked here with :func:`read_log`).
    as_of : str or Timestamp, optional
        Only outcomes known at this time count (UTC; naive times are read as UTC).
    label_column : str
        Column to write the label to (1 infringing, 0 genuine, missing: no label); an existing
        column of that name is replaced.
    unappealed_blocks : str or Timedelta, optional
        Count a block that no appeal contested within this window (e.g. ``"14D"``) as
        infringing (needs ``decision`` and ``created_at`` columns).
    unreported_published : str or Timedelta, optional
        Count a published listing (decision allow or review) with no outcome within this window
        as genuine (needs ``decision`` and ``created_at``).

    Returns
    -------
    (DataFrame, LabelSummary)
        The listings in their order with ``label_column``, ``label_source``, ``label_time``,
        ``label_events`` added.

    Raises
    ------
    InputError
        Bad logs or listings without ``listing_id``.
    UsageError
        An unreadable ``as_of``.
    """
    if "listing_id" not in listings.columns:
        raise InputError("the listings have no listing_id column")
    cut = _as_of(as_of)
    logs = {
        kind: None if log is None else read_log(log, kind)
        for kind, log in (("reviews", reviews), ("appeals", appeals), ("notices", notices))
    }
    events = events_frame(logs["reviews"], logs["appeals"], logs["notices"])
    ids = listings["listing_id"].astype("string").str.strip()
    if unappealed_blocks is not None:
        events = pd.concat(
            [events, _unappealed(listings, ids, events, pd.Timedelta(unappealed_blocks))],
            ignore_index=True,
        )
    if unreported_published is not None:
        events = pd.concat(
            [events, _unreported(listings, ids, events, pd.Timedelta(unreported_published))],
            ignore_index=True,
        )
    known = events["listing_id"].isin(set(ids.dropna()))
    resolved, summary = resolve_events(events[known], cut)
    summary.events = len(events)
    summary.unknown_listing = int((~known).sum())
    out = _with_labels(listings, resolved.reindex(ids.to_numpy()), label_column)
    summary.rows = len(out)
    labelled = out[label_column].notna()
    summary.labelled = int(labelled.sum())
    summary.positives = int(out.loc[labelled, label_column].sum())
    summary.by_source = {
        str(k): int(v) for k, v in out["label_source"].dropna().value_counts().items()
    }
    return out, summary


def _with_labels(listings: pd.DataFrame, matched: pd.DataFrame, label_column: str) -> pd.DataFrame:
    """The listings in their order with the label columns of ``matched`` (one row per listing)."""
    out = listings.drop(
        columns=[c for c in (label_column, *LABEL_COLUMNS) if c in listings.columns]
    ).copy()
    out[label_column] = matched["label"].to_numpy()
    out[label_column] = out[label_column].astype("Int8")
    out["label_source"] = matched["label_source"].astype("string").to_numpy()
    out["label_time"] = matched["label_time"].to_numpy()
    out["label_events"] = matched["label_events"].fillna(0).astype("int64").to_numpy()
    return out


def _unappealed(
    listings: pd.DataFrame, ids: pd.Series, events: pd.DataFrame, window: pd.Timedelta
) -> pd.DataFrame:
    """``block_unappealed`` events: blocked listings without any appeal, at created_at + window."""
    missing = [c for c in ("decision", "created_at") if c not in listings.columns]
    if missing:
        raise InputError(f"unappealed blocks need the column(s) {', '.join(missing)}")
    blocked = (listings["decision"].astype("string").str.lower() == "block").fillna(False)
    appealed = set(events.loc[events["source"].str.startswith("appeal"), "listing_id"])
    keep = blocked.to_numpy() & ~ids.isin(appealed).fillna(False).to_numpy()
    created = pd.to_datetime(listings["created_at"], utc=True, format="ISO8601")
    return (
        pd.DataFrame(
            {
                "listing_id": ids[keep].to_numpy(),
                "time": (created[keep] + window).to_numpy(),
                "label": np.ones(int(keep.sum()), dtype=np.int8),
                "source": "block_unappealed",
            }
        )
        .astype({"listing_id": "string"})
        .assign(time=lambda f: pd.to_datetime(f["time"], utc=True))
    )


def _unreported(
    listings: pd.DataFrame, ids: pd.Series, events: pd.DataFrame, window: pd.Timedelta
) -> pd.DataFrame:
    """``published_unreported`` events: published listings without any event, at created_at +
    window (a later event overrides it)."""
    missing = [c for c in ("decision", "created_at") if c not in listings.columns]
    if missing:
        raise InputError(f"unreported listings need the column(s) {', '.join(missing)}")
    decision = listings["decision"].astype("string").str.lower()
    published = decision.isin(["allow", "review"]).fillna(False).to_numpy()
    keep = published & ~ids.isin(set(events["listing_id"])).fillna(False).to_numpy()
    created = pd.to_datetime(listings["created_at"], utc=True, format="ISO8601")
    return pd.DataFrame(
        {
            "listing_id": pd.array(ids[keep].to_numpy(), dtype="string"),
            "time": pd.to_datetime((created[keep] + window).to_numpy(), utc=True),
            "label": np.zeros(int(keep.sum()), dtype=np.int8),
            "source": "published_unreported",
        }
    )


def _as_of(value: str | pd.Timestamp | None) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise UsageError(f"--as-of: not a time: {value!r}") from None
    if stamp is pd.NaT:
        raise UsageError(f"--as-of: not a time: {value!r}")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def label_file(
    scored: str | Path,
    output: str | Path,
    *,
    reviews: str | Path | None = None,
    appeals: str | Path | None = None,
    notices: str | Path | None = None,
    as_of: str | None = None,
    label_column: str = "is_counterfeit",
    unappealed_blocks: str | None = None,
    unreported_published: str | None = None,
) -> LabelSummary:
    """``cfdetect labels``: read the listings and logs, join, write ``output``.

    Raises
    ------
    UsageError
        When no log is given.
    """
    if reviews is None and appeals is None and notices is None:
        raise UsageError("give at least one of --reviews, --appeals, --notices")
    listings = read_table(scored)
    frames = {
        kind: None if path is None else read_log(path, kind)
        for kind, path in (("reviews", reviews), ("appeals", appeals), ("notices", notices))
    }
    out, summary = join_labels(
        listings,
        frames["reviews"],
        frames["appeals"],
        frames["notices"],
        as_of=as_of,
        label_column=label_column,
        unappealed_blocks=unappealed_blocks,
        unreported_published=unreported_published,
    )
    write_table(output, out)
    return summary
