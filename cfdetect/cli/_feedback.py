"""The feedback commands of the CLI: ``labels``, ``monitor``, ``replay`` (issue 23).

Thin commands: parse the arguments, make one library call, map errors to exit codes (1 runtime,
2 usage), print summaries to stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cfdetect._terminal import clean, err
from cfdetect._terminal import errors as _errors
from cfdetect.cli._common import TrustOption


def labels(
    scored: Annotated[str, typer.Argument(help="Scored (or plain) listings with listing_id.")],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Labelled listings (.parquet, .csv, .jsonl).")
    ],
    reviews: Annotated[
        str | None,
        typer.Option("--reviews", help="Review verdicts: listing_id, verdict_time, verdict."),
    ] = None,
    appeals: Annotated[
        str | None,
        typer.Option("--appeals", help="Appeal outcomes: listing_id, appeal_time, outcome."),
    ] = None,
    notices: Annotated[
        str | None,
        typer.Option("--notices", help="Confirmed notices: listing_id, notice_time."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only outcomes known at this UTC time count.")
    ] = None,
    label_column: Annotated[str, typer.Option("--label-column")] = "is_counterfeit",
    unappealed_blocks_after: Annotated[
        str | None,
        typer.Option(
            "--unappealed-blocks-after",
            help="Count a block no appeal contested within this window (e.g. 14D) as infringing.",
        ),
    ] = None,
    unreported_after: Annotated[
        str | None,
        typer.Option(
            "--unreported-after",
            help="Count a published listing with no outcome within this window (e.g. 30D) as "
            "genuine.",
        ),
    ] = None,
) -> None:
    """Turn review verdicts, appeals and notices into point-in-time labels (docs/operating.md)."""
    from cfdetect.feedback._labels import label_file

    with _errors():
        summary = label_file(
            scored,
            output,
            reviews=reviews,
            appeals=appeals,
            notices=notices,
            as_of=as_of,
            label_column=label_column,
            unappealed_blocks=unappealed_blocks_after,
            unreported_published=unreported_after,
        )
    for line in summary.lines():
        err.print(clean(line))
    err.print(clean(f"wrote {output}"))


def monitor(
    scored: Annotated[str, typer.Argument(help="Listings to check (scored or not).")],
    model: Annotated[
        str | None, typer.Option("--model", help="Model directory (default: the shipped one).")
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", help="Write monitor.md/.html/.png/.json here.")
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Reference listings (default: the hold-out sample stored with the model, "
            "else listings simulated from the default world).",
        ),
    ] = None,
    feature_psi: Annotated[
        float, typer.Option("--feature-psi", help="Drifted when a feature's PSI exceeds this.")
    ] = 0.25,
    score_psi: Annotated[
        float, typer.Option("--score-psi", help="Drifted when the score's PSI exceeds this.")
    ] = 0.2,
    decision_shift: Annotated[
        float,
        typer.Option("--decision-shift", help="Drifted when a decision rate moves more than this."),
    ] = 0.05,
    unfamiliar_shift: Annotated[
        float,
        typer.Option(
            "--unfamiliar-shift", help="Drifted when the unfamiliar share moves more than this."
        ),
    ] = 0.1,
    trust: TrustOption = None,
) -> None:
    """Check traffic for drift against the model's training data: exit 0 stable, 3 drifted."""
    from cfdetect.feedback._monitor import MonitorThresholds, monitor_file, summary_lines

    with _errors():
        thresholds = MonitorThresholds(
            feature_psi=feature_psi,
            score_psi=score_psi,
            decision_shift=decision_shift,
            unfamiliar_shift=unfamiliar_shift,
        )
        with err.status("monitoring", spinner="dots"):
            result = monitor_file(
                scored,
                model=model,
                out=out,
                reference=reference,
                thresholds=thresholds,
                trust=trust,
            )
    for line in summary_lines(result):
        err.print(clean(line))
    if out is not None:
        err.print(clean(f"wrote {out}/monitor.md, .html, .png, .json"))
    raise typer.Exit(result.exit_code)


def replay(
    world_data: Annotated[
        str, typer.Argument(help="Listings with created_at, is_counterfeit, reported_at.")
    ],
    days: Annotated[int, typer.Option("--days", min=1, help="Days to replay.")] = 42,
    review_capacity: Annotated[
        float, typer.Option("--review-capacity", min=0, help="Listings reviewed per day.")
    ] = 150.0,
    exploration: Annotated[
        float, typer.Option("--exploration", help="Share of review capacity explored.")
    ] = 0.05,
    retrain_every: Annotated[
        str, typer.Option("--retrain-every", help="Retrain on the outcomes every 7d (or 1w).")
    ] = "7d",
    model: Annotated[
        str, typer.Option("--model", help="The prior model (default: the shipped one).")
    ] = "default",
    reviewer_error: Annotated[
        float, typer.Option("--reviewer-error", help="Chance a verdict is wrong.")
    ] = 0.02,
    appeal_rate: Annotated[
        float, typer.Option("--appeal-rate", help="Chance a blocked genuine seller appeals.")
    ] = 0.5,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    out: Annotated[
        str, typer.Option("--out", help="Write replay.md/.json/.png and the logs here.")
    ] = "replay",
) -> None:
    """Replay the feedback loop: score, review, appeal, notice, label, retrain, week by week."""
    from cfdetect.feedback._logs import read_table
    from cfdetect.feedback._replay import ReplayConfig, parse_every, replay_loop, write_replay

    with _errors():
        config = ReplayConfig(
            days=days,
            review_capacity=review_capacity,
            exploration=exploration,
            retrain_every=parse_every(retrain_every),
            reviewer_error=reviewer_error,
            appeal_rate=appeal_rate,
            seed=seed,
            prior=model,
        )
        with err.status("replaying", spinner="dots") as status:
            result = replay_loop(
                read_table(world_data), config, progress=lambda m: status.update(m)
            )
        write_replay(result, out)
    from cfdetect.feedback._replay import replay_markdown

    for line in replay_markdown(result).splitlines():
        err.print(clean(line))
    err.print(clean(f"wrote {out}/replay.md, .json, .png and the logs"))
