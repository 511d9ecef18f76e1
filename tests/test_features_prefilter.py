"""The whole-column filters of the text features let through every text with a match."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from cfdetect.features import RiskTerms
from cfdetect.features._terms import TermMatcher, _prefilter_pattern
from cfdetect.features._text import deobfuscate, fold_accents, normalize_text


@pytest.fixture(scope="module")
def terms() -> RiskTerms:
    return RiskTerms().fit(pd.DataFrame({"title": ["x"]}))


def _tricky(seed: int, n: int) -> list[str]:
    """Texts built from phrase pieces, digits and every kind of word edge."""
    pieces = ["replica", "1:1", "aaa+", "20", "pcs", "10pcs", "%", "off", "50%", "m", "batch",
              "look", "alike", "ua", "réplica", "шт", "5", "official", "a", "de", "x"]  # fmt: skip
    edges = [" ", "  ", "-", ".", ":", "'", "’", "*", ",", "(", ")", "\t", "\n", "\xa0", "\u2028",
             "/", "|", "…", "+", "", "“", "•"]  # fmt: skip
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(pieces) + rng.choice(edges) for _ in range(rng.randint(0, 5))]
        out.append(rng.choice(edges) + "".join(parts))
    return out


def test_prefilter_keeps_every_text_with_a_phrase(terms: RiskTerms) -> None:
    sample = pd.read_csv("data/sample_listings.csv", usecols=["title", "description"])
    texts = [normalize_text(t) for t in sample["title"].fillna("")]
    texts += [deobfuscate(t) for t in sample["title"].fillna("")]
    texts += [fold_accents(normalize_text(d[:1000])) for d in sample["description"].fillna("")]
    texts += _tricky(0, 20_000) + [normalize_text(t) for t in _tricky(1, 5_000)]
    matcher = terms.patterns_
    may = matcher.may_match(texts)
    found = np.array([bool(matcher.matches(t)) for t in texts])
    missed = [t for t, f, m in zip(texts, found, may, strict=True) if f and not m]
    assert not missed, missed[:5]
    assert may.mean() < 0.9  # it does filter


def test_prefilter_is_off_for_patterns_re2_reads_differently() -> None:
    assert _prefilter_pattern(TermMatcher({"bulk": ("re:\\d+ pcs",)})) == ""
    assert _prefilter_pattern(TermMatcher({"bulk": ("re:(?i)x[0-9] pcs",)})) == ""
    assert _prefilter_pattern(TermMatcher({"bulk": ("re:[1-9][0-9]? pcs",)})) != ""
    assert TermMatcher({"bulk": ("re:\\d+ pcs",)}).may_match(["٣ pcs", "x"]).all()


def test_frame_counts_are_the_record_counts(terms: RiskTerms) -> None:
    sample = pd.read_csv("data/sample_listings.csv", usecols=["title", "description"]).head(2000)
    extra = pd.DataFrame({"title": _tricky(2, 500), "description": _tricky(3, 500)})
    frame = pd.concat([sample, extra], ignore_index=True)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    expected = np.array([terms.transform_record(r) for r in records])
    assert np.array_equal(terms.transform(frame), expected)
