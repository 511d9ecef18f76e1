"""The service's OpenAPI models: the listing a request sends, the shapes of the answers and of
the errors, and the request bodies the routes document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from cfdetect.schema import LISTING_COLUMNS

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


ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "Body or batch over the service's limits."},
    422: {"model": ErrorOut, "description": "A field that cannot be read, and why."},
}
"""The error answers every scoring route documents."""


def listing_body() -> dict[str, Any]:
    """The OpenAPI request body of ``POST /v1/score``: one listing."""
    return {
        "required": True,
        "content": {"application/json": {"schema": Listing.model_json_schema()}},
    }


def batch_body() -> dict[str, Any]:
    """The OpenAPI request body of ``POST /v1/score/batch``: a JSON array, or JSON Lines."""
    return {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "array", "items": Listing.model_json_schema()}},
        },
        "description": "A JSON array of listings; or JSON Lines, one listing per line, with "
        "Content-Type application/x-ndjson (answered as JSON Lines, streamed).",
    }
