"""Streaming batch scoring of listing files: read, validate, score chunk by chunk, write.

With ``jobs == 1`` one process reads, validates (as ``iter_valid_chunks``), scores and writes. With
``jobs > 1`` the main process only reads raw chunks, hands pieces of them to worker processes
(each loads the model once) that validate and score them, and writes the results in input
order. Listing ids repeated across pieces are caught in the main process, which keeps the ids
seen so far and moves a later valid row with a seen id to the rejects, exactly as the
single-process validation does. Output and rejects are written atomically either way.

Interrupted runs resume (``cfdetect.scoring.resume``): a run from a file to CSV, TSV or JSON
Lines files writes to ``.NAME.part`` files and records its progress after each input chunk.
``resume=True`` checks that the input and the settings are the ones of the interrupted run,
cuts the partial files back to the last checkpoint, validates the chunks already done (for the
listing ids a later duplicate would repeat) without scoring them, and carries on; the renames
into place happen once, at the end. The chunk pipeline (``score_chunk``) and the run report
(``ScoreReport``) live in ``cfdetect.scoring``; they are importable from here as before.
"""

from __future__ import annotations

import copy
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cfdetect._processes import (
    exit_with_parent,
    start_server,
    stop_pool,
    warm_up,
    worker_pool,
)
from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect._version import __version__
from cfdetect.artifact import ModelCard, Trust, default_model_dir, pin_trusted, verify_model
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import CfdetectError, UsageError, WorkerError
from cfdetect.io import (
    DEFAULT_CHUNK_SIZE,
    RawChunk,
    TableWriter,
    WriterState,
    commit_together,
    detect_format,
    open_writer,
    partial_path,
    read_chunks,
    same_file,
)
from cfdetect.schema import Validator, duplicate_rejects, repeated_ids
from cfdetect.scorer import OUTPUT_COLUMNS, Explain, Scorer, card_thresholds, resolve_thresholds
from cfdetect.scoring.chunks import PIECE_ROWS, _Piece, reasons_form, reasons_text, score_chunk
from cfdetect.scoring.chunks import pieces as cut_pieces
from cfdetect.scoring.report import ScoreReport
from cfdetect.scoring.resume import (
    RESUMABLE_FORMATS,
    Progress,
    input_fingerprint,
    progress_path,
)
from cfdetect.validate import ValidationReport, check_columns, finish_rejects

__all__ = [
    "PIECE_ROWS",
    "ScoreReport",
    "progress_path",
    "reasons_form",
    "reasons_text",
    "score_chunk",
    "score_file",
]

_WORKER: Scorer | None = None
_WORKER_MAP: ColumnMap | None = None
_WORKER_ERROR: CfdetectError | None = None  # why the model could not be loaded, for the parent


def _init_worker(
    model: str | None,
    block: float | None,
    review: float | None,
    cmap: ColumnMap,
    sha256: str | None = None,
) -> None:
    """Start a worker: quit with the parent, leave Ctrl-C to it, load the parent's model."""
    global _WORKER, _WORKER_MAP, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
    exit_with_parent()
    _WORKER_MAP = cmap
    _WORKER = _shared_scorer(sha256, block, review)
    if _WORKER is None:
        if sha256 is not None:  # the model the parent checked, and only that file
            pin_trusted(model if model is not None else default_model_dir(), sha256)
        try:
            _WORKER = Scorer.load(model, block_threshold=block, review_threshold=review)
        except CfdetectError as exc:  # an edited card: the parent reports it as one line
            _WORKER_ERROR = exc


def _shared_scorer(sha256: str | None, block: float | None, review: float | None) -> Scorer | None:
    """The fork server's preloaded model (shared with the other workers) when it is the file the
    parent checked, with the parent's thresholds; else None."""
    from cfdetect import _preloaded

    loaded = _preloaded.SCORER
    if loaded is None or sha256 is None or loaded.model_card.model_sha256 != sha256:
        return None
    if block is None or review is None:
        return loaded
    shared = copy.copy(loaded)  # the same fitted state, read only; its own thresholds
    shared.block_threshold, shared.review_threshold = float(block), float(review)
    return shared


