"""Descriptions of simulated listings: one shared phrase pool, a few tell-tales.

Real marketplaces do not separate sellers by the words of their descriptions: genuine resellers
write "comes with box and dust bag", "100% authentic" and "ships from our warehouse";
counterfeiters paste the catalogue description of the product they copy, or write "selling my ...
never used". So every seller draws the bulk of a description (openings, shipping, returns,
condition, packaging) from the same pools below, with mild frequency differences by *seller
group* (store, trade, private) and *shipping origin* (near, far), never by label:

- a **style** per recipe (``DESCRIPTION_STYLES``): the catalogue feature list ("Title/ feature/
  feature"), a plain text (opening, features, shipping, returns), a private seller's few words, a
  short note, or nothing;
- a **risky phrase** in a share of descriptions: for counterfeits a tell-tale ("same as original",
  "QC pics available", "WhatsApp for more", by tactic and with drift), for genuine listings an
  innocent phrase that looks risky ("inspired by the 1950s design", "DM for more pictures").

``TextMaker`` (``_titles.py``) assembles them; everything here is data.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class DescriptionStyle:
    """How one recipe (tactic or case) writes descriptions.

    The five style shares add up to 1.

    Attributes
    ----------
    catalogue : float
        Share of catalogue feature lists ("Title/ feature/ feature"); counterfeiters copy the
        catalogue description of the product they fake, not their own title.
    plain : float
        Share of plain texts: an opening, features, shipping and returns notes.
    personal : float
        Share of a private seller's few words ("Selling my ... Never used.").
    short : float
        Share of a few words ("As pictured.", "Open to offers.").
    none : float
        Share of listings without a description.
    risky : float
        Share carrying a risky phrase: a tell-tale for counterfeits, an innocent look-alike for
        genuine listings.
    own : float
        In plain texts, the share that opens with the recipe's own opening (refurbished,
        outlet, accessory notes...) instead of a shared one.
    bounds : (float, float, float, float)
        Cumulative upper bounds of none, short, personal and catalogue (plain takes the rest).
    """

    catalogue: float
    plain: float
    personal: float
    short: float
    none: float
    risky: float
    own: float
    bounds: tuple[float, float, float, float]


def _style(cat: float, plain: float, personal: float, short: float, none: float, risky: float,
           own: float = 0.0) -> DescriptionStyle:  # fmt: skip
    total = cat + plain + personal + short + none
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"description style shares add up to {total}, not 1")
    bounds = (none, none + short, none + short + personal, none + short + personal + cat)
    return DescriptionStyle(cat, plain, personal, short, none, risky, own, bounds)


DESCRIPTION_STYLES: dict[str, DescriptionStyle] = {
    # genuine cases (business sellers; private sellers use PRIVATE_STYLE)
    "regular": _style(0.38, 0.45, 0.0, 0.10, 0.07, 0.02),
    "new_genuine_seller": _style(0.30, 0.45, 0.0, 0.15, 0.10, 0.03),
    "used_authentic": _style(0.15, 0.70, 0.0, 0.10, 0.05, 0.03, own=0.6),
    "outlet_clearance": _style(0.30, 0.55, 0.0, 0.10, 0.05, 0.02, own=0.5),
    "compatible_accessory": _style(0.15, 0.70, 0.0, 0.10, 0.05, 0.04, own=0.5),
    "legal_replica_word": _style(0.20, 0.75, 0.0, 0.05, 0.00, 0.00, own=0.8),
    "homage": _style(0.10, 0.70, 0.0, 0.10, 0.10, 0.20, own=0.4),
    "refurbished": _style(0.30, 0.60, 0.0, 0.07, 0.03, 0.02, own=1.0),
    "parallel_import": _style(0.30, 0.55, 0.0, 0.10, 0.05, 0.05, own=0.5),
    "long_tail_brand": _style(0.40, 0.40, 0.0, 0.10, 0.10, 0.02),
    "first_party_budget": _style(0.45, 0.40, 0.0, 0.08, 0.07, 0.02),
    "authenticity_claims": _style(0.05, 0.80, 0.0, 0.10, 0.05, 0.10, own=0.7),
    "unbranded_generic": _style(0.10, 0.65, 0.0, 0.15, 0.10, 0.08, own=0.35),
    # counterfeit tactics
    "explicit_replica": _style(0.07, 0.58, 0.10, 0.18, 0.07, 0.50),
    "community_slang": _style(0.12, 0.58, 0.05, 0.18, 0.07, 0.55),
    "euphemism": _style(0.12, 0.60, 0.05, 0.16, 0.07, 0.40),
    "brand_obfuscation": _style(0.15, 0.55, 0.05, 0.18, 0.07, 0.30),
    "brand_omitted": _style(0.25, 0.50, 0.05, 0.13, 0.07, 0.25),
    "bulk_wholesale": _style(0.08, 0.75, 0.0, 0.12, 0.05, 0.25, own=0.6),
    "superfake": _style(0.45, 0.42, 0.03, 0.07, 0.03, 0.08),
    "implausible_bundle": _style(0.05, 0.65, 0.0, 0.22, 0.08, 0.25, own=0.3),
    "burst_new_accounts": _style(0.35, 0.45, 0.0, 0.13, 0.07, 0.15),
    "network_template": _style(0.40, 0.45, 0.0, 0.10, 0.05, 0.15),
    "homoglyph_obfuscation": _style(0.20, 0.55, 0.03, 0.15, 0.07, 0.25),
    "listing_copy": _style(0.40, 0.42, 0.0, 0.10, 0.08, 0.03),
    "offplatform_contact": _style(0.10, 0.70, 0.0, 0.20, 0.00, 0.65),
    # issue 18
    "genuine_format": _style(0.20, 0.65, 0.0, 0.10, 0.05, 0.03, own=0.6),
    "closet_clearout": _style(0.05, 0.05, 0.60, 0.18, 0.12, 0.05),
    "misspelled_genuine": _style(0.10, 0.50, 0.0, 0.25, 0.15, 0.02),
    "blank_wholesale": _style(0.10, 0.70, 0.0, 0.15, 0.05, 0.05, own=0.6),
    "custom_logo_wholesale": _style(0.10, 0.70, 0.0, 0.15, 0.05, 0.25, own=0.6),
    "hijacked_account": _style(0.20, 0.50, 0.10, 0.12, 0.08, 0.15),
    "aged_clean_title": _style(0.45, 0.42, 0.03, 0.07, 0.03, 0.05),
    "jersey_player_version": _style(0.10, 0.60, 0.05, 0.18, 0.07, 0.30, own=0.4),
    "beauty_discount": _style(0.30, 0.50, 0.05, 0.10, 0.05, 0.10, own=0.5),
    "dupe_listing": _style(0.15, 0.65, 0.0, 0.15, 0.05, 0.10, own=0.6),
    "electronics_clean": _style(0.40, 0.40, 0.0, 0.12, 0.08, 0.10),
}
"""Description style of each recipe when a business (or counterfeit) account lists it."""

PRIVATE_STYLE = _style(0.05, 0.05, 0.60, 0.18, 0.12, 0.05)
"""Private sellers (``individual``) of genuine goods: a few words, often none."""
PRIVATE_FAKE_STYLE = _style(0.05, 0.10, 0.60, 0.17, 0.08, 0.20)
"""Private sellers passing a fake off: they write like any private seller."""

# --- shared pools: (phrase, weight for store, trade, private seller groups) ----------------------
# store: authorised stores; private: individuals; trade: everyone else, counterfeiters included
# (they pose as shops). "{brand}" is replaced by the listing's brand.

GROUPS: tuple[str, ...] = ("store", "trade", "private")

OPENINGS: tuple[tuple[str, float, float, float], ...] = (
    ("Brand new in box.", 2, 3, 2),
    ("Brand new with tags.", 1, 2, 1),
    ("Brand new in original packaging.", 3, 2, 1),
    ("New, factory sealed.", 2, 2, 1),
    ("100% authentic.", 2, 3, 1),
    ("100% authentic, guaranteed.", 1, 1, 0.2),
    ("Genuine {brand} product.", 3, 2, 0.5),
    ("Authorized {brand} retailer.", 4, 0.1, 0),
    ("In stock.", 2, 2, 0),
    ("In stock, ready to ship.", 1, 2, 0),
    ("Exactly as pictured.", 0.5, 1.5, 1.5),
    ("Comes with original box.", 1, 1.5, 1.5),
    ("Gift ready.", 1, 1, 0.3),
    ("Great gift idea.", 0.5, 1, 0.5),
    ("Original packaging.", 1, 1, 0.5),
    ("Limited stock.", 0.5, 1.5, 0),
    ("Perfect details, exactly as pictured.", 0.3, 1, 0.5),
)  # fmt: skip
"""Openings of new items, every kind of seller."""

LUXURY_OPENINGS: tuple[tuple[str, float, float, float], ...] = (
    ("Comes with box and dust bag.", 1, 2, 1),
    ("Full set with box, papers and receipt.", 0.5, 1, 0.5),
    ("Comes with all accessories and card.", 1, 1, 0.5),
    ("Genuine leather.", 1, 1, 0.5),
    ("Boutique purchase.", 0, 1, 1),
    ("Authenticity card included.", 1, 1, 0.5),
    ("Every detail checked.", 0.3, 1, 0.2),
)  # fmt: skip
"""Extra openings in luxury categories (bags, watches, sneakers, jewellery, eyewear, apparel)."""

USED_OPENINGS: tuple[str, ...] = (
    "Pre-owned, authenticated by our experts.", "Excellent pre-owned condition.",
    "Gently used, inspected.", "Pre-owned, light signs of wear.", "Like new condition.",
)  # fmt: skip
"""Openings of used items offered by businesses (or posing as them)."""

WEAR_NOTES: tuple[str, ...] = (
    "Minor scuffs, see photos.", "Like new condition.", "Some signs of wear on the corners.",
    "Worn twice.", "Small mark on the back, otherwise perfect.", "Works perfectly.",
    "Used a few times.", "Good condition overall.",
)  # fmt: skip

NEW_NOTES: tuple[str, ...] = (
    "Never used.", "Never used.", "Brand new.", "Tags still on.", "Still sealed.", "Never worn.",
)  # fmt: skip

PERSONAL_OPENINGS: tuple[str, ...] = (
    "Selling my {brand} {noun}.", "Selling my {brand} {noun}.", "{brand} {line} for sale.",
    "Moving sale.", "Unwanted gift.", "Bought it last year.", "Got it as a gift.",
    "Clearing out my closet.", "Selling my {noun}.",
)  # fmt: skip

PROOF_NOTES: tuple[str, ...] = (
    "Receipt available.", "Comes with original box.", "No box.", "", "",
    "Bought from the boutique.", "Authentic, bought new.", "Dust bag included.", "No trades.",
)  # fmt: skip

SHORT_NOTES: tuple[str, ...] = (
    "Brand new.", "New.", "As pictured.", "See photos.", "Fast shipping.", "Authentic.",
    "Price is firm.", "Open to offers.", "Great condition.", "Ask me anything.", "New with tags.",
    "Message me with any questions.", "Free shipping.", "Original.", "Brand new in box.",
)  # fmt: skip

# (phrase, weight for near, far, private): near = ships from the buyer's side of the world,
# far = from CN, HK and other distant hubs; private sellers have their own habits.
SHIPPING_NOTES: tuple[tuple[str, float, float, float], ...] = (
    ("Ships in 1 business day.", 3, 0.5, 0.5),
    ("Free 2-day shipping.", 2, 0.2, 0.2),
    ("Ships from our warehouse.", 2, 2, 0),
    ("Fast shipping with tracking.", 3, 2, 1),
    ("Ships within 24 hours.", 2, 1.5, 1),
    ("Local pickup available.", 0.2, 0, 3),
    ("Worldwide shipping, 7-15 days.", 0.3, 3, 0.1),
    ("Shipping 10-20 days.", 0.2, 3, 0.1),
    ("Tracked delivery.", 2, 2, 1),
    ("Free shipping.", 2, 2, 1),
    ("Ships next day.", 1, 1, 2),
    ("Will ship within 2 days.", 0.5, 0.5, 2),
    ("Combined shipping available.", 1, 1, 1),
)  # fmt: skip
FAR_ORIGINS: frozenset[str] = frozenset(
    {"CN", "HK", "TR", "TH", "VN", "MY", "IN", "SG", "TW", "KR", "AE", "ID", "PH", "PK"}
)
"""Shipping origins far from the (mostly US) buyers: long delivery times are written down."""

RETURN_NOTES: tuple[tuple[str, float, float, float], ...] = (
    ("30-day returns.", 3, 2, 0.3),
    ("Returns accepted.", 1, 2, 1),
    ("No returns.", 0.2, 1, 3),
    ("14-day money back guarantee.", 0.5, 2, 0.2),
    ("Free returns.", 2, 1, 0.1),
    ("Buyer pays return shipping.", 0.5, 1, 1),
)  # fmt: skip
"""Returns notes by seller group (store, trade, private)."""

LOT_OPENINGS: tuple[str, ...] = (
    "Wholesale price, mixed sizes/colours.", "Sold as a lot.", "Bulk discount available.",
    "MOQ {lot}.", "Lot of {lot} units.", "Mixed lot, as pictured.", "Reseller lot.",
)  # fmt: skip
"""Openings of lots: wholesale counterfeits, liquidation lots, unbranded bulk goods."""

# --- risky phrases ----------------------------------------------------------------------------

TELLTALES: tuple[tuple[str, float], ...] = (
    ("Top quality, same as original.", 0.0), ("High quality materials, looks like the real one.",
    0.0), ("Mirror quality.", 0.0), ("Perfect details, same as retail.", 0.0),
    ("AAA quality.", 0.0), ("Best quality on the market.", 0.0), ("Not sold in stores.", 0.0),
    ("Factory direct price.", 0.0), ("Same factory as retail.", 0.3),
    ("QC video on request.", 0.3), ("Retail-grade materials.", 0.3), ("Top tier batch.", 0.6),
    ("Undetectable from retail.", 0.6), ("Passes any authentication.", 0.9),
    ("Same materials as the boutique.", 0.9),
)  # fmt: skip
"""Counterfeit tell-tales of every tactic; the number is the drift phase they appear at."""

TACTIC_TELLTALES: dict[str, tuple[str, ...]] = {
    "explicit_replica": ("High quality replica.", "Not original, priced accordingly.",
                         "Replica, best version.", "Copy of the {brand} {line}."),
    "community_slang": ("1:1 with retail.", "Best batch.", "QC pics available.",
                        "Best batch on the market, 1:1."),
    "euphemism": ("Inspired by {brand}.", "Dupe of the {brand} {line}.",
                  "Same look for less.", "Designer inspired."),
    "brand_omitted": ("{brand} style.", "{brand} style.", "Same as the {brand} one."),
    "bulk_wholesale": ("Factory direct, all brands available.", "Dropshipping welcome."),
    "implausible_bundle": ("Branded item is a free gift.", "Random styles, all top brands."),
    "offplatform_contact": ("DM for real pics.", "Msg before buying.",
                            "WhatsApp for more styles.", "Contact for more models.",
                            "Ask for QC photos.", "See link in profile.", "Tg for catalog.",
                            "Message for best price.", "More colours in chat.",
                            "More styles and real photos on request."),
}  # fmt: skip
"""Tactic-specific tell-tales, used for half of a tactic's tell-tales (offplatform: all)."""

