"""Feature transformers of listings: scikit-learn transformers, one concern per module.

Every transformer reads a pandas DataFrame with the canonical listing columns (missing optional
columns read as missing values) and also offers ``transform_record(record)`` for one listing given
as a mapping: the same features from the same fitted state and the same code, for the
single-listing scorer. A pipeline runs them in this order:

1. ``TextNormalizer`` adds ``title_norm``, ``description_norm``, ``title_deob`` (text);
2. ``BrandMentions`` adds ``detected_brand``, ``detected_product_type``, ``detected_term``,
   ``detected_line`` and the numeric brand columns;
3. ``RiskTerms``, ``PriceReference``, ``SellerRisk`` and ``ListingShape`` read those frames and
   return numeric arrays.

Examples
--------
>>> import pandas as pd
>>> from cfdetect.features import BrandMentions, PriceReference, TextNormalizer
>>> X = pd.DataFrame({"title": ["R0lex Submariner 41mm watch", "Rolex Datejust 36 watch"],
...                   "price": [120.0, 8200.0], "brand": ["", "Rolex"]})
>>> X = BrandMentions().fit_transform(TextNormalizer().fit_transform(X))
>>> X["detected_brand"].tolist(), X["brand_match_deobfuscated"].tolist()
(['Rolex', 'Rolex'], [1.0, 0.0])
>>> PriceReference().fit(X).transform(X)[:, 5].tolist()  # price_below_half
[1.0, 0.0]
"""

from cfdetect.features._brand import NUMERIC_FEATURES as BRAND_NUMERIC_FEATURES
from cfdetect.features._brand import STRING_FEATURES as BRAND_STRING_FEATURES
from cfdetect.features._brand import BrandMentions, Detection
from cfdetect.features._listing import FEATURES as LISTING_FEATURES
from cfdetect.features._listing import ListingShape, title_stats
from cfdetect.features._normalizer import TextNormalizer
from cfdetect.features._price import FEATURES as PRICE_FEATURES
from cfdetect.features._price import PriceReference
from cfdetect.features._seller import FEATURES as SELLER_FEATURES
from cfdetect.features._seller import SellerRisk
from cfdetect.features._terms import FAMILIES as TERM_FAMILIES
from cfdetect.features._terms import RiskTerms
from cfdetect.features._text import deobfuscate, normalize_text
from cfdetect.features._textscore import TextRiskScore

__all__ = [
    "BRAND_NUMERIC_FEATURES",
    "BRAND_STRING_FEATURES",
    "LISTING_FEATURES",
    "PRICE_FEATURES",
    "SELLER_FEATURES",
    "TERM_FAMILIES",
    "BrandMentions",
    "Detection",
    "ListingShape",
    "PriceReference",
    "RiskTerms",
    "SellerRisk",
    "TextNormalizer",
    "TextRiskScore",
    "deobfuscate",
    "normalize_text",
    "title_stats",
]
