"""The scoring service: a FastAPI app around one ``Scorer``, swapped atomically on reload.

Routes: ``POST /v1/score`` (one listing), ``POST /v1/score/batch`` (a JSON array, or JSON Lines
streamed both ways with ``Content-Type: application/x-ndjson``), ``GET /healthz``,
``GET /readyz``, ``GET /v1/model`` (the card), ``GET /metrics`` (Prometheus text format) and the
OpenAPI schema at ``/openapi.json``.

A listing is read by ``Scorer.score``: the parsers, limits and reasons of the CLI and of
``cfdetect explain``, so a score here equals the CLI's and ``Scorer.score``'s to the bit (JSON
numbers are written with ``repr``: they read back as the same double). A listing that cannot be
read gets 422 with ``{"error": {"field": ..., "reason": ...}}``.

The model is loaded once, with the trust, hash and version checks of ``Scorer.load``.
``ModelHolder.reload`` (SIGHUP under ``cfdetect serve``) loads the model directory again and
swaps the reference: a request takes the scorer it starts with and finishes on it, so in-flight
requests complete on the old model; a reload that fails keeps the old model serving.
"""

from __future__ import annotations

import json
import logging
import math
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.concurrency import run_in_threadpool

from cfdetect._checks import loads_json
from cfdetect._version import __version__
from cfdetect.artifact import Trust, default_model_dir
from cfdetect.errors import InvalidListing
from cfdetect.schema import LISTING_COLUMNS
from cfdetect.scorer import Scorer, ScoreResult
from cfdetect.serve.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger("cfdetect.serve")

NDJSON_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/jsonlines"})
ExplainMode = Literal["flagged", "all", "none"]
_EXPLAIN: dict[str, Any] = {"flagged": True, "all": "all", "none": False}
_EXPLAIN_QUERY = Query(description="Reasons for the flagged listings, all or none.")
_ROUTES = frozenset(
    ("/v1/score", "/v1/score/batch", "/healthz", "/readyz", "/v1/model", "/metrics")
)


@dataclass(frozen=True)
class ServeConfig:
    """What ``create_app`` serves and its limits.

    Attributes
    ----------
    model_dir : Path, optional
        Model directory (default: the shipped ``models/default``).
    trust : bool, path or paths, optional
        As ``Scorer.load``'s ``trust``: loading a model runs code (SECURITY.md).
    max_batch : int
        Listings in one ``/v1/score/batch`` request (a JSON array or JSON Lines); more: 413.
    max_body_bytes : int
        Bytes of one request body; more: 413.
    """

    model_dir: Path | None = None
    trust: Any = None
    max_batch: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    sighup: bool = False  # reload on SIGHUP (cfdetect serve sets it; tests call reload())
    extra: dict[str, Any] = field(default_factory=dict)


class ModelHolder:
    """The scorer the service uses now; ``reload`` swaps it for a freshly loaded one."""

    def __init__(self, model_dir: Path | None, trust: Trust | None) -> None:
        self.model_dir = model_dir
        self.trust = trust
        self._lock = threading.Lock()  # one reload at a time
        self.scorer: Scorer = Scorer.load(model_dir, trust=trust)
        self.loaded_at = time.time()
        self.reloads = 0
        self.last_reload_error: str | None = None

    def reload(self) -> Scorer:
        """Load the model directory again (every check of ``Scorer.load``) and swap it in; on
        failure the current scorer keeps serving and the error is raised."""
        with self._lock:
            try:
                fresh = Scorer.load(self.model_dir, trust=self.trust)
            except Exception as exc:
                self.last_reload_error = f"{type(exc).__name__}: {exc}"
                raise
            self.scorer = fresh  # one reference assignment: atomic for every reader
            self.loaded_at = time.time()
            self.reloads += 1
            self.last_reload_error = None
            return fresh


# -- the OpenAPI models (documentation and response shapes) -------------------------------------

