"""Render ``benchmarks/results.json`` as Markdown: ``results.md`` and the README's table.

Every figure comes from the JSON, never typed by hand. The README section sits between the
``<!-- bench:start -->`` and ``<!-- bench:end -->`` markers; everything between them is
replaced. ``notes.toml`` holds the analysis of what would close a target a run misses: its text
is shown only under a target this run did not meet. Usage::

    python benchmarks/render.py [benchmarks/results.json] [--readme README.md]
"""

from __future__ import annotations

import argparse
import json
import os
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
RUNNER_LABELS = {
    "floor": "floor: read + hash titles, 1 core",
    "baseline": "baseline pipeline, 1 core",
    "jobs1": "`cfdetect score --jobs 1`, 1 core",
    "jobs2": "`cfdetect score --jobs 2`, 2 cores",
}


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def load_notes(table: str = "close", path: Path = HERE / "notes.toml") -> dict[str, str]:
    """The hand-written 'what would close it' text of each target, by target name: the detail
    (``close``) or the README's one line (``summary``)."""
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        texts = tomllib.load(handle).get(table, {})
    return {k: " ".join(v.split()) for k, v in texts.items()}


def _shortfall(t: dict[str, Any]) -> str:
    """How far a missed target is: a factor for ratios and times, a difference otherwise."""
    value, target = t["value"], t["target"]
    if value is None:
        return "not measured in this run"
    if target == 0:
        return f"short by {abs(value):.3f}"
    if t["op"] == ">=":
        return f"{target / value:.2f}× short of the required {target:g}"
    return f"{value / target:.2f}× over the limit of {target:g}"


def _fmt_value(t: dict[str, Any]) -> str:
    value = t["value"]
    if value is None:
        return "–"
    name = t["name"]
    if "p99" in name:
        return f"{value:.3f} ms"
    if name.startswith("training"):
        return f"{value:,.0f} s"
    if name.startswith("quality"):
        return f"{value:+.3f}"
    if name.startswith("whole run"):
        return f"{value:.1f} min"
    return f"{value:.2f}×"


def targets_table(results: dict[str, Any]) -> list[str]:
    """DESIGN.md's targets: what was measured, what is required, met or not."""
    lines = ["| target | measured | required | met | what is compared |", "|---|---|---|---|---|"]
    for t in results["targets"]:
        unit = {"training": " s", "single listing p99": " ms", "whole run": " min"}
        suffix = next((u for k, u in unit.items() if t["name"].startswith(k)), "")
        required = f"{t['op']} {t['target']:g}{suffix}"
        if t["name"].startswith("quality"):
            required = "> 0"
        met = {True: "yes", False: "**no**", None: "–"}[t["met"]]
        lines.append(f"| {t['name']} | {_fmt_value(t)} | {required} | {met} | {t['what']} |")
    return lines


def _size(run: dict[str, Any]) -> int:
    """The dump a scoring run read (its own row count may differ; older results lack it)."""
    return int(run.get("size", run["rows"]))


