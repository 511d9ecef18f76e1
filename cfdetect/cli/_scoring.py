"""Commands that score: ``score`` (a file) and ``explain`` (one listing)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table
from rich.text import Text

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._terminal import clean as _clean
from cfdetect._terminal import err
from cfdetect._terminal import errors as _errors
from cfdetect.cli._common import (
    ChunkSizeOption,
    ColumnsOption,
    EncodingOption,
    EscapeOption,
    FormatOption,
    ModelOption,
    OutputFormatOption,
    SummaryJsonOption,
    TrustOption,
    _progress,
    _say,
    _stdout_console,
    _validation_summary,
    _within,
    _write_summary,
)
from cfdetect.errors import UsageError


def _explain_arg(explain: str, no_explain: bool, explain_all: bool) -> bool | str:
    """``Scorer``'s ``explain`` for ``--explain`` (and the deprecated flags, which win)."""
    if explain_all:
        return "all"
    if no_explain:
        return False
    return {"flagged": True, "all": "all", "none": False}[explain]


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
    output_format: OutputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: ChunkSizeOption = 100_000,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Worker processes.")] = 1,
    explain: Annotated[
        Literal["flagged", "all", "none"],
        typer.Option(
            "--explain",
            envvar="CFDETECT_EXPLAIN",
            help="Reasons for the flagged rows (review, block), for all rows, or none.",
        ),
    ] = "flagged",
    no_explain: Annotated[
        bool, typer.Option("--no-explain", hidden=True, help="Deprecated: --explain none.")
    ] = False,
    explain_all: Annotated[
        bool, typer.Option("--explain-all", hidden=True, help="Deprecated: --explain all.")
    ] = False,
    summary_json: SummaryJsonOption = None,
    block_threshold: Annotated[
        float | None, typer.Option("--block-threshold", callback=_within(0, 1))
    ] = None,
    review_threshold: Annotated[
        float | None, typer.Option("--review-threshold", callback=_within(0, 1))
    ] = None,
    show: Annotated[
        int, typer.Option("--show", min=0, help="Print the N highest-scored flagged rows.")
    ] = 0,
    trust: TrustOption = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run from its last completed chunk (same input, "
            "options and model); the output equals an uninterrupted run's, byte for byte.",
        ),
    ] = False,
    escape_formulas: EscapeOption = ESCAPE_FORMULAS,
    engine: Annotated[
        Literal["local", "dask", "spark"],
        typer.Option(
            "--engine",
            envvar="CFDETECT_ENGINE",
            help="local (this machine; --jobs), dask or spark: score a Parquet file, directory "
            "or glob on a cluster into a Parquet directory (docs/engines.md).",
        ),
    ] = "local",
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="--engine dask: start a local cluster of N workers."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="--engine dask: a running scheduler (tcp://host:8786)."),
    ] = None,
    master: Annotated[
        str | None,
        typer.Option("--master", help="--engine spark: master URL (default local[*])."),
    ] = None,
) -> None:
    """Score a listing dump: listing_id, score, decision (block/review/allow), reasons."""

    def kept() -> str | None:
        from cfdetect.scoring import progress_path

        if output != "-" and progress_path(output).is_file():
            return f"the partial output is kept: rerun with --resume to continue ({output})"
        return None

    with _errors(kept):  # a signal from here on is one line too
        if jobs > 1 and engine == "local":
            from cfdetect._processes import start_server

            # the workers' imports and model run beside ours, on the other core
            start_server(str(model) if model is not None else None, trust, preload=True)

        from cfdetect.io import input_size
        from cfdetect.scoring import EngineOptions, ScoreOptions
        from cfdetect.scoring import score as score_listings

        where = EngineOptions(engine, workers=workers, scheduler=scheduler, master=master)
        size = input_size(input) if engine == "local" else None
    with _errors(kept), _progress(size, "scoring") as progress:
        options = ScoreOptions(
            model=str(model) if model is not None else None,
            columns=columns,
            rejects=rejects,
            fmt=format,
            output_format=output_format,
            encoding=encoding,
            chunk_size=chunk_size,
            jobs=jobs,
            explain=_explain_arg(explain, no_explain, explain_all),
            block_threshold=block_threshold,
            review_threshold=review_threshold,
            progress=progress,
            escape_formulas=escape_formulas,
            resume=resume,
            trust=trust or None,
        )
        report = score_listings(input, output, options, where)
    _print_score_report(report, input, summary_json, show)


