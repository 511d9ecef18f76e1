"""The steps ``bench.py`` times, each run in a fresh process: ``python bench_tasks.py TASK ...``.

Each task prints one JSON object on the last line of its standard output.

- ``baseline-score MODEL SOURCE OUTPUT``: the plain baseline's batch path. The same reader and
  validation as ``cfdetect score`` (``cfdetect.validate.iter_valid_chunks``), then
  ``predict_proba`` of the fitted ``baseline_pipeline()`` per chunk, and ``listing_id, score``
  written with cfdetect's writer: only the model differs from ``cfdetect score``.
- ``floor SOURCE``: the physical limit of scoring: read the file with the project's reader
  (``cfdetect.io.read_chunks``) and hash the titles' character n-grams
  (``cfdetect.features._hashing.char_ngram_buckets``, the text model's settings); no validation,
  no model, no output.
- ``train-cfdetect DATA MODEL_DIR [--no-ablation]``: ``cfdetect.training.train`` with the
  defaults, what ``cfdetect train DATA -o MODEL_DIR`` runs, timing each stage it reports.
- ``train-baseline DATA OUTPUT``: the plain baseline trained the way a user would: read and
  validate the same file, the same time-ordered split and training window as ``cfdetect train``,
  fit ``baseline_pipeline()``, save it (``joblib``) and measure it on the same hold-out.
- ``latency MODEL BASELINE SOURCE N``: ``Scorer.score`` on N listings one at a time against the
  baseline's ``predict_proba`` on one-row frames, interleaved so both see the same noise.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from typing import Any

import numpy as np

LABEL_AND_SIMULATOR = ("is_counterfeit", "published_at", "first_sale_at", "reported_at")


def _emit(result: dict[str, Any]) -> None:
    """Print the task's result as the last line of stdout."""
    print(json.dumps(result, default=float), flush=True)


def baseline_score(model: str, source: str, output: str) -> dict[str, Any]:
    """Score ``source`` with the saved baseline pipeline; return the rows scored."""
    import joblib
    import pandas as pd

    from cfdetect.io import open_writer
    from cfdetect.model import canonical_frame
    from cfdetect.validate import iter_valid_chunks

    pipeline = joblib.load(model)
    rows = 0
    with open_writer(output) as writer:
        for frame in iter_valid_chunks(source):
            scores = pipeline.predict_proba(canonical_frame(frame))[:, 1]
            writer.write(pd.DataFrame({"listing_id": frame["listing_id"], "score": scores}))
            rows += len(frame)
    return {"rows": rows}


def floor(source: str) -> dict[str, Any]:
    """Read ``source`` in chunks and hash every title's n-grams; return rows and n-grams."""
    from cfdetect.features import TextRiskScore
    from cfdetect.features._hashing import char_ngram_buckets
    from cfdetect.io import read_chunks

    text = TextRiskScore()
    rows = grams = 0
    for chunk in read_chunks(source):
        titles = chunk.frame["title"].astype("string").fillna("").tolist()
        _, buckets = char_ngram_buckets(titles, text.ngram_range, text.n_features, text.title_chars)
        rows += chunk.n_rows
        grams += len(buckets)
    return {"rows": rows, "ngrams": grams}


def train_cfdetect(data: str, model_dir: str, ablation: bool = True) -> dict[str, Any]:
    """Train with the CLI's defaults; return the stages with their durations."""
    from cfdetect.model import TrainConfig
    from cfdetect.training import train

    stages: list[list[Any]] = []
    started = time.perf_counter()

    def progress(message: str) -> None:
        stages.append([message, time.perf_counter() - started])

    card = train(
        data,
        model_dir,
        config=TrainConfig(ablation=ablation),
        command=f"cfdetect train {data} -o {model_dir}" + ("" if ablation else " --no-ablation"),
        progress=progress,
    )
    total = time.perf_counter() - started
    ends = [t for _, t in stages[1:]] + [total]
    return {
        "inner_seconds": total,
        "stages": [
            {"stage": name, "seconds": round(end - t, 2)}
            for (name, t), end in zip(stages, ends, strict=True)
        ],
        "card_seconds": card["training"]["seconds"],
        "ablation": ablation,
        "rows": card["training_data"]["rows"],
        "fit_rows": card["training_data"]["split_rows"]["train"],
    }


