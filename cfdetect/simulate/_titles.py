"""Titles, descriptions and declared brands of simulated listings.

Genuine titles follow the shapes of real retail catalogues ("Sony Turntable - PSLX350H",
"Bose Acoustimass 5 Series III Speaker System - AM53BK"): brand, product line, descriptors, model
number. Counterfeit titles are built by tactic. Everything here is per-row string assembly driven
by one ``random.Random`` per block (seeded from the block's numpy stream), so it is deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from cfdetect.simulate._drift import DriftSchedule
from cfdetect.simulate._vocab import (
    EMOJI,
    EUPHEMISMS,
    EXPLICIT_WORDS,
    HOMOGLYPHS,
    LATE_EMOJI,
    LATE_SEPARATORS,
    LATE_SHOUTS,
    LEET,
    LOGO_WORDS,
    MAKER_SYLLABLES_A,
    MAKER_SYLLABLES_B,
    NETWORK_FILLERS,
    OFFPLATFORM_PHRASES,
    RETURN_NOTES,
    SCALE_MODEL_MAKES,
    SEPARATORS,
    SHIPPING_NOTES,
    SHOUTS,
    SLANG_TOKENS,
    UNBRANDED_DECLARED,
    CategoryProfile,
    profile_of,
)

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


def maker_name(rnd: random.Random) -> str:
    """An invented brand of an accessory maker or unbranded merchant ("Voltix", "NOVAORA")."""
    name = rnd.choice(MAKER_SYLLABLES_A) + rnd.choice(MAKER_SYLLABLES_B)
    return name.upper() if rnd.random() < 0.3 else name


_ACRONYMS = {"usb": "USB", "tv": "TV", "ssd": "SSD", "gps": "GPS", "cpap": "CPAP", "cgm": "CGM",
             "ram": "RAM", "ipl": "IPL", "tens": "TENS", "wifi": "WiFi"}  # fmt: skip


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
    ...     "turntable", "established_reseller", "", vocab, None)
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
        }

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
    ) -> tuple[str, str, str | None]:
        """Return (title, description, declared brand or None) for one listing."""
        profile = self._profiles.get((category, product_type))
        if profile is None:
            profile = self._profiles[(category, product_type)] = profile_of(category, product_type)
        if line[: len(brand) + 1].lower() == f"{brand.lower()} " and len(line) > len(brand) + 1:
            line = line[len(brand) + 1 :]  # "Apple" + "Apple Watch" -> "Apple Watch"
        initials = self._initials.get(brand)
        if initials is None:
            letters = "".join(ch for ch in brand.upper() if "A" <= ch <= "Z")
            initials = self._initials[brand] = letters[:2] or "XX"
        item = _Item(brand, aliases, line, noun, category, product_type, seller_kind, own_brand,
                     vocab, template, profile, initials)  # fmt: skip
        title, description, declared = self._builders[recipe](item)
        return " ".join(title.split()), description, declared

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

    def shipping(self) -> str:
        """A shipping and a returns note."""
        return f"{self.pick(SHIPPING_NOTES)} {self.pick(RETURN_NOTES)}".strip()

    def features(self, item: _Item, k: int) -> list[str]:
        """Up to ``k`` distinct feature phrases of the category (a run of the list from a random
        start, wrapping around)."""
        pool = item.profile.features
        first = int(self.r.random() * len(pool))
        return [pool[(first + j) % len(pool)] for j in range(min(k, len(pool)))]

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
            return f"{b} {line} {self.attr(item)} {self.attr(item)} {noun} in {self.colour(item)}"
        return f"{b} {line} {noun}"

    def genuine_description(self, item: _Item, title: str, opening: str) -> str:
        """Catalogue feature list or a few plain sentences."""
        feats = self.features(item, 2 + int(self.r.random() * 3))
        if self.chance(0.35) and feats:
            return "/ ".join([title] + [f.capitalize() for f in feats])
        body = ", ".join(feats).capitalize()
        return f"{opening} {body}. {self.shipping()}".replace(" .", "").strip()

    def counterfeit_description(self, item: _Item, hint: str = "") -> str:
        """Claims counterfeit sellers make, sometimes with a hint word the title avoided."""
        claim = self.pick((
            "Top quality, same as original.", "High quality materials, looks like the real one.",
            "100% authentic.", "Best quality on the market.", "Brand new with tags.",
            "Comes with box and dust bag.", "Perfect details, exactly as pictured.",
            "Genuine leather, fast delivery.", "Brand new in box.",
        ))  # fmt: skip
        extra = f" {hint}" if hint else ""
        return f"{claim}{extra} {self.shipping()}"

    # --- genuine cases ---------------------------------------------------------------------

    def _regular(self, item: _Item) -> tuple[str, str, str | None]:
        title = self.retail_title(item)
        if item.seller_kind == "small_shop":
            title = self.shop_dressing(item, title)
        elif item.category in _BUNDLE_CATEGORIES and self.chance(0.04):
            title = f"{title} Bundle with {self.pick(item.profile.accessories)}"
        if item.seller_kind == "individual":
            title = self.sprinkle(title, 0.15, 0.05, 0.15)
            return (
                title,
                self.individual_description(item, used=False),
                self.declared(item, (0.55, 0.1, 0.35)),
            )
        title = self.sprinkle(title, 0.02, 0.03, 0.0)
        opening = self.pick(
            (
                "Brand new in original packaging.",
                "New, factory sealed.",
                f"Genuine {item.brand} product.",
                "100% authentic.",
                "In stock.",
            )
        )
        if item.seller_kind == "authorised_store":
            opening = f"Authorized {item.brand} retailer. {opening}"
        return (
            title,
            self.genuine_description(item, title, opening),
            self.declared(item, (0.9, 0.02, 0.08)),
        )

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

    def individual_description(self, item: _Item, used: bool) -> str:
        """A private seller's few words."""
        wear = self.pick(
            (
                "Minor scuffs, see photos.",
                "Like new condition.",
                "Some signs of wear on the corners.",
                "Worn twice.",
                "Small mark on the back, otherwise perfect.",
                "Works perfectly.",
            )
        )
        what = self.pick((f"Selling my {item.brand} {item.noun.lower()}.",
                          f"{item.brand} {item.line} for sale.", "Moving sale.",
                          "Unwanted gift."))  # fmt: skip
        proof = self.pick(
            (
                "Receipt available.",
                "Comes with original box.",
                "No box.",
                "",
                "Bought from the boutique.",
                "Authentic, bought new.",
            )
        )
        body = f"{what} {wear if used else 'Never used.'} {proof} {self.pick(SHIPPING_NOTES)}"
        return " ".join(body.split())

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
            return (self.sprinkle(title, 0.15, 0.05, 0.15), self.individual_description(item, True),
                    self.declared(item, (0.6, 0.05, 0.35)))  # fmt: skip
        opening = self.pick(
            (
                "Pre-owned, authenticated by our experts.",
                "Excellent pre-owned condition.",
                "Gently used, inspected.",
            )
        )
        return (
            title,
            self.genuine_description(item, title, opening),
            self.declared(item, (0.9, 0.0, 0.1)),
        )

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
        if self.chance(0.12):
            k = self.pick(("5", "10", "12", "20", "25"))
            title = self.pick((
                f"Liquidation Lot of {k} {item.brand} {item.noun} - Customer Returns",
                f"Wholesale Lot {k}pcs {item.brand} {item.line} {item.noun} Overstock",
                f"Bulk Lot {item.brand} {item.noun} x{k} Shelf Pulls",
            ))  # fmt: skip
        opening = self.pick(
            (
                "Clearance of last season's stock.",
                "Outlet item, brand new.",
                "Discontinued colour, new with tags.",
            )
        )
        return (
            title,
            self.genuine_description(item, title, opening),
            self.declared(item, (0.9, 0.0, 0.1)),
        )

    def _accessory(self, item: _Item) -> tuple[str, str, str | None]:
        acc = self.pick(item.profile.accessories)
        b, line = item.brand, item.line
        target = f"{b} {line}".strip()
        maker = item.own_brand or self.pick(("Generic", "Universal"))
        title = self.pick((
            f"{acc} Compatible with {target}",
            f"{acc} for {target} {item.noun}",
            f"{maker} {acc} for {target}, {self.colour(item)}",
            f"Replacement {acc} fits {target}",
            f"{acc} Works with {b} {line} - {self.attr(item)}",
            f"{maker} {acc} Compatible with {b} {item.noun} {line}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.03, 0.05, 0.02)
        if self.chance(0.15):
            title = f"{self.pick(item.vocab.emoji)} {title}"
        description = (f"Third-party {acc.lower()} designed for {target}. Not made by {b}. "
                       f"{self.shipping()}")  # fmt: skip
        declared = self.r.random()
        if declared < 0.5 and item.own_brand:
            return title, description, item.own_brand
        if declared < 0.9:
            return title, description, self.pick(UNBRANDED_DECLARED) or None
        return title, description, b

    def _legal_replica(self, item: _Item) -> tuple[str, str, str | None]:
        b, line = item.brand, item.line
        if "replica" in line.lower():
            title = f"{b} '{line}' {self.attr(item)} {self.pick(('Spray', 'for Unisex', ''))}"
            description = f"Genuine {b} fragrance from the {line} collection. Sealed box."
        elif item.category == "sports_jerseys":
            season = self.pick(("2024/25", "2025/26", "23/24"))
            title = self.pick((
                f"{b} {line} {season} Home Replica Jersey",
                f"Official {b} {line} Replica Jersey {season} {self.attr(item)}",
                f"{line} {season} Away Replica Shirt by {b}",
            ))  # fmt: skip
            description = ("Official licensed replica jersey (fan version, not player issue). "
                           f"{self.shipping()}")  # fmt: skip
        elif item.category == "toys":
            scale = self.pick(("1:18", "1:24", "1:43", "1:12"))
            title = f"{b} {scale} Scale {self.pick(SCALE_MODEL_MAKES)} Replica Model"
            description = f"Officially licensed {scale} scale replica. Display case included."
        else:
            title = f"{b} {line} {item.noun} Official Licensed Replica"
            description = f"Officially licensed replica by {b}. {self.shipping()}"
        return title, description, self.declared(item, (0.85, 0.0, 0.15))

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
        if self.chance(0.15):
            title = f"Wholesale Lot {self.pick(('10', '20', '50', '100'))}pcs {title}"
        feats = ", ".join(self.features(item, 2))
        description = f"{feats.capitalize()}. Original design, no brand logos. {self.shipping()}"
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
        opening = self.pick(
            (
                "Professionally inspected and tested.",
                "90-day warranty.",
                "Restored to full working order, minor cosmetic marks.",
            )
        )
        return (
            title,
            self.genuine_description(item, title, opening),
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
        opening = self.pick(
            (
                "Genuine product imported from overseas; manufacturer warranty "
                "may not apply in your country.",
                "Grey import, 100% original.",
                "Imported, original packaging in a foreign language.",
            )
        )
        return (
            title,
            self.genuine_description(item, title, opening),
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
        return title, self.counterfeit_description(item), self.declared(item, (0.5, 0.25, 0.25))

    def _slang(self, item: _Item) -> tuple[str, str, str | None]:
        token = self.pick(item.vocab.slang)
        b, line, noun = item.brand, item.line, item.noun
        title = self.pick((
            f"{b} {line} {noun} {token} {self.attr(item)}",
            f"{token} {b} {line} {self.colour(item)}",
            f"{b} {line} {self.code(item)} {token}",
            f"{b} {noun} {line} {token} {self.pick(item.vocab.slang)}",
        ))  # fmt: skip
        title = self.sprinkle(title, 0.08, 0.1, 0.1)
        hint = self.pick(("1:1 with retail.", "Best batch.", "QC pics available.", ""))
        return (
            title,
            self.counterfeit_description(item, hint),
            self.declared(item, (0.45, 0.25, 0.3)),
        )

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
        return title, self.counterfeit_description(item), self.declared(item, (0.2, 0.4, 0.4))

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
        return self.sprinkle(title, 0.05, 0.1, 0.05), self.counterfeit_description(item), declared

    def _omitted(self, item: _Item) -> tuple[str, str, str | None]:
        line, noun = item.line or self.attr(item), item.noun
        code = self.code(item)
        title = self.pick((
            f"{line} {noun} {self.attr(item)} {self.colour(item)}",
            f"{line} {self.attr(item)} {code}",
            f"{noun} {line} {self.colour(item)} {self.attr(item)}",
            f"New {line} {noun} {code}",
        ))  # fmt: skip
        hint = f"{item.brand} style." if self.chance(0.3) else ""
        description = self.counterfeit_description(item, hint)
        return (
            self.sprinkle(title, 0.05, 0.05, 0.05),
            description,
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
        description = f"Wholesale price, mixed sizes/colours. MOQ {k}. {self.shipping()}"
        return title, description, self.declared(item, (0.4, 0.4, 0.2))

    def _superfake(self, item: _Item) -> tuple[str, str, str | None]:
        title = self.retail_title(item)
        if self.chance(0.3):
            title = f"{title} {self.pick(('Full Set', 'With Box', 'New With Tags', 'Unworn'))}"
        description = self.pick((
            "Full set with box, papers and receipt. Every detail checked.",
            "Premium materials, comes with all accessories and card.",
            "Brand new, never worn. Original packaging.",
            f"Genuine {item.brand}. Boutique purchase.",
        ))  # fmt: skip
        return title, f"{description} {self.shipping()}", self.declared(item, (0.85, 0.0, 0.15))

    def _bundle(self, item: _Item) -> tuple[str, str, str | None]:
        b, noun, line = item.brand, item.noun, item.line
        title = self.pick((
            f"Mystery Box {b} {self.r.randint(3, 8)} Items {noun}",
            f"Keychain + Free {b} {line} {noun}",
            f"{b} {noun} + {line} Gift Set Bundle {self.pick(item.vocab.shouts)}",
            f"Phone Case with {b} {line} {noun} Bundle",
            f"Lucky Bag {b} {noun} Surprise {self.pick(item.vocab.emoji)}",
        ))  # fmt: skip
        return title, self.counterfeit_description(item), self.declared(item, (0.3, 0.3, 0.4))

    def _burst(self, item: _Item) -> tuple[str, str, str | None]:
        b, line, noun = item.brand, item.line, item.noun
        shout = self.pick(item.vocab.shouts)
        title = self.pick((
            f"{b} {line} {noun} {self.attr(item)} {shout}",
            f"{shout} {b} {line} {noun}",
            self.retail_title(item),
            self.retail_title(item),
        ))  # fmt: skip
        return title, self.counterfeit_description(item), self.declared(item, (0.6, 0.25, 0.15))

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
        return title, self.counterfeit_description(item), declared

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
        return title, self.counterfeit_description(item), choice

    def _offplatform(self, item: _Item) -> tuple[str, str, str | None]:
        phrase = self.pick(OFFPLATFORM_PHRASES)
        b = item.brand if self.chance(0.6) else self.obfuscate(item, "logo")
        title = self.pick((
            f"{b} {item.line} {item.noun} {phrase}",
            f"{phrase} {b} {item.noun}",
            f"{b} {item.noun} {self.attr(item)} - {phrase}",
        ))  # fmt: skip
        description = f"{phrase}. More styles and real photos on request. {self.shipping()}"
        return title, description, self.declared(item, (0.4, 0.2, 0.4))


@dataclass(slots=True)
class _Item:
    brand: str
    aliases: tuple[str, ...]
    line: str
    noun: str
    category: str
    product_type: str
    seller_kind: str
    own_brand: str
    vocab: PeriodVocab
    template: NetworkTemplate | None
    profile: CategoryProfile
    initials: str
