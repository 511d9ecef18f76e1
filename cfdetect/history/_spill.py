"""A sharded column store that keeps rows in memory up to a budget and spills to disk beyond.

Rows of several streams (listings, takedowns, ...) are appended chunk by chunk, each row to one
shard. While the buffered arrays stay under ``budget_bytes`` nothing touches the disk; past it,
every buffered array is appended to one raw binary file per (stream, shard, column) in a
temporary directory. ``load`` returns one shard of one stream as whole arrays. This is what lets
the seller history run on logs larger than memory: only one shard is ever materialised at once.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np


class ShardStore:
    """Append rows to shards; read a shard back whole.

    Parameters
    ----------
    n_shards : int
    budget_bytes : int
        Buffered bytes kept in memory before everything is spilled to disk.
    tmp_dir : path, optional
        Where the spill directory is created (default: the system's temporary directory).

    Examples
    --------
    >>> store = ShardStore(2, budget_bytes=1 << 20)
    >>> store.add("x", np.array([0, 1, 0]), {"v": np.array([1, 2, 3])})
    >>> store.load("x", 0)["v"].tolist(), store.load("x", 1)["v"].tolist()
    ([1, 3], [2])
    >>> store.close()
    """

    def __init__(
        self, n_shards: int, budget_bytes: int = 256 << 20, tmp_dir: str | Path | None = None
    ) -> None:
        self.n_shards = n_shards
        self.budget_bytes = budget_bytes
        self.spilled_bytes = 0
        self._tmp_parent = tmp_dir
        self._dir: Path | None = None
        self._buffer: dict[tuple[str, int], dict[str, list[np.ndarray]]] = {}
        self._dtypes: dict[str, dict[str, np.dtype]] = {}
        self._buffered = 0
        self._on_disk: set[tuple[str, int]] = set()

    def add(self, stream: str, shard: np.ndarray, columns: dict[str, np.ndarray]) -> None:
        """Append rows: ``shard`` gives each row's shard; all columns have the same length."""
        if not len(shard):
            return
        known = self._dtypes.setdefault(stream, {k: v.dtype for k, v in columns.items()})
        if set(known) != set(columns):
            raise ValueError(f"stream {stream!r}: columns {sorted(columns)} != {sorted(known)}")
        order = np.argsort(shard, kind="stable")
        bounds = np.searchsorted(shard[order], np.arange(self.n_shards + 1))
        for s in range(self.n_shards):
            lo, hi = bounds[s], bounds[s + 1]
            if lo == hi:
                continue
            rows = order[lo:hi]
            parts = self._buffer.setdefault((stream, s), {k: [] for k in known})
            for name, values in columns.items():
                piece = np.ascontiguousarray(values[rows], dtype=known[name])
                parts[name].append(piece)
                self._buffered += piece.nbytes
        if self._buffered > self.budget_bytes:
            self.flush()

    def flush(self) -> None:
        """Append every buffered array to its file on disk."""
        if not self._buffer:
            return
        directory = self._directory()
        for (stream, s), parts in self._buffer.items():
            for name, pieces in parts.items():
                with open(directory / f"{stream}.{s}.{name}.bin", "ab") as f:
                    for piece in pieces:
                        piece.tofile(f)
                        self.spilled_bytes += piece.nbytes
            self._on_disk.add((stream, s))
        self._buffer.clear()
        self._buffered = 0

    def load(self, stream: str, shard: int) -> dict[str, np.ndarray] | None:
        """All rows of one shard of one stream, in the order added; None when it has none."""
        known = self._dtypes.get(stream)
        if known is None:
            return None
        parts = self._buffer.get((stream, shard))
        on_disk = (stream, shard) in self._on_disk
        if parts is None and not on_disk:
            return None
        out: dict[str, np.ndarray] = {}
        for name, dtype in known.items():
            pieces: list[np.ndarray] = []
            if on_disk:
                assert self._dir is not None
                pieces.append(np.fromfile(self._dir / f"{stream}.{shard}.{name}.bin", dtype))
            if parts is not None:
                pieces.extend(parts[name])
            out[name] = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
        return out

    def drop(self, stream: str, shard: int) -> None:
        """Forget one shard of one stream (frees its memory and disk)."""
        self._buffer.pop((stream, shard), None)
        if (stream, shard) in self._on_disk and self._dir is not None:
            for name in self._dtypes[stream]:
                (self._dir / f"{stream}.{shard}.{name}.bin").unlink(missing_ok=True)
            self._on_disk.discard((stream, shard))
        self._buffered = sum(
            p.nbytes for parts in self._buffer.values() for ps in parts.values() for p in ps
        )

    def _directory(self) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="cfdetect-history-", dir=self._tmp_parent))
        return self._dir

    def close(self) -> None:
        """Remove the spill directory and the buffers."""
        self._buffer.clear()
        self._on_disk.clear()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> ShardStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
