"""The declared dependency ranges hold the shipped model's versions; the lock pins inside them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from cfdetect import artifact

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CARD = json.loads((ROOT / "models" / "default" / "card.json").read_text(encoding="utf-8"))


def _declared() -> dict[str, Requirement]:
    return {Requirement(text).name: Requirement(text) for text in PROJECT["dependencies"]}


@pytest.mark.parametrize("lib", ["scikit-learn", "numpy", "pandas", "joblib"])
def test_card_versions_inside_declared_ranges(lib: str) -> None:
    """A fresh ``pip install`` must pick versions that load ``models/default``."""
    requirement = _declared()[lib]
    assert requirement.specifier.contains(CARD["versions"][lib]), (
        f"models/default was written with {lib} {CARD['versions'][lib]}, outside the declared "
        f"{requirement}"
    )


@pytest.mark.parametrize("lib", sorted(artifact.COMPATIBLE_PARTS.keys() - {"cfdetect"}))
def test_declared_range_stays_inside_what_the_model_check_accepts(lib: str) -> None:
    """No version the range admits is one the model check refuses: the range's upper bound is
    the next minor (scikit-learn) or major (numpy) of the card's version."""
    requirement = _declared()[lib]
    card = Version(CARD["versions"][lib])
    parts = artifact.COMPATIBLE_PARTS[lib]
    upper = [s for s in requirement.specifier if s.operator == "<"]
    assert upper, f"{lib} needs an upper bound: {requirement}"
    bound = Version(upper[0].version)
    if parts == 2:
        assert bound <= Version(f"{card.major}.{card.minor + 1}")
    else:
        assert bound <= Version(f"{card.major + 1}")
    floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert floors and artifact._prefix(str(floors[0]), parts) == artifact._prefix(str(card), parts)


def test_scipy_declared() -> None:
    assert "scipy" in _declared()


def test_constraints_pin_inside_declared_ranges() -> None:
    """``constraints.txt`` (what make and CI install from) pins the card's versions."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    for name, requirement in _declared().items():
        assert name in pins, f"constraints.txt does not pin {name}"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]}: {requirement}"
    for lib in ("scikit-learn", "numpy"):
        assert pins[lib] == CARD["versions"][lib]


def test_spdx_license_and_urls() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["urls"]


def test_model_check_accepts_another_numpy_minor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The card's numpy minor need not be the running one (same major); scikit-learn's must."""
    running = artifact.versions()
    card = dict(CARD["versions"])
    major = card["numpy"].split(".")[0]
    monkeypatch.setattr(artifact, "versions", lambda: {**running, "numpy": f"{major}.99.0"})
    artifact.verify_model()  # the shipped model still passes every check
    monkeypatch.setattr(artifact, "versions", lambda: {**running, "scikit-learn": "1.99.0"})
    with pytest.raises(artifact.ModelError, match="scikit-learn"):
        artifact.verify_model()


@pytest.mark.parametrize("module", ["pyarrow", "scipy", "rapidfuzz", "threadpoolctl"])
def test_a_module_loading_the_shipped_model_needs_is_declared(module: str) -> None:
    """Load models/default with ``module`` made unimportable: when that fails, ``module`` must
    be a core dependency (a fresh core install without pyarrow could not load the shipped model:
    its pickle holds pyarrow-backed pandas strings; found by installing one)."""
    import os
    import subprocess
    import sys

    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from cfdetect.scorer import Scorer; Scorer.load()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    declared = {Requirement(t).name.replace("-", "_") for t in PROJECT["dependencies"]}
    if run.returncode != 0:
        assert module in declared, f"loading the shipped model needs {module}: {run.stderr[-300:]}"
