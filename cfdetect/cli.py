"""The ``cfdetect`` command line: thin commands over the library.

Each command parses its options, makes one library call and maps library errors to exit codes
(2 for usage errors, 1 for everything else). Progress and summaries go to stderr; data goes to
stdout or files, so pipes stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

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
from rich.table import Table

from cfdetect._version import __version__
from cfdetect.errors import CfdetectError, UsageError

app = typer.Typer(
    name="cfdetect",
    help="Flag counterfeit and IP-infringing marketplace listings before they are published.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help='Column map: a TOML/JSON file (their_name = "our_name") or a preset '
        "(ozon-ecup-2025, ebay-scrape).",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="Input format when the suffix does not tell: csv, tsv, jsonl, "
        "parquet (needed for '-', stdin).",
    ),
]
EncodingOption = Annotated[
    str, typer.Option("--encoding", help="Text encoding of CSV/JSON Lines input.")
]


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and an exit code; no tracebacks."""
    try:
        yield
    except UsageError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except CfdetectError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]: no output was left under its final name")
        raise typer.Exit(130) from None


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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cfdetect {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """cfdetect: score listings, train models, evaluate catch rates."""


@app.command()
def validate(
    input: Annotated[str, typer.Argument(help="Listing file (CSV, TSV, JSONL, Parquet, .gz) or -")],
    columns: ColumnsOption = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write rejected rows here (.csv or .jsonl)."),
    ] = None,
    format: FormatOption = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1)] = 100_000,
) -> None:
    """Check a listing dump against the schema: rows read, valid, rejected and why."""
    from cfdetect.io import input_size
    from cfdetect.validate import validate_file

    with _errors(), _progress(input_size(input), "validating") as progress:
        report = validate_file(
            input,
            columns,
            fmt=format,
            rejects_path=rejects,
            chunk_size=chunk_size,
            encoding=encoding,
            progress=progress,
        )
    counts = Table(title=f"cfdetect validate {input}", show_header=False)
    counts.add_row("rows read", f"{report.rows_read:,}")
    counts.add_row("valid", f"{report.valid:,}")
    counts.add_row("rejected", f"{report.rejected:,}")
    counts.add_row("columns recognised", ", ".join(report.recognised) or "-")
    counts.add_row("columns missing", ", ".join(report.missing) or "-")
    counts.add_row("input columns carried, not used", ", ".join(report.ignored) or "-")
    if report.carried:
        counts.add_row("post-publication (never features)", ", ".join(report.carried))
    if rejects is not None:
        counts.add_row("rejects file", str(rejects))
    err.print(counts)
    if report.rejects_by_reason:
        reasons = Table(title="rejected rows by field and reason")
        reasons.add_column("field")
        reasons.add_column("reason")
        reasons.add_column("rows", justify="right")
        for (fld, reason), n in report.rejects_by_reason.most_common():
            reasons.add_row(fld, reason, f"{n:,}")
        err.print(reasons)


def main() -> None:
    """Entry point of the ``cfdetect`` console script."""
    app(prog_name="cfdetect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