def _print_score_report(report: Any, input: str, summary_json: Path | None, show: int) -> None:
    """What ``cfdetect score`` prints: the counts, the summary file, the top flagged rows."""
    if report.resumed_chunks:
        _say(f"resumed after the {report.resumed_chunks:,} chunks an interrupted run completed")
    elif report.discarded_partial:
        _say("note: replaced the partial output of an interrupted run (--resume continues one)")
    validation = report.validation
    table = Table(title=_clean(f"cfdetect score {input}"), show_header=False)
    table.add_row("rows read", f"{validation.rows_read:,}")
    table.add_row("scored", f"{report.scored:,}")
    table.add_row("rejected", f"{validation.rejected:,}")
    for decision in ("block", "review", "allow"):
        table.add_row(decision, f"{report.decisions.get(decision, 0):,}")
    rate = validation.rows_read / report.seconds if report.seconds else 0.0
    table.add_row("elapsed", f"{report.seconds:.1f} s ({rate:,.0f} rows/s)")
    table.add_row("output", _clean(report.output) if report.output != "-" else "stdout")
    err.print(table)
    _write_summary(
        summary_json,
        {
            "command": "score",
            "input": input,
            "output": report.output,
            "scored": report.scored,
            "decisions": {d: report.decisions.get(d, 0) for d in ("block", "review", "allow")},
            "seconds": report.seconds,
            **_validation_summary(validation),
        },
    )
    for (fld, reason), n in validation.rejects_by_reason.most_common(5):
        err.print(Text(f"  rejected {n:,}: ") + _clean(f"{fld}: {reason}"), highlight=False)
    if show and report.top is not None:
        top = Table(title=f"top {min(show, len(report.top))} flagged listings")
        for name in ("listing_id", "score", "decision", "reasons"):
            top.add_column(name, overflow="fold")
        for row in report.top.head(show).itertuples(index=False):
            top.add_row(
                _clean(row.listing_id), f"{row.score:.3f}", row.decision, _clean(row.reasons)
            )
        err.print(top)


def explain(
    listing: Annotated[
        str, typer.Argument(help="One listing as a JSON object, a JSON file, or - for stdin.")
    ] = "-",
    model: ModelOption = None,
    trust: TrustOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object (score, decision, reasons as lists) instead."
        ),
    ] = False,
) -> None:
    """Score one listing and print its score, decision and reasons."""
    from cfdetect._checks import loads_json
    from cfdetect.scorer import Scorer

    with _errors():
        text = _read_listing_text(listing)
        try:
            record = loads_json(text)
        except ValueError as exc:
            raise UsageError(f"the listing is not JSON cfdetect reads: {exc}") from None
        if not isinstance(record, dict):
            raise UsageError("the listing must be a JSON object of fields")
        scorer = Scorer.load(model, trust=trust or None)
        try:
            result = scorer.score(record, explain="all")
        except ValueError as exc:
            raise UsageError(f"invalid listing: {exc}") from None
    if as_json:
        import json

        from cfdetect.scorer import reason_records

        document = {
            "listing_id": result.listing_id,
            "score": result.score,
            "decision": result.decision,
            "reasons": reason_records(result.reasons),
            "in_favour": reason_records(result.in_favour),
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    out = _stdout_console()
    out.print(Text("listing  ") + _clean(result.listing_id), highlight=False)
    out.print(f"score    {result.score:.4f}", highlight=False)
    out.print(f"decision {result.decision}", highlight=False)
    for reason in result.reasons:
        out.print(Text(f"reason   {reason.code}: ") + _clean(reason.text), highlight=False)
    if not result.reasons:
        out.print("reason   (nothing pushed the score up)")
    for reason in result.in_favour:
        out.print(Text(f"in favour {reason.code}: ") + _clean(reason.text), highlight=False)


def _read_listing_text(listing: str) -> str:
    if listing == "-":
        return sys.stdin.read()
    if listing.lstrip().startswith("{"):
        return listing
    path = Path(listing)
    if not path.is_file():
        raise UsageError(f"{listing}: neither a JSON object nor a file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{listing}: not UTF-8 text; a listing is a JSON object") from None
