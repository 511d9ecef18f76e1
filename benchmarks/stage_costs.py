"""Where one core's time goes when scoring a batch: per-row cost of each stage, side by side with
the plain baseline's whole pipeline, in one run on the same rows.

The throughput target asks ``cfdetect score`` on one core to be as fast as the baseline. This
prints what each stage of cfdetect's batch path costs per row (validation, the feature
transformers, the tree walk, scikit-learn's own compiled tree predictor on the same model for
comparison, reasons of the flagged rows) next to the baseline's ``predict_proba`` on the same
validated rows, so the note on that target can say which stages could ever fit the baseline's
budget. Usage (a model trained by ``make bench``, its baseline, the bench's dump)::

    CFDETECT_TRUSTED_MODELS=$PWD/out/bench taskset -c 0 python benchmarks/stage_costs.py \\
        out/bench/full/model_100000 out/bench/full/baseline_100000.joblib \\
        out/bench/full/data/dump_200000_s103.parquet [--rows 20000]

Before and after a change, run it on the same rows from both checkouts, one after the other, and
compare the ratios (absolute times drift with the machine's load); ``docs/speed.md`` has the
tables of issue 22. The tree walk is numba's when ``cfdetect[fast]`` is installed (the line
after the table says which), numpy's otherwise; both give the same bits.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import joblib
import numpy as np
import pandas as pd

from cfdetect import Scorer
from cfdetect.schema import Validator, canonical_frame


def _best(call: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The fastest of ``repeats`` calls (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("baseline")
    parser.add_argument("data")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    scorer = Scorer.load(args.model)
    baseline = joblib.load(args.baseline)
    raw = pd.read_parquet(args.data).head(args.rows)
    numbers = np.arange(1, len(raw) + 1)
    n, k = len(raw), args.repeats

    stages: dict[str, float] = {}
    stages["validation"], valid = _best(lambda: Validator().validate(raw, numbers).rows, k)
    canonical = canonical_frame(valid)
    stages["normalise + brand detection"], enriched = _best(
        lambda: scorer._brands.transform(scorer._normalizer.transform(canonical)), k
    )
    for name, transformer, columns in scorer._features.transformers_:
        if hasattr(transformer, "transform"):  # what the ColumnTransformer hands each part
            part = enriched[columns(enriched) if callable(columns) else columns]
            stages[f"feature: {name}"], _ = _best(lambda t=transformer, x=part: t.transform(x), k)
    matrix = np.asarray(scorer._features.transform(enriched), dtype=np.float64)
    stages["trees: cfdetect's walk"], raw_scores = _best(lambda: scorer._raw_scores(matrix), k)
    classifier = scorer._classifier
    known, feature_map = classifier._bin_mapper.make_known_categories_bitsets()

    def compiled() -> np.ndarray:  # what HistGradientBoostingClassifier runs, one thread
        total = np.full(len(matrix), float(np.ravel(classifier._baseline_prediction)[0]))
        for (predictor,) in classifier._predictors:
            total += predictor.predict(matrix, known, feature_map, 1)
        return total

    sklearn_trees, sklearn_scores = _best(compiled, k)
    flagged = np.flatnonzero(scorer._calibrate(raw_scores) >= scorer.review_threshold)
    stages["reasons of the flagged rows"], _ = _best(
        lambda: scorer._forest.explain(matrix[flagged], scorer._table), k
    )
    whole, _ = _best(lambda: scorer.score_frame(valid), k)
    base, _ = _best(lambda: baseline.predict_proba(canonical_frame(valid))[:, 1], k)

    us = 1e6 / n
    print(f"{n:,} rows of {args.data}, fastest of {k} runs, microseconds per row on one core")
    print(f"{'stage':<40} {'us/row':>8} {'÷ baseline':>11}")
    for name, seconds in stages.items():
        print(f"{name:<40} {seconds * us:8.1f} {seconds / base:10.2f}×")
    print(f"{'(trees: scikit-learn compiled predictor)':<40} {sklearn_trees * us:8.1f} "
          f"{sklearn_trees / base:10.2f}×")  # fmt: skip
    print(f"{'Scorer.score_frame, all of it':<40} {whole * us:8.1f} {whole / base:10.2f}×")
    print(f"{'baseline predict_proba, all of it':<40} {base * us:8.1f} {1.0:10.2f}×")
    try:
        from cfdetect._treewalk import kernels

        walk = "numba" if kernels() is not None else "numpy"
    except ImportError:  # a checkout before issue 22
        walk = "numpy"
    print(
        f"tree walk: {walk}; trees: {len(classifier._predictors)} of at most "
        f"{int(scorer._forest.depth)} levels; "
        f"cfdetect's walk and scikit-learn's predictor agree to "
        f"{float(np.abs(raw_scores - sklearn_scores).max()):.1e}"
    )


if __name__ == "__main__":
    main()
