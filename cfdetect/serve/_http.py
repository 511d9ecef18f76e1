"""HTTP plumbing of the service: JSON and JSON Lines answers, error bodies, a request body read
under its size limit."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import Response

NDJSON_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/jsonlines"})


class JSONOut(Response):
    """JSON with ASCII escapes (a lone surrogate in a listing cannot break the encoding) and
    ``repr`` floats (a score reads back as the same double)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


class LineStream(Response):
    """JSON Lines streamed out while the request's lines are still read in. (Starlette's
    ``StreamingResponse`` may listen for a disconnect on ``receive`` meanwhile, which would take
    the request body's messages.)"""

    media_type = "application/x-ndjson"

    def __init__(self, lines: AsyncIterator[bytes]) -> None:
        super().__init__(None, status_code=200)
        self.lines = lines

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        async for chunk in self.lines:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def error(status: int, fld: str, reason: str) -> JSONOut:
    """The answer to a request that cannot be served: ``{"error": {"field", "reason"}}``."""
    return JSONOut({"error": {"field": fld, "reason": reason}}, status_code=status)


def line(obj: Any) -> bytes:
    """One JSON Lines line, as ``JSONOut`` writes JSON."""
    return json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n"


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float as None (JSON has neither)."""
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class BodyTooLargeError(Exception):
    """The request body is over the service's limit."""


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body, or ``BodyTooLargeError`` once it (or its declared length) is over
    ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
