"""Prometheus metrics of the service in the text exposition format (0.0.4), without a client
library: counters with labels and one latency histogram, safe across threads."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import ClassVar

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    if not pairs:
        return ""
    body = ",".join(
        f'{k}="{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for k, v in pairs
    )
    return "{" + body + "}"


class Metrics:
    """What ``GET /metrics`` shows: requests (by route and status), request latency (by route),
    decisions, rejected listings (by field) and model reloads (by outcome).

    Examples
    --------
    >>> m = Metrics()
    >>> m.request("/v1/score", 200, 0.002); m.decision("allow")
    >>> 'cfdetect_decisions_total{decision="allow"} 1' in m.render()
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(
            lambda: defaultdict(float)
        )
        self._hist: dict[str, list[float]] = {}  # route -> bucket counts + [sum, count]

    _HELP: ClassVar[dict[str, str]] = {
        "cfdetect_requests_total": "HTTP requests by route and status code.",
        "cfdetect_decisions_total": "Listings scored, by decision.",
        "cfdetect_rejects_total": "Listings rejected by validation, by field.",
        "cfdetect_reloads_total": "Model reloads (SIGHUP), by outcome.",
    }

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            self._counters[name][key] += value

    def request(self, route: str, status: int, seconds: float) -> None:
        """Count one request and observe its latency."""
        key = (("route", route), ("status", str(status)))
        with self._lock:
            self._counters["cfdetect_requests_total"][key] += 1
            hist = self._hist.setdefault(route, [0.0] * (len(LATENCY_BUCKETS) + 2))
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    hist[i] += 1
            hist[-2] += seconds
            hist[-1] += 1

    def decision(self, decision: str, n: int = 1) -> None:
        self.inc("cfdetect_decisions_total", n, decision=decision)

    def reject(self, field: str, n: int = 1) -> None:
        self.inc("cfdetect_rejects_total", n, field=field)

    def render(self) -> str:
        """The metrics in the Prometheus text format."""
        lines: list[str] = []
        with self._lock:
            for name in self._HELP:
                lines += [f"# HELP {name} {self._HELP[name]}", f"# TYPE {name} counter"]
                for key, value in sorted(self._counters.get(name, {}).items()):
                    lines.append(f"{name}{_labels(key)} {value:g}")
            name = "cfdetect_request_duration_seconds"
            lines += [
                f"# HELP {name} Request latency by route, from request to response.",
                f"# TYPE {name} histogram",
            ]
            for route, hist in sorted(self._hist.items()):
                for bound, count in zip(LATENCY_BUCKETS, hist, strict=False):
                    le = (("route", route), ("le", f"{bound:g}"))
                    lines.append(f"{name}_bucket{_labels(le)} {count:g}")
                lines.append(
                    f"{name}_bucket{_labels((('route', route), ('le', '+Inf')))} {hist[-1]:g}"
                )
                lines.append(f"{name}_sum{_labels((('route', route),))} {hist[-2]!r}")
                lines.append(f"{name}_count{_labels((('route', route),))} {hist[-1]:g}")
        return "\n".join(lines) + "\n"
