"""Drift monitor: is today's traffic still what the model learned from?

``cfdetect monitor SCORED`` compares listings (the listing columns; a scored file keeps them)
with a reference:

* the population stability index (PSI) of every model feature and of the score, on ten
  quantile bins of the reference (a feature with fewer distinct values: one bin per value;
  missing values: a bin of their own); the seller features on one listing per seller (a
  seller's listings share them, and counted per listing a few big sellers move them by chance);
  ``PSI = sum((a - e) * ln(a / e))`` over the bins, shares floored at 1e-4;
* the shift of the block / review / allow rates;
* the shift of the unfamiliar share (listings the decision policy calls unfamiliar);
* new frequent brands (declared brands the registry does not know) and new frequent title words
  (in at least ``min_word_share`` of the listings, at most a fifth as often in the reference, in
  no term list).

The reference is the model's own hold-out listings: ``cfdetect train`` stores a sample of them
with the model (``reference.parquet``, checked by the sha256 in its card:
``cfdetect._reference``). ``--reference FILE`` names other listings to compare with. A model
without one (trained before it, or with ``--monitor-reference-rows 0`` as ``make model`` trains
the shipped ``models/default``) is compared with simulated listings: the monitor simulates as
many listings as it checks (at least 2,000, at most ``REFERENCE_LISTINGS``) of the default world
with seed ``REFERENCE_SEED``: the world the shipped model learned from. As many, because the
simulated seller histories (listings, ratings, account ages) grow with the marketplace's size:
10,000 listings against 20,000 gave the seller age a PSI of 0.25 with no drift at all, against
10,000 of another seed 0.05.

Traffic has drifted (exit code 3) when any feature's PSI exceeds ``feature_psi``, the score's
PSI exceeds ``score_psi``, a decision rate moved by more than ``decision_shift`` or the unfamiliar
share by more than ``unfamiliar_shift``. New words and brands are reported, never a trigger.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cfdetect._reference import checked_reference
from cfdetect.errors import UsageError

if TYPE_CHECKING:
    from cfdetect.artifact import Trust

REFERENCE_SEED = 20_231
REFERENCE_LISTINGS = 50_000
STABLE, DRIFTED = 0, 3
_WORD = re.compile(r"[^\W\d_][\w'+:-]{2,}", re.UNICODE)


@dataclass(frozen=True)
class MonitorThresholds:
    """When traffic counts as drifted (see the module docstring)."""

    feature_psi: float = 0.25
    score_psi: float = 0.2
    decision_shift: float = 0.05
    unfamiliar_shift: float = 0.1
    min_word_share: float = 0.005

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not 0 <= value < 100:
                raise UsageError(f"{name} must be 0 or more, not {value}")


@dataclass
class MonitorResult:
    """What the monitor found; ``drifted`` decides the exit code."""

    rows: int
    reference_rows: int
    reference: str
    feature_psi: dict[str, float]
    score_psi: float
    decision_rates: dict[str, dict[str, float]]
    unfamiliar_share: dict[str, float]
    new_brands: list[tuple[str, int]]
    new_words: list[tuple[str, int]]
    thresholds: MonitorThresholds
    reasons: list[str] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        """Whether any threshold was crossed."""
        return bool(self.reasons)

    @property
    def exit_code(self) -> int:
        """0 stable, 3 drifted."""
        return DRIFTED if self.drifted else STABLE

    def top_features(self, n: int = 10) -> list[tuple[str, float]]:
        """The features that moved most, by PSI."""
        return sorted(self.feature_psi.items(), key=lambda kv: -kv[1])[:n]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        out = asdict(self)
        out["drifted"] = self.drifted
        out["top_features"] = self.top_features()
        return out


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index of ``current`` against ``reference``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(psi(rng.normal(0, 1, 20000), rng.normal(0, 1, 20000)), 3) < 0.01
    True
    >>> psi(rng.normal(0, 1, 20000), rng.normal(1, 1, 20000)) > 0.25
    True
    """
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    ref_nan, cur_nan = np.isnan(ref), np.isnan(cur)
    ref_ok, cur_ok = ref[~ref_nan], cur[~cur_nan]
    values = np.unique(ref_ok)
    if values.size <= bins:
        edges = (values[:-1] + values[1:]) / 2 if values.size > 1 else np.array([])
    else:
        edges = np.unique(np.quantile(ref_ok, np.linspace(0, 1, bins + 1)[1:-1]))
    k = edges.size + 2  # the bins and the missing values

    def shares(ok: np.ndarray, missing: np.ndarray) -> np.ndarray:
        counts = np.bincount(np.searchsorted(edges, ok, side="right"), minlength=k - 1)
        full = np.append(counts, missing.sum()).astype(np.float64)
        return np.maximum(full / max(full.sum(), 1.0), 1e-4)

    e, a = shares(ref_ok, ref_nan), shares(cur_ok, cur_nan)
    return float(np.sum((a - e) * np.log(a / e)))


