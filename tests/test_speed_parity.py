"""Issue 22: the speed work changes no score, decision or reason of the shipped model.

``tests/data/speed_parity.json`` holds fingerprints (SHA-256) of what ``models/default`` gave on
``data/sample_listings.csv`` and ``data/field/listings.csv`` before the compiled kernels, from
``Scorer.score_frame`` (scores as float64 bytes, decisions, reasons) and from ``Scorer.score`` one
listing at a time. A retrained model changes them legitimately: the test then fails until they
are regenerated (``python tests/test_speed_parity.py``, on code known to be right) and committed
with the model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).with_name("data") / "speed_parity.json"
FILES = {"sample": "data/sample_listings.csv", "field": "data/field/listings.csv"}


def _sha(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def fingerprints(single_rows: int | None = None) -> dict[str, str]:
    """Fingerprints of the shipped model's outputs on the two data files."""
    from cfdetect import Scorer
    from cfdetect.schema import Validator

    scorer = Scorer.load(ROOT / "models" / "default", trust=True)
    out = {"model": hashlib.sha256((ROOT / "models/default/model.joblib").read_bytes()).hexdigest()}
    for name, path in FILES.items():
        raw = pd.read_csv(ROOT / path)
        frame = scorer.score_frame(Validator().validate(raw).rows)
        out[f"{name}_scores"] = _sha([np.asarray(frame["score"], dtype=np.float64).tobytes()])
        out[f"{name}_decisions"] = _sha([str(d).encode() for d in frame["decision"]])
        out[f"{name}_reasons"] = _sha([repr(r).encode() for r in frame["reasons"]])
        listings = raw.drop(columns=["is_counterfeit"], errors="ignore").astype(object)
        records = listings.where(listings.notna(), None).to_dict("records")[:single_rows]
        singles = [scorer.score(r, explain="all") for r in records]
        out[f"{name}_single"] = _sha(
            [
                np.float64(s.score).tobytes() + repr((s.decision, s.reasons)).encode()
                for s in singles
            ]
        )
    return out


@pytest.mark.slow
def test_shipped_model_scores_unchanged() -> None:
    expected = json.loads(FIXTURE.read_text())
    single_rows = expected.pop("single_rows")
    model = hashlib.sha256((ROOT / "models/default/model.joblib").read_bytes()).hexdigest()
    if model != expected["model"]:
        pytest.fail(
            "models/default was retrained: regenerate tests/data/speed_parity.json "
            "(python tests/test_speed_parity.py) and commit it with the model"
        )
    assert fingerprints(single_rows) == expected


if __name__ == "__main__":
    rows = 1500  # single listings fingerprinted per file (the frame path covers every row)
    FIXTURE.write_text(json.dumps({**fingerprints(rows), "single_rows": rows}, indent=1) + "\n")
