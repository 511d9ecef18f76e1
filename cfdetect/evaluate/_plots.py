"""The report's plots as PNG bytes (matplotlib's object API with the Agg canvas, no pyplot).

matplotlib is imported lazily: :func:`render_plots` raises ``ImportError`` when it is missing and
the report is written without plots. Using ``Figure`` and ``FigureCanvasAgg`` directly leaves the
caller's pyplot backend alone (a notebook keeps its inline backend).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cfdetect.evaluate._result import EvaluationResult

MAX_CURVE_POINTS = 4000
BLUE, ORANGE, GREY, RED = "#1f77b4", "#ff7f0e", "#7f7f7f", "#d62728"


@dataclass(frozen=True)
class Plot:
    """One rendered plot: file name, caption (names what is counted) and PNG bytes."""

    name: str
    caption: str
    png: bytes


def render_plots(result: EvaluationResult) -> list[Plot]:
    """Render every plot the result has data for.

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    """
    from matplotlib.figure import Figure  # noqa: F401 - fail early when missing

    makers = (
        _pr_curve, _calibration, _threshold, _survival, _weekly_notices, _registered,
        _score_distribution,
    )  # fmt: skip
    plots = []
    for make in makers:
        plot = make(result)
        if plot is not None:
            plots.append(plot)
    return plots


def _figure(
    width: float = 6.4, height: float = 4.2, ncols: int = 1, right: float = 0.96
) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Fixed margins: a layout engine would double the rendering time.
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols)
    fig.subplots_adjust(left=0.1, right=right, bottom=0.12, top=0.91, wspace=0.28)
    return fig, axes


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if x.size <= MAX_CURVE_POINTS:
        return x, y
    keep = np.unique(np.linspace(0, x.size - 1, MAX_CURVE_POINTS).astype(np.int64))
    return x[keep], y[keep]


def _pr_curve(result: EvaluationResult) -> Plot | None:
    pr = result.curves.get("pr")
    if pr is None or result.counts.get("infringing", 0) == 0:
        return None
    fig, ax = _figure()
    recall, precision = _thin(np.r_[0.0, pr["recall"]], np.r_[1.0, pr["precision"]])
    ax.step(recall, precision, where="post", color=BLUE, label="model scores")
    markers = {"block": ("s", RED), "review": ("o", ORANGE), "decisions": ("*", "black")}
    for name, point in pr["points"].items():
        marker, colour = markers[name]
        label = (
            "block or review (decisions)"
            if name == "decisions"
            else f"{name} threshold {point['threshold']:.3g}"
        )
        ax.plot(point["recall"], point["precision"], marker, color=colour, ms=9, label=label)
    auc = result.figures["pr_auc"]
    ax.set(
        xlabel="recall (share of ALL infringing listings)",
        ylabel="precision",
        xlim=(0, 1.01),
        ylim=(0, 1.02),
        title=f"Precision-recall, PR-AUC {auc.value:.3f}" if auc.value is not None else "PR",
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    n = result.counts.get("infringing", 0)
    caption = (
        f"Precision against recall over all {n:,} infringing listings, with the operating points "
        "of the block and review thresholds and of the decisions."
    )
    return Plot("pr_curve.png", caption, _png(fig))


def _calibration(result: EvaluationResult) -> Plot | None:
    cal = result.curves.get("calibration")
    if cal is None:
        return None
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fig, ax = _figure(right=0.86)
    used = cal.count > 0
    centres = (np.arange(cal.count.size) + 0.5) / cal.count.size
    ax.plot([0, 1], [0, 1], "--", color=GREY, label="perfect calibration")
    ax.plot(cal.mean_score[used], cal.positive_rate[used], "o-", color=BLUE, label="model")
    ax.set(
        xlabel="mean score in bin",
        ylabel="share infringing in bin",
        xlim=(0, 1),
        ylim=(0, 1),
        title=f"Calibration (ECE {result.figures['ece'].value:.3f}, 10 bins)",
    )
    ax.grid(alpha=0.3)
    counts = ax.twinx()
    counts.bar(centres, cal.count, width=0.08, alpha=0.2, color=GREY)
    counts.set_yscale("log")
    counts.set_ylim(0.5, max(float(cal.count.max()), 1.0) * 3)
    counts.set_ylabel("listings in bin (bars, log scale)")
    counts.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    counts.yaxis.set_minor_formatter(NullFormatter())
    ax.set_zorder(counts.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.legend(loc="upper left", fontsize=8)
    caption = (
        "Reliability diagram: share infringing against mean score in 10 equal-width score bins "
        "(bars: listings per bin)."
    )
    return Plot("calibration.png", caption, _png(fig))


def _threshold(result: EvaluationResult) -> Plot | None:
    sweep = result.curves.get("threshold_sweep")
    if sweep is None:
        return None
    from matplotlib.ticker import FuncFormatter

    fig, (left, right) = _figure(9.0, 3.8, ncols=2)
    left.plot(sweep["threshold"], 100 * sweep["catch_rate"], color=BLUE)
    left.set(
        xlabel="block threshold",
        ylabel="% of ALL infringing listings",
        title="Catch rate",
        ylim=(0, 101),
    )
    wrong = 100 * np.asarray(sweep["wrongly_flagged"], dtype=float)
    right.plot(sweep["threshold"], np.where(wrong > 0, wrong, np.nan), color=RED)
    right.set_yscale("log")  # 100% at threshold 0, hundredths of a percent where it matters
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))
    right.set(
        xlabel="block threshold", ylabel="% of genuine listings (log scale)",
        title="Wrongly blocked",
    )  # fmt: skip
    for ax in (left, right):
        for name, colour in (("block", RED), ("review", ORANGE)):
            t = result.config["thresholds"].get(name)
            if t is not None:
                ax.axvline(t, ls=":", color=colour, label=f"{name} threshold")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    caption = (
        "Blocking every listing scoring at or above the threshold: infringing listings caught "
        "÷ all infringing (left) and genuine listings blocked ÷ all genuine (right)."
    )
    return Plot("threshold.png", caption, _png(fig))


def _survival(result: EvaluationResult) -> Plot | None:
    curves = result.curves.get("survival")
    if curves is None:
        return None
    fig, ax = _figure()
    # Both curves start at 100% (blocks remove at day 0) and run to the longest follow-up.
    end = max(curves["removal"][0][-1], curves["first_sale"][0][-1], 1.0)
    t, s = curves["removal"]
    ax.step(np.r_[0.0, t, end], 100 * np.r_[1.0, s, s[-1]], where="post", color=BLUE,
            label="not yet removed")  # fmt: skip
    t, s = curves["first_sale"]
    ax.step(np.r_[0.0, t, end], 100 * np.r_[1.0, s, s[-1]], where="post", color=ORANGE,
            label="not yet sold (if left live)")  # fmt: skip
    ax.set(
        xlabel="days since submission",
        ylabel="% of infringing listings",
        ylim=(0, 101),
        title="Time to removal against time to first sale",
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    caption = (
        "Kaplan-Meier curves over all infringing listings, censored at the end of the period: "
        "share not yet removed (block, review or notice) and share that would not yet have sold."
    )
    return Plot("survival.png", caption, _png(fig))


def _weekly_notices(result: EvaluationResult) -> Plot | None:
    weekly = result.curves.get("weekly_notices")
    if weekly is None:
        return None
    fig, ax = _figure()
    weeks = weekly["week"]
    width = 0.4
    ax.bar(weeks - width / 2, weekly["model"], width, color=BLUE, label="with the model")
    if "baseline" in weekly:
        name = result.config.get("baseline")
        ax.bar(weeks + width / 2, weekly["baseline"], width, color=GREY, label=f"baseline {name}")
    ax.set(xlabel="week of the period", ylabel="takedown notices", title="Notices per week")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    caption = "Rights-holder takedown notices per week of the replay, model against the baseline."
    return Plot("notices_weekly.png", caption, _png(fig))


def _registered(result: EvaluationResult) -> Plot | None:
    table = result.tables.get("per_registered")
    if table is None or table.empty:
        return None
    fig, ax = _figure()
    recall = "proactive_recall" if "proactive_recall" in table else "flagged_recall"
    series = ((recall, BLUE, recall.replace("_", " ")), ("wrongly_blocked", RED, "wrongly blocked"))
    x = np.arange(len(table))
    width = 0.38
    for i, (column, colour, label) in enumerate(series):
        value = 100 * table[column].to_numpy(dtype=float)
        low = 100 * table[f"{column}_low"].to_numpy(dtype=float)
        high = 100 * table[f"{column}_high"].to_numpy(dtype=float)
        errors = np.nan_to_num(np.vstack([value - low, high - value]))
        ax.bar(x + (i - 0.5) * width, np.nan_to_num(value), width, yerr=errors, capsize=4,
               color=colour, label=label)  # fmt: skip
        counts = _registered_counts(table, column)
        for j, (v, text) in enumerate(zip(value, counts, strict=True)):
            top = 0.0 if np.isnan(v) else float(v) + float(np.nan_to_num(errors[1][j]))
            label_text = "n/a" if np.isnan(v) else f"{v:.1f}%" if v >= 1 else f"{v:.2g}%"
            where = (x[j] + (i - 0.5) * width, min(top, 100.0))
            ax.annotate(f"{label_text}\n{text}", where, xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=7)  # fmt: skip
    ax.set_xticks(x, [str(v) for v in table["registered"]])
    ax.set(ylabel="%", ylim=(0, 118), title="Registered against unregistered brands")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    caption = (
        f"{recall.replace('_', ' ').capitalize()} (÷ infringing listings) and wrongly blocked "
        "(÷ genuine listings) by brand registration, with 95% Wilson intervals."
    )
    return Plot("registered.png", caption, _png(fig))


def _registered_counts(table: Any, column: str) -> list[str]:
    numerator = {"proactive_recall": "proactive_takedowns", "flagged_recall": "flagged_infringing",
                 "wrongly_blocked": "genuine_blocked"}[column]  # fmt: skip
    denominator = "genuine" if column == "wrongly_blocked" else "infringing"
    return [
        f"{int(k):,} of {int(n):,}"
        for k, n in zip(table[numerator], table[denominator], strict=True)
    ]


def _score_distribution(result: EvaluationResult) -> Plot | None:
    hist = result.curves.get("score_histogram")
    if hist is None:
        return None
    fig, ax = _figure()
    edges = np.asarray(hist["edges"])
    centres = (edges[:-1] + edges[1:]) / 2
    if "infringing" in hist:
        ax.bar(centres - 0.022, hist["genuine"], 0.044, color=GREY, label="genuine")
        ax.bar(centres + 0.022, hist["infringing"], 0.044, color=RED, label="infringing")
        ax.legend(fontsize=8)
    else:
        ax.bar(centres, hist["all"], 0.09, color=BLUE)
    ax.set_yscale("symlog")
    ax.set(xlabel="score", ylabel="listings", xlim=(0, 1), title="Score distribution")
    ax.grid(alpha=0.3, axis="y")
    caption = "Listings per score bin (10 equal-width bins)."
    return Plot("score_distribution.png", caption, _png(fig))