# JSON types a field's parser reads (the values themselves are checked by the parsers: 422)
_KIND_TYPES: dict[str, Any] = {
    "id": str | int,
    "title": str,
    "text": str,
    "currency": str,
    "condition": str,
    "country": str,
    "price": str | float,
    "float": float | str,
    "count": int | float | str,
    "rating": float | str,
    "bool": bool | int | str,
    "datetime": str | float,
}

Listing = create_model(  # type: ignore[call-overload]
    "Listing",
    __config__=ConfigDict(extra="allow"),
    __doc__="One listing: the canonical fields (docs: README, Input schema); values may be raw "
    'as exports write them ("US $1,549.00", "Shenzhen, China"). Unknown fields are ignored.',
    **{
        col.name: (
            (_KIND_TYPES[col.kind], ...) if col.required else (_KIND_TYPES[col.kind] | None, None)
        )
        for col in LISTING_COLUMNS
    },
)


class ReasonOut(BaseModel):
    code: str
    text: str
    weight: float


class ScoreOut(BaseModel):
    listing_id: str
    score: float = Field(description="Calibrated probability that the listing infringes (0..1).")
    decision: Literal["block", "review", "allow"]
    reasons: list[ReasonOut]
    in_favour: list[ReasonOut]
    model_sha256: str


class ErrorBody(BaseModel):
    field: str = Field(description="The field that could not be read (_body: the request).")
    reason: str


class ErrorOut(BaseModel):
    error: ErrorBody


class BatchItemError(BaseModel):
    index: int = Field(description="0-based position of the listing in the batch.")
    listing_id: str | None = None
    error: ErrorBody


class BatchOut(BaseModel):
    results: list[ScoreOut | BatchItemError]
    scored: int
    rejected: int
    model_sha256: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "Body or batch over the service's limits."},
    422: {"model": ErrorOut, "description": "A field that cannot be read, and why."},
}


