"""Replay the feedback loop day by day: score, review, appeal, notice, label, retrain.

``cfdetect replay WORLD_DATA`` takes simulated (or historical, labelled) listings with
``created_at``, ``is_counterfeit`` and ``reported_at`` and plays ``days`` days of a platform
that adopts cfdetect:

1. Each day's listings are scored by the current model (first the prior, ``--model``) and get
   their decisions.
2. The review queue (:func:`cfdetect.feedback._exploration.plan_reviews`) spends the day's
   capacity: ``exploration`` of it on listings drawn at random from ``allow`` and ``block``,
   the rest on the highest-scored ``review`` decisions. Reviewers give the true label, wrong
   with probability ``reviewer_error``; an infringing listing is removed at its verdict.
3. A blocked genuine listing's seller appeals with probability ``appeal_rate`` two days later
   (upheld); a blocked infringing listing's seller with probability ``appeal_rate / 10``
   (rejected).
4. A rights holder sends a notice at ``reported_at`` on an infringing listing still live then
   (not blocked, not removed by a review verdict before it).
5. Every ``retrain_every`` days the outcomes known so far become labels
   (:func:`cfdetect.feedback.join_labels`, ``as_of`` the day; a block no appeal contested
   within ``UNAPPEALED_AFTER`` counts as infringing, a published listing without any outcome
   within ``UNREPORTED_AFTER`` as genuine) and a model is trained on them with
   the prior (``cfdetect train --prior``); it scores the next days. A training that fails (too
   few labels of a class) keeps the current model.

Week by week it measures, from the true labels: proactive recall (infringing listings blocked
or removed by review, over all infringing listings of the week), wrongly blocked (genuine
listings blocked, over genuine listings), and the notices received; and, from the review
labels alone, the exploration slice's estimate of recall with its interval, to compare with
the truth.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cfdetect.errors import InputError, UsageError
from cfdetect.feedback._exploration import estimate_recall, plan_reviews
from cfdetect.feedback._labels import join_labels

DAY = pd.Timedelta(days=1)
APPEAL_DELAY = pd.Timedelta(days=2)
UNAPPEALED_AFTER = pd.Timedelta(days=3)
"""A block that no appeal contested within this window counts as infringing."""
UNREPORTED_AFTER = pd.Timedelta(days=5)
"""A published listing with no outcome within this window counts as genuine (until a notice)."""
_SIMULATOR_ONLY = ("tactic", "case", "seller_kind", "period", "reference_price_usd",
                   "true_brand", "product_type", "returned_at", "language")  # fmt: skip


@dataclass(frozen=True)
class ReplayConfig:
    """Settings of a replay (see the module docstring)."""

    days: int = 42
    review_capacity: float = 150.0
    exploration: float = 0.05
    retrain_every: int = 7
    reviewer_error: float = 0.02
    appeal_rate: float = 0.5
    seed: int = 0
    prior: str = "default"

    def __post_init__(self) -> None:
        if self.days < 1 or self.retrain_every < 1:
            raise UsageError("days and retrain_every must be at least 1")
        if self.review_capacity < 0:
            raise UsageError("review capacity must be 0 or more per day")
        for name in ("exploration", "reviewer_error", "appeal_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise UsageError(f"{name} must be between 0 and 1")


@dataclass
class ReplayResult:
    """Week-by-week figures, the retrainings and the exploration estimate."""

    weeks: list[dict[str, Any]]
    retrainings: list[dict[str, Any]]
    exploration: dict[str, Any]
    config: ReplayConfig
    logs: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (without the logs)."""
        return {
            "config": asdict(self.config),
            "weeks": self.weeks,
            "retrainings": self.retrainings,
            "exploration": self.exploration,
        }


def parse_every(text: str) -> int:
    """``"7d"``, ``"7"`` or ``"1w"`` -> days.

    Examples
    --------
    >>> parse_every("7d"), parse_every("2w"), parse_every("3")
    (7, 14, 3)
    """
    value = text.strip().lower()
    factor = 7 if value.endswith("w") else 1
    try:
        days = int(value.rstrip("dw")) * factor
    except ValueError:
        raise UsageError(f"--retrain-every: write 7d (days) or 1w (weeks), not {text!r}") from None
    if days < 1:
        raise UsageError("--retrain-every must be at least one day")
    return days


