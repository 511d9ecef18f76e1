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
from typing import Annotated, Any, Literal

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
from rich.text import Text

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._terminal import clean as _clean
from cfdetect._terminal import err
from cfdetect._terminal import error as _error
from cfdetect._terminal import errors as _errors
from cfdetect._terminal import escaped as _escaped
from cfdetect._version import __version__
from cfdetect.errors import Interrupted, UsageError

app = typer.Typer(
    name="cfdetect",
    help="Flag counterfeit and IP-infringing marketplace listings before they are published.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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


def _trust_paths(paths: list[Path] | None) -> list[Path] | None:
    """``--trust`` callback: each value names one directory, made absolute here (so that the
    fork server and workers, whatever their working directory, trust the same one)."""
    import os

    for path in paths or []:
        if os.pathsep in str(path):
            _error(
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
EscapeOption = Annotated[
    bool,
    typer.Option(
        "--escape-formulas/--no-escape-formulas",
        help="CSV/TSV outputs: prefix ' to cells starting (after spaces, NBSP, NUL) with "
        "= + - @ tab or CR so that spreadsheets show them as text instead of running them "
        "(OWASP CSV injection).",
    ),
]


def _on_signal(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP stop a command as Ctrl-C does: cleanup runs, workers are ended."""
    raise Interrupted(signum)


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
    quiet: Annotated[
        bool,
        typer.Option(
            "-q", "--quiet", envvar="CFDETECT_QUIET", help="No summaries or progress on stderr."
        ),
    ] = False,
) -> None:
    """cfdetect: score listings, train models, evaluate catch rates."""
    err.quiet = quiet  # errors still print: _error writes them past quiet


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


SellerLogsOption = Annotated[
    Path | None,
    typer.Option(
        "--seller-logs",
        help="Directory of raw logs (listings, sellers, takedowns, ratings, sales, returns): "
        "recompute the seller_* fields as of each listing's submission (cfdetect seller-history).",
    ),
]


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
    review_min_score: Annotated[
        float,
        typer.Option(
            "--review-min-score", help="Lowest score sent to review, even with capacity left."
        ),
    ] = 0.2,
    max_train_rows: Annotated[
        int,
        typer.Option(
            "--max-train-rows",
            min=0,
            help="Fit on at most this many of the most recent training rows (0: all).",
        ),
    ] = 200_000,
    text_model: Annotated[
        bool,
        typer.Option(
            "--text-model/--no-text-model",
            help="Learn a character n-gram text score (off for simulated training data).",
        ),
    ] = True,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    ablation: Annotated[bool, typer.Option("--ablation/--no-ablation")] = True,
    monotonic: Annotated[
        bool,
        typer.Option(
            "--monotonic/--no-monotonic",
            help="Constrain the directions known a priori (docs/model.md, cfdetect.constraints).",
        ),
    ] = True,
    seller_logs: SellerLogsOption = None,
    check_set: Annotated[
        Path | None,
        typer.Option(
            "--check-set",
            help="Labelled listings from another source, scored and reported in the card "
            "(never trained or tuned on); make model uses data/field/listings.csv.",
        ),
    ] = None,
    prior: Annotated[
        str | None,
        typer.Option(
            "--prior",
            help="A trained model directory (e.g. models/default) to start from: a small "
            "own-labelled set corrects it, its features are kept (docs/model.md).",
        ),
    ] = None,
) -> None:
    """Train, calibrate and write a model directory (model.joblib + card.json)."""
    from cfdetect.model import TrainConfig
    from cfdetect.training import train as train_model

    command = "cfdetect " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train"] else None
    with _errors():
        config = TrainConfig(
            target_precision=target_precision,
            review_capacity=review_capacity,
            review_min_score=review_min_score,
            max_train_rows=max_train_rows,
            text_model=text_model,
            seed=seed,
            ablation=ablation,
            monotonic=monotonic,
            prior=prior,
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
                seller_logs=seller_logs,
                check_set=check_set,
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
    for name in ("baseline", "baseline_tuned"):
        base = metrics.get(name)
        if isinstance(base, dict):
            table.add_row(
                name.replace("_", " "),
                f"PR-AUC {_fmt(base.get('pr_auc'))}, recall@98% precision "
                f"{_fmt(base.get('recall_at_98_precision'))}  ({base.get('pipeline')})",
            )
    table.add_row(
        "block threshold", f"{_fmt(thresholds.get('block'))}  ({thresholds.get('method')})"
    )
    table.add_row("review threshold", _fmt(thresholds.get("review")))
    _policy_rows(table, card.get("decision_policy"), metrics.get("decision_policy"))
    _calibration_rows(table, metrics, training.get("check_set"))
    config = card.get("config", {})
    if isinstance(config, dict) and "monotonic" in config:
        table.add_row(
            "monotonic constraints",
            "on (cfdetect.constraints.MONOTONIC)" if config["monotonic"] else "off",
        )
    for row in card.get("ablation", []) or []:  # type: ignore[union-attr]
        table.add_row(f"ablation {row['variant']}", f"PR-AUC {_fmt(row['pr_auc'])}")
    versions = card.get("versions", {})
    assert isinstance(versions, dict)
    table.add_row("versions", ", ".join(f"{k} {v}" for k, v in versions.items()))
    table.add_row("model sha256", str(card.get("model_sha256")))
    return table


def _curve_text(curve: object) -> str:
    """A calibration curve in one line: mean score -> observed rate (rows) per bin."""
    if not isinstance(curve, list) or not curve:
        return "-"
    return ", ".join(
        f"{row['mean_score']:.2f}→{row['observed']:.2f} ({row['rows']:,})" for row in curve
    )


def _calibration_rows(table: Table, metrics: dict[str, Any], check: object) -> None:
    """Calibration curves of the card: hold-out, its unfamiliar listings, the check set."""
    if "calibration_curve" in metrics:
        table.add_row("calibration, hold-out", _curve_text(metrics["calibration_curve"]))
        table.add_row(
            "calibration, unfamiliar", _curve_text(metrics.get("calibration_curve_unfamiliar"))
        )
    if isinstance(check, dict):
        table.add_row(
            "check set (never trained on)",
            f"{_clean(str(check.get('path'))).plain}: {check.get('rows', 0):,} listings, PR-AUC "
            f"{_fmt(check.get('pr_auc'))}, block precision {_fmt(check.get('block_precision'))}, "
            f"genuine blocked {check.get('genuine_blocked')} of {check.get('genuine')}",
        )
        table.add_row("calibration, check set", _curve_text(check.get("calibration_curve")))


def _policy_rows(table: Table, policy: object, moved: object) -> None:
    """The card's decision policy (issue 19): evidence codes, unfamiliar checks, hold-out moves."""
    if not isinstance(policy, dict):
        table.add_row("decision policy", "none: block on the threshold alone (older card)")
        return
    if policy.get("block_requires_evidence"):
        codes = dict.fromkeys(str(e.get("code")) for e in policy.get("evidence", []))
        table.add_row("block needs evidence", ", ".join(codes))
    if policy.get("unfamiliar_never_blocked"):
        checks = ", ".join(str(c.get("check")) for c in policy.get("unfamiliar", []))
        table.add_row("unfamiliar never blocked", checks)
    if isinstance(moved, dict):
        table.add_row(
            "policy on the hold-out",
            f"{moved.get('moved_to_review', 0):,} of {moved.get('over_block_threshold', 0):,} "
            f"listings over the block threshold moved to review "
            f"({moved.get('moved_no_evidence', 0):,} without evidence, "
            f"{moved.get('moved_unfamiliar', 0):,} unfamiliar); unfamiliar share "
            f"{_fmt(moved.get('unfamiliar_share'))}",
        )


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        envvar="CFDETECT_MODEL",
        help="Model directory (default: the shipped models/default).",
    ),
]


def _explain_arg(explain: str, no_explain: bool, explain_all: bool) -> bool | str:
    """``Scorer``'s ``explain`` for ``--explain`` (and the deprecated flags, which win)."""
    if explain_all:
        return "all"
    if no_explain:
        return False
    return {"flagged": True, "all": "all", "none": False}[explain]


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
        OutputFormat | None,
        typer.Option("--output-format", help="Output format for '-' (csv, tsv, jsonl)."),
    ] = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1)] = 100_000,
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
    from functools import partial

    def kept() -> str | None:
        from cfdetect.batch import progress_path

        if output != "-" and progress_path(output).is_file():
            return f"the partial output is kept: rerun with --resume to continue ({output})"
        return None

    with _errors(kept):  # a signal from here on is one line too
        if jobs > 1 and engine == "local":
            from cfdetect._processes import start_server

            # the workers' imports and model run beside ours, on the other core
            start_server(str(model) if model is not None else None, trust, preload=True)

        from cfdetect.engines import score_with_engine
        from cfdetect.io import input_size

        run = partial(
            score_with_engine, engine, workers=workers, scheduler=scheduler, master=master
        )
        size = input_size(input) if engine == "local" else None
    with _errors(kept), _progress(size, "scoring") as progress:
        report = run(
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
            explain=_explain_arg(explain, no_explain, explain_all),
            block_threshold=block_threshold,
            review_threshold=review_threshold,
            progress=progress,
            escape_formulas=escape_formulas,
            resume=resume,
            trust=trust or None,
        )
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


