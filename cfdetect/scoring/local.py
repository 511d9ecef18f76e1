"""Score a listing file on this machine: one process, or ``--jobs`` worker processes.

With ``jobs == 1`` this process reads, validates, scores and writes chunk by chunk
(``chunks.run_chunks``); with ``jobs > 1`` it reads and writes while workers validate and score
(``parallel``). Output and rejects are written atomically either way (``outputs``).

Interrupted runs resume (``resume``): a run from a file to CSV, TSV or JSON Lines files writes
to ``.NAME.part`` files and records its progress after each input chunk. ``resume=True``
checks that the input and the settings are the ones of the interrupted run, cuts the partial
files back to the last checkpoint, validates the chunks already done (for the listing ids a
later duplicate would repeat) without scoring them, and carries on; the renames into place
happen once, at the end.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._version import __version__
from cfdetect.artifact import ModelCard, Trust, verify_model
from cfdetect.columns import ColumnMap
from cfdetect.errors import UsageError
from cfdetect.io import DEFAULT_CHUNK_SIZE, detect_format, partial_path, read_chunks, same_file
from cfdetect.schema import Validator
from cfdetect.scorer import Explain, Scorer, card_thresholds, resolve_thresholds
from cfdetect.scoring import writing
from cfdetect.scoring.chunks import reasons_form, run_chunks, scorer_rows
from cfdetect.scoring.options import ScoreOptions
from cfdetect.scoring.outputs import RunOutputs
from cfdetect.scoring.parallel import WorkerModel, score_parallel
from cfdetect.scoring.report import ScoreReport
from cfdetect.scoring.resume import RESUMABLE_FORMATS, Progress, input_fingerprint
from cfdetect.validate import ValidationReport, check_columns


@dataclass(frozen=True)
class _Plan:
    """The formats of a run's files and whether it can resume."""

    in_format: str
    output_format: str | None
    out_format: str
    out_gz: bool
    resumable: bool


def _plan(input: str | Path, output: str | Path, options: ScoreOptions) -> _Plan:
    """Check the files' names and formats before anything is loaded or opened."""
    in_format = detect_format(input, options.fmt)[0]
    output_format = options.output_format
    if str(output) == "-" and output_format is None:
        output_format = "jsonl" if in_format == "jsonl" else "csv"
    out_format, out_gz = detect_format(output, output_format)
    rejects = options.rejects
    if rejects is not None and same_file(output, rejects):  # they would share a temporary file
        raise UsageError(f"--rejects {rejects} is the same file as the output {output}")
    resumable = (
        str(input) != "-"
        and str(output) != "-"
        and out_format in RESUMABLE_FORMATS
        and (rejects is None or detect_format(rejects)[0] in RESUMABLE_FORMATS)
    )
    if options.resume and not resumable:
        raise UsageError(
            "--resume needs a file input and CSV, TSV or JSON Lines files for the output and "
            "rejects (not stdin, stdout or Parquet)"
        )
    return _Plan(in_format, output_format, out_format, out_gz, resumable)


@dataclass(frozen=True)
class _Model:
    """The run's model: loaded here (one process), or only checked (the workers load it)."""

    scorer: Scorer | None
    card: Any
    block: float
    review: float

    @classmethod
    def of(cls, options: ScoreOptions) -> _Model:
        if options.jobs == 1:
            scorer = options.load_scorer()
            return cls(scorer, scorer.card, scorer.block_threshold, scorer.review_threshold)
        card = verify_model(options.model, trust=options.trust).card  # nothing unpickled
        thresholds = card_thresholds(card)
        block, review = resolve_thresholds(
            thresholds, options.block_threshold, options.review_threshold
        )
        return cls(None, card, block, review)

    @property
    def sha256(self) -> str | None:
        return ModelCard.of(self.card).model_sha256


def _progress_file(
    input: str | Path, output: str | Path, options: ScoreOptions, plan: _Plan, model: _Model
) -> Progress:
    """The progress file of a resumable run, with the settings a resumed run must match."""
    return Progress(
        output,
        {
            "cfdetect": __version__,
            "input": input_fingerprint(input),
            "input_format": plan.in_format,
            "encoding": options.encoding,
            "columns": repr(options.column_map()),
            "chunk_size": options.chunk_size,
            "model_sha256": model.sha256,
            "block_threshold": model.block,
            "review_threshold": model.review,
            "explain": options.explain,
            "output_format": [plan.out_format, plan.out_gz],
            "rejects": str(options.rejects) if options.rejects is not None else None,
            "escape_formulas": options.escape_formulas,
        },
    )


def _saved_state(
    run: Progress | None, output: str | Path, options: ScoreOptions, report: ScoreReport
) -> dict[str, Any] | None:
    """The interrupted run's state when resuming (its counts go to the report), else None."""
    if run is None:
        return None
    saved = run.load() if options.resume else None
    report.discarded_partial = not options.resume and (
        run.path.exists() or partial_path(output).exists()
    )
    if saved:
        report.resumed_chunks = int(saved["chunks_done"])
        report.scored = int(saved.get("scored", 0))
        report.decisions.update(saved.get("decisions", {}))
    return saved


