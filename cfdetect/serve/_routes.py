"""The service's routes: scoring one listing or a batch (a JSON array, or JSON Lines streamed
both ways), and the status routes (health, readiness, the model card, metrics).

Each route finds what it serves on ``request.app.state`` (set by ``create_app``): ``holder``
(the ``ModelHolder``), ``config`` (the ``ServeConfig``) and ``metrics``. A request takes the
scorer the holder has when it starts and finishes on it, whatever a reload does meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from cfdetect._checks import loads_json
from cfdetect.artifact import default_model_dir
from cfdetect.errors import InvalidListing
from cfdetect.scorer import Scorer, ScoreResult
from cfdetect.serve._http import (
    NDJSON_TYPES,
    BodyTooLargeError,
    JSONOut,
    LineStream,
    error,
    finite,
    line,
    read_body,
)
from cfdetect.serve._schemas import ERRORS, BatchOut, ScoreOut, batch_body, listing_body
from cfdetect.serve.metrics import CONTENT_TYPE, Metrics

ExplainMode = Literal["flagged", "all", "none"]
_EXPLAIN: dict[str, Any] = {"flagged": True, "all": "all", "none": False}
_EXPLAIN_QUERY = Query(description="Reasons for the flagged listings, all or none.")

router = APIRouter()
"""Every route, in the order the OpenAPI schema lists them; ``create_app`` includes it."""


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


def _sha(scorer: Scorer) -> str:
    return str(scorer.card.get("model_sha256", ""))


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONOut:
    """A query or body FastAPI itself rejects: 422 with the first problem's field and reason."""
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query")]
    return error(422, ".".join(loc) or "_request", str(first.get("msg", "invalid request")))


# -- scoring -------------------------------------------------------------------------------------


@router.post(
    "/v1/score",
    response_model=None,
    responses={200: {"model": ScoreOut}, **ERRORS},
    openapi_extra={"requestBody": listing_body()},
    summary="Score one listing",
)
async def score_one(
    request: Request,
    explain: Annotated[ExplainMode, _EXPLAIN_QUERY] = "flagged",
) -> Response:
    state = request.app.state
    scorer = state.holder.scorer  # this request's model, whatever a reload does meanwhile
    limit = state.config.max_body_bytes
    try:
        body = await read_body(request, limit)
    except BodyTooLargeError:
        return error(413, "_body", f"the body is over {limit:,} bytes")
    try:
        listing = loads_json(body)
    except ValueError as exc:
        return error(422, "_body", f"not JSON: {exc}")
    if not isinstance(listing, dict):
        return error(422, "_body", "a listing is a JSON object of fields")
    try:
        result = scorer.score(listing, explain=_EXPLAIN[explain])
    except InvalidListing as exc:
        state.metrics.reject(exc.field)
        return error(422, exc.field, exc.reason)
    state.metrics.decision(result.decision)
    return JSONOut(result_json(result, _sha(scorer)))


@router.post(
    "/v1/score/batch",
    response_model=None,
    responses={200: {"model": BatchOut}, **ERRORS},
    openapi_extra={"requestBody": batch_body()},
    summary="Score many listings (JSON array, or JSON Lines streamed)",
)
async def score_batch(
    request: Request,
    explain: Annotated[ExplainMode, _EXPLAIN_QUERY] = "flagged",
) -> Response:
    state = request.app.state
    scorer, config, metrics = state.holder.scorer, state.config, state.metrics
    sha = _sha(scorer)
    how = _EXPLAIN[explain]
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in NDJSON_TYPES:
        return LineStream(_stream(request, scorer, sha, how))
    try:
        body = await read_body(request, config.max_body_bytes)
    except BodyTooLargeError:
        return error(413, "_body", f"the body is over {config.max_body_bytes:,} bytes")
    try:
        items = loads_json(body)
    except ValueError as exc:
        return error(422, "_body", f"not JSON: {exc}")
    if not isinstance(items, list):
        return error(422, "_body", "a batch is a JSON array of listings")
    if len(items) > config.max_batch:
        return error(413, "_body", f"{len(items):,} listings; at most {config.max_batch:,}")

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


async def _stream(request: Request, scorer: Scorer, sha: str, how: Any) -> AsyncIterator[bytes]:
    """JSON Lines in, JSON Lines out: each line scored as it arrives (blank lines skipped);
    past a limit, one last line says so and the stream ends."""
    config, metrics = request.app.state.config, request.app.state.metrics
    buffer, size, index = b"", 0, 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > config.max_body_bytes:
            yield line({"error": {"field": "_body", "reason": "body over the limit"}})
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            if not raw.strip():
                continue
            if index >= config.max_batch:
                yield line({"error": {"field": "_body", "reason": "batch over the limit"}})
                return
            yield line(_stream_item(scorer, sha, raw, index, how, metrics))
            index += 1
    if buffer.strip():
        if index >= config.max_batch:
            yield line({"error": {"field": "_body", "reason": "batch over the limit"}})
            return
        yield line(_stream_item(scorer, sha, buffer, index, how, metrics))


def _stream_item(
    scorer: Scorer, sha: str, raw: bytes, index: int, how: Any, metrics: Metrics
) -> dict[str, Any]:
    """One JSON Lines line: its result, or its error (a line that is not JSON included)."""
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


# -- status --------------------------------------------------------------------------------------


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="A model is loaded and serving")
async def readyz(request: Request) -> dict[str, Any]:
    holder = request.app.state.holder
    return {
        "status": "ready",
        "model_sha256": _sha(holder.scorer),
        "loaded_at": holder.loaded_at,
        "reloads": holder.reloads,
        "last_reload_error": holder.last_reload_error,
    }


@router.get("/v1/model", summary="The model card of the model serving now")
async def model_card(request: Request) -> Response:
    holder, config = request.app.state.holder, request.app.state.config
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
            "card": finite(scorer.card),
        }
    )


@router.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response)
async def prometheus(request: Request) -> Response:
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
