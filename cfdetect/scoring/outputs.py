"""The output files of a local run: opened together, committed together, or left as they were.

A resumable run writes ``.NAME.part`` files; an interruption (``KeyboardInterrupt``,
``SystemExit``) keeps them for ``--resume`` with the progress file, an error deletes them. The
renames into place happen once, at the end, for the output and the rejects together.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cfdetect.io import TableWriter, WriterState, commit_together, open_writer, partial_path
from cfdetect.scorer import OUTPUT_COLUMNS
from cfdetect.scoring.report import ScoreReport
from cfdetect.scoring.resume import Progress
from cfdetect.validate import finish_rejects

Targets = Mapping[str, tuple[str | Path | None, str | None]]
"""The files of a run by name (``output``, ``rejects``): path (None: not written) and format."""


def finished_targets(targets: Targets, saved: dict[str, Any] | None) -> set[str]:
    """The targets a run stopped while renaming has in place already."""
    if not (saved and saved.get("complete")):
        return set()
    return {
        name
        for name, (path, _) in targets.items()
        if path is not None and not partial_path(path).exists() and Path(path).exists()
    }


class RunOutputs:
    """The writers of one local run's output and rejects, and what becomes of them."""

    def __init__(self, writers: dict[str, TableWriter | None], run: Progress | None) -> None:
        self.writers = writers
        self.run = run

    @property
    def output(self) -> TableWriter | None:
        return self.writers["output"]

    @property
    def rejects(self) -> TableWriter | None:
        return self.writers["rejects"]

    @classmethod
    def open(
        cls,
        targets: Targets,
        run: Progress | None,
        saved: dict[str, Any] | None,
        *,
        escape_formulas: bool,
        resumable: bool,
    ) -> RunOutputs:
        """Open every target not in place yet, resuming each from its saved state. On failure
        those opened are closed again (a resumed run's partials as the checkpoint left them)."""
        states = {k: WriterState(**v) for k, v in (saved or {}).get("writers", {}).items()}
        finished = finished_targets(targets, saved)
        outputs = cls({name: None for name in targets}, run)
        try:
            for name, (path, kind) in targets.items():
                if path is not None and name not in finished:
                    outputs.writers[name] = open_writer(
                        path,
                        kind,
                        escape_formulas=escape_formulas,
                        resumable=resumable,
                        resume=states.get(name),
                    )
        except BaseException:
            outputs._close_opened(resumed=bool(saved))
            raise
        if run is not None and not saved:
            run.remove()  # a stale progress file of an earlier run (its partials were cut to 0)
        return outputs

    def _close_opened(self, *, resumed: bool) -> None:
        opened = [w for w in self.writers.values() if w is not None]
        for w in opened:
            if resumed:
                w.detach()  # a resumed run: its partial files are as the last checkpoint left them
            else:
                w.abort()
        if opened and self.run is not None and not resumed:
            self.run.remove()  # we hold the output's lock: a stale progress file is ours

    def checkpoint(self, chunks_done: int, report: ScoreReport) -> None:
        """Record that ``chunks_done`` chunks are written (a resumable run only)."""
        if self.run is not None:
            self.run.save(chunks_done, self.writers, report)

    def commit(self, chunks_done: int, report: ScoreReport) -> None:
        """Finish both files (a header even when empty) and rename them into place together."""
        writer, rejects = self.output, self.rejects
        if writer is not None and writer.rows == 0:
            writer.write(pd.DataFrame({name: pd.Series(dtype=object) for name in OUTPUT_COLUMNS}))
        if rejects is not None:
            finish_rejects(rejects)
        if self.run is not None:  # everything is written: a resumed run would only rename
            self.run.save(chunks_done, self.writers, report, complete=True)
        commit_together([w for w in (writer, rejects) if w is not None])
        if self.run is not None:
            self.run.remove()

    def abandon(self, exc: BaseException) -> None:
        """After a failure: an interruption keeps the resumable partial files (and the progress
        file) for ``--resume``; an error deletes them."""
        interrupted = not isinstance(exc, Exception)
        for w in self.writers.values():
            if w is None:
                continue
            if interrupted and w.resumable:
                w.detach()  # kept for --resume, with the progress file
            else:
                w.abort()
        if self.run is not None and not interrupted:
            self.run.remove()
