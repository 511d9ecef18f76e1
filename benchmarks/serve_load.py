"""Load test of ``cfdetect serve`` over loopback with a real HTTP client (httpx), next to
``Scorer.score`` in process. Not a timed test: run it by hand, figures go to docs/serving.md.

For each worker count it starts ``cfdetect serve --workers N`` on a free port, waits for
``/readyz``, then ``--clients`` threads (each its own keep-alive ``httpx.Client``) POST one
listing at a time to ``/v1/score`` for ``--seconds``; it reports sustained requests/s, p50 and p99
latency and the errors (any non-200 or transport error). The in-process line is ``Scorer.score``
on the same listings, one thread.

    python benchmarks/serve_load.py --workers 1 2 --seconds 10 --clients 4
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _listings(n: int) -> list[dict[str, Any]]:
    raw = pd.read_csv(ROOT / "data" / "sample_listings.csv", nrows=n, dtype=str)
    raw = raw.drop(columns=["is_counterfeit"], errors="ignore")
    return [{k: v for k, v in r.items() if isinstance(v, str)} for r in raw.to_dict("records")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _summary(name: str, latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    lat = np.asarray(latencies) * 1000
    return {
        "run": name,
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 2) if len(lat) else None,
        "p99_ms": round(float(np.percentile(lat, 99)), 2) if len(lat) else None,
        "errors": errors,
    }


def in_process(listings: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    from cfdetect.scorer import Scorer

    scorer = Scorer.load()
    for listing in listings[:50]:
        scorer.score(listing)  # warm up
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        scorer.score(listings[i % len(listings)])
        latencies.append(time.perf_counter() - t0)
        i += 1
    return _summary("Scorer.score in process (1 thread)", latencies, 0, seconds)


def over_http(
    listings: list[dict[str, Any]], workers: int, clients: int, seconds: float
) -> dict[str, Any]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cfdetect.cli", "serve", "--port", str(port)]
        + ["--workers", str(workers), "--log-level", "warning"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                answers = [httpx.get(f"{base}/v1/model", timeout=5).json() for _ in range(8)]
                if len({a["pid"] for a in answers}) >= min(workers, 2) or workers == 1:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        latencies: list[list[float]] = [[] for _ in range(clients)]
        errors = [0] * clients
        start = threading.Barrier(clients + 1)
        stop = threading.Event()

        def client(k: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                for listing in listings[:20]:  # warm up the connection and the workers
                    http.post("/v1/score", json=listing)
                start.wait()
                i = k
                while not stop.is_set():
                    t0 = time.perf_counter()
                    try:
                        r = http.post("/v1/score", json=listings[i % len(listings)])
                        ok = r.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    latencies[k].append(time.perf_counter() - t0)
                    errors[k] += not ok
                    i += clients

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        flat = [x for lat in latencies for x in lat]
        name = f"HTTP /v1/score, --workers {workers}, {clients} clients"
        return _summary(name, flat, sum(errors), elapsed)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--listings", type=int, default=500)
    args = parser.parse_args()
    listings = _listings(args.listings)
    rows = [in_process(listings, args.seconds)]
    rows += [over_http(listings, w, args.clients, args.seconds) for w in args.workers]
    print("| run | requests/s | p50 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['run']} | {r['requests_per_s']:,} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['errors']} |"
        )
    print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
