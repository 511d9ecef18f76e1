"""Which model family? The comparison behind ``build_pipeline``'s choice, on one time split.

Fits the feature steps once on the training window (the text score cross-fitted, as in training)
and then four classifiers on the same features, measured on the time-later hold-out:

- sparse logistic regression on hashed character n-grams of title and description alone (the
  ``TextRiskScore`` log-odds, cross-fitted);
- logistic regression on every dense feature (scaled), the text log-odds included;
- gradient boosting on the dense features without the text log-odds;
- gradient boosting on every dense feature, the text log-odds included (the default for a
  marketplace's own data; the shipped model, trained on simulated listings, leaves it out).

Usage::

    cfdetect simulate --listings 200000 --seed 21 -o out/families.parquet
    python benchmarks/model_families.py out/families.parquet
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cfdetect.model import (
    TrainConfig,
    _boosting,
    _time_splits,
    build_pipeline,
    canonical_frame,
    ranking_metrics,
)
from cfdetect.training import read_training_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--output", default="out/model_families.json")
    args = parser.parse_args()
    config = TrainConfig()
    frame = read_training_frame(args.data)
    frame = frame[frame["is_counterfeit"].notna()].copy()
    frame["_y"] = frame["is_counterfeit"].astype("int64")
    fit_part, _, _, hold_part = _time_splits(frame, config.splits, "created_at")
    fit_part = fit_part.iloc[-config.max_train_rows :]
    fit_y, hold_y = fit_part["_y"].to_numpy(), hold_part["_y"].to_numpy()
    pipeline = build_pipeline(seed=0)
    features = pipeline[:-1]
    started = time.perf_counter()
    with threadpool_limits(1, user_api="openmp"):
        fit_X = np.asarray(features.fit_transform(canonical_frame(fit_part), fit_y))
    hold_X = np.asarray(features.transform(canonical_frame(hold_part)))
    print(f"features: {time.perf_counter() - started:.0f} s for {len(fit_part):,} + "
          f"{len(hold_part):,} rows")  # fmt: skip
    names = [str(n) for n in features.get_feature_names_out()]
    text = names.index("text__text_logit")
    no_text = [i for i in range(len(names)) if i != text]
    results = {}

    def record(name: str, scores: np.ndarray, seconds: float) -> None:
        metrics = ranking_metrics(hold_y, scores)
        results[name] = {**metrics, "fit_seconds": round(seconds, 1)}
        print(f"{name:58s} PR-AUC {metrics['pr_auc']:.3f}  "
              f"recall@98% {metrics['recall_at_98_precision']:.3f}  ({seconds:.0f} s)")  # fmt: skip

    record("sparse logistic regression on char n-grams (text only)", hold_X[:, text], 0.0)
    every = list(range(len(names)))
    linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    for name, model, cols in (
        ("logistic regression on all dense features", linear, every),
        ("gradient boosting without the text score (shipped default)", _boosting(300, 0), no_text),
        ("gradient boosting on all features", _boosting(300, 0), every),
    ):  # fmt: skip
        started = time.perf_counter()
        with threadpool_limits(1, user_api="openmp"):
            model.fit(fit_X[:, cols], fit_y)
        record(name, model.predict_proba(hold_X[:, cols])[:, 1], time.perf_counter() - started)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump({"data": args.data, "train_rows": len(fit_y), "holdout_rows": len(hold_y),
                   "results": results}, handle, indent=2)  # fmt: skip
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
