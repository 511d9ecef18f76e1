"""Feature transformers: scikit-learn conformance, batch/record parity, and behaviour by case.

scikit-learn's generic estimator checks
---------------------------------------
``parametrize_with_checks`` runs the generic checks on every transformer. These transformers read
listings by column name (``title``, ``price``, ``seller_age_days``, ...) from a pandas DataFrame
and raise ``TypeError`` for anything else, while the generic checks feed anonymous NumPy arrays
(dense, float32/int/object, memmaps, sparse, complex, 1-D, ``_NotAnArray``). The checks below are
therefore expected to fail, each for that reason; the property each one checks is tested on
listing frames in this file instead (test named in brackets):

- ``check_estimators_fit_returns_self``, ``check_fit_score_takes_y``: fit on an array
  [``test_fit_returns_self_and_is_idempotent``];
- ``check_fit_idempotent``, ``check_fit_check_is_fitted``, ``check_transformer_general``,
  ``check_pipeline_consistency``: fit/transform an array
  [``test_fit_returns_self_and_is_idempotent``, ``test_unfitted_transform_raises``];
- ``check_methods_sample_order_invariance``, ``check_methods_subset_invariance``: array rows
  [``test_row_order_and_subset_invariance``];
- ``check_dict_unchanged``, ``check_dont_overwrite_parameters``,
  ``check_estimators_overwrite_params``: array fit [``test_fit_does_not_change_params_or_input``];
- ``check_estimators_pickle`` (both variants): array fit [``test_pickle_round_trip``];
- ``check_n_features_in``, ``check_fit2d_1sample``, ``check_fit2d_1feature``: array fit
  [``test_fit_records_input_columns``, ``test_single_row_frames``];
- ``check_n_features_in_after_fitting``: besides the array input, it requires ``transform`` to
  reject a different number of columns; columns are looked up by name here and optional ones may
  be absent at ``transform`` (a missing column reads as missing values)
  [``test_transform_tolerates_missing_optional_columns``];
- ``check_estimators_empty_data_messages``: expects ``ValueError`` for an empty array; an empty
  *frame* is rejected by ``fit`` with ``ValueError`` [``test_input_validation``];
- ``check_fit1d``, ``check_fit2d_predict1d``, ``check_complex_data``, ``check_dtype_object``,
  ``check_estimators_dtypes``, ``check_f_contiguous_array_estimator``,
  ``check_readonly_memmap_input``, ``check_transformer_data_not_an_array``,
  ``check_positive_only_tag_during_fit``: array layouts and dtypes a listing frame never has
  [``test_input_validation``: non-frames raise ``TypeError``;
  ``test_nullable_dtypes_give_same_features``: the schema's nullable dtypes];
- ``check_estimator_sparse_array``, ``check_estimator_sparse_matrix``,
  ``check_estimator_sparse_tag``: sparse input is not supported (``input_tags.sparse`` is False)
  and is rejected with a ``TypeError`` naming the DataFrame, not sparse matrices.

The API checks that do not need data pass: cloneable, repr, tags, no attributes set in
``__init__``, unfitted errors, default-constructible parameters, ``get_params``/``set_params``,
mixin order. ``xfail_strict`` is on so the list stays exact. Expected failures are re-raised from
the test function as a short ``AssertionError`` (rendering the deep traceback into
``estimator_checks.py`` costs pytest ~0.3 s per check).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from cfdetect.features import (
    BRAND_NUMERIC_FEATURES,
    BRAND_STRING_FEATURES,
    BrandMentions,
    ListingShape,
    PriceReference,
    RiskTerms,
    SellerRisk,
    TextNormalizer,
)

REGISTRY_CSV = """\
brand,aliases,category,product_type,product_lines,price_low_usd,price_high_usd,registered,authorised_sellers,popularity,fake_appeal
Rolex,,watches,watch,Submariner|Daytona|Datejust,6000,45000,1,rolex_official,3,5
Louis Vuitton,LV|Louis Vuitton Paris,bags_luxury_fashion,handbag,Neverfull|Speedy|Pochette Metis,1500,8000,1,louis_vuitton_official,4,5
Louis Vuitton,LV|Louis Vuitton Paris,bags_luxury_fashion,wallet,Zippy Wallet,450,1300,1,louis_vuitton_official,4,5
Nike,,sneakers_sportswear,sneakers,Air Jordan 1|Air Max 90|Dunk Low,60,250,1,nike_official|foot_locker_authorized,5,5
Adidas,,sneakers_sportswear,sneakers,Samba|Ultraboost,80,220,1,adidas_official,5,4
Apple,,electronics_accessories,earbuds,AirPods|AirPods Pro,129,549,1,apple_official,5,5
Apple,,electronics_accessories,smartphone,iPhone 15|iPhone 15 Pro,699,1599,1,apple_official,5,5
Apple,,electronics_accessories,smartwatch,Apple Watch Series 9,249,799,1,apple_official,5,5
Maison Margiela,Margiela,fragrance_cosmetics,perfume,Replica|Replica Jazz Club,80,180,1,margiela_official,2,2
Gucci,,bags_luxury_fashion,handbag,GG Marmont|Dionysus,1400,5500,1,gucci_official,4,5
Gucci,,bags_luxury_fashion,perfume,Gucci Bloom,70,200,1,gucci_official,4,5
Coach,,bags_luxury_fashion,handbag,Tabby|Willow,150,800,0,coach_official,4,3
"""  # noqa: E501

NUMERIC = (RiskTerms, PriceReference, SellerRisk, ListingShape)


def _expected_failures(estimator: object) -> dict[str, str]:
    array = "the check passes a NumPy array; listings are read by name from a DataFrame"
    failures = dict.fromkeys(
        (
            "check_complex_data",
            "check_dict_unchanged",
            "check_dont_overwrite_parameters",
            "check_dtype_object",
            "check_estimators_dtypes",
            "check_estimators_empty_data_messages",
            "check_estimators_fit_returns_self",
            "check_estimators_overwrite_params",
            "check_estimators_pickle",
            "check_f_contiguous_array_estimator",
            "check_fit1d",
            "check_fit2d_1feature",
            "check_fit2d_1sample",
            "check_fit2d_predict1d",
            "check_fit_check_is_fitted",
            "check_fit_idempotent",
            "check_fit_score_takes_y",
            "check_methods_sample_order_invariance",
            "check_methods_subset_invariance",
            "check_n_features_in",
            "check_pipeline_consistency",
            "check_positive_only_tag_during_fit",
            "check_readonly_memmap_input",
            "check_transformer_data_not_an_array",
            "check_transformer_general",
        ),
        array,
    )
    failures["check_n_features_in_after_fitting"] = (
        array + "; columns are selected by name, so other column sets are accepted"
    )
    for name in ("sparse_array", "sparse_matrix", "sparse_tag"):
        failures[f"check_estimator_{name}"] = "sparse input is rejected with a DataFrame TypeError"
    return failures


@parametrize_with_checks(
    [
        TextNormalizer(),
        RiskTerms(),
        BrandMentions(),
        PriceReference(),
        SellerRisk(),
        ListingShape(),
    ],
    expected_failed_checks=_expected_failures,
    xfail_strict=True,
)
def test_sklearn_compatible(estimator: Any, check: Callable[[Any], None]) -> None:
    name = check
    while isinstance(name, functools.partial):
        name = name.func
    if getattr(name, "__name__", "") not in _expected_failures(estimator):
        check(estimator)
        return
    try:
        check(estimator)
    except Exception as exc:  # an expected failure (xfail mark): report it without the deep
        # traceback into estimator_checks.py, which pytest would take ~0.3 s per check to render
        raise AssertionError(f"{type(exc).__name__}: {exc}") from None


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("registry") / "brands.csv"
    path.write_text(REGISTRY_CSV, encoding="utf-8")
    return path


def listing(**overrides: Any) -> dict[str, Any]:
    """One listing in canonical columns; keyword arguments override fields."""
    row: dict[str, Any] = {
        "listing_id": "L1",
        "title": "Rolex Submariner Date 41mm Black Dial 126610LN",
        "description": "Full set, box and papers.",
        "brand": "Rolex",
        "category": "watches",
        "price": 9150.0,
        "currency": "USD",
        "condition": "new",
        "quantity": 1,
        "ships_from": "CH",
        "image_count": 8,
        "seller_id": "watch_shop",
        "seller_age_days": 2400.0,
        "seller_rating": 4.9,
        "seller_n_ratings": 1204,
        "seller_n_listings": 800,
        "seller_n_takedowns": 0,
        "seller_n_brands": 12,
        "seller_gmv_90d": 250000.0,
        "seller_orders_90d": 40,
        "seller_returns_90d": 1,
    }
    row.update(overrides)
    return row


VARIED = [
    listing(),
    listing(
        listing_id="L2",
        title="AAA+ 1:1 R0lex Submariner watch, wholesale 10pcs!!! 🔥",
        brand="Generic",
        price=149.0,
        currency="EUR",
        quantity=25,
        ships_from="CN",
        seller_age_days=3.0,
        seller_rating=None,
        seller_n_ratings=None,
        seller_n_listings=40,
        seller_n_takedowns=6,
    ),
    listing(
        listing_id="L3",
        title="Silicone case for iPhone 15 Pro",
        description=None,
        brand=None,
        category="Cell Phones & Accessories",
        price=9.99,
        condition="New other (see details)",
        quantity=None,
        ships_from="Hong Kong",
        image_count=None,
        seller_id="apple_official",
    ),
    listing(
        listing_id="L4",
        title="coach bus toy",
        description="",
        brand="",
        category="",
        price="12.5",
        currency=None,
        condition=None,
        ships_from=None,
        **dict.fromkeys(
            (
                "seller_age_days",
                "seller_rating",
                "seller_n_ratings",
                "seller_n_listings",
                "seller_n_takedowns",
                "seller_n_brands",
                "seller_gmv_90d",
                "seller_orders_90d",
                "seller_returns_90d",
            ),
            math.nan,
        ),
    ),
    listing(
        listing_id="L5",
        title="Pre-owned Louis Vuitton Neverfull MM, receipt",
        brand="LV",
        category="bags_luxury_fashion",
        price=900.0,
        currency="GBP",
        condition="used",
        seller_id="louis_vuitton_official",
    ),
    listing(
        listing_id="L6",
        title="Leather shoulder bag",
        description="Inspired by a famous Gucci design",
        brand="Gucc",
        category="Bags",
        price=35.0,
        currency="XYZ",
        seller_rating=1.0,
        seller_n_ratings=2,
    ),
]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def front(registry_path: Path) -> tuple[TextNormalizer, BrandMentions]:
    """TextNormalizer and BrandMentions fitted on the varied listings."""
    X = frame(VARIED)
    tn = TextNormalizer().fit(X)
    bm = BrandMentions(registry=registry_path).fit(tn.transform(X))
    return tn, bm


@pytest.fixture(scope="module")
def enriched(front: tuple[TextNormalizer, BrandMentions]) -> pd.DataFrame:
    tn, bm = front
    return bm.transform(tn.transform(frame(VARIED)))


LABELS = [0, 1, 0, 0, 0, 1]


def make(cls: type, registry_path: Path, **params: Any) -> Any:
    if cls in (PriceReference, SellerRisk, BrandMentions):
        params.setdefault("registry", registry_path)
    return cls(**params)


@pytest.fixture(scope="module")
def fitted(registry_path: Path, enriched: pd.DataFrame) -> dict[type, Any]:
    return {cls: make(cls, registry_path).fit(enriched, LABELS) for cls in NUMERIC}


# -- scikit-learn behaviour on listing frames ---------------------------------------------------


ALL = (TextNormalizer, BrandMentions, *NUMERIC)


def _output(est: Any, X: pd.DataFrame) -> pd.DataFrame:
    out = est.transform(X)
    if isinstance(out, pd.DataFrame):
        return out.reset_index(drop=True)
    return pd.DataFrame(out, columns=est.get_feature_names_out())


@pytest.mark.parametrize("cls", ALL)
def test_fit_returns_self_and_is_idempotent(
    cls: type, registry_path: Path, enriched: pd.DataFrame
) -> None:
    est = make(cls, registry_path)
    assert est.fit(enriched, LABELS) is est
    first = _output(est, enriched)
    est.fit(enriched, LABELS)
    pd.testing.assert_frame_equal(_output(est, enriched), first)
    fit_transform = clone(est).fit_transform(enriched, LABELS)
    pd.testing.assert_frame_equal(
        _output(est, enriched),
        fit_transform.reset_index(drop=True)
        if isinstance(fit_transform, pd.DataFrame)
        else pd.DataFrame(fit_transform, columns=est.get_feature_names_out()),
    )


@pytest.mark.parametrize("cls", ALL)
def test_unfitted_transform_raises(cls: type, registry_path: Path, enriched: pd.DataFrame) -> None:
    with pytest.raises(NotFittedError):
        make(cls, registry_path).transform(enriched)


@pytest.mark.parametrize("cls", ALL)
def test_row_order_and_subset_invariance(
    cls: type, registry_path: Path, enriched: pd.DataFrame
) -> None:
    est = make(cls, registry_path).fit(enriched, LABELS)
    full = _output(est, enriched)
    order = [3, 0, 5, 1, 4, 2]
    permuted = _output(est, enriched.iloc[order])
    pd.testing.assert_frame_equal(permuted, full.iloc[order].reset_index(drop=True))
    subset = _output(est, enriched.iloc[[1, 4]])
    pd.testing.assert_frame_equal(subset, full.iloc[[1, 4]].reset_index(drop=True))


@pytest.mark.parametrize("cls", ALL)
def test_fit_does_not_change_params_or_input(
    cls: type, registry_path: Path, enriched: pd.DataFrame
) -> None:
    est = make(cls, registry_path)
    params = est.get_params()
    before = enriched.copy()
    est.fit(enriched, LABELS)
    state = dict(est.__dict__)
    est.transform(enriched)
    assert est.get_params() == params
    assert est.__dict__.keys() == state.keys()
    pd.testing.assert_frame_equal(enriched, before)


@pytest.mark.parametrize("cls", ALL)
def test_fit_records_input_columns(cls: type, registry_path: Path, enriched: pd.DataFrame) -> None:
    est = make(cls, registry_path).fit(enriched, LABELS)
    assert est.n_features_in_ == enriched.shape[1]
    assert list(est.feature_names_in_) == list(enriched.columns)


@pytest.mark.parametrize("cls", ALL)
def test_input_validation(cls: type, registry_path: Path, enriched: pd.DataFrame) -> None:
    est = make(cls, registry_path)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        est.fit(enriched.to_numpy())
    with pytest.raises(ValueError, match="0 listings"):
        est.fit(enriched.iloc[:0])
    est.fit(enriched, LABELS)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        est.transform(enriched.to_dict("records"))
    assert len(_output(est, enriched.iloc[:0])) == 0
    required = getattr(est, "required_columns", ())
    if required:
        with pytest.raises(ValueError, match=required[0]):
            est.transform(enriched.drop(columns=list(required)))


@pytest.mark.parametrize("cls", ALL)
def test_single_row_frames(cls: type, registry_path: Path, enriched: pd.DataFrame) -> None:
    est = make(cls, registry_path).fit(enriched.iloc[[0]])
    assert len(_output(est, enriched.iloc[[2]])) == 1


@pytest.mark.parametrize("cls", NUMERIC)
def test_transform_tolerates_missing_optional_columns(
    cls: type, fitted: dict[type, Any], enriched: pd.DataFrame
) -> None:
    est = fitted[cls]
    keep = [c for c in ("title", "price") if c in enriched.columns]
    out = est.transform(enriched[keep])
    assert out.shape == (len(enriched), len(est.get_feature_names_out()))
    assert out.dtype == np.float64 and np.isfinite(out).all()


@pytest.mark.parametrize("cls", ALL)
def test_set_output_pandas(cls: type, registry_path: Path, enriched: pd.DataFrame) -> None:
    est = make(cls, registry_path).set_output(transform="pandas")
    out = est.fit_transform(enriched, LABELS)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(est.get_feature_names_out())
    assert out.index.equals(enriched.index)
    if cls in NUMERIC:
        assert (out.dtypes == np.float64).all()


@pytest.mark.parametrize("cls", ALL)
def test_pickle_round_trip(
    cls: type, registry_path: Path, enriched: pd.DataFrame, tmp_path: Path
) -> None:
    est = make(cls, registry_path).fit(enriched, LABELS)
    path = tmp_path / "est.joblib"
    joblib.dump(est, path)
    loaded = joblib.load(path)
    pd.testing.assert_frame_equal(_output(loaded, enriched), _output(est, enriched))
    if cls in NUMERIC:
        record = enriched.iloc[1].to_dict()
        np.testing.assert_array_equal(loaded.transform_record(record), est.transform_record(record))


@pytest.mark.parametrize("cls", NUMERIC)
def test_numeric_output_is_float64_and_finite(
    cls: type, fitted: dict[type, Any], enriched: pd.DataFrame
) -> None:
    out = fitted[cls].transform(enriched)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    assert out.shape == (len(enriched), len(fitted[cls].get_feature_names_out()))
    assert np.isfinite(out).all()


# -- transform_record: the single-listing path ---------------------------------------------------


@pytest.mark.parametrize("index", range(len(VARIED)))
@pytest.mark.parametrize("cls", NUMERIC)
def test_transform_record_equals_transform(
    cls: type, index: int, front: tuple[TextNormalizer, BrandMentions], fitted: dict[type, Any]
) -> None:
    tn, bm = front
    raw = VARIED[index]
    batch_row = bm.transform(tn.transform(frame([raw])))
    record = bm.enrich_record(tn.transform_record(raw))
    est = fitted[cls]
    expected = est.transform(batch_row)[0]
    got = est.transform_record(record)
    assert got.dtype == np.float64 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # and straight from the raw record, without the precomputed text columns
    bare = {k: v for k, v in record.items() if not k.endswith(("_norm", "_deob"))}
    np.testing.assert_allclose(est.transform_record(bare), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("index", range(len(VARIED)))
def test_brand_record_equals_transform(
    index: int, front: tuple[TextNormalizer, BrandMentions]
) -> None:
    tn, bm = front
    raw = VARIED[index]
    row = bm.transform(tn.transform(frame([raw]))).iloc[0]
    np.testing.assert_allclose(
        bm.transform_record(raw), row[list(BRAND_NUMERIC_FEATURES)].to_numpy(float), atol=1e-12
    )
    detection = bm.detect_record(raw)
    assert [detection.brand, detection.product_type, detection.term, detection.line] == [
        row[c] for c in BRAND_STRING_FEATURES
    ]


def test_nullable_dtypes_give_same_features(
    fitted: dict[type, Any], enriched: pd.DataFrame
) -> None:
    typed = enriched.astype(
        {
            "title": "string",
            "brand": "string",
            "seller_n_listings": "Int64",
            "seller_n_takedowns": "Int64",
            "quantity": "Int64",
            "image_count": "Int64",
            "ships_from": "string",
        }
    )
    for est in fitted.values():
        np.testing.assert_array_equal(est.transform(typed), est.transform(enriched))


# -- brand mentions ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def brands(registry_path: Path) -> BrandMentions:
    return BrandMentions(registry=registry_path).fit(pd.DataFrame({"title": ["x"]}))


@pytest.mark.parametrize(
    ("title", "declared", "category", "brand", "how", "term"),
    [
        ("Rolex Submariner Date 41mm", "Rolex", "", "Rolex", "exact", "rolex"),
        ("LV Neverfull MM monogram tote", "", "", "Louis Vuitton", "alias", "lv"),
        ("Louis Vuitton Paris Speedy 30", "", "", "Louis Vuitton", "alias", "louis vuitton paris"),
        ("Rolax Submariner automatic watch", "", "", "Rolex", "fuzzy", "rolax"),
        ("Guci shoulder bag", "", "", "Gucci", "fuzzy", "guci"),
        ("Addidas Samba OG", "", "", "Adidas", "fuzzy", "addidas"),
        ("louis vitton speedy 30", "", "", "Louis Vuitton", "fuzzy", "louis vitton"),
        ("Gucc1 Marmont shoulder bag", "", "", "Gucci", "deobfuscated", "gucc1"),
        ("G U C C I Marmont shoulder bag", "", "", "Gucci", "deobfuscated", "g u c c i"),
        ("R0lex watch 41mm", "", "", "Rolex", "deobfuscated", "r0lex"),
        ("Gu cci bag", "", "", "Gucci", "deobfuscated", "gu cci"),
        ("R0lax watch", "", "", "Rolex", "fuzzy", "r0lax"),  # misspelt and obfuscated
        ("Submariner Date 41mm automatic watch", "", "", "Rolex", "line", "submariner"),
        ("Submariner Date 41mm", "", "watches", "Rolex", "line", "submariner"),
        ("Nike Air Jordan 1 Retro High", "", "", "Nike", "exact", "nike"),
        ("Air Jordan 1 Retro High OG", "", "", "Nike", "line", "air jordan 1"),
        ("Leather shoulder bag", "Gucci", "", "Gucci", "declared", "gucci"),
        ("vintage Coach purse", "", "", "Coach", "exact", "coach"),
        ("coach tabby shoulder bag", "", "", "Coach", "exact", "coach"),
        ("Coacch Handbag Navy", "", "", "Coach", "fuzzy", "coacch"),  # misspelt + product word
        ("couch cushion cover", "", "", "", "", ""),  # "couch" is not a misspelt Coach
        ("Watch Series 9 45mm GPS", "", "", "Apple", "line", "watch series 9"),  # brand cut off
        ("coach bus toy", "", "", "", "", ""),
        ("Coach Bus Toy Model", "", "", "", "", ""),  # title case: capitals say nothing
        ("apple juice box", "", "", "", "", ""),
        ("Submariner Date 41mm", "", "", "", "", ""),  # a single-word line needs evidence
        ("nike channel bag", "", "", "Nike", "exact", "nike"),  # channel is not Chanel
    ],
)
def test_brand_detection_cases(
    brands: BrandMentions,
    title: str,
    declared: str,
    category: str,
    brand: str,
    how: str,
    term: str,
) -> None:
    detection = brands.detect(title, "", declared, category=category)
    assert (detection.brand, detection.how, detection.term) == (brand, how, term)


@pytest.mark.parametrize(
    ("title", "brand", "how"),
    [
        # a real Abt title: "canon" is written plainly; de-obfuscating "PGI-5BK" only moved the
        # words around it, which used to make it read as an obfuscated Canon
        ("Canon PGI-5BK Black Ink Tank Cartridge - PGI5BK", "", ""),
        ("C4non PGI-5BK Black Ink Tank Cartridge", "Canon", "deobfuscated"),
        ("Canon PGI-5BK ink cartridge", "Canon", "exact"),
        ("canon gucc1 bag", "Gucci", "deobfuscated"),  # the plain word is not the brand
    ],
)
def test_plain_names_are_not_read_as_obfuscated(title: str, brand: str, how: str) -> None:
    shipped = BrandMentions().fit(pd.DataFrame({"title": ["x"]}))  # the shipped registry
    detection = shipped.detect(title, "")
    assert (detection.brand, detection.how) == (brand, how)
    assert dict(zip(BRAND_NUMERIC_FEATURES, detection.values, strict=True))[
        "brand_match_deobfuscated"
    ] == float(how == "deobfuscated")


@pytest.mark.parametrize(
    ("title", "product_type", "line"),
    [
        # real genuine listings (the first from Abt.com) priced as the product they fit
        ("Apple MacBook Air SuperDrive - MB397GA", "", ""),
        ("Apple MacBook Air 45W MagSafe Power Adapter", "charger", ""),
        ("Apple iPhone 16 Pro Silicone Case with MagSafe", "phone_case", ""),
        ("Nintendo Switch OLED Carrying Case", "", ""),
        # the product itself, with what comes with it or describes it
        ("Apple MacBook Air 13-inch M3 laptop", "laptop", "macbook air"),
        ("iPhone 16 Pro Max 256GB with case", "smartphone", "iphone 16 pro max"),
        ("Netgear Nighthawk RAX54S Dual Band Router", "router", "nighthawk rax54s"),
        ("OtterBox Defender Series Phone Case", "phone_case", "defender series"),
        ("Rolex Submariner 41mm Oystersteel case", "watch", "submariner"),  # watches: a part
    ],
)
def test_accessories_are_not_priced_as_the_product_they_fit(
    title: str, product_type: str, line: str
) -> None:
    shipped = BrandMentions().fit(pd.DataFrame({"title": ["x"]}))
    detection = shipped.detect(title, "")
    assert (detection.product_type, detection.line) == (product_type, line)


def _features(
    brands: BrandMentions, title: str, description: str = "", declared: str = "", **kw: Any
) -> dict[str, float]:
    values = brands.detect(title, description, declared, **kw).values
    return dict(zip(BRAND_NUMERIC_FEATURES, values, strict=True))


@pytest.mark.parametrize(
    ("title", "flag"),
    [
        ("Rolex Submariner", "brand_match_exact"),
        ("LV Speedy bag", "brand_match_alias"),
        ("Rolax watch", "brand_match_fuzzy"),
        ("G U C C I bag", "brand_match_deobfuscated"),
        ("Submariner automatic watch", "brand_line_only"),
    ],
)
def test_brand_match_flags_are_exclusive(brands: BrandMentions, title: str, flag: str) -> None:
    f = _features(brands, title)
    kinds = [k for k in BRAND_NUMERIC_FEATURES if k.startswith(("brand_match_", "brand_line"))]
    assert [k for k in kinds if f[k]] == [flag]
    assert f["brand_mentioned"] == float(flag != "brand_line_only")


@pytest.mark.parametrize(
    "title",
    [
        "Silicone case for iPhone 15 Pro",
        "Sport band compatible with Apple Watch Series 9",
        "Replacement laces for Nike shoes",
        "Charging case fits Apple AirPods Pro",
    ],
)
def test_brand_after_compat(brands: BrandMentions, title: str) -> None:
    f = _features(brands, title)
    assert f["brand_after_compat"] == 1.0
    assert _features(brands, "Nike Air Max 90 shoes for men")["brand_after_compat"] == 0.0


@pytest.mark.parametrize(
    ("declared", "missing", "generic", "mismatch"),
    [
        ("", 1, 0, 0),
        (None, 1, 0, 0),
        ("Generic", 0, 1, 0),
        ("No Brand", 0, 1, 0),
        ("OEM", 0, 1, 0),
        ("Rolex", 0, 0, 0),
        ("rolex", 0, 0, 0),
        ("Rolexx", 0, 0, 0),  # a misspelt declared brand still resolves
        ("Nike", 0, 0, 1),  # another registry brand
        ("Acme Watches", 0, 0, 1),  # an unknown brand while Rolex is detected
    ],
)
def test_declared_brand(
    brands: BrandMentions, declared: str | None, missing: int, generic: int, mismatch: int
) -> None:
    f = _features(brands, "Rolex Submariner Date", declared=declared)  # type: ignore[arg-type]
    assert (f["declared_brand_missing"], f["declared_brand_generic"]) == (missing, generic)
    assert f["declared_brand_mismatch"] == mismatch


def test_brand_registry_values_and_category(brands: BrandMentions) -> None:
    f = _features(brands, "Coach Tabby shoulder bag", category="Clothing > Shoes")
    assert (f["brand_registered"], f["brand_fake_appeal"]) == (0.0, 3.0)
    assert f["brand_category_mismatch"] == 1.0
    assert _features(brands, "Coach Tabby bag", category="Handbags")["brand_category_mismatch"] == 0
    none = _features(brands, "plain leather bag")
    assert (none["brand_registered"], none["brand_fake_appeal"], none["brand_mentioned"]) == (
        0,
        0,
        0,
    )


def test_brand_description_only_and_counts(brands: BrandMentions) -> None:
    f = _features(brands, "Leather shoulder bag", "Authentic Gucci bag from 2019")
    assert f["brand_in_description_only"] == 1.0 and f["brand_mentioned"] == 1.0
    assert f["n_brands_mentioned"] == 0.0
    assert _features(brands, "Nike x Adidas mashup sneakers")["n_brands_mentioned"] == 2.0


def test_brand_product_type(brands: BrandMentions) -> None:
    assert brands.detect("Gucci Bloom eau de parfum").product_type == "perfume"
    assert brands.detect("Gucci GG Marmont mini").product_type == "handbag"
    assert brands.detect("Rolex").product_type == "watch"  # the brand's only type
    assert brands.detect("Apple gift card").product_type == ""


def test_margiela_replica_is_the_brand_line(brands: BrandMentions) -> None:
    detection = brands.detect("Maison Margiela Replica Jazz Club EDT 100ml")
    assert (detection.brand, detection.product_type) == ("Maison Margiela", "perfume")


def test_brand_transform_frame(brands: BrandMentions) -> None:
    X = pd.DataFrame(
        {"title": ["R0lex watch", "plain bag"], "brand": ["Generic", None]}, index=["a", "b"]
    )
    out = brands.transform(X)
    assert list(out.columns) == [
        "title",
        *BRAND_STRING_FEATURES,
        *BRAND_NUMERIC_FEATURES,
    ]
    assert out["detected_brand"].tolist() == ["Rolex", ""]
    assert pd.api.types.is_string_dtype(out["detected_brand"])
    assert out.loc["a", "brand_match_deobfuscated"] == 1.0


def test_brand_parameters_are_validated(registry_path: Path) -> None:
    X = pd.DataFrame({"title": ["x"]})
    with pytest.raises(ValueError, match="fuzzy_threshold"):
        BrandMentions(registry=registry_path, fuzzy_threshold=120).fit(X)
    with pytest.raises(TypeError, match="registry"):
        BrandMentions(registry=42).fit(X)  # type: ignore[arg-type]


# -- price reference -----------------------------------------------------------------------------


def _priced(n: int, price: float, brand: str = "Nike", ptype: str = "sneakers") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "price": [price] * n,
            "detected_brand": [brand] * n,
            "detected_product_type": [ptype] * n,
        }
    )


def test_price_centre_moves_from_prior_toward_data(registry_path: Path) -> None:
    prior = (math.log(60) + math.log(250)) / 2
    data = math.log(20.0)
    centres = []
    for n in (1, 20, 400):
        pr = PriceReference(registry=registry_path).fit(_priced(n, 20.0))
        centre = pr.centres_["Nike", "sneakers"]
        assert centre == pytest.approx(prior + n / (n + 20) * (data - prior))
        centres.append(centre)
    assert prior > centres[0] > centres[1] > centres[2] > data
    untouched = PriceReference(registry=registry_path).fit(_priced(5, 20.0))
    assert untouched.centres_["Rolex", "watch"] == pytest.approx(
        (math.log(6000) + math.log(45000)) / 2
    )


def test_price_learns_from_genuine_rows_only(registry_path: Path) -> None:
    X = pd.concat([_priced(50, 100.0), _priced(50, 5.0)], ignore_index=True)
    y = [0] * 50 + [1] * 50
    pr = PriceReference(registry=registry_path, prior_strength=0.0).fit(X, y)
    assert pr.centres_["Nike", "sneakers"] == pytest.approx(math.log(100.0))
    assert pr.scales_["Nike", "sneakers"] == pytest.approx(0.25)  # no spread: min_scale


def test_price_features_and_robust_z_sign(registry_path: Path) -> None:
    pr = PriceReference(registry=registry_path).fit(_priced(10, 150.0))
    names = list(pr.get_feature_names_out())
    nike = {"detected_brand": "Nike", "detected_product_type": "sneakers"}
    cheap = dict(zip(names, pr.transform_record({"price": 15.0, **nike}), strict=True))
    dear = dict(
        zip(names, pr.transform_record({"price": 900.0, "detected_brand": "Nike"}), strict=True)
    )
    assert cheap["price_robust_z"] < 0 < dear["price_robust_z"]
    assert cheap["price_below_half"] == 1.0 and dear["price_below_half"] == 0.0
    assert cheap["price_reference_level"] == 3.0 and dear["price_reference_level"] == 2.0
    assert cheap["price_ratio"] == pytest.approx(math.exp(cheap["price_log_ratio"]))
    assert dear["price_ratio"] <= 10.0 and -10 <= cheap["price_robust_z"] <= 10


def test_price_currency_conversion(registry_path: Path) -> None:
    pr = PriceReference(registry=registry_path).fit(_priced(10, 150.0))
    usd = pr.transform_record({"price": 108.0, "detected_brand": "Nike"})
    eur = pr.transform_record({"price": 100.0, "currency": "eur", "detected_brand": "Nike"})
    np.testing.assert_allclose(eur, usd, atol=1e-12)  # 1 EUR = 1.08 USD in USD_PER_UNIT
    unknown = pr.transform_record({"price": 100.0, "currency": "XYZ", "detected_brand": "Nike"})
    assert unknown[3] == 0.0 and unknown[0] == 0.0  # no price in USD: no reference


def test_price_unknown_brand_uses_category(registry_path: Path) -> None:
    X = pd.DataFrame(
        {
            "price": [10.0, 12.0, 14.0, 500.0],
            "detected_brand": ["", "", "", "Rolex"],
            "category": ["Phone Cases", "phone cases", "Phone  Cases", "watches"],
        }
    )
    pr = PriceReference(registry=registry_path, prior_strength=0.0).fit(X)
    assert pr.category_centres_["phone cases"] == pytest.approx(math.log(12.0))
    names = list(pr.get_feature_names_out())
    with_cat = dict(
        zip(names, pr.transform_record({"price": 6.0, "category": "PHONE CASES"}), strict=True)
    )
    assert with_cat["price_reference_level"] == 1.0
    assert with_cat["price_log_ratio"] == pytest.approx(math.log(0.5))
    without = pr.transform_record({"price": 6.0, "category": "garden"})
    assert without[3] == 0.0 and without[1] == 0.0 and without[4] == 1.0
    assert pr.reference_for("") is None
    centre, scale = pr.reference_for("Rolex", "watch")
    assert centre == pytest.approx(math.exp(pr.centres_["Rolex", "watch"])) and scale >= 0.25


def test_price_condition_offset(registry_path: Path) -> None:
    X = pd.concat([_priced(40, 150.0), _priced(40, 75.0)], ignore_index=True)
    X["condition"] = ["new"] * 40 + ["Pre-owned"] * 40
    pr = PriceReference(registry=registry_path).fit(X)
    assert pr.condition_offsets_["used"] < 0
    used = pr.transform_record({"price": 75.0, "condition": "used", "detected_brand": "Nike",
                                "detected_product_type": "sneakers"})  # fmt: skip
    new = pr.transform_record({"price": 75.0, "condition": "new", "detected_brand": "Nike",
                               "detected_product_type": "sneakers"})  # fmt: skip
    assert used[1] > new[1]  # a used pair at 75 is less far below its reference


# -- seller risk ---------------------------------------------------------------------------------


def _seller(registry_path: Path, **params: Any) -> SellerRisk:
    return SellerRisk(registry=registry_path, **params).fit(pd.DataFrame({"seller_id": ["x"]}))


def _seller_features(sr: SellerRisk, **record: Any) -> dict[str, float]:
    return dict(zip(sr.get_feature_names_out(), sr.transform_record(record), strict=True))


def test_seller_rating_shrinkage(registry_path: Path) -> None:
    sr = _seller(registry_path)
    few = _seller_features(sr, seller_rating=5.0, seller_n_ratings=2)
    many = _seller_features(sr, seller_rating=5.0, seller_n_ratings=2000)
    none = _seller_features(sr)
    assert none["seller_rating_shrunk"] == pytest.approx(4.6)
    assert few["seller_rating_shrunk"] == pytest.approx((5 * 2 + 4.6 * 20) / 22)
    assert 4.6 < few["seller_rating_shrunk"] < many["seller_rating_shrunk"] < 5.0


def test_seller_takedown_smoothing(registry_path: Path) -> None:
    sr = _seller(registry_path)
    small = _seller_features(sr, seller_n_listings=2, seller_n_takedowns=1)
    large = _seller_features(sr, seller_n_listings=200, seller_n_takedowns=100)
    assert small["seller_takedown_rate"] == pytest.approx(1.5 / 22.5)
    assert small["seller_takedown_rate"] < large["seller_takedown_rate"] < 0.5
    assert _seller_features(sr)["seller_takedown_rate"] == pytest.approx(0.5 / 20.5)
    assert small["seller_has_takedowns"] == 1.0


def test_seller_history_missing_is_not_a_new_seller(registry_path: Path) -> None:
    sr = _seller(registry_path)
    empty = _seller_features(sr, seller_id="retailer")
    new = _seller_features(sr, seller_age_days=2, seller_n_listings=50)
    assert empty["seller_history_missing"] == 1.0 and empty["seller_age_missing"] == 1.0
    assert empty["seller_new"] == 0.0 and empty["seller_velocity"] == 0.0
    assert new["seller_history_missing"] == 0.0 and new["seller_new"] == 1.0
    assert new["seller_velocity"] == pytest.approx(math.log1p(50 / 3))
    out = sr.transform(pd.DataFrame({"seller_id": ["a", "b"]}))  # a catalogue without history
    assert (out[:, list(sr.get_feature_names_out()).index("seller_history_missing")] == 1).all()


def test_seller_authorised(registry_path: Path) -> None:
    sr = _seller(registry_path)
    nike = {"seller_id": "foot_locker_authorized", "detected_brand": "Nike"}
    assert _seller_features(sr, **nike)["seller_authorised"] == 1.0
    assert _seller_features(sr, **{**nike, "detected_brand": "Adidas"})["seller_authorised"] == 0.0
    assert _seller_features(sr, **{**nike, "detected_brand": ""})["seller_authorised"] == 0.0


def test_seller_rates_and_parameters(registry_path: Path) -> None:
    sr = _seller(registry_path)
    f = _seller_features(sr, seller_orders_90d=100, seller_returns_90d=30, seller_n_brands=40,
                         seller_n_listings=99, seller_gmv_90d=-5)  # fmt: skip
    assert f["seller_return_rate"] == pytest.approx(31 / 120)
    assert f["seller_brand_diversity"] == pytest.approx(0.4)
    assert f["seller_log_gmv"] == 0.0
    with pytest.raises(ValueError, match="rating_prior"):
        SellerRisk(rating_prior=7).fit(pd.DataFrame({"seller_id": ["x"]}))


# -- listing shape and risk terms ----------------------------------------------------------------


def test_listing_shape_country_target_encoding() -> None:
    X = pd.DataFrame(
        {"title": list("abcdef"), "ships_from": ["CN", "CN", "China", "US", "US", None]}
    )
    y = [1, 1, 1, 0, 0, 0]
    ls = ListingShape(smoothing=3).fit(X, y)
    assert ls.global_rate_ == 0.5
    assert ls.country_rate_ == {"CN": pytest.approx(4.5 / 6), "US": pytest.approx(1.5 / 5)}
    names = list(ls.get_feature_names_out())
    risk = names.index("ships_from_risk")
    assert ls.transform_record({"title": "x", "ships_from": "DE"})[risk] == 0.5
    assert ls.transform_record({"title": "x"})[names.index("ships_from_known")] == 0.0
    assert ListingShape().fit(X).transform_record({"title": "x", "ships_from": "CN"})[risk] == 0.0


def test_listing_shape_features() -> None:
    ls = ListingShape().fit(pd.DataFrame({"title": ["x"]}))
    f = dict(
        zip(
            ls.get_feature_names_out(),
            ls.transform_record(
                {
                    "title": "NEW Rolex 100% AUTHENTIC!!! 🔥",
                    "quantity": 12,
                    "condition": "Seller refurbished",
                }
            ),
            strict=True,
        )
    )
    assert f["quantity_bulk"] == 1.0 and f["quantity_log"] == pytest.approx(math.log(13))
    assert (f["image_count"], f["image_count_missing"]) == (0.0, 1.0)
    assert (f["condition_new"], f["condition_refurbished"]) == (0.0, 1.0)
    assert (f["title_emoji_count"], f["title_exclaim"]) == (1.0, 3.0)
    assert f["title_upper_ratio"] == pytest.approx(13 / 17)


@pytest.fixture(scope="module")
def terms() -> RiskTerms:
    return RiskTerms().fit(pd.DataFrame({"title": ["x"]}))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("AAA+ 1:1 Replica Rolex, wholesale 10pcs", {"replica": 1, "slang": 2, "bulk": 2}),
        ("Super clone VSF factory Submariner", {"slang": 2}),
        ("Official replica jersey 23/24", {}),
        ("Maison Margiela Replica Jazz Club EDT", {}),
        ("Replica By the Fireplace, Maison Margiela", {}),
        ("1:18 scale replica Ferrari F40 diecast", {}),
        ("r.e.p.l.i.c.a Gucci bag", {"replica": 1}),
        ("Gucci inspired look-alike bag, dupe", {"euphemism": 3}),
        ("Case for iPhone 15, compatible with MagSafe", {"compat": 2}),
        ("Pre-owned Rolex with box and papers, receipt", {"used": 1, "official": 2}),
        ("Clearance sale 50% off", {"outlet": 3}),
        ("Nike Air Jordan 1 GS grade school", {}),
        ("Tiffany mirror necklace", {"slang": 1}),
    ],
)
def test_risk_term_families(terms: RiskTerms, title: str, expected: dict[str, int]) -> None:
    counts = dict(
        zip(terms.get_feature_names_out(), terms.transform_record({"title": title}), strict=True)
    )
    found = {k[len("terms_") :]: v for k, v in counts.items() if v and not k.endswith("_desc")}
    assert found == expected


def test_risk_terms_description_and_explain(terms: RiskTerms) -> None:
    f = dict(
        zip(
            terms.get_feature_names_out(),
            terms.transform_record(
                {"title": "Watch", "description": "Top quality copy. Inspired by"}
            ),
            strict=True,
        )
    )
    assert (f["terms_slang"], f["terms_slang_desc"], f["terms_replica_desc"]) == (0, 1, 1)
    explained = terms.explain_terms("Mirror quality R3plica, inspired by Rolex")
    assert explained["slang"] == ["mirror quality"]
    assert explained["replica"] == ["replica"]
    assert explained["euphemism"] == ["inspired by"]
    assert explained["bulk"] == []


def test_risk_terms_parameters() -> None:
    X = pd.DataFrame({"title": ["Buy a KNOCK-OFF now"]})
    rt = RiskTerms(replica=("knock off",), description=False).fit(X)
    assert rt.transform(X)[0, 0] == 1.0
    assert len(rt.get_feature_names_out()) == 9  # eight families and formats (issue 18)
    with pytest.raises(ValueError, match="exceptions are phrases"):
        RiskTerms(exceptions=("re:x",)).fit(X)
    with pytest.raises(ValueError, match="not a valid pattern"):
        RiskTerms(slang=("re:(unclosed",)).fit(X)
    with pytest.raises(ValueError, match="tuple of phrases"):
        RiskTerms(slang="replica").fit(X)


# -- batch / record parity on generated listings ---------------------------------------------------

_TITLE_WORDS = [
    "Rolex", "R0lex", "Rolax", "G U C C I", "Gucc1", "LV", "L*V", "Louis Vuitton", "Submariner",
    "Neverfull", "Air Jordan 1", "iPhone 15", "coach", "Coach", "case for", "compatible with",
    "AAA+", "1:1", "replica", "Official replica jersey", "inspired by", "wholesale", "10pcs",
    "pre-owned", "50% off", "watch", "bag", "sneakers", "🔥", "!!!", "126610LN", "42mm", "",
]  # fmt: skip
_MISSING = [None, math.nan, pd.NA, ""]


@pytest.fixture(scope="module")
def pipeline_parts(registry_path: Path) -> tuple[TextNormalizer, BrandMentions, list[Any]]:
    X = frame(VARIED)
    tn = TextNormalizer().fit(X)
    bm = BrandMentions(registry=registry_path).fit(tn.transform(X))
    enriched = bm.transform(tn.transform(X))
    numeric = [make(cls, registry_path).fit(enriched, LABELS) for cls in NUMERIC]
    return tn, bm, numeric


@st.composite
def listings(draw: st.DrawFn) -> dict[str, Any]:
    words = draw(st.lists(st.sampled_from(_TITLE_WORDS), min_size=1, max_size=6))
    number = st.one_of(st.sampled_from(_MISSING), st.floats(-5, 1e6), st.integers(0, 10**6))
    text = st.one_of(st.sampled_from(_MISSING), st.sampled_from(_TITLE_WORDS), st.text(max_size=30))
    record: dict[str, Any] = {"title": " ".join(words)}
    for column in ("description", "brand", "category", "condition", "currency", "ships_from",
                   "seller_id"):  # fmt: skip
        if draw(st.booleans()):
            record[column] = draw(text)
    for column in (
        "price",
        "quantity",
        "image_count",
        *[c for c in listing() if c.startswith("seller_") and c != "seller_id"],
    ):
        if draw(st.booleans()):
            record[column] = draw(number)
    return record


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(listings(), min_size=1, max_size=4))
def test_generated_listings_record_equals_batch(
    pipeline_parts: tuple[TextNormalizer, BrandMentions, list[Any]], rows: list[dict[str, Any]]
) -> None:
    tn, bm, numeric = pipeline_parts
    batch = bm.transform(tn.transform(pd.DataFrame(rows)))
    for i, raw in enumerate(rows):
        record = bm.enrich_record(tn.transform_record(raw))
        assert [record[c] for c in BRAND_STRING_FEATURES] == [
            batch.iloc[i][c] for c in BRAND_STRING_FEATURES
        ]
        for est in numeric:
            np.testing.assert_allclose(
                est.transform_record(record), est.transform(batch)[i], rtol=0, atol=1e-12
            )


@pytest.mark.parametrize(
    "value",
    [" 12 ", "1e3", "inf", "1_000", "١٢", "1,204", "", None, pd.NA, math.nan, True, 7, "x", b"1"],
)
def test_record_readers_match_column_readers(value: object) -> None:
    from cfdetect.features._base import number_column, number_of, text_column, text_of

    column = pd.DataFrame({"v": pd.Series([value], dtype=object)})
    np.testing.assert_array_equal(number_of({"v": value}, "v"), number_column(column, "v")[0])
    assert text_of({"v": value}, "v") == text_column(column, "v")[0]


@pytest.mark.parametrize(
    "title",
    [
        "Dior Sauvage EDT 1 ml sample vial",
        "Creed Aventus decant 5 ml",
        "Tom Ford Oud Wood travel spray 10ml",
        "Prada Paradoxe EDP tester, no box",
        "Muestra Carolina Herrera Good Girl 1,5 ml",
        "Amostra Natura Essencial 2 ml",
        "Chanel N°5 Pröbchen 1,5 ml",
        "Échantillon Guerlain Shalimar 1 ml",
        "Пробник Диор Жадор 1 мл",
    ],
)
def test_small_formats_are_counted(title: str) -> None:
    """Samples, decants, testers and travel sizes in six languages (issue 18: formats with their
    own prices), so that their low price is no evidence of a copy (``cfdetect.policy``)."""
    X = pd.DataFrame({"title": [title]})
    rt = RiskTerms(description=False).fit(X)
    counts = dict(zip(rt.get_feature_names_out(), rt.transform(X)[0], strict=True))
    assert counts["terms_formats"] >= 1, title
    assert counts["terms_replica"] == 0


def test_a_product_named_mini_is_no_small_format() -> None:
    X = pd.DataFrame({"title": ["Apple iPad mini 7 128GB", "Mac mini M4"]})
    rt = RiskTerms(description=False).fit(X)
    names = list(rt.get_feature_names_out())
    assert (rt.transform(X)[:, names.index("terms_formats")] == 0).all()
