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

from collections.abc import Callable, Iterable, Mapping, Sequence
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
from cfdetect.features._brand_text import (
    NUMERIC_FEATURES,
    STRING_FEATURES,
    Detection,
    _Found,
    _Text,
    deob_term,
    detection_values,
    fuzzy_mentions,
)
from cfdetect.features._category import listing_categories
from cfdetect.features._text import (
    as_text,
    normalize_text,
    split_words,
)
from cfdetect.features._vocab import (
    ACCESSORY_CATEGORIES,
    ACCESSORY_NOUNS,
    ACCESSORY_STOP,
    AMBIGUOUS_NAMES,
    FUZZY_STOPWORDS,
    GENERIC_BRANDS,
    PRODUCT_TYPE_WORDS,
)

_WINDOW = 3  # words either side of an ambiguous name where a product word is evidence
_ACCESSORY_WINDOW = 4  # words after a product line where an accessory noun makes it an accessory


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
                found.term = deob_term(title, dnames[0])
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
                found.term = deob_term(title, mention)  # as written: "r0lax"
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
            for m, shown, ambiguous in fuzzy_mentions(self.index_, title, deob)
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
            brand, named_as = self._description_brand(description, context, read)
            if brand:
                how, term = "description", named_as
        if not brand and status == "known":
            brand, how, term = declared_brand, "declared", normalize_text(declared_brand)
        lines = [m for m in title.mentions if m.kind == "line"]
        named = [" ".join(title.words[m.start : m.end]) for m in lines if m.brand == brand]
        if found.words is not title.words:
            deob_lines = [m for m in title.deob_mentions(index) if m.kind == "line"]
            lines += deob_lines
            words = title.deob_words()
            named += [" ".join(words[m.start : m.end]) for m in deob_lines if m.brand == brand]
        values = detection_values(index, found, how, brand, declared, categories, named)
        first = next((m for m in lines if m.brand == brand), None) if brand else None
        product_type = self._product_type(brand, first, title.words)
        line = named[0] if named else ""
        if first is not None:  # "MacBook Air SuperDrive": priced as the drive, not the laptop
            words = title.words if first in title.mentions else title.deob_words()
            accessory = self._accessory_type(brand, first, words)
            if accessory is not None:
                product_type, line = accessory, ""
        return Detection(brand, product_type, term, how, values, line)

    def _description_brand(
        self,
        description: str,
        context: tuple[str, frozenset[str]],
        read: Callable[[str], _Text | None] | None,
    ) -> tuple[str, str]:
        """The first brand name the description names (not a line) and its words, or ``""``."""
        desc = (read or self._read_description)(description)
        if desc is not None and desc.mentions:
            for m in desc.mentions:
                if m.kind != "line" and self._accepts(
                    m, desc, desc.words, desc.mentions, context, caps=True
                ):
                    return m.brand, " ".join(desc.words[m.start : m.end])
        return "", ""

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
