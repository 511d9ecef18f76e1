"""Tests of the feedback-loop replay (``cfdetect replay``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import UsageError
from cfdetect.feedback import join_labels
from cfdetect.feedback._replay import ReplayConfig, parse_every, replay_loop, write_replay
from cfdetect.simulate import SimulationConfig, load_world, simulate


@pytest.fixture(scope="module")
def world() -> pd.DataFrame:
    config = SimulationConfig(n_listings=3000, seed=4, days=14)
    return simulate(config, world=load_world("shifted"))


def test_replay_weeks_logs_and_estimate(world: pd.DataFrame, tmp_path: Path) -> None:
    config = ReplayConfig(days=14, review_capacity=60, exploration=0.2, retrain_every=7)
    result = replay_loop(world, config)
    assert [w["week"] for w in result.weeks] == [1, 2]
    assert sum(w["listings"] for w in result.weeks) == len(world)
    for w in result.weeks:
        assert 0 <= w["proactive_recall"] <= 1 and 0 <= w["wrongly_blocked"] <= 1
        assert w["reviewed"] <= 60 * 7 + 1
    assert len(result.retrainings) == 1 and result.retrainings[0]["day"] == 7
    # the logs are in the documented formats: cfdetect labels reads them
    labelled, summary = join_labels(world.drop(columns=["is_counterfeit"]), **result.logs)
    assert summary.labelled > 0
    sources = set(labelled["label_source"].dropna())
    assert "review" in sources
    e = result.exploration
    assert e["recall"]["low"] <= e["recall"]["value"] <= e["recall"]["high"]
    write_replay(result, tmp_path)
    for name in ("replay.md", "replay.json", "replay.png", "reviews.csv", "notices.csv"):
        assert (tmp_path / name).stat().st_size > 0


def test_parse_every_and_config() -> None:
    assert parse_every("7d") == 7 and parse_every("1w") == 7
    with pytest.raises(UsageError):
        parse_every("weekly")
    with pytest.raises(UsageError):
        ReplayConfig(exploration=2)


def test_cli_replay_errors(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    pd.DataFrame({"listing_id": ["a"], "title": ["x"]}).to_csv(data, index=False)
    runner = CliRunner()
    assert runner.invoke(app, ["replay", str(data), "--out", str(tmp_path / "o")]).exit_code == 1
    bad = runner.invoke(app, ["replay", str(data), "--retrain-every", "soon"])
    assert bad.exit_code == 2
