"""Check that a retrained model directory holds the same model file as the shipped one.

Usage (``make model-check`` runs it after training the shipped recipe)::

    python benchmarks/model_check.py models/default out/model-check

Exits 0 when ``model.joblib`` in the second directory has the sha256 the first directory's card
names, 1 otherwise, printing both hashes and the first card figures that differ.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def main(shipped: str, retrained: str) -> int:
    card = json.loads((Path(shipped) / "card.json").read_text())
    new_card = json.loads((Path(retrained) / "card.json").read_text())
    digest = hashlib.sha256((Path(retrained) / "model.joblib").read_bytes()).hexdigest()
    print(f"shipped card names  {card['model_sha256']}")
    print(f"retrained file is   {digest}")
    if digest == card["model_sha256"]:
        print("same model file: the shipped model is what this recipe and code make")
        return 0
    for key in ("thresholds", "holdout_metrics"):
        if card.get(key) != new_card.get(key):
            print(f"card figures differ under {key!r}")
    print("different model file (another machine's floating point, or other code or data)")
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
