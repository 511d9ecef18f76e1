"""Validation: typed rows and rejects, and the accounting invariant valid + rejected == read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, UsageError
from cfdetect.schema import REJECT_COLUMNS, Validator
from cfdetect.validate import ValidationReport, iter_valid_chunks, validate_file


def test_valid_rows_are_typed(make_listings: Callable[..., pd.DataFrame]) -> None:
    result = Validator().validate(make_listings(2))
    rows = result.rows
    assert result.rejects.empty
    assert rows["price"].tolist() == [9150.0, 9150.0]
    assert rows["currency"].tolist() == ["USD", "USD"]
    assert str(rows["seller_n_ratings"].dtype) == "Int64" and rows["seller_n_ratings"][0] == 1204
    assert str(rows["created_at"].dtype) == "datetime64[us, UTC]"
    assert rows["condition"].tolist() == ["new", "new"]
    assert rows["row_number"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"title": "   "}, "title", "title is empty"),
        ({"title": "x" * 1_048_576}, "title", "1,048,576 characters"),
        ({"price": "N/A"}, "price", "price is empty"),
        ({"price": "0"}, "price", "greater than 0"),
        ({"price": "$10 - $20"}, "price", "range"),
        ({"seller_id": ""}, "seller_id", "seller_id is empty"),
        ({"seller_rating": "97%"}, "seller_rating", "percent_to_rating"),
        ({"seller_n_ratings": "2.5"}, "seller_n_ratings", "whole number"),
        ({"created_at": "03/04/2025"}, "created_at", "day/month"),
        ({"currency": "XYZ"}, "currency", "not a currency"),
        ({"currency": "EUR"}, "price", "currency column says EUR"),
        ({"title": "caf\ufffd"}, "title", "encoding"),
    ],
)
def test_rejects_name_field_and_reason(
    make_listings: Callable[..., pd.DataFrame], overrides: dict[str, str], field: str, fragment: str
) -> None:
    raw = make_listings(3)
    for key, value in overrides.items():
        raw.loc[1, key] = value
    result = Validator().validate(raw)
    assert len(result.rows) == 2 and len(result.rejects) == 1
    reject = result.rejects.iloc[0]
    assert list(result.rejects.columns) == list(REJECT_COLUMNS)
    assert reject["row_number"] == 2 and reject["listing_id"] == "L2"
    assert reject["field"] == field and fragment in reject["reason"]


def test_duplicate_ids_rejected_after_first_across_chunks(
    make_listings: Callable[..., pd.DataFrame],
) -> None:
    validator = Validator()
    first = validator.validate(make_listings(3))
    second = validator.validate(make_listings(2))  # L1, L2 again, in a later chunk
    assert len(first.rows) == 3 and len(second.rows) == 0
    assert second.rejects["row_number"].tolist() == [4, 5]
    assert set(second.rejects["field"]) == {"listing_id"}


def test_duplicate_of_rejected_row_is_kept(make_listings: Callable[..., pd.DataFrame]) -> None:
    raw = make_listings(2)
    raw["listing_id"] = ["A", "A"]
    raw.loc[0, "price"] = "-1"
    result = Validator().validate(raw)
    assert result.rows["row_number"].tolist() == [2]


def test_ebay_preset_reads_messy_values() -> None:
    raw = pd.DataFrame(
        {
            "": ["0"],
            "URL": ["http://www.ebay.com/itm/x/331743359848"],
            "Seller": ["mdi240"],
            "Title": ["New! HARMONIC Scalpel Hand Piece HP054 for Ethicon GEN4"],
            "Price": ["US $1,549.00"],
            "Number of Reviews": ["2009"],
            "Review Feedback": ["99.4% Positive feedback"],
            "Item Condition": ["New other (see details)"],
            "Location": ["Mount Vernon, New York, United States"],
        }
    )
    rows = Validator(load_column_map("ebay-scrape")).validate(raw).rows
    assert rows.loc[0, "price"] == 1549.0
    assert rows.loc[0, "seller_rating"] == pytest.approx(4.97)
    assert rows.loc[0, "ships_from"] == "US" and rows.loc[0, "condition"] == "new"
    assert rows.loc[0, ""] == "0"  # unknown columns are carried through


def test_ozon_preset_maps_and_carries_post_publication_columns() -> None:
    cmap = load_column_map("ozon-ecup-2025")
    raw = pd.DataFrame(
        {
            "id": [1],
            "name_rus": ["Кроссовки Nike"],
            "PriceDiscounted": ["2 499"],
            "SellerID": [7],
            "resolution": [1],
            "item_count_sales30": [5],
        }
    )
    rows = Validator(cmap).validate(raw).rows
    assert rows.loc[0, "currency"] == "RUB" and rows.loc[0, "price"] == 2499.0
    assert rows.loc[0, "is_counterfeit"] == 1 and rows.loc[0, "item_count_sales30"] == 5
    assert "item_count_sales30" in cmap.carried


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_mapping_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"map{suffix}"
    if suffix == ".toml":
        path.write_text(
            'name = "title"\n[transforms]\nseller_rating = "percent_to_rating"\n'
            '[constants]\nseller_id = "abt.com"\n'
        )
    else:
        path.write_text(
            '{"name": "title", "transforms": {"seller_rating": "percent_to_rating"},'
            ' "constants": {"seller_id": "abt.com"}}'
        )
    cmap = load_column_map(path)
    assert cmap.renames == {"name": "title"} and cmap.constants == {"seller_id": "abt.com"}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"renames": {"x": "nonsense"}}, "not a cfdetect column"),
        ({"renames": {"a": "title", "b": "title"}}, "several columns"),
        ({"transforms": {"seller_rating": "magic"}}, "unknown transform"),
    ],
)
def test_bad_mappings(kwargs: dict[str, dict[str, str]], fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        ColumnMap(**kwargs)


def test_unknown_preset() -> None:
    with pytest.raises(UsageError, match="neither a mapping file nor a preset"):
        load_column_map("no-such-preset")


def test_missing_required_column_is_a_file_error(write_file: Callable[..., Path]) -> None:
    path = write_file(pd.DataFrame({"listing_id": ["1"], "title": ["x"]}), "x.csv")
    with pytest.raises(InputError, match=r"required column.*price, seller_id"):
        validate_file(path)


NASTY = [
    "\x00\x01 control",
    "\u202eright-to-left",
    "emoji 👜🔥",
    "'quoted\"",
    "=cmd|' /C calc'!A0",
    "",
    "x" * 2_000,
]


@pytest.mark.parametrize("name", ["data.csv", "data.jsonl", "data.parquet", "data.csv.gz"])
def test_accounting_invariant_on_hostile_file(
    make_listings: Callable[..., pd.DataFrame],
    write_file: Callable[..., Path],
    tmp_path: Path,
    name: str,
) -> None:
    raw = make_listings(40)
    for i, nasty in enumerate(NASTY):
        raw.loc[i, "title"] = nasty
    raw.loc[10, "listing_id"] = "L1"  # duplicate
    raw.loc[11, "price"] = "free"  # wrong type
    raw.loc[12, "seller_id"] = ""  # empty required
    raw.loc[13, "title"] = "t" * 1_048_576  # 1 MB title
    raw.loc[14, "description"] = "bad bytes \ufffd"
    path = write_file(raw, name)
    rejects_path = tmp_path / "rejects.jsonl"
    report = validate_file(path, chunk_size=7, rejects_path=rejects_path)
    rejects = pd.read_json(rejects_path, lines=True)
    assert report.rows_read == 40
    assert report.valid + report.rejected == report.rows_read
    assert len(rejects) == report.rejected
    out = pd.concat(list(iter_valid_chunks(path, chunk_size=7)))
    assert sorted(out["row_number"].tolist() + rejects["row_number"].tolist()) == list(range(1, 41))


def test_accounting_with_broken_csv_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "listing_id,title,price,seller_id\n1,a,5,s\n2,b,5\n3,c,5,s,extra\n4,d,5,s\n",
        encoding="utf-8",
    )
    report = ValidationReport(str(path))
    rows = list(iter_valid_chunks(path, report=report, chunk_size=2))
    assert report.rows_read == 4 and report.valid == 2 and report.rejected == 2
    assert sum(len(r) for r in rows) == 2
    assert report.rejects_by_reason.most_common(1)[0][0][0] == "_row"