@dataclass
class _Profile:
    """What the monitor needs of one set of listings."""

    matrix: np.ndarray
    scores: np.ndarray
    decisions: np.ndarray
    unfamiliar: float
    titles: list[str]
    brands: list[str]
    one_per_seller: np.ndarray


def _profile(scorer: Any, frame: pd.DataFrame) -> _Profile:
    from cfdetect.policy import FAMILIARITY_FIELDS
    from cfdetect.schema import canonical_frame
    from cfdetect.training import read_training_frame

    rows = read_training_frame(frame.drop(columns=["is_counterfeit"], errors="ignore"))
    scored = scorer.score_frame(rows, explain=False)
    canonical = canonical_frame(rows)
    enriched = scorer._brands.transform(scorer._normalizer.transform(canonical))
    matrix = np.asarray(scorer._features.transform(enriched), dtype=np.float64)
    unfamiliar = 0.0
    if scorer._familiarity is not None and len(rows):
        columns = {
            name: enriched[name].to_numpy(dtype=object, na_value=None)
            for name in FAMILIARITY_FIELDS
            if name in enriched
        }
        found = scorer._familiarity.check_many(columns, range(len(rows)), scorer._declared)
        unfamiliar = len(found) / len(rows)
    brands = rows["brand"].astype("string").fillna("").tolist() if "brand" in rows else []
    return _Profile(
        matrix=matrix,
        scores=scored["score"].to_numpy(dtype=np.float64),
        decisions=scored["decision"].astype(str).to_numpy(),
        unfamiliar=unfamiliar,
        titles=rows["title"].astype("string").fillna("").tolist(),
        brands=brands,
        one_per_seller=np.flatnonzero(~rows["seller_id"].astype("string").duplicated().to_numpy()),
    )


def reference_frame(
    reference: str | Path | pd.DataFrame | None,
    n: int = 20_000,
    model: str | Path | None = None,
    stored: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, str]:
    """The reference listings and where they came from: ``reference``; else the hold-out sample
    stored with the model (``stored``: its card's ``monitor_reference``, in the directory
    ``model``); else ``n`` simulated listings."""
    from cfdetect.feedback._logs import read_table

    if isinstance(reference, pd.DataFrame):
        return reference, "<frame>"
    if reference is not None:
        return read_table(reference), str(reference)
    if stored is not None:
        from cfdetect.artifact import default_model_dir

        path = checked_reference(model if model is not None else default_model_dir(), stored)
        return read_table(
            path
        ), f"{stored.get('rows', 0):,} hold-out listings stored with the model ({path})"
    from cfdetect.simulate import SimulationConfig, simulate

    n = int(min(max(n, 2_000), REFERENCE_LISTINGS))
    config = SimulationConfig(n_listings=n, seed=REFERENCE_SEED)
    return simulate(config), (
        f"{n:,} listings simulated from the default world (seed "
        f"{REFERENCE_SEED}): the model card stores no training distribution"
    )


