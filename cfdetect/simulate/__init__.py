"""Marketplace simulator: labelled listings with sellers, counterfeit tactics, timelines and drift.

No labelled counterfeit-listing data set can be shipped, so the default model learns from this
simulator, and the tests, benchmarks and evaluation run on it. ``docs/simulator.md`` describes the
model of the marketplace, its assumptions and the public figures it draws on.

Examples
--------
>>> from cfdetect.simulate import SimulationConfig, simulate
>>> frame = simulate(SimulationConfig(n_listings=500, days=60, seed=1))
>>> len(frame)
500
"""

from cfdetect.simulate._api import simulate, simulate_chunks, write_simulation
from cfdetect.simulate._config import SimulationConfig
from cfdetect.simulate._frame import OUTPUT_COLUMNS, SIMULATOR_COLUMNS
from cfdetect.simulate._summary import SummaryCollector, summarize
from cfdetect.simulate._tactics import CASE_NAMES, TACTIC_NAMES
from cfdetect.simulate._world import World, load_world

__all__ = [
    "CASE_NAMES",
    "OUTPUT_COLUMNS",
    "SIMULATOR_COLUMNS",
    "TACTIC_NAMES",
    "SimulationConfig",
    "SummaryCollector",
    "World",
    "load_world",
    "simulate",
    "simulate_chunks",
    "summarize",
    "write_simulation",
]