@dataclass
class _Played:
    """What the replay decided and learned, one entry per listing (row order of ``data``)."""

    data: pd.DataFrame
    truth: np.ndarray
    start: pd.Timestamp
    decision: np.ndarray
    score: np.ndarray
    queued: np.ndarray
    review_p: np.ndarray
    verdict: np.ndarray
    model_of: np.ndarray
    reviews: list[dict[str, Any]] = field(default_factory=list)
    appeals: list[dict[str, Any]] = field(default_factory=list)
    retrainings: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def empty(cls, data: pd.DataFrame, truth: np.ndarray, start: pd.Timestamp) -> _Played:
        n = len(data)
        return cls(data, truth, start, decision=np.empty(n, dtype=object), score=np.zeros(n),
                   queued=np.full(n, "", dtype=object), review_p=np.zeros(n),
                   verdict=np.full(n, np.nan), model_of=np.zeros(n, dtype=np.int64))  # fmt: skip


def replay_loop(
    world: pd.DataFrame,
    config: ReplayConfig | None = None,
    *,
    workdir: str | Path | None = None,
    progress: Any = None,
) -> ReplayResult:
    """Play the loop on ``world`` (see the module docstring).

    Raises
    ------
    InputError
        When the data lacks ``created_at``, ``is_counterfeit`` or ``reported_at``.
    """
    config = config or ReplayConfig()
    data, rows, truth, start = _replay_data(world, config)
    played = _Played.empty(data, truth, start)
    tmp = tempfile.TemporaryDirectory() if workdir is None else None
    root = Path(workdir) if workdir is not None else Path(tmp.name)  # type: ignore[union-attr]
    try:
        _play(played, rows, config, root, progress or (lambda _msg: None))
    finally:
        if tmp is not None:
            tmp.cleanup()
    noticed = _noticed(played, len(data), None)
    notices = pd.DataFrame({"listing_id": data["listing_id"][noticed].to_numpy(),
                            "notice_time": data["reported_at"][noticed].to_numpy(),
                            "rights_holder": "replay"})  # fmt: skip
    logs = {
        "reviews": pd.DataFrame(played.reviews, columns=["listing_id", "verdict_time", "verdict",
                                                         "reviewer"]),
        "appeals": pd.DataFrame(played.appeals, columns=["listing_id", "appeal_time", "outcome"]),
        "notices": notices,
    }  # fmt: skip
    return ReplayResult(
        _weeks(played, noticed), played.retrainings, _exploration(played, config), config, logs
    )


