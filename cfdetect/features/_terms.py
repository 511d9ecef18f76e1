"""Risk-term families in titles and descriptions: "replica", "1:1", "inspired by", "wholesale", ...

Each family is a list of phrases, matched as whole words on the normalised text. Words are split at
spaces, hyphens and punctuation (``1:1``, ``aaa+`` and ``10pcs`` stay whole), and a phrase of
several words also matches written as one word (``look alike``, ``look-alike``, ``lookalike``). In
a phrase starting with ``re:`` the first word is a regular expression that must match a whole word
that is not purely alphabetic, and the other words are literal (``re:[1-9][0-9]{1,3} pcs`` matches
``20 pcs``).

Exceptions (``official replica``, ``replica jersey``, ``scale replica``, ``copy paper``) are
matched like phrases and win over the family phrases they overlap, so their words count in no
family. An exception ``A ~ B`` excuses phrase ``A`` anywhere in a text that also contains the word
``B`` (``replica ~ margiela``: Maison Margiela's perfume line is called *Replica*).

Matching is a dictionary lookup of word n-grams, so its cost grows with the number of words, not
with the number of phrases. It ignores case and accents: every phrase is also indexed without its
accents (``réplica`` ~ ``replica``), titles are matched as written and de-obfuscated (which drops
accents), descriptions without accents.

The default families hold English phrases and those of Spanish, Portuguese, German, French and
Russian listings (``_multilingual``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from cfdetect.features import _multilingual as ml
from cfdetect.features._base import ListingTransformer, as_features, text_column, text_of
from cfdetect.features._text import (
    _SPLIT_CHARS,
    deobfuscate_normalized,
    fold_accents,
    normalize_text,
    split_words,
)

FAMILIES: tuple[str, ...] = (
    "replica", "slang", "euphemism", "bulk", "compat", "official", "used", "outlet", "formats",
)  # fmt: skip

REPLICA_TERMS: tuple[str, ...] = (
    "replica", "replicas", "fake", "fakes", "copy", "copies", "high copy", "mirror copy",
    "counterfeit", "knockoff", "knockoffs", "knock off", "imitation", "unauthorized",
    "unauthorised", "not original", "non original", "not genuine", "non genuine",
    "not authentic", "bootleg", "not og",
)  # fmt: skip
SLANG_TERMS: tuple[str, ...] = (
    "ua", "1:1", "1to1", "1 to 1", "1-1", "aaa", "aaa+", "a+++", "aaaaa", "mirror",
    "mirror quality", "mirror grade", "super clone", "clone", "top quality", "top grade",
    "high grade", "grade a", "grade aaa", "pk batch", "ljr", "ljr batch", "og batch",
    "get batch", "gd batch", "dt batch", "g5 batch", "s2 batch", "m batch", "lw batch",
    "h12", "rep", "reps", "7a", "high end copy", "top tier", "best version", "budget version",
    "noob", "vsf", "clean factory", "zf factory", "vsf factory", "aps factory", "noob factory",
    "jf factory", "bp factory", "arf factory",
)  # fmt: skip
EUPHEMISM_TERMS: tuple[str, ...] = (
    "inspired", "inspired by", "designer inspired", "style", "styled", "dupe", "dupes",
    "look alike", "similar to", "same as", "alternative", "alternative to", "homage",
    "impression of", "smells like", "version of",
)  # fmt: skip
BULK_TERMS: tuple[str, ...] = (
    "wholesale", "lot of", "job lot", "mixed lot", "bulk", "dropship", "dropshipping",
    "factory direct", "factory price", "moq", "reseller",
    "re:[1-9][0-9]{1,3}(?:pcs|pc|pieces|pairs|units|sets)",  # not "15x": a zoom, not a lot
    "re:[1-9][0-9]{1,3} pcs", "re:[1-9][0-9]{1,3} pieces", "re:[1-9][0-9]{1,3} pairs",
    "re:[1-9][0-9]{1,3} units", "re:[1-9][0-9]{1,3} sets",
)  # fmt: skip
COMPAT_TERMS: tuple[str, ...] = (
    "compatible with", "compatible for", "compatible", "fits", "fit for", "case for",
    "cover for", "replacement for", "replacement", "works with", "cable for", "charger for",
    "strap for", "band for", "designed for", "suitable for", "for use with",
)  # fmt: skip
OFFICIAL_TERMS: tuple[str, ...] = (
    "authentic", "100% authentic", "genuine", "official", "authorized dealer",
    "authorised dealer", "authorized retailer", "authorised retailer", "receipt", "certificate",
    "certificate of authenticity", "coa", "serial number", "original", "box and papers",
    "full set",
)  # fmt: skip
USED_TERMS: tuple[str, ...] = (
    "used", "pre owned", "second hand", "2nd hand", "vintage", "refurbished", "refurb",
    "renewed", "like new", "gently used",
)  # fmt: skip
OUTLET_TERMS: tuple[str, ...] = (
    "outlet", "clearance", "sale", "on sale", "discount", "discounted", "cheap", "closeout",
    "liquidation", "overstock", "re:[1-9][0-9]?% off", "re:[1-9][0-9]? % off",
)  # fmt: skip
FORMAT_TERMS: tuple[str, ...] = (
    "sample", "samples", "sample vial", "vial", "vials", "decant", "decants", "tester",
    "testers", "travel size", "travel spray", "miniature", "factory store", "outlet store",
)  # fmt: skip
"""Genuine formats with their own, lower prices: samples, decants, testers, travel sizes, minis,
gift-set pieces, factory-store lines (``data/formats.csv`` prices them in the simulator)."""
EXCEPTION_TERMS: tuple[str, ...] = (
    "official replica", "replica jersey", "replica kit", "replica shirt", "replica home",
    "replica away", "replica ~ margiela", "replica eau", "replica edt", "replica edp",
    "replica perfume", "replica fragrance", "replica cologne", "scale replica",
    "replica model", "diecast replica", "replica diecast", "copy paper", "signed copy",
    "hard copy", "review copy", "faux leather", "replacement parts",
)  # fmt: skip
REPLICA_TERMS += ml.REPLICA
SLANG_TERMS += ml.SLANG
EUPHEMISM_TERMS += ml.EUPHEMISM
BULK_TERMS += ml.BULK
COMPAT_TERMS += ml.COMPAT
OFFICIAL_TERMS += ml.OFFICIAL
USED_TERMS += ml.USED
OUTLET_TERMS += ml.OUTLET
FORMAT_TERMS += ml.FORMATS
EXCEPTION_TERMS += ml.EXCEPTIONS

_EXCEPTION = "_exception"
_SPOT_MEMO_SIZE = 200_000  # words whose "may a phrase start here" test is remembered


@dataclass
class TermMatcher:
    """Word n-gram index of phrase families; built once, then read-only.

    Parameters
    ----------
    families : mapping
        Family name -> phrases (see the module docstring for the syntax).
    exceptions : sequence of str
        Phrases that count in no family and win over the phrases they overlap.

    Examples
    --------
    >>> m = TermMatcher({"replica": ("replica", "fake"), "slang": ("1:1",)}, ("official replica",))
    >>> m.matches("1:1 fake, not an official replica")
    [('slang', '1:1'), ('replica', 'fake')]
    """

    families: Mapping[str, Sequence[str]]
    exceptions: Sequence[str] = ()
    index: dict[object, str] = field(init=False, default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(init=False, default_factory=dict)
    # regex phrases by the word that follows the pattern ("" for a single-word phrase)
    regex_phrases: dict[str, list[tuple[re.Pattern, tuple[str, ...], str]]] = field(
        init=False, default_factory=dict
    )
    contexts: dict[object, frozenset[str]] = field(init=False, default_factory=dict)
    vocabulary: frozenset[str] = field(init=False, default=frozenset())
    slot: dict[str, int] = field(init=False, default_factory=dict)
    regex_first: re.Pattern | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.slot = {name: i for i, name in enumerate(self.families)}
        lengths: dict[str, set[int]] = {}
        contexts: dict[object, set[str]] = {}
        for name, terms in ((_EXCEPTION, self.exceptions), *self.families.items()):
            if isinstance(terms, str) or not isinstance(terms, Sequence):
                raise ValueError(f"{name.strip('_')} must be a tuple of phrases, not {terms!r}")
            for term in terms:
                if not isinstance(term, str) or not term.strip():
                    raise ValueError(f"phrases are non-empty strings; got {term!r} in {name}")
                context = ""
                if name == _EXCEPTION and "~" in term:
                    term, _, context = term.partition("~")
                    if len(split_words(normalize_text(context))) != 1:
                        raise ValueError(f"exception {term!r}: write 'phrase ~ word'")
                if term.startswith("re:"):
                    self._add_regex(name, term)
                    continue
                words = tuple(split_words(normalize_text(term)))
                if not words:
                    raise ValueError(f"phrase {term!r} ({name}) has no words")
                bare = tuple(split_words(fold_accents(normalize_text(term))))
                if context:
                    for form in dict.fromkeys((words, bare)):  # (in order: see _pickling)
                        contexts.setdefault(_key(form), set()).add(normalize_text(context))
                    continue
                for variant in dict.fromkeys((words, ("".join(words),), bare, ("".join(bare),))):
                    if len(words) > 1 and len(variant) == 1 and variant[0].isdigit():
                        continue  # "1:1" is not the number 11 of a part number ("48-11-1850")
                    self.index.setdefault(_key(variant), name)
                    lengths.setdefault(variant[0], set()).add(len(variant))
        self.lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        self.contexts = {k: frozenset(v) for k, v in contexts.items()}
        self.vocabulary = frozenset(
            w for k in self.index for w in (k if isinstance(k, tuple) else (k,))
        )
        singles = [p.pattern for p, _, _ in self.regex_phrases.get("", ())]
        self.regex_first = re.compile("|".join(f"(?:{p})" for p in singles)) if singles else None

    def _add_regex(self, name: str, term: str) -> None:
        if name == _EXCEPTION:
            raise ValueError(f"exception {term!r}: exceptions are phrases, not re: patterns")
        first, *rest = term[3:].split(" ")
        try:
            pattern = re.compile(first)
        except re.error as exc:
            raise ValueError(f"phrase {term!r} ({name}) is not a valid pattern: {exc}") from exc
        text = normalize_text(" ".join(rest))
        for tail in dict.fromkeys(
            (tuple(split_words(text)), tuple(split_words(fold_accents(text))))
        ):
            self.regex_phrases.setdefault(tail[0] if tail else "", []).append((pattern, tail, name))

    def matches(self, text: str) -> list[tuple[str, str]]:
        """Return ``(family, matched words)`` for every phrase found in a normalised text."""
        return self.match_words(split_words(text) if text else [])

    def match_words(self, words: list[str]) -> list[tuple[str, str]]:
        """``matches`` for a text already split with ``split_words``."""
        if not words:
            return []
        spotted = self._spotted(words)
        tails = self.regex_phrases.keys() & words
        if not tails:
            if spotted.isdisjoint(words):
                return []
            spots = [i for i, w in enumerate(words) if w in spotted]
        else:
            n_words = len(words)
            spots = [
                i
                for i, w in enumerate(words)
                if w in spotted or (i + 1 < n_words and words[i + 1] in tails and not w.isalpha())
            ]
        found: list[tuple[str, str]] = []
        index, lengths = self.index, self.lengths
        present: set[str] | None = None
        end = 0
        for i in spots:
            if i < end:
                continue  # inside the phrase matched before
            word = words[i]
            for n in lengths.get(word, ()):
                key = word if n == 1 else tuple(words[i : i + n])
                family = index.get(key)
                if family is None:
                    continue
                excused = self.contexts.get(key)
                if excused:
                    present = set(words) if present is None else present
                    family = _EXCEPTION if excused & present else family
                if family != _EXCEPTION:
                    found.append((family, " ".join(words[i : i + n])))
                end = i + n
                break
            else:
                if not word.isalpha():
                    end = i + self._regex_at(words, i, found)
        return found

    def _spotted(self, words: list[str]) -> set[str]:
        """Words where a phrase may start: the first word of a phrase, or a word (not purely
        alphabetic) that a single-word ``re:`` pattern matches; a superset of those of ``words``.

        Words already classified are remembered (a bounded memo, not pickled), so a text costs
        set operations on its words, not a test per word.
        """
        seen, spots = self.__dict__.get("_spot_memo") or self._new_spot_memo()
        if seen.issuperset(words):
            return spots
        if len(seen) >= _SPOT_MEMO_SIZE:
            seen, spots = self._new_spot_memo()
        unknown = set(words).difference(seen)
        single = self.regex_first.fullmatch if self.regex_first is not None else None
        lengths = self.lengths
        spots.update(
            w
            for w in unknown
            if w in lengths or (single is not None and not w.isalpha() and single(w) is not None)
        )
        seen.update(unknown)  # after ``spots``: a word in ``seen`` is classified
        return spots

    def _new_spot_memo(self) -> tuple[set[str], set[str]]:
        memo: tuple[set[str], set[str]] = (set(), set())
        self.__dict__["_spot_memo"] = memo
        return memo

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_spot_memo", None)  # a memo, not state
        state.pop("_prefilter", None)  # derived from the tables
        return state

    def may_match(self, texts: Sequence[str]) -> np.ndarray:
        """Whether each text may hold a phrase: False only where ``matches`` finds none.

        One RE2 search per text over the whole column (``pyarrow.compute``), built from the
        same tables as ``match_words``: a phrase needs its first word as a whole word, and a
        word is a run of characters between spaces, ``split_words`` separators and the edge
        punctuation it strips, so a text where none of the first words (nor a ``re:`` phrase's
        pattern, followed by its next word) stands between those characters has no phrase. A
        filter, not a rule: the texts it lets through are matched by ``match_words`` as before.
        """
        pattern = self.__dict__.get("_prefilter")
        if pattern is None:
            pattern = self.__dict__["_prefilter"] = _prefilter_pattern(self)
        if not pattern or not texts:
            return np.ones(len(texts), dtype=bool)
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), pattern)
        return found.to_numpy(zero_copy_only=False).astype(bool)

    def _regex_at(self, words: list[str], i: int, found: list[tuple[str, str]]) -> int:
        following = words[i + 1] if i + 1 < len(words) else ""
        for key in (following, ""):
            for pattern, tail, family in self.regex_phrases.get(key, ()):
                end = i + 1 + len(tail)
                if tuple(words[i + 1 : end]) == tail and pattern.fullmatch(words[i]):
                    found.append((family, " ".join(words[i:end])))
                    return end - i
        return 1

    def count(self, text: str) -> list[float]:
        """Count the phrases of each family in a normalised text (families in order)."""
        return self.count_words(split_words(text) if text else [])

    def count_words(self, words: list[str]) -> list[float]:
        """``count`` for a text already split with ``split_words``."""
        counts = [0.0] * len(self.slot)
        for family, _ in self.match_words(words):
            counts[self.slot[family]] += 1.0
        return counts


def _key(words: tuple[str, ...]) -> object:
    return words[0] if len(words) == 1 else words


# what ends a word for ``split_words``: whitespace (as ``str.split`` reads it), its separators
# and the punctuation it strips from the edges of words
_WORD_EDGES = "".join(
    sorted({chr(c) for c in range(0x110000) if chr(c).isspace()} | set(_SPLIT_CHARS + ".:'’*"))
)


def _prefilter_pattern(matcher: TermMatcher) -> str:
    """An RE2 pattern found in every text where ``matcher`` finds a phrase ("": none)."""
    edge = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WORD_EDGES) + "]"
    words = [re.escape(w) for w in sorted(matcher.lengths, key=len, reverse=True)]
    for tail, phrases in matcher.regex_phrases.items():
        for pattern, _, _ in phrases:
            text = pattern.pattern
            if "\\" in text or text.replace("(?:", "").count("(?") or pattern.flags & re.I:
                return ""  # classes and flags read differently by RE2 (Unicode digits): no filter
            after = f"{edge}+{re.escape(tail)}" if tail else ""
            words.append(f"(?:{text}){after}")
    if not words:
        return ""
    candidate = f"(?:^|{edge})(?:{'|'.join(words)})(?:$|{edge})"
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # a ``re:`` pattern RE2 does not read: no filter
        pc.match_substring_regex(pa.array([""]), candidate)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return ""
    return candidate


class RiskTerms(ListingTransformer):
    """Count risk-term families in the title (and, separately, the description).

    Title counts are taken on the normalised title and on its de-obfuscated form (``r.e.p.l.i.c.a``,
    ``f4ke``), keeping the larger count per family. If the input has ``title_norm`` and
    ``title_deob`` columns (from ``TextNormalizer``) they are used as they are; otherwise they are
    computed. The description (its first ``max_description_chars`` characters, normalised) is
    counted separately, so the model can weigh it less.

    Parameters
    ----------
    replica, slang, euphemism, bulk, compat, official, used, outlet : tuple of str
        The phrases of each family (see the module docstring for the syntax). Defaults:
        ``REPLICA_TERMS``, ``SLANG_TERMS``, ... of this module.
    exceptions : tuple of str, default=EXCEPTION_TERMS
        Legitimate phrases that contain family words ("official replica jersey").
    description : bool, default=True
        Also count the families in the description, as ``terms_<family>_desc``.
    max_description_chars : int, default=1000
        Only the start of a description is searched (bounded cost per listing).

    Attributes
    ----------
    patterns_ : TermMatcher
        The compiled phrase index of the families and exceptions.
    feature_names_out_ : list of str
        ``terms_<family>`` for each family, then ``terms_<family>_desc``.

    Examples
    --------
    >>> import pandas as pd
    >>> rt = RiskTerms(description=False).fit(pd.DataFrame({"title": ["x"]}))
    >>> rt.transform_record({"title": "AAA+ 1:1 Replica Rolex, wholesale 10pcs"})[:4]
    array([1., 2., 0., 2.])
    >>> rt.explain_terms("Official replica jersey, inspired by the 1998 kit")["euphemism"]
    ['inspired by']
    """

    required_columns = ("title",)

    def __init__(
        self,
        *,
        replica: tuple[str, ...] = REPLICA_TERMS,
        slang: tuple[str, ...] = SLANG_TERMS,
        euphemism: tuple[str, ...] = EUPHEMISM_TERMS,
        bulk: tuple[str, ...] = BULK_TERMS,
        compat: tuple[str, ...] = COMPAT_TERMS,
        official: tuple[str, ...] = OFFICIAL_TERMS,
        used: tuple[str, ...] = USED_TERMS,
        outlet: tuple[str, ...] = OUTLET_TERMS,
        formats: tuple[str, ...] = FORMAT_TERMS,
        exceptions: tuple[str, ...] = EXCEPTION_TERMS,
        description: bool = True,
        max_description_chars: int = 1000,
    ) -> None:
        self.replica = replica
        self.slang = slang
        self.euphemism = euphemism
        self.bulk = bulk
        self.compat = compat
        self.official = official
        self.used = used
        self.outlet = outlet
        self.formats = formats
        self.exceptions = exceptions
        self.description = description
        self.max_description_chars = max_description_chars

    def fit(self, X: pd.DataFrame, y: object = None) -> RiskTerms:
        """Validate the parameters and compile the term pattern.

        Parameters
        ----------
        X : DataFrame
            Listings (a ``title`` column is required).
        y : ignored

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        if not isinstance(self.max_description_chars, int) or self.max_description_chars < 0:
            raise ValueError("max_description_chars must be a non-negative integer")
        families = {}
        for family in FAMILIES:
            terms = getattr(self, family, ())  # (a model pickled before the family existed)
            if isinstance(terms, str) or not isinstance(terms, Sequence):
                raise ValueError(f"{family} must be a tuple of phrases, not {terms!r}")
            families[family] = tuple(terms)
        if isinstance(self.exceptions, str) or not isinstance(self.exceptions, Sequence):
            raise ValueError("exceptions must be a tuple of phrases")
        self.patterns_ = TermMatcher(families, tuple(self.exceptions))
        names = [f"terms_{f}" for f in FAMILIES]
        if self.description:
            names += [f"terms_{f}_desc" for f in FAMILIES]
        self.feature_names_out_ = names
        return self

    def _title_texts(self, title: str, norm: str | None, deob: str | None) -> tuple[str, str]:
        """The normalised and de-obfuscated title (computed when not given)."""
        if norm is None:
            norm = normalize_text(title)
        if deob is None:
            deob = deobfuscate_normalized(norm)
        return norm, deob

    def _title_counts(self, title: str, norm: str | None, deob: str | None) -> list[float]:
        return self._count_title(*self._title_texts(title, norm, deob))

    def _count_title(self, norm: str, deob: str) -> list[float]:
        matcher = self.patterns_
        words = split_words(norm)
        counts = matcher.count_words(words)
        if deob != norm:
            deob_words = split_words(deob)
            # only words that de-obfuscation created ("r3plica" -> "replica") or dropped (an
            # emoji between two words) can add matches
            created = set(deob_words).difference(words)
            if len(deob_words) < len(words) or not matcher.vocabulary.isdisjoint(created):
                extra = matcher.count_words(deob_words)
                counts = [max(a, b) for a, b in zip(counts, extra, strict=True)]
        return counts

    def _description_text(self, desc: str) -> str:
        return fold_accents(normalize_text(desc[: self.max_description_chars]))

    def _description_counts(self, desc: str) -> list[float]:
        return self.patterns_.count(self._description_text(desc))

    def _distinct_counts(
        self,
        keys: Iterable[Any],
        prepare: Callable[[Any], tuple[str, Any]],
        count: Callable[[Any], list[float]],
    ) -> list[list[float]]:
        """Counts of each row, computed once per distinct key: ``prepare`` gives the text to
        filter and what ``count`` reads, counted only where ``TermMatcher.may_match`` lets the
        text through (elsewhere there is no phrase: zeros)."""
        slots: dict[Any, int] = {}
        rows = [slots.setdefault(key, len(slots)) for key in keys]
        prepared = [prepare(key) for key in slots]
        may = self.patterns_.may_match([text for text, _ in prepared])
        zeros = [0.0] * len(self.patterns_.slot)
        counts = [count(what) if ok else zeros for (_, what), ok in zip(prepared, may, strict=True)]
        return [counts[i] for i in rows]

    def _transform_frame(self, X: pd.DataFrame) -> np.ndarray:
        titles = text_column(X, "title")
        n = len(titles)
        norms = text_column(X, "title_norm") if "title_norm" in X.columns else [None] * n
        deobs = text_column(X, "title_deob") if "title_deob" in X.columns else [None] * n

        def title(key: tuple[str, str | None, str | None]) -> tuple[str, tuple[str, str]]:
            norm, deob = self._title_texts(*key)
            return (norm if deob == norm else f"{norm} {deob}"), (norm, deob)  # both's words

        def description(desc: str) -> tuple[str, str]:
            text = self._description_text(desc)
            return text, text

        rows = self._distinct_counts(
            zip(titles, norms, deobs, strict=True), title, lambda t: self._count_title(*t)
        )
        width = len(self.patterns_.families)  # the families of fit time
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        if self.description:
            desc_rows = self._distinct_counts(
                text_column(X, "description"), description, self.patterns_.count
            )
            columns += list(zip(*desc_rows, strict=True)) if desc_rows else [()] * width
        return as_features(columns, n)

    def transform_record(self, record: Mapping[str, Any]) -> np.ndarray:
        """The features of one listing (a mapping of column -> value), as ``transform`` would.

        Parameters
        ----------
        record : mapping
            One listing with canonical keys; missing keys are missing values.

        Returns
        -------
        ndarray of shape (n_features,)
        """
        norm = text_of(record, "title_norm") if "title_norm" in record else None
        deob = text_of(record, "title_deob") if "title_deob" in record else None
        row = self._title_counts(text_of(record, "title"), norm, deob)
        if self.description:
            row += self._description_counts(text_of(record, "description"))
        return np.asarray(row, dtype="float64")

    def explain_terms(self, text: object) -> dict[str, list[str]]:
        """Return the phrases of each family found in ``text``, as written there (normalised).

        Parameters
        ----------
        text : str
            A title or description.

        Returns
        -------
        dict
            Family -> list of matched phrases (in order; empty when none).
        """
        if not hasattr(self, "patterns_"):  # check_is_fitted costs ~10 us per reason
            check_is_fitted(self, "patterns_")
        norm = normalize_text(text)
        found: dict[str, list[str]] = {family: [] for family in self.patterns_.families}
        for source in (norm, deobfuscate_normalized(norm)):
            for family, words in self.patterns_.matches(source):
                bare = fold_accents(words)  # "réplica" once, not again as "replica"
                if all(fold_accents(w) != bare for w in found[family]):
                    found[family].append(words)
        return found