@app.command()
def evaluate(
    data: Annotated[
        str, typer.Argument(help="Labelled listings with timelines (CSV, JSONL, Parquet) or -")
    ],
    model: ModelOption = None,
    baseline: Annotated[
        str,
        typer.Option(
            "--baseline",
            help="What the notices are compared with: none (no screening), keywords (a title "
            "keyword filter) or a model directory.",
        ),
    ] = "none",
    review_capacity: Annotated[
        float | None,
        typer.Option(
            "--review-capacity",
            help="Reviews finished per day (default: what the model's review band was sized "
            "for, from its card).",
        ),
    ] = None,
    notice_capacity: Annotated[
        float, typer.Option("--notice-capacity", help="Takedown notices handled per day.")
    ] = 500,
    columns: ColumnsOption = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Report directory: metrics.json, report.md, report.html, PNG plots."
        ),
    ] = Path("evaluation"),
    registry: Annotated[
        Path | None,
        typer.Option("--registry", help="Brand registry CSV for the registered split."),
    ] = None,
    horizon_days: Annotated[
        float, typer.Option("--horizon-days", help="Replay this many days past the last listing.")
    ] = 30,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write rejected rows here (.csv or .jsonl).")
    ] = None,
    format: FormatOption = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: Annotated[int, typer.Option("--chunk-size")] = 100_000,
    trust: TrustOption = None,
    seller_logs: SellerLogsOption = None,
    escape_formulas: EscapeOption = ESCAPE_FORMULAS,
    summary_json: SummaryJsonOption = None,
) -> None:
    """Replay a labelled period with the model: catch rates with their denominators, a report."""
    from cfdetect.evaluate import evaluate_file
    from cfdetect.io import input_size

    with _errors(), _progress(input_size(data), "evaluating") as progress:
        run = evaluate_file(
            data,
            str(model) if model is not None else None,
            baseline=baseline,
            review_capacity=review_capacity,
            notice_capacity=notice_capacity,
            columns=columns,
            out=out,
            registry=registry,
            horizon_days=horizon_days,
            fmt=format,
            encoding=encoding,
            chunk_size=chunk_size,
            rejects=rejects,
            progress=progress,
            seller_logs=seller_logs,
            trust=trust,
            escape_formulas=escape_formulas,
        )
    result = run.result
    table = Table(title=_clean(f"cfdetect evaluate {data}"), show_header=False)
    table.add_row("rows read", f"{run.validation.rows_read:,}")
    table.add_row("evaluated", f"{result.counts.get('listings', 0):,}")
    table.add_row("rejected", f"{run.validation.rejected:,}")
    table.add_row("evaluation", result.status)
    table.add_row("model", _clean(run.model))
    table.add_row("baseline", _clean(run.baseline))
    for decision, n in result.decision_counts.items():
        table.add_row(decision, f"{n:,}")
    for key in ("proactive_recall", "wrongly_blocked_rate", "pr_auc", "notices_change"):
        rate = result.figures.get(key)
        if rate is not None and rate.value is not None:
            table.add_row(key, rate.text())
    table.add_row("elapsed", f"{run.seconds:.1f} s")
    err.print(table)
    head = result.headline()
    for sentence in head["statement"]:
        _say(f"  {sentence}")
    for sentence in head["omitted"]:
        _say(f"  {sentence}", style="bold")
    for note in result.notes:
        _say(f"  note: {note}")
    _say(f"report: {out / 'report.html'} (and report.md, metrics.json, plots)")
    figures = {
        key: rate.value
        for key in ("proactive_recall", "wrongly_blocked_rate", "pr_auc", "notices_change")
        if (rate := result.figures.get(key)) is not None
    }
    _write_summary(
        summary_json,
        {
            "command": "evaluate",
            "input": data,
            "model": run.model,
            "baseline": run.baseline,
            "evaluation": result.status,
            "evaluated": result.counts.get("listings", 0),
            "decisions": dict(result.decision_counts),
            "figures": figures,
            "report": str(out / "report.html"),
            "seconds": run.seconds,
            **_validation_summary(run.validation),
        },
    )