def _replay_data(
    world: pd.DataFrame, config: ReplayConfig
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, pd.Timestamp]:
    """The replayed days in time order, their validated rows, the truth and the first day."""
    from cfdetect.training import read_training_frame

    missing = [c for c in ("created_at", "is_counterfeit", "reported_at") if c not in world]
    if missing:
        raise InputError(f"the replay needs the column(s) {', '.join(missing)}")
    data = world.copy()
    data["listing_id"] = data["listing_id"].astype("string")
    data["created_at"] = pd.to_datetime(data["created_at"], utc=True, format="ISO8601")
    data["reported_at"] = pd.to_datetime(data["reported_at"], utc=True, format="ISO8601")
    start = data["created_at"].min().floor("D")
    data["day"] = ((data["created_at"] - start) // DAY).astype("int64")
    data = data[data["day"] < config.days].sort_values("created_at", kind="stable")
    data = data.reset_index(drop=True)
    if data.empty:
        raise InputError("no listings in the replayed days")
    truth = pd.to_numeric(data["is_counterfeit"]).to_numpy().astype(bool)
    rows = read_training_frame(data.drop(columns=["is_counterfeit"]))
    rows["listing_id"] = rows["listing_id"].astype("string")
    rows = rows.set_index("listing_id").reindex(data["listing_id"]).reset_index()
    if rows["title"].isna().any():
        raise InputError("some listings did not validate; fix them before the replay")
    return data, rows, truth, start


def _play(played: _Played, rows: pd.DataFrame, config: ReplayConfig, root: Path, say: Any) -> None:
    """Day by day: retrain when due, score the day, review the queue, take the appeals."""
    from cfdetect.model import TrainConfig
    from cfdetect.scorer import Scorer
    from cfdetect.training import train

    data, start, n = played.data, played.start, len(played.data)
    rng = np.random.default_rng(config.seed)
    scorer = Scorer.load(None if config.prior == "default" else config.prior)
    model_index = 0
    for day in range(config.days):
        today = np.flatnonzero(data["day"].to_numpy() == day)
        if day and day % config.retrain_every == 0:
            now = start + day * DAY
            say(f"day {day}: retraining on the outcomes known so far")
            upto = int(today[0]) if today.size else n
            notices_now = _notices(played, upto, now)
            found = _retrain(data, upto, played.reviews, played.appeals, notices_now,
                             played.decision, now, root / f"model_{day:03d}", config, train,
                             TrainConfig)  # fmt: skip
            played.retrainings.append({"day": day, **found["info"]})
            if found["model"] is not None:
                scorer = Scorer.load(found["model"], trust=True)
                model_index += 1
        if today.size:
            _play_day(played, rows, today, day, scorer, model_index, config, rng)


def _play_day(
    played: _Played,
    rows: pd.DataFrame,
    today: np.ndarray,
    day: int,
    scorer: Any,
    model_index: int,
    config: ReplayConfig,
    rng: np.random.Generator,
) -> None:
    """Score one day's listings, queue and decide their reviews, and file the day's appeals."""
    data, truth, decision = played.data, played.truth, played.decision
    out = scorer.score_frame(rows.iloc[today], explain=False)
    decision[today] = out["decision"].astype(str).to_numpy()
    played.score[today] = out["score"].to_numpy()
    played.model_of[today] = model_index
    plan = plan_reviews(decision[today], played.score[today], np.zeros(today.size),
                        capacity=config.review_capacity, exploration=config.exploration,
                        seed=config.seed * 1000 + day)  # fmt: skip
    played.queued[today] = plan["queued"].to_numpy()
    played.review_p[today] = plan["review_probability"].to_numpy()
    seen = today[played.queued[today] != ""]
    wrong = rng.random(seen.size) < config.reviewer_error
    played.verdict[seen] = np.where(wrong, ~truth[seen], truth[seen]).astype(float)
    # verdicts through the day, in queue order, by the end of the day
    when = played.start + (day + 1) * DAY - pd.Timedelta(seconds=1)
    for i in seen:
        played.reviews.append({"listing_id": data.at[i, "listing_id"], "verdict_time": when,
                               "verdict": "infringing" if played.verdict[i] else "genuine",
                               "reviewer": "replay"})  # fmt: skip
    blocked = today[decision[today] == "block"]
    chance = np.where(truth[blocked], config.appeal_rate / 10, config.appeal_rate)
    for i in blocked[rng.random(blocked.size) < chance]:
        played.appeals.append({"listing_id": data.at[i, "listing_id"],
                               "appeal_time": data.at[i, "created_at"] + APPEAL_DELAY,
                               "outcome": "rejected" if truth[i] else "upheld"})  # fmt: skip


def _weeks(played: _Played, noticed: np.ndarray) -> list[dict[str, Any]]:
    """Week by week: proactive recall, wrongly blocked, notices, reviews and the model used."""
    truth, decision, queued = played.truth, played.decision, played.queued
    caught = truth & ((decision == "block") | ((played.verdict == 1) & truth))
    week = played.data["day"].to_numpy() // 7
    weeks = []
    for w in np.unique(week):
        m = week == w
        weeks.append({
            "week": int(w) + 1,
            "listings": int(m.sum()),
            "infringing": int(truth[m].sum()),
            "proactive_recall": float(caught[m].sum() / max(truth[m].sum(), 1)),
            "wrongly_blocked": float(((decision == "block") & ~truth & m).sum()
                                     / max((~truth & m).sum(), 1)),
            "notices": int((noticed & m).sum()),
            "reviewed": int(((queued != "") & m).sum()),
            "explored": int(((queued == "exploration") & m).sum()),
            "model": int(played.model_of[m].max()),
        })  # fmt: skip
    return weeks


def _exploration(played: _Played, config: ReplayConfig) -> dict[str, Any]:
    """The exploration estimates from review labels alone, beside the truth the replay knows."""
    truth, decision = played.truth, played.decision
    frame = pd.DataFrame({"decision": decision, "review_probability": played.review_p,
                          "review_label": played.verdict})  # fmt: skip
    estimate = estimate_recall(frame, seed=config.seed, label_error=config.reviewer_error)
    truth_recall = float(truth[decision != "allow"].sum() / max(truth.sum(), 1))
    truth_share = float(truth[decision == "allow"].mean()) if (decision == "allow").any() else 0.0
    recall, share = estimate["recall"], estimate["allowed_infringing_share"]
    return {
        "recall": recall.as_dict(),  # type: ignore[union-attr]
        "recall_truth": truth_recall,
        "recall_covered": recall.covers(truth_recall),  # type: ignore[union-attr]
        "allowed_infringing_share": share.as_dict(),  # type: ignore[union-attr]
        "allowed_infringing_share_truth": truth_share,
        "allowed_share_covered": share.covers(truth_share),  # type: ignore[union-attr]
        "reviewed": estimate["reviewed"],
        "explored": estimate["explored"],
        "note": "recall here: flagged (blocked or sent to review) over all infringing",
    }


def _noticed(played: _Played, upto: int, now: pd.Timestamp | None) -> np.ndarray:
    """Rows (of the first ``upto``) whose rights holder's notice is confirmed (by ``now``): an
    infringing listing still live at ``reported_at`` (not blocked, not removed by a review
    verdict before it). Notices on genuine listings are declined: no label."""
    data, truth, decision, verdict = played.data, played.truth, played.decision, played.verdict
    start = played.start
    report = data["reported_at"].iloc[:upto]
    review_time = start + (data["day"].iloc[:upto] + 1) * DAY - pd.Timedelta(seconds=1)
    removed = (verdict[:upto] == 1) & truth[:upto] & (review_time < report).to_numpy()
    live = (decision[:upto] != "block") & ~removed
    due = report.notna().to_numpy().copy()
    if now is not None:
        due &= (report <= now).to_numpy()
    return truth[:upto] & due & live


def _notices(played: _Played, upto: int, now: pd.Timestamp) -> pd.DataFrame:
    """The confirmed notices known at ``now`` as a notices log."""
    rows = _noticed(played, upto, now)
    part = played.data.iloc[:upto]
    return pd.DataFrame(
        {"listing_id": part["listing_id"][rows].to_numpy(),
         "notice_time": part["reported_at"][rows].to_numpy()}
    )  # fmt: skip


def _retrain(
    data: pd.DataFrame,
    upto: int,
    reviews: list[dict[str, Any]],
    appeals: list[dict[str, Any]],
    notices: pd.DataFrame,
    decisions: np.ndarray,
    now: pd.Timestamp,
    directory: Path,
    config: ReplayConfig,
    train: Any,
    train_config: Any,
) -> dict[str, Any]:
    """Labels known at ``now`` for the listings before row ``upto``; a model trained on them."""
    past = data.iloc[:upto]
    labelled, summary = join_labels(
        past.drop(columns=["is_counterfeit"]).assign(decision=decisions[:upto]),
        pd.DataFrame(reviews) if reviews else None,
        pd.DataFrame(appeals) if appeals else None,
        notices,
        as_of=now,
        unappealed_blocks=UNAPPEALED_AFTER,
        unreported_published=UNREPORTED_AFTER,
    )
    labelled = labelled[labelled["is_counterfeit"].notna()]
    positives = int(labelled["is_counterfeit"].sum())
    info: dict[str, Any] = {"labels": len(labelled), "positives": positives,
                            "by_source": summary.by_source}  # fmt: skip
    keep = [c for c in labelled.columns if c not in _SIMULATOR_ONLY and not c.startswith("label_")
            and c not in ("day", "published_at", "first_sale_at", "reported_at")]  # fmt: skip
    frame = labelled[keep].copy()
    frame["is_counterfeit"] = frame["is_counterfeit"].astype("int64")
    try:
        tc = train_config(
            text_model=False, ablation=False, baseline=False, side_process_rows=0,
            prior=config.prior, review_capacity=int(config.review_capacity), seed=config.seed,
        )  # fmt: skip
        card = train(frame, directory, config=tc)
    except (InputError, ValueError) as exc:
        info["error"] = str(exc)
        return {"model": None, "info": info}
    metrics = card.get("metrics", {}) if isinstance(card, dict) else {}
    info["holdout_pr_auc"] = metrics.get("pr_auc")
    return {"model": directory, "info": info}


def write_replay(result: ReplayResult, out: str | Path) -> None:
    """``replay.md``, ``replay.json``, ``replay.png`` and the three logs into ``out``."""
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "replay.json").write_text(json.dumps(result.as_dict(), indent=2, default=str))
    for name, log in result.logs.items():
        log.to_csv(directory / f"{name}.csv", index=False)
    png = replay_png(result)
    if png is not None:
        (directory / "replay.png").write_bytes(png)
    (directory / "replay.md").write_text(replay_markdown(result), encoding="utf-8")


