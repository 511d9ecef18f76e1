"""The metrics middleware: every request counted by route and status, and timed."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from cfdetect.serve.metrics import Metrics

ROUTES = frozenset(("/v1/score", "/v1/score/batch", "/healthz", "/readyz", "/v1/model", "/metrics"))
"""The paths counted under their own name (any other path counts as ``other``)."""


class MetricsMiddleware:
    """Pure ASGI: counts every request by route and status and times it to its last byte."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            path = scope.get("path", "")
            route = path if path in ROUTES else "other"
            self.metrics.request(route, status, time.perf_counter() - start)