class JSONOut(Response):
    """JSON with ASCII escapes (a lone surrogate in a listing cannot break the encoding) and
    ``repr`` floats (a score reads back as the same double)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


class _LineStream(Response):
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


def _error(status: int, fld: str, reason: str) -> JSONOut:
    return JSONOut({"error": {"field": fld, "reason": reason}}, status_code=status)


def _reasons(reasons: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{"code": r.code, "text": r.text, "weight": float(r.weight)} for r in reasons]


def result_json(result: ScoreResult, sha: str) -> dict[str, Any]:
    """One ``ScoreResult`` as the service writes it."""
    return {
        "listing_id": result.listing_id,
        "score": result.score,
        "decision": result.decision,
        "reasons": _reasons(result.reasons),
        "in_favour": _reasons(result.in_favour),
        "model_sha256": sha,
    }


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class _BodyTooLargeError(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def _score_item(
    scorer: Scorer, sha: str, item: Any, index: int, explain: Any, metrics: Metrics
) -> dict[str, Any]:
    """One batch item: its result, or its error (``index``, ``listing_id``, field and reason)."""
    if not isinstance(item, dict):
        metrics.reject("_row")
        return {
            "index": index,
            "listing_id": None,
            "error": {"field": "_row", "reason": "a listing is a JSON object of fields"},
        }
    try:
        result = scorer.score(item, explain=explain)
    except InvalidListing as exc:
        metrics.reject(exc.field)
        lid = item.get("listing_id")
        return {
            "index": index,
            "listing_id": None if lid is None else str(lid)[:200],
            "error": {"field": exc.field, "reason": exc.reason},
        }
    metrics.decision(result.decision)
    return result_json(result, sha)


class _MetricsMiddleware:
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
            route = path if path in _ROUTES else "other"
            self.metrics.request(route, status, time.perf_counter() - start)


def create_app(
    model_dir: str | Path | None = None,
    *,
    trust: Trust | None = None,
    max_batch: int = 1000,
    max_body_bytes: int = 8 * 1024 * 1024,
    sighup: bool = False,
) -> FastAPI:
    """The service's ASGI app, its model loaded (and checked) before this returns.

    Parameters
    ----------
    model_dir : str or Path, optional
        Model directory (default: the shipped ``models/default``).
    trust : bool, path or paths, optional
        As ``Scorer.load``: a model outside the trusted roots loads only when trusted.
    max_batch, max_body_bytes : int
        Limits of one request (413 past them).
    sighup : bool
        Install a SIGHUP handler that reloads the model (main thread only; ``cfdetect serve``).

    Raises
    ------
    ModelError
        The model directory cannot be used (as ``Scorer.load``).

    Examples
    --------
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> client = TestClient(create_app())  # doctest: +SKIP
    >>> listing = {"listing_id": "1", "title": "Rolex AAA clone", "price": 95, "seller_id": "s"}
    >>> client.post("/v1/score", json=listing).json()["decision"]  # doctest: +SKIP
    'review'
    """
    directory = Path(model_dir) if model_dir is not None else None
    holder = ModelHolder(directory, trust)
    metrics = Metrics()
    config = ServeConfig(directory, trust, int(max_batch), int(max_body_bytes), sighup)

    def reload_in_background(signum: int, frame: object) -> None:
        def work() -> None:
            try:
                holder.reload()
            except Exception as exc:  # keep serving the old model; say why
                metrics.inc("cfdetect_reloads_total", outcome="failed")
                log.error("model reload failed, the old model keeps serving: %s", exc)
            else:
                metrics.inc("cfdetect_reloads_total", outcome="ok")
                log.info("model reloaded: %s", holder.scorer.card.get("model_sha256", "?"))

        threading.Thread(target=work, name="cfdetect-reload", daemon=True).start()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if sighup and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGHUP, reload_in_background)
        yield

    app = FastAPI(
        title="cfdetect",
        version=__version__,
        description="Score marketplace listings for counterfeits (docs/serving.md).",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.metrics = metrics
    app.state.config = config
    app.add_middleware(_MetricsMiddleware, metrics=metrics)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONOut:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query")]
        return _error(422, ".".join(loc) or "_request", str(first.get("msg", "invalid request")))

    listing_body = {
        "required": True,
        "content": {"application/json": {"schema": Listing.model_json_schema()}},
    }
    batch_body = {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "array", "items": Listing.model_json_schema()}},
        },
        "description": "A JSON array of listings; or JSON Lines, one listing per line, with "
        "Content-Type application/x-ndjson (answered as JSON Lines, streamed).",
    }

    @app.post(
        "/v1/score",
        response_model=None,
        responses={200: {"model": ScoreOut}, **_ERRORS},
        openapi_extra={"requestBody": listing_body},
        summary="Score one listing",
    )
    async def score_one(
        request: Request,
        explain: Annotated[ExplainMode, _EXPLAIN_QUERY] = "flagged",
    ) -> Response:
        scorer = holder.scorer  # this request's model, whatever a reload does meanwhile
        try:
            body = await _read_body(request, config.max_body_bytes)
        except _BodyTooLargeError:
            return _error(413, "_body", f"the body is over {config.max_body_bytes:,} bytes")
        try:
            listing = loads_json(body)
        except ValueError as exc:
            return _error(422, "_body", f"not JSON: {exc}")
        if not isinstance(listing, dict):
            return _error(422, "_body", "a listing is a JSON object of fields")
        try:
            result = scorer.score(listing, explain=_EXPLAIN[explain])
        except InvalidListing as exc:
            metrics.reject(exc.field)
            return _error(422, exc.field, exc.reason)
        metrics.decision(result.decision)
        return JSONOut(result_json(result, str(scorer.card.get("model_sha256", ""))))

    @app.post(
        "/v1/score/batch",
        response_model=None,
        responses={200: {"model": BatchOut}, **_ERRORS},
        openapi_extra={"requestBody": batch_body},
        summary="Score many listings (JSON array, or JSON Lines streamed)",
    )
    async def score_batch(
        request: Request,
        explain: Annotated[ExplainMode, _EXPLAIN_QUERY] = "flagged",
    ) -> Response:
        scorer = holder.scorer
        sha = str(scorer.card.get("model_sha256", ""))
        how = _EXPLAIN[explain]
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in NDJSON_TYPES:
            return _LineStream(_stream(request, scorer, sha, how))
        try:
            body = await _read_body(request, config.max_body_bytes)
        except _BodyTooLargeError:
            return _error(413, "_body", f"the body is over {config.max_body_bytes:,} bytes")
        try:
            items = loads_json(body)
        except ValueError as exc:
            return _error(422, "_body", f"not JSON: {exc}")
        if not isinstance(items, list):
            return _error(422, "_body", "a batch is a JSON array of listings")
        if len(items) > config.max_batch:
            return _error(413, "_body", f"{len(items):,} listings; at most {config.max_batch:,}")

        def work() -> list[dict[str, Any]]:
            return [_score_item(scorer, sha, x, i, how, metrics) for i, x in enumerate(items)]

        results = await run_in_threadpool(work)
        rejected = sum(1 for r in results if "error" in r)
        return JSONOut(
            {
                "results": results,
                "scored": len(results) - rejected,
                "rejected": rejected,
                "model_sha256": sha,
            }
        )

    async def _stream(request: Request, scorer: Scorer, sha: str, how: Any) -> AsyncIterator[bytes]:
        """JSON Lines in, JSON Lines out: each line scored as it arrives (blank lines skipped);
        past a limit, one last line says so and the stream ends."""
        buffer, size, index = b"", 0, 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > config.max_body_bytes:
                yield _line({"error": {"field": "_body", "reason": "body over the limit"}})
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                if not raw.strip():
                    continue
                if index >= config.max_batch:
                    yield _line({"error": {"field": "_body", "reason": "batch over the limit"}})
                    return
                yield _line(_stream_item(scorer, sha, raw, index, how))
                index += 1
        if buffer.strip():
            if index >= config.max_batch:
                yield _line({"error": {"field": "_body", "reason": "batch over the limit"}})
                return
            yield _line(_stream_item(scorer, sha, buffer, index, how))

    def _stream_item(scorer: Scorer, sha: str, raw: bytes, index: int, how: Any) -> Any:
        try:
            item = loads_json(raw)
        except ValueError as exc:
            metrics.reject("_row")
            return {
                "index": index,
                "listing_id": None,
                "error": {"field": "_row", "reason": f"not JSON: {exc}"},
            }
        return _score_item(scorer, sha, item, index, how, metrics)

    @app.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="A model is loaded and serving")
    async def readyz() -> dict[str, Any]:
        scorer = holder.scorer
        return {
            "status": "ready",
            "model_sha256": str(scorer.card.get("model_sha256", "")),
            "loaded_at": holder.loaded_at,
            "reloads": holder.reloads,
            "last_reload_error": holder.last_reload_error,
        }

    @app.get("/v1/model", summary="The model card of the model serving now")
    async def model_card() -> Response:
        scorer = holder.scorer
        where = holder.model_dir if holder.model_dir is not None else default_model_dir()
        return JSONOut(
            {
                "model_dir": str(where),
                "pid": os.getpid(),
                "loaded_at": holder.loaded_at,
                "reloads": holder.reloads,
                "thresholds": {
                    "block": scorer.block_threshold,
                    "review": scorer.review_threshold,
                },
                "limits": {k: v for k, v in asdict(config).items() if k.startswith("max_")},
                "card": _finite(scorer.card),
            }
        )

    @app.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response)
    async def prometheus() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    return app


def _line(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n"


def app_from_env() -> FastAPI:
    """The app ``cfdetect serve`` runs in each uvicorn worker (a factory: the settings come from
    ``CFDETECT_SERVE_SETTINGS``, set by ``cfdetect serve``, as JSON)."""
    if threading.current_thread() is threading.main_thread():  # until the model is loaded:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a reload then would load the same files
    settings = json.loads(os.environ.get("CFDETECT_SERVE_SETTINGS", "{}"))
    trust = settings.get("trust")
    return create_app(
        settings.get("model_dir"),
        trust=trust if trust else None,
        max_batch=int(settings.get("max_batch", 1000)),
        max_body_bytes=int(settings.get("max_body_bytes", 8 * 1024 * 1024)),
        sighup=True,
    )