def replay_markdown(result: ReplayResult) -> str:
    """The week-by-week table and the exploration estimate as Markdown."""
    lines = [
        "| week | listings | infringing | proactive recall | wrongly blocked | notices | "
        "reviewed (explored) | model |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for w in result.weeks:
        lines.append(
            f"| {w['week']} | {w['listings']:,} | {w['infringing']:,} | "
            f"{w['proactive_recall']:.1%} | {w['wrongly_blocked']:.2%} | {w['notices']:,} | "
            f"{w['reviewed']:,} ({w['explored']:,}) | {w['model']} |"
        )
    e = result.exploration
    r = e["recall"]
    s = e["allowed_infringing_share"]
    lines += [
        "",
        f"Exploration estimate from review labels alone ({e['reviewed']:,} verdicts, "
        f"{e['explored']:,} of them explored): flagged recall {r['value']:.1%} "
        f"[{r['low']:.1%}, {r['high']:.1%}], truth {e['recall_truth']:.1%} "
        f"({'inside' if e['recall_covered'] else 'outside'} the interval); infringing share of "
        f"allowed traffic {s['value']:.2%} [{s['low']:.2%}, {s['high']:.2%}], truth "
        f"{e['allowed_infringing_share_truth']:.2%} "
        f"({'inside' if e['allowed_share_covered'] else 'outside'}).",
        "",
        "Retrainings: " + "; ".join(
            f"day {t['day']}: {t['labels']:,} labels ({t['positives']:,} infringing)"
            + (f", kept the model ({t['error']})" if "error" in t else "")
            for t in result.retrainings
        ) + ".",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def replay_png(result: ReplayResult) -> bytes | None:
    """Proactive recall, wrongly blocked and notices week by week (None without matplotlib)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    weeks = [w["week"] for w in result.weeks]
    fig = Figure(figsize=(11, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.16, top=0.85, wspace=0.3)
    panels = (
        ("proactive recall", [100 * w["proactive_recall"] for w in result.weeks], "%"),
        ("genuine wrongly blocked", [100 * w["wrongly_blocked"] for w in result.weeks], "%"),
        ("notices received", [w["notices"] for w in result.weeks], "notices"),
    )
    for ax, (title, values, unit) in zip(axes, panels, strict=True):
        ax.plot(weeks, values, marker="o", color="#2c3e50")
        ax.set_title(title)
        ax.set_xlabel("week")
        ax.set_ylabel(unit)
        for t in result.retrainings:
            if "error" not in t:
                ax.axvline(t["day"] / 7 + 1, color="#bdc3c7", linewidth=0.8, linestyle=":")
    fig.suptitle("cfdetect replay: the feedback loop week by week (dotted: retrained)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
