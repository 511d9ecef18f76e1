"""The vectorised fast paths equal their plain definitions: n-gram hashing, the lockstep forest
and its leaf tables, the text score, and ``parse_record``'s short paths."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingClassifier

from cfdetect import _parsers as p
from cfdetect._fasttrees import CompiledForest
from cfdetect._record import _is_missing_value, _parse_one, _parse_one_price
from cfdetect.errors import InvalidListing
from cfdetect.features import TextRiskScore
from cfdetect.features._hashing import char_ngram_buckets, reference_hash
from cfdetect.schema import _BY_NAME, ALL_COLUMNS, LISTING_COLUMNS, parse_record
from cfdetect.scorer import interp_one

# -- hashing -------------------------------------------------------------------------------------


def _reference_buckets(
    texts: list[str], ngram_range: tuple[int, int], n_features: int, max_chars: int, seed: int
) -> list[tuple[int, int]]:
    out = []
    for row, text in enumerate(texts):
        padded = f" {text[:max_chars]} " if text else " "
        for size in range(ngram_range[0], ngram_range[1] + 1):
            for i in range(len(padded) - size + 1):
                gram = padded[i : i + size]
                if "\0" not in gram:
                    out.append((row, reference_hash(gram, seed, n_features)))
    return sorted(out)


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab Z1-\0é漢\U0001f525"), st.characters(blacklist_categories=("Cs",))
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(_TEXT, min_size=1, max_size=6),
    low=st.integers(1, 3),
    extra=st.integers(0, 3),
    max_chars=st.integers(1, 50),
    seed=st.integers(0, 3),
)
def test_hashing_equals_the_reference(
    texts: list[str], low: int, extra: int, max_chars: int, seed: int
) -> None:
    args = ((low, low + extra), 2**12, max_chars, seed)
    expected = _reference_buckets(texts, *args)
    rows, buckets = char_ngram_buckets(texts, *args)
    assert sorted(zip(rows.tolist(), buckets.tolist(), strict=True)) == expected
    for i, text in enumerate(texts):  # one text at a time (the single-listing shortcut)
        rows, buckets = char_ngram_buckets([text], *args)
        assert sorted(buckets.tolist()) == [b for r, b in expected if r == i]
        assert not rows.any()


def test_hashing_handles_lone_surrogates_and_long_texts() -> None:
    texts = ["a\ud800b", "x" * 700, ""]
    rows, buckets = char_ngram_buckets(texts, (2, 3), 2**10, 600)
    assert sorted(zip(rows.tolist(), buckets.tolist(), strict=True)) == _reference_buckets(
        texts, (2, 3), 2**10, 600, 0
    )
    assert len(char_ngram_buckets([""], (2, 5))[0]) == 0


# -- the text score ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_score() -> tuple[TextRiskScore, pd.DataFrame]:
    rng = np.random.default_rng(0)
    words = ["rolex", "replica", "aaa", "genuine", "box", "papers", "1:1", "gucci", "bag"]
    titles = [" ".join(rng.choice(words, 5)) for _ in range(300)]
    descriptions = ["" if i % 3 else " ".join(rng.choice(words, 8)) for i in range(300)]
    X = pd.DataFrame({"title_norm": titles, "description_norm": descriptions})
    y = np.array(["replica" in t or "1:1" in t for t in titles], dtype=int)
    return TextRiskScore(cv=2, n_features=2**12).fit(X, y), X


def test_text_score_equals_the_sparse_tfidf_model(
    text_score: tuple[TextRiskScore, pd.DataFrame],
) -> None:
    model, X = text_score
    expected = np.clip(model._matrix(X) @ model.coef_ + model.intercept_, -30, 30)
    np.testing.assert_allclose(model.transform(X)[:, 0], expected, rtol=0, atol=1e-12)
    records = X.to_dict("records")
    one = np.array([model.transform_record(r)[0] for r in records])
    np.testing.assert_allclose(one, expected, rtol=0, atol=1e-12)


# -- the forest ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forest_data() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(2000, 6))
    X[rng.random(X.shape) < 0.2] = np.nan
    y = (np.nan_to_num(X[:, 0]) - np.nan_to_num(X[:, 2]) + rng.normal(size=2000) > 0).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=40, max_depth=5, random_state=0).fit(X, y)
    return clf, X


def test_lockstep_forest_equals_sklearn_on_random_rows(
    forest_data: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    clf, _ = forest_data
    rng = np.random.default_rng(4)
    Z = rng.normal(scale=3, size=(700, 6))
    Z[rng.random(Z.shape) < 0.3] = np.nan
    Z[0, 1], Z[1, 2], Z[2, 3] = np.inf, -np.inf, 1e300
    forest = CompiledForest(clf)
    expected = clf.decision_function(Z)
    np.testing.assert_allclose(forest.raw_scores(Z), expected, rtol=0, atol=1e-9)
    single = [forest.raw_score(row) for row in Z[:100]]
    np.testing.assert_allclose(single, expected[:100], rtol=0, atol=1e-9)


def test_leaf_table_explains_like_the_path_walk(
    forest_data: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    clf, X = forest_data
    forest = CompiledForest(clf)
    groups = np.array([0, 1, 0, 2, 1, 2])
    table = forest.table(groups, 3)
    raw, grouped = forest.explain(X[:300], table)
    np.testing.assert_allclose(raw, clf.decision_function(X[:300]), rtol=0, atol=1e-9)
    for i in range(0, 300, 7):
        walk_raw, contrib = forest.contributions(X[i])
        assert walk_raw == pytest.approx(raw[i], abs=1e-9)
        np.testing.assert_allclose(np.bincount(groups, contrib, 3), grouped[i], atol=1e-9)
        one_raw, one = forest.explain(X[i], table)
        np.testing.assert_allclose(one[0], grouped[i], atol=1e-12)
        assert one_raw[0] == pytest.approx(raw[i], abs=1e-12)
    assert np.allclose(raw, forest.bias + grouped.sum(axis=1))


# -- parse_record --------------------------------------------------------------------------------


def _parse_record_slow(listing: Mapping[str, object], labels: bool = True) -> dict[str, object]:
    """``parse_record`` without its short paths: every value through the parsers."""
    out: dict[str, object] = {k: v for k, v in listing.items() if k not in _BY_NAME}
    declared = listing.get("currency")
    currency = currency_error = None
    if not p.is_missing(declared):
        try:
            currency = p.parse_currency(declared)
        except p.ParseError as exc:  # raised in the currency column's turn, as Validator does
            currency_error = f"currency: {exc}"
    for col in ALL_COLUMNS if labels else LISTING_COLUMNS:
        raw = listing.get(col.name)
        if col.name == "currency" and currency_error:
            raise InvalidListing("currency", currency_error)
        if _is_missing_value(raw):
            if col.required:
                raise InvalidListing(col.name, f"{col.name} is empty")
            out[col.name] = None
            continue
        try:
            if col.kind == "price":
                out[col.name], found = _parse_one_price(raw, currency)
                currency = currency or found
            else:
                out[col.name] = _parse_one(col, raw, currency)
        except p.ParseError as exc:
            raise InvalidListing(col.name, f"{col.name}: {exc}") from None
    out["currency"] = currency or "USD"
    return out


def _outcome(call: Any, listing: dict[str, object]) -> object:
    try:
        return ("ok", call(listing))
    except InvalidListing as exc:
        return ("error", exc.field, str(exc))


_NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**13), 10**13),
    st.sampled_from([0, 0.0, -0.0, 5, 5.0, 4.99, 1e12, 1e12 + 1, 2.5, "7", " N/A ", "1,2", True]),
)
_STAMPS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2025-03-01T10:00:00Z",
            "1989-12-31T23:59:59Z",
            "2101-01-01T00:00:00Z",
            "2025-02-30T10:00:00Z",
            "2025-03-01 10:00",
            "03/04/2025",
            "null",
            " 2025-03-01T10:00:00Z ",
        ]
    ),
    st.datetimes(
        min_value=datetime(1985, 1, 1), max_value=datetime(2105, 1, 1), timezones=st.just(UTC)
    ).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
)
_PANDAS_STAMPS = st.builds(
    lambda d, tz, unit: pd.Timestamp(d).tz_localize(tz).as_unit(unit) if tz else pd.Timestamp(d),
    st.datetimes(min_value=datetime(1985, 1, 1), max_value=datetime(2105, 1, 1)),
    st.sampled_from([None, "UTC", UTC, "Europe/Paris", "America/New_York"]),
    st.sampled_from(["s", "ms", "us", "ns"]),
)
_STAMPS = st.one_of(_STAMPS, _PANDAS_STAMPS)
_TEXTS = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["", " ", "n/a", "x\ufffd"]))
_CONDITIONS = st.one_of(
    _TEXTS, st.sampled_from(["New", "new with tags", "Used", " Refurbished ", "NEW", "pre-owned"])
)
_COUNTRIES = st.one_of(
    _TEXTS, st.sampled_from(["US", "cn", "Hk", "U1", "É", "USA", "Shenzhen, China", "  de "])
)


@settings(max_examples=300, deadline=None)
@given(
    listing_id=st.one_of(_TEXTS, st.integers(0, 99), st.sampled_from([12.0, 12.5])),
    title=st.one_of(_TEXTS, st.just("t" * 1001)),
    price=_NUMBERS,
    currency=st.one_of(st.none(), st.sampled_from(["USD", "jpy", "XXX", "¥", ""])),
    numbers=st.fixed_dictionaries(
        {
            "quantity": _NUMBERS,
            "seller_rating": _NUMBERS,
            "seller_age_days": _NUMBERS,
            "seller_gmv_90d": _NUMBERS,
        }
    ),
    created_at=_STAMPS,
    published_at=_STAMPS,
    is_counterfeit=st.one_of(st.none(), st.sampled_from([0, 1, "maybe"])),
    condition=_CONDITIONS,
    ships_from=_COUNTRIES,
)
def test_parse_record_short_paths_change_nothing(
    listing_id: object,
    title: object,
    price: object,
    currency: object,
    numbers: dict[str, object],
    created_at: object,
    published_at: object,
    is_counterfeit: object,
    condition: object,
    ships_from: object,
) -> None:
    listing = {
        "listing_id": listing_id,
        "title": title,
        "price": price,
        "seller_id": "s",
        "currency": currency,
        "created_at": created_at,
        "published_at": published_at,
        "is_counterfeit": is_counterfeit,
        "condition": condition,
        "ships_from": ships_from,
        "extra": [1],
        **numbers,
    }
    for labels in (True, False):
        fast = _outcome(lambda x, labels=labels: parse_record(x, labels=labels), listing)
        slow = _outcome(lambda x, labels=labels: _parse_record_slow(x, labels), listing)
        assert fast == slow
        if fast[0] == "ok":
            for key, value in fast[1].items():  # same types too (NaN-free: equality suffices)
                assert type(value) is type(slow[1][key]), key
                if isinstance(value, pd.Timestamp):  # same resolution and time zone
                    assert (value.unit, str(value.tz)) == (slow[1][key].unit, str(slow[1][key].tz))


def test_parse_record_without_labels_skips_training_columns() -> None:
    listing = {"listing_id": "1", "title": "x", "price": 5, "seller_id": "s",
               "reported_at": "03/04/2025", "is_counterfeit": "maybe"}  # fmt: skip
    with pytest.raises(InvalidListing):
        parse_record(listing)
    record = parse_record(listing, labels=False)
    assert "reported_at" not in record and record["price"] == 5.0
    stamp = parse_record({**listing, "created_at": "2025-03-01T10:00:00Z"}, labels=False)
    assert stamp["created_at"] == p.parse_datetime("2025-03-01T10:00:00Z")
    assert math.isclose(parse_record({**listing, "price": 5}, labels=False)["price"], 5.0)


# -- the calibration of one score ----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    knots=st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=30, unique=True).map(
        sorted
    ),
    values=st.lists(st.floats(0, 1), min_size=30, max_size=30),
    probes=st.lists(st.floats(-60, 60, allow_nan=False), max_size=20),
)
def test_interp_one_is_numpys_interp(
    knots: list[float], values: list[float], probes: list[float]
) -> None:
    fp = sorted(values[: len(knots)])  # isotonic: non-decreasing, often flat
    for x in [*probes, *knots, knots[0] - 1e-12, knots[-1] + 1e-12, float("inf"), -float("inf")]:
        expected = float(np.interp(x, knots, fp))
        assert interp_one(x, knots, fp) == expected or (expected != expected), (x, knots, fp)
