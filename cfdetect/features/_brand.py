"""Which registry brand a listing names, how it names it, and how that fits the declared brand.

Matching runs on the title first, in order of strength, stopping at the first that finds a brand:

1. exact names and aliases in the normalised title (``Louis Vuitton``, ``LV``);
2. names in the de-obfuscated title only (``G U C C I``, ``Gucc1``, ``R0lex``, ``gu cci``);
3. misspellings (``Rolax``, ``Guci``, ``Addidas``), via a deletion index and rapidfuzz;
4. a product line without the brand (``Submariner``: "brand omitted, model kept");

then on the description (names only) and finally the declared brand.

Names that are ordinary words (Coach, Guess, Apple, Vans, Ring, ...; see ``AMBIGUOUS_NAMES``) and
short aliases (LV, MK, HP) count only with evidence: capitalised in a title that is not written in
title case or capitals (short aliases: in capitals), a line or product word of that brand nearby
(``coach handbag``, ``apple airpods``), the declared brand, or the listing's category. Product
lines that are a single ordinary word (``Daytona``, ``Speedy``) need the same kind of evidence;
lines of several words or with a model code (``Air Jordan 1``, ``WH-1000XM5``) do not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from cfdetect.features._base import (
    ListingTransformer,
    RegistryLike,
    as_features,
    resolve_registry,
    text_column,
    text_of,
)
from cfdetect.features._brand_index import BrandIndex, Mention
from cfdetect.features._category import listing_categories
from cfdetect.features._text import (
    as_text,
    deobfuscate_normalized,
    deobfuscate_spans,
    normalize_text,
    split_words,
)
from cfdetect.features._vocab import (
    ACCESSORY_CATEGORIES,
    ACCESSORY_NOUNS,
    ACCESSORY_STOP,
    AMBIGUOUS_NAMES,
    COMPAT_BEFORE,
    COMPAT_WITH_BEFORE,
    FUZZY_STOPWORDS,
    GENERIC_BRANDS,
    PRODUCT_TYPE_WORDS,
)

STRING_FEATURES: tuple[str, ...] = (
    "detected_brand",
    "detected_product_type",
    "detected_term",
    "detected_line",
)
NUMERIC_FEATURES: tuple[str, ...] = (
    "brand_mentioned",
    "brand_match_exact",
    "brand_match_alias",
    "brand_match_fuzzy",
    "brand_match_deobfuscated",
    "brand_line_only",
    "brand_in_description_only",
    "brand_declared_only",
    "n_brands_mentioned",
    "declared_brand_missing",
    "declared_brand_generic",
    "declared_brand_mismatch",
    "brand_after_compat",
    "brand_registered",
    "brand_fake_appeal",
    "brand_category_mismatch",
    "product_line_mentioned",
)
_WINDOW = 3  # words either side of an ambiguous name where a product word is evidence
_ACCESSORY_WINDOW = 4  # words after a product line where an accessory noun makes it an accessory


@dataclass(frozen=True, slots=True)
class Detection:
    """The brand a listing names and how (the output of ``BrandMentions.detect``).

    Attributes
    ----------
    brand : str
        Canonical registry brand, ``""`` if none.
    product_type : str
        Registry product type when known, else ``""``.
    term : str
        The text that matched, as written in the normalised title (``"gucc1"``, ``"rolax"``).
    how : str
        ``exact``, ``alias``, ``deobfuscated``, ``fuzzy``, ``line``, ``description``,
        ``declared`` or ``""``.
    values : tuple of float
        The numeric features, in the order of ``NUMERIC_FEATURES``.
    """

    brand: str = ""
    product_type: str = ""
    term: str = ""
    how: str = ""
    values: tuple[float, ...] = field(default=(0.0,) * len(NUMERIC_FEATURES))
    line: str = ""

    def as_dict(self) -> dict[str, object]:
        """All features by name: the four strings, then the numbers."""
        out: dict[str, object] = {
            "detected_brand": self.brand,
            "detected_product_type": self.product_type,
            "detected_term": self.term,
            "detected_line": self.line,
        }
        out.update(zip(NUMERIC_FEATURES, self.values, strict=True))
        return out


@dataclass
class _Text:
    """A title or description split into words, with what matching needs, computed lazily."""

    original: str
    norm: str
    deob: str | None
    words: list[str]
    mentions: list[Mention]
    _deob_words: list[str] | None = None
    _deob_mentions: list[Mention] | None = None
    _caps: list[str] | None = None
    _fuzzy: dict[bool, list[tuple[Mention, str, bool]]] = field(default_factory=dict)

    def deob_mentions(self, index: BrandIndex) -> list[Mention]:
        if self._deob_mentions is None:
            words = self.deob_words()
            self._deob_mentions = self.mentions if words is self.words else index.scan(words)
        return self._deob_mentions

    def caps(self) -> list[str] | None:
        """The original-case words aligned with ``words`` (None when alignment fails)."""
        if self._caps is None:
            text = self.original
            if not text.isascii():
                text = unicodedata.normalize("NFKC", text)
            self._caps = split_words(" ".join(text.split()))
        return self._caps if len(self._caps) == len(self.words) else None

    def deob_words(self) -> list[str]:
        if self._deob_words is None:
            deob = self.deob if self.deob is not None else deobfuscate_normalized(self.norm)
            self._deob_words = self.words if deob == self.norm else split_words(deob)
        return self._deob_words


@dataclass
class _Found:
    """What the title says about the brand (working state of ``BrandMentions._detect``)."""

    words: list[str]
    names: list[Mention] = field(default_factory=list)
    lines: list[Mention] = field(default_factory=list)
    brands: set[str] = field(default_factory=set)
    primary: Mention | None = None
    how: str = ""
    term: str = ""
    deob: bool = False


class BrandMentions(ListingTransformer):
    """Detect the registry brand a listing names, and how it names it.

    Output: the input columns, then the string columns ``detected_brand``,
    ``detected_product_type``, ``detected_term``, ``detected_line`` (the brand's product line
    as written in the title, ``""`` if none), then the numeric columns of
    ``NUMERIC_FEATURES``:

    - ``brand_mentioned``: a brand is named in the title or description (not only a line);
    - ``brand_match_exact`` / ``_alias`` / ``_fuzzy`` / ``_deobfuscated``: how the title names it
      (``Rolex``; ``LV``; ``Rolax``; ``R0lex``, ``G U C C I``); one of them at most, except that
      a misspelling found only after de-obfuscation (``R0lax``) sets both ``_fuzzy`` and
      ``_deobfuscated``;
    - ``brand_line_only``: a product line but no brand name (``Submariner``);
    - ``brand_in_description_only`` / ``brand_declared_only``: found only there;
    - ``n_brands_mentioned``: distinct brands named in the title;
    - ``declared_brand_missing`` / ``_generic`` (Generic, Unbranded, OEM, ...) / ``_mismatch``
      (declared brand differs from the detected one, or is unknown while one is detected);
    - ``brand_after_compat``: the brand follows "for", "compatible with", "fits", ...;
    - ``brand_registered``, ``brand_fake_appeal``: from the registry (0 without a brand);
    - ``brand_category_mismatch``: the listing category disagrees with the brand's categories;
    - ``product_line_mentioned``: the title names one of the detected brand's product lines
      ("AirPods Pro"), not just the brand and a noun (entry-level models and the brand's own
      accessories rarely carry a famous line name; fakes almost always do).

    Parameters
    ----------
    registry : str, Path, BrandRegistry or None, default=None
        The brand registry CSV (None: the shipped ``data/brands.csv``).
    fuzzy_threshold : float, default=88
        Minimum similarity (0-100; the larger of rapidfuzz's Jaro-Winkler and normalised Indel
        similarity) for a misspelling; candidates must also be one edit away (two for names of
        9+ letters) and share the first letter (and the last, for names of up to 6 letters).
    ambiguous_names : tuple of str, default=AMBIGUOUS_NAMES
        Names and aliases that are ordinary words and need evidence.
    generic_brands : tuple of str, default=GENERIC_BRANDS
        Declared brands meaning "no brand".
    fuzzy_stopwords : tuple of str, default=FUZZY_STOPWORDS
        Words never read as misspelt brands (``channel`` is not ``Chanel``).
    max_description_chars : int, default=1000
        Only the start of a description is searched.

    Attributes
    ----------
    registry_ : BrandRegistry
    index_ : BrandIndex
        Name, line and misspelling lookup tables.
    generic_ : frozenset of str
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> bm = BrandMentions().fit(pd.DataFrame({"title": ["x"]}))
    >>> d = bm.detect("G U C C I Marmont shoulder bag", "", "Generic")
    >>> d.brand, d.how, d.term
    ('Gucci', 'deobfuscated', 'g u c c i')
    >>> bm.detect("Rolax Submariner automatic watch").how
    'fuzzy'
    """

    required_columns = ("title",)

    def __init__(
        self,
        *,
        registry: RegistryLike = None,
        fuzzy_threshold: float = 88,
        ambiguous_names: tuple[str, ...] = AMBIGUOUS_NAMES,
        generic_brands: tuple[str, ...] = GENERIC_BRANDS,
        fuzzy_stopwords: tuple[str, ...] = FUZZY_STOPWORDS,
        max_description_chars: int = 1000,
    ) -> None:
        self.registry = registry
        self.fuzzy_threshold = fuzzy_threshold
        self.ambiguous_names = ambiguous_names
        self.generic_brands = generic_brands
        self.fuzzy_stopwords = fuzzy_stopwords
        self.max_description_chars = max_description_chars

    # -- fitting ------------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, y: object = None) -> BrandMentions:
        """Validate the parameters, load the registry and index it.

        Parameters
        ----------
        X : DataFrame
            Listings (a ``title`` column is required). Nothing is learned from them.
        y : ignored

        Returns
        -------
        self
        """
        self._check_frame(X, reset=True)
        threshold = self.fuzzy_threshold
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise ValueError(f"fuzzy_threshold must be a number in 0..100, got {threshold!r}")
        if not 0 <= threshold <= 100:
            raise ValueError(f"fuzzy_threshold must be in 0..100, got {threshold!r}")
        if not isinstance(self.max_description_chars, int) or self.max_description_chars < 0:
            raise ValueError("max_description_chars must be a non-negative integer")
        for name in ("ambiguous_names", "generic_brands", "fuzzy_stopwords"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{name} must be a tuple of strings")
        self.registry_ = resolve_registry(self.registry)
        self.index_ = BrandIndex(
            self.registry_,
            ambiguous=self.ambiguous_names,
            fuzzy_stopwords=self.fuzzy_stopwords,
            fuzzy_threshold=float(threshold),
            product_type_words=PRODUCT_TYPE_WORDS,
        )
        self.generic_ = frozenset(normalize_text(g) for g in self.generic_brands)
        self.feature_names_out_ = [
            *(str(c) for c in X.columns if c not in STRING_FEATURES + NUMERIC_FEATURES),
            *STRING_FEATURES,
            *NUMERIC_FEATURES,
        ]
        self.passthrough_ = self.feature_names_out_[: -len(STRING_FEATURES + NUMERIC_FEATURES)]
        return self

    # -- matching -----------------------------------------------------------------------------

    def _read(self, text: str, norm: str | None = None, deob: str | None = None) -> _Text:
        norm = normalize_text(text) if norm is None else norm
        words = split_words(norm)
        return _Text(text, norm, deob, words, self.index_.scan(words))

    def _read_description(self, text: str) -> _Text | None:
        text = text[: self.max_description_chars]
        return self._read(text) if text else None

    def _declared(self, declared: str) -> tuple[str, str]:
        """Return (status, brand): status is missing, generic, known or unknown."""
        cache = self.index_.cache("declared")
        hit = cache.get(declared)
        if hit is None:
            hit = cache[declared] = self._resolve_declared(declared)
        return hit

    def _resolve_declared(self, declared: str) -> tuple[str, str]:
        norm = normalize_text(declared)
        if not norm:
            return "missing", ""
        if norm in self.generic_:
            return "generic", ""
        index = self.index_
        words = split_words(norm)
        if not words:
            return "generic", ""
        key: Any = words[0] if len(words) == 1 else tuple(words)
        hit = index.names.get(key) or index.names.get("".join(words))
        if hit is None and key in index.lines:
            hit = index.lines[key]
        if hit is None:
            fuzzy = index.fuzzy("".join(w for w in words if w.isalpha()))
            if fuzzy is not None:
                return "known", fuzzy[0]
            return "unknown", ""
        return "known", hit[0]

    def _caps_evidence(self, text: _Text, mention: Mention, *, listed: bool) -> bool:
        """Capitals say "brand": a short alias in capitals (not listed as an ordinary word) in a
        title not written in capitals, or a name capitalised in a title mostly in lower case."""
        caps = text.caps()
        if caps is None:
            return False
        shown = caps[mention.start : mention.end]
        alpha = [w for w in caps if len(w) > 1 and w.isalpha()]
        if not listed and mention.end - mention.start == 1 and len(shown[0]) <= 3:
            return shown[0].isupper() and not all(w.isupper() for w in alpha)
        if not all(w[:1].isupper() for w in shown):
            return False
        capitalised = sum(1 for w in alpha if w[:1].isupper())
        return len(alpha) >= 2 and capitalised / len(alpha) < 0.6

    def _accepts(
        self,
        mention: Mention,
        text: _Text,
        words: Sequence[str],
        mentions: Sequence[Mention],
        context: tuple[str, frozenset[str]],
        *,
        caps: bool,
    ) -> bool:
        index = self.index_
        key: Any = (
            words[mention.start]
            if mention.end - mention.start == 1
            else tuple(words[mention.start : mention.end])
        )
        if mention.kind == "line":
            if key not in index.weak_lines:
                return True
        elif key not in index.ambiguous:
            return True
        listed = key in index.listed_ambiguous
        return self._evidence(mention, text, words, mentions, context, caps=caps, listed=listed)

    def _evidence(
        self,
        mention: Mention,
        text: _Text,
        words: Sequence[str],
        mentions: Sequence[Mention],
        context: tuple[str, frozenset[str]],
        *,
        caps: bool,
        listed: bool,
    ) -> bool:
        """Whether an ambiguous name or a weak line is backed by the rest of the listing."""
        index = self.index_
        declared_brand, categories = context
        brand = mention.brand
        if declared_brand == brand or (categories & index.categories.get(brand, frozenset())):
            return True
        other = "line" if mention.kind != "line" else None
        for m in mentions:
            if m.brand == brand and m is not mention and (m.kind == other or other is None):
                return True
        product_words = index.type_words.get(brand, {})
        if mention.kind == "line":
            return any(w in product_words for w in words)
        lo, hi = max(0, mention.start - _WINDOW), mention.end + _WINDOW
        if any(w in product_words for w in words[lo:hi]):
            return True
        return caps and self._caps_evidence(text, mention, listed=listed)

    def _fuzzy_mentions(self, text: _Text, deob: bool) -> list[tuple[Mention, str, bool]]:
        """Misspelt names (single words, and two adjacent words joined) in the title, each with
        the words as written and whether the name is an ordinary word (needing evidence)."""
        if deob in text._fuzzy:
            return text._fuzzy[deob]
        words = text.deob_words() if deob else text.words
        covered = set()
        for m in text.deob_mentions(self.index_) if deob else text.mentions:
            covered.update(range(m.start, m.end))
        found: list[tuple[Mention, str, bool]] = []
        for i, word in enumerate(words):
            if i in covered:
                continue
            hit = self.index_.fuzzy(word)
            if hit is not None:
                found.append((Mention(hit[0], "fuzzy", "", i, i + 1), word, hit[2]))
                continue
            if i + 1 < len(words) and i + 1 not in covered and word.isalpha():
                pair = word + words[i + 1]
                if not words[i + 1].isalpha():
                    continue
                shown = f"{word} {words[i + 1]}"
                joined = self.index_.joined(pair)
                if joined is not None:
                    found.append((Mention(joined[0], "joined", "", i, i + 2), shown, False))
                    continue
                hit = self.index_.fuzzy(pair) if len(pair) >= 6 else None
                if hit is not None:
                    found.append((Mention(hit[0], "fuzzy", "", i, i + 2), shown, hit[2]))
        text._fuzzy[deob] = found
        return found

    def _deob_term(self, text: _Text, mention: Mention) -> str:
        """The text of a de-obfuscated match as written in the normalised title."""
        words = text.deob_words()
        first = words[mention.start]
        for token, start, end in deobfuscate_spans(text.norm):
            if first in split_words(token):
                return text.norm[start:end]
        return " ".join(words[mention.start : mention.end])

    def _after_compat(self, words: Sequence[str], mentions: Iterable[Mention]) -> bool:
        """Whether one of the mentions follows "for", "fits", "compatible with", ..."""
        for m in mentions:
            before = words[max(0, m.start - 2) : m.start]
            if not before:
                continue
            if before[-1] in COMPAT_BEFORE or (
                before[-1] == "with" and len(before) == 2 and before[0] in COMPAT_WITH_BEFORE
            ):
                return True
            if len(before) == 2 and before[0] in COMPAT_BEFORE:
                return True
        return False

    def _title_brand(self, title: _Text, context: tuple[str, frozenset[str]]) -> _Found:
        """The brand the title names, trying exact, de-obfuscated, misspelt names, then lines."""
        found = _Found(words=title.words)
        mentions = title.mentions
        if mentions:
            for m in mentions:
                if self._accepts(m, title, title.words, mentions, context, caps=True):
                    (found.lines if m.kind == "line" else found.names).append(m)
            found.brands.update(m.brand for m in (*found.names, *found.lines))
            if found.names:
                found.primary = found.names[0]
                found.how = "exact" if found.primary.kind == "name" else "alias"
                return found
        dwords = title.deob_words()
        if dwords is not title.words:
            dmentions = title.deob_mentions(self.index_)
            dnames, dlines = [], []
            # a name the title writes plainly is not obfuscated, wherever de-obfuscating the
            # words around it moves it (the exact reading above decided on it)
            plain = {(m.brand, tuple(title.words[m.start : m.end])) for m in mentions}
            for m in dmentions:
                if (m.brand, tuple(dwords[m.start : m.end])) in plain:
                    continue
                if self._accepts(m, title, dwords, dmentions, context, caps=False):
                    (dlines if m.kind == "line" else dnames).append(m)
            found.brands.update(m.brand for m in (*dnames, *dlines))
            if dnames:
                found.names, found.words, found.deob = dnames, dwords, True
                found.primary, found.how = dnames[0], "deobfuscated"
                found.term = self._deob_term(title, dnames[0])
                if dlines:
                    found.lines = dlines
                return found
            if dlines and not found.lines:
                found.lines, found.words = dlines, dwords
        fuzzy, deob = self._backed_fuzzy(title, False, context), False
        if not fuzzy and dwords is not title.words:
            fuzzy, deob = self._backed_fuzzy(title, True, context), True
        if fuzzy:
            mention, term = fuzzy[0]
            found.brands.update(m.brand for m, _ in fuzzy)
            found.primary, found.term = mention, term
            found.names = [m for m, _ in fuzzy]
            found.deob = deob or mention.kind == "joined"
            found.how = "deobfuscated" if mention.kind == "joined" else "fuzzy"
            if deob:
                found.words = dwords
                found.term = self._deob_term(title, mention)  # as written: "r0lax"
            return found
        if found.lines:
            found.primary = self._best_line(found.lines, found.words, context[1])
            found.how = "line"
        return found

    def _backed_fuzzy(
        self, title: _Text, deob: bool, context: tuple[str, frozenset[str]]
    ) -> list[tuple[Mention, str]]:
        """Misspelt names, keeping those of ordinary-word brands only with evidence."""
        words = title.deob_words() if deob else title.words
        mentions = title.deob_mentions(self.index_) if deob else title.mentions
        return [
            (m, shown)
            for m, shown, ambiguous in self._fuzzy_mentions(title, deob)
            if not ambiguous
            or self._evidence(m, title, words, mentions, context, caps=False, listed=True)
        ]

    def _best_line(
        self, lines: Sequence[Mention], words: Sequence[str], categories: frozenset[str]
    ) -> Mention:
        """Among lines of several brands, the brand with matching category, most lines, longest."""
        by_brand: dict[str, list[Mention]] = {}
        for m in lines:
            by_brand.setdefault(m.brand, []).append(m)
        index = self.index_

        def rank(ms: list[Mention]) -> tuple[bool, int, int, int]:
            span = max(len(" ".join(words[m.start : m.end])) for m in ms)
            in_category = bool(categories & index.categories.get(ms[0].brand, frozenset()))
            return in_category, len(ms), span, -ms[0].start

        return max(by_brand.values(), key=rank)[0]

    def _detect(
        self,
        title: _Text,
        description: str,
        declared: tuple[str, str],
        categories: frozenset[str],
        read: Callable[[str], _Text | None] | None = None,
    ) -> Detection:
        index = self.index_
        status, declared_brand = declared
        context = (declared_brand, categories)
        found = self._title_brand(title, context)
        how, primary = found.how, found.primary
        brand = primary.brand if primary is not None else ""
        term = found.term
        if primary is not None and not term:
            term = " ".join(found.words[primary.start : primary.end])
        if not brand and description:
            desc = (read or self._read_description)(description)
            if desc is not None and desc.mentions:
                for m in desc.mentions:
                    if m.kind != "line" and self._accepts(
                        m, desc, desc.words, desc.mentions, context, caps=True
                    ):
                        brand, how = m.brand, "description"
                        term = " ".join(desc.words[m.start : m.end])
                        break
        if not brand and status == "known":
            brand, how, term = declared_brand, "declared", normalize_text(declared_brand)
        in_title = how not in ("", "description", "declared")
        lines = [m for m in title.mentions if m.kind == "line"]
        named = [" ".join(title.words[m.start : m.end]) for m in lines if m.brand == brand]
        if found.words is not title.words:
            deob_lines = [m for m in title.deob_mentions(index) if m.kind == "line"]
            lines += deob_lines
            words = title.deob_words()
            named += [" ".join(words[m.start : m.end]) for m in deob_lines if m.brand == brand]
        after_compat = in_title and self._after_compat(
            found.words, [m for m in (*found.names, *found.lines) if m.brand == brand]
        )
        brand_cats = index.categories.get(brand, frozenset())
        values = (
            float((in_title and how != "line") or how == "description"),
            float(how == "exact"),
            float(how == "alias"),
            float(how == "fuzzy"),
            float(found.deob),
            float(how == "line"),
            float(how == "description"),
            float(how == "declared"),
            float(len(found.brands) if in_title else 0),
            float(status == "missing"),
            float(status == "generic"),
            float(
                bool(brand)
                and how != "declared"
                and (status == "unknown" or (status == "known" and declared_brand != brand))
            ),
            float(after_compat),
            index.registered.get(brand, 0.0),
            index.fake_appeal.get(brand, 0.0),
            float(bool(categories) and bool(brand_cats) and not (categories & brand_cats)),
            float(bool(brand) and bool(named)),
        )
        first = next((m for m in lines if m.brand == brand), None) if brand else None
        product_type = self._product_type(brand, first, title.words)
        line = named[0] if named else ""
        if first is not None:  # "MacBook Air SuperDrive": priced as the drive, not the laptop
            words = title.words if first in title.mentions else title.deob_words()
            accessory = self._accessory_type(brand, first, words)
            if accessory is not None:
                product_type, line = accessory, ""
        return Detection(brand, product_type, term, how, values, line)

    def _accessory_type(self, brand: str, line: Mention, words: Sequence[str]) -> str | None:
        """The product type of an accessory named after a product line ("" when the brand has
        no such type), or None when the words after the line do not name an accessory."""
        if not ACCESSORY_CATEGORIES & self.index_.categories.get(brand, frozenset()):
            return None
        own = self.index_.type_words.get(brand, {})
        for word in words[line.end : line.end + _ACCESSORY_WINDOW]:
            if word in ACCESSORY_STOP:
                return None
            if word in ACCESSORY_NOUNS:
                kind = own.get(word)
                return None if kind == line.product_type else (kind or "")
        return None

    def _product_type(self, brand: str, line: Mention | None, title: Sequence[str]) -> str:
        """The type of the brand's first product line in the title, else of its first product
        word, else the brand's only type."""
        if not brand:
            return ""
        if line is not None:
            return line.product_type
        product_words = self.index_.type_words.get(brand, {})
        for word in title:
            ptype = product_words.get(word)
            if ptype is not None:
                return ptype
        types = self.index_.types.get(brand, ())
        return types[0] if len(types) == 1 else ""

    # -- public API ---------------------------------------------------------------------------

    def detect(
        self,
        title: object,
        description: object = "",
        declared_brand: object = "",
        *,
        category: object = "",
        title_norm: str | None = None,
        title_deob: str | None = None,
    ) -> Detection:
        """Detect the brand of one listing.

        Parameters
        ----------
        title, description, declared_brand, category : str
            The listing's fields (missing values are allowed).
        title_norm, title_deob : str, optional
            Precomputed ``normalize_text(title)`` / ``deobfuscate(title)``.

        Returns
        -------
        Detection
        """
        if not hasattr(self, "index_"):  # check_is_fitted costs ~10 us: too much per listing
            check_is_fitted(self, "index_")
        return self._detect(
            self._read(as_text(title), title_norm, title_deob),
            as_text(description),
            self._declared(as_text(declared_brand)),
            listing_categories(as_text(category)),
        )

    def detect_record(self, record: Mapping[str, Any]) -> Detection:
        """``detect`` for a listing given as a mapping with canonical keys."""
        return self.detect(
            record.get("title"),
            record.get("description"),
            record.get("brand"),
            category=record.get("category"),
            title_norm=text_of(record, "title_norm") if "title_norm" in record else None,
            title_deob=text_of(record, "title_deob") if "title_deob" in record else None,
        )

    def transform_record(self, record: Mapping[str, Any]) -> np.ndarray:
        """The numeric features of one listing, in the order of ``NUMERIC_FEATURES``.

        Parameters
        ----------
        record : mapping
            One listing with canonical keys; missing keys are missing values.

        Returns
        -------
        ndarray of shape (17,)
            The numeric columns of ``transform`` (the string columns are in ``detect_record``).
        """
        return np.asarray(self.detect_record(record).values, dtype="float64")

    def enrich_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Return a copy of ``record`` with every output column of ``transform`` added."""
        out = dict(record)
        out.update(self.detect_record(record).as_dict())
        return out

    def _transform_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        n = len(X)
        titles = text_column(X, "title")
        norms = text_column(X, "title_norm") if "title_norm" in X.columns else [None] * n
        deobs = text_column(X, "title_deob") if "title_deob" in X.columns else [None] * n
        descs = text_column(X, "description")
        declared = text_column(X, "brand")
        cats = text_column(X, "category")
        title_memo: dict[tuple[str, str | None, str | None], _Text] = {}
        desc_memo: dict[str, _Text | None] = {}
        declared_memo: dict[str, tuple[str, str]] = {}

        def read(desc: str) -> _Text | None:
            if desc not in desc_memo:
                desc_memo[desc] = self._read_description(desc)
            return desc_memo[desc]

        results: list[Detection] = []
        for t, tn, td, d, b, c in zip(titles, norms, deobs, descs, declared, cats, strict=True):
            key = (t, tn, td)
            title = title_memo.get(key)
            if title is None:
                title = title_memo[key] = self._read(t, tn, td)
            if b not in declared_memo:
                declared_memo[b] = self._declared(b)
            results.append(self._detect(title, d, declared_memo[b], listing_categories(c), read))
        out = X.reindex(columns=self.passthrough_)
        strings = {
            "detected_brand": [r.brand for r in results],
            "detected_product_type": [r.product_type for r in results],
            "detected_term": [r.term for r in results],
            "detected_line": [r.line for r in results],
        }
        empty = [()] * len(NUMERIC_FEATURES)
        numbers = as_features(list(zip(*(r.values for r in results), strict=True)) or empty, n)
        new = pd.DataFrame(
            {
                **{k: pd.array(v, dtype="string") for k, v in strings.items()},
                **{k: numbers[:, i] for i, k in enumerate(NUMERIC_FEATURES)},
            },
            index=X.index,
        )
        return pd.concat([out, new], axis=1)

    def get_feature_names_out(self, input_features: Iterable[str] | None = None) -> np.ndarray:
        """Return the input column names seen in ``fit``, then the detection columns."""
        check_is_fitted(self, "feature_names_out_")
        if input_features is not None:
            new = STRING_FEATURES + NUMERIC_FEATURES
            passthrough = [str(c) for c in input_features if c not in new]
            return np.asarray([*passthrough, *new], dtype=object)
        return np.asarray(self.feature_names_out_, dtype=object)
