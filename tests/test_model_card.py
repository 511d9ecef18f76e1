"""The typed model card (``artifact.ModelCard``) and the pipeline's step names, written once."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from cfdetect import _pipeline
from cfdetect.artifact import CARD_FILE, MODEL_FILE, ModelCard, default_model_dir, read_card


def test_the_shipped_card_reads_typed_and_its_file_is_unchanged() -> None:
    document = read_card(default_model_dir())
    card = ModelCard.of(document)
    assert card.document is document
    assert card.model_file == document.get("model_file", MODEL_FILE)
    assert card.model_sha256 == document["model_sha256"]
    assert (card.block, card.review) == (
        document["thresholds"]["block"],
        document["thresholds"]["review"],
    )
    assert card.decision_policy == document.get("decision_policy")
    on_disk = json.loads((default_model_dir() / CARD_FILE).read_text(encoding="utf-8"))
    assert on_disk == document  # the card's format is what it was


@pytest.mark.parametrize(
    ("document", "field", "value"),
    [
        ({}, "model_sha256", None),
        ({"model_sha256": "ab", "versions": ["not", "a", "table"]}, "versions", {}),
        ({"model_sha256": "ab", "training": None}, "training", {}),
        ({"model_sha256": "ab", "decision_policy": {}}, "decision_policy", None),
        ({"model_sha256": "ab", "thresholds": {"review_capacity": 200}}, "review_capacity", 200.0),
        ({"model_sha256": "ab"}, "review_capacity", None),
    ],
)
def test_malformed_or_missing_entries_read_as_empty(
    document: dict[str, object], field: str, value: object
) -> None:
    assert getattr(ModelCard.of(document), field) == value


def test_the_pipeline_is_built_with_the_step_names() -> None:
    from cfdetect.model import build_pipeline

    assert tuple(name for name, _ in build_pipeline().steps) == _pipeline.STEPS


@pytest.mark.slow
def test_the_same_training_writes_the_same_model_file_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    # sets of words and dicts built from them used to follow the process's hash seed
    import subprocess
    import sys

    from cfdetect.simulate import SimulationConfig, simulate

    data = tmp_path / "train.parquet"
    simulate(SimulationConfig(n_listings=1500, seed=3)).to_parquet(data)
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"model{seed}"
        subprocess.run(
            [sys.executable, "-c", "from cfdetect.cli import main; main()", "-q", "train",
             str(data), "-o", str(out),
             "--no-ablation", "--no-text-model"],
            check=True, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
        )  # fmt: skip
        card = json.loads((out / "card.json").read_text())
        assert card["training"]["command"].startswith("cfdetect -q train ")  # -q before train
        written = hashlib.sha256((out / "model.joblib").read_bytes()).hexdigest()
        assert card["model_sha256"] == written
        digests.append(card["model_sha256"])
    assert digests[0] == digests[1]


def test_model_files_pickle_sets_in_order(tmp_path: Path) -> None:
    import joblib

    from cfdetect._pickling import dump

    value = {"words": {"b", "a", "c"}, "keys": frozenset({("x", "y"), "x", "w"}), "n": [1.5]}
    dump(value, tmp_path / "a.joblib")
    assert joblib.load(tmp_path / "a.joblib") == value
    joblib.dump(value, tmp_path / "b.joblib", compress=3)  # the same format otherwise
    assert (tmp_path / "a.joblib").read_bytes()[:2] == (tmp_path / "b.joblib").read_bytes()[:2]