def _validate_and_score(
    chunk: RawChunk, explain: Explain, reasons_as: Literal["text", "records"] = "text"
) -> _Piece:
    """Validate one piece (a fresh ``Validator``: duplicates within the piece) and score it."""
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER is not None and _WORKER_MAP is not None
    scored, numbers, rejects = score_chunk(
        chunk, _WORKER, Validator(_WORKER_MAP), explain=explain, reasons_as=reasons_as
    )
    return _Piece(scored=scored, row_numbers=numbers, rejects=rejects, n_rows=chunk.n_rows)


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
    model : path, optional
        Model directory; default the shipped model.
    columns : column map, preset name or mapping file, optional
    rejects : path, optional
        Where rejected rows are written (CSV or JSONL by suffix). Without it they are counted.
    fmt, output_format : str, optional
        Input format and output format when the suffix does not tell.
    jobs : int
        Worker processes scoring chunks in parallel (output stays in input order).
    explain : bool or "all"
        Reason codes for the flagged rows (``True``), every row (``"all"``) or none.
    block_threshold, review_threshold : float, optional
        Override the model card's thresholds.
    escape_formulas : bool, default True
        CSV/TSV outputs (scored rows and rejects): prefix ``'`` to cells a spreadsheet would
        run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return; plain numbers kept).
    resume : bool
        Continue an interrupted run from its last completed chunk. A run reading a file and
        writing CSV, TSV or JSON Lines files records its progress beside the output
        (``progress_path``) after every chunk, and an interruption (``KeyboardInterrupt``,
        ``SystemExit``) keeps the partial files; the resumed output is byte-identical to an
        uninterrupted run's. Without an earlier run to resume, the run starts from the top.
    trust : bool, path or paths, optional
        Trust for the model directory (``Scorer.load``).

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
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    started = time.perf_counter()
    in_format = detect_format(input, fmt)[0]
    if str(output) == "-" and output_format is None:
        output_format = "jsonl" if in_format == "jsonl" else "csv"
    out_format, out_gz = detect_format(output, output_format)
    if rejects is not None and same_file(output, rejects):  # they would share a temporary file
        raise UsageError(f"--rejects {rejects} is the same file as the output {output}")
    resumable = (
        str(input) != "-"
        and str(output) != "-"
        and out_format in RESUMABLE_FORMATS
        and (rejects is None or detect_format(rejects)[0] in RESUMABLE_FORMATS)
    )
    if resume and not resumable:
        raise UsageError(
            "--resume needs a file input and CSV, TSV or JSON Lines files for the output and "
            "rejects (not stdin, stdout or Parquet)"
        )
    report = ScoreReport(validation=ValidationReport(str(input)), output=str(output))
    scorer: Scorer | None = None
    if jobs == 1:
        scorer = Scorer.load(
            model, block_threshold=block_threshold, review_threshold=review_threshold, trust=trust
        )
        card, block, review = scorer.card, scorer.block_threshold, scorer.review_threshold
    else:  # the workers load the model; here it is only checked (nothing unpickled)
        card = verify_model(model, trust=trust).card
        block, review = resolve_thresholds(card_thresholds(card), block_threshold, review_threshold)
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    run: Progress | None = None
    saved: dict[str, Any] | None = None
    if resumable:
        run = Progress(
            output,
            {
                "cfdetect": __version__,
                "input": input_fingerprint(input),
                "input_format": in_format,
                "encoding": encoding,
                "columns": repr(cmap),
                "chunk_size": chunk_size,
                "model_sha256": ModelCard.of(card).model_sha256,
                "block_threshold": block,
                "review_threshold": review,
                "explain": explain,
                "output_format": [out_format, out_gz],
                "rejects": str(rejects) if rejects is not None else None,
                "escape_formulas": escape_formulas,
            },
        )
        saved = run.load() if resume else None
        report.discarded_partial = not resume and (
            run.path.exists() or partial_path(output).exists()
        )
    states = {k: WriterState(**v) for k, v in (saved or {}).get("writers", {}).items()}
    skip = int(saved["chunks_done"]) if saved else 0
    if saved:
        report.resumed_chunks = skip
        report.scored = int(saved.get("scored", 0))
        report.decisions.update(saved.get("decisions", {}))
    targets = {"output": (output, output_format), "rejects": (rejects, None)}
    finished = set()
    if saved and saved.get("complete"):  # stopped while renaming: some may be in place already
        finished = {
            name
            for name, (path, _) in targets.items()
            if path is not None and not partial_path(path).exists() and Path(path).exists()
        }
    writers: dict[str, TableWriter | None] = {"output": None, "rejects": None}
    try:
        for name, (path, kind) in targets.items():
            if path is not None and name not in finished:
                writers[name] = open_writer(
                    path,
                    kind,
                    escape_formulas=escape_formulas,
                    resumable=resumable,
                    resume=states.get(name),
                )
    except BaseException:
        opened = [w for w in writers.values() if w is not None]
        for w in opened:
            if saved:
                w.detach()  # a resumed run: its partial files are as the last checkpoint left them
            else:
                w.abort()
        if opened and run is not None and not saved:
            run.remove()  # we hold the output's lock: a stale progress file is ours to remove
        raise
    if run is not None and not saved:
        run.remove()  # a stale progress file of an earlier run (its partials were cut to 0)
    writer, rejects_writer = writers["output"], writers["rejects"]
    try:

        def checkpoint(chunks_done: int) -> None:
            if run is not None:
                run.save(chunks_done, writers, report)

        if saved and saved.get("complete"):
            chunks = _count_only(input, cmap, fmt, chunk_size, encoding, report)
        elif scorer is not None:
            chunks = _score_serial(
                input, cmap, fmt, chunk_size, encoding, writer, rejects_writer, report,
                scorer, explain, skip, checkpoint, progress,
            )  # fmt: skip
        else:
            chunks = _score_parallel(
                input,
                cmap,
                fmt=fmt,
                chunk_size=chunk_size,
                encoding=encoding,
                writer=writer,
                rejects=rejects_writer,
                report=report,
                model=model,
                sha256=ModelCard.of(card).model_sha256,
                trust=trust,
                jobs=jobs,
                explain=explain,
                block=block,
                review=review,
                skip=skip,
                checkpoint=checkpoint,
                progress=progress,
            )
        if writer is not None and writer.rows == 0:
            writer.write(pd.DataFrame({name: pd.Series(dtype=object) for name in OUTPUT_COLUMNS}))
        if rejects_writer is not None:
            finish_rejects(rejects_writer)
        if run is not None:  # everything is written: a resumed run would only rename
            run.save(chunks, writers, report, complete=True)
        commit_together([w for w in (writer, rejects_writer) if w is not None])
    except BaseException as exc:
        interrupted = not isinstance(exc, Exception)
        for w in writers.values():
            if w is None:
                continue
            if interrupted and w.resumable:
                w.detach()  # kept for --resume, with the progress file
            else:
                w.abort()
        if run is not None and not interrupted:
            run.remove()
        raise
    if run is not None:
        run.remove()
    report.seconds = time.perf_counter() - started
    return report


