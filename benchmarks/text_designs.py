"""Designs for the text feature stages, side by side in one process on the same rows (issue 22).

Prints µs per row (fastest of ``--repeats``) and the ratio to the current code for:

1. ``RiskTerms.transform`` with the whole-column RE2 filter (``TermMatcher.may_match``) and with
   it switched off (every text matched in Python, as before it), same outputs asserted;
2. ``BrandIndex.scan`` against the scan it replaced (a set intersection first, a frozen
   dataclass per mention), same mentions asserted;
3. word splitting of the titles: ``split_words`` per title against ``pyarrow.compute`` over the
   whole column (a regex replacement per separator rule, then ``utf8_split_whitespace``), with
   and without handing the words back to Python.

Usage (a simulated file, e.g. ``cfdetect simulate -o sim30k.parquet --listings 30000 --seed
103``)::

    PYTHONPATH=. python benchmarks/text_designs.py models/default sim30k.parquet --rows 10000
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cfdetect import Scorer
from cfdetect.features._brand_index import BrandIndex
from cfdetect.features._terms import TermMatcher
from cfdetect.features._text import _EDGE_PAIRS, _SPLIT_CHARS, split_words
from cfdetect.schema import Validator, canonical_frame


@dataclass(frozen=True, slots=True)
class _OldMention:
    brand: str
    kind: str
    product_type: str
    start: int
    end: int


def _old_scan(index: BrandIndex, words: list[str]) -> list[_OldMention]:
    """``BrandIndex.scan`` before this change (set intersection first, frozen dataclasses)."""
    if not words:
        return []
    lengths = index.lengths
    starts = lengths.keys() & words
    if not starts:
        return []
    found: list[_OldMention] = []
    n_words, end = len(words), 0
    for i in [i for i, w in enumerate(words) if w in starts]:
        if i < end:
            continue
        for n in lengths[words[i]]:
            if i + n > n_words:
                continue
            key = words[i] if n == 1 else tuple(words[i : i + n])
            hit = index.names.get(key)
            if hit is not None:
                found.append(_OldMention(hit[0], hit[1], "", i, i + n))
                end = i + n
                break
            line = index.lines.get(key)
            if line is not None:
                found.append(_OldMention(line[0], "line", line[1], i, i + n))
                named = index.line_names.get(key)
                if named is not None:
                    found.append(_OldMention(named[0], named[1], "", i, i + n))
                end = i + n
                break
    return found


def _arrow_split(texts: list[str]) -> pa.Array:
    array = pc.replace_substring_regex(pa.array(texts), f"[{re.escape(_SPLIT_CHARS)}]", " ")
    array = pc.binary_join_element_wise(" ", array, " ")
    for pair in _EDGE_PAIRS:
        edge = re.escape(pair.strip())
        rule = f"{edge}+ " if pair.endswith(" ") else f" {edge}+"
        array = pc.replace_substring_regex(array, rule, " ")
    return pc.utf8_split_whitespace(array)


def _race(calls: dict[str, Callable[[], Any]], repeats: int, n: int) -> dict[str, float]:
    """µs per row of each call, fastest of ``repeats``, the calls alternating."""
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: seconds * 1e6 / n for name, seconds in best.items()}


def _show(title: str, figures: dict[str, float]) -> None:
    first = next(iter(figures.values()))
    print(title)
    for name, us in figures.items():
        print(f"  {name:44s} {us:7.2f} us/row  {us / first:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("data")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    scorer = Scorer.load(args.model)
    raw = pd.read_parquet(args.data).head(args.rows)
    frame = canonical_frame(Validator().validate(raw, np.arange(1, len(raw) + 1)).rows)
    enriched = scorer._brands.transform(scorer._normalizer.transform(frame))
    n = len(frame)
    print(f"{n:,} rows of {args.data}; load average {os.getloadavg()[0]:.2f}")

    _, terms, columns = next(t for t in scorer._features.transformers_ if t[0] == "terms")
    part = enriched[columns(enriched) if callable(columns) else columns]
    with_filter = TermMatcher.may_match

    def no_filter(self: TermMatcher, texts: list[str]) -> np.ndarray:
        return np.ones(len(texts), dtype=bool)

    def run_terms(filtered: bool) -> np.ndarray:
        TermMatcher.may_match = with_filter if filtered else no_filter  # type: ignore[method-assign]
        try:
            return terms.transform(part)
        finally:
            TermMatcher.may_match = with_filter  # type: ignore[method-assign]

    assert np.array_equal(run_terms(False), run_terms(True))
    calls = {"every text matched in Python": lambda: run_terms(False)}
    calls["RE2 whole-column filter first"] = lambda: run_terms(True)
    _show("risk terms (RiskTerms.transform)", _race(calls, args.repeats, n))

    index = scorer._brands.index_
    words = [split_words(t) for t in enriched["title_norm"].tolist()]
    for w in words:
        assert [tuple(m) for m in index.scan(w)] == [
            (m.brand, m.kind, m.product_type, m.start, m.end) for m in _old_scan(index, w)
        ]
    calls = {
        "scan before (set first, dataclass mentions)": lambda: [_old_scan(index, w) for w in words]
    }
    calls["scan now (one pass, named tuples)"] = lambda: [index.scan(w) for w in words]
    _show("brand names in the titles (BrandIndex.scan)", _race(calls, args.repeats, n))

    titles = enriched["title_norm"].tolist()
    calls = {"split_words per title": lambda: [split_words(t) for t in titles]}
    calls["pyarrow.compute, kernels only"] = lambda: _arrow_split(titles)
    calls["pyarrow.compute + words back to Python"] = lambda: _arrow_split(titles).to_pylist()
    _show("title words (split_words)", _race(calls, args.repeats, n))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
