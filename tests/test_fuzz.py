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

import csv
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
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cfdetect import _parsers as p
from cfdetect._parsers import ParseError
from cfdetect.errors import InputError, InvalidListing, UsageError
from cfdetect.io import (
    _PLAIN_NUMBER,
    FORMULA_BLANKS,
    FORMULA_STARTS,
    delimited_text,
    escape_formula,
    open_writer,
    read_chunks,
)
from cfdetect.schema import COLUMN_NAMES, REJECT_COLUMNS, Validator
from cfdetect.scorer import DECISIONS, Scorer
from cfdetect.scoring import local as scoring_local
from cfdetect.validate import ValidationReport, iter_valid_chunks, validate_file


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
    with mock.patch.object(scoring_local.Scorer, "load", return_value=scorer):
        try:
            report = scoring_local.score_file(source, out, rejects=rejects, chunk_size=7)
        except (InputError, UsageError) as exc:
            assert "\n" not in str(exc)
            assert sorted(f.name for f in folder.iterdir()) == [source.name]
            return
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(scored) + len(rejected) == report.validation.rows_read
    assert sorted(f.name for f in folder.iterdir()) == sorted([source.name, out.name, rejects.name])


# ------------------------------------------------------------------------------- CSV/TSV writers

CELL_PIECES = [
    "\r", "\n", "\r\n", '"', "'", ",", "\t", ";", "|", "\x00", " ", "\xa0", "=", "+", "-", "@",
    "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\ufeff", "\u2028", "\x1b[31m", "\x85",
    "=cmd|' /C calc'!A0", "-12.5", "+1e5", "1", "Rolex", "NA", "nan", "",
]  # fmt: skip
CELL_TEXT = st.one_of(
    st.lists(st.sampled_from(CELL_PIECES), max_size=8).map("".join),
    st.text(max_size=20),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=10),
)


def _read_delimited(path: Path, sep: str) -> list[list[str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter=sep))


def _check_cell(shown: str, original: str, escape: bool) -> None:
    """The text back exactly; with escaping, a formula gets one leading quote and no cell shown
    starts (after spaces, NBSP and NUL) with a formula starter unless it is a plain number."""
    assert shown == _shown(original, escape), (shown, original)
    if escape:
        head = shown.lstrip(FORMULA_BLANKS)
        assert not head.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(head), repr(shown)
        assert shown in (original, "'" + original)


def _shown(original: str, escape: bool) -> str:
    return escape_formula(original) if escape else original


def _check_file(
    path: Path, sep: str, names: list[str], rows: list[list[str]], escape: bool
) -> None:
    """``path`` holds exactly ``names`` and ``rows`` (as Python's csv module and pandas read
    it), or their formula-escaped text."""
    back = _read_delimited(path, sep)
    assert len(back) == len(rows) + 1 and all(len(r) == len(names) for r in back)
    for shown, original in zip(back[0], names, strict=True):
        _check_cell(shown, original, escape)
    for row_back, row in zip(back[1:], rows, strict=True):
        for shown, original in zip(row_back, row, strict=True):
            _check_cell(shown, original, escape)
    table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
    assert table.shape == (len(rows), len(names))
    assert table.to_numpy().tolist() == [r for r in back[1:]]


@st.composite
def text_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    width = draw(st.integers(1, 4))
    names = draw(st.lists(CELL_TEXT, min_size=width, max_size=width, unique=True))
    # pandas names an empty header cell "Unnamed: i" and drops a BOM that opens the file (the
    # first name of every output cfdetect writes is its own: listing_id, row_number)
    assume(all(n.strip() for n in names) and not names[0].startswith("\ufeff"))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=width, max_size=width), max_size=6))
    return names, rows


@FILE_BUDGET
@given(
    table=text_tables(),
    name=st.sampled_from(["out.csv", "out.tsv", "out.csv.gz"]),
    escape=st.booleans(),
    split=st.integers(0, 6),
)
def test_delimited_writer_round_trips_any_text(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[list[str]]],
    name: str,
    escape: bool,
    split: int,
) -> None:
    """Every CSV/TSV output (scored rows, rejects of validate, score, evaluate) is written by
    ``TableWriter`` through ``delimited_text``: any cell text (CR, LF, quotes, delimiters, NUL,
    formula starters, bidi controls, NBSP, leading spaces) comes back in its own cell."""
    names, rows = table
    path = tmp_path_factory.mktemp("writer") / name
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    with open_writer(path, escape_formulas=escape) as writer:
        writer.write(frame.iloc[:split])  # a chunk may be empty; the header comes first
        writer.write(frame.iloc[split:])
    _check_file(path, "\t" if ".tsv" in name else ",", names, rows, escape)


@settings(FILE_BUDGET, max_examples=max(10, EXAMPLES // 4))
@given(
    ids=st.lists(CELL_TEXT, min_size=1, max_size=5),
    note=st.tuples(CELL_TEXT, CELL_TEXT),
    kind=st.sampled_from(["csv", "tsv"]),
    escape=st.booleans(),
)
def test_score_and_validate_outputs_round_trip_any_text(
    scorer: Scorer,
    tmp_path_factory: pytest.TempPathFactory,
    ids: list[str],
    note: tuple[str, str],
    kind: str,
    escape: bool,
) -> None:
    """End to end: hostile listing ids and a carried column (name and values) come back in
    their cells of the scored output and the rejects files of ``score`` and ``validate``."""
    note_name, note_value = note
    # the reader strips header names (as pandas does not): " x " is read as "x"
    assume(note_name == note_name.strip() != "" and note_name not in COLUMN_NAMES)
    assume("\ufffd" not in "".join([*ids, *note]) and "\x00" not in note_name)
    assume(not note_name.startswith("\ufeff"))  # a BOM that opens a file is not text
    folder = tmp_path_factory.mktemp("e2e")
    sep = "\t" if kind == "tsv" else ","
    rows = [listing(listing_id=i) for i in ids] + [listing(listing_id=ids[0], price="ask")]
    source = folder / f"in.{kind}"
    frame = pd.DataFrame(rows).assign(**{note_name: note_value})
    source.write_text(delimited_text(frame, sep), encoding="utf-8", newline="")
    out, rejects = folder / f"scored.{kind}", folder / f"rejects.{kind}"
    with mock.patch.object(scoring_local.Scorer, "load", return_value=scorer):
        report = scoring_local.score_file(source, out, rejects=rejects, escape_formulas=escape)
    checked = validate_file(
        source, rejects_path=folder / f"validate.{kind}", escape_formulas=escape
    )
    assert checked.rejected == report.validation.rejected >= 1
    back = _read_delimited(out, sep)
    assert len(back) == report.scored + 1
    column = back[0].index(_shown(note_name, escape))
    for row in back[1:]:
        _check_cell(row[column], note_value, escape)
    table = pd.read_csv(out, sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
    assert table.to_numpy().tolist() == back[1:]
    chunk = next(read_chunks(source))
    expected = Validator().validate(chunk.frame, chunk.row_numbers, chunk.broken).rejects
    cells = expected.astype(object).where(expected.notna(), "").astype(str)
    for path in (rejects, folder / f"validate.{kind}"):  # every cell: ids, reasons, raw rows
        _check_file(path, sep, list(REJECT_COLUMNS), cells.to_numpy().tolist(), escape)
