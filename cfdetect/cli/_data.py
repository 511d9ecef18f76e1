"""Commands on listing files: ``validate``, ``simulate``, ``seller-history``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._terminal import clean as _clean
from cfdetect._terminal import err
from cfdetect._terminal import error as _error
from cfdetect._terminal import errors as _errors
from cfdetect.cli._common import (
    ChunkSizeOption,
    ColumnsOption,
    EncodingOption,
    EscapeOption,
    FormatOption,
    OutputFormatOption,
    SummaryJsonOption,
    _names,
    _progress,
    _say,
    _validation_summary,
    _within,
    _write_summary,
)
from cfdetect.errors import UsageError


def validate(
    input: Annotated[str, typer.Argument(help="Listing file (CSV, TSV, JSONL, Parquet, .gz) or -")],
    columns: ColumnsOption = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write rejected rows here (.csv or .jsonl)."),
    ] = None,
    format: FormatOption = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: ChunkSizeOption = 100_000,
    escape_formulas: EscapeOption = ESCAPE_FORMULAS,
    max_reject_rate: Annotated[
        float,
        typer.Option(
            "--max-reject-rate",
            envvar="CFDETECT_MAX_REJECT_RATE",
            callback=_within(0, 1),
            help="Exit 1 when more than this share of the rows is rejected (0: any reject).",
        ),
    ] = 0.0,
    summary_json: SummaryJsonOption = None,
) -> None:
    """Check a listing dump against the schema: rows read, valid, rejected and why.

    Exits 1 when the share of rejected rows is above --max-reject-rate (default 0: any).
    """
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
            escape_formulas=escape_formulas,
        )
    counts = Table(title=_clean(f"cfdetect validate {input}"), show_header=False)
    counts.add_row("rows read", f"{report.rows_read:,}")
    counts.add_row("valid", f"{report.valid:,}")
    counts.add_row("rejected", f"{report.rejected:,}")
    counts.add_row("columns recognised", _names(report.recognised))
    counts.add_row("columns missing", _names(report.missing))
    counts.add_row("input columns carried, not used", _names(report.ignored))
    if report.carried:
        counts.add_row("post-publication (never features)", _names(report.carried))
    if rejects is not None:
        counts.add_row("rejects file", _clean(rejects))
    err.print(counts)
    if report.rejects_by_reason:
        reasons = Table(title="rejected rows by field and reason")
        reasons.add_column("field")
        reasons.add_column("reason")
        reasons.add_column("rows", justify="right")
        for (fld, reason), n in report.rejects_by_reason.most_common():
            reasons.add_row(_clean(fld), _clean(reason), f"{n:,}")
        err.print(reasons)
    summary = {"command": "validate", "input": input, **_validation_summary(report)}
    _write_summary(summary_json, summary)
    rate = float(summary["reject_rate"])  # type: ignore[arg-type]
    if rate > max_reject_rate:
        _error(
            f"{report.rejected:,} of {report.rows_read:,} rows rejected ({rate:.1%}), above "
            f"--max-reject-rate {max_reject_rate:g}"
        )
        raise typer.Exit(1)


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
    languages: Annotated[
        str | None,
        typer.Option(
            "--languages",
            help="Listing languages and shares, e.g. 'en=0.7,de=0.1,es=0.08,fr=0.06,pt_BR=0.04,"
            "ru=0.02' (en, es, pt_BR, de, fr, ru; default: docs/simulator.md).",
        ),
    ] = None,
    registry: Annotated[
        Path | None, typer.Option("--registry", help="Brand registry CSV (default: shipped).")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Output format when the suffix does not tell.")
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print per-tactic/per-case tables to stderr.")
    ] = False,
    logs: Annotated[
        Path | None,
        typer.Option(
            "--logs",
            help="Also write raw logs (listings, takedowns, sales, returns, ratings, sellers) "
            "into this directory, for cfdetect seller-history.",
        ),
    ] = None,
    world: Annotated[
        str,
        typer.Option(
            "--world",
            help="default, shifted (a built-in world with another brand mix, prices, tactics, "
            "slang and sellers) or a world TOML file (docs/simulator.md).",
        ),
    ] = "default",
) -> None:
    """Simulate labelled marketplace listings (sellers, tactics, timelines, drift) to a file."""
    from cfdetect.registry import load_registry
    from cfdetect.simulate import SimulationConfig, SummaryCollector, load_world, write_simulation

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
            **({"language_shares": _language_shares(languages)} if languages else {}),
        )
        brands = load_registry(registry)
        chosen_world = load_world(world)
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("simulating", total=listings)
            written = write_simulation(
                output,
                config,
                brands,
                progress=lambda done: bar.update(task, completed=done),
                fmt=format,
                on_chunk=collector.add if summary else None,
                logs=logs,
                world=chosen_world,
            )
    _say(f"wrote {written:,} listings to {output}")
    if logs is not None:
        _say(f"wrote the raw logs to {logs}/")
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


def _language_shares(text: str) -> tuple[tuple[str, float], ...]:
    """'en=0.7,de=0.1' -> (("en", 0.7), ("de", 0.1)); a usage error when unreadable."""
    pairs = []
    for part in text.split(","):
        name, sep, share = part.partition("=")
        try:
            pairs.append((name.strip(), float(share)))
        except ValueError:
            raise UsageError(f"--languages: write language=share, got {part.strip()!r}") from None
        if not sep:
            raise UsageError(f"--languages: write language=share, got {part.strip()!r}")
    return tuple(pairs)


def seller_history(
    listings: Annotated[
        str, typer.Argument(help="Listings (CSV, TSV, JSONL, Parquet, .gz) to compute fields for.")
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Listings with the seller_* fields filled in.")
    ],
    logs: Annotated[
        Path | None,
        typer.Option(
            "--logs",
            help="Directory of logs named listings, sellers, takedowns, ratings, sales, returns "
            "(.csv, .jsonl, .parquet, optionally .gz); the options below override its files.",
        ),
    ] = None,
    sellers: Annotated[
        Path | None,
        typer.Option("--sellers", help="Sellers table: joined_at, hidden, opening balances."),
    ] = None,
    takedowns: Annotated[
        Path | None, typer.Option("--takedowns", help="Takedown log: seller_id, removed_at.")
    ] = None,
    ratings: Annotated[
        Path | None, typer.Option("--ratings", help="Ratings log: seller_id, rated_at, stars.")
    ] = None,
    sales: Annotated[
        Path | None, typer.Option("--sales", help="Sales log: seller_id, sold_at, amount.")
    ] = None,
    returns: Annotated[
        Path | None, typer.Option("--returns", help="Returns log: seller_id, returned_at.")
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="A listings log holding the listing history (default: the --logs directory's "
            "listings log, else LISTINGS itself); LISTINGS rows are matched to it by listing_id.",
        ),
    ] = None,
    columns: ColumnsOption = None,
    format: FormatOption = None,
    output_format: OutputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: ChunkSizeOption = 100_000,
    shards: Annotated[
        int | None,
        typer.Option("--shards", min=1, help="Seller shards (default: from the input sizes)."),
    ] = None,
    tmp_dir: Annotated[
        Path | None, typer.Option("--tmp-dir", help="Where shards spill (default: system tmp).")
    ] = None,
) -> None:
    """Seller fields from raw logs, as known when each listing was submitted (no leakage)."""
    from cfdetect.history import SellerLogs
    from cfdetect.history import seller_history as rebuild

    with _errors(), err.status("seller history", spinner="dots") as status:
        overrides = {"sellers": sellers, "takedowns": takedowns, "ratings": ratings,
                     "sales": sales, "returns": returns}  # fmt: skip
        if logs is not None:
            found = SellerLogs.from_dir(logs, listings=history, **overrides)
        else:
            found = SellerLogs(listings=history, **overrides)
        report = rebuild(
            listings,
            output,
            found,
            columns=columns,
            fmt=format,
            output_format=output_format,
            encoding=encoding,
            chunk_size=chunk_size,
            shards=shards,
            tmp_dir=tmp_dir,
            progress=lambda msg: status.update(msg),
        )
    table = Table(title=_clean(f"cfdetect seller-history {listings}"), show_header=False)
    table.add_row("listings", f"{report.rows:,}")
    table.add_row("with seller fields", f"{report.answered:,}")
    if history is not None:
        table.add_row("matched in the history log", f"{report.from_log:,}")
    for name, rows in report.log_rows.items():
        table.add_row(f"{name} log rows", f"{rows:,}")
    missing = [n for n in ("sellers", "takedowns", "ratings", "sales", "returns")
               if n not in report.log_rows]  # fmt: skip
    if missing:
        table.add_row("logs not given", ", ".join(missing) + " (their fields stay empty)")
    table.add_row("shards", f"{report.shards:,} ({report.spilled_bytes / 2**20:,.0f} MiB spilled)")
    rate = report.rows / report.seconds if report.seconds else 0.0
    table.add_row("elapsed", f"{report.seconds:.1f} s ({rate:,.0f} listings/s)")
    table.add_row("peak memory", f"{report.peak_rss_mb:,.0f} MiB")
    table.add_row("output", _clean(report.output) if report.output != "-" else "stdout")
    err.print(table)