def train_baseline(data: str, output: str) -> dict[str, Any]:
    """Fit the plain baseline on the rows ``cfdetect train`` fits on; save it; measure it."""
    import joblib

    from cfdetect.model import (
        TrainConfig,
        _time_splits,
        baseline_pipeline,
        canonical_frame,
        ranking_metrics,
    )
    from cfdetect.training import read_training_frame

    config = TrainConfig()
    started = time.perf_counter()
    frame = read_training_frame(data)
    frame = frame[frame["is_counterfeit"].notna()].copy()
    frame["_y"] = frame["is_counterfeit"].astype("int64")
    fit_part, _, _, hold_part = _time_splits(frame, config.splits, "created_at")
    if 0 < config.max_train_rows < len(fit_part):
        fit_part = fit_part.iloc[-config.max_train_rows :]
    read = time.perf_counter()
    pipeline = baseline_pipeline(config.seed)
    pipeline.fit(canonical_frame(fit_part), fit_part["_y"].to_numpy())
    fitted = time.perf_counter()
    scores = pipeline.predict_proba(canonical_frame(hold_part))[:, 1]
    metrics = ranking_metrics(hold_part["_y"].to_numpy(), scores)
    joblib.dump(pipeline, output)
    total = time.perf_counter() - started
    return {
        "inner_seconds": total,
        "stages": [
            {
                "stage": "reading and validating the training data",
                "seconds": round(read - started, 2),
            },
            {"stage": f"fitting on {len(fit_part):,} rows", "seconds": round(fitted - read, 2)},
            {
                "stage": "hold-out scores and saving",
                "seconds": round(total - (fitted - started), 2),
            },
        ],
        "rows": len(frame),
        "fit_rows": len(fit_part),
        "holdout_metrics": metrics,
    }


def _records(source: str, n: int) -> list[dict[str, Any]]:
    """The first ``n`` listings of a Parquet file as plain mappings, as an ingestion pipeline
    would hand them over (numbers as numbers, times as ISO 8601 text, missing as ``None``)."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(source).read_row_group(0).slice(0, n).to_pandas()
    table = table.drop(columns=[c for c in LABEL_AND_SIMULATOR if c in table.columns])
    for name in table.columns:
        if str(table[name].dtype).startswith("datetime"):
            table[name] = table[name].map(lambda t: None if t is None or t != t else t.isoformat())
    frame = table.astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def latency(model: str, baseline: str, source: str, n: int) -> dict[str, Any]:
    """Time ``Scorer.score`` (the default call: reasons when flagged; reasons always; none), the
    shipped default model's default call, and the baseline's one-row call."""
    import joblib

    from cfdetect import Scorer
    from cfdetect.model import canonical_frame
    from cfdetect.validate import iter_valid_chunks

    scorer = Scorer.load(model)
    shipped = Scorer.load()  # models/default: trained without the text score (make model)
    pipeline = joblib.load(baseline)
    records = _records(source, n)
    valid = next(iter(iter_valid_chunks(source, chunk_size=max(n, 1))))
    n_base = min(len(valid), max(n // 4, 100))
    frames = [canonical_frame(valid.iloc[[i]]) for i in range(n_base)]
    for record in records[:200]:  # warm up: imports, caches, branch predictors
        scorer.score(record)
        scorer.score(record, explain="all")
        scorer.score(record, explain=False)
        shipped.score(record)
    for frame in frames[:20]:
        pipeline.predict_proba(frame)
    gc.collect()
    gc.freeze()
    timings: dict[str, list[float]] = {
        "score": [],
        "score_all_reasons": [],
        "score_no_reasons": [],
        "shipped_score": [],
        "baseline_one_row": [],
    }
    clock = time.perf_counter
    for i, record in enumerate(records):
        start = clock()
        scorer.score(record)
        timings["score"].append(clock() - start)
        start = clock()
        scorer.score(record, explain="all")
        timings["score_all_reasons"].append(clock() - start)
        start = clock()
        scorer.score(record, explain=False)
        timings["score_no_reasons"].append(clock() - start)
        start = clock()
        shipped.score(record)
        timings["shipped_score"].append(clock() - start)
        if i < len(frames):
            start = clock()
            pipeline.predict_proba(frames[i])
            timings["baseline_one_row"].append(clock() - start)
    gc.unfreeze()
    out = {}
    for name, values in timings.items():
        ms = np.asarray(values) * 1e3
        out[name] = {
            "n": len(ms),
            "p50_ms": float(np.percentile(ms, 50)),
            "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean()),
        }
    return out


def main() -> None:
    """Dispatch one task from the command line and print its result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    for name, args in (
        ("baseline-score", ("model", "source", "output")),
        ("floor", ("source",)),
        ("train-cfdetect", ("data", "model_dir")),
        ("train-baseline", ("data", "output")),
        ("latency", ("model", "baseline", "source", "n")),
    ):
        task = sub.add_parser(name)
        for arg in args:
            task.add_argument(arg)
        if name == "train-cfdetect":
            task.add_argument("--no-ablation", dest="ablation", action="store_false")
    a = parser.parse_args()
    if a.task == "baseline-score":
        result = baseline_score(a.model, a.source, a.output)
    elif a.task == "floor":
        result = floor(a.source)
    elif a.task == "train-cfdetect":
        result = train_cfdetect(a.data, a.model_dir, a.ablation)
    elif a.task == "train-baseline":
        result = train_baseline(a.data, a.output)
    else:
        result = latency(a.model, a.baseline, a.source, int(a.n))
    _emit(result)


if __name__ == "__main__":
    main()