def _score_serial(
    input: str | Path,
    cmap: ColumnMap,
    fmt: str | None,
    chunk_size: int,
    encoding: str,
    writer: TableWriter,
    rejects: TableWriter | None,
    report: ScoreReport,
    scorer: Scorer,
    explain: Explain,
    skip: int,
    checkpoint: Callable[[int], None],
    progress: Callable[[int, int], None] | None,
) -> int:
    """Validate and score chunk by chunk in this process; the first ``skip`` chunks are only
    validated (their rows were written by the interrupted run; later duplicates need their ids)."""
    validator = Validator(cmap)
    index = -1
    for index, chunk in enumerate(read_chunks(input, fmt, chunk_size, encoding)):
        if index == 0:
            check_columns(input, chunk, cmap, report.validation)
        if index < skip:  # written by the interrupted run: validated for its ids only
            result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
            report.validation.add(chunk.n_rows, len(result.rows), result.rejects)
        else:  # the chunk pipeline every scoring path runs
            scored, _, found = score_chunk(
                chunk, scorer, validator, explain=explain, reasons_as=reasons_form(writer.fmt)
            )
            report.validation.add(chunk.n_rows, len(scored), found)
            if rejects is not None and len(found):
                rejects.write(found)
            _write(writer, scored, report)
            checkpoint(index + 1)
        if progress is not None:
            progress(report.validation.rows_read, chunk.bytes_read)
    return index + 1


def _count_only(
    input: str | Path,
    cmap: ColumnMap,
    fmt: str | None,
    chunk_size: int,
    encoding: str,
    report: ScoreReport,
) -> int:
    """Recount the validation of a run that had written everything before it was stopped."""
    validator = Validator(cmap)
    chunks = 0
    for chunk in read_chunks(input, fmt, chunk_size, encoding):
        result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
        report.validation.add(chunk.n_rows, len(result.rows), result.rejects)
        chunks += 1
    return chunks


