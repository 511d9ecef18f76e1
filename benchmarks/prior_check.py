"""Training on a prior, measured on the shifted world (issue 23; docs/model.md).

Reproduce the table in docs/model.md:

    PYTHONPATH=. python benchmarks/prior_check.py --pool 30000 --test 15000 --repeats 2 \
        --pseudo 0 --out benchmarks/prior_check.json

Own labels are random samples of a simulated shifted world (``--world shifted``, seed 100,
``--pool`` listings); the test set is another shifted world (seed 101, ``--test`` listings). For
each number of own labels and each repeat (another random sample), it trains with
``cfdetect.training.train`` (no text model, no ablation) and scores the test set with the
model's own thresholds and decision policy:

* prior alone: the shipped ``models/default``;
* own alone: the own labels only;
* own + prior: ``--prior models/default`` (the prior rescaled plus correction trees chosen by
  cross-validation, a strictly increasing calibration: ``cfdetect/feedback/_prior.py``);
* with ``--pseudo N`` (N > 0) also: own + pseudo-labels: the own labels plus N listings of the
  default world labelled by the prior (score >= 0.5), placed before the own labels in time so
  that they only ever train; and own + prior + pseudo-labels;
* all labels: every listing of the pool.

Figures: PR-AUC, recall at 98% precision, and "wrongly blocked" (share of the test set's genuine
listings blocked), mean over the repeats; the scores are the model's as it outputs them (the
decision policy lowers unfamiliar listings' to its ceiling, 0.95), and the first two also of the
calibrated score before that ceiling.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.errors import InputError
from cfdetect.model import TrainConfig, ranking_metrics
from cfdetect.schema import canonical_frame
from cfdetect.scorer import Scorer
from cfdetect.simulate import SimulationConfig, load_world, simulate
from cfdetect.training import read_training_frame, train

PRIOR = "models/default"


def pseudo_labelled(
    n: int,
    *,
    prior: str | Path | None = None,
    seed: int = 23,
    end: pd.Timestamp | None = None,
    threshold: float = 0.5,
) -> pd.DataFrame:
    """``n`` listings of the default simulated world labelled by the prior (score >= threshold).

    Their ``created_at`` is moved so that the last falls just before ``end`` (the first own
    label), so a time-ordered split puts them in the training rows.
    """
    from cfdetect.scorer import Scorer
    from cfdetect.simulate import SimulationConfig, simulate
    from cfdetect.training import read_training_frame

    frame = simulate(SimulationConfig(n_listings=n, seed=seed, days=90))
    rows = read_training_frame(frame)
    scorer = Scorer.load(None if prior in (None, "default") else prior)
    scores = scorer.score_frame(rows, explain=False)["score"].to_numpy()
    frame["is_counterfeit"] = (scores >= threshold).astype("int64")
    if end is not None:
        times = pd.to_datetime(frame["created_at"], utc=True)
        frame["created_at"] = times - (times.max() - end) - pd.Timedelta(seconds=1)
    return frame


def measure(scorer: Scorer, rows: pd.DataFrame, y: np.ndarray) -> dict[str, float]:
    out = scorer.score_frame(rows, explain=False)
    scores = out["score"].to_numpy()
    metrics = ranking_metrics(y, scores)
    blocked = out["decision"].to_numpy() == "block"
    # the calibrated score before the policy lowers unfamiliar listings to its ceiling (0.95)
    enriched = scorer._brands.transform(scorer._normalizer.transform(canonical_frame(rows)))
    matrix = np.asarray(scorer._features.transform(enriched), dtype=np.float64)
    plain = ranking_metrics(y, scorer._calibrate(scorer._raw_scores(matrix)))
    return {
        "pr_auc": metrics["pr_auc"],
        "recall_at_98_precision": metrics["recall_at_98_precision"],
        "pr_auc_before_ceiling": plain["pr_auc"],
        "recall_at_98_precision_before_ceiling": plain["recall_at_98_precision"],
        "wrongly_blocked": float(blocked[y == 0].mean()),
        "blocked_recall": float(blocked[y == 1].mean()),
    }


def fit(frame: pd.DataFrame, prior: str | None, splits: tuple[float, ...] | None = None) -> Scorer:
    config = TrainConfig(
        text_model=False, ablation=False, baseline=False, side_process_rows=0, prior=prior,
        **({"splits": splits} if splits else {}),
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        train(frame, Path(tmp) / "m", config=config)
        return Scorer.load(Path(tmp) / "m", trust=True)


def with_pseudo(own: pd.DataFrame, pseudo: pd.DataFrame) -> tuple[pd.DataFrame, tuple]:
    """Own labels after the pseudo-labelled rows; splits that put every pseudo row in training."""
    start = pd.to_datetime(own["created_at"], utc=True).min()
    times = pd.to_datetime(pseudo["created_at"], utc=True)
    pseudo = pseudo.assign(created_at=times - (times.max() - start) - pd.Timedelta(seconds=1))
    frame = pd.concat([pseudo[own.columns], own], ignore_index=True)
    total, n = len(frame), len(own)
    rest = 0.1 * n / total
    return frame, (1 - 3 * rest, rest, rest, rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pool", type=int, default=50_000)
    parser.add_argument("--test", type=int, default=20_000)
    parser.add_argument("--pseudo", type=int, default=0)
    parser.add_argument("--out", default="benchmarks/prior_check.json")
    args = parser.parse_args()
    started = time.perf_counter()
    world = load_world("shifted")
    pool = simulate(SimulationConfig(n_listings=args.pool, seed=100), world=world)
    test = simulate(SimulationConfig(n_listings=args.test, seed=101), world=world)
    test_rows = read_training_frame(test)
    y = test_rows["is_counterfeit"].to_numpy().astype(int)
    pseudo = pseudo_labelled(args.pseudo, prior=PRIOR, seed=23) if args.pseudo else None
    results: dict[str, object] = {
        "pool": args.pool, "test": args.test, "test_positives": int(y.sum()),
        "pseudo": args.pseudo, "repeats": args.repeats, "rows": [],
    }  # fmt: skip
    rows: list[dict[str, object]] = results["rows"]  # type: ignore[assignment]

    def add(method: str, n: int | str, figures: list[dict[str, float]]) -> None:
        mean = {k: float(np.mean([f[k] for f in figures])) for k in figures[0]}
        rows.append({"method": method, "own_labels": n, **mean, "repeats": len(figures)})
        print(method, n, {k: round(v, 4) for k, v in mean.items()}, flush=True)

    add("prior alone", 0, [measure(Scorer.load(PRIOR), test_rows, y)])
    for n in (int(s) for s in args.sizes.split(",")):
        figures: dict[str, list[dict[str, float]]] = {}
        repeats = args.repeats if n < 10_000 else 1
        for r in range(repeats):
            own = pool.sample(n=n, random_state=1000 * r + n).sort_values("created_at")
            runs = [("own alone", own, None, None), ("own + prior", own, PRIOR, None)]
            if pseudo is not None:
                mixed, splits = with_pseudo(own, pseudo)
                runs += [
                    ("own + pseudo-labels", mixed, None, splits),
                    ("own + prior + pseudo-labels", mixed, PRIOR, splits),
                ]
            for method, frame, prior, cut in runs:
                try:
                    scorer = fit(frame, prior, cut)
                except InputError as error:  # e.g. no infringing listing in a 50-row split
                    print(method, n, "sample", r, "skipped:", error, flush=True)
                    results.setdefault("skipped", []).append([method, n, r, str(error)])  # type: ignore[attr-defined]
                    continue
                figures.setdefault(method, []).append(measure(scorer, test_rows, y))
        for method, found in figures.items():
            add(method, n, found)
    add(f"all labels ({args.pool:,})", args.pool, [measure(fit(pool, None), test_rows, y)])
    results["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


def table(results: dict[str, object]) -> str:
    lines = [
        "| own labels | method | PR-AUC | recall at 98% precision | wrongly blocked | "
        "before the ceiling: PR-AUC | recall at 98% precision |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["rows"]:  # type: ignore[union-attr]
        lines.append(
            f"| {row['own_labels']:,} | {row['method']} | {row['pr_auc']:.3f} | "
            f"{row['recall_at_98_precision']:.3f} | {100 * row['wrongly_blocked']:.2f}% | "
            f"{row['pr_auc_before_ceiling']:.3f} | "
            f"{row['recall_at_98_precision_before_ceiling']:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
