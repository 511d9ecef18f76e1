"""Titles, descriptions and declared brands of simulated listings.

Genuine titles follow the shapes of real retail catalogues ("Sony Turntable - PSLX350H",
"Bose Acoustimass 5 Series III Speaker System - AM53BK"): brand, product line, descriptors, model
number. Counterfeit titles are built by tactic. Descriptions come mostly from pools shared by
every kind of seller (``_descriptions.py``); only a minority of counterfeit descriptions carry a
tell-tale. Everything here is per-row string assembly driven by one ``random.Random`` per block
(seeded from the block's numpy stream), so it is deterministic.
"""

from __future__ import annotations

import dataclasses
import random
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cfdetect.simulate._descriptions import (
    CASE_INNOCENT,
    DESCRIPTION_STYLES,
    FAR_ORIGINS,
    INNOCENT_RISKY,
    LOT_OPENINGS,
    LUXURY_OPENING_POOLS,
    NEW_NOTES,
    OPENING_POOLS,
    PERSONAL_OPENINGS,
    PRIVATE_FAKE_STYLE,
    PRIVATE_STYLE,
    PROOF_NOTES,
    RETURN_POOLS,
    SHIPPING_POOLS,
    SHORT_NOTES,
    TACTIC_TELLTALES,
    TELLTALES,
    USED_OPENINGS,
    WEAR_NOTES,
    DescriptionStyle,
    seller_group,
)
from cfdetect.simulate._drift import DriftSchedule
from cfdetect.simulate._languages import ENGLISH_RECIPES, write_local
from cfdetect.simulate._market import format_words
from cfdetect.simulate._tactics import TACTIC_NAMES
from cfdetect.simulate._vocab import (
    AUTH_PHRASES,
    AUTH_PHRASES_FAKE,
    AUTH_TALK_FAKE_RATE,
    AUTH_TALK_RATES,
    EMOJI,
    EUPHEMISMS,
    EXPLICIT_WORDS,
    HOMOGLYPHS,
    LATE_EMOJI,
    LATE_SEPARATORS,
    LATE_SHOUTS,
    LEET,
    LOGO_WORDS,
    LUXURY_CATEGORIES,
    NETWORK_FILLERS,
    OFFPLATFORM_PHRASES,
    SCALE_MODEL_MAKES,
    SEPARATORS,
    SHOUTS,
    SLANG_TOKENS,
    UNBRANDED_DECLARED,
    CategoryProfile,
    maker_name,
    profile_of,
)

_TACTIC_SET = frozenset(TACTIC_NAMES)
_CODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"
_LOOKALIKE_PREFIXES = (
    "New",
    "Premium",
    "Classic",
    "Modern",
    "Everyday",
    "Deluxe",
    "Vintage-Inspired",
)
_BUNDLE_CATEGORIES = frozenset({"electronics_accessories", "toys", "home_appliances"})
SHOP_SHOUTS: tuple[str, ...] = ("Brand New", "Free Shipping", "Fast Ship", "Sale", "Hot Sale",
                                "In Stock", "Best Gift", "New Arrival", "Limited")  # fmt: skip
_WATCH_SUFFIXES = ("", "", "LN", "LV", "BLNR", "NR")
OBFUSCATIONS: tuple[tuple[str, float], ...] = (
    ("misspell", 0.0), ("leet", 0.0), ("spaced", 0.0), ("symbols", 0.0), ("logo", 0.0),
    ("bracket", 0.3), ("emoji_split", 0.6),
)  # fmt: skip


@dataclass(frozen=True)
class PeriodVocab:
    """The counterfeit vocabulary available in one period."""

    explicit: tuple[str, ...]
    slang: tuple[str, ...]
    euphemisms: tuple[str, ...]
    shouts: tuple[str, ...]
    emoji: tuple[str, ...]
    separators: tuple[str, ...]
    fillers: tuple[str, ...]
    obfuscations: tuple[str, ...]
    telltales: tuple[str, ...]


