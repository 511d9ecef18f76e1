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


def test_categories_known_everywhere(registry) -> None:  # type: ignore[no-untyped-def]
    """Every category of the registry is documented, has simulator words and listing words."""
    from cfdetect.features._vocab import CATEGORY_WORDS
    from cfdetect.registry import REGISTRY_CATEGORIES
    from cfdetect.simulate._vocab import PROFILES

    assert set(registry.brands["category"]) == set(REGISTRY_CATEGORIES)
    assert len(REGISTRY_CATEGORIES) >= 20
    readme = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text()
    for category in REGISTRY_CATEGORIES:
        assert category in PROFILES, category
        assert category in CATEGORY_WORDS, category
        assert f"`{category}`" in readme, category


def test_product_line_rows(registry) -> None:  # type: ignore[no-untyped-def]
    """Lines whose prices differ tenfold sit in rows of their own (registry_lines)."""
    assert registry.lines["birkin"] == ("Hermes", "icon_handbag")
    assert registry.lines["day-date"] == ("Rolex", "precious_metal_watch")
    assert registry.reference_range("Sony", "wired_earbuds")[1] < 50
    assert registry.canonical("Ozempic") is None and registry.lines["ozempic"][0] == "Novo Nordisk"


def test_bad_category(tmp_path: Path) -> None:
    path = tmp_path / "brands.csv"
    path.write_text(",".join(REGISTRY_COLUMNS) + "\nX,,Watches & More,watch,,10,20,1,,1,1\n")
    with pytest.raises(InputError, match="snake_case"):
        load_registry(path)