def _say(text: str, style: str | None = None) -> None:
    """One line of text to stderr, wrapped by the terminal, shown inert (``_clean``)."""
    err.print(_clean(text, style or ""), highlight=False, soft_wrap=True)


@app.command()
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


def _stdout_console() -> Console:
    """stdout for data: wrapped to the terminal, never wrapped when piped (a script reads
    whole lines)."""
    if sys.stdout.isatty():
        return Console()
    return Console(soft_wrap=True, width=10_000, no_color=True, highlight=False)


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


@app.command()
def info(
    model: Annotated[
        Path | None, typer.Argument(help="Model directory (default: the shipped model).")
    ] = None,
    trust: TrustOption = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the card, the file check and trust as one JSON object."),
    ] = False,
) -> None:
    """Print a model's card readably (data, metrics, thresholds, ablation, versions).

    Reads the card and hashes the model file; never loads (unpickles) the model.
    """
    from cfdetect.artifact import MODEL_FILE, default_model_dir, is_trusted, read_card, sha256_of
    from cfdetect.errors import ModelError

    directory = model if model is not None else default_model_dir()
    with _errors():
        card = read_card(directory)
        try:  # the card may come from anyone: shown inert, and a malformed one is an error
            table = _card_table(_inert(card))  # type: ignore[arg-type]
        except (AssertionError, AttributeError, KeyError, RecursionError, TypeError,
                ValueError) as exc:  # fmt: skip
            raise ModelError(f"{directory}: the card cannot be shown ({exc!r})") from None
    try:
        digest = sha256_of(directory / Path(str(card.get("model_file", MODEL_FILE))).name)
    except OSError as exc:
        digest = f"unreadable ({exc.strerror or exc})"
    same = digest == card.get("model_sha256")
    table.add_row("model file", "matches the card's sha256" if same else f"DIFFERS: {digest}")
    with _errors():
        trusted = is_trusted(directory, trust or None, digest)
    table.add_row("trusted", "yes" if trusted else "no: loading it needs --trust (SECURITY.md)")
    if as_json:
        import json

        from cfdetect.artifact import _finite

        document = {
            "model_dir": str(directory),
            "model_file_sha256": digest,
            "matches_card": same,
            "trusted": trusted,
            "card": _finite(card),
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    _stdout_console().print(table)


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


@app.command("seller-history")
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
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--output-format", help="Output format for '-' (csv, tsv, jsonl)."),
    ] = None,
    encoding: EncodingOption = "utf-8",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1)] = 100_000,
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


