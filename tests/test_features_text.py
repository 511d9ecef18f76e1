"""Text normalisation and de-obfuscation: examples, must-not-change cases, and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdetect.features import TextNormalizer, deobfuscate, normalize_text
from cfdetect.features._hashing import char_ngram_buckets, title_description_buckets
from cfdetect.features._text import deobfuscate_spans, split_words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Louis  VUITTON ", "louis vuitton"),
        ("Ｎｉｋｅ　Air\tMax\n90", "nike air max 90"),  # fullwidth letters and spaces
        ("STRASSE Straße", "strasse strasse"),  # casefold, not lower
        ("ﬁne", "fine"),  # NFKC ligature
        (None, ""),
        (math.nan, ""),
        (pd.NA, ""),
        (126610, "126610"),
    ],
)
def test_normalize_text_examples(raw: object, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("G U C C I", "gucci"),
        ("G.U.C.C.I", "gucci"),
        ("G.u.c.c.i bag", "gucci bag"),
        ("G-U-C-C-I", "gucci"),
        ("Gu-cci", "gucci"),
        ("Gu*cci", "gucci"),
        ("[G]ucci", "gucci"),
        ("Gu🔥cci", "gucci"),
        ("Gu\u200bcci", "gucci"),  # zero-width space
        ("L*V", "lv"),
        ("L V bag", "lv bag"),
        ("Gucc1", "gucci"),
        ("R0lex", "rolex"),
        ("N1ke", "nike"),
        ("Ch4nel", "chanel"),
        ("Pr@da", "prada"),
        ("$upreme", "supreme"),
        ("Gu((i", "gucci"),
        ("b00st", "boost"),
        ("Rоlex", "rolex"),  # Cyrillic о
        ("Hermès", "hermes"),
        ("r.e.p.l.i.c.a", "replica"),
    ],
)
def test_deobfuscate_undoes_obfuscation(raw: str, expected: str) -> None:
    assert deobfuscate(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "126610LN",
        "WH-1000XM5",
        "Air Max 90",
        "42mm",
        "US 10",
        "iPhone15 Pro",
        "jordan1 retro",
        "PS5 x100v mp3",
        "$50 gift card",
        "1:1 AAA+ 7A",
        "Size 10.5 - 2 pack",
        "кроссовки беговые",  # a word in another script is not a disguised Latin one
    ],
)
def test_deobfuscate_keeps_model_numbers_sizes_and_words(raw: str) -> None:
    assert deobfuscate(raw) == normalize_text(raw)


def test_deobfuscate_spans_point_back_to_the_written_form() -> None:
    norm = normalize_text("Sac G.U.C.C.I r0lex 42mm")
    tokens = {t: norm[a:b] for t, a, b in deobfuscate_spans(norm)}
    assert tokens == {"sac": "sac", "gucci": "g.u.c.c.i", "rolex": "r0lex", "42mm": "42mm"}


def test_split_words_keeps_codes_and_splits_hyphens() -> None:
    assert split_words("pre-owned, 1:1 aaa+ (10pcs). d&g") == [
        "pre",
        "owned",
        "1:1",
        "aaa+",
        "10pcs",
        "d&g",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_text_functions_accept_any_string(text: str) -> None:
    norm = normalize_text(text)
    deob = deobfuscate(text)
    assert isinstance(norm, str) and isinstance(deob, str)
    assert norm == norm.strip() and "  " not in norm
    assert deob == deob.strip() and "  " not in deob
    assert isinstance(split_words(deob), list)


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.binary()))
def test_text_functions_accept_non_strings(value: object) -> None:
    assert isinstance(normalize_text(value), str)
    assert isinstance(deobfuscate(value), str)


def test_text_normalizer_adds_string_columns() -> None:
    X = pd.DataFrame(
        {"listing_id": ["a", "b"], "title": ["R0LEX  Submariner", None], "price": [1.0, 2.0]}
    )
    tn = TextNormalizer().fit(X)
    out = tn.transform(X)
    assert list(out.columns) == list(tn.get_feature_names_out())
    assert list(out.columns) == [
        "listing_id",
        "title",
        "price",
        "title_norm",
        "description_norm",
        "title_deob",
    ]
    assert out["title_norm"].tolist() == ["r0lex submariner", ""]
    assert out["title_deob"].tolist() == ["rolex submariner", ""]
    assert out["description_norm"].tolist() == ["", ""]  # missing column: missing values
    assert all(pd.api.types.is_string_dtype(out[c]) for c in ("title_norm", "title_deob"))
    pd.testing.assert_frame_equal(out[["listing_id", "title", "price"]], X)


def test_text_normalizer_record_matches_frame() -> None:
    X = pd.DataFrame({"title": ["G U C C I bag"], "description": ["Ｆｕｌｌ set"]})
    tn = TextNormalizer().fit(X)
    record = tn.transform_record({"title": "G U C C I bag", "description": "Ｆｕｌｌ set"})
    row = tn.transform(X).iloc[0]
    for column in ("title_norm", "description_norm", "title_deob"):
        assert record[column] == row[column]


def test_text_normalizer_reindexes_to_fit_columns() -> None:
    tn = TextNormalizer().fit(pd.DataFrame({"title": ["x"], "brand": ["y"]}))
    out = tn.transform(pd.DataFrame({"title": ["A"], "extra": [1]}))
    assert list(out.columns) == list(tn.get_feature_names_out())
    assert pd.isna(out["brand"].iloc[0]) and "extra" not in out.columns


def test_text_normalizer_set_output_pandas_keeps_index() -> None:
    X = pd.DataFrame({"title": ["a", "b"]}, index=[10, 20])
    out = TextNormalizer().set_output(transform="pandas").fit_transform(X)
    assert list(out.index) == [10, 20]
    assert np.array_equal(out.columns, TextNormalizer().fit(X).get_feature_names_out())


def test_text_normalizer_rejects_bad_columns() -> None:
    with pytest.raises(ValueError, match="tuple of column names"):
        TextNormalizer(columns="title").fit(pd.DataFrame({"title": ["x"]}))


# --- one listing's n-gram buckets (the single-listing text score) equal the batch hashing ---

_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=0, max_codepoint=0x1F64F),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(
    title=_texts,
    description=_texts,
    title_range=st.sampled_from([(2, 5), (1, 3), (3, 3)]),
    description_range=st.sampled_from([(3, 5), (2, 2)]),
    chars=st.tuples(st.integers(1, 50), st.integers(1, 50)),
)
def test_listing_buckets_equal_the_batch_hashing(
    title: str,
    description: str,
    title_range: tuple[int, int],
    description_range: tuple[int, int],
    chars: tuple[int, int],
) -> None:
    width = 2**18
    both = title_description_buckets(
        title, description, title_range, description_range, width, chars[0], chars[1]
    )
    titles = char_ngram_buckets([title], title_range, width, chars[0])[1].tolist()
    texts = (
        char_ngram_buckets([description], description_range, width, chars[1], 1)[1].tolist()
        if description
        else []
    )
    assert sorted(both.tolist()) == sorted(titles * 2 + texts)
