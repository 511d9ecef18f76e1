"""Write an evaluation's report: ``metrics.json``, ``report.md``, a self-contained ``report.html``
and the plots as PNG files.

The Markdown and the HTML are rendered from one list of blocks, so they say the same thing. The
HTML embeds the plots as base64 data URIs and its CSS inline: it opens offline and can be mailed
as one file. Every file is written to a temporary name beside the target, and all are renamed into
place once all are written, so a failed or interrupted run leaves no file under a final name.
"""

from __future__ import annotations

import base64
import contextlib
import html
from pathlib import Path
from typing import Any

import pandas as pd

from cfdetect.errors import InputError
from cfdetect.evaluate._plots import Plot, render_plots
from cfdetect.evaluate._result import FIXED_KEYS, TABLE_KEYS, EvaluationResult
from cfdetect.io import StagedFile, commit_together

TOP_ROWS = 15
Block = tuple[str, Any]

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 980px;
       margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em;
     border-bottom: 1px solid #ddd; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .88em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.statement { background: #f6f8fa; border-left: 4px solid #888; padding: .6em 1em; }
.omitted { background: #fff4e5; border-left: 4px solid #d9822b; padding: .6em 1em;
           font-weight: 600; }
.note { color: #8a4b00; }
figure { margin: 1.2em 0; } figcaption { font-size: .88em; color: #555; }
img { max-width: 100%; }
"""


def write_report(
    result: EvaluationResult, out_dir: str | Path, *, title: str = "cfdetect evaluation"
) -> dict[str, Path]:
    """Write ``metrics.json``, ``report.md``, ``report.html`` and the plots into ``out_dir``.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`~cfdetect.evaluate.evaluate_scored`.
    out_dir : str or Path
        Created when missing.
    title : str
        First heading of the report.

    Returns
    -------
    dict of str to Path
        Every file written, by name.

    Examples
    --------
    >>> import tempfile
    >>> from cfdetect.evaluate import evaluate_scored
    >>> frame = pd.DataFrame({"is_counterfeit": [1, 0, 1, 0]})
    >>> result = evaluate_scored(frame, [0.9, 0.2, 0.6, 0.4], ["block", "allow", "review", "allow"])
    >>> files = write_report(result, tempfile.mkdtemp())
    >>> sorted(name for name in files if not name.endswith(".png"))
    ['metrics.json', 'report.html', 'report.md']
    """
    return commit_report(*stage_report(result, out_dir, title=title))


def stage_report(
    result: EvaluationResult, out_dir: str | Path, *, title: str = "cfdetect evaluation"
) -> tuple[list[StagedFile], Path | None]:
    """Write the report's files under temporary names in ``out_dir`` (``commit_report`` renames
    them): the files, and the directory made for them (None when it existed)."""
    out = Path(out_dir)
    made = None if out.is_dir() else out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output directory ({exc.strerror})") from exc
    staged: list[StagedFile] = []
    try:
        notes: list[str] = []
        try:
            plots = render_plots(result)
        except ImportError:
            plots = []
            notes.append(
                "matplotlib is not installed, so the report has no plots "
                "(pip install 'cfdetect[plot]')."
            )
        for plot in plots:
            staged.append(StagedFile(out / plot.name, plot.png))
        blocks = report_blocks(result, plots, notes, title)
        staged.append(StagedFile(out / "report.md", to_markdown(blocks).encode("utf-8")))
        page = to_html(blocks, title)
        staged.append(StagedFile(out / "report.html", page.encode("utf-8")))
        staged.append(StagedFile(out / "metrics.json", result.to_json().encode("utf-8")))
    except BaseException:
        _discard(staged, made)
        raise
    return staged, made


def commit_report(
    staged: list[StagedFile], made: Path | None, *, together: list[Any] | None = None
) -> dict[str, Path]:
    """Rename the staged report files into place, with the ``together`` writers (the run's
    rejects, finished), only when all are complete; on any failure or interruption none is
    left, nor the directory made for them. Returns every report file written, by name."""
    try:
        commit_together([*(together or []), *staged])
    except BaseException:
        _discard([*(together or []), *staged], made)
        raise
    return {f.path.name: f.path for f in staged}


def _discard(files: list[Any], made: Path | None) -> None:
    for file in files:
        file.abort()
    if made is not None:
        with contextlib.suppress(OSError):
            made.rmdir()  # only when empty


def report_blocks(
    result: EvaluationResult, plots: list[Plot], extra_notes: list[str], title: str
) -> list[Block]:
    """The report as a list of ``(kind, content)`` blocks: h1, h2, p, statement, omitted, notes,
    table (header, rows), plot (Plot)."""
    blocks: list[Block] = [("h1", title), ("p", _scope(result))]
    head = result.headline()
    blocks.append(("h2", "Headline"))
    blocks.append(("statement", head["statement"]))
    blocks.append(("omitted", head["omitted"]))
    notes = list(result.notes) + extra_notes
    if notes:
        blocks += [("h2", "Notes"), ("notes", notes)]
    if result.status != "scores":
        blocks += [("h2", "Figures and their denominators"), ("table", _figure_table(result))]
        blocks += [("table", _count_table(result))]
    else:
        blocks += [("h2", "Decisions and scores"), ("table", _score_table(result))]
    if plots:
        blocks.append(("h2", "Plots"))
        blocks += [("plot", plot) for plot in plots]
    headings = {
        "per_brand": "Per brand",
        "per_category": "Per category",
        "per_registered": "Registered against unregistered brands",
    }
    for key in TABLE_KEYS:
        table = result.tables.get(key)
        if table is None:
            continue
        shown = f" (top {TOP_ROWS} of {len(table):,} by listings)" if len(table) > TOP_ROWS else ""
        blocks.append(("h2", headings[key] + shown))
        blocks.append(("table", _group_rows(table.head(TOP_ROWS))))
    blocks += [("h2", "How these figures are defined"), ("p", _semantics(result))]
    return blocks


def _scope(result: EvaluationResult) -> str:
    c = result.config
    parts = [f"{result.counts.get('listings', 0):,} listings"]
    if result.period:
        p = result.period
        submitted = f"submitted {p['start'][:10]} to {p['last_submission'][:10]} ({p['days']} days)"
        if result.status == "full":
            submitted += f", replayed until {p['end'][:10]}"
        parts.append(submitted)
    if result.status == "full":
        parts.append(
            f"review capacity {c['review_capacity']:g}/day, notice capacity "
            f"{c['notice_capacity']:g}/day, baseline {c['baseline']}"
        )
    if c.get("model"):
        simulated = " (trained on simulated listings)" if c.get("model_simulated") else ""
        parts.append(
            f"data {c.get('data')}; model {c['model']}{simulated}, block threshold "
            f"{c['block_threshold']:.4g}, review threshold {c['review_threshold']:.4g}"
        )
    status = {
        "full": "full evaluation",
        "classification": "classification only (no replay)",
        "scores": "scores only (no labels)",
    }[result.status]
    return f"{status.capitalize()}: " + "; ".join(parts) + "."


def _figure_table(result: EvaluationResult) -> tuple[list[str], list[list[str]]]:
    header = ["figure", "value", "numerator", "denominator", "95% interval", "definition"]
    rows = []
    keys = [k for k in FIXED_KEYS if k not in TABLE_KEYS] + [
        k for k in result.figures if k not in FIXED_KEYS
    ]
    for key in keys:
        if key in ("notices", "notices_baseline"):
            count = result.counts.get(key)
            what = "notices with the model" if key == "notices" else "notices with the baseline"
            rows.append([key, "n/a" if count is None else f"{count:,}", "", "", "", what])
            continue
        rate = result.figures[key]
        value = rate.text().split(" (")[0].split(" [")[0]
        num = "" if rate.numerator is None else _number(rate.numerator)
        den = "" if rate.denominator is None else _number(rate.denominator)
        interval = rate.interval_text(percent=rate.kind != "score").removeprefix("[95% CI ")
        rows.append([key, value, num, den, interval.rstrip("]"), rate.definition])
    return header, rows


def _number(x: int | float) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:,.4g}"


def _count_table(result: EvaluationResult) -> tuple[list[str], list[list[str]]]:
    rows = [
        [k.replace("_", " "), "n/a" if v is None else f"{v:,}"] for k, v in result.counts.items()
    ]
    return ["count", "number"], rows


def _score_table(result: EvaluationResult) -> tuple[list[str], list[list[str]]]:
    rows = [[f"decision: {k}", f"{v:,}"] for k, v in result.decision_counts.items()]
    for q, v in result.score_summary["quantiles"].items():
        rows.append([f"score quantile {q[1:]}", "n/a" if v is None else f"{v:.4f}"])
    return ["", "value"], rows


def _group_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    key = table.columns[0]
    header = [key, "listings", "infringing", "blocked", "reviewed", "recall at the decisions"]
    proactive = "proactive_recall" in table
    if proactive:
        header.append("proactive recall")
    header += ["wrongly blocked", "PR-AUC"]
    rows = []
    for r in table.itertuples(index=False):
        row = [
            str(getattr(r, key)),
            f"{r.rows:,}",
            f"{r.infringing:,}",
            f"{r.blocked:,}",
            f"{r.reviewed:,}",
            _cell(r.flagged_recall, r.flagged_infringing, r.infringing),
        ]
        if proactive:
            row.append(_cell(r.proactive_recall, r.proactive_takedowns, r.infringing))
        row.append(_cell(r.wrongly_blocked, r.genuine_blocked, r.genuine))
        row.append("n/a" if pd.isna(r.pr_auc) else f"{r.pr_auc:.3f}")
        rows.append(row)
    return header, rows


def _cell(value: float, k: int, n: int) -> str:
    if n == 0 or pd.isna(value):
        return f"n/a ({k:,} of {n:,})"
    return f"{100 * value:.1f}% ({k:,} of {n:,})"


def _semantics(result: EvaluationResult) -> str:
    c = result.config
    return (
        "Block removes a listing before publication. Review publishes it and queues it first in, "
        f"first out; reviewers finish one every 24 h ÷ {c['review_capacity']:g}; an infringing "
        "listing is removed when its review finishes. A live infringing listing sells at its "
        "first_sale_at if that comes before its removal, and is reported at reported_at if still "
        "live, which creates a takedown notice; the notice team handles notices first in, first "
        f"out, one every 24 h ÷ {c['notice_capacity']:g}. Proactive takedowns are infringing "
        "listings removed by block or review before any notice. The replay ends "
        f"{c['horizon_days']:g} days after the last submission; what would happen later is not "
        "counted. Rates carry 95% Wilson intervals; PR-AUC a logit interval; the change in "
        "notices an approximate interval treating both counts as Poisson."
    )


def to_markdown(blocks: list[Block]) -> str:
    """Render report blocks as Markdown (plots referenced by file name)."""
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "h1":
            lines += [f"# {content}", ""]
        elif kind == "h2":
            lines += [f"## {content}", ""]
        elif kind == "p":
            lines += [content, ""]
        elif kind == "statement":
            lines += [f"> {s}  " for s in content] + [""]
        elif kind == "omitted":
            lines += [f"> **{s}**  " for s in content] + [""]
        elif kind == "notes":
            lines += [f"- {s}" for s in content] + [""]
        elif kind == "table":
            header, rows = content
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
        elif kind == "plot":
            lines += [f"![{content.caption}]({content.name})", "", f"*{content.caption}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_html(blocks: list[Block], title: str) -> str:
    """Render report blocks as one self-contained HTML page (plots as data URIs, inline CSS)."""
    esc = html.escape
    body: list[str] = []
    for kind, content in blocks:
        if kind in ("h1", "h2"):
            body.append(f"<{kind}>{esc(content)}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{esc(content)}</p>")
        elif kind in ("statement", "omitted"):
            items = "".join(f"<p>{esc(s)}</p>" for s in content)
            body.append(f'<div class="{kind}">{items}</div>')
        elif kind == "notes":
            items = "".join(f'<li class="note">{esc(s)}</li>' for s in content)
            body.append(f"<ul>{items}</ul>")
        elif kind == "table":
            header, rows = content
            head = "".join(f"<th>{esc(h)}</th>" for h in header)
            cells = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
        elif kind == "plot":
            data = base64.b64encode(content.png).decode("ascii")
            body.append(
                f'<figure><img alt="{esc(content.caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{esc(content.caption)}</figcaption></figure>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
