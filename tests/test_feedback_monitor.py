"""Tests of the drift monitor (``cfdetect monitor``) and its thresholds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import UsageError
from cfdetect.feedback._monitor import MonitorThresholds, monitor, psi, write_report
from cfdetect.simulate import SimulationConfig, load_world, simulate

N = 2500


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("monitor")
    paths = {}
    for name, seed, world in (("reference", 1, None), ("default", 2, None),
                              ("shifted", 2, load_world("shifted"))):  # fmt: skip
        paths[name] = root / f"{name}.parquet"
        simulate(SimulationConfig(n_listings=N, seed=seed), world=world).to_parquet(paths[name])
    return paths


def test_psi_basics() -> None:
    rng = np.random.default_rng(0)
    same = psi(rng.normal(size=10_000), rng.normal(size=10_000))
    moved = psi(rng.normal(size=10_000), rng.normal(0.5, 1, 10_000))
    assert same < 0.01 < 0.1 < moved
    # discrete features: a bin per value; missing values have a bin of their own
    assert psi(np.array([0.0, 1.0] * 500), np.array([0.0, 1.0] * 500)) == pytest.approx(0.0)
    assert psi(np.array([0.0] * 1000), np.array([np.nan] * 500 + [0.0] * 500)) > 1


def test_thresholds_decide(frames: dict[str, Path]) -> None:
    reference = pd.read_parquet(frames["reference"])
    shifted = pd.read_parquet(frames["shifted"])
    result = monitor(shifted, reference=reference)
    assert result.drifted and result.exit_code == 3
    assert any(name.startswith("price__") for name, _ in result.top_features(3))
    loose = MonitorThresholds(feature_psi=50, score_psi=50, decision_shift=1, unfamiliar_shift=1)
    relaxed = monitor(shifted, reference=reference, thresholds=loose)
    assert not relaxed.drifted and relaxed.exit_code == 0
    assert relaxed.feature_psi == result.feature_psi  # thresholds change the verdict only
    top_psi = result.top_features(1)[0][1]
    just_over = MonitorThresholds(feature_psi=top_psi + 0.01, score_psi=50, decision_shift=1,
                                  unfamiliar_shift=1)  # fmt: skip
    assert not monitor(shifted, reference=reference, thresholds=just_over).drifted
    with pytest.raises(UsageError):
        MonitorThresholds(feature_psi=-1)


def test_report_files(frames: dict[str, Path], tmp_path: Path) -> None:
    reference = pd.read_parquet(frames["reference"])
    result = monitor(pd.read_parquet(frames["shifted"]), reference=reference)
    write_report(result, tmp_path)
    text = (tmp_path / "monitor.md").read_text()
    assert "drifted" in text and "price__" in text
    assert (tmp_path / "monitor.html").stat().st_size > 0
    assert (tmp_path / "monitor.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_exit_codes(frames: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    ref = str(frames["reference"])
    shifted = runner.invoke(
        app, ["monitor", str(frames["shifted"]), "--reference", ref, "--out", str(tmp_path)]
    )
    assert shifted.exit_code == 3, shifted.output
    assert "price__" in shifted.output
    default = runner.invoke(app, ["monitor", str(frames["default"]), "--reference", ref])
    assert default.exit_code == 0, default.output
    bad = runner.invoke(app, ["monitor", str(frames["default"]), "--feature-psi", "-1"])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["monitor", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1


def test_cli_trust_names_a_directory(
    frames: dict[str, Path], model_dir: Path, tmp_path: Path
) -> None:
    """``monitor --trust DIR`` is the one-path option of the other commands, not a flag."""
    import shutil

    copied = tmp_path / "copied" / "m"
    shutil.copytree(model_dir, copied)
    args = ["monitor", str(frames["default"]), "--reference", str(frames["reference"])]
    args += ["--model", str(copied)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "trust" in refused.output.lower(), refused.output
    trusted = CliRunner().invoke(app, [*args, "--trust", str(tmp_path / "copied")])
    assert trusted.exit_code in (0, 3), trusted.output


def test_a_trained_model_is_monitored_against_its_own_holdout(
    frames: dict[str, Path], model_dir: Path, tmp_path: Path
) -> None:
    """Training stores a sample of its hold-out with the model; the monitor compares with it."""
    import json
    import shutil

    card = json.loads((model_dir / "card.json").read_text())
    entry = card["monitor_reference"]
    stored = pd.read_parquet(model_dir / "reference.parquet")
    assert len(stored) == entry["rows"] == card["training_data"]["split_rows"]["holdout"]
    assert "is_counterfeit" not in stored.columns and "title" in stored.columns
    copied = tmp_path / "m"
    shutil.copytree(model_dir, copied)
    result = monitor(pd.read_parquet(frames["default"]), model=copied, trust=True)
    assert result.reference_rows == entry["rows"] and "hold-out listings" in result.reference
    info = CliRunner().invoke(app, ["info", str(copied), "--trust", str(copied)])
    assert "monitor reference" in info.output
    stored.head(10).to_parquet(copied / "reference.parquet")  # not the file the card names
    tampered = CliRunner().invoke(
        app, ["monitor", str(frames["default"]), "--model", str(copied), "--trust", str(copied)]
    )
    assert tampered.exit_code == 1 and "sha256 differs" in tampered.output, tampered.output
    assert len(tampered.output.strip().splitlines()) == 1


def test_training_can_store_no_monitor_reference(tmp_path: Path) -> None:
    from cfdetect.model import TrainConfig
    from cfdetect.training import train

    listings = simulate(SimulationConfig(n_listings=1500, seed=4))
    out = tmp_path / "m"
    config = TrainConfig(ablation=False, max_iter=20, monitor_reference_rows=0, text_model=False)
    card = train(listings, out, config=config)
    assert "monitor_reference" not in card and not (out / "reference.parquet").exists()
    small = train(listings, tmp_path / "s", config=TrainConfig(
        ablation=False, max_iter=20, monitor_reference_rows=25, text_model=False))  # fmt: skip
    assert small["monitor_reference"]["rows"] == 25
    with pytest.raises(UsageError):
        TrainConfig(monitor_reference_rows=-1)