def run_local(input: str | Path, output: str | Path, options: ScoreOptions) -> ScoreReport:
    """Score ``input`` into ``output`` on this machine (what ``score_file`` runs).

    Parameters
    ----------
    input, output : path
        Files (format by suffix) or ``-`` for stdin/stdout.
    options : ScoreOptions

    Returns
    -------
    ScoreReport
    """
    options.check()
    started = time.perf_counter()
    plan = _plan(input, output, options)
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    model = _Model.of(options)
    cmap = options.column_map()
    options = dataclasses.replace(options, columns=cmap)  # loaded once
    run = _progress_file(input, output, options, plan, model) if plan.resumable else None
    saved = _saved_state(run, output, options, report)
    targets = {"output": (output, plan.output_format), "rejects": (options.rejects, None)}
    outputs = RunOutputs.open(
        targets, run, saved, escape_formulas=options.escape_formulas, resumable=plan.resumable
    )
    try:
        chunks = _score_chunks(input, options, model, outputs, saved, report)
        outputs.commit(chunks, report)
    except BaseException as exc:
        outputs.abandon(exc)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _score_chunks(
    input: str | Path,
    options: ScoreOptions,
    model: _Model,
    outputs: RunOutputs,
    saved: dict[str, Any] | None,
    report: ScoreReport,
) -> int:
    """Run the chunks through the right path; the number of chunks done."""
    skip = int(saved["chunks_done"]) if saved else 0
    if saved and saved.get("complete"):  # stopped while renaming: only the counts are missing
        return _score_serial(input, options, None, outputs, report, skip=0)
    if model.scorer is not None:
        return _score_serial(input, options, model.scorer, outputs, report, skip=skip)
    workers = WorkerModel(options.model, model.sha256, options.trust, model.block, model.review)
    return score_parallel(
        input,
        options,
        workers,
        writer=outputs.output,
        rejects=outputs.rejects,
        report=report,
        skip=skip,
        checkpoint=lambda done: outputs.checkpoint(done, report),
    )


def _score_serial(
    input: str | Path,
    options: ScoreOptions,
    scorer: Scorer | None,
    outputs: RunOutputs,
    report: ScoreReport,
    *,
    skip: int,
) -> int:
    """Validate and score chunk by chunk in this process. The first ``skip`` chunks are only
    validated (their rows were written by the interrupted run; later duplicates need their
    ids); without a scorer every chunk is only validated, to recount a finished run."""
    cmap: ColumnMap = options.column_map()
    writer = outputs.output
    step = None
    if scorer is not None:
        assert writer is not None  # only a finished run's output is in place already
        step = scorer_rows(scorer, options.explain, reasons_form(writer.fmt))
    chunks = run_chunks(
        read_chunks(input, options.fmt, options.chunk_size, options.encoding),
        Validator(cmap),
        step,
        validation=report.validation,
        skip=skip,
        first=lambda chunk: check_columns(input, chunk, cmap, report.validation),
        rejects=outputs.rejects,
    )
    done = 0
    for done, result in enumerate(chunks, start=1):
        if result.scored is not None:
            writing.write_scored(writer, result.scored, report)
            outputs.checkpoint(done, report)
        if options.progress is not None:
            options.progress(report.validation.rows_read, result.chunk.bytes_read)
    return done


def score_file(
    input: str | Path,
    output: str | Path,
    *,
    model: str | Path | None = None,
    columns: ColumnMap | str | Path | None = None,
    rejects: str | Path | None = None,
    fmt: str | None = None,
    output_format: str | None = None,
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
    explain: Explain = True,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    escape_formulas: bool = ESCAPE_FORMULAS,
    resume: bool = False,
    trust: Trust | None = None,
) -> ScoreReport:
    """Score a listing file into an output file; rejected rows go to ``rejects``.

    Parameters
    ----------
    input, output : path
        Files (format by suffix) or ``-`` for stdin/stdout.
    model, columns, rejects, fmt, output_format, encoding, chunk_size, explain
        As the fields of ``ScoreOptions`` (without ``rejects`` the rejects are only counted).
    block_threshold, review_threshold, progress, escape_formulas, trust
        As the fields of ``ScoreOptions``.
    jobs : int
        Worker processes scoring chunks in parallel (output stays in input order).
    resume : bool
        Continue an interrupted run from its last completed chunk. A run reading a file and
        writing CSV, TSV or JSON Lines files records its progress beside the output
        (``progress_path``) after every chunk, and an interruption (``KeyboardInterrupt``,
        ``SystemExit``) keeps the partial files; the resumed output is byte-identical to an
        uninterrupted run's. Without an earlier run to resume, the run starts from the top.

    Returns
    -------
    ScoreReport

    Raises
    ------
    InputError
        Unreadable input, a write that fails, a progress file that does not match this run.
    ModelError
        The model cannot be loaded (untrusted, tampered, other versions).

    Examples
    --------
    >>> report = score_file("data/sample_listings.csv", "out/scored.csv")  # doctest: +SKIP
    >>> report = score_file("big.csv", "out/scored.csv", resume=True)  # doctest: +SKIP
    """
    options = ScoreOptions(
        model=model,
        columns=columns,
        rejects=rejects,
        fmt=fmt,
        output_format=output_format,
        encoding=encoding,
        chunk_size=chunk_size,
        jobs=jobs,
        explain=explain,
        block_threshold=block_threshold,
        review_threshold=review_threshold,
        progress=progress,
        escape_formulas=escape_formulas,
        resume=resume,
        trust=trust,
    )
    return run_local(input, output, options)
