"""The shipped brand registry: coverage the simulator and features rely on, and loader errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdetect.errors import InputError
from cfdetect.registry import REGISTRY_COLUMNS, load_registry


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry()


def test_coverage(registry) -> None:  # type: ignore[no-untyped-def]
    assert len(registry.brands) >= 150
    counts = registry.brands["category"].value_counts()
    assert len(counts) >= 12
    assert (registry.table["price_low_usd"] <= registry.table["price_high_usd"]).all()
    assert 0.1 < 1 - registry.brands["registered"].mean() < 0.5  # both kinds of brand


@pytest.mark.parametrize(
    ("name", "brand"),
    [("LV", "Louis Vuitton"), ("ck", "Calvin Klein"), ("MK", "Michael Kors"), ("rolex", "Rolex")],
)
def test_aliases(registry, name: str, brand: str) -> None:  # type: ignore[no-untyped-def]
    assert registry.canonical(name) == brand


def test_lines_and_prices(registry) -> None:  # type: ignore[no-untyped-def]
    assert registry.lines["submariner"][0] == "Rolex"
    low, high = registry.reference_range("Rolex")
    assert 1_000 < low < high
    assert registry.is_authorised("rolex_official", "Rolex")
    assert not registry.is_authorised("rolex_official", "Gucci")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("brand,aliases\nx,y\n", "lacks column"),
        (",".join(REGISTRY_COLUMNS) + "\nX,,watches,watch,,ten,20,1,,1,1\n", "not a non-negative"),
        (",".join(REGISTRY_COLUMNS) + "\nX,,watches,watch,,30,20,1,,1,1\n", "above price_high"),
    ],
)
def test_bad_registry(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "brands.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=fragment):
        load_registry(path)
