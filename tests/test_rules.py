"""One rule table: the batch ``Validator`` and the single-listing ``parse_record`` agree.

Random records go through both paths; both must accept the same ones and reject the others
naming the same field with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfdetect import _rules
from cfdetect._parsers import USD_PER_UNIT
from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.errors import InvalidListing
from cfdetect.schema import Validator, parse_record
from cfdetect.validate import validate_file

MISSING = [None, "", " ", "N/A", "null"]
TEXTS = ["Rolex Submariner", " padded ", "caf\ufffd", "t" * 1_001, 7, 12.0, 12.5, True]
PRICES = [
    10, 10.5, "10", "US $1,549.00", "1.549,00 €", "12.50 EUR", "£90,000,000", 90_000_000,
    99_999_999.0, 5e7, 1e8, 0, "0", 0.0, -5, "-5", "abc", float("inf"), "$10 - $20", "¥500",
    "$ 540", True, "1,2",
]  # fmt: skip
CURRENCIES = ["USD", "GBP", "eur", "£", "JPY", "XXX", 5, " usd "]
COUNTS = [3, "3", "1,204", -1, 2.5, "2.5", "1k", "abc", 1e13, 0, True]
FLOATS = [10, "10.5", -1, "x", float("inf"), 0.0, True, False]
RATINGS = [4.5, "4.5", 6, "98%", -1, "4.9/5", 5, True]
STAMPS = [
    "2025-03-01T10:00:00Z", "2025-02-30T10:00:00Z", "1980-01-01", "01/02/2025", "03/04/2025",
    1_700_000_000, "garbage", pd.Timestamp("2025-03-01", tz="UTC"), "2025-03-01 10:00",
]  # fmt: skip
CONDITIONS = ["new", "Used", "weird", 3]
COUNTRIES = ["US", "cn", "Germany", "Narnia", 5, "Shenzhen, China"]
BOOLS = [0, 1, "yes", "maybe", True]


def _field(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(MISSING + values)


KINDS: dict[str, list[Any]] = {
    "listing_id": ["a1", 12, 12.0, 12.5, "bad\ufffd"],
    "title": TEXTS,
    "price": PRICES,
    "seller_id": ["s1", 7],
    "description": TEXTS,
    "currency": CURRENCIES,
    "condition": CONDITIONS,
    "quantity": COUNTS,
    "ships_from": COUNTRIES,
    "seller_age_days": FLOATS,
    "seller_rating": RATINGS,
    "seller_n_ratings": COUNTS,
    "seller_gmv_90d": FLOATS,
    "created_at": STAMPS,
    "is_counterfeit": BOOLS,
    "reported_at": STAMPS,
}
REQUIRED = ("listing_id", "title", "price", "seller_id")
RECORDS = st.fixed_dictionaries(
    {name: _field(KINDS[name]) for name in REQUIRED},
    optional={name: _field(values) for name, values in KINDS.items() if name not in REQUIRED},
)


def batch_outcome(record: dict[str, Any]) -> tuple[str, ...]:
    """What ``Validator`` makes of one record: ("ok",) or ("reject", field, reason)."""
    result = Validator().validate(pd.DataFrame([record]))
    if result.rejects.empty:
        return ("ok",)
    reject = result.rejects.iloc[0]
    return ("reject", reject["field"], reject["reason"])


def record_outcome(record: dict[str, Any]) -> tuple[str, ...]:
    """What ``parse_record`` makes of one record: ("ok",) or ("reject", field, reason)."""
    try:
        parse_record(record)
    except InvalidListing as exc:
        return ("reject", exc.field, exc.reason)
    return ("ok",)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=RECORDS)
def test_validator_and_parse_record_agree(record: dict[str, Any]) -> None:
    assert batch_outcome(record) == record_outcome(record)


@pytest.mark.parametrize(
    ("price", "currency", "reason"),
    [
        (90_000_000, "GBP", _rules.price_problem(90_000_000, USD_PER_UNIT["GBP"])),
        ("90000000", "GBP", _rules.price_problem(90_000_000, USD_PER_UNIT["GBP"])),
        ("£90,000,000", None, _rules.price_problem(90_000_000, USD_PER_UNIT["GBP"])),
        (0, None, _rules.price_problem(0, USD_PER_UNIT["USD"])),
        ("0", None, _rules.price_problem(0, USD_PER_UNIT["USD"])),
        (-5, "EUR", _rules.price_problem(-5, USD_PER_UNIT["EUR"])),
        (1e8, None, _rules.price_problem(1e8, USD_PER_UNIT["USD"])),
    ],
)
def test_out_of_range_prices_rejected_alike(price: object, currency: object, reason: str) -> None:
    record = {"listing_id": "a", "title": "t", "price": price, "seller_id": "s"}
    if currency is not None:
        record["currency"] = currency
    assert reason is not None
    assert batch_outcome(record) == record_outcome(record) == ("reject", "price", reason)


@pytest.mark.parametrize(
    ("amount", "currency", "ok"),
    [(99_999_999.0, "USD", True), (78_000_000, "GBP", True), (79_000_000, "GBP", False),
     (1e8, "JPY", False), (9.9e7, "JPY", True), (0.01, "USD", True), (0, "USD", False)],
)  # fmt: skip
def test_price_rule(amount: float, currency: str, ok: bool) -> None:
    assert (_rules.price_problem(amount, USD_PER_UNIT[currency]) is None) is ok


# -- one formula-escaping setting -----------------------------------------------------------------


@pytest.mark.parametrize("escape", [None, True, False])
def test_validate_file_escapes_like_the_cli(
    tmp_path: Path, make_listings: Callable[..., pd.DataFrame], escape: bool | None
) -> None:
    """``validate_file`` and ``cfdetect validate`` share one setting and its default (on)."""
    from typer.testing import CliRunner

    from cfdetect.cli import app

    source = tmp_path / "in.csv"
    make_listings(2, price="0").assign(listing_id=["=HYPERLINK(1)", "@x"]).to_csv(
        source, index=False
    )
    api, cli = tmp_path / "api.csv", tmp_path / "cli.csv"
    options = {} if escape is None else {"escape_formulas": escape}
    validate_file(source, rejects_path=api, **options)
    flag = [] if escape is None else ["--escape-formulas" if escape else "--no-escape-formulas"]
    args = ["validate", str(source), "--rejects", str(cli), "--max-reject-rate", "1", *flag]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert api.read_bytes() == cli.read_bytes()
    escaped = "'=HYPERLINK(1)" in api.read_text()
    assert escaped is (ESCAPE_FORMULAS if escape is None else escape)
    assert ESCAPE_FORMULAS is True
