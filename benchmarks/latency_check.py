"""Single-listing latency: ``Scorer.score`` against the baseline's one-row ``predict_proba``.

A first look, not the full benchmark of ``make bench``. Usage::

    python benchmarks/latency_check.py [--model models/default] [--n 2000] [--clock cpu]

``--clock cpu`` times each call by the thread's CPU time instead of the wall clock: on a machine
shared with other work, the wall clock's p99 is the scheduler's time slice, not the code's.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np
import pandas as pd

from cfdetect import Scorer
from cfdetect.model import baseline_pipeline, canonical_frame
from cfdetect.schema import Validator

_CLOCK = time.perf_counter


def _timed(call, items) -> np.ndarray:  # type: ignore[no-untyped-def]
    times = []
    clock = _CLOCK
    for item in items:
        start = clock()
        call(item)
        times.append(clock() - start)
    return np.asarray(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--data", default="data/sample_listings.csv")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    global _CLOCK
    _CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    scorer = Scorer.load(args.model)
    raw = pd.read_csv(args.data)
    rows = Validator().validate(raw).rows
    listings = raw.drop(columns=["is_counterfeit"]).astype(object)
    records = listings.where(listings.notna(), None).to_dict("records")[: args.n]
    gc.freeze()
    for record in records[:200]:
        scorer.score(record)
    explained = _timed(scorer.score, records)
    everything = _timed(lambda r: scorer.score(r, explain="all"), records)
    plain = _timed(lambda r: scorer.score(r, explain=False), records)
    baseline = baseline_pipeline().fit(canonical_frame(rows), rows["is_counterfeit"].astype(int))
    frames = [canonical_frame(rows.iloc[[i]]) for i in range(min(300, len(rows)))]
    base = _timed(baseline.predict_proba, frames)
    for name, values in (("Scorer.score (reasons if flagged)", explained),
                         ("Scorer.score(explain='all')", everything),
                         ("Scorer.score(explain=False)", plain),
                         ("baseline predict_proba, one row", base)):  # fmt: skip
        print(f"{name:34s} p50 {np.percentile(values, 50):.3f} ms  "
              f"p99 {np.percentile(values, 99):.3f} ms")  # fmt: skip
    print(f"baseline / Scorer (default), p50: {np.median(base) / np.median(explained):.1f}x")


if __name__ == "__main__":
    main()
