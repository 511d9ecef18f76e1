"""Shared test fixtures: small factories for listings and files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cfdetect.io import write_table


def listing(**overrides: Any) -> dict[str, Any]:
    """One valid listing in canonical columns; keyword arguments override fields."""
    row: dict[str, Any] = {
        "listing_id": "L1",
        "title": "Rolex Submariner Date 41mm Black Dial 126610LN",
        "price": "US $9,150.00",
        "seller_id": "watch_shop",
        "description": "Full set, box and papers.",
        "brand": "Rolex",
        "category": "watches",
        "condition": "New",
        "seller_rating": "4.9",
        "seller_n_ratings": "1,204",
        "created_at": "2025-03-01T10:00:00Z",
    }
    row.update(overrides)
    return row


@pytest.fixture
def make_listings() -> Callable[..., pd.DataFrame]:
    """Factory: ``make_listings(n, **overrides)`` -> DataFrame of n valid listings, ids L1..Ln."""

    def make(n: int = 3, **overrides: Any) -> pd.DataFrame:
        rows = [listing(listing_id=f"L{i + 1}", **overrides) for i in range(n)]
        return pd.DataFrame(rows)

    return make


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[pd.DataFrame, str], Path]:
    """Factory: ``write_file(frame, "name.csv")`` writes with the project's writer."""

    def write(frame: pd.DataFrame, name: str) -> Path:
        path = tmp_path / name
        write_table(path, frame)
        return path

    return write


@pytest.fixture(scope="session")
def simulated() -> pd.DataFrame:
    """6,000 simulated, labelled listings (seed 3), shared by the model and scorer tests."""
    from cfdetect.simulate import SimulationConfig, simulate

    return simulate(SimulationConfig(n_listings=6_000, seed=3, counterfeit_rate=0.15))


@pytest.fixture(scope="session")
def model_dir(simulated: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small model trained once per test session on ``simulated``."""
    from cfdetect.model import TrainConfig
    from cfdetect.training import train

    out = tmp_path_factory.mktemp("model") / "m"
    train(simulated, out, config=TrainConfig(ablation=False, max_iter=60))
    return out
