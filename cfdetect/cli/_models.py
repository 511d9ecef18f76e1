"""Commands on models: ``train``, ``evaluate`` and ``info``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._terminal import clean as _clean
from cfdetect._terminal import err
from cfdetect._terminal import errors as _errors
from cfdetect.cli._card import _card_table
from cfdetect.cli._common import (
    ChunkSizeOption,
    ColumnsOption,
    EncodingOption,
    EscapeOption,
    FormatOption,
    ModelOption,
    SellerLogsOption,
    SummaryJsonOption,
    TrustOption,
    _inert,
    _progress,
    _say,
    _stdout_console,
    _validation_summary,
    _write_summary,
)


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
    monitor_reference_rows: Annotated[
        int,
        typer.Option(
            "--monitor-reference-rows",
            min=0,
            help="Hold-out listings stored with the model as cfdetect monitor's reference "
            "(reference.parquet; 0: none, e.g. for a model shared outside the platform).",
        ),
    ] = 20_000,
) -> None:
    """Train, calibrate and write a model directory (model.joblib + card.json)."""
    from cfdetect.model import TrainConfig
    from cfdetect.training import train as train_model

    # the command line, when this process is that command (global options such as -q first)
    words = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    command = "cfdetect " + " ".join(sys.argv[1:]) if words[:1] == ["train"] else None
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
            monitor_reference_rows=monitor_reference_rows,
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
    chunk_size: ChunkSizeOption = 100_000,
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
    from cfdetect.artifact import _finite, inspect_model
    from cfdetect.errors import ModelError

    with _errors():
        found = inspect_model(model, trust=trust or None)
        try:  # the card may come from anyone: shown inert, and a malformed one is an error
            table = _card_table(_inert(dict(found.card.document)))  # type: ignore[arg-type]
        except (AssertionError, AttributeError, KeyError, RecursionError, TypeError,
                ValueError) as exc:  # fmt: skip
            raise ModelError(f"{found.directory}: the card cannot be shown ({exc!r})") from None
    table.add_row(
        "model file",
        "matches the card's sha256" if found.matches_card else f"DIFFERS: {found.file_sha256}",
    )
    table.add_row(
        "trusted", "yes" if found.trusted else "no: loading it needs --trust (SECURITY.md)"
    )
    if as_json:
        import json

        document = {
            "model_dir": str(found.directory),
            "model_file_sha256": found.file_sha256,
            "matches_card": found.matches_card,
            "trusted": found.trusted,
            "card": _finite(dict(found.card.document)),
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    _stdout_console().print(table)
