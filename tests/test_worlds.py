"""Tests of simulator worlds (``cfdetect simulate --world``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import InputError, UsageError
from cfdetect.simulate import SimulationConfig, World, load_world, simulate

CONFIG = SimulationConfig(n_listings=1500, seed=3, days=60)


@pytest.fixture(scope="module")
def default_frame() -> pd.DataFrame:
    return simulate(CONFIG)


@pytest.fixture(scope="module")
def shifted_frame() -> pd.DataFrame:
    return simulate(CONFIG, world=load_world("shifted"))


def test_default_world_is_no_world(default_frame: pd.DataFrame) -> None:
    assert load_world("default") is None
    pd.testing.assert_frame_equal(simulate(CONFIG, world=None), default_frame)


def test_shifted_world_differs_in_every_respect(
    default_frame: pd.DataFrame, shifted_frame: pd.DataFrame
) -> None:
    world = load_world("shifted")
    assert isinstance(world, World)

    # prices: genuine higher against the catalogue reference
    def ratio(frame: pd.DataFrame, fake: bool) -> float:
        rows = (
            frame[(frame["is_counterfeit"] == fake) & (frame["case"] == "regular")]
            if not fake
            else frame[frame["is_counterfeit"] == fake]
        )
        return float(np.median(rows["price"].astype(float) / rows["reference_price_usd"]))

    assert ratio(shifted_frame, False) > 1.15 * ratio(default_frame, False)

    # brand mix: fewer luxury bags
    def share(frame: pd.DataFrame) -> float:
        return float((frame["category"] == "bags_luxury_fashion").mean())

    assert share(shifted_frame) < 0.7 * share(default_frame)

    # tactic mix: fewer explicit replicas
    def tactic(frame: pd.DataFrame, name: str) -> float:
        fakes = frame[frame["is_counterfeit"] == 1]
        return float((fakes["tactic"] == name).mean())

    assert tactic(shifted_frame, "explicit_replica") < tactic(default_frame, "explicit_replica")
    # vocabulary: the new slang appears in counterfeit titles only, never in the default world
    pattern = "|".join(world.new_slang)
    fakes = shifted_frame["is_counterfeit"] == 1
    assert shifted_frame.loc[fakes, "title"].str.contains(pattern, regex=True).mean() > 0.2
    assert not shifted_frame.loc[~fakes, "title"].str.contains(pattern, regex=True).any()
    assert not default_frame["title"].str.contains(pattern, regex=True).any()


def test_custom_world_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[prices]\ngenuine = 2.0\n[tactics]\nsuperfake = 3\n')
    world = load_world(path)
    assert world is not None and world.name == "mine" and world.genuine_price == 2.0
    assert world.tactic_weights == {"superfake": 3.0}


@pytest.mark.parametrize(
    "text",
    ["[prices]\ngenuine = -1\n", "[tactics]\nno_such_tactic = 2\n", "[vocabulary]\nnew_slang = 3\n",
     "not toml ["],
)  # fmt: skip
def test_bad_world_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError):
        load_world(path)


def test_unknown_world_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_world("nowhere")
    result = CliRunner().invoke(
        app, ["simulate", "-o", str(tmp_path / "x.csv"), "--listings", "10", "--world", "nowhere"]
    )
    assert result.exit_code == 2


def test_cli_simulate_shifted(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(
        app, ["simulate", "-o", str(out), "--listings", "300", "--days", "30", "--world", "shifted"]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 300
