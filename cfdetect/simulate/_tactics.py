"""Who sells what, and how: seller kinds, counterfeit tactics and hard genuine cases.

Each table row is a plain parameter set; ``docs/simulator.md`` gives the real-world rationale of
every tactic and case. Price multiples are relative to the item's retail price, which is drawn
from the registry range of its (brand, product type).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SellerKind:
    """Parameters of one kind of seller.

    Attributes
    ----------
    name : str
        Value of the ``seller_kind`` column.
    age_days : (float, float)
        Account age at the start of the simulation (log-uniform).
    prior_listings : (float, float)
        Listings made before the start (log-uniform).
    prior_takedowns : float
        Mean of the Poisson number of takedowns before the start.
    rating : (float, float)
        Mean rating of the ratings received before the start.
    ratings_per_listing : (float, float)
        Ratings received per earlier listing.
    hidden_share : float
        Share of sellers whose history the marketplace export leaves empty.
    ships_from : tuple of (str, float)
        Countries the seller ships from, with weights.
    listings_per_seller : float
        Mean listings per seller over the simulated span; sets how many sellers there are.
    any_category_share : float
        Share of sellers not tied to one category.
    sells_fakes_share : float
        Share of otherwise genuine sellers who also list fakes now and then.
    return_rate : float
        Share of sales returned before the start (prior history).
    brand_spread : float
        Distinct brands listed before the start, per square root of earlier listings.
    price_level : float
        Typical price against the category's reference (for the prior 90-day GMV).
    """

    name: str
    age_days: tuple[float, float]
    prior_listings: tuple[float, float]
    prior_takedowns: float
    rating: tuple[float, float]
    ratings_per_listing: tuple[float, float]
    hidden_share: float
    ships_from: tuple[tuple[str, float], ...]
    listings_per_seller: float
    any_category_share: float = 0.2
    sells_fakes_share: float = 0.0
    return_rate: float = 0.04
    brand_spread: float = 1.0
    price_level: float = 1.0


SELLER_KINDS: tuple[SellerKind, ...] = (
    SellerKind(
        "authorised_store",
        age_days=(900, 6000),
        prior_listings=(300, 20000),
        prior_takedowns=0.0,
        rating=(4.6, 4.95),
        ratings_per_listing=(0.3, 0.8),
        hidden_share=0.30,
        listings_per_seller=200,
        any_category_share=0.0,
        brand_spread=0.05,
        ships_from=(("US", 85), ("GB", 5), ("DE", 4), ("JP", 3), ("FR", 3)),
    ),
    SellerKind(
        "established_reseller",
        age_days=(600, 5000),
        prior_listings=(200, 10000),
        prior_takedowns=0.3,
        rating=(4.5, 4.95),
        ratings_per_listing=(0.3, 0.7),
        hidden_share=0.15,
        listings_per_seller=60,
        any_category_share=0.3,
        sells_fakes_share=0.04,
        price_level=0.9,
        ships_from=(("US", 75), ("GB", 7), ("DE", 5), ("JP", 5), ("IT", 4), ("FR", 4)),
    ),
    SellerKind(
        "small_shop",
        age_days=(60, 3000),
        prior_listings=(10, 800),
        prior_takedowns=0.15,
        rating=(4.1, 4.95),
        ratings_per_listing=(0.2, 0.6),
        hidden_share=0.10,
        listings_per_seller=20,
        any_category_share=0.2,
        sells_fakes_share=0.12,
        price_level=0.8,
        ships_from=(
            ("US", 62),
            ("CN", 12),
            ("GB", 6),
            ("DE", 5),
            ("HK", 4),
            ("CA", 4),
            ("JP", 3),
            ("IT", 2),
            ("KR", 2),
        ),
    ),
    SellerKind(
        "individual",
        age_days=(1, 4000),
        prior_listings=(1, 60),
        prior_takedowns=0.03,
        rating=(3.9, 5.0),
        ratings_per_listing=(0.3, 0.9),
        hidden_share=0.05,
        listings_per_seller=2.5,
        any_category_share=1.0,
        sells_fakes_share=0.06,
        price_level=0.5,
        ships_from=(("US", 80), ("CA", 6), ("GB", 6), ("DE", 4), ("AU", 4)),
    ),
    SellerKind(
        "accessory_maker",
        age_days=(100, 3000),
        prior_listings=(50, 3000),
        prior_takedowns=0.3,
        rating=(4.0, 4.8),
        ratings_per_listing=(0.2, 0.6),
        hidden_share=0.10,
        listings_per_seller=25,
        any_category_share=0.1,
        return_rate=0.06,
        brand_spread=0.1,
        price_level=0.02,
        ships_from=(("CN", 55), ("US", 30), ("HK", 8), ("TW", 4), ("DE", 3)),
    ),
    SellerKind(
        "unbranded_merchant",
        age_days=(100, 3000),
        prior_listings=(50, 3000),
        prior_takedowns=0.2,
        rating=(3.9, 4.8),
        ratings_per_listing=(0.2, 0.6),
        hidden_share=0.10,
        listings_per_seller=25,
        any_category_share=0.5,
        return_rate=0.07,
        brand_spread=0.1,
        price_level=0.02,
        ships_from=(("CN", 60), ("US", 25), ("HK", 5), ("IN", 5), ("VN", 5)),
    ),
    SellerKind(
        "casual_counterfeiter",
        age_days=(5, 1500),
        prior_listings=(1, 200),
        prior_takedowns=0.5,
        rating=(4.2, 4.9),
        ratings_per_listing=(0.2, 0.6),
        hidden_share=0.03,
        listings_per_seller=8,
        any_category_share=0.4,
        return_rate=0.2,
        brand_spread=1.2,
        price_level=0.15,
        ships_from=(
            ("CN", 42),
            ("US", 25),
            ("HK", 12),
            ("TR", 8),
            ("TH", 4),
            ("VN", 4),
            ("GB", 3),
            ("MY", 2),
        ),
    ),
    SellerKind(
        "counterfeit_network",
        age_days=(3, 120),
        prior_listings=(1, 30),
        prior_takedowns=0.1,
        rating=(4.3, 4.9),
        ratings_per_listing=(0.2, 0.5),
        hidden_share=0.03,
        listings_per_seller=12,
        any_category_share=1.0,
        return_rate=0.2,
        brand_spread=1.2,
        price_level=0.12,
        ships_from=(("CN", 60), ("HK", 15), ("US", 15), ("TR", 5), ("SG", 5)),
    ),
    SellerKind(
        "superfake_seller",
        age_days=(300, 3000),
        prior_listings=(50, 2000),
        prior_takedowns=0.3,
        rating=(4.5, 4.95),
        ratings_per_listing=(0.3, 0.7),
        hidden_share=0.03,
        listings_per_seller=15,
        any_category_share=0.5,
        return_rate=0.05,
        brand_spread=0.8,
        price_level=0.55,
        ships_from=(("CN", 35), ("HK", 20), ("US", 30), ("GB", 8), ("IT", 7)),
    ),
)
KIND_INDEX: dict[str, int] = {k.name: i for i, k in enumerate(SELLER_KINDS)}
COUNTERFEIT_KINDS: frozenset[str] = frozenset(
    {"casual_counterfeiter", "counterfeit_network", "superfake_seller"}
)


@dataclass(frozen=True)
class ListingRecipe:
    """How one tactic or genuine case makes listings.

    Attributes
    ----------
    name : str
        Value of the ``tactic`` (counterfeits) or ``case`` (genuine) column.
    weight : (float, float)
        Relative frequency at the first and at the last drift phase (linear in between).
    intro : float
        Drift phase (0 = first period, 1 = last) from which the recipe is used.
    price : (float, float)
        Price as a multiple of the item's retail price (log-uniform).
    kinds : tuple of (str, float)
        Seller kinds that use it, with weights.
    quantity : (float, float)
        Units offered (log-uniform, rounded).
    images : (int, int)
        Photo count range.
    return_prob : float
        Chance that a sale is returned.
    report_prob : float
        Chance that a rights holder reports a live listing (scaled by brand registration).
    condition : str
        Usual condition.
    """

    name: str
    weight: tuple[float, float]
    intro: float
    price: tuple[float, float]
    kinds: tuple[tuple[str, float], ...]
    quantity: tuple[float, float] = (1, 10)
    images: tuple[int, int] = (3, 9)
    return_prob: float = 0.04
    report_prob: float = 0.0
    condition: str = "new"


_CASUAL = "casual_counterfeiter"
_NETWORK = "counterfeit_network"

TACTICS: tuple[ListingRecipe, ...] = (
    ListingRecipe(
        "explicit_replica", weight=(0.18, 0.03), intro=0.0, price=(0.04, 0.22),
        kinds=((_CASUAL, 80), ("individual", 10), ("small_shop", 10)), quantity=(1, 8),
        images=(1, 7), return_prob=0.05, report_prob=0.9,
    ),
    ListingRecipe(
        "community_slang", weight=(0.16, 0.05), intro=0.0, price=(0.06, 0.32),
        kinds=((_CASUAL, 70), (_NETWORK, 30)), quantity=(1, 20), images=(2, 9),
        return_prob=0.06, report_prob=0.8,
    ),
    ListingRecipe(
        "euphemism", weight=(0.10, 0.04), intro=0.0, price=(0.04, 0.25),
        kinds=((_CASUAL, 60), ("small_shop", 20), (_NETWORK, 20)), quantity=(1, 15),
        images=(2, 8), return_prob=0.08, report_prob=0.6,
    ),
    ListingRecipe(
        "brand_obfuscation", weight=(0.11, 0.08), intro=0.0, price=(0.05, 0.3),
        kinds=((_CASUAL, 50), (_NETWORK, 50)), quantity=(1, 30), images=(2, 8),
        return_prob=0.1, report_prob=0.7,
    ),
    ListingRecipe(
        "brand_omitted", weight=(0.07, 0.14), intro=0.0, price=(0.05, 0.4),
        kinds=((_CASUAL, 40), (_NETWORK, 30), ("superfake_seller", 20), ("small_shop", 10)),
        quantity=(1, 20), images=(3, 10), return_prob=0.12, report_prob=0.5,
    ),
    ListingRecipe(
        "bulk_wholesale", weight=(0.06, 0.04), intro=0.0, price=(0.015, 0.1),
        kinds=((_NETWORK, 70), (_CASUAL, 30)), quantity=(20, 1000), images=(1, 6),
        return_prob=0.1, report_prob=0.8,
    ),
    ListingRecipe(
        "superfake", weight=(0.07, 0.16), intro=0.0, price=(0.4, 0.7),
        kinds=(("superfake_seller", 90), ("small_shop", 10)), quantity=(1, 3), images=(6, 12),
        return_prob=0.08, report_prob=0.35,
    ),
    ListingRecipe(
        "implausible_bundle", weight=(0.05, 0.03), intro=0.0, price=(0.02, 0.15),
        kinds=((_CASUAL, 60), (_NETWORK, 40)), quantity=(1, 50), images=(1, 6),
        return_prob=0.2, report_prob=0.6,
    ),
    ListingRecipe(
        "burst_new_accounts", weight=(0.05, 0.08), intro=0.0, price=(0.05, 0.28),
        kinds=((_NETWORK, 100),), quantity=(5, 100), images=(2, 7), return_prob=0.15,
        report_prob=0.7,
    ),
    ListingRecipe(
        "network_template", weight=(0.11, 0.11), intro=0.0, price=(0.06, 0.32),
        kinds=((_NETWORK, 100),), quantity=(5, 200), images=(3, 9), return_prob=0.12,
        report_prob=0.7,
    ),
    ListingRecipe(
        "homoglyph_obfuscation", weight=(0.0, 0.10), intro=0.3, price=(0.05, 0.3),
        kinds=((_NETWORK, 60), (_CASUAL, 40)), quantity=(1, 50), images=(2, 8),
        return_prob=0.1, report_prob=0.5,
    ),
    ListingRecipe(
        "listing_copy", weight=(0.04, 0.18), intro=0.0, price=(0.35, 0.85),
        kinds=(("small_shop", 35), ("superfake_seller", 25), ("individual", 20),
               ("established_reseller", 20)),
        quantity=(1, 12), images=(3, 10), return_prob=0.1, report_prob=0.35,
    ),
    ListingRecipe(
        "offplatform_contact", weight=(0.0, 0.08), intro=0.6, price=(0.05, 0.35),
        kinds=((_CASUAL, 50), (_NETWORK, 50)), quantity=(1, 20), images=(1, 6),
        return_prob=0.15, report_prob=0.45,
    ),
    # --- issue 18: sellers and thin counterfeit kinds ---
    ListingRecipe(
        "custom_logo_wholesale", weight=(0.025, 0.03), intro=0.0, price=(0.01, 0.06),
        kinds=((_NETWORK, 50), ("unbranded_merchant", 30), (_CASUAL, 20)), quantity=(50, 2000),
        images=(2, 8), return_prob=0.08, report_prob=0.5,
    ),
    ListingRecipe(
        "hijacked_account", weight=(0.03, 0.05), intro=0.0, price=(0.12, 0.45),
        kinds=((_CASUAL, 100),), quantity=(1, 10), images=(2, 6), return_prob=0.2,
        report_prob=0.55,
    ),
    ListingRecipe(
        "aged_clean_title", weight=(0.04, 0.07), intro=0.0, price=(0.3, 0.7),
        kinds=(("superfake_seller", 100),), quantity=(1, 8), images=(4, 11), return_prob=0.1,
        report_prob=0.3,
    ),
    ListingRecipe(
        "jersey_player_version", weight=(0.03, 0.03), intro=0.0, price=(0.12, 0.35),
        kinds=((_CASUAL, 50), (_NETWORK, 40), ("small_shop", 10)), quantity=(1, 30),
        images=(2, 9), return_prob=0.1, report_prob=0.5,
    ),
    ListingRecipe(
        "beauty_discount", weight=(0.04, 0.05), intro=0.0, price=(0.45, 0.8),
        kinds=(("small_shop", 40), (_CASUAL, 30), ("individual", 20), (_NETWORK, 10)),
        quantity=(1, 20), images=(2, 8), return_prob=0.12, report_prob=0.3,
    ),
    ListingRecipe(
        "dupe_listing", weight=(0.03, 0.05), intro=0.0, price=(0.08, 0.4),
        kinds=(("small_shop", 40), (_CASUAL, 40), (_NETWORK, 20)), quantity=(1, 50),
        images=(3, 9), return_prob=0.08, report_prob=0.4,
    ),
    ListingRecipe(
        "electronics_clean", weight=(0.04, 0.06), intro=0.0, price=(0.1, 0.45),
        kinds=((_NETWORK, 40), (_CASUAL, 30), ("small_shop", 30)), quantity=(1, 40),
        images=(3, 9), return_prob=0.18, report_prob=0.4,
    ),
)  # fmt: skip
"""Counterfeit tactics. ``report_prob`` is for a registered brand (unregistered: 45% of it)."""

_RETAIL = (
    ("authorised_store", 25), ("established_reseller", 35), ("small_shop", 30), ("individual", 10)
)  # fmt: skip

CASES: tuple[ListingRecipe, ...] = (
    ListingRecipe(
        "regular", weight=(0.55, 0.55), intro=0.0, price=(0.92, 1.06), kinds=_RETAIL,
        quantity=(1, 40), images=(3, 10), return_prob=0.05,
    ),
    ListingRecipe(
        "used_authentic", weight=(0.10, 0.10), intro=0.0, price=(0.3, 0.6),
        kinds=(("individual", 60), ("established_reseller", 30), ("small_shop", 10)),
        quantity=(1, 1), images=(2, 10), return_prob=0.08, condition="used",
    ),
    ListingRecipe(
        "outlet_clearance", weight=(0.05, 0.05), intro=0.0, price=(0.4, 0.75),
        kinds=(("authorised_store", 30), ("established_reseller", 40), ("small_shop", 30)),
        quantity=(2, 60), images=(3, 8), return_prob=0.06,
    ),
    ListingRecipe(
        "compatible_accessory", weight=(0.08, 0.10), intro=0.0, price=(0.01, 0.4),
        kinds=(("accessory_maker", 80), ("small_shop", 20)), quantity=(5, 500), images=(3, 9),
        return_prob=0.1,
    ),
    ListingRecipe(
        "legal_replica_word", weight=(0.012, 0.012), intro=0.0, price=(0.9, 1.05),
        kinds=(("established_reseller", 60), ("small_shop", 40)), quantity=(1, 30),
        images=(3, 8), return_prob=0.04,
    ),
    ListingRecipe(
        "homage", weight=(0.03, 0.03), intro=0.0, price=(0.5, 1.8),
        kinds=(("unbranded_merchant", 70), ("small_shop", 30)), quantity=(5, 300),
        images=(3, 9), return_prob=0.1,
    ),
    ListingRecipe(
        "refurbished", weight=(0.04, 0.04), intro=0.0, price=(0.5, 0.85),
        kinds=(("established_reseller", 60), ("small_shop", 40)), quantity=(1, 25),
        images=(3, 8), return_prob=0.1, condition="refurbished",
    ),
    ListingRecipe(
        "new_genuine_seller", weight=(0.04, 0.10), intro=0.0, price=(0.85, 1.05),
        kinds=(("small_shop", 50), ("individual", 50)), quantity=(1, 5), images=(2, 8),
        return_prob=0.05,
    ),
    ListingRecipe(
        "parallel_import", weight=(0.03, 0.03), intro=0.0, price=(0.7, 0.95),
        kinds=(("small_shop", 60), ("established_reseller", 40)), quantity=(1, 20),
        images=(3, 9), return_prob=0.07,
    ),
    ListingRecipe(
        "long_tail_brand", weight=(0.12, 0.12), intro=0.0, price=(0.6, 1.6),
        kinds=(("established_reseller", 35), ("small_shop", 35), ("authorised_store", 15),
               ("individual", 15)),
        quantity=(1, 30), images=(2, 9), return_prob=0.06,
    ),
    ListingRecipe(
        "first_party_budget", weight=(0.06, 0.06), intro=0.0, price=(0.03, 0.35),
        kinds=(("authorised_store", 35), ("established_reseller", 40), ("small_shop", 25)),
        quantity=(1, 40), images=(2, 8), return_prob=0.05,
    ),
    ListingRecipe(
        "authenticity_claims", weight=(0.03, 0.05), intro=0.0, price=(0.8, 1.6),
        kinds=(("individual", 45), ("small_shop", 35), ("established_reseller", 20)),
        quantity=(1, 2), images=(4, 12), return_prob=0.05,
    ),
    ListingRecipe(
        "unbranded_generic", weight=(0.06, 0.09), intro=0.0, price=(0.5, 1.8),
        kinds=(("unbranded_merchant", 80), ("small_shop", 15), (_CASUAL, 5)),
        quantity=(5, 500), images=(2, 9), return_prob=0.1,
    ),
    # --- issue 18: resale prices, genuine formats, sellers ---
    ListingRecipe(
        "genuine_format", weight=(0.05, 0.05), intro=0.0, price=(1.0, 1.0),
        kinds=(("small_shop", 35), ("established_reseller", 30), ("individual", 25),
               ("authorised_store", 10)),
        quantity=(1, 20), images=(2, 8), return_prob=0.05,
    ),
    ListingRecipe(
        "closet_clearout", weight=(0.03, 0.04), intro=0.0, price=(1.0, 1.0),
        kinds=(("individual", 100),), quantity=(1, 1), images=(1, 8), return_prob=0.06,
        condition="used",
    ),
    ListingRecipe(
        "misspelled_genuine", weight=(0.02, 0.02), intro=0.0, price=(0.7, 1.02),
        kinds=(("individual", 60), ("small_shop", 40)), quantity=(1, 5), images=(1, 8),
        return_prob=0.05,
    ),
    ListingRecipe(
        "blank_wholesale", weight=(0.02, 0.025), intro=0.0, price=(0.6, 1.6),
        kinds=(("unbranded_merchant", 90), ("small_shop", 10)), quantity=(50, 5000),
        images=(2, 9), return_prob=0.06,
    ),
)  # fmt: skip
"""Genuine listings; every case but ``regular`` is a hard one (looks risky, is not)."""

TACTIC_NAMES: tuple[str, ...] = tuple(t.name for t in TACTICS)
CASE_NAMES: tuple[str, ...] = tuple(c.name for c in CASES)
RECIPES: dict[str, ListingRecipe] = {r.name: r for r in TACTICS + CASES}
"""Every tactic and case by name."""
