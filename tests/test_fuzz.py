"""Hostile input: property and fuzz tests of the scorer, the parsers, validation and the readers.

Counterfeiters write the titles; exports arrive broken. Each property states what must hold for
*any* input: ``Scorer.score`` returns a score in [0, 1] or raises ``InvalidListing``; a parser
returns a value or raises ``ParseError``; validation puts every row in exactly one place; a
reader yields chunks or raises ``InputError``/``UsageError``; ``score_file`` writes complete
outputs or nothing.

Budgets: every property runs ``EXAMPLES`` examples (default 200; ``CFDETECT_FUZZ_EXAMPLES=2000
pytest tests/test_fuzz.py`` for a long run), the validation property half and the end-to-end
``score_file`` property a quarter of that. The in-memory properties have a deadline of
``DEADLINE`` per example, which catches catastrophic regex backtracking on hostile text without
flaking on a loaded machine; the file-based ones have none. ``make test`` spends about a minute
here on two cores.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfdetect import _parsers as p
from cfdetect import batch
from cfdetect._parsers import ParseError
from cfdetect.errors import InputError, InvalidListing, UsageError
from cfdetect.io import read_chunks
from cfdetect.schema import COLUMN_NAMES, REJECT_COLUMNS, Validator
from cfdetect.scorer import DECISIONS, Scorer
from cfdetect.validate import ValidationReport, iter_valid_chunks


def listing(**overrides: Any) -> dict[str, Any]:
    """One valid listing (as ``conftest.listing``); keyword arguments override fields."""
    row: dict[str, Any] = {
        "listing_id": "L1",
        "title": "Rolex Submariner Date 41mm Black Dial 126610LN",
        "price": "US $9,150.00",
        "seller_id": "watch_shop",
        "brand": "Rolex",
        "category": "watches",
        "seller_rating": "4.9",
        "created_at": "2025-03-01T10:00:00Z",
    }
    return {**row, **overrides}


EXAMPLES = int(os.environ.get("CFDETECT_FUZZ_EXAMPLES", "200"))
DEADLINE = dt.timedelta(seconds=2)
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------------------- strategies

TRICKY_TEXT = [
    "\u202eRolex\u202c Submariner",  # right-to-left override
    "ساعة رولكس أصلية",  # Arabic
    "שעון רולקס מקורי",  # Hebrew
    "Rolex ⌚️🙂👜 AAA 1:1",  # emoji
    "R\u200bo\u200bl\u200be\u200bx",  # zero-width spaces between letters
    "\ud800",  # a lone surrogate (from a JSON escape)
    "\x00\x1b[31m\x07\x08",  # NUL, an ANSI escape, bell, backspace
    '=HYPERLINK("http://evil.example","Rolex")',
    "N/A",
    "1e309",
    "-inf",
    "nan",
    "０１２３",  # full-width digits
    "٣٤٥",  # Arabic-Indic digits
    "US $1,549.00 - US $2,000.00",
    "\r\n\t",
]
TEXT = st.one_of(
    st.text(max_size=60),  # any code point but surrogates: scripts, symbols, emoji
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=30),
    st.text(alphabet="0123456789.,' $€£¥₽%-+eE kK/()~to", max_size=30),
    st.sampled_from(TRICKY_TEXT),
    # long repetitions, up to about 1 MB: 1 MB titles and regex backtracking bait
    st.tuples(st.text(min_size=1, max_size=6), st.integers(1_000, 170_000)).map(
        lambda t: t[0] * t[1]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**400, -(10**400), 2**63, 2**64]),  # past float and int64 (and see
    # test_hardening for ints past Python's 4,300-digit str() limit, which hypothesis cannot show)
    st.floats(),  # NaN, infinities, -0.0, subnormals, 1e308
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([np.float64("nan"), np.int64(-7), np.uint64(2**64 - 1), np.float32(3.5)]),
)
OTHER_TYPES = st.one_of(
    st.none(),
    st.booleans(),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers()),
    st.datetimes(),
    st.dates(),
    st.sampled_from([pd.NaT, pd.NA, pd.Timestamp("2025-03-01", tz="Asia/Tokyo"), np.bool_(True)]),
)
HOSTILE = st.one_of(TEXT, NUMBERS, OTHER_TYPES)
FIELDS = st.one_of(st.sampled_from(COLUMN_NAMES), st.text(max_size=12))


@pytest.fixture(scope="module")
def scorer(model_dir: Path) -> Scorer:
    return Scorer.load(model_dir)


def _check_result(scorer: Scorer, record: dict[Any, Any]) -> None:
    try:
        result = scorer.score(record)
    except InvalidListing as exc:
        assert exc.field and exc.reason  # names the field and says why
        return
    assert math.isfinite(result.score) and 0.0 <= result.score <= 1.0
    assert result.decision in DECISIONS
    assert all(isinstance(str(reason), str) for reason in result.reasons)


# ------------------------------------------------------------------------------- Scorer.score


@BUDGET
@given(record=st.dictionaries(FIELDS, HOSTILE, max_size=25))
def test_score_any_mapping_returns_or_raises_invalid_listing(
    scorer: Scorer, record: dict[str, Any]
) -> None:
    _check_result(scorer, record)


@BUDGET
@given(changes=st.dictionaries(st.sampled_from(COLUMN_NAMES), HOSTILE, min_size=1, max_size=4))
def test_score_valid_listing_with_hostile_fields(scorer: Scorer, changes: dict[str, Any]) -> None:
    """Starting from a valid listing, so that the hostile values reach the features."""
    _check_result(scorer, {**listing(), **changes})


READABLE = st.characters(exclude_characters="\ufffd")  # U+FFFD marks undecodable bytes
PLAUSIBLE = st.fixed_dictionaries(
    {
        "title": st.text(READABLE, min_size=1, max_size=1_000).filter(
            lambda t: t.strip() and t.strip().casefold() not in p.NA_MARKERS
        ),
        "description": st.text(READABLE, max_size=3_000),
        "price": st.floats(min_value=0.01, max_value=9e6),
        "brand": st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["Rolex", "gucci"])),
        "seller_age_days": st.floats(min_value=0, max_value=1e7),
        "seller_rating": st.floats(min_value=0, max_value=5),
        "seller_n_ratings": st.integers(min_value=0, max_value=10**12),
        "quantity": st.integers(min_value=0, max_value=10**12),
        "seller_gmv_90d": st.floats(min_value=0, max_value=1e300),
    }
)


@BUDGET
@given(fields=PLAUSIBLE)
def test_extreme_but_valid_listings_get_a_score(scorer: Scorer, fields: dict[str, Any]) -> None:
    """Values at the edges of what the schema accepts are scored, never rejected or crashed."""
    result = scorer.score({**listing(), **fields})
    assert math.isfinite(result.score) and 0.0 <= result.score <= 1.0


# ------------------------------------------------------------------------------- parsers

PARSERS = [
    p.parse_price, p.parse_number, p.parse_count, p.parse_rating, p.parse_percentage,
    p.parse_bool, p.parse_datetime, p.parse_currency, p.parse_country, p.parse_condition,
    p.parse_float, p.percent_to_rating,
]  # fmt: skip
PARSER_INPUT = HOSTILE


@pytest.mark.parametrize("parser", PARSERS, ids=lambda f: f.__name__)
@BUDGET
@given(raw=PARSER_INPUT)
def test_parsers_return_a_value_or_a_reason(
    parser: Callable[[object], object], raw: object
) -> None:
    try:
        value = parser(raw)
    except ParseError as exc:
        assert str(exc)
        return
    if isinstance(value, float):
        assert math.isfinite(value)


# ------------------------------------------------------------------------------- validation

FILE_VALUES = st.one_of(  # what CSV, JSON Lines and Parquet readers hand to validation
    TEXT.map(lambda s: s.replace("\ud800", "\ufffd")),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.none(),
)


@settings(BUDGET, max_examples=max(10, EXAMPLES // 2))  # a validation costs ~50 ms
@given(
    rows=st.lists(
        st.dictionaries(st.sampled_from([*COLUMN_NAMES, "extra"]), FILE_VALUES, max_size=8),
        min_size=1,
        max_size=6,
    )
)
def test_validation_puts_every_row_in_one_place(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame([{**listing(listing_id=f"L{i}"), **r} for i, r in enumerate(rows)])
    result = Validator().validate(frame.astype(object))
    assert len(result.rows) + len(result.rejects) == len(frame)
    assert list(result.rejects.columns) == list(REJECT_COLUMNS)
    assert result.rejects["reason"].map(lambda r: isinstance(r, str) and r != "").all()


# ------------------------------------------------------------------------------- readers


def _seed_rows() -> pd.DataFrame:
    titles = [t.replace("\ud800", "\ufffd") for t in TRICKY_TEXT]  # Parquet text is UTF-8
    rows = [listing(listing_id=f"L{i}", title=titles[i % len(titles)]) for i in range(24)]
    rows[5]["price"] = "ask"  # a reject
    rows[9]["listing_id"] = "L2"  # a repeated id
    return pd.DataFrame(rows)


def _encode(kind: str) -> bytes:
    frame = _seed_rows()
    if kind.startswith("csv"):
        data = frame.to_csv(index=False).encode("utf-8")
    elif kind.startswith("tsv"):
        data = frame.to_csv(index=False, sep="\t").encode("utf-8")
    elif kind.startswith("jsonl"):
        data = frame.to_json(orient="records", lines=True).encode("utf-8")
    else:
        buffer = io.BytesIO()
        frame.astype(str).to_parquet(buffer, index=False, row_group_size=5)
        data = buffer.getvalue()
    return gzip.compress(data, mtime=0) if kind.endswith(".gz") else data


KINDS = ["csv", "tsv", "jsonl", "parquet", "csv.gz", "jsonl.gz"]
SEEDS = {kind: _encode(kind) for kind in KINDS}


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file of some format with a few bytes flipped, inserted, deleted or cut off."""
    kind = draw(st.sampled_from(KINDS))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return kind, bytes(data)


