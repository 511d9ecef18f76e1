"""Tests of the marketplace simulator (cfdetect.simulate) on a small registry of its own."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from typer.testing import CliRunner

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.cli import app
from cfdetect.errors import UsageError
from cfdetect.registry import REGISTRY_COLUMNS, BrandRegistry, load_registry
from cfdetect.schema import LISTING_COLUMNS, dtype_of
from cfdetect.simulate import (
    CASE_NAMES,
    OUTPUT_COLUMNS,
    TACTIC_NAMES,
    SimulationConfig,
    simulate,
    simulate_chunks,
    summarize,
    write_simulation,
)
from cfdetect.simulate._descriptions import TACTIC_TELLTALES, TELLTALES
from cfdetect.simulate._languages import DEFAULT_LANGUAGE_SHARES, LANGUAGES, cyrillic_spelling
from cfdetect.simulate._titles import humanize

REGISTRY_ROWS = [
    (
        "Louis Vuitton",
        "LV",
        "bags_luxury_fashion",
        "handbag",
        "Neverfull MM|Speedy 30|Alma BB",
        1500,
        6500,
        1,
        "lv_official",
        5,
        5,
    ),
    (
        "Louis Vuitton",
        "LV",
        "bags_luxury_fashion",
        "wallet",
        "Zippy Wallet|Victorine Wallet",
        450,
        1100,
        1,
        "lv_official",
        4,
        5,
    ),
    (
        "Gucci",
        "GG",
        "bags_luxury_fashion",
        "belt",
        "GG Marmont|Double G Buckle Belt",
        450,
        650,
        1,
        "dept_store",
        4,
        5,
    ),
    (
        "Coach",
        "",
        "bags_luxury_fashion",
        "handbag",
        "Tabby|Willow",
        250,
        700,
        0,
        "dept_store",
        4,
        3,
    ),
    (
        "Rolex",
        "",
        "watches",
        "watch",
        "Submariner|Datejust 41|Daytona",
        8000,
        40000,
        1,
        "rolex_dealer",
        4,
        5,
    ),
    (
        "Casio",
        "G-Shock",
        "watches",
        "watch",
        "G-Shock GA2100|F91W",
        20,
        300,
        0,
        "casio_store",
        4,
        2,
    ),
    (
        "Nike",
        "",
        "sneakers_sportswear",
        "sneakers",
        "Air Jordan 1 Retro High|Air Force 1|Dunk Low",
        90,
        220,
        1,
        "nike_store",
        5,
        5,
    ),
    (
        "Adidas",
        "",
        "sneakers_sportswear",
        "sneakers",
        "Samba OG|Superstar",
        80,
        250,
        1,
        "adidas_store",
        5,
        4,
    ),
    (
        "Canada Goose",
        "",
        "apparel",
        "parka",
        "Expedition|Chilliwack",
        900,
        1700,
        1,
        "dept_store",
        3,
        4,
    ),
    (
        "Sony",
        "",
        "electronics_accessories",
        "headphones",
        "WH-1000XM5|MDR-7506",
        50,
        400,
        1,
        "sony_store",
        5,
        3,
    ),
    (
        "Sony",
        "",
        "electronics_accessories",
        "turntable",
        "PS-LX310BT",
        100,
        500,
        1,
        "sony_store",
        2,
        1,
    ),
    (
        "Bose",
        "",
        "electronics_accessories",
        "speaker_system",
        "Acoustimass 5 Series III|SoundLink Flex",
        100,
        500,
        1,
        "bose_store",
        3,
        2,
    ),
    (
        "Apple",
        "",
        "electronics_accessories",
        "earbuds",
        "AirPods Pro 2|AirPods 3",
        130,
        250,
        1,
        "apple_store",
        5,
        5,
    ),
    (
        "Linksys",
        "",
        "electronics_accessories",
        "network_switch",
        "EtherFast|Velop",
        30,
        200,
        0,
        "linksys_store",
        2,
        1,
    ),
    (
        "Chanel",
        "CC",
        "fragrance_cosmetics",
        "perfume",
        "No. 5|Coco Mademoiselle",
        100,
        250,
        1,
        "dept_store",
        5,
        5,
    ),
    (
        "Maison Margiela",
        "Margiela",
        "fragrance_cosmetics",
        "perfume",
        "Replica Jazz Club|Replica By the Fireplace",
        80,
        180,
        1,
        "dept_store",
        3,
        2,
    ),
    (
        "Cartier",
        "",
        "jewelry",
        "bracelet",
        "Love Bracelet|Juste un Clou",
        4000,
        12000,
        1,
        "cartier_boutique",
        3,
        5,
    ),
    ("Pandora", "", "jewelry", "charm", "Moments|Reflexions", 60, 200, 0, "pandora_shop", 4, 3),
    (
        "Ray-Ban",
        "RayBan",
        "eyewear",
        "sunglasses",
        "Aviator Classic|Wayfarer",
        150,
        250,
        1,
        "eyewear_shop",
        4,
        4,
    ),
    (
        "LEGO",
        "Lego",
        "toys",
        "building_set",
        "Star Wars Millennium Falcon|Technic",
        20,
        850,
        1,
        "lego_shop",
        4,
        3,
    ),
    ("Hot Wheels", "", "toys", "die_cast_car", "Premium|Car Culture", 1, 30, 0, "toy_shop", 3, 1),
    (
        "Adidas",
        "",
        "sports_jerseys",
        "jersey",
        "Real Madrid Home|Juventus Away",
        90,
        170,
        1,
        "adidas_store",
        3,
        5,
    ),
    (
        "Bosch",
        "",
        "auto_parts",
        "brake_pads",
        "QuietCast|Euro Line",
        30,
        90,
        0,
        "parts_store",
        3,
        3,
    ),
    (
        "Dyson",
        "",
        "home_appliances",
        "vacuum",
        "V15 Detect|V8 Absolute",
        300,
        800,
        1,
        "dyson_store",
        4,
        4,
    ),
    (
        "Omron",
        "",
        "medical_devices",
        "blood_pressure_monitor",
        "Platinum|Silver",
        40,
        120,
        0,
        "pharmacy",
        3,
        2,
    ),
]
runner = CliRunner()
LATE_TOKENS = ("A+++", "G5 batch", "WhatsApp", "Budget Version", "godly tier")
CYRILLIC = "[\u0400-\u04ff]"
REPEATED_WORD = re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)


def _phrase_pattern(phrases: list[str]) -> str:
    """Regex matching any of the phrases, their {placeholders} matching any words."""
    return "|".join(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(p)) for p in phrases)


TELLTALE_PATTERN = _phrase_pattern(
    [p for p, _ in TELLTALES] + [p for pool in TACTIC_TELLTALES.values() for p in pool]
)
LATE_TELLTALES = _phrase_pattern([p for p, intro in TELLTALES if intro >= 0.6])


@pytest.fixture(scope="module")
def registry_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("registry") / "brands.csv"
    pd.DataFrame(REGISTRY_ROWS, columns=list(REGISTRY_COLUMNS)).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def registry(registry_path: Path) -> BrandRegistry:
    return load_registry(registry_path)


@pytest.fixture(scope="module")
def frame(registry: BrandRegistry) -> pd.DataFrame:
    """20,000 listings with drift, no label noise."""
    return simulate(SimulationConfig(n_listings=20_000, seed=3), registry)


@pytest.fixture(scope="module")
def stationary(registry: BrandRegistry) -> pd.DataFrame:
    """The same without drift."""
    return simulate(SimulationConfig(n_listings=20_000, seed=3, drift=False), registry)


def test_same_seed_same_bytes_other_seed_other_bytes(
    registry: BrandRegistry, tmp_path: Path
) -> None:
    paths = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        path = tmp_path / f"{name}.csv"
        config = SimulationConfig(n_listings=1500, seed=seed, days=60, chunk_size=400)
        assert write_simulation(path, config, registry) == 1500
        paths.append(path.read_bytes())
    assert paths[0] == paths[1]
    assert paths[0] != paths[2]


def test_rows_do_not_depend_on_chunk_size(registry: BrandRegistry) -> None:
    small = [
        c
        for c in simulate_chunks(SimulationConfig(1200, seed=2, days=45, chunk_size=250), registry)
    ]
    assert [len(c) for c in small] == [250, 250, 250, 250, 200]
    whole = simulate(SimulationConfig(1200, seed=2, days=45, chunk_size=10_000), registry)
    pd.testing.assert_frame_equal(pd.concat(small, ignore_index=True), whole)


def test_columns_and_dtypes_follow_the_schema(frame: pd.DataFrame) -> None:
    assert tuple(frame.columns) == OUTPUT_COLUMNS
    for column in LISTING_COLUMNS:
        assert str(frame[column.name].dtype) == dtype_of(column.name), column.name
    for name in ("is_counterfeit", "published_at", "first_sale_at", "reported_at"):
        assert str(frame[name].dtype) == dtype_of(name), name
    assert frame["listing_id"].is_unique
    assert frame["created_at"].is_monotonic_increasing
    assert (frame["price"] > 0).all()
    local = ["CHF", "MXN", "ARS", "BRL", "RUB", "KZT"]  # listings in other languages
    assert frame["currency"].isin(["USD", "EUR", "GBP", *local]).all()
    assert frame["condition"].dropna().isin(["new", "used", "refurbished", "other"]).all()
    assert 0.01 < frame["ships_from"].isna().mean() < 0.06
    assert frame["seller_rating"].dropna().between(0, 5).all()
    assert frame["title"].str.strip().str.len().gt(0).all()


@pytest.mark.parametrize("name", TACTIC_NAMES)
def test_every_tactic_is_present(frame: pd.DataFrame, name: str) -> None:
    rows = frame[frame["tactic"] == name]
    assert len(rows) >= 10
    assert (rows["is_counterfeit"] == 1).all()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_genuine_case_is_present(frame: pd.DataFrame, name: str) -> None:
    rows = frame[(frame["case"] == name) & (frame["tactic"] == "none")]
    assert len(rows) >= 10
    assert (rows["is_counterfeit"] == 0).all()


def test_hard_genuine_cases_carry_risky_words(frame: pd.DataFrame) -> None:
    frame = frame[frame["language"] == "en"]  # other languages: test_languages_*
    genuine = frame[frame["tactic"] == "none"]
    titles = genuine.set_index("case")["title"].str.lower()
    assert titles.loc["legal_replica_word"].str.contains("replica").all()
    connector = r"\bfor\b|compatible|fits|works"  # a typo may hit the word itself
    assert titles.loc["compatible_accessory"].str.contains(connector).mean() > 0.95
    clean = frame[frame["tactic"] == "superfake"]["title"].str.lower()
    assert not clean.str.contains("replica|fake|1:1|aaa|inspired").any()


def test_titles_do_not_repeat_words(frame: pd.DataFrame) -> None:
    """Lines ending with the product word ("Zippy Wallet", "Double G Buckle Belt") do not get it
    appended again ("Zippy Wallet Wallet")."""
    titles = frame["title"]
    frame = frame[frame["language"] == "en"]
    assert not titles.map(lambda t: bool(REPEATED_WORD.search(t))).any()
    branded = frame[frame["product_type"].isin(["wallet", "belt", "handbag", "watch"])]
    # accessories name the product they are for ("Watch Winder for Watch")
    branded = branded[
        ~branded["case"].isin(["compatible_accessory", "homage", "first_party_budget"])
    ]
    lower = branded["title"].str.lower()
    assert lower.str.contains("zippy wallet").sum() > 10
    nouns = branded["product_type"].map(lambda t: humanize(t).lower())
    repeats = [  # whole words: "swatch" and "smartwatch" hold "watch"
        len(re.findall(rf"\b{re.escape(noun)}\b", title))
        for title, noun in zip(lower, nouns, strict=True)
    ]
    assert max(repeats) == 1


def test_descriptions_alone_do_not_give_the_label_away(frame: pd.DataFrame) -> None:
    """Guard against the old leak: counterfeit and genuine descriptions were drawn from disjoint
    phrase pools, and a character n-gram model on the description alone reached PR-AUC 0.99.
    About 2 s; mark it slow if it grows."""
    rows = frame.sample(6000, random_state=0)
    y = rows["is_counterfeit"].astype(int).to_numpy()
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3).fit_transform(
        rows["description"].fillna("")
    )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    model = LogisticRegression(max_iter=500, C=4)
    scores = cross_val_predict(model, x, y, cv=folds, method="decision_function")
    assert average_precision_score(y, scores) < 0.8


def test_descriptions_share_phrases_and_few_carry_tell_tales(frame: pd.DataFrame) -> None:
    frame = frame[frame["language"] == "en"]  # the English phrase pools
    text = frame["description"].fillna("")
    fake = (frame["is_counterfeit"] == 1).to_numpy()
    shared = ("100% authentic", "Brand new in box", "Ships from our warehouse", "Selling my", "/ ")
    for phrase in shared:  # "/ ": the catalogue feature list, copied by counterfeiters
        has = text.str.contains(phrase, regex=False).to_numpy()
        assert has[fake].mean() > 0.01, phrase
        assert has[~fake].mean() > 0.01, phrase
    tell = text.str.contains(TELLTALE_PATTERN, regex=True).to_numpy()
    assert 0.15 < tell[fake].mean() < 0.45
    assert tell[~fake].mean() < 0.02
    far = frame["ships_from"].isin(["CN", "HK"]).to_numpy()
    near = frame["ships_from"].eq("US").fillna(False).to_numpy(dtype=bool)
    long = text.str.contains("Shipping 10-20 days", regex=False).to_numpy()
    for side in (fake, ~fake):  # long delivery follows the origin, whatever the label
        assert long[far & side].mean() > 3 * long[near & side].mean()
    assert frame.loc[~fake, "description"].isna().mean() > 0.05, "some sellers write none"


def test_timelines_are_ordered(frame: pd.DataFrame) -> None:
    created, published = frame["created_at"], frame["published_at"]
    sold, reported = frame["first_sale_at"], frame["reported_at"]
    assert (created <= published).all()
    assert (sold.dropna() >= published[sold.notna()]).all()
    assert (reported.dropna() > published[reported.notna()]).all()
    both = sold.notna() & reported.notna()
    assert (sold[both] < reported[both]).all(), "no sale after the takedown"
    genuine = frame["is_counterfeit"] == 0
    assert reported[genuine].isna().all()
    fake = ~genuine
    assert 0.2 < reported[fake].notna().mean() < 0.9


def test_registered_brands_report_more(frame: pd.DataFrame, registry: BrandRegistry) -> None:
    fakes = frame[frame["is_counterfeit"] == 1]
    registered = fakes["true_brand"].map(registry.brands.set_index("brand")["registered"])
    share = fakes["reported_at"].notna().groupby(registered).mean()
    assert share[True] > share[False] + 0.1


def test_cheap_listings_sell_faster(frame: pd.DataFrame) -> None:
    days = (frame["first_sale_at"] - frame["published_at"]).dt.total_seconds() / 86_400
    ratio = frame["price"] / frame["reference_price_usd"]
    assert days[ratio < 0.2].median() < days[ratio > 0.8].median()


def _visible(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["seller_n_listings"].notna()]


def _naive(stamps: pd.Series) -> np.ndarray:
    return stamps.dt.tz_convert(None).to_numpy()


def test_seller_listing_counts_grow_one_by_one(frame: pd.DataFrame) -> None:
    rows = _visible(frame)
    steps = rows.groupby("seller_id")["seller_n_listings"].diff().dropna()
    assert (steps == 1).all()
    first = rows.groupby("seller_id")["seller_age_days"].diff().dropna()
    assert (first >= 0).all()


def test_takedowns_count_only_earlier_removals(frame: pd.DataFrame) -> None:
    rows = _visible(frame)
    reported = frame.loc[frame["reported_at"].notna(), ["seller_id", "reported_at"]]
    removals = reported.groupby("seller_id")["reported_at"].apply(lambda s: np.sort(_naive(s)))
    none = np.array([], "datetime64[us]")
    earlier = [
        np.searchsorted(removals.get(seller, none), created, "left")
        for seller, created in zip(rows["seller_id"], _naive(rows["created_at"]), strict=True)
    ]
    prior = rows["seller_n_takedowns"].to_numpy(dtype=float) - np.array(earlier)
    per_seller = pd.Series(prior).groupby(rows["seller_id"].to_numpy()).nunique()
    assert (per_seller == 1).all(), "takedowns before the start are a constant per seller"
    assert (prior >= 0).all()


def test_orders_window_rebuilds_from_sales(frame: pd.DataFrame) -> None:
    start = frame["created_at"].min().floor("D")
    rows = _visible(frame)
    # accounts opened during the simulation have no history before it
    fresh = rows[rows["seller_age_days"] < (rows["created_at"] - start).dt.total_seconds() / 86_400]
    sales = frame.loc[frame["first_sale_at"].notna(), ["seller_id", "first_sale_at"]]
    by_seller = sales.groupby("seller_id")["first_sale_at"].apply(lambda s: np.sort(_naive(s)))
    window = np.timedelta64(90, "D")
    none = np.array([], "datetime64[us]")
    assert len(fresh) > 500
    for seller, created, orders in zip(
        fresh["seller_id"], _naive(fresh["created_at"]), fresh["seller_orders_90d"], strict=True
    ):
        times = by_seller.get(seller, none)
        expected = np.searchsorted(times, created) - np.searchsorted(times, created - window)
        assert orders == expected


def test_seller_history_mixes_young_and_old_on_both_sides(frame: pd.DataFrame) -> None:
    age = frame["seller_age_days"]
    fake = frame["is_counterfeit"] == 1
    assert (age[fake] > 365).mean() > 0.15, "some counterfeiters use aged accounts"
    assert (age[~fake] < 30).mean() > 0.02, "some genuine sellers are new"
    assert frame.loc[~fake, "seller_n_listings"].isna().mean() > 0.05, "history sometimes missing"


def test_drift_tokens_appear_only_later(frame: pd.DataFrame, stationary: pd.DataFrame) -> None:
    # the English drift vocabulary (Russian listings are written in Cyrillic from the start)
    frame, stationary = (f[f["language"] == "en"] for f in (frame, stationary))

    def has_late(rows: pd.DataFrame) -> pd.Series:
        titles = rows["title"]
        late = titles.str.contains(CYRILLIC, regex=True)
        for token in LATE_TOKENS:
            late |= titles.str.contains(token, regex=False)
        return late

    first = frame["period"] == 0
    assert not has_late(frame[first]).any()
    assert (
        has_late(frame[frame["period"] == frame["period"].max()]).sum() > 10
    )  # English rows only: about two thirds of the period
    assert (
        not frame.loc[first, "tactic"].isin(["homoglyph_obfuscation", "offplatform_contact"]).any()
    )
    assert has_late(stationary[stationary["period"] == 0]).sum() > 5
    late_text = frame["description"].fillna("").str.contains(LATE_TELLTALES, regex=True)
    assert not late_text[first].any()
    assert late_text[frame["period"] == frame["period"].max()].sum() > 10


def test_drift_brings_new_targeted_brands_and_sellers(frame: pd.DataFrame) -> None:
    fakes = frame[frame["is_counterfeit"] == 1]
    early = set(fakes.loc[fakes["period"] == 0, "true_brand"])
    late = set(fakes.loc[fakes["period"] == fakes["period"].max(), "true_brand"])
    assert late - early
    early_sellers = set(fakes.loc[fakes["period"] == 0, "seller_id"])
    late_sellers = set(fakes.loc[fakes["period"] == fakes["period"].max(), "seller_id"])
    assert len(late_sellers - early_sellers) > 0.5 * len(late_sellers)


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_label_noise_flips_about_the_requested_share(registry: BrandRegistry, noise: float) -> None:
    rows = simulate(SimulationConfig(n_listings=6000, seed=1, days=90, label_noise=noise), registry)
    truth = (rows["tactic"] != "none").astype(int)
    flipped = (rows["is_counterfeit"].astype(int) != truth).mean()
    assert abs(flipped - noise) < 0.02


def test_counterfeit_rate_is_honoured(frame: pd.DataFrame) -> None:
    assert abs(frame["is_counterfeit"].mean() - 0.08) < 0.01


def test_summary_tables(frame: pd.DataFrame) -> None:
    tables = summarize(frame)
    assert set(tables) == {"tactics", "cases", "price_ratio", "seller_age", "periods", "languages"}
    languages = tables["languages"]
    assert set(languages.index) == set(LANGUAGES)
    assert languages["listings"].sum() == len(frame)
    assert set(tables["tactics"].index) == set(TACTIC_NAMES)
    assert set(tables["cases"].index) == set(CASE_NAMES)
    assert list(tables["price_ratio"].index) == ["counterfeit", "genuine"]
    ratio = tables["price_ratio"]
    assert ratio.loc["counterfeit", "q50"] < ratio.loc["genuine", "q50"]


def test_progress_and_formats(registry: BrandRegistry, tmp_path: Path) -> None:
    seen: list[int] = []
    config = SimulationConfig(n_listings=900, seed=4, days=30, chunk_size=300)
    path = tmp_path / "out.jsonl.gz"
    assert write_simulation(path, config, registry, progress=seen.append) == 900
    assert seen == [300, 600, 900]
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    assert len(records) == 900
    assert all(r["created_at"].endswith("Z") for r in records)


@pytest.mark.parametrize(
    "options",
    [
        {"n_listings": 0},
        {"n_listings": 2.5},
        {"seed": -1},
        {"days": 0},
        {"counterfeit_rate": -0.1},
        {"counterfeit_rate": 1.5},
        {"label_noise": 0.7},
        {"n_periods": 0},
        {"n_periods": 10, "days": 5},
        {"chunk_size": 0},
        {"start": "not a date"},
        {"drift": "yes"},
    ],
)
def test_config_rejects_nonsense(options: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        SimulationConfig(**options)  # type: ignore[arg-type]


def test_cli_writes_the_file_and_prints_the_summary(registry_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "sim.csv"
    args = ["simulate", "-o", str(out), "--listings", "800", "--days", "40", "--seed", "9",
            "--registry", str(registry_path), "--summary"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote 800 listings" in result.stderr
    assert "tactics" in result.stderr and "price ratio" in result.stderr
    written = pd.read_csv(out)
    assert len(written) == 800 and list(written.columns) == list(OUTPUT_COLUMNS)
    again = tmp_path / "again.csv"
    assert runner.invoke(app, [*args[:2], str(again), *args[3:-1]]).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("options", "code"),
    [(["--listings", "0"], 2), (["--counterfeit-rate", "3"], 2), (["--start", "soon"], 2)],
)
def test_cli_maps_bad_options_to_usage_errors(
    registry_path: Path, tmp_path: Path, options: list[str], code: int
) -> None:
    out = tmp_path / "never.csv"
    args = ["simulate", "-o", str(out), "--registry", str(registry_path), *options]
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert "error" in result.stderr and not out.exists()


def test_cli_unknown_suffix_is_a_usage_error(registry_path: Path, tmp_path: Path) -> None:
    args = ["simulate", "-o", str(tmp_path / "x.xlsx"), "--registry", str(registry_path)]
    assert runner.invoke(app, args).exit_code == 2


# --- issue 18: the marketplace's world ---------------------------------------------------------


def _usd_ratio(frame: pd.DataFrame) -> pd.Series:
    usd = frame["price"] * frame["currency"].map(USD_PER_UNIT).astype(float)
    return usd / frame["reference_price_usd"]


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    """20,000 listings of the shipped registry (25 categories, resale and format tables)."""
    from cfdetect.simulate import SimulationConfig as Config

    return simulate(Config(n_listings=20_000, seed=5))


def test_every_new_category_is_listed(shipped: pd.DataFrame) -> None:
    from cfdetect.registry import REGISTRY_CATEGORIES

    counts = shipped["category"].value_counts()
    for category in REGISTRY_CATEGORIES:
        assert counts.get(category, 0) >= 50, category


def test_used_prices_follow_resale_ratios(shipped: pd.DataFrame) -> None:
    """Used genuine goods are priced from resale.csv: icons resell near or above retail."""
    used = shipped[shipped["case"].isin(["used_authentic", "closet_clearout"])]
    ratio = _usd_ratio(used)
    watches = (used["category"] == "watches").to_numpy()
    fashion = used["product_type"].isin(["t_shirt", "hoodie", "sweatshirt"]).to_numpy()
    assert watches.sum() > 20 and fashion.sum() > 20
    assert ratio[watches].median() > ratio[fashion].median()  # watches hold their value better
    assert ratio[fashion].median() < 0.5
    assert not used["category"].isin(["pharmaceuticals", "medical_devices"]).any()
    assert (used["condition"].dropna() != "new").all()


def test_genuine_formats_have_their_own_prices_and_words(shipped: pd.DataFrame) -> None:
    formats = shipped[shipped["case"] == "genuine_format"]
    words = "Tester|Travel|Mini|Decant|Sample|Outlet|Factory|Refurbished|Gift Set|Full|Jersey"
    assert formats["title"].str.contains(words, regex=True).mean() > 0.6
    perfume = formats[formats["product_type"] == "perfume"]
    assert _usd_ratio(perfume).median() < 0.7  # small formats and testers cost less


def test_new_sellers_and_thin_kinds(shipped: pd.DataFrame) -> None:
    clearout = shipped[shipped["case"] == "closet_clearout"]
    assert (clearout["seller_kind"] == "individual").all()
    assert clearout["seller_age_days"].median() < 30
    hijacked = shipped[shipped["tactic"] == "hijacked_account"]
    assert hijacked["seller_age_days"].median() > 600
    jerseys = shipped[shipped["tactic"] == "jersey_player_version"]
    assert (jerseys["category"] == "sports_jerseys").all()
    beauty = shipped[shipped["tactic"] == "beauty_discount"]
    assert beauty["category"].isin(["fragrance_cosmetics", "skincare_haircare"]).all()
    assert _usd_ratio(beauty).median() > 0.4  # a plausible discount, not a giveaway price
    blank = shipped[shipped["case"] == "blank_wholesale"]
    assert blank["title"].str.contains("Logo|Branding", regex=True).mean() > 0.5


@pytest.mark.parametrize(
    "pattern", [r"\bauthentic\b", r"\bgenuine\b", r"box (?:&|and) papers", r"receipt",
                r"date code", r"serial number", r"authenticated by", r"certificate"],
)  # fmt: skip
def test_authenticity_talk_is_no_giveaway(shipped: pd.DataFrame, pattern: str) -> None:
    """Genuine resellers and counterfeiters both write it (issue 18: shares 0.2-0.8 at 50k)."""
    text = (shipped["title"].fillna("") + " " + shipped["description"].fillna("")).str.lower()
    has = text.str.contains(pattern, regex=True)
    assert has.sum() > 50
    assert 0.12 < shipped.loc[has, "is_counterfeit"].astype(bool).mean() < 0.85


# --- languages --------------------------------------------------------------------------------

CYRILLIC_WORD = re.compile(r"[а-яё]{3,}", re.IGNORECASE)
LOCAL_MARKERS = {  # a few words every language's listings use
    "es": r"\b(?:nuevo|envío|para|con|réplica|usado|original|sin)\b",
    "pt_BR": r"\b(?:novo|frete|para|com|réplica|usado|original|sem)\b",
    "de": r"\b(?:neu|versand|für|mit|original|gebraucht|ohne)\b",
    "fr": r"\b(?:neuf|livraison|pour|avec|original|occasion|sans)\b",
}


def test_languages_have_both_labels_local_words_and_currencies(frame: pd.DataFrame) -> None:
    shares = frame["language"].value_counts(normalize=True)
    assert set(shares.index) == set(LANGUAGES)
    for lang, expected in DEFAULT_LANGUAGE_SHARES:
        assert abs(shares[lang] - expected) < 0.02, lang
    overall = frame["is_counterfeit"].astype(int).mean()
    for lang, rows in frame.groupby("language"):
        labels = rows["is_counterfeit"].astype(int)
        assert set(labels) == {0, 1}, lang
        # the same tactic mix everywhere: the counterfeit rate is no giveaway (4 standard errors)
        assert abs(labels.mean() - overall) < 4 * np.sqrt(overall * (1 - overall) / len(rows))
    text = frame["title"] + " " + frame["description"].fillna("")
    for lang, pattern in LOCAL_MARKERS.items():
        rows = frame["language"] == lang
        assert text[rows].str.contains(pattern, case=False).mean() > 0.4, lang
    russian = frame["language"] == "ru"
    assert text[russian].str.contains(CYRILLIC_WORD).mean() > 0.95
    assert not frame.loc[frame["language"] == "en", "title"].str.contains(CYRILLIC_WORD).any()
    currency = {lang: set(rows) for lang, rows in frame.groupby("language")["currency"]}
    assert currency["pt_BR"] == {"BRL"}
    assert currency["ru"] <= {"RUB", "KZT"} and "RUB" in currency["ru"]
    assert currency["es"] <= {"EUR", "MXN", "ARS"}


@pytest.fixture(scope="module")
def multilingual(registry: BrandRegistry) -> pd.DataFrame:
    """12,000 listings, a sixth in each language, a fifth counterfeit."""
    shares = tuple((lang, 1.0) for lang in LANGUAGES)
    config = SimulationConfig(
        n_listings=12_000, seed=5, days=120, counterfeit_rate=0.2, language_shares=shares
    )
    return simulate(config, registry)


def test_russian_listings_write_brands_in_both_scripts(multilingual: pd.DataFrame) -> None:
    frame = multilingual
    rows = frame[(frame["language"] == "ru") & frame["case"].isin(["regular", "superfake"])]
    brands = rows["true_brand"].astype(str)
    latin = [b.lower() in t.lower() for b, t in zip(brands, rows["title"], strict=True)]
    assert 0.3 < np.mean(latin) < 0.7
    cyrillic = rows[[not x for x in latin]]["title"]
    assert cyrillic.str.contains(r"Найк|Адидас|Гуччи|Луи Виттон|Ролекс|Эппл|Самсунг").any()


def test_language_replica_words_appear_in_explicit_titles(multilingual: pd.DataFrame) -> None:
    explicit = multilingual[multilingual["tactic"] == "explicit_replica"]
    words = {"es": "réplica|copia|imitación|clon|pirata|chafa|trucho|bamba|original",
             "pt_BR": "réplica|cópia|imitação|pirata|paralelo|primeira linha",
             "de": "replika|replica|nachbau|kopie|imitat|fake|plagiat|nachgemacht|original",
             "fr": "réplique|replica|copie|imitation|faux|fake|original",
             "ru": "реплика|копия|подделка|паль|фейк|дубликат|оригинал"}  # fmt: skip
    for lang, pattern in words.items():
        titles = explicit.loc[explicit["language"] == lang, "title"]
        assert len(titles) > 20 and titles.str.contains(pattern, case=False).mean() > 0.85, (
            lang
        )  # typos


def test_languages_are_deterministic_and_configurable(registry: BrandRegistry) -> None:
    config = SimulationConfig(n_listings=1500, seed=4, days=40)
    a, b = simulate(config, registry), simulate(config, registry)
    pd.testing.assert_frame_equal(a, b)
    english = simulate(replace(config, language_shares=(("en", 1.0),)), registry)
    assert set(english["language"]) == {"en"}
    russian = simulate(replace(config, language_shares=(("ru", 1.0),)), registry)
    assert set(russian["language"]) == {"ru"} and set(russian["currency"]) <= {"RUB", "KZT"}
    for shares in ((("xx", 1.0),), (("en", -1.0),), (("en", 0.0),), "en"):
        with pytest.raises(UsageError):
            SimulationConfig(language_shares=shares)  # type: ignore[arg-type]


def test_cyrillic_spelling() -> None:
    assert cyrillic_spelling("Nike") == "Найк"
    assert cyrillic_spelling("Louis Vuitton") == "Луи Виттон"
    assert cyrillic_spelling("Prada") == "Прада"
    assert cyrillic_spelling("Tommy Hilfiger") == "Томми Хилфигер"  # not listed: letter by letter