def _words(titles: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update({w.lower() for w in _WORD.findall(title)})
    return counts


def _known_terms() -> set[str]:
    from cfdetect.features import _terms

    known: set[str] = set()
    for name in dir(_terms):
        value = getattr(_terms, name)
        if name.endswith("_TERMS") and isinstance(value, tuple):
            for term in value:
                known.update(str(term).lower().split())
    return known


def monitor(
    current: pd.DataFrame,
    *,
    model: str | Path | None = None,
    reference: str | Path | pd.DataFrame | None = None,
    thresholds: MonitorThresholds | None = None,
    trust: Trust | None = None,
) -> MonitorResult:
    """Compare ``current`` listings with the model's reference distribution.

    Parameters
    ----------
    current : DataFrame
        Listings (the listing columns; score/decision columns are recomputed).
    model : path, optional
        Model directory (default: the shipped model).
    reference : path or DataFrame, optional
        Reference listings (default: see the module docstring).
    thresholds : MonitorThresholds, optional
    trust : bool, path or paths, optional
        Vouch for ``model`` (a pickle) outside the trusted roots: ``True`` for ``model`` itself,
        a path or paths for more trusted roots (as ``Scorer.load``).

    Returns
    -------
    MonitorResult
    """
    from cfdetect.scorer import Scorer

    limits = thresholds or MonitorThresholds()
    scorer = Scorer.load(model, trust=trust)
    stored = scorer.model_card.monitor_reference
    ref_frame, ref_name = reference_frame(reference, len(current), model, stored)
    ref, cur = _profile(scorer, ref_frame), _profile(scorer, current)
    names = list(scorer.feature_names)
    feature_psi = {}
    for j, name in enumerate(names):
        if name.startswith("seller__"):  # one row per seller: its listings share the values
            value = psi(ref.matrix[ref.one_per_seller, j], cur.matrix[cur.one_per_seller, j])
        else:
            value = psi(ref.matrix[:, j], cur.matrix[:, j])
        feature_psi[name] = round(value, 4)
    score_psi = round(psi(ref.scores, cur.scores), 4)
    rates = {
        which: {d: float(np.mean(p.decisions == d)) for d in ("block", "review", "allow")}
        for which, p in (("reference", ref), ("current", cur))
    }
    unfamiliar = {"reference": ref.unfamiliar, "current": cur.unfamiliar}

    new_brands = _new_brands(scorer, cur, limits)
    new_words = _new_words(cur, ref, limits)
    reasons = _drift_reasons(feature_psi, score_psi, rates, unfamiliar, limits)
    return MonitorResult(
        rows=len(cur.titles), reference_rows=len(ref.titles), reference=ref_name,
        feature_psi=feature_psi, score_psi=score_psi, decision_rates=rates,
        unfamiliar_share=unfamiliar, new_brands=new_brands, new_words=new_words,
        thresholds=limits, reasons=reasons,
    )  # fmt: skip


def _new_brands(scorer: Any, cur: _Profile, limits: MonitorThresholds) -> list[tuple[str, int]]:
    """Frequent declared brands the registry does not know (at most 20, most frequent first)."""
    from cfdetect.registry import load_registry

    registry = load_registry()
    declared = Counter(b.strip() for b in cur.brands if b and b.strip())
    return sorted(
        ((b, c) for b, c in declared.items() if registry.canonical(b) is None
         and scorer._declared(b)[0] != "generic"
         and c >= max(3, limits.min_word_share * len(cur.titles))),
        key=lambda bc: -bc[1],
    )[:20]  # fmt: skip


def _new_words(cur: _Profile, ref: _Profile, limits: MonitorThresholds) -> list[tuple[str, int]]:
    """Frequent title words in no term list, at least five times rarer in the reference."""
    cur_words, ref_words = _words(cur.titles), _words(ref.titles)
    known = _known_terms()
    n_cur, n_ref = max(len(cur.titles), 1), max(len(ref.titles), 1)
    return sorted(
        ((w, c) for w, c in cur_words.items()
         if c / n_cur >= limits.min_word_share and w not in known
         and ref_words.get(w, 0) / n_ref <= c / n_cur / 5),
        key=lambda wc: -wc[1],
    )[:20]  # fmt: skip


def _drift_reasons(
    feature_psi: dict[str, float],
    score_psi: float,
    rates: dict[str, dict[str, float]],
    unfamiliar: dict[str, float],
    limits: MonitorThresholds,
) -> list[str]:
    """Why traffic counts as drifted, one sentence per exceeded threshold (empty: stable)."""
    reasons = []
    moved = [(n, v) for n, v in feature_psi.items() if v > limits.feature_psi]
    if moved:
        top = ", ".join(f"{n} {v:.2f}" for n, v in sorted(moved, key=lambda kv: -kv[1])[:5])
        reasons.append(f"{len(moved)} features with PSI over {limits.feature_psi}: {top}")
    if score_psi > limits.score_psi:
        reasons.append(f"score PSI {score_psi:.2f} over {limits.score_psi}")
    for d in ("block", "review", "allow"):
        shift = rates["current"][d] - rates["reference"][d]
        if abs(shift) > limits.decision_shift:
            reasons.append(f"{d} rate moved {shift:+.3f} (limit {limits.decision_shift})")
    shift = unfamiliar["current"] - unfamiliar["reference"]
    if abs(shift) > limits.unfamiliar_shift:
        reasons.append(f"unfamiliar share moved {shift:+.3f} (limit {limits.unfamiliar_shift})")
    return reasons


def monitor_file(
    scored: str | Path,
    *,
    model: str | Path | None = None,
    out: str | Path | None = None,
    reference: str | Path | None = None,
    thresholds: MonitorThresholds | None = None,
    trust: Trust | None = None,
) -> MonitorResult:
    """``cfdetect monitor``: read the listings, compare, write the report into ``out``."""
    from cfdetect.feedback._logs import read_table

    result = monitor(
        read_table(scored), model=model, reference=reference, thresholds=thresholds, trust=trust
    )
    if out is not None:
        write_report(result, out, title=f"cfdetect monitor {scored}")
    return result


def summary_lines(result: MonitorResult) -> list[str]:
    """A short summary for stderr."""
    verdict = "DRIFTED" if result.drifted else "stable"
    lines = [f"{verdict}: {result.rows:,} listings against {result.reference_rows:,} reference"]
    lines += [f"  {r}" for r in result.reasons]
    top = ", ".join(f"{n} {v:.3f}" for n, v in result.top_features(5))
    lines.append(f"features that moved most (PSI): {top}; score PSI {result.score_psi:.3f}")
    if result.new_words:
        lines.append("new frequent words: " + ", ".join(w for w, _ in result.new_words[:10]))
    if result.new_brands:
        lines.append("new frequent brands: " + ", ".join(b for b, _ in result.new_brands[:10]))
    return lines


def write_report(
    result: MonitorResult, out: str | Path, *, title: str = "cfdetect monitor"
) -> None:
    """``monitor.md``, ``monitor.html``, ``monitor.png`` and ``monitor.json`` into ``out``."""
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    markdown = _markdown(result, title)
    (directory / "monitor.md").write_text(markdown, encoding="utf-8")
    (directory / "monitor.json").write_text(
        json.dumps(result.as_dict(), indent=2, default=str) + "\n", encoding="utf-8"
    )
    png = _png(result)
    if png is not None:
        (directory / "monitor.png").write_bytes(png)
    body = "\n".join(
        f"<pre>{html.escape(block)}</pre>" if block.startswith("|") else
        f"<p>{html.escape(block)}</p>"
        for block in markdown.split("\n\n")
    )  # fmt: skip
    image = '<img src="monitor.png" alt="PSI of the features that moved most">' if png else ""
    (directory / "monitor.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<body>{body}{image}</body>\n",
        encoding="utf-8",
    )


def _markdown(result: MonitorResult, title: str) -> str:
    verdict = "**drifted** (exit code 3)" if result.drifted else "**stable** (exit code 0)"
    lines = [f"# {title}", "", f"Verdict: {verdict}. {result.rows:,} listings against "
             f"{result.reference_rows:,} reference listings ({result.reference}).", ""]  # fmt: skip
    if result.reasons:
        lines += ["Why: " + "; ".join(result.reasons) + ".", ""]
    t = result.thresholds
    lines += [
        f"Thresholds: feature PSI {t.feature_psi}, score PSI {t.score_psi}, decision rate shift "
        f"{t.decision_shift}, unfamiliar share shift {t.unfamiliar_shift}.",
        "",
        "| feature | PSI |",
        "| --- | ---: |",
        *[f"| {n} | {v:.3f} |" for n, v in result.top_features(15)],
        f"| score | {result.score_psi:.3f} |",
        "",
        "| decision | reference | current |",
        "| --- | ---: | ---: |",
        *[
            f"| {d} | {result.decision_rates['reference'][d]:.2%} | "
            f"{result.decision_rates['current'][d]:.2%} |"
            for d in ("block", "review", "allow")
        ],
        f"| unfamiliar | {result.unfamiliar_share['reference']:.2%} | "
        f"{result.unfamiliar_share['current']:.2%} |",
        "",
        "New frequent title words (not in the term lists, rare in the reference): "
        + (", ".join(f"{w} ({c:,})" for w, c in result.new_words) or "none") + ".",
        "",
        "New frequent brands (not in the registry): "
        + (", ".join(f"{b} ({c:,})" for b, c in result.new_brands) or "none") + ".",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def _png(result: MonitorResult) -> bytes | None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:  # the plot extra is not installed: Markdown and HTML only
        return None
    top = result.top_features(12)[::-1]
    fig = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.38, right=0.97, top=0.9, bottom=0.12)
    values = [v for _, v in top]
    colours = ["#c0392b" if v > result.thresholds.feature_psi else "#7f8c8d" for v in values]
    ax.barh([n for n, _ in top], values, color=colours)
    ax.axvline(result.thresholds.feature_psi, color="#c0392b", linestyle="--", linewidth=1)
    ax.set_xlabel("population stability index")
    ax.set_title(f"features that moved most (score PSI {result.score_psi:.2f})")
    ax.tick_params(axis="y", labelsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
