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


@app.command()
def train(
    data: Annotated[str, typer.Argument(help="Labelled listings (CSV, JSONL, Parquet).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model directory to write.")],
    registry: Annotated[
        Path | None, typer.Option("--registry", help="Brand registry CSV (default: shipped).")
    ] = None,
    columns: ColumnsOption = None,
    label_column: Annotated[str, typer.Option("--label-column")] = "is_counterfeit",
    time_column: Annotated[str, typer.Option("--time-column")] = "created_at",
    review_capacity: Annotated[
        int, typer.Option("--review-capacity", min=0, help="Listings reviewed per day.")
    ] = 200,
    target_precision: Annotated[
        float, typer.Option("--target-precision", help="Precision of the block threshold.")
    ] = 0.98,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    ablation: Annotated[bool, typer.Option("--ablation/--no-ablation")] = True,
) -> None:
    """Train, calibrate and write a model directory (model.joblib + card.json)."""
    from cfdetect.model import TrainConfig
    from cfdetect.training import train as train_model

    command = "cfdetect " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train"] else None
    with _errors():
        config = TrainConfig(
            target_precision=target_precision,
            review_capacity=review_capacity,
            seed=seed,
            ablation=ablation,
        )
        with err.status("training", spinner="dots") as status:
            card = train_model(
                data,
                output,
                registry=registry,
                columns=columns,
                label_column=label_column,
                time_column=time_column,
                config=config,
                command=command,
                progress=lambda msg: status.update(msg),
            )
    err.print(_card_table(card))


def _fmt(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _card_table(card: dict[str, object]) -> Table:
    table = Table(title=f"model {card.get('name')}", show_header=False)
    training = card.get("training", {})
    data = card.get("training_data", {})
    thresholds = card.get("thresholds", {})
    metrics = card.get("holdout_metrics", {})
    assert isinstance(training, dict) and isinstance(data, dict)
    assert isinstance(thresholds, dict) and isinstance(metrics, dict)
    table.add_row(
        "trained on",
        f"{training.get('trained_on')} ({data.get('labelled_rows', '?'):,} rows"
        f", positive rate {data.get('positive_rate', 0):.3f})",
    )
    if training.get("simulated"):
        table.add_row("data", "simulated listings (cfdetect simulate), not real marketplace data")
    table.add_row("command", str(training.get("command")))
    table.add_row("time span", " → ".join(data.get("time_span", ["?", "?"])))
    for key in ("pr_auc", "recall_at_98_precision", "recall_at_95_precision", "brier", "ece"):
        table.add_row(f"hold-out {key}", _fmt(metrics.get(key)))
    table.add_row(
        "block threshold", f"{_fmt(thresholds.get('block'))}  ({thresholds.get('method')})"
    )
    table.add_row("review threshold", _fmt(thresholds.get("review")))
    for row in card.get("ablation", []) or []:  # type: ignore[union-attr]
        table.add_row(f"ablation {row['variant']}", f"PR-AUC {_fmt(row['pr_auc'])}")
    versions = card.get("versions", {})
    assert isinstance(versions, dict)
    table.add_row("versions", ", ".join(f"{k} {v}" for k, v in versions.items()))
    table.add_row("model sha256", str(card.get("model_sha256")))
    return table


ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="Model directory (default: the shipped models/default)."),
]


@app.command()
def score(
    input: Annotated[str, typer.Argument(help="Listing file (CSV, TSV, JSONL, Parquet, .gz) or -")],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Scored output (.csv/.jsonl/.parquet) or -.")
    ] = "-",
    model: ModelOption = None,
    columns: ColumnsOption = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write rejected rows here (.csv or .jsonl).")
    ] = None,
    format: FormatOption = None,
    output_format: Annotated[
        str | None, typer.Option("--output-format", help="Output format for '-' (csv, jsonl).")
    ] = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1)] = 100_000,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Worker processes.")] = 1,
    explain: Annotated[
        bool, typer.Option("--explain/--no-explain", help="Reason codes for flagged rows.")
    ] = True,
    block_threshold: Annotated[float | None, typer.Option("--block-threshold")] = None,
    review_threshold: Annotated[float | None, typer.Option("--review-threshold")] = None,
    show: Annotated[
        int, typer.Option("--show", min=0, help="Print the N highest-scored flagged rows.")
    ] = 0,
) -> None:
    """Score a listing dump: listing_id, score, decision (block/review/allow), reasons."""
    from cfdetect.batch import score_file
    from cfdetect.io import input_size

    with _errors(), _progress(input_size(input), "scoring") as progress:
        report = score_file(
            input,
            output,
            model=str(model) if model is not None else None,
            columns=columns,
            rejects=rejects,
            fmt=format,
            output_format=output_format,
            encoding=encoding,
            chunk_size=chunk_size,
            jobs=jobs,
            explain=explain,
            block_threshold=block_threshold,
            review_threshold=review_threshold,
            progress=progress,
        )
    validation = report.validation
    table = Table(title=f"cfdetect score {input}", show_header=False)
    table.add_row("rows read", f"{validation.rows_read:,}")
    table.add_row("scored", f"{report.scored:,}")
    table.add_row("rejected", f"{validation.rejected:,}")
    for decision in ("block", "review", "allow"):
        table.add_row(decision, f"{report.decisions.get(decision, 0):,}")
    rate = validation.rows_read / report.seconds if report.seconds else 0.0
    table.add_row("elapsed", f"{report.seconds:.1f} s ({rate:,.0f} rows/s)")
    table.add_row("output", report.output if report.output != "-" else "stdout")
    err.print(table)
    for (fld, reason), n in validation.rejects_by_reason.most_common(5):
        err.print(f"  rejected {n:,}: {fld}: {reason}", highlight=False)
    if show and report.top is not None:
        top = Table(title=f"top {min(show, len(report.top))} flagged listings")
        for name in ("listing_id", "score", "decision", "reasons"):
            top.add_column(name, overflow="fold")
        for row in report.top.head(show).itertuples(index=False):
            top.add_row(str(row.listing_id), f"{row.score:.3f}", row.decision, row.reasons)
        err.print(top)


