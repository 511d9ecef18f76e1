"""The typed model card (``artifact.ModelCard``) and the pipeline's step names, written once."""

from __future__ import annotations

import json

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