def period_vocab(schedule: DriftSchedule, period: int) -> PeriodVocab:
    """Collect the tokens introduced by ``period`` (all tokens without drift).

    Under drift, tokens introduced after the first period are drawn three times as often as the
    old ones once available: sellers move to words that filters do not know yet.

    Examples
    --------
    >>> "A+++" in period_vocab(DriftSchedule(True, 4), 0).slang
    False
    >>> "A+++" in period_vocab(DriftSchedule(True, 4), 3).slang
    True
    """

    boost = 3 if schedule.drift else 1

    def pick(items: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
        chosen = [
            (token,) * (boost if intro > 0 else 1)
            for token, intro in items
            if schedule.available(intro, period)
        ]
        return tuple(token for repeated in chosen for token in repeated)

    late = schedule.available(0.3, period)
    return PeriodVocab(
        explicit=pick(EXPLICIT_WORDS),
        slang=pick(SLANG_TOKENS),
        euphemisms=pick(EUPHEMISMS),
        shouts=SHOUTS + (LATE_SHOUTS if late else ()),
        emoji=EMOJI + (LATE_EMOJI if late else ()),
        separators=SEPARATORS + (LATE_SEPARATORS if late else ()),
        fillers=pick(NETWORK_FILLERS),
        obfuscations=pick(OBFUSCATIONS),
        telltales=pick(TELLTALES),
    )


@dataclass(frozen=True)
class NetworkTemplate:
    """The title template an organised network reuses across its accounts."""

    slots: tuple[str, ...]
    separator: str
    upper: bool
    filler: str
    emoji: str
    brand_style: str
    declared: str


def make_template(
    rnd: random.Random, vocab: PeriodVocab, catalogue_share: float
) -> NetworkTemplate:
    """Invent a network's title template from the vocabulary of the period it starts in.

    With probability ``catalogue_share`` the template copies the shape of retail catalogue titles
    (brand, line, product, model number; no filler), as later networks learn to.
    """
    if rnd.random() < catalogue_share:
        slots = ["brand", "line", "noun", "code"]
        if rnd.random() < 0.5:
            slots.insert(3, rnd.choice(["attr", "colour"]))
        return NetworkTemplate(
            slots=tuple(slots),
            separator=rnd.choice((" ", " ", " - ", " | ")),
            upper=False,
            filler="",
            emoji="",
            brand_style=rnd.choice(("clean", "clean", "omitted")),
            declared=rnd.choice(("brand", "brand", "generic", "empty")),
        )
    core = ["brand", "line", "noun"]
    extras = rnd.sample(["attr", "colour", "code", "slang", "shout"], k=rnd.randint(1, 3))
    slots = core + extras + ["filler"]
    if rnd.random() < 0.5:
        slots.insert(0, "emoji")
    if rnd.random() < 0.4:
        rnd.shuffle(slots)
    return NetworkTemplate(
        slots=tuple(slots),
        separator=rnd.choice(vocab.separators),
        upper=rnd.random() < 0.25,
        filler=rnd.choice(vocab.fillers),
        emoji=rnd.choice(vocab.emoji),
        brand_style=rnd.choice(("clean", "clean", "obfuscated", "omitted")),
        declared=rnd.choice(("brand", "generic", "empty")),
    )


_ACRONYMS = {"usb": "USB", "tv": "TV", "ssd": "SSD", "gps": "GPS", "cpap": "CPAP", "cgm": "CGM",
             "oled": "OLED", "dslr": "DSLR", "glp1": "GLP-1", "ed": "ED", "li": "Li",
             "ram": "RAM", "ipl": "IPL", "tens": "TENS", "wifi": "WiFi"}  # fmt: skip


def _word_key(word: str) -> str:
    """Case- and plural-insensitive key of a word ("Earrings" ~ "earring")."""
    return word.lower().rstrip("s")


@cache
def split_line(brand: str, line: str, noun: str) -> tuple[str, str, bool]:
    """(line to write before the product noun, line to write alone, whether it names the noun).

    The registry's product lines sometimes repeat the brand's last words or already end with the
    product word; titles must not say them twice ("Chrome Hearts Malibu Hoodie Hoodie"). A line
    that names the product word inside ("Smart Soundbar 900") is kept whole, and the title drops
    the noun appended to it (``drop_repeated_noun``).

    Examples
    --------
    >>> split_line("Chrome Hearts", "Malibu Hoodie", "Hoodie")
    ('Malibu', 'Malibu Hoodie', False)
    >>> split_line("Tommy Hilfiger", "1985 Slim Fit Polo", "Polo Shirt")
    ('1985 Slim Fit', '1985 Slim Fit Polo', False)
    >>> split_line("Abbott FreeStyle", "FreeStyle Lite Test Strips", "Glucose Test Strips")
    ('Lite', 'Lite Test Strips', False)
    >>> split_line("Apple", "Apple Watch", "Smartwatch")
    ('Watch', 'Watch', False)
    >>> split_line("Bose", "Smart Soundbar 900", "Soundbar")
    ('Smart Soundbar 900', 'Smart Soundbar 900', True)
    >>> split_line("Rolex", "Submariner", "Watch")
    ('Submariner', 'Submariner', False)
    """
    words = line.split()
    keys = [_word_key(w) for w in words]
    brand_keys = [_word_key(w) for w in brand.split()]
    for k in range(min(len(brand_keys), len(words) - 1), 0, -1):
        if keys[:k] == brand_keys[-k:]:
            words, keys = words[k:], keys[k:]
            break
    full = " ".join(words)
    noun_keys = [_word_key(w) for w in noun.split()]
    for k in range(min(len(noun_keys), len(words)), 0, -1):
        if keys[-k:] == noun_keys[:k] or keys[-k:] == noun_keys[-k:]:
            return " ".join(words[:-k]), full, False
    n = len(noun_keys)
    inside = any(keys[i : i + n] == noun_keys for i in range(len(keys) - n + 1))
    return full, full, inside


@cache
def _noun_pattern(noun: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(noun)}(?!\w)", re.IGNORECASE)


def drop_repeated_noun(title: str, line: str, noun: str) -> str:
    """Drop the product noun written outside a line that already names it.

    Examples
    --------
    >>> drop_repeated_noun("Bose Smart Soundbar 900 Soundbar, Black", "Smart Soundbar 900",
    ...                    "Soundbar")
    'Bose Smart Soundbar 900, Black'
    >>> drop_repeated_noun("Bose Soundbar Smart Soundbar 900", "Smart Soundbar 900", "Soundbar")
    'Bose Smart Soundbar 900'
    """
    start = title.lower().find(line.lower())
    if start < 0:
        return title
    end = start + len(line)
    for match in _noun_pattern(noun).finditer(title):
        if match.end() <= start or match.start() >= end:
            kept = f"{title[: match.start()]} {title[match.end() :]}"
            return " ".join(kept.split()).replace(" ,", ",")
    return title


_REPEATED_WORD = re.compile(r"\b(\w{2,})(?:\s+\1\b)+", re.IGNORECASE)


def humanize(product_type: str) -> str:
    """Registry product type -> title words.

    Examples
    --------
    >>> humanize("usb_flash_drive"), humanize("t_shirt")
    ('USB Flash Drive', 'T-Shirt')
    """
    if product_type == "t_shirt":
        return "T-Shirt"
    words = product_type.replace("_", " ").replace("-", " ").split()
    return " ".join(_ACRONYMS.get(w, w if w.isupper() else w.capitalize()) for w in words)


class TextMaker:
    """Builds (title, description, declared brand) for one listing at a time.

    Parameters
    ----------
    rnd : random.Random
        The block's text stream.

    Examples
    --------
    >>> maker = TextMaker(random.Random(0))
    >>> vocab = period_vocab(DriftSchedule(False, 1), 0)
    >>> title, description, declared = maker.make(
    ...     "regular", "Sony", (), "PS-LX", "Turntable", "electronics_accessories",
    ...     "turntable", "established_reseller", "", vocab, None, "US")
    >>> "Sony" in title
    True
    """

    def __init__(self, rnd: random.Random) -> None:
        self.r = rnd
        self._profiles: dict[tuple[str, str], CategoryProfile] = {}
        self._initials: dict[str, str] = {}
        self._builders: dict[str, Callable[[_Item], tuple[str, str, str | None]]] = {
            "regular": self._regular,
            "new_genuine_seller": self._regular,
            "used_authentic": self._used,
            "outlet_clearance": self._outlet,
            "compatible_accessory": self._accessory,
            "legal_replica_word": self._legal_replica,
            "homage": self._lookalike,
            "unbranded_generic": self._lookalike,
            "refurbished": self._refurbished,
            "parallel_import": self._parallel,
            "explicit_replica": self._explicit,
            "community_slang": self._slang,
            "euphemism": self._euphemism,
            "brand_obfuscation": self._obfuscated,
            "brand_omitted": self._omitted,
            "bulk_wholesale": self._bulk,
            "superfake": self._superfake,
            "implausible_bundle": self._bundle,
            "burst_new_accounts": self._burst,
            "network_template": self._network,
            "homoglyph_obfuscation": self._homoglyph,
            "offplatform_contact": self._offplatform,
            "listing_copy": self._copy,
            "authenticity_claims": self._claims,
            "first_party_budget": self._first_party,
            "long_tail_brand": self._long_tail,
            **self._round2_builders(),
        }
        self.format_name = ""  # the genuine format of the next listing (set by the simulator)

    # --- small random helpers ------------------------------------------------------------

    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        """One element of a non-empty sequence."""
        return seq[int(self.r.random() * len(seq))]

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.r.random() < p

    def make(
        self,
        recipe: str,
        brand: str,
        aliases: tuple[str, ...],
        line: str,
        noun: str,
        category: str,
        product_type: str,
        seller_kind: str,
        own_brand: str,
        vocab: PeriodVocab,
        template: NetworkTemplate | None,
        ships_from: str = "US",
        language: str = "en",
    ) -> tuple[str, str, str | None]:
        """Return (title, description, declared brand or None) for one listing.

        ``ships_from`` (the seller's country) shapes the shipping notes of the description; an
        empty description means the seller wrote none. Listings in another ``language`` are
        written by ``_languages.write_local``.
        """
        profile = self._profiles.get((category, product_type))
        if profile is None:
            profile = self._profiles[(category, product_type)] = profile_of(category, product_type)
        short_line, full_line, names_noun = split_line(brand, line, noun)
        initials = self._initials.get(brand)
        if initials is None:
            letters = "".join(ch for ch in brand.upper() if "A" <= ch <= "Z")
            initials = self._initials[brand] = letters[:2] or "XX"
        fake = recipe in _TACTIC_SET
        group = seller_group(seller_kind)
        if group == "private":
            style = PRIVATE_FAKE_STYLE if fake else PRIVATE_STYLE
            shipping = "private"
        else:
            style = DESCRIPTION_STYLES[recipe]
            shipping = "far" if ships_from in FAR_ORIGINS else "near"
        item = _Item(brand, aliases, short_line, full_line, noun, category, product_type,
                     seller_kind, own_brand, vocab, template, profile, initials, recipe, fake,
                     group, shipping, style)  # fmt: skip
        if language == "en" or recipe in ENGLISH_RECIPES:
            title, description, declared = self._builders[recipe](item)
            title, description = self.authenticity_talk(item, title, description)
        else:
            title, description, declared = write_local(self, item, language)
        title = " ".join(title.split())
        if names_noun:  # "Bose Smart Soundbar 900 Soundbar"
            title = drop_repeated_noun(title, full_line, noun)
        if _REPEATED_WORD.search(title):  # "XL XL", "Wallet wallet"
            title = _REPEATED_WORD.sub(r"\1", title)
        return title, description, declared

    # --- shared pieces ---------------------------------------------------------------------

    def digits(self, k: int) -> str:
        """``k`` random digits."""
        return f"{int(self.r.random() * 10**k):0{k}d}"

    def letters(self, k: int) -> str:
        """``k`` random capital letters (no I, O, Q, U)."""
        return "".join(_CODE_LETTERS[int(self.r.random() * 22)] for _ in range(k))

    def code(self, item: _Item) -> str:
        """A model number shaped like the category's (may be empty)."""
        style = item.profile.code_style
        u = self.r.random()
        if style == "electronics":
            head = item.initials if u < 0.6 else self.letters(2)
            body = self.digits(2 + int(self.r.random() * 3))
            tail = self.letters(int(self.r.random() * 3))
            return f"{head}-{body}{tail}" if u < 0.2 else f"{head}{body}{tail}"
        if style == "watch_ref":
            return f"{1 + int(u * 32)}{self.digits(4)}{self.pick(_WATCH_SUFFIXES)}"
        if style == "style_code":
            return f"{self.letters(2)}{self.digits(4)}-{self.digits(3)}"
        if style == "eyewear":
            return f"{item.initials}{2 + int(u * 8)}{self.digits(3)}"
        if style == "set_number":
            return f"{1 + int(u * 7)}{self.digits(4)}"
        if style == "oem":
            return f"{self.digits(5)}-{self.digits(5)}"
        if style == "sku":
            return f"{self.letters(1)}{self.digits(5)}"
        return ""

    def attr(self, item: _Item) -> str:
        """One size, material or specification."""
        return self.pick(item.profile.attributes)

    def colour(self, item: _Item) -> str:
        """One colour or finish."""
        return self.pick(item.profile.colours)

    def typo(self, word: str) -> str:
        """Swap, drop or double one inner letter (words of 4+ letters)."""
        if len(word) < 4:
            return word
        i = self.r.randint(1, len(word) - 2)
        op = self.r.random()
        if op < 0.34:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if op < 0.67:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    def sprinkle(self, title: str, p_typo: float, p_upper: float, p_lower: float) -> str:
        """Apply the everyday noise of hand-typed titles: a typo, all caps or all lower case."""
        if self.chance(p_typo):
            words = title.split()
            k = self.r.randrange(len(words))
            words[k] = self.typo(words[k])
            title = " ".join(words)
        u = self.r.random()
        if u < p_upper:
            return title.upper()
        if u < p_upper + p_lower:
            return title.lower()
        return title

    def obfuscate(self, item: _Item, method: str) -> str:
        """Write the brand so that exact matching misses it."""
        brand, r = item.brand, self.r
        if method == "misspell":
            return " ".join(self.typo(w) for w in brand.split())
        if method == "leet":
            chars = list(brand)
            spots = [i for i, ch in enumerate(chars) if ch in LEET]
            for i in r.sample(spots, k=min(len(spots), r.randint(1, 2))):
                chars[i] = LEET[chars[i]]
            return "".join(chars)
        if method == "spaced":
            sep = self.pick((" ", ".", "-", "_"))
            return sep.join(ch for ch in brand.upper() if not ch.isspace())
        if method == "symbols":
            chars = list(brand)
            inner = [i for i in range(1, len(chars) - 1) if chars[i].isalpha()]
            if inner:
                chars[r.choice(inner)] = self.pick(("*", "@", "$", "#", "%"))
            return "".join(chars)
        if method == "logo":
            words = LOGO_WORDS.get(brand)
            if words:
                return self.pick(words)
            short = [a for a in item.aliases if 1 < len(a) <= 3 and a.isupper()]
            return f"{self.pick(short) if short else brand[:2].upper()} logo"
        if method == "bracket":
            return f"[{brand[0]}]{brand[1:]}" if self.chance(0.5) else f"{brand[0]}-{brand[1:]}"
        if method == "emoji_split":
            i = max(1, len(brand) // 2)
            return f"{brand[:i]}{self.pick(item.vocab.emoji)}{brand[i:]}"
        return brand

    def homoglyph(self, brand: str) -> str:
        """Replace one to three letters with Cyrillic look-alikes."""
        chars = list(brand)
        spots = [i for i, ch in enumerate(chars) if ch in HOMOGLYPHS]
        for i in self.r.sample(spots, k=min(len(spots), self.r.randint(1, 3))):
            chars[i] = HOMOGLYPHS[chars[i]]
        return "".join(chars)

    def declared(self, item: _Item, weights: tuple[float, float, float]) -> str | None:
        """Declared brand: the true brand, a generic word, or nothing, with these weights."""
        u = self.r.random() * sum(weights)
        if u < weights[0]:
            return item.brand
        if u < weights[0] + weights[1]:
            return self.pick(("Generic", "Unbranded", "No Brand", "Generic", "Does not apply"))
        return None

    def features(self, item: _Item, k: int) -> list[str]:
        """Up to ``k`` distinct feature phrases of the category (a run of the list from a random
        start, wrapping around)."""
        pool = item.profile.features
        first = int(self.r.random() * len(pool))
        return [pool[(first + j) % len(pool)] for j in range(min(k, len(pool)))]

    def two_attrs(self, item: _Item) -> str:
        """Two different attributes ("XL Cotton"), or one when the category has one."""
        attrs = item.profile.attributes
        first = int(self.r.random() * len(attrs))
        if len(attrs) < 2:
            return attrs[first]
        second = (first + 1 + int(self.r.random() * (len(attrs) - 1))) % len(attrs)
        return f"{attrs[first]} {attrs[second]}"

    def retail_title(self, item: _Item) -> str:
        """A catalogue-style genuine title."""
        b, line, noun = item.brand, item.line, item.noun
        code = self.code(item)
        shape = self.r.random()
        if code and shape < 0.3:
            return f"{b} {line} {noun} - {code}"
        if code and shape < 0.45:
            return f"{b} {line} {self.colour(item)} {noun} - {code}"
        if shape < 0.6:
            return f"{b} {line} {self.attr(item)} {noun}, {self.colour(item)}"
        if shape < 0.72:
            return f"{b} {noun} {line} {self.attr(item)} {self.colour(item)}"
        if code and shape < 0.84:
            return f"{b} {line} {noun} {self.attr(item)} ({code})"
        if shape < 0.93:
            return f"{b} {line} {self.two_attrs(item)} {noun} in {self.colour(item)}"
        return f"{b} {line} {noun}"

    # --- descriptions ----------------------------------------------------------------------

    def weighted(self, pool: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
        """One phrase of a (phrases, cumulative weights) pool."""
        phrases, cumulative = pool
        i = bisect_right(cumulative, self.r.random() * cumulative[-1])
        return phrases[min(i, len(phrases) - 1)]

    @staticmethod
    def fill(text: str, item: _Item, lot: str = "") -> str:
        """Replace the {brand}, {line}, {noun} and {lot} placeholders of a phrase."""
        if "{" not in text:
            return text
        return (
            text.replace("{brand}", item.brand)
            .replace("{line}", item.full_line or item.noun)
            .replace("{noun}", item.noun.lower())
            .replace("{lot}", lot)
        )

    def shipping_note(self, item: _Item) -> str:
        """A shipping note; distant origins write long delivery times, whatever the label."""
        return self.weighted(SHIPPING_POOLS[item.shipping])

    def logistics(self, item: _Item, p_ship: float, p_returns: float) -> list[str]:
        """Shipping and returns notes, each with its probability."""
        notes = []
        if self.chance(p_ship):
            notes.append(self.shipping_note(item))
        if self.chance(p_returns):
            notes.append(self.weighted(RETURN_POOLS[item.group]))
        return notes

    def describe(
        self,
        item: _Item,
        title: str = "",
        openings: tuple[str, ...] = (),
        lot: str = "",
        used: bool = False,
    ) -> str:
        """A description in the item's style (``DESCRIPTION_STYLES``), maybe with a risky phrase.

        ``title`` is the listing's catalogue title, when it has one (otherwise the catalogue
        style copies a fresh catalogue title of the product), ``openings`` the recipe's own
        openings, ``lot`` the lot size of lot listings, ``used`` whether the item is second-hand.
        """
        style = item.style
        none, short, personal, catalogue = style.bounds
        u = self.r.random()
        if u < none:
            text = ""
        elif u < short:
            text = self.pick(SHORT_NOTES)
            if self.chance(0.3):
                text = f"{text} {self.shipping_note(item)}"
        elif u < personal:
            text = self.personal_description(item, used or (item.fake and self.chance(0.5)))
        elif u < catalogue:
            text = self.catalogue_description(item, title)
        else:
            text = self.plain_description(item, openings, lot, used)
        if self.r.random() < style.risky:
            phrase = self.risky_phrase(item)
            if self.chance(0.4):
                text = f"{phrase} {text}"
            elif text:
                text = f"{text} {phrase}" if text[-1] in ".!?" else f"{text}. {phrase}"
            else:
                text = phrase
        return text.strip()

    def catalogue_description(self, item: _Item, title: str) -> str:
        """The catalogue feature list ("Title/ Feature/ Feature") of the product."""
        feats = self.features(item, 2 + int(self.r.random() * 3))
        head = title or self.retail_title(item)
        return "/ ".join([head] + [f[:1].upper() + f[1:] for f in feats])

    def plain_description(
        self, item: _Item, openings: tuple[str, ...], lot: str, used: bool
    ) -> str:
        """An opening, a few features, shipping and returns notes."""
        parts = []
        if lot and self.chance(0.6):
            parts.append(self.fill(self.pick(LOT_OPENINGS), item, lot))
        elif openings and self.chance(item.style.own):
            parts.append(self.fill(self.pick(openings), item, lot))
        elif used:
            parts.append(self.pick(USED_OPENINGS))
        elif self.chance(0.85):
            pools = LUXURY_OPENING_POOLS if item.category in LUXURY_CATEGORIES else OPENING_POOLS
            parts.append(self.fill(self.weighted(pools[item.group]), item))
        feats = self.features(item, int(self.r.random() * 4))
        if feats:
            body = ", ".join(feats)
            parts.append(f"{body[:1].upper()}{body[1:]}.")
        parts.extend(self.logistics(item, 0.75, 0.55))
        return " ".join(parts)

    def personal_description(self, item: _Item, used: bool) -> str:
        """A private seller's few words (counterfeiters posing as one write the same)."""
        what = self.fill(self.pick(PERSONAL_OPENINGS), item)
        state = self.pick(WEAR_NOTES) if used else self.pick(NEW_NOTES)
        proof = self.pick(PROOF_NOTES)
        ship = self.shipping_note(item) if self.chance(0.6) else ""
        return " ".join(f"{what} {state} {proof} {ship}".split())

    def risky_phrase(self, item: _Item) -> str:
        """A counterfeit tell-tale, or for genuine rows an innocent phrase that looks risky."""
        if item.fake:
            own = TACTIC_TELLTALES.get(item.recipe)
            if own and (item.recipe == "offplatform_contact" or self.chance(0.5)):
                return self.fill(self.pick(own), item)
            return self.pick(item.vocab.telltales)
        own = CASE_INNOCENT.get(item.recipe)
        if own and self.chance(0.5):
            return self.fill(self.pick(own), item)
        return self.pick(INNOCENT_RISKY)

    # --- genuine cases ---------------------------------------------------------------------

    def _regular(self, item: _Item) -> tuple[str, str, str | None]:
        catalogue = self.retail_title(item)
        title = catalogue
        if item.seller_kind == "small_shop":
            title = self.shop_dressing(item, title)
        elif item.category in _BUNDLE_CATEGORIES and self.chance(0.04):
            title = f"{title} Bundle with {self.pick(item.profile.accessories)}"
        if item.seller_kind == "individual":
            title = self.sprinkle(title, 0.15, 0.05, 0.15)
            return title, self.describe(item, catalogue), self.declared(item, (0.55, 0.1, 0.35))
        title = self.sprinkle(title, 0.02, 0.03, 0.0)
        return title, self.describe(item, catalogue), self.declared(item, (0.9, 0.02, 0.08))

    def shop_dressing(self, item: _Item, title: str) -> str:
        """What small shops add to catalogue titles: shouts, emoji, marketplace-style separators."""
        u = self.r.random()
        if u < 0.15:
            return f"{title} {self.pick(SHOP_SHOUTS)}"
        if u < 0.22:
            return f"{self.pick(EMOJI)} {title} {self.pick(SHOP_SHOUTS)}"
        if u < 0.32:
            return (
                f"{item.brand} | {item.line} {item.noun} | {self.attr(item)} | {self.colour(item)}"
            )
        return title

    def _used(self, item: _Item) -> tuple[str, str, str | None]:
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {line} {noun} {self.attr(item)} - Pre-owned",
            f"Used {b} {line} {noun}, good condition",
            f"Authentic {b} {line} {noun} {self.colour(item)} preloved",
            f"{b} {line} {noun} {self.attr(item)} used",
            f"Pre-Owned {b} {noun} {line} {self.attr(item)}",
        ))  # fmt: skip
        if item.seller_kind == "individual":
            return (self.sprinkle(title, 0.15, 0.05, 0.15), self.describe(item, used=True),
                    self.declared(item, (0.6, 0.05, 0.35)))  # fmt: skip
        return title, self.describe(item, used=True), self.declared(item, (0.9, 0.0, 0.1))

    def _outlet(self, item: _Item) -> tuple[str, str, str | None]:
        tag = self.pick(
            (
                "Clearance",
                "Outlet",
                f"{self.r.randint(3, 7)}0% Off",
                "Last Season Sale",
                "Open Box",
                "Final Sale",
            )
        )
        title = f"{self.retail_title(item)} - {tag}"
        lot = ""
        if self.chance(0.12):
            lot = self.pick(("5", "10", "12", "20", "25"))
            title = self.pick((
                f"Liquidation Lot of {lot} {item.brand} {item.noun} - Customer Returns",
                f"Wholesale Lot {lot}pcs {item.brand} {item.line} {item.noun} Overstock",
                f"Bulk Lot {item.brand} {item.noun} x{lot} Shelf Pulls",
            ))  # fmt: skip
        openings = (
            "Clearance of last season's stock.",
            "Outlet item, brand new.",
            "Discontinued colour, new with tags.",
        )
        return (
            title,
            self.describe(item, "" if lot else title, openings, lot),
            self.declared(item, (0.9, 0.0, 0.1)),
        )

    def _accessory(self, item: _Item) -> tuple[str, str, str | None]:
        acc = self.pick(item.profile.accessories)
        b, line = item.brand, item.line
        target = f"{b} {item.full_line}".strip()
        maker = item.own_brand or self.pick(("Generic", "Universal"))
        title = self.pick((
            f"{acc} Compatible with {target}",
            f"{acc} for {b} {line} {item.noun}",
            f"{maker} {acc} for {target}, {self.colour(item)}",
            f"Replacement {acc} fits {target}",
            f"{acc} Works with {target} - {self.attr(item)}",
            f"{maker} {acc} Compatible with {b} {item.noun} {line}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.03, 0.05, 0.02)
        if self.chance(0.15):
            title = f"{self.pick(item.vocab.emoji)} {title}"
        openings = (
            f"Third-party {acc.lower()} designed for {target}. Not made by {b}.",
            f"Compatible with {target}.",
            f"Fits {target}, easy to install.",
        )
        description = self.describe(item, title, openings)
        declared = self.r.random()
        if declared < 0.5 and item.own_brand:
            return title, description, item.own_brand
        if declared < 0.9:
            return title, description, self.pick(UNBRANDED_DECLARED) or None
        return title, description, b

    def _legal_replica(self, item: _Item) -> tuple[str, str, str | None]:
        b, line = item.brand, item.line
        if "replica" in item.full_line.lower():
            line = item.full_line
            title = f"{b} '{line}' {self.attr(item)} {self.pick(('Spray', 'for Unisex', ''))}"
            openings: tuple[str, ...] = (
                f"Genuine {b} fragrance from the {line} collection. Sealed box.",
                f"{line} by {b}, sealed.",
            )
        elif item.category == "sports_jerseys":
            season = self.pick(("2024/25", "2025/26", "23/24"))
            size = self.pick(("S", "M", "L", "XL", "XXL", "Youth L"))
            title = self.pick((
                f"{b} {line} {season} Home Replica Jersey",
                f"Official {b} {line} Replica Jersey {season} {size}",
                f"{line} {season} Away Replica Shirt by {b}",
            ))  # fmt: skip
            openings = (
                "Official licensed replica jersey (fan version, not player issue).",
                "Fan version (replica), officially licensed.",
            )
        elif item.category == "toys":
            scale = self.pick(("1:18", "1:24", "1:43", "1:12"))
            title = f"{b} {scale} Scale {self.pick(SCALE_MODEL_MAKES)} Replica Model"
            openings = (f"Officially licensed {scale} scale replica. Display case included.",)
        else:
            title = f"{b} {line} {item.noun} Official Licensed Replica"
            openings = (f"Officially licensed replica by {b}.",)
        return title, self.describe(item, title, openings), self.declared(item, (0.85, 0.0, 0.15))

    def _long_tail(self, item: _Item) -> tuple[str, str, str | None]:
        """A brand the registry does not list (most brands on a marketplace): maker, model, noun."""
        maker = maker_name(self.r)
        item = dataclasses.replace(
            item, brand=maker, aliases=(), line="", full_line="", initials=maker[:2].upper()
        )
        noun, code = item.noun, self.code(item) or self.digits(4)
        title = self.pick((
            f"{maker} {code} {noun}", f"{maker} {noun} {self.attr(item)} - {code}",
            f"{maker} {self.colour(item)} {noun} {code}", f"{maker} {noun}, {self.attr(item)}",
        ))  # fmt: skip
        return title, self.describe(item, title), maker if self.chance(0.8) else None

    def _first_party(self, item: _Item) -> tuple[str, str, str | None]:
        """The brand's own accessory or entry-level model: no famous line, a low price."""
        b, noun = item.brand, item.noun
        code = self.code(item)
        if item.profile.accessories and self.chance(0.6):
            acc = self.pick(item.profile.accessories)
            title = self.pick((
                f"{b} {acc} - {code}",
                f"{b} {acc} ({code})"
                if noun.lower() in acc.lower()
                else f"{b} {acc} for {noun} ({code})",
                f"{b} {self.colour(item)} {acc} - {code}", f"{b} Official {acc} {code}",
            ))  # fmt: skip
        else:
            title = self.pick((
                f"{b} {self.attr(item)} {noun} - {code}",
                f"{b} {noun} In {self.colour(item)} - {code}",
                f"{b} Basic {noun} {code}", f"{b} {noun} Style {self.attr(item)} - {code}",
            ))  # fmt: skip
        openings = (f"Genuine {b} product, manufacturer's warranty.", f"Official {b} {noun}.")
        return title, self.describe(item, title, openings), self.declared(item, (0.9, 0.02, 0.08))

    def _claims(self, item: _Item) -> tuple[str, str, str | None]:
        """Genuine resale that denies the tells: "100% Authentic, NOT Replica", "no UA"."""
        b, line, noun = item.brand, item.line, item.noun
        catalogue = self.retail_title(item)
        claim = self.pick((
            "100% Authentic NOT Replica", "Authentic - Not Fake", "LEGIT - no UA, no reps",
            "Authentic, not a copy", "100% Genuine NOT 1:1", "Legit Checked, Not Replica",
            "Authentic w/ Receipt (not AAA copy)", "NOT Fake NOT Replica 100% Real",
        ))  # fmt: skip
        u = self.r.random()
        if u < 0.45:
            title = f"{catalogue} {claim}"
        elif u < 0.8:
            title = f"{claim.upper()} {b} {line} {noun}"
        else:
            title = (
                f"{b} {line} {noun} ({claim}) {self.pick(('DS', 'VNDS', 'With Box', 'Full Set'))}"
            )
        openings = (
            "Bought from the {brand} boutique, receipt and box included. Not a replica.",
            "Legit checked by a third-party service. Not a rep, not UA.",
            "Selling my authentic {brand}, not a copy. Happy to send more photos.",
        )
        title = self.sprinkle(title, 0.05, 0.05, 0.05)
        return (
            title,
            self.describe(item, catalogue, openings),
            self.declared(item, (0.85, 0.05, 0.1)),
        )

    def _lookalike(self, item: _Item) -> tuple[str, str, str | None]:
        base = self.pick(item.profile.lookalikes)
        title = self.pick((
            f"{base} {self.attr(item)} {self.colour(item)}",
            f"{item.own_brand} {base}, {self.colour(item)}" if item.own_brand else base,
            f"{base} - {self.attr(item)}",
            f"{self.pick(_LOOKALIKE_PREFIXES)} {base}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.03, 0.08, 0.03)
        if self.chance(0.2):
            title = f"{title} {self.pick(item.vocab.emoji)}"
        lot = ""
        if self.chance(0.15):
            lot = self.pick(("10", "20", "50", "100"))
            title = f"Wholesale Lot {lot}pcs {title}"
        openings = (
            "Original design, no brand logos.",
            "No brand logos.",
            "Unbranded, original design.",
        )
        description = self.describe(item, title, openings, lot)
        declared = self.r.random()
        if declared < 0.4 and item.own_brand:
            return title, description, item.own_brand
        return title, description, self.pick(UNBRANDED_DECLARED) or None

    def _refurbished(self, item: _Item) -> tuple[str, str, str | None]:
        tag = self.pick(
            (
                "(Renewed)",
                "- Refurbished",
                "Certified Refurbished",
                "- Renewed Premium",
                "Refurb Grade A",
                "Seller Refurbished",
            )
        )
        title = f"{self.retail_title(item)} {tag}"
        openings = (
            "Professionally inspected and tested.",
            "90-day warranty.",
            "Restored to full working order, minor cosmetic marks.",
        )
        return (
            title,
            self.describe(item, title, openings),
            self.declared(item, (0.9, 0.0, 0.1)),
        )

    def _parallel(self, item: _Item) -> tuple[str, str, str | None]:
        tag = self.pick(
            (
                "International Version",
                "Japan Import",
                "EU Version",
                "Asian Version",
                "Imported",
                "Global Version",
            )
        )
        title = f"{self.retail_title(item)} - {tag}"
        openings = (
            "Genuine product imported from overseas; manufacturer warranty "
            "may not apply in your country.",
            "Grey import, 100% original.",
            "Imported, original packaging in a foreign language.",
        )
        return (
            title,
            self.describe(item, title, openings),
            self.declared(item, (0.85, 0.0, 0.15)),
        )

    # --- counterfeit tactics ---------------------------------------------------------------

    def _explicit(self, item: _Item) -> tuple[str, str, str | None]:
        word = self.pick(item.vocab.explicit)
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {line} {noun} {word}",
            f"{word} {b} {line} {noun} {self.attr(item)}",
            f"{b} {noun} {word} {self.pick(item.vocab.shouts)}",
            f"{b} {line} {self.colour(item)} {noun} ({word})",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.1, 0.15, 0.1)
        return title, self.describe(item), self.declared(item, (0.5, 0.25, 0.25))

    def _slang(self, item: _Item) -> tuple[str, str, str | None]:
        token = self.pick(item.vocab.slang)
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {line} {noun} {token} {self.attr(item)}",
            f"{token} {b} {item.full_line} {self.colour(item)}",
            f"{b} {item.full_line} {self.code(item)} {token}",
            f"{b} {noun} {line} {token} {self.pick(item.vocab.slang)}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.08, 0.1, 0.1)
        return title, self.describe(item), self.declared(item, (0.45, 0.25, 0.3))

    def _euphemism(self, item: _Item) -> tuple[str, str, str | None]:
        word = self.pick(item.vocab.euphemisms)
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {word} {noun} {self.attr(item)}",
            f"{word} {b} {line} {noun}",
            f"{line} {noun} {b} {word} {self.colour(item)}",
            f"{b} {line} {word} {noun}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.05, 0.05, 0.1)
        return title, self.describe(item), self.declared(item, (0.2, 0.4, 0.4))

    def _obfuscated(self, item: _Item) -> tuple[str, str, str | None]:
        method = self.pick(item.vocab.obfuscations)
        shown = self.obfuscate(item, method)
        title = self.pick((
            f"{shown} {item.line} {item.noun} {self.attr(item)}",
            f"{shown} {item.noun} {self.colour(item)} {self.pick(item.vocab.shouts)}",
            f"{item.line} {item.noun} {shown} {self.attr(item)}",
        ))  # fmt: skip
        if self.chance(0.3):
            title = f"{title} {self.pick(item.vocab.slang)}"
        u = self.r.random()
        declared: str | None = shown if u < 0.25 else item.brand if u < 0.4 else None
        if declared is None and self.chance(0.4):
            declared = "Generic"
        return self.sprinkle(title, 0.05, 0.1, 0.05), self.describe(item), declared

    def _omitted(self, item: _Item) -> tuple[str, str, str | None]:
        line, noun = item.line or self.attr(item), item.noun
        code = self.code(item)
        title = self.pick((
            f"{line} {noun} {self.attr(item)} {self.colour(item)}",
            f"{item.full_line or line} {self.attr(item)} {code}",
            f"{noun} {line} {self.colour(item)} {self.attr(item)}",
            f"New {line} {noun} {code}",
        ))  # fmt: skip
        return (
            self.sprinkle(title, 0.05, 0.05, 0.05),
            self.describe(item),
            self.declared(item, (0.1, 0.45, 0.45)),
        )

    def _bulk(self, item: _Item) -> tuple[str, str, str | None]:
        k = self.pick(("5", "10", "20", "50", "100"))
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"Wholesale Lot {k}pcs {b} {line} {noun}",
            f"{k} Pairs {b} {line} {noun} Bulk",
            f"Lot of {k} {b} {noun} Mixed {self.attr(item)}",
            f"{b} {noun} Wholesale Dropshipping {self.pick(item.vocab.shouts)}",
            f"Bulk {b} {line} {noun} x{k} Resale Lot",
        ))  # fmt: skip
        return title, self.describe(item, lot=k), self.declared(item, (0.4, 0.4, 0.2))

    def _superfake(self, item: _Item) -> tuple[str, str, str | None]:
        catalogue = self.retail_title(item)
        title = catalogue
        if self.chance(0.3):
            title = f"{title} {self.pick(('Full Set', 'With Box', 'New With Tags', 'Unworn'))}"
        return title, self.describe(item, catalogue), self.declared(item, (0.85, 0.0, 0.15))

    def _copy(self, item: _Item) -> tuple[str, str, str | None]:
        """A genuine listing's catalogue title and description, copied word for word."""
        catalogue = self.retail_title(item)
        title = catalogue
        if item.seller_kind == "small_shop":
            title = self.shop_dressing(item, title)
        elif item.seller_kind == "individual":
            title = self.sprinkle(title, 0.15, 0.05, 0.15)
        return title, self.describe(item, catalogue), self.declared(item, (0.9, 0.02, 0.08))

    def _bundle(self, item: _Item) -> tuple[str, str, str | None]:
        b, noun, line = item.brand, item.noun, item.line
        title = self.pick((
            f"Mystery Box {b} {self.r.randint(3, 8)} Items {noun}",
            f"Keychain + Free {b} {line} {noun}",
            f"{b} {noun} + {line} Gift Set Bundle {self.pick(item.vocab.shouts)}",
            f"Phone Case with {b} {line} {noun} Bundle",
            f"Lucky Bag {b} {noun} Surprise {self.pick(item.vocab.emoji)}",
        ))  # fmt: skip
        openings = ("Items vary, sent at random.", "Gift set, as pictured.",
                    "Every box is different.")  # fmt: skip
        return title, self.describe(item, openings=openings), self.declared(item, (0.3, 0.3, 0.4))

    def _burst(self, item: _Item) -> tuple[str, str, str | None]:
        b, line, noun = item.brand, item.line, item.noun
        shout = self.pick(item.vocab.shouts)
        u = self.r.random()
        if u < 0.5:  # a copied catalogue title (and, in the catalogue style, its description)
            title = self.retail_title(item)
            return title, self.describe(item, title), self.declared(item, (0.6, 0.25, 0.15))
        if u < 0.75:
            title = f"{b} {line} {noun} {self.attr(item)} {shout}"
        else:
            title = f"{shout} {b} {line} {noun}"
        return title, self.describe(item), self.declared(item, (0.6, 0.25, 0.15))

    def _network(self, item: _Item) -> tuple[str, str, str | None]:
        template = item.template
        if template is None:
            return self._burst(item)
        if template.brand_style == "obfuscated":
            shown = self.obfuscate(item, self.pick(item.vocab.obfuscations))
        elif template.brand_style == "omitted":
            shown = ""
        else:
            shown = item.brand
        values = {
            "emoji": template.emoji, "brand": shown, "line": item.line, "noun": item.noun,
            "attr": self.attr(item), "colour": self.colour(item), "code": self.code(item),
            "slang": self.pick(item.vocab.slang), "shout": self.pick(item.vocab.shouts),
            "filler": template.filler,
        }  # fmt: skip
        title = template.separator.join(values[s] for s in template.slots if values[s])
        if template.upper:
            title = title.upper()
        declared = {"brand": item.brand, "generic": "Generic", "empty": None}[template.declared]
        return title, self.describe(item), declared

    def _homoglyph(self, item: _Item) -> tuple[str, str, str | None]:
        shown = self.homoglyph(item.brand)
        if self.chance(0.3):
            shown = self.obfuscate(item, self.pick(item.vocab.obfuscations))
        title = self.pick((
            f"{shown} {item.line} {item.noun} {self.attr(item)}",
            f"{shown} {item.noun} {self.colour(item)} {self.pick(item.vocab.slang)}",
            f"{self.pick(item.vocab.emoji)} {shown} {item.line} {item.noun}",
        ))  # fmt: skip
        declared = self.r.random()
        choice = shown if declared < 0.4 else ("Generic" if declared < 0.7 else None)
        return title, self.describe(item), choice

    def _offplatform(self, item: _Item) -> tuple[str, str, str | None]:
        phrase = self.pick(OFFPLATFORM_PHRASES)
        b = item.brand if self.chance(0.6) else self.obfuscate(item, "logo")
        title = self.pick((
            f"{b} {item.line} {item.noun} {phrase}",
            f"{phrase} {b} {item.noun}",
            f"{b} {item.noun} {self.attr(item)} - {phrase}",
        ))  # fmt: skip
        return title, self.describe(item), self.declared(item, (0.4, 0.2, 0.4))

    # --- issue 18: formats, sellers, thin counterfeit kinds, authenticity talk ---------------

    def _round2_builders(self) -> dict[str, Callable[[_Item], tuple[str, str, str | None]]]:
        return {
            "genuine_format": self._genuine_format,
            "closet_clearout": self._clearout,
            "misspelled_genuine": self._misspelled,
            "blank_wholesale": self._blank,
            "custom_logo_wholesale": self._custom_logo,
            "hijacked_account": self._hijacked,
            "aged_clean_title": self._aged_clean,
            "jersey_player_version": self._player_version,
            "beauty_discount": self._beauty_discount,
            "dupe_listing": self._dupe,
            "electronics_clean": self._electronics_clean,
        }

    def authenticity_talk(self, item: _Item, title: str, description: str) -> tuple[str, str]:
        """Add an authenticity phrase ("100% Genuine", "Box & Papers", "Date Code", "Authenticated
        by ...") at the recipe's rate: resellers of genuine goods write them, and so do
        counterfeiters (``AUTH_TALK_RATES``)."""
        rate = AUTH_TALK_RATES.get(item.recipe, AUTH_TALK_FAKE_RATE if item.fake else 0.0)
        if item.recipe == "regular" and item.seller_kind == "authorised_store":
            rate = 0.0
        if not rate or not self.chance(rate):
            return title, description
        pool = AUTH_PHRASES_FAKE if item.fake else AUTH_PHRASES
        phrase = self.pick(pool).replace("{code}", self.code(item) or self.digits(6))
        if self.chance(0.6):
            title = f"{title} {self.pick(('-', '|', 'w/', ''))} {phrase}"
            if not (item.fake and self.chance(0.4)):  # fakes often say it twice
                return title, description
            phrase = self.pick(pool).replace("{code}", self.code(item) or self.digits(6))
        return title, f"{description} {phrase}." if description else f"{phrase}."

    def _genuine_format(self, item: _Item) -> tuple[str, str, str | None]:
        """A genuine format with its own price: travel spray, tester, decant, outlet line, ..."""
        name, _, ml = self.format_name.partition(":")
        words = f"{ml}ml Decant" if ml else self.pick(format_words(name or "outlet"))
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {line} {noun} {words}", f"{b} {line} {words} {self.attr(item)}",
            f"{words} {b} {line} {noun}", f"{b} {line} {noun} - {words}, {self.colour(item)}",
        ))  # fmt: skip
        if item.seller_kind == "individual":
            title = self.sprinkle(title, 0.12, 0.05, 0.12)
        openings = (
            f"Genuine {b}, {words.lower()}.",
            f"{words} of the original {b} {item.full_line or noun}.",
            f"Authentic {b} product ({words.lower()}).",
        )
        return title, self.describe(item, title, openings), self.declared(item, (0.8, 0.05, 0.15))

    def _clearout(self, item: _Item) -> tuple[str, str, str | None]:
        """A new private account clearing out its owner's own genuine things."""
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"Selling my {b} {line} {noun}", f"Closet clear out - {b} {line} {noun}",
            f"Moving sale {b} {noun} {line}", f"{b} {line} {noun} barely used",
            f"{b} {line} {noun} {self.attr(item)} - no longer needed",
            f"{b} {noun} {line}, worn a few times",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.2, 0.04, 0.2)
        return title, self.describe(item, used=True), self.declared(item, (0.5, 0.1, 0.4))

    def _misspelled(self, item: _Item) -> tuple[str, str, str | None]:
        """A genuine item whose seller misspells the brand ("Channel", "Addidas", "Rolx")."""
        shown = self.obfuscate(item, "misspell")
        title = self.retail_title(item).replace(item.brand, shown, 1)
        if item.seller_kind == "individual":
            title = self.sprinkle(title, 0.15, 0.05, 0.2)
        u = self.r.random()
        declared = shown if u < 0.4 else item.brand if u < 0.6 else None
        return title, self.describe(item, title), declared

    def _blank(self, item: _Item) -> tuple[str, str, str | None]:
        """A wholesaler of blank goods that prints the buyer's own logo (genuine: no brand)."""
        base = self.pick(item.profile.lookalikes)
        k = self.pick(("50", "100", "200", "500"))
        title = self.pick((
            f"Blank {base} Wholesale {k}pcs - Custom Logo Available",
            f"Plain {base} Bulk {k} Pack, Print Your Own Logo",
            f"Custom Logo {base} OEM/ODM MOQ {k}",
            f"Wholesale Blank {base} for Sublimation, Custom Branding",
        ))  # fmt: skip
        openings = (
            "Blank goods, we print your own logo or artwork. No brand logos.",
            "OEM service: send us your logo. We do not print trademarks you do not own.",
            "Custom printing of your company logo, MOQ {lot} pcs.",
        )
        description = self.describe(item, title, openings, k)
        own = item.own_brand or None
        return (
            title,
            description,
            own if self.chance(0.4) else self.pick(UNBRANDED_DECLARED) or None,
        )

    def _custom_logo(self, item: _Item) -> tuple[str, str, str | None]:
        """The same wholesaler offering famous brands' logos on its blanks (infringing)."""
        base = self.pick(item.profile.lookalikes)
        k = self.pick(("50", "100", "200", "500"))
        logo = item.brand if self.chance(0.5) else self.obfuscate(item, "logo")
        title = self.pick((
            f"Custom Logo {base} Wholesale {k}pcs - {logo} Logo Available",
            f"Blank {base} Bulk, any logo ({logo} etc.) printed",
            f"{logo} Logo {base} OEM MOQ {k}",
            f"Wholesale {base} with Designer Logo {k}pcs",
        ))  # fmt: skip
        openings = (
            "Any logo printed: send a picture of the brand you want.",
            "We print famous brand logos on request, MOQ {lot} pcs.",
            "Custom branding, popular logos in stock.",
        )
        return title, self.describe(item, title, openings, k), self.declared(item, (0.2, 0.5, 0.3))

    def _hijacked(self, item: _Item) -> tuple[str, str, str | None]:
        """A dormant private account taken over: ordinary private-seller titles, cheap brands."""
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            self.retail_title(item), f"{b} {line} {noun} brand new",
            f"New {b} {line} {noun} {self.attr(item)}", f"{b} {noun} {line} unused gift",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.1, 0.05, 0.15)
        return title, self.describe(item), self.declared(item, (0.6, 0.1, 0.3))

    def _aged_clean(self, item: _Item) -> tuple[str, str, str | None]:
        """An aged, well-rated counterfeit account with clean catalogue titles."""
        catalogue = self.retail_title(item)
        title = catalogue
        if self.chance(0.25):
            title = f"{title} {self.pick(('New With Tags', 'Full Set', 'Brand New', 'Sealed'))}"
        return title, self.describe(item, catalogue), self.declared(item, (0.9, 0.0, 0.1))

    def _player_version(self, item: _Item) -> tuple[str, str, str | None]:
        """Fake football and league jerseys: "player version", "Thai quality", retro kits."""
        b, line = item.brand, item.line or item.brand
        season = self.pick(("24/25", "25/26", "2024/25", "2025-26", "23/24"))
        size = self.pick(("S", "M", "L", "XL", "XXL", "2XL"))
        retro = self.pick(("1998", "1994", "2006", "1986", "2002", "1990"))
        title = self.pick((
            f"{line} {season} Home Jersey Player Version {size}",
            f"{b} {line} Away Shirt {season} Thai Version",
            f"Retro {retro} {line} Home Kit {size}",
            f"{line} {season} Player Issue Jersey {self.pick(('Fan', 'Player'))} Version",
            f"{b} {line} Jersey {season} Top Thai Quality",
            f"{line} #10 Jersey {season} {size} Stitched",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.05, 0.1, 0.1)
        return title, self.describe(item), self.declared(item, (0.5, 0.2, 0.3))

    def _beauty_discount(self, item: _Item) -> tuple[str, str, str | None]:
        """Counterfeit perfume, make-up and skincare at a plausible discount, catalogue titles."""
        title = self.retail_title(item)
        if self.chance(0.45):
            tag = self.pick(("Imported", "Sealed", "No Box", "Expiring Soon", "Sale", "Tester",
                             "Gift Set", "Unboxed", "100% Original"))  # fmt: skip
            title = f"{title} {self.pick(('-', '|', ''))} {tag}"
        if item.seller_kind == "individual":
            title = self.sprinkle(title, 0.1, 0.05, 0.15)
        openings = ("Imported stock, sealed.", "Brand new, never opened.", "Selling at cost.")
        return title, self.describe(item, title, openings), self.declared(item, (0.8, 0.05, 0.15))

    def _dupe(self, item: _Item) -> tuple[str, str, str | None]:
        """ "Inspired by / dupe / alternative to" listings, with or without the trademark."""
        b, line, noun = item.brand, item.line or item.noun, item.noun
        if self.chance(0.55):
            title = self.pick((
                f"Inspired by {b} {line} {noun}", f"{b} {line} Dupe {self.attr(item)}",
                f"Alternative to {b} {line}", f"Smells Like {line} by {b}",
                f"{line} Dupe - {b} Inspired {noun}", f"Same as {b} {line} {noun}, half the price",
            ))  # fmt: skip
            declared = self.declared(item, (0.2, 0.4, 0.4))
        else:
            title = self.pick((
                f"{line} Dupe {noun} {self.attr(item)}", f"{line}-Inspired {noun}",
                f"Viral {noun} {self.attr(item)} - the famous dupe",
                f"{self.pick(item.profile.lookalikes)} ({line} alternative)",
                f"{line} Twin {noun} {self.colour(item)}",
            ))  # fmt: skip
            declared = item.own_brand or self.pick(UNBRANDED_DECLARED) or None
        openings = (
            "Our version of the viral favourite.",
            "Inspired by the original, not affiliated.",
            "Comparable to the designer original.",
        )
        return (
            self.sprinkle(title, 0.03, 0.05, 0.05),
            self.describe(item, title, openings),
            declared,
        )

    def _electronics_clean(self, item: _Item) -> tuple[str, str, str | None]:
        """Fake earbuds, chargers, batteries, toys and jewellery with clean catalogue titles."""
        title = self.retail_title(item)
        u = self.r.random()
        if u < 0.2:
            title = f"{title} {self.pick(('Original', 'OEM', 'Genuine', 'Bulk Packaging'))}"
        elif u < 0.3 and item.product_type in ("li_ion_cell", "battery_pack", "power_bank",
                                               "tool_battery", "battery"):  # fmt: skip
            title = f"{title} {self.pick(('9900mAh', '12000mAh', '12.0Ah', '30000mAh'))}"
        if item.seller_kind == "small_shop":
            title = self.shop_dressing(item, title)
        return title, self.describe(item, title), self.declared(item, (0.75, 0.1, 0.15))


@dataclass(slots=True)
class _Item:
    brand: str
    aliases: tuple[str, ...]
    line: str  # written before the noun ("Malibu" of "Malibu Hoodie")
    full_line: str  # written alone ("Malibu Hoodie")
    noun: str
    category: str
    product_type: str
    seller_kind: str
    own_brand: str
    vocab: PeriodVocab
    template: NetworkTemplate | None
    profile: CategoryProfile
    initials: str
    recipe: str
    fake: bool
    group: str  # store, trade or private (phrase pools)
    shipping: str  # near, far or private (shipping notes)
    style: DescriptionStyle
