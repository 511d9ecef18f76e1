"""The resale and format tables: shipped coverage and loader errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdetect.errors import InputError
from cfdetect.registry import load_registry
from cfdetect.resale import FORMAT_COLUMNS, RESALE_COLUMNS, load_formats, load_resale


def test_shipped_tables_match_the_registry() -> None:
    registry = load_registry()
    pairs = set(zip(registry.table["brand"], registry.table["product_type"], strict=True))
    resale, formats = load_resale(), load_formats()
    assert set(zip(resale.table["brand"], resale.table["product_type"], strict=True)) <= pairs
    assert set(formats.by_row) <= pairs
    assert len(resale.table) >= 700 and len(formats.table) >= 290
    # a line row overrides its whole row: a Daytona resells above retail, a Datejust below
    assert resale.used_ratio("Rolex", "watch", "Daytona")[0] > 1.0
    assert resale.used_ratio("Rolex", "watch", "Datejust")[0] < 1.0
    assert resale.used_ratio("Rolex", "watch", "no such line") == resale.used_ratio(
        "Rolex", "watch"
    )
    chanel = formats.formats_of("Chanel", "perfume")
    assert {"tester", "travel_spray", "decant_per_ml"} <= set(chanel["format"])
    assert set(chanel["basis"]) == {"retail", "reference"}


def _write(tmp_path: Path, columns: tuple[str, ...], row: str) -> Path:
    path = tmp_path / "table.csv"
    path.write_text(",".join(columns) + "\n" + row + "\n")
    return path


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("Rolex,watch,,0.9,x,GK", "not a ratio"),
        ("Rolex,watch,,1.2,0.9,GK", "above"),
        ("Rolex,watch,,0,0.9,GK", "not a ratio"),
        (",watch,,0.5,0.9,GK", "empty"),
    ],
)
def test_bad_resale(tmp_path: Path, row: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        load_resale(_write(tmp_path, RESALE_COLUMNS, row))


def test_bad_formats(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither"):
        load_formats(_write(tmp_path, FORMAT_COLUMNS, "Chanel,perfume,tester,full size,0.6,0.8,X"))
    with pytest.raises(InputError, match="lacks column"):
        load_formats(_write(tmp_path, RESALE_COLUMNS, "Rolex,watch,,0.5,0.9,GK"))
    path = tmp_path / "twice.csv"
    row = "Chanel,perfume,tester,vs same-size retail,0.6,0.8,X"
    path.write_text(",".join(FORMAT_COLUMNS) + f"\n{row}\n{row}\n")
    with pytest.raises(InputError, match="twice"):
        load_formats(path)
