"""The brand registry indexed for matching titles: word n-grams, misspellings, product words.

Exact matching is a dictionary lookup of word n-grams (names, aliases and product lines, with
variants: written as one word, ``&``/``and``, without accents). Misspellings are found with a
deletion index (SymSpell-style): a word's one- and two-letter deletions are looked up in a table
of the deletions of every brand name, and only those few candidates are scored with rapidfuzz.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from rapidfuzz.distance import OSA, Indel, JaroWinkler

from cfdetect.features._category import listing_categories
from cfdetect.features._multilingual import cyrillic_aliases, to_cyrillic
from cfdetect.features._text import DROP_MARKS, normalize_text, split_words
from cfdetect.registry import BrandRegistry

Key = str | tuple[str, ...]
_CACHE_SIZE = 100_000  # words whose misspelling lookup is remembered


class Mention(NamedTuple):
    """One brand name, alias or product line found in a list of words.

    A named tuple: immutable and compared by value like the frozen dataclass it replaces, and
    about four times cheaper to build (``scan`` builds one or two per title).
    """

    brand: str
    kind: str  # "name", "alias" or "line"
    product_type: str  # the line's product type ("" for names)
    start: int  # word index of the first word
    end: int  # word index after the last word


def _key(words: Sequence[str]) -> Key:
    return words[0] if len(words) == 1 else tuple(words)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(DROP_MARKS)


def key_variants(text: str) -> list[tuple[str, ...]]:
    """The word tuples a name matches: as written, as one word, ``&``/``and``, without accents;
    sorted, so that tables built from them do not depend on the hash seed.

    Examples
    --------
    >>> sorted(key_variants("Dolce & Gabbana"))
    [('dolce', '&', 'gabbana'), ('dolce', 'and', 'gabbana'), ('dolcegabbana',)]
    """
    base = normalize_text(text)
    forms = {base, _strip_accents(base), base.replace("'", "").replace("’", "")}
    forms.add(base.replace("-", ""))  # "saint-germain" also as "saintgermain"
    out: set[tuple[str, ...]] = set()
    for form in forms:
        words = split_words(form)
        if not words:
            continue
        out.add(tuple(words))
        swapped = tuple("and" if w == "&" else "&" if w == "and" else w for w in words)
        out.add(swapped)
        joined = "".join(w for w in words if w not in ("&", "and"))
        if len(words) > 1 and len(joined) >= 5:
            out.add((joined,))
    return sorted(out)


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` and the strings left by deleting up to ``depth`` of its letters (not all).

    Examples
    --------
    >>> sorted(_deletions("abc", 2))
    ['a', 'ab', 'abc', 'ac', 'b', 'bc', 'c']
    """
    n = len(word)
    out = {word}
    if depth < 1 or n < 2:
        return out
    ones = [word[:i] + word[i + 1 :] for i in range(n)]
    out.update(ones)
    if depth == 1 or n < 3:
        return out
    # two deletions, each pair of positions once: ``ones[i]`` lost position i, drop a later one
    frontier = {w[:j] + w[j + 1 :] for i, w in enumerate(ones) for j in range(i, n - 1)}
    out |= frontier
    for _ in range(depth - 2):  # deeper: one more letter from each string of the last step
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w)) if len(w) > 1}
        out |= frontier
    return out