def _score_parallel(
    input: str | Path,
    cmap: ColumnMap,
    *,
    fmt: str | None,
    chunk_size: int,
    encoding: str,
    writer: TableWriter,
    rejects: TableWriter | None,
    report: ScoreReport,
    model: str | Path | None,
    sha256: str | None,
    trust: Trust | None,
    jobs: int,
    explain: Explain,
    block: float,
    review: float,
    skip: int,
    checkpoint: Callable[[int], None],
    progress: Callable[[int, int], None] | None,
) -> int:
    """Read raw chunks here; validate and score pieces of them in ``jobs`` worker processes.

    The first ``skip`` chunks (done by an interrupted run) are validated here, for the ids they
    hold, and not scored. Any exception or interruption terminates the workers.
    """
    pending: deque[tuple[Future[_Piece], RawChunk, int, int, bool]] = deque()
    seen: set[str] = set()
    # absolute: the fork server and its workers may run in another working directory
    model_arg = os.path.abspath(model) if model is not None else None

    def finish() -> None:
        future, piece, read_so_far, index, last = pending.popleft()
        _collect(future.result(), piece, cmap, seen, writer, rejects, report)
        if last:
            checkpoint(index + 1)
        if progress is not None:
            progress(report.validation.rows_read, read_so_far)

    start_server(model_arg, trust, preload=True)  # unless the CLI started it already
    pool = worker_pool(  # each worker loads the model once, while the parent reads
        jobs,
        initializer=_init_worker,
        initargs=(model_arg, block, review, cmap, sha256),
    )
    index = 0  # the chunk being read; chunks_done once the loop ends
    piece_rows = max(1, min(PIECE_ROWS, -(-chunk_size // jobs)))
    starts_chunk = True  # the next piece read is the first of its chunk
    try:
        warm_up(pool, jobs)  # (a signal meanwhile is raised at its end: the workers are stopped)
        validator = Validator(cmap)
        # CSV arrives in pieces as it is read, so the workers start on the first rows at once
        chunks = read_chunks(input, fmt, chunk_size, encoding, piece_size=piece_rows)
        for number, chunk in enumerate(chunks):
            if number == 0:
                check_columns(input, chunk, cmap, report.validation)
            if index < skip:  # done before: only the ids of its valid rows matter
                result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
                report.validation.add(chunk.n_rows, len(result.rows), result.rejects)
                ids = result.rows["listing_id"].astype("string")
                seen.update(ids.to_numpy(dtype=object, na_value=None).tolist())
                index += chunk.ends_chunk
                starts_chunk = chunk.ends_chunk
                continue
            bytes_read = chunk.bytes_read
            whole = starts_chunk and chunk.ends_chunk  # else a piece the reader cut already
            size = max(1, min(piece_rows, -(-chunk.n_rows // jobs))) if whole else piece_rows
            pieces = cut_pieces(chunk, size)
            for k, piece in enumerate(pieces):
                last = chunk.ends_chunk and k == len(pieces) - 1
                future = pool.submit(_validate_and_score, piece, explain, reasons_form(writer.fmt))
                pending.append((future, piece, bytes_read, index, last))
                while len(pending) > 2 * jobs:
                    finish()
            index += chunk.ends_chunk
            starts_chunk = chunk.ends_chunk
        while pending:
            finish()
    except BrokenProcessPool as exc:
        stop_pool(pool)
        raise WorkerError(
            "a scoring worker process stopped before finishing (killed, out of memory, or it "
            "could not start; a script calling score_file with jobs > 1 needs an "
            '`if __name__ == "__main__":` guard); nothing was written under the output\'s name; '
            "run again, or with --jobs 1"
        ) from exc
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return index


def _collect(
    piece: _Piece,
    raw: RawChunk,
    cmap: ColumnMap,
    seen: set[str],
    writer: object,
    rejects: object,
    report: ScoreReport,
) -> None:
    """Write one scored piece: ids seen in earlier pieces move to the rejects (in row order)."""
    scored, found = piece.scored, piece.rejects
    repeated = repeated_ids(scored["listing_id"].to_numpy(dtype=object, na_value=None), seen)
    if repeated.any():
        numbers = piece.row_numbers[repeated]
        positions = np.searchsorted(raw.row_numbers, numbers)
        duplicates = duplicate_rejects(raw.frame.iloc[positions], numbers, cmap)
        found = pd.concat([found, duplicates], ignore_index=True).sort_values(
            "row_number", kind="stable", ignore_index=True
        )
        scored = scored.loc[~repeated].reset_index(drop=True)
    report.validation.add(piece.n_rows, len(scored), found)
    if rejects is not None and len(found):
        rejects.write(found)  # type: ignore[attr-defined]
    if len(scored):
        _write(writer, scored, report)


def _write(writer: object, scored: pd.DataFrame, report: ScoreReport) -> None:
    writer.write(scored)  # type: ignore[attr-defined]
    report.scored += len(scored)
    report.decisions.update(scored["decision"].tolist())
    flagged = scored.loc[
        scored["decision"] != "allow", ["listing_id", "score", "decision", "reasons"]
    ]
    if len(flagged):
        flagged = flagged.assign(reasons=flagged["reasons"].map(reasons_text))  # the table: text
        pool = flagged if report.top is None else pd.concat([report.top, flagged])
        report.top = pool.nlargest(report.top_n, "score", keep="first")
