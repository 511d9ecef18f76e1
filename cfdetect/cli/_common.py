"""What the CLI's commands share: option types, progress bars, summaries and terminal helpers."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cfdetect._terminal import clean as _clean
from cfdetect._terminal import err, error
from cfdetect._terminal import errors as _errors
from cfdetect._terminal import escaped as _escaped

ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help='Column map: a TOML/JSON file (their_name = "our_name") or a preset '
        "(ozon-ecup-2025, ebay-scrape).",
    ),
]


InputFormat = Literal["csv", "tsv", "jsonl", "parquet"]


OutputFormat = Literal["csv", "tsv", "jsonl"]


FormatOption = Annotated[
    InputFormat | None,
    typer.Option(
        "--format",
        help="Input format when the suffix does not tell: csv, tsv, jsonl, "
        "parquet (needed for '-', stdin).",
    ),
]


EncodingOption = Annotated[
    str, typer.Option("--encoding", help="Text encoding of CSV/JSON Lines input.")
]
ChunkSizeOption = Annotated[
    int, typer.Option("--chunk-size", min=1, help="Rows read, validated and scored at a time.")
]
OutputFormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--output-format", help="Output format for '-' (csv, tsv, jsonl)."),
]


def _names(names: list[str]) -> Text:
    """A list of input column names, shown inert, or ``-``."""
    return _clean(", ".join(names) or "-")


def _inert(value: object) -> object:
    """A card from an untrusted directory, with every string safe to print as rich markup."""
    from rich.markup import escape

    if isinstance(value, str):
        return escape(_escaped(value))
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_inert(v) for v in value]
    return value


def _within(low: float, high: float) -> Callable[[typer.CallbackParam, float | None], float | None]:
    """A callback for a number option: NaN, infinities and values outside ``[low, high]`` are
    a one-line usage error (exit code 2) naming the option, before anything runs."""
    from cfdetect._checks import check_number

    def check(param: typer.CallbackParam, value: float | None) -> float | None:
        if value is None:
            return None
        with _errors():
            return check_number(param.opts[0] if param.opts else str(param.name), value, low, high)
        return None  # pragma: no cover - _errors raised

    return check


EscapeOption = Annotated[
    bool,
    typer.Option(
        "--escape-formulas/--no-escape-formulas",
        help="CSV/TSV outputs: prefix ' to cells starting (after spaces, NBSP, NUL) with "
        "= + - @ tab or CR so that spreadsheets show them as text instead of running them "
        "(OWASP CSV injection).",
    ),
]


@contextmanager
def _progress(total_bytes: int | None, what: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    columns = [TextColumn(f"{what}"), BarColumn()]
    columns += [DownloadColumn(), TimeRemainingColumn()] if total_bytes else [MofNCompleteColumn()]
    columns += [TextColumn("{task.fields[rows]:,} rows"), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(what, total=total_bytes, rows=0)

        def update(rows: int, bytes_read: int) -> None:
            bar.update(task, completed=bytes_read or rows, rows=rows)

        yield update


SummaryJsonOption = Annotated[
    Path | None,
    typer.Option(
        "--summary-json",
        help="Also write the run's summary (counts, decisions, rejects by reason) as JSON here "
        "(- for stdout when the data goes to a file).",
    ),
]


def _write_summary(path: Path | None, summary: dict[str, object]) -> None:
    """``--summary-json``: the summary a script reads, as one JSON document."""
    if path is None:
        return
    import json

    text = json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def _validation_summary(report: object) -> dict[str, object]:
    v = report  # a ValidationReport
    return {
        "rows_read": v.rows_read,  # type: ignore[attr-defined]
        "valid": v.valid,  # type: ignore[attr-defined]
        "rejected": v.rejected,  # type: ignore[attr-defined]
        "reject_rate": (v.rejected / v.rows_read) if v.rows_read else 0.0,  # type: ignore[attr-defined]
        "rejects_by_reason": [
            {"field": fld, "reason": reason, "rows": n}
            for (fld, reason), n in v.rejects_by_reason.most_common()  # type: ignore[attr-defined]
        ],
        "columns_recognised": list(v.recognised),  # type: ignore[attr-defined]
        "columns_missing": list(v.missing),  # type: ignore[attr-defined]
    }


SellerLogsOption = Annotated[
    Path | None,
    typer.Option(
        "--seller-logs",
        help="Directory of raw logs (listings, sellers, takedowns, ratings, sales, returns): "
        "recompute the seller_* fields as of each listing's submission (cfdetect seller-history).",
    ),
]


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        envvar="CFDETECT_MODEL",
        help="Model directory (default: the shipped models/default).",
    ),
]


def _say(text: str, style: str | None = None) -> None:
    """One line of text to stderr, wrapped by the terminal, shown inert (``_clean``)."""
    err.print(_clean(text, style or ""), highlight=False, soft_wrap=True)


def _stdout_console() -> Console:
    """stdout for data: wrapped to the terminal, never wrapped when piped (a script reads
    whole lines)."""
    if sys.stdout.isatty():
        return Console()
    return Console(soft_wrap=True, width=10_000, no_color=True, highlight=False)


def _fmt(value: object) -> str:
    """A card figure: four decimals; "n/a" where the card has none (a hold-out with no
    infringing listing has no PR-AUC)."""
    if value is None:
        return "n/a"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _trust_paths(paths: list[Path] | None) -> list[Path] | None:
    """``--trust`` callback: each value names one directory, made absolute here (so that the
    fork server and workers, whatever their working directory, trust the same one)."""
    for path in paths or []:
        if os.pathsep in str(path):
            error(
                f"--trust {path}: name one directory per --trust (repeat the option for more); "
                f"{os.pathsep!r} separates paths only in CFDETECT_TRUSTED_MODELS"
            )
            raise typer.Exit(2)
    return [path.expanduser().resolve() for path in paths] if paths else None


TrustOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--trust",
        help="Trust model directories under this one directory (repeatable). A model file is a "
        "pickle: loading it runs code. Trusted without it: the shipped models/ and "
        "CFDETECT_TRUSTED_MODELS. See SECURITY.md.",
        callback=_trust_paths,
    ),
]
