"""Dask engine scaling: the same 2,000,000 listings scored by 1 and by 2 Dask workers.

Each run starts a LocalCluster of N single-threaded worker processes, warms it (imports, model
loaded once per worker: what a long-lived cluster has done already) and times
``score_dask`` on the whole dataset: planning, scoring, the repeated-id check, the rejects and
the rename. The figure is the ratio of the two times (the target: at least 1.6x on 2 cores).
Run it on a quiet machine: other processes on the same cores distort the ratio. Usage::

    cfdetect simulate --listings 2000000 --seed 5 -o out/engines_2m.parquet   # ~3 minutes
    python benchmarks/engines_bench.py [--input out/engines_2m.parquet] [--workers 1 2]
           [--chunk-size 100000] [--model DIR] [--output out/engines_bench.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq


def _warm(spec: Any) -> None:
    """On a worker: import the engine and load the model (each worker does it once)."""
    import dask.dataframe  # noqa: F401

    from cfdetect.engines import load_scorer

    load_scorer(spec)


def run(
    source: Path, workers: int, chunk_size: int, out: Path, model: str | None
) -> dict[str, Any]:
    """Score ``source`` on a fresh local cluster of ``workers`` processes; time the run."""
    from distributed import Client, LocalCluster

    from cfdetect import Scorer
    from cfdetect.engines import ModelSpec
    from cfdetect.engines.dask import score_dask

    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        client.run(_warm, ModelSpec.of(Scorer.load(model, trust=True), model))
        ready = time.perf_counter()
        report = score_dask(source, out, rejects=out.with_suffix(".rejects.csv"), client=client,
                            chunk_size=chunk_size, model=model, trust=True)  # fmt: skip
        seconds = time.perf_counter() - ready
    return {
        "workers": workers,
        "cluster_start_s": round(ready - started, 1),
        "score_s": round(seconds, 1),
        "rows_per_s": round(report.validation.rows_read / seconds),
        "rows": report.validation.rows_read,
        "scored": report.scored,
        "rejected": report.validation.rejected,
        "decisions": dict(report.decisions),
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default="out/engines_2m.parquet")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=100_000)
    parser.add_argument("--output", default="out/engines_bench.json")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    args = parser.parse_args()
    source = Path(args.input)
    if not source.exists():
        source.parent.mkdir(parents=True, exist_ok=True)
        command = ["cfdetect", "simulate", "--listings", "2000000", "--seed", "5"]
        command += ["-o", str(source)]
        print("generating:", " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True)
    meta = pq.ParquetFile(source).metadata
    result: dict[str, Any] = {
        "input": str(source),
        "rows": meta.num_rows,
        "row_groups": meta.num_row_groups,
        "chunk_size": args.chunk_size,
        "model": args.model or "shipped default",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg_start": [round(x, 2) for x in os.getloadavg()],
        },
        "runs": [],
    }
    for workers in args.workers:
        out = Path("out") / f"engines_bench_{workers}w"
        result["runs"].append(run(source, workers, args.chunk_size, out, args.model))
        print(json.dumps(result["runs"][-1]), file=sys.stderr)
        shutil.rmtree(out, ignore_errors=True)
        out.with_suffix(".rejects.csv").unlink(missing_ok=True)
    times = {r["workers"]: r["score_s"] for r in result["runs"]}
    if 1 in times and 2 in times:
        result["speedup_2_over_1"] = round(times[1] / times[2], 2)
    decisions = {json.dumps(r["decisions"], sort_keys=True) for r in result["runs"]}
    result["same_decisions"] = len(decisions) == 1
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
