"""Public entry points: chunks, a whole frame, or a file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from cfdetect.io import detect_format, open_writer
from cfdetect.registry import BrandRegistry
from cfdetect.simulate._config import SimulationConfig
from cfdetect.simulate._core import Simulator
from cfdetect.simulate._logs import SimulationLogs, iso_timestamps, log_suffix
from cfdetect.simulate._world import World


def simulate_chunks(
    config: SimulationConfig, registry: BrandRegistry | None = None, world: World | None = None
) -> Iterator[pd.DataFrame]:
    """Yield simulated listings in chunks of ``config.chunk_size`` rows, in ``created_at`` order.

    The rows do not depend on the chunk size: the simulation runs in time blocks with their own
    random streams, and the chunks re-cut the blocks.

    Parameters
    ----------
    config : SimulationConfig
        The settings.
    registry : BrandRegistry, optional
        Brands to simulate; default: the shipped registry.
    world : World, optional
        A world other than the default (:func:`cfdetect.simulate.load_world`).

    Examples
    --------
    >>> config = SimulationConfig(n_listings=1000, days=30, chunk_size=400)
    >>> [len(c) for c in simulate_chunks(config)]
    [400, 400, 200]
    """
    yield from _rechunk(Simulator(config, registry, world).blocks(), config.chunk_size)


def _rechunk(blocks: Iterator[pd.DataFrame], chunk_size: int) -> Iterator[pd.DataFrame]:
    """Re-cut the simulator's blocks into chunks of ``chunk_size`` rows."""
    pending: list[pd.DataFrame] = []
    buffered = 0
    for block in blocks:
        pending.append(block)
        buffered += len(block)
        while buffered >= chunk_size:
            joined = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            yield joined.iloc[:chunk_size].reset_index(drop=True)
            rest = joined.iloc[chunk_size:]
            pending = [rest] if len(rest) else []
            buffered = len(rest)
    if buffered:
        yield pd.concat(pending, ignore_index=True)


def simulate(
    config: SimulationConfig, registry: BrandRegistry | None = None, world: World | None = None
) -> pd.DataFrame:
    """Simulate all listings into one DataFrame (for small sizes; use chunks for large ones).

    Examples
    --------
    >>> frame = simulate(SimulationConfig(n_listings=500, days=60))
    >>> bool(frame["is_counterfeit"].isin([0, 1]).all())
    True
    """
    return pd.concat(list(simulate_chunks(config, registry, world)), ignore_index=True)


def write_simulation(
    path: str | Path,
    config: SimulationConfig,
    registry: BrandRegistry | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    fmt: str | None = None,
    on_chunk: Callable[[pd.DataFrame], None] | None = None,
    logs: str | Path | None = None,
    world: World | None = None,
) -> int:
    """Simulate straight to a file (format from the suffix; ``-`` is stdout); return the rows.

    The file appears under its name only when complete (written to a temporary file first).
    Text formats get timestamps as ISO 8601 UTC (``2025-01-01T00:25:40Z``).

    Parameters
    ----------
    path : str or Path
        Output file: .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet; ``-`` for stdout.
    config : SimulationConfig
        The settings.
    registry : BrandRegistry, optional
        Brands to simulate; default: the shipped registry.
    progress : callable, optional
        Called with the number of rows written so far after each chunk.
    fmt : str, optional
        Output format when the suffix does not tell (needed for stdout).
    on_chunk : callable, optional
        Called with each chunk as written (e.g. ``SummaryCollector.add``).
    logs : path, optional
        Also write the raw logs (listings, takedowns, sales, returns, ratings, sellers) into
        this directory, in the output's format (``cfdetect.simulate._logs``). The listings
        output is the same with or without them.
    world : World, optional
        A world other than the default (:func:`cfdetect.simulate.load_world`).

    Examples
    --------
    >>> write_simulation("listings.csv", SimulationConfig(n_listings=1000))  # doctest: +SKIP
    1000
    """
    done = 0
    text_format = detect_format(path, fmt)[0] != "parquet"
    simulator = Simulator(config, registry, world)
    log_writers = SimulationLogs(logs, config, log_suffix(path, fmt)) if logs is not None else None
    with open_writer(path, fmt) as writer, log_writers or contextlib.nullcontext():
        for chunk in _rechunk(simulator.blocks(), config.chunk_size):
            writer.write(iso_timestamps(chunk) if text_format else chunk)
            if log_writers is not None:
                log_writers.add(chunk)
            done += len(chunk)
            if on_chunk is not None:
                on_chunk(chunk)
            if progress is not None:
                progress(done)
        if log_writers is not None:
            log_writers.finish(simulator)
    return done
