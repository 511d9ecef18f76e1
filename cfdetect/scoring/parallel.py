"""Local ``--jobs`` scoring: worker processes validate and score pieces of the raw chunks.

The main process only reads raw chunks, hands pieces of them to worker processes (forked from a
preloaded server: each has the model loaded once) that run ``score_chunk`` on them, and writes
the results in input order. Listing ids repeated across pieces are caught in the main process,
which keeps the ids seen so far and moves a later valid row with a seen id to the rejects,
exactly as the single-process validation does (``writing.collect_piece``).
"""

from __future__ import annotations

import copy
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cfdetect._processes import exit_with_parent, start_server, stop_pool, warm_up, worker_pool
from cfdetect.artifact import Trust, default_model_dir, pin_trusted
from cfdetect.columns import ColumnMap
from cfdetect.errors import CfdetectError, WorkerError
from cfdetect.io import RawChunk, read_chunks
from cfdetect.schema import Validator
from cfdetect.scorer import Explain, Scorer
from cfdetect.scoring.chunks import PIECE_ROWS, ChunkResult, pieces, reasons_form, score_chunk
from cfdetect.scoring.options import ScoreOptions
from cfdetect.scoring.report import ScoreReport
from cfdetect.scoring.writing import collect_piece
from cfdetect.validate import check_columns

_WORKER: Scorer | None = None
_WORKER_MAP: ColumnMap | None = None
_WORKER_ERROR: CfdetectError | None = None  # why the model could not be loaded, for the parent

Scored = tuple[pd.DataFrame, np.ndarray, pd.DataFrame]


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


def _score_piece(
    chunk: RawChunk, explain: Explain, reasons_as: Literal["text", "records"] = "text"
) -> Scored:
    """Worker: validate one piece (a fresh ``Validator``: duplicates within the piece) and
    score it."""
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER is not None and _WORKER_MAP is not None
    return score_chunk(
        chunk, _WORKER, Validator(_WORKER_MAP), explain=explain, reasons_as=reasons_as
    )


@dataclass(frozen=True)
class WorkerModel:
    """The model the parent checked, for the workers: directory, file hash, thresholds."""

    path: str | Path | None
    sha256: str | None
    trust: Trust | None
    block: float
    review: float


@dataclass
class _Pending:
    """Pieces sent to the workers, written in input order as their results come back."""

    cmap: ColumnMap
    writer: Any
    rejects: Any
    report: ScoreReport
    checkpoint: Callable[[int], None]
    progress: Callable[[int, int], None] | None
    queue: deque[tuple[Future[Scored], RawChunk, int, int, bool]]
    seen: set[str]

    def finish_one(self) -> None:
        future, piece, read_so_far, index, last = self.queue.popleft()
        scored, numbers, found = future.result()
        done = ChunkResult(index, piece, scored, numbers, found)
        collect_piece(done, self.cmap, self.seen, self.writer, self.rejects, self.report)
        if last:
            self.checkpoint(index + 1)
        if self.progress is not None:
            self.progress(self.report.validation.rows_read, read_so_far)


def score_parallel(
    input: str | Path,
    options: ScoreOptions,
    model: WorkerModel,
    *,
    writer: Any,
    rejects: Any,
    report: ScoreReport,
    skip: int,
    checkpoint: Callable[[int], None],
) -> int:
    """Read raw chunks here; validate and score pieces of them in ``options.jobs`` workers.

    The first ``skip`` chunks (done by an interrupted run) are validated here, for the ids they
    hold, and not scored. Any exception or interruption terminates the workers. Returns the
    number of chunks done.
    """
    cmap = options.column_map()
    # absolute: the fork server and its workers may run in another working directory
    path = os.path.abspath(model.path) if model.path is not None else None
    start_server(path, model.trust, preload=True)  # unless the CLI started it already
    pool = worker_pool(  # each worker loads the model once, while the parent reads
        options.jobs,
        initializer=_init_worker,
        initargs=(path, model.block, model.review, cmap, model.sha256),
    )
    pending = _Pending(cmap, writer, rejects, report, checkpoint, options.progress, deque(), set())
    try:
        warm_up(pool, options.jobs)  # (a signal meanwhile is raised at its end)
        index = _feed(pool, input, options, pending, skip)
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


def _feed(pool: Any, input: str | Path, options: ScoreOptions, pending: _Pending, skip: int) -> int:
    """Send the pieces of every chunk to the pool, at most ``2 * jobs`` waiting at once."""
    jobs, chunk_size = options.jobs, options.chunk_size
    report, validator = pending.report, Validator(pending.cmap)
    reasons_as = reasons_form(pending.writer.fmt)
    index = 0  # the chunk being read; chunks_done once the loop ends
    piece_rows = max(1, min(PIECE_ROWS, -(-chunk_size // jobs)))
    starts_chunk = True  # the next piece read is the first of its chunk
    # CSV arrives in pieces as it is read, so the workers start on the first rows at once
    chunks = read_chunks(input, options.fmt, chunk_size, options.encoding, piece_size=piece_rows)
    for number, chunk in enumerate(chunks):
        if number == 0:
            check_columns(input, chunk, pending.cmap, report.validation)
        if index < skip:  # done before: only the ids of its valid rows matter
            result = validator.validate(chunk.frame, chunk.row_numbers, chunk.broken)
            report.validation.add(chunk.n_rows, len(result.rows), result.rejects)
            ids = result.rows["listing_id"].astype("string")
            pending.seen.update(ids.to_numpy(dtype=object, na_value=None).tolist())
        else:
            whole = starts_chunk and chunk.ends_chunk  # else a piece the reader cut already
            size = max(1, min(piece_rows, -(-chunk.n_rows // jobs))) if whole else piece_rows
            cut = pieces(chunk, size)
            for k, piece in enumerate(cut):
                last = chunk.ends_chunk and k == len(cut) - 1
                future = pool.submit(_score_piece, piece, options.explain, reasons_as)
                pending.queue.append((future, piece, chunk.bytes_read, index, last))
                while len(pending.queue) > 2 * jobs:
                    pending.finish_one()
        index += chunk.ends_chunk
        starts_chunk = chunk.ends_chunk
    while pending.queue:
        pending.finish_one()
    return index
