"""The resume protocol of a scoring run: the progress file beside the output.

A run from a file to CSV, TSV or JSON Lines files writes to ``.NAME.part`` files and, after each
input chunk, records in ``.NAME.progress.json`` how far each output got (``Progress``); a resumed
run checks the input and the settings against it and continues from the last checkpoint.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cfdetect._checks import loads_json
from cfdetect.errors import InputError
from cfdetect.io import TableWriter
from cfdetect.scoring.report import ScoreReport


def progress_path(output: str | Path) -> Path:
    """The progress file of a resumable run: ``.NAME.progress.json`` beside the output.

    Examples
    --------
    >>> progress_path("out/scored.csv").as_posix()
    'out/.scored.csv.progress.json'
    """
    target = Path(output)
    return target.with_name(f".{target.name}.progress.json")


RESUMABLE_FORMATS = ("csv", "tsv", "jsonl")
_HEAD_BYTES = 1 << 20


def input_fingerprint(path: str | Path) -> dict[str, object]:
    """Size, modification time and the sha256 of the first and last MiB of the input file."""
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        info = os.stat(path)
        with open(path, "rb") as handle:
            head = hashlib.sha256(handle.read(_HEAD_BYTES)).hexdigest()
            handle.seek(max(0, info.st_size - _HEAD_BYTES))
            tail = hashlib.sha256(handle.read(_HEAD_BYTES)).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return {
        "path": str(Path(path).resolve()),
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "head_sha256": head,
        "tail_sha256": tail,
    }


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _damage(state: dict[str, Any]) -> str | None:
    """What in a progress file's state ``save`` cannot have written, or None."""
    if not isinstance(state.get("settings"), dict):
        return "settings is not a table"
    for key in ("chunks_done", "scored"):
        if not _count(state.get(key, 0)):
            return f"{key} is not a count"
    decisions = state.get("decisions", {})
    if not isinstance(decisions, dict) or not all(map(_count, decisions.values())):
        return "decisions is not a table of counts"
    writers = state.get("writers", {})
    if not isinstance(writers, dict):
        return "writers is not a table"
    for name, writer in writers.items():
        if not isinstance(writer, dict) or set(writer) != {"bytes", "rows", "columns"}:
            return f"writer {name!r} is not bytes, rows and columns"
        columns = writer["columns"]
        if not (_count(writer["bytes"]) and _count(writer["rows"])):
            return f"writer {name!r} has no byte or row count"
        if columns is not None and not (
            isinstance(columns, list) and all(isinstance(c, str) for c in columns)
        ):
            return f"writer {name!r} has no column list"
    return None


class Progress:
    """The progress file of a resumable run: written after every completed input chunk.

    Holds what a resumed run must check (the input's fingerprint and the settings that shape
    the output) and where to continue (chunks done; bytes, rows and header of each output).
    """

    VERSION = 1

    def __init__(self, output: str | Path, settings: dict[str, object]) -> None:
        self.path = progress_path(output)
        self.output = str(output)
        self.settings = settings

    def load(self) -> dict[str, Any] | None:
        """The saved state of an interrupted run, checked against this run; None if none."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InputError(
                f"{self.output}: cannot resume, {self.path.name} is unreadable "
                f"({exc.strerror or exc}); run without --resume to start over"
            ) from None
        try:
            state = loads_json(raw.decode("utf-8"))
        except ValueError as exc:  # UnicodeDecodeError too
            raise self.damaged(str(exc).splitlines()[0][:200]) from None
        if not isinstance(state, dict) or state.get("version") != self.VERSION:
            raise InputError(
                f"{self.output}: cannot resume, {self.path.name} was written by another "
                "cfdetect version; run without --resume to start over"
            )
        problem = _damage(state)
        if problem:
            raise self.damaged(problem)
        saved = state["settings"]
        changed = []
        for key, value in self.settings.items():
            before = saved.get(key)
            if isinstance(value, dict) and isinstance(before, dict):  # the input's fingerprint
                changed += [
                    f"{key} {name} {before.get(name)!r} → {now!r}"
                    for name, now in value.items()
                    if before.get(name) != now
                ]
            elif before != value:
                changed.append(f"{key} {before!r} → {value!r}")
        if changed:
            raise InputError(
                f"{self.output}: cannot resume, the interrupted run differs: "
                f"{'; '.join(changed)}. Run without --resume to start over"
            )
        return state

    def damaged(self, what: str) -> InputError:
        """The error for a progress file that cannot be what ``save`` wrote."""
        return InputError(
            f"{self.output}: cannot resume, the progress file {self.path.name} is damaged "
            f"({what}); run without --resume to start over (it replaces the partial output)"
        )

    def save(
        self,
        chunks_done: int,
        writers: dict[str, TableWriter | None],
        report: ScoreReport,
        *,
        complete: bool = False,
    ) -> None:
        """Checkpoint every writer, then record the checkpoint (atomically)."""
        states = {name: w.checkpoint() for name, w in writers.items() if w is not None}
        state = {
            "version": self.VERSION,
            "settings": self.settings,
            "chunks_done": chunks_done,
            "complete": complete,
            "writers": {name: asdict(value) for name, value in states.items()},
            "scored": report.scored,
            "decisions": dict(report.decisions),
            "pid": os.getpid(),
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise InputError(
                f"{self.output}: writing the progress file failed ({exc.strerror or exc})"
            ) from exc

    def remove(self) -> None:
        """Delete the progress file (the run finished or failed)."""
        for path in (self.path, self.path.with_name(self.path.name + ".tmp")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
