"""Is `cfdetect score`'s peak memory flat in input size? 200,000 rows against 2,000,000.

Runs ``cfdetect score DUMP -o OUT --jobs 1`` on the two Parquet dumps ``make bench`` simulates
(``out/bench/full/data``; run ``make bench`` first), each in a fresh process pinned to one core,
and reports wall time and peak resident memory (``_measure.run``: the process and its workers)
and the 2M ÷ 200k memory ratio (issue 5: at most 1.5). It takes about 10 minutes. Usage::

    python benchmarks/memory_flat.py [--format parquet|csv] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _measure  # noqa: E402
from bench import cfdetect_command  # noqa: E402


def main() -> None:
    """Measure both sizes and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--data", default=str(ROOT / "out" / "bench" / "full" / "data"))
    args = parser.parse_args()
    results: dict[str, object] = {"format": args.format, "jobs": args.jobs}
    for rows in (200_000, 2_000_000):
        source = Path(args.data) / f"dump_{rows}_s103.{args.format}"
        if not source.exists():
            sys.exit(f"{source} is missing: run `make bench` first")
        output = ROOT / "out" / f"memory_flat_{rows}.csv"
        command = [*cfdetect_command(), "score", str(source), "-o", str(output)]
        command += ["--jobs", str(args.jobs)]
        measured = _measure.run(command, cpu=None if args.jobs > 1 else 0)
        results[str(rows)] = {**measured.as_dict(), "rows_per_s": rows / measured.seconds}
        print(f"{rows:>9,} rows: {measured.seconds:7.1f} s, peak {measured.peak_rss_mb:,.0f} MB",
              file=sys.stderr)  # fmt: skip
    small, large = results["200000"], results["2000000"]
    results["peak_ratio"] = large["peak_rss_mb"] / small["peak_rss_mb"]  # type: ignore[index]
    print(json.dumps(results, default=float))


if __name__ == "__main__":
    main()