@app.command()
def explain(
    listing: Annotated[
        str, typer.Argument(help="One listing as a JSON object, a JSON file, or - for stdin.")
    ] = "-",
    model: ModelOption = None,
) -> None:
    """Score one listing and print its score, decision and reasons."""
    import json

    from cfdetect.scorer import Scorer

    with _errors():
        text = _read_listing_text(listing)
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"the listing is not valid JSON ({exc.msg}, position {exc.pos})"
            ) from None
        if not isinstance(record, dict):
            raise UsageError("the listing must be a JSON object of fields")
        scorer = Scorer.load(model)
        try:
            result = scorer.score(record)
        except ValueError as exc:
            raise UsageError(f"invalid listing: {exc}") from None
    out = Console()
    out.print(f"listing  {result.listing_id}", highlight=False)
    out.print(f"score    {result.score:.4f}", highlight=False)
    out.print(f"decision {result.decision}", highlight=False)
    for reason in result.reasons:
        out.print(f"reason   {reason.code}: {reason.text}", highlight=False)
    if not result.reasons:
        out.print("reason   (nothing pushed the score up)")


def _read_listing_text(listing: str) -> str:
    if listing == "-":
        return sys.stdin.read()
    if listing.lstrip().startswith("{"):
        return listing
    path = Path(listing)
    if not path.is_file():
        raise UsageError(f"{listing}: neither a JSON object nor a file")
    return path.read_text(encoding="utf-8")


@app.command()
def info(
    model: Annotated[
        Path | None, typer.Argument(help="Model directory (default: the shipped model).")
    ] = None,
) -> None:
    """Print a model's card readably (data, metrics, thresholds, ablation, versions)."""
    from cfdetect.artifact import default_model_dir, read_card

    with _errors():
        card = read_card(model if model is not None else default_model_dir())
    Console().print(_card_table(card))


@app.command()
def simulate(
    output: Annotated[
        str,
        typer.Option(
            "-o", "--output", help="File to write (.csv, .csv.gz, .jsonl[.gz], .parquet) or -."
        ),
    ],
    listings: Annotated[int, typer.Option("--listings", help="Listings to generate.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same file.")] = 0,
    start: Annotated[str, typer.Option("--start", help="First day (UTC).")] = "2025-01-01",
    days: Annotated[int, typer.Option("--days", help="Days simulated.")] = 365,
    counterfeit_rate: Annotated[
        float, typer.Option("--counterfeit-rate", help="Share of infringing listings.")
    ] = 0.08,
    drift: Annotated[
        bool, typer.Option("--drift/--no-drift", help="Later periods bring new tactics.")
    ] = True,
    label_noise: Annotated[
        float, typer.Option("--label-noise", help="Share of labels flipped at random.")
    ] = 0.0,
    periods: Annotated[int, typer.Option("--periods", help="Periods (the period column).")] = 4,
    registry: Annotated[
        Path | None, typer.Option("--registry", help="Brand registry CSV (default: shipped).")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Output format when the suffix does not tell.")
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print per-tactic/per-case tables to stderr.")
    ] = False,
) -> None:
    """Simulate labelled marketplace listings (sellers, tactics, timelines, drift) to a file."""
    from cfdetect.registry import load_registry
    from cfdetect.simulate import SimulationConfig, SummaryCollector, write_simulation

    collector = SummaryCollector()
    columns = [TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with _errors():
        config = SimulationConfig(
            n_listings=listings,
            seed=seed,
            start=start,
            days=days,
            counterfeit_rate=counterfeit_rate,
            drift=drift,
            label_noise=label_noise,
            n_periods=periods,
        )
        brands = load_registry(registry)
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("simulating", total=listings)
            written = write_simulation(
                output,
                config,
                brands,
                progress=lambda done: bar.update(task, completed=done),
                fmt=format,
                on_chunk=collector.add if summary else None,
            )
    err.print(f"wrote {written:,} listings to {output}", highlight=False)
    if summary:
        for name, table in collector.tables().items():
            shown = Table(title=f"simulated listings: {name.replace('_', ' ')}")
            shown.add_column(str(table.index.name or name), no_wrap=True)
            for column in table.columns:
                shown.add_column(str(column), justify="right", no_wrap=True)
            for key, *values in table.itertuples():
                cells = [f"{v:,}" if isinstance(v, int) else f"{v:,.3f}" for v in values]
                shown.add_row(str(key), *cells)
            err.print(shown)


def main() -> None:
    """Entry point of the ``cfdetect`` console script."""
    app(prog_name="cfdetect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
