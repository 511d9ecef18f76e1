"""False-positive check on real genuine listings: block and review rates of a model.

Real public listing files carry no labels; retailer catalogues such as the Abt.com and Buy.com
dumps of the Leipzig entity-resolution benchmark are genuine by construction, so every block
is a wrongly blocked genuine listing. Usage::

    python benchmarks/realdata_check.py ../shared/realdata/abt.csv --columns abt.toml \
        [--model models/default] [--encoding cp1252]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from cfdetect.scoring import score_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--columns")
    parser.add_argument("--model")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--show", type=int, default=5, help="flagged rows to print")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scored.csv"
        report = score_file(
            args.input, out, model=args.model, columns=args.columns, encoding=args.encoding
        )
        scored = pd.read_csv(out)
    n = len(scored)
    counts = scored["decision"].value_counts()
    print(
        f"{args.input}: {report.validation.rows_read} rows read, {n} scored, "
        f"{report.validation.rejected} rejected"
    )
    for decision in ("block", "review", "allow"):
        k = int(counts.get(decision, 0))
        print(f"  {decision:6s} {k:5d}  {100 * k / max(n, 1):.2f}%")
    shares = ", ".join(
        f"{100 * float((scored['score'] >= t).mean()):.1f}% >= {t}" for t in (0.05, 0.1, 0.2, 0.5)
    )
    print(f"  scores: {shares}")
    flagged = scored[scored["decision"] != "allow"].sort_values("score", ascending=False)
    with pd.option_context("display.max_colwidth", 120, "display.width", 200):
        print(flagged.head(args.show)[["listing_id", "score", "decision", "reasons"]].to_string())


if __name__ == "__main__":
    main()