def throughput_table(results: dict[str, Any]) -> list[str]:
    """Batch scoring: rows/s, ratio to the baseline, wall and CPU time, peak memory."""
    lines = [
        "| rows | input | runner | rows/s | ÷ baseline | wall s | CPU s | rows per CPU s "
        "| ÷ baseline, per CPU s | peak memory MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by = {(_size(r), r["format"], r["runner"]): r for r in results["throughput"]}
    for r in results["throughput"]:
        base = by.get((_size(r), r["format"], "baseline"))
        cpu_ratio = r["rows_per_cpu_s"] / base["rows_per_cpu_s"] if base else None
        lines.append(
            f"| {r['rows']:,} | {r['format']} | {RUNNER_LABELS[r['runner']]} | "
            f"{_num(r['rows_per_s'])} | {_ratio(r.get('vs_baseline'))} | {_num(r['seconds'], 1)} | "
            f"{_num(r['cpu_seconds'], 1)} | {_num(r['rows_per_cpu_s'])} | {_ratio(cpu_ratio)} | "
            f"{_num(r['peak_rss_mb'])} |"
        )
    for r in results.get("skipped", []):
        lines.append(
            f"| {r['rows']:,} | {r['format']} | {RUNNER_LABELS[r['runner']]} | "
            f"skipped: projected {r['projected_seconds']:,} s, over the time budget "
            "| | | | | | |"
        )
    return lines


def latency_table(results: dict[str, Any]) -> list[str]:
    """Single listing: p50/p99 and the baseline's time as a multiple of each."""
    lat = results["latency"]
    base = lat["baseline_one_row"]
    lines = [
        "| call | listings | p50 ms | p99 ms | baseline ÷ this, p50 | p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("score", "`Scorer.score(listing)` (reasons when flagged, the default)"),
        ("score_all_reasons", '`Scorer.score(listing, explain="all")` (reasons always)'),
        ("score_no_reasons", "`Scorer.score(listing, explain=False)`"),
        ("shipped_score", "`Scorer.score(listing)`, the shipped model (no text score)"),
        ("baseline_one_row", "baseline `predict_proba`, one-row DataFrame"),
    ):
        if key not in lat:  # results of a run before this row existed
            continue
        row = lat[key]
        lines.append(
            f"| {label} | {row['n']:,} | {row['p50_ms']:.3f} | {row['p99_ms']:.3f} | "
            f"{_ratio(base['p50_ms'] / row['p50_ms'])} | {_ratio(base['p99_ms'] / row['p99_ms'])} |"
        )
    return lines


def training_table(results: dict[str, Any]) -> list[str]:
    """Training time of cfdetect and of the baseline, and cfdetect's stages."""
    lines = [
        "| listings | training | wall s | CPU s | peak memory MB | ÷ baseline time |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for run in results["training"]:
        base, ours = run["baseline"], run["cfdetect"]
        lines.append(
            f"| {run['rows']:,} | baseline: read + validate, fit on {base['fit_rows']:,} rows | "
            f"{base['seconds']:,.1f} | {base['cpu_seconds']:,.1f} | "
            f"{base['peak_rss_mb']:,.0f} | 1.00× |"
        )
        flag = "" if ours.get("ablation", True) else " --no-ablation"
        lines.append(
            f"| {run['rows']:,} | `cfdetect train{flag}` (fit on {ours['fit_rows']:,} rows) | "
            f"{ours['seconds']:,.1f} | {ours['cpu_seconds']:,.1f} | {ours['peak_rss_mb']:,.0f} | "
            f"{_ratio(run['cfdetect_over_baseline_time'])} |"
        )
    return lines


def stages_line(results: dict[str, Any]) -> str:
    """Where the largest training run spent its time."""
    run = results["training"][-1]
    parts = [f"{s['stage']} {s['seconds']:.0f} s" for s in run["cfdetect"]["stages"]]
    return f"`cfdetect train` on {run['rows']:,} listings, by stage: " + "; ".join(parts) + "."


def quality_table(results: dict[str, Any]) -> list[str]:
    """Hold-out ranking quality of cfdetect and both baselines."""
    q = results["quality"]
    lines = [
        "| model | PR-AUC | recall at 98% precision | recall at 95% precision | Brier |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("cfdetect", "cfdetect"),
        ("baseline", "plain baseline"),
        ("baseline_tuned", "tuned baseline"),
    ):
        m = q[key]
        lines.append(
            f"| {label} | {m['pr_auc']:.3f} | {m['recall_at_98_precision']:.3f} | "
            f"{m['recall_at_95_precision']:.3f} | {m['brier']:.4f} |"
        )
    return lines


def quality_caption(results: dict[str, Any]) -> str:
    """Which listings the quality figures are measured on."""
    q = results["quality"]
    periods = ", ".join(f"period {k}: {v:,}" for k, v in q["holdout_rows_by_period"].items())
    return (
        f"Hold-out: the last 10% by submission time of the {q['train_rows']:,}-listing training "
        f"file ({q['holdout_rows']:,} listings, {q['holdout_positives']:,} infringing, from "
        f"{q['holdout_from'][:10]}; {periods} — the simulator's last period is the drifted one). "
        f"The plain baseline trained separately by the benchmark scores PR-AUC "
        f"{q['baseline_separate_run']['pr_auc']:.3f} on it "
        f"(the card's: {q['baseline']['pr_auc']:.3f})."
    )


def core_share(results: dict[str, Any]) -> float | None:
    """CPU seconds ÷ wall seconds over the steps pinned to one core: near 1 on a quiet machine,
    lower when other work held the cores."""
    steps = [r for r in results["throughput"] if r.get("cpu") is not None]
    for run in results["training"]:
        steps += [run[k] for k in ("cfdetect", "baseline") if run[k].get("cpu") is not None]
    wall = sum(r["seconds"] for r in steps)
    return sum(r["cpu_seconds"] for r in steps) / wall if wall else None


def header(results: dict[str, Any]) -> list[str]:
    """When, where and with what the run was made."""
    m, v = results["machine"], results["versions"]
    versions = ", ".join(f"{k} {val}" for k, val in v.items())
    start, end = m["load_avg_start"][0], m["load_avg_end"][0]
    load = f"load average {start:.2f} at the start, {end:.2f} at the end"
    share = core_share(results)
    if share is not None:
        load += f"; the 1-core steps got {share:.0%} of their core (CPU time ÷ wall time" + (
            "; they waited the rest, mostly for cores that other work held)" if share < 0.9 else ")"
        )
    return [
        f"`{results['command']}`, {results['started_at'][:16].replace('T', ' ')} UTC, "
        f"{results['wall_seconds'] / 60:.1f} minutes in all. Machine: {m['cpu_model']}, "
        f"{m['cpus']} CPUs, {m['memory_gb']:g} GB; {load}. {versions}.",
        "",
        f"Data: {results['data']['how']}. Scoring uses the models trained in this run on "
        f"{results['scoring_models']['rows']:,} listings (cfdetect and the baseline, same rows).",
    ]


def notes(results: dict[str, Any], table: str = "close") -> list[str]:
    """For each missed target: by how much, and what would close it (``table`` of notes.toml)."""
    texts = load_notes(table)
    lines = []
    for t in results["targets"]:
        if t["met"] is not True:
            close = texts.get(t["name"], "no analysis recorded yet (benchmarks/notes.toml)")
            lines.append(
                f"- **{t['name']}**: {_fmt_value(t)}, {_shortfall(t)}. What would close it: {close}"
            )
    skipped = results.get("skipped", [])
    if skipped:
        runs = ", ".join(
            f"{r['runner']} on {r['format']} ({r['projected_seconds']:,} s)" for r in skipped
        )
        total = sum(r["projected_seconds"] for r in skipped)
        lines.append(
            f"- **runs skipped by the time budget**: on {skipped[0]['rows']:,} rows, {runs}: "
            f"about {total / 60:.0f} more minutes, projected from the same runs on the smaller "
            "file. `make bench-full` runs them (no budget)."
        )
    return lines


def markdown(results: dict[str, Any], *, level: int = 1) -> str:
    """The whole report; ``level`` is the heading level of its title."""
    h = "#" * level
    parts = [f"{h} Benchmarks: cfdetect against the plain baseline", "", *header(results), ""]
    parts += [f"{h}# Side by side", "", *summary_table(results), ""]
    parts += [f'{h}# Targets (DESIGN.md, "Performance targets")', "", *targets_table(results), ""]
    missed = notes(results)
    if missed:
        parts += ["Targets not met, by how much, and what would close them:", "", *missed, ""]
    parts += [f"{h}# Batch scoring", "", *throughput_table(results), ""]
    parts += [
        "Read, validate, score, write CSV; each run a fresh process, the model loaded once. "
        "Peak memory: the process and its workers together. CPU s: user + system time of the "
        "process and its workers. A 1-core run whose wall time is well above its CPU time "
        "waited for a core that other work held; rows per CPU second is then the steadier "
        "comparison (the targets use wall time, as DESIGN.md defines throughput).",
        "",
    ]
    parts += [f"{h}# Single listing", "", *latency_table(results), ""]
    parts += [f"{h}# Training", "", *training_table(results), "", stages_line(results), ""]
    parts += [f"{h}# Quality on the drifted last period", "", *quality_table(results), ""]
    parts += [quality_caption(results), ""]
    return "\n".join(parts)


def summary_table(results: dict[str, Any]) -> list[str]:
    """The side-by-side table: the baseline and cfdetect on each measure, and the factor by
    which cfdetect is better (above 1) or worse (below 1)."""
    lines = [
        "| measure | plain baseline | cfdetect | cfdetect better by |",
        "|---|---:|---:|---:|",
    ]
    tp = {(_size(r), r["format"], r["runner"]): r for r in results["throughput"]}
    sizes = sorted({_size(r) for r in results["throughput"]})
    for n in sizes:
        for fmt in ("parquet", "csv"):
            base = tp.get((n, fmt, "baseline"))
            if base is None:
                continue
            for runner, label in (("jobs1", "1 core each"), ("jobs2", "cfdetect --jobs 2")):
                ours = tp.get((n, fmt, runner))
                if ours is not None:
                    lines.append(
                        f"| batch scoring, {n:,} rows {fmt}, rows/s ({label}) | "
                        f"{_num(base['rows_per_s'])} | {_num(ours['rows_per_s'])} | "
                        f"{_ratio(ours['rows_per_s'] / base['rows_per_s'])} |"
                    )
    for fmt in ("parquet", "csv"):
        for runner in ("jobs1",):
            ours = [tp.get((n, fmt, runner)) for n in sizes]
            base = [tp.get((n, fmt, "baseline")) for n in sizes]
            if len(sizes) > 1 and all(ours) and all(base):
                lines.append(
                    f"| peak memory MB, {sizes[0]:,} → {sizes[-1]:,} rows {fmt}, 1 core | "
                    f"{base[0]['peak_rss_mb']:,.0f} → {base[-1]['peak_rss_mb']:,.0f} | "
                    f"{ours[0]['peak_rss_mb']:,.0f} → {ours[-1]['peak_rss_mb']:,.0f} | |"
                )
    lat = results["latency"]
    for q in ("p50", "p99"):
        base, ours = lat["baseline_one_row"][f"{q}_ms"], lat["score"][f"{q}_ms"]
        lines.append(
            f"| single listing {q}, ms | {base:.3f} | {ours:.3f} | {_ratio(base / ours)} |"
        )
    for run in results["training"]:
        base, ours = run["baseline"]["seconds"], run["cfdetect"]["seconds"]
        lines.append(
            f"| training on {run['rows']:,} listings, s | {base:,.0f} | {ours:,.0f} | "
            f"{_ratio(base / ours)} |"
        )
    q = results["quality"]
    for key, label in (("pr_auc", "PR-AUC"), ("recall_at_98_precision", "recall at 98% precision")):
        base, ours = q["baseline"][key], q["cfdetect"][key]
        lines.append(
            f"| {label}, drifted last period | {base:.3f} | {ours:.3f} | {_ratio(ours / base)} |"
        )
    return lines


def readme_section(results: dict[str, Any]) -> str:
    """The README's Benchmarks table (between the markers): the side-by-side summary, the
    targets, and what a missed target needs; the detail is in benchmarks/results.md."""
    parts = [
        START,
        "<!-- generated by benchmarks/render.py from benchmarks/results.json: "
        "do not edit by hand -->",
        *header(results),
        "",
        *summary_table(results),
        "",
        *targets_table(results),
        "",
    ]
    missed = notes(results, "summary")
    if missed:
        parts += ["Targets not met, by how much, and what would close them:", "", *missed, ""]
    parts += [
        "Every run, stage and timing, and the analysis behind each missed target: "
        "[`benchmarks/results.md`](benchmarks/results.md).",
        END,
    ]
    return "\n".join(parts)


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def update_readme(readme: Path, results: dict[str, Any]) -> None:
    """Replace the text between the markers (a Benchmarks section before Status if absent)."""
    text = readme.read_text(encoding="utf-8")
    section = readme_section(results)
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        block = (
            "## Benchmarks\n\n`make bench` measures cfdetect against the plain scikit-learn "
            "baseline side by side and writes `benchmarks/results.json`, `benchmarks/results.md` "
            f"and the table below.\n\n{section}\n\n"
        )
        text = (
            text.replace("## Status", block + "## Status", 1)
            if "## Status" in text
            else (text.rstrip("\n") + "\n\n" + block)
        )
    _atomic(readme, text)


def write_all(results_json: Path, readme: Path | None) -> None:
    """Write ``results.md`` beside the JSON and, when given, the README section."""
    results = json.loads(Path(results_json).read_text(encoding="utf-8"))
    _atomic(Path(results_json).with_suffix(".md"), markdown(results) + "\n")
    if readme is not None:
        update_readme(readme, results)


def main() -> None:
    """Render a results file (and the README section)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default=str(HERE / "results.json"))
    parser.add_argument("--readme", help="README to update between the markers")
    args = parser.parse_args()
    write_all(Path(args.results), Path(args.readme) if args.readme else None)


if __name__ == "__main__":
    main()
