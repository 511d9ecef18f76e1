"""Seller history from raw logs at scale: wall time and peak memory of ``cfdetect seller-history``.

Run from the project root (writes about 0.5 GB of CSV logs and 0.3 GB of output into ``--dir``)::

    python benchmarks/seller_history_bench.py --rows 10000000 --dir out/bench_history

1. Generates synthetic logs of ``--rows`` rows in all (seeded, in chunks, so the generator stays
   small): 40% listings, 25% sales, 20% ratings, 6% returns, 5% takedowns and a sellers table
   (4%, with join dates, opening balances and 5% hidden sellers), every timestamp a whole second
   in one year, many events sharing a second with a listing.
2. Runs ``cfdetect seller-history LISTINGS --logs DIR -o OUT`` once in a child process and
   reports its wall time and peak resident memory (``getrusage(RUSAGE_CHILDREN)``; run the
   printed command under ``/usr/bin/time -v`` for the same figure from outside).
3. Checks the output: one row per listing, in input order.

Prints a JSON summary; ``--json PATH`` also writes it. ``--keep`` keeps the generated logs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

SHARES = {"listings": 0.40, "sales": 0.25, "ratings": 0.20, "returns": 0.06, "takedowns": 0.05,
          "sellers": 0.04}  # fmt: skip
START = np.datetime64("2025-01-01T00:00:00", "s")
SPAN = 365 * 86_400
CHUNK = 1_000_000


def _iso(seconds: np.ndarray) -> np.ndarray:
    stamps = START + seconds.astype("timedelta64[s]")
    return np.char.add(np.datetime_as_string(stamps, unit="s"), "Z")


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def _data_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


def generate(directory: Path, rows: int, seed: int) -> dict[str, int]:
    """Write the synthetic logs (CSV) into ``directory``; return rows per log."""
    rng = np.random.default_rng(seed)
    counts = {name: int(rows * share) for name, share in SHARES.items()}
    counts["listings"] += rows - sum(counts.values())
    n_sellers = counts["sellers"]
    # seller activity is skewed: a few sellers list a lot
    weights = rng.pareto(1.2, n_sellers) + 0.05
    weights /= weights.sum()
    brands = np.array(["Rolex", "rolex", "Gucci", "Nike", "NIKE", "Apple", "Generic", "", "Sony",
                       "Louis Vuitton", "Chanel", "Adidas", "Samsung", "Dyson"])  # fmt: skip

    def write(name: str, make: object) -> None:
        path = directory / f"{name}.csv"
        done = 0
        with open(path, "w", encoding="utf-8") as f:
            while done < counts[name]:
                k = min(CHUNK, counts[name] - done)
                frame = make(done, k)  # type: ignore[operator]
                frame.to_csv(f, index=False, header=done == 0)
                done += k

    def sellers_of(k: int) -> np.ndarray:
        return _ids("S", rng.choice(n_sellers, size=k, p=weights), 8)

    def listing_times(k: int) -> np.ndarray:
        return np.sort(rng.integers(0, SPAN, k))  # a listings log is written in time order

    def event_times(k: int) -> np.ndarray:
        hours = rng.integers(0, SPAN // 3_600, k) * 3_600  # on the hour: ties with listings
        return np.where(rng.random(k) < 0.5, hours, rng.integers(0, SPAN, k))

    write("listings", lambda done, k: pd.DataFrame({
        "listing_id": _ids("L", np.arange(done, done + k), 10),
        "title": "Item",
        "price": np.round(rng.lognormal(4, 1, k), 2),
        "seller_id": sellers_of(k),
        "brand": rng.choice(brands, k),
        "created_at": _iso(listing_times(k)),
    }))  # fmt: skip
    write("sales", lambda done, k: pd.DataFrame({
        "seller_id": sellers_of(k), "sold_at": _iso(event_times(k)),
        "amount": np.round(rng.lognormal(4, 1, k), 2),
    }))  # fmt: skip
    write("ratings", lambda done, k: pd.DataFrame({
        "seller_id": sellers_of(k), "rated_at": _iso(event_times(k)),
        "stars": rng.integers(1, 6, k),
    }))  # fmt: skip
    write("returns", lambda done, k: pd.DataFrame({
        "seller_id": sellers_of(k), "returned_at": _iso(event_times(k)),
    }))  # fmt: skip
    write("takedowns", lambda done, k: pd.DataFrame({
        "listing_id": _ids("L", rng.integers(0, counts["listings"], k), 10),
        "seller_id": sellers_of(k), "removed_at": _iso(event_times(k)),
    }))  # fmt: skip

    def sellers(done: int, k: int) -> pd.DataFrame:
        n_ratings = rng.integers(0, 300, k)
        return pd.DataFrame({
            "seller_id": _ids("S", np.arange(done, done + k), 8),
            "joined_at": _iso(-rng.integers(0, 3_000 * 86_400, k)),
            "hidden": rng.random(k) < 0.05,
            "as_of": _iso(np.zeros(k, np.int64)),
            "prior_listings": rng.integers(0, 500, k),
            "prior_brands": rng.integers(0, 20, k),
            "prior_takedowns": rng.poisson(0.2, k),
            "prior_n_ratings": n_ratings,
            "prior_rating_sum": np.round(n_ratings * rng.uniform(3.0, 5.0, k)),
            "prior_gmv_90d": np.round(rng.lognormal(6, 1, k), 2),
            "prior_orders_90d": rng.integers(0, 50, k),
            "prior_returns_90d": rng.integers(0, 5, k),
        })  # fmt: skip

    write("sellers", sellers)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="log rows in all")
    parser.add_argument("--dir", type=Path, default=Path("out/bench_history"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shards", type=int, default=None, help="default: from input sizes")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated logs")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse logs kept by an earlier --keep run"
    )
    args = parser.parse_args()

    logs = args.dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.reuse and all((logs / f"{name}.csv").is_file() for name in SHARES):
        counts = {name: _data_lines(logs / f"{name}.csv") for name in SHARES}
    else:
        counts = generate(logs, args.rows, args.seed)
    generated = time.perf_counter() - started
    size = sum(p.stat().st_size for p in logs.iterdir())

    output = args.dir / "with_history.csv"
    cfdetect = Path(sys.executable).with_name("cfdetect")
    command = [str(cfdetect), "seller-history", str(logs / "listings.csv"), "--logs", str(logs),
               "-o", str(output), "--tmp-dir", str(args.dir)]  # fmt: skip
    if args.shards:
        command += ["--shards", str(args.shards)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"seller-history failed ({done.returncode}): {done.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    out_rows = _data_lines(output)
    if out_rows != counts["listings"]:
        sys.exit(f"output has {out_rows:,} rows, the listings log {counts['listings']:,}")
    head = pd.read_csv(output, nrows=5)
    summary = {
        "log_rows": sum(counts.values()),
        "rows_per_log": counts,
        "log_bytes": size,
        "generate_seconds": round(generated, 1),
        "command": " ".join(command),
        "wall_seconds": round(wall, 1),
        "log_rows_per_second": round(sum(counts.values()) / wall),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "output_rows": out_rows,
        "first_output_rows": head.to_dict(orient="records")[:2],
        "cpu_count": os.cpu_count(),
        "stderr_summary": done.stderr.strip().splitlines()[-14:],
    }
    text = json.dumps(summary, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    if not args.keep:
        shutil.rmtree(args.dir / "logs", ignore_errors=True)
        output.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