@app.command()
def serve(
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            envvar="CFDETECT_MODEL",
            help="Model directory (default: the shipped models/default).",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", envvar="CFDETECT_HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", envvar="CFDETECT_PORT", min=0, max=65535, help="TCP port.")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", envvar="CFDETECT_WORKERS", min=1, help="Worker processes (uvicorn)."
        ),
    ] = 1,
    trust: TrustOption = None,
    max_batch: Annotated[
        int,
        typer.Option("--max-batch", min=1, help="Listings in one /v1/score/batch request."),
    ] = 1000,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", min=1, help="Bytes in one request body.")
    ] = 8 * 1024 * 1024,
    log_level: Annotated[
        Literal["critical", "error", "warning", "info", "debug"], typer.Option("--log-level")
    ] = "info",
) -> None:
    """Serve the scorer over HTTP (FastAPI and uvicorn: the serve extra).

    POST /v1/score, POST /v1/score/batch, GET /healthz, /readyz, /v1/model, /metrics and the
    OpenAPI schema at /openapi.json; SIGHUP reloads the model without dropping a request.
    See docs/serving.md.
    """
    import importlib.util

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        _error("cfdetect serve needs FastAPI and uvicorn: pip install 'cfdetect[serve]'")
        raise typer.Exit(2)
    import signal

    from cfdetect.serve.run import run

    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the service reloads on SIGHUP itself
    with _errors():
        run(
            model,
            host=host,
            port=port,
            workers=workers,
            trust=trust or None,
            max_batch=max_batch,
            max_body_bytes=max_body_bytes,
            log_level=log_level,
        )


def _register_feedback() -> None:
    """The feedback commands (labels, monitor, replay) live in ``cfdetect.feedback._cli``."""
    from cfdetect.feedback._cli import register

    register(app)


_register_feedback()


def main() -> None:
    """Entry point of the ``cfdetect`` console script."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    app(prog_name="cfdetect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