INNOCENT_RISKY: tuple[str, ...] = (
    "Inspired by the 1950s original design.", "Replica of the original 1972 packaging.",
    "Looks exactly like the photos.", "Message me for more photos.", "DM for more pictures.",
    "Top quality leather.", "Mirror finish.", "Best quality at the best price.",
    "Same as in stores, better price.", "Factory sealed, same as retail.",
    "High quality, fast shipping.", "AAA batteries included.", "Not sold in stores.",
    "Perfect details.", "Retro style, modern fit.",
)  # fmt: skip
"""Risky-looking phrases genuine sellers write for innocent reasons."""

CASE_INNOCENT: dict[str, tuple[str, ...]] = {
    "homage": ("Inspired by classic {noun} designs.", "Vintage-inspired design.",
               "Homage to a classic design, no logos."),
    "unbranded_generic": ("Same quality as big brands.", "Designer look for less."),
}  # fmt: skip
"""Case-specific innocent phrases, used for half of a case's risky phrases."""


# --- helpers ----------------------------------------------------------------------------------


def weighted_pool(
    rows: tuple[tuple[str, float, float, float], ...], column: int
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """(phrases, cumulative weights) of one weight column, phrases with weight 0 left out."""
    kept = [(row[0], float(row[1 + column])) for row in rows if row[1 + column] > 0]
    return tuple(p for p, _ in kept), tuple(accumulate(w for _, w in kept))


OPENING_POOLS = {g: weighted_pool(OPENINGS, i) for i, g in enumerate(GROUPS)}
LUXURY_OPENING_POOLS = {
    g: weighted_pool(OPENINGS + LUXURY_OPENINGS, i) for i, g in enumerate(GROUPS)
}
SHIPPING_POOLS = {
    g: weighted_pool(SHIPPING_NOTES, i) for i, g in enumerate(("near", "far", "private"))
}
RETURN_POOLS = {g: weighted_pool(RETURN_NOTES, i) for i, g in enumerate(GROUPS)}


def seller_group(seller_kind: str) -> str:
    """Phrase group of a seller kind: store, trade or private."""
    if seller_kind == "authorised_store":
        return "store"
    if seller_kind == "individual":
        return "private"
    return "trade"