class BrandIndex:
    """Lookup tables of a brand registry for matching titles.

    Parameters
    ----------
    registry : BrandRegistry
    ambiguous : iterable of str
        Names and aliases that are ordinary words (they need evidence to count).
    fuzzy_stopwords : iterable of str
        Words never read as a misspelt brand.
    fuzzy_threshold : float
        Minimum similarity (0-100) of a misspelling: the larger of the Jaro-Winkler and the
        normalised Indel similarity (rapidfuzz), which favour respectively a kept prefix and a
        long name.
    product_type_words : mapping
        Registry product type -> words that name it in a title.
    """

    def __init__(
        self,
        registry: BrandRegistry,
        *,
        ambiguous: Iterable[str],
        fuzzy_stopwords: Iterable[str],
        fuzzy_threshold: float,
        product_type_words: Mapping[str, Sequence[str]],
    ) -> None:
        self.fuzzy_threshold = float(fuzzy_threshold)
        self.names: dict[Key, tuple[str, str]] = {}
        self.lines: dict[Key, tuple[str, str]] = {}
        self.line_names: dict[Key, tuple[str, str]] = {}  # lines that contain their brand name
        lengths: dict[str, set[int]] = {}
        ambiguous_keys = {_key(v) for a in ambiguous for v in key_variants(a)}
        self.ambiguous: frozenset[Key] = frozenset()
        table = registry.brands
        for row in table.itertuples(index=False):
            # Cyrillic spellings are aliases; those of a name that is an ordinary word ("Омега",
            # "Пума") need evidence like the name
            cyrillic = cyrillic_aliases(row.brand, row.aliases)
            for name in (row.brand, *row.aliases):
                if any(_key(v) in ambiguous_keys for v in key_variants(name)):
                    spelled = cyrillic_aliases(name) if name == row.brand else []
                    spelled.append(to_cyrillic(name))
                    ambiguous_keys.update(_key(v) for s in spelled for v in key_variants(s))
            for kind, names in (("name", [row.brand]), ("alias", [*row.aliases, *cyrillic])):
                for name in names:
                    for words in key_variants(name):
                        self.names.setdefault(_key(words), (row.brand, kind))
                        lengths.setdefault(words[0], set()).add(len(words))
        for row in registry.table.itertuples(index=False):
            for line in str(row.product_lines or "").split("|"):
                if not line.strip():
                    continue
                for words in key_variants(line):
                    for variant in self._line_variants(words, row.brand):
                        key = _key(variant)
                        if key in self.names:
                            continue
                        self.lines.setdefault(key, (row.brand, row.product_type))
                        lengths.setdefault(variant[0], set()).add(len(variant))
                    key = _key(words)
                    for n in range(len(words), 0, -1):
                        for i in range(len(words) - n + 1):
                            hit = self.names.get(_key(words[i : i + n]))
                            if hit and hit[0] == row.brand and key not in self.line_names:
                                self.line_names[key] = hit
        self.lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        # ordinary words (listed) and short aliases (HP, LV): they need evidence to count
        self.listed_ambiguous = frozenset(k for k in self.names if k in ambiguous_keys)
        self.short = frozenset(k for k in self.names if isinstance(k, str) and len(k) <= 3)
        self.ambiguous = self.listed_ambiguous | self.short
        self.weak_lines = frozenset(k for k in self.lines if not self._strong_line(k))
        self._brand_tables(registry, product_type_words)
        self._fuzzy_tables(fuzzy_stopwords)

    def _line_variants(self, words: tuple[str, ...], brand: str) -> list[tuple[str, ...]]:
        """A line, and the line without the brand name it starts with ("dior addict lip glow"
        -> "addict lip glow") when what remains still identifies it."""
        out = [words]
        for k in range(len(words) - 1, 0, -1):
            hit = self.names.get(_key(words[:k]))
            if hit is not None and hit[0] == brand:
                rest = words[k:]
                if len(rest) >= 2 or self._strong_line(rest[0]):
                    out.append(rest)
                break
        return out

    @staticmethod
    def _strong_line(key: Key) -> bool:
        """A line that identifies its brand on its own: several words, or a model code."""
        if isinstance(key, tuple):
            return True
        has_digit = any(c.isdigit() for c in key)
        has_alpha = any(c.isalpha() for c in key)
        return has_digit and has_alpha and len(key) >= 4

    def _brand_tables(
        self, registry: BrandRegistry, product_type_words: Mapping[str, Sequence[str]]
    ) -> None:
        self.type_words: dict[str, dict[str, str]] = {}
        self.types: dict[str, tuple[str, ...]] = {}
        self.categories: dict[str, frozenset[str]] = {}
        self.registered: dict[str, float] = {}
        self.fake_appeal: dict[str, float] = {}
        for brand, group in registry.table.groupby("brand", sort=False):
            brand = str(brand)
            types = tuple(dict.fromkeys(str(t) for t in group["product_type"]))
            words: dict[str, str] = {}
            cats = {str(c) for c in group["category"] if str(c)}
            for ptype in types:
                own = split_words(ptype.replace("_", " "))
                for word in (*product_type_words.get(ptype, ()), *own, *(w + "s" for w in own)):
                    if " " not in word:
                        words.setdefault(normalize_text(word), ptype)
                cats |= listing_categories(ptype.replace("_", " "))
            self.type_words[brand] = words
            self.types[brand] = types
            self.categories[brand] = frozenset(cats)
        for row in registry.brands.itertuples(index=False):
            self.registered[row.brand] = float(bool(row.registered))
            self.fake_appeal[row.brand] = float(row.fake_appeal)

    def _fuzzy_tables(self, stopwords: Iterable[str]) -> None:
        # misspellings of names: (brand, listed as an ordinary word?) by name written as one word
        self.fuzzy_targets: dict[str, tuple[str, bool]] = {}
        for key, (brand, _) in self.names.items():
            if key in self.short:
                continue
            text = key if isinstance(key, str) else "".join(key)
            if text.isalpha() and len(text) >= (4 if isinstance(key, str) else 6):
                self.fuzzy_targets.setdefault(text, (brand, key in self.listed_ambiguous))
        self.deletions: dict[str, tuple[str, ...]] = {}
        table: dict[str, set[str]] = {}
        for target in self.fuzzy_targets:
            for variant in sorted(_deletions(target, self.max_edits(target))):
                table.setdefault(variant, set()).add(target)
        self.deletions = {k: tuple(sorted(v)) for k, v in table.items()}
        vocabulary = {w for words in self.type_words.values() for w in words}
        for key in self.lines:
            vocabulary.update((key,) if isinstance(key, str) else key)
        vocabulary.update(normalize_text(w) for w in stopwords)
        self.stopwords = frozenset(vocabulary)

    @staticmethod
    def max_edits(target: str) -> int:
        """Edits allowed between a misspelling and a name of this length."""
        return 1 if len(target) < 9 else 2

    # -- matching -----------------------------------------------------------------------------

    def scan(self, words: Sequence[str]) -> list[Mention]:
        """Find names, aliases and lines (longest first, no overlaps) in a list of words."""
        lengths, names, lines = self.lengths, self.names, self.lines
        found: list[Mention] = []
        n_words = len(words)
        end = 0
        for i, word in enumerate(words):
            if i < end:
                continue
            sizes = lengths.get(word)
            if sizes is None:
                continue
            for n in sizes:
                if i + n > n_words:
                    continue
                key = word if n == 1 else tuple(words[i : i + n])
                hit = names.get(key)
                if hit is not None:
                    found.append(Mention(hit[0], hit[1], "", i, i + n))
                    end = i + n
                    break
                line = lines.get(key)
                if line is not None:
                    found.append(Mention(line[0], "line", line[1], i, i + n))
                    named = self.line_names.get(key)
                    if named is not None:
                        found.append(Mention(named[0], named[1], "", i, i + n))
                    end = i + n
                    break
        return found

    def fuzzy(self, word: str) -> tuple[str, str, bool] | None:
        """Return ``(brand, matched name, ambiguous)`` when ``word`` misspells a brand name.

        ``ambiguous`` is True for names that are ordinary words (they need evidence).
        """
        if len(word) < 4 or not word.isalpha() or word in self.stopwords:
            return None
        memo = self.__dict__.get("_caches", {}).get("fuzzy")
        if memo is not None and word in memo:
            return memo[word]
        cache = self.cache("fuzzy")
        cache[word] = hit = self._fuzzy(word)
        return hit

    def cache(self, name: str) -> dict:
        """A bounded memo for lookups that depend only on this index (not pickled)."""
        caches = self.__dict__.setdefault("_caches", {})
        memo = caches.get(name)
        if memo is None or len(memo) >= _CACHE_SIZE:
            memo = caches[name] = {}
        return memo

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_caches", None)  # caches, not state
        state.pop("_near", None)  # derived from ``fuzzy_targets``
        return state

    def _fuzzy(self, word: str) -> tuple[str, str, bool] | None:
        if word in self.fuzzy_targets:
            brand, ambiguous = self.fuzzy_targets[word]
            return brand, word, ambiguous
        best: tuple[float, str] | None = None
        # targets in sorted order: of equal scores the first wins, whatever the hash seed
        for target in self._near_targets().get((word[0], len(word)), ()):
            if len(target) <= 6 and target[-1] != word[-1] and target[-2:] != word[-1:-3:-1]:
                continue  # short names keep their last letter (or swap the last two)
            if OSA.distance(word, target) > self.max_edits(target):
                continue
            score = 100.0 * max(
                JaroWinkler.normalized_similarity(word, target),
                Indel.normalized_similarity(word, target),
            )
            if score >= self.fuzzy_threshold and (best is None or score > best[0]):
                best = (score, target)
        if best is None:
            return None
        brand, ambiguous = self.fuzzy_targets[best[1]]
        return brand, best[1], ambiguous

    def _near_targets(self) -> dict[tuple[str, int], tuple[str, ...]]:
        """Misspelling targets by (first letter, length of a word they may be misspelt as).

        A target within ``max_edits`` (OSA) of a word shares one of the word's deletions (up to
        two when the word has 9+ letters; a shorter word is then shorter than the target, and
        the extra edits are insertions), so these are exactly the candidates of the deletion
        index (``deletions``) that can pass the first-letter and distance tests. Built once per
        index (not pickled: indexes pickled before it existed rebuild it).
        """
        near = self.__dict__.get("_near")
        if near is None:
            groups: dict[tuple[str, int], list[str]] = {}
            for target in sorted(self.fuzzy_targets):
                edits = self.max_edits(target)
                for length in range(len(target) - edits, len(target) + edits + 1):
                    groups.setdefault((target[0], length), []).append(target)
            near = self.__dict__["_near"] = {k: tuple(v) for k, v in groups.items()}
        return near

    def joined(self, word: str) -> tuple[str, str] | None:
        """Return ``(brand, kind)`` when two words written apart are a name ("gu cci")."""
        hit = self.names.get(word)
        if hit is None or word in self.ambiguous:
            return None
        return hit
