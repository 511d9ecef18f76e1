"""Generalisation check on the hand-written field set: how a model does on listings the simulator
never wrote.

``data/field/listings.csv`` holds realistic listings written by hand, genuine and infringing, in
six languages, with a ``case`` column (``data/field/README.md``). It is a check, never a training
or tuning set. Usage::

    python benchmarks/field_check.py [--model models/default] [--by case|language|platform_style]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from cfdetect.scoring import score_file

FIELD = Path(__file__).resolve().parents[1] / "data" / "field" / "listings.csv"


def field_metrics(scored: pd.DataFrame) -> dict[str, float]:
    """PR-AUC, block precision, genuine listings blocked and recall at block/flag of one frame.

    ``scored`` has ``is_counterfeit``, ``score`` and ``decision``.
    """
    y = scored["is_counterfeit"].to_numpy(dtype=int)
    blocked = (scored["decision"] == "block").to_numpy()
    flagged = (scored["decision"] != "allow").to_numpy()
    genuine, fake = y == 0, y == 1
    both = 0 < y.sum() < len(y)
    return {
        "n": float(len(y)),
        "infringing": float(y.sum()),
        "pr_auc": float(average_precision_score(y, scored["score"])) if both else np.nan,
        "block_precision": float(y[blocked].mean()) if blocked.any() else np.nan,
        "genuine_blocked": float(blocked[genuine].mean()) if genuine.any() else np.nan,
        "genuine_flagged": float(flagged[genuine].mean()) if genuine.any() else np.nan,
        "recall_block": float(blocked[fake].mean()) if fake.any() else np.nan,
        "recall_flagged": float(flagged[fake].mean()) if fake.any() else np.nan,
    }


def score_field(model: str | None, path: Path = FIELD) -> pd.DataFrame:
    """Score the field set with ``model``; the scored rows joined to the field set's columns."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scored.csv"
        report = score_file(path, out, model=model, explain=True)
        scored = pd.read_csv(out, dtype={"listing_id": str}, keep_default_na=False)
    if report.validation.rejected:
        print(f"warning: {report.validation.rejected} field rows rejected by validation")
    field = pd.read_csv(path, dtype={"listing_id": str}, keep_default_na=False)
    keep = ["listing_id", "score", "decision", "reasons"]
    return field.merge(scored[keep], on="listing_id", how="inner")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--input", default=str(FIELD))
    parser.add_argument("--by", default="case", help="column to break the figures down by")
    parser.add_argument("--show", type=int, default=10, help="wrongly blocked rows to print")
    args = parser.parse_args()
    scored = score_field(args.model, Path(args.input))
    overall = field_metrics(scored)
    print(f"{args.input}: {int(overall['n'])} listings scored, model {args.model or 'default'}")
    print("  " + ", ".join(f"{k} {v:.3f}" for k, v in overall.items() if k not in ("n",)))
    rows = {key: field_metrics(group) for key, group in scored.groupby(args.by, sort=True)}
    table = pd.DataFrame(rows).T
    table["label"] = np.where(table["infringing"] == 0, "genuine", "")
    table.loc[table["infringing"] == table["n"], "label"] = "infringing"
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(table.round(3).to_string())
    wrong = scored[(scored["decision"] == "block") & (scored["is_counterfeit"] == 0)]
    with pd.option_context("display.max_colwidth", 100, "display.width", 220):
        print(f"\nwrongly blocked genuine listings: {len(wrong)}")
        print(wrong.head(args.show)[["listing_id", "case", "score", "title"]].to_string())


if __name__ == "__main__":
    main()