RANDOM_FILES = st.tuples(st.sampled_from(KINDS), st.binary(max_size=2_000))


def _read_and_validate(path: Path) -> None:
    """Read a file in small chunks through validation: every row ends in one place."""
    report = ValidationReport(str(path))
    valid = sum(len(rows) for rows in iter_valid_chunks(path, chunk_size=7, report=report))
    assert valid == report.valid and report.valid + report.rejected == report.rows_read
    raw = sum(chunk.n_rows for chunk in read_chunks(path, chunk_size=7))
    assert raw == report.rows_read


FILE_BUDGET = settings(BUDGET, deadline=None)  # file I/O on a shared machine: no deadline


@FILE_BUDGET
@given(case=st.one_of(mutated_files(), RANDOM_FILES))
def test_readers_read_or_refuse_any_bytes(tmp_path_factory: pytest.TempPathFactory, case) -> None:  # type: ignore[no-untyped-def]
    kind, data = case
    path = tmp_path_factory.mktemp("fuzz") / f"input.{kind}"
    path.write_bytes(data)
    try:
        _read_and_validate(path)
    except (InputError, UsageError) as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)


@settings(FILE_BUDGET, max_examples=max(10, EXAMPLES // 4))
@given(case=mutated_files())
def test_score_file_writes_everything_or_nothing(
    scorer: Scorer, tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]
) -> None:
    """End to end: a damaged input scores completely (every row scored or rejected) or fails
    with one line and leaves no file behind."""
    kind, data = case
    folder = tmp_path_factory.mktemp("score")
    source = folder / f"input.{kind}"
    source.write_bytes(data)
    out, rejects = folder / "scored.csv", folder / "rejects.jsonl"
    with mock.patch.object(batch.Scorer, "load", return_value=scorer):
        try:
            report = batch.score_file(source, out, rejects=rejects, chunk_size=7)
        except (InputError, UsageError) as exc:
            assert "\n" not in str(exc)
            assert sorted(f.name for f in folder.iterdir()) == [source.name]
            return
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(scored) + len(rejected) == report.validation.rows_read
    assert sorted(f.name for f in folder.iterdir()) == sorted([source.name, out.name, rejects.name])
