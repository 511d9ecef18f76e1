"""Word lists of the brand matcher: ambiguous names, generic brands, product and category words.

All entries are normalised (``normalize_text``). They are defaults: ``BrandMentions`` takes its
own lists as parameters.
"""

from __future__ import annotations

from cfdetect.features import _multilingual

# Brand names and aliases that are ordinary words: they count only with evidence (capitalised in a
# title that is not all capitals / title case, next to a product word or line of the brand, the
# declared brand, or the listing category).
AMBIGUOUS_NAMES: tuple[str, ...] = (
    "apple", "coach", "guess", "vans", "puma", "fossil", "shark", "ring", "nest", "gap", "mango",
    "diesel", "converse", "champion", "supreme", "ninja", "crocs", "swatch", "on", "boss",
    "tommy", "docs", "orient", "mobil", "costa", "creed", "tiffany", "omega", "beats", "mann",
    "wagner", "quay", "tag", "mac", "fog", "freestyle", "ua", "hp", "lg", "rm", "nb", "dw", "ap",
    "rl", "mk", "ck", "dg", "the ordinary", "good hair day", "instant brands", "liverpool",
    "barcelona", "madrid", "boca", "serengeti", "fanatics", "logi", "new era", "barca",
    "marshall", "citizen", "canon", "pandora", "polo", "jordan",
)  # fmt: skip

# Declared brands that mean "no brand".
GENERIC_BRANDS: tuple[str, ...] = (
    "generic", "unbranded", "no brand", "nobrand", "non branded", "non-branded", "noname",
    "no name", "no-name", "oem", "odm", "none", "n/a", "na", "other", "others", "does not apply",
    "not applicable", "unknown", "-", "--", "brandless", "white label", "private label",
    "handmade", *_multilingual.GENERIC_BRANDS,
)  # fmt: skip

# Ordinary words one edit away from a brand name: never read as a misspelt brand.
FUZZY_STOPWORDS: tuple[str, ...] = (
    "channel", "channels", "carter", "carters", "cannon", "nixon", "phillips", "mantel",
    "lewis", "herpes", "prado", "guest", "apply", "basics", "watch", "watches", "song", "legs",
    "film", "file", "doll", "deli", "cross", "fends", "dion", "armand", "celina",
    "pandoro", "tony", "tyson", "espresso", "mobile", "beat", "boats", "hood", "levels",
    "lenses", "sonic", "colour", "color", "colors", "colours",
)  # fmt: skip

# Words before a brand that make it a compatibility mention ("case for iPhone").
COMPAT_BEFORE: frozenset[str] = frozenset(
    {"for", "fits", "fit", "compatible", "compatibility", "replacement", "replaces", "replace",
     "suits", "suitable", "designed"}
) | _multilingual.COMPAT_BEFORE  # fmt: skip
COMPAT_WITH_BEFORE: frozenset[str] = frozenset({"compatible", "works", "use", "pairs"})

# Nouns that, within a few words after a product line of an electronics or appliance brand, make
# the listing an accessory of that product ("MacBook Air SuperDrive", "iPhone 16 Pro Silicone
# Case", "Switch OLED Carrying Case"): its price is the accessory's, not the product's. Words that
# join a second item end the search ("iPhone 16 with case" is the phone). Left out on purpose:
# words that more often describe the product itself ("dual band", "fast charging", "battery
# life"), and every fashion or watch brand, where "case", "strap" and "band" are the product's
# own parts ("Oystersteel case", "leather strap").
ACCESSORY_NOUNS: frozenset[str] = frozenset(
    {"case", "cases", "cover", "covers", "sleeve", "skin", "skins", "protector", "protectors",
     "charger", "chargers", "adapter", "adapters", "cable", "cables", "cord", "stand", "dock",
     "mount", "holder", "superdrive", "cushions", "earpads", "replacement", "keyboard",
     "remote"}
)  # fmt: skip
ACCESSORY_CATEGORIES: frozenset[str] = frozenset({"electronics_accessories", "home_appliances"})
ACCESSORY_STOP: frozenset[str] = frozenset(
    {"with", "w", "and", "&", "+", "plus", "incl", "including", "includes", "in", "for"}
)

# Words that name a product type in a title, by registry product type; types not listed use the
# words of their own name (``spark_plugs`` -> spark, plugs, plug).
PRODUCT_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "handbag": ("bag", "bags", "handbag", "handbags", "purse", "tote", "satchel", "crossbody",
                "clutch", "shoulder", "hobo", "pochette"),
    "wallet": ("wallet", "wallets", "cardholder", "card holder", "coin purse"),
    "belt": ("belt", "belts", "buckle"),
    "scarf": ("scarf", "scarves", "shawl", "stole"),
    "sneakers": ("sneaker", "sneakers", "shoe", "shoes", "trainer", "trainers", "kicks",
                 "runners", "running"),
    "boots": ("boot", "boots"),
    "sandals": ("sandal", "sandals", "slides", "flip flops"),
    "slides": ("slides", "slide", "sandals"),
    "perfume": ("perfume", "parfum", "edp", "edt", "eau", "fragrance", "cologne", "toilette",
                "spray"),
    "lipstick": ("lipstick", "lip", "lips"),
    "earrings": ("earring", "earrings", "studs", "hoops"),
    "bracelet": ("bracelet", "bracelets", "bangle", "cuff"),
    "necklace": ("necklace", "pendant", "chain"),
    "ring": ("ring", "rings", "band"),
    "watch": ("watch", "watches", "wristwatch", "chronograph", "automatic", "diver"),
    "smartwatch": ("watch", "smartwatch", "smart watch"),
    "earbuds": ("earbuds", "earbud", "earphones", "headphones", "buds", "in ear"),
    "headphones": ("headphones", "headphone", "headset", "over ear"),
    "smartphone": ("phone", "smartphone", "mobile", "cellphone", "unlocked"),
    "phone_case": ("case", "cover", "bumper"),
    "cable": ("cable", "cord", "lightning", "usb"),
    "charger": ("charger", "adapter", "charging", "power adapter"),
    "sunglasses": ("sunglasses", "shades", "glasses", "aviator"),
    "eyeglass_frames": ("glasses", "frames", "eyeglasses", "optical"),
    "jersey": ("jersey", "kit", "shirt", "home", "away"),
    "t_shirt": ("tee", "tshirt", "t shirt", "shirt"),
    "polo_shirt": ("polo", "shirt"),
    "hoodie": ("hoodie", "sweatshirt", "hooded"),
    "cap": ("cap", "hat", "snapback", "fitted"),
    "beanie": ("beanie", "hat"),
    "tv": ("tv", "television", "oled", "qled"),
    "laptop": ("laptop", "notebook", "ultrabook"),
    "tablet": ("tablet",),
    "speaker": ("speaker", "speakers", "bluetooth"),
    "trading_cards": ("cards", "card", "booster", "tcg", "pack"),
    "building_set": ("set", "bricks", "building"),
    "plush": ("plush", "plushie", "stuffed", "soft toy"),
    "doll": ("doll", "dolls"),
    "vacuum": ("vacuum", "hoover", "cordless"),
    "hair_dryer": ("hair dryer", "dryer", "blow dryer"),
    "razor_blades": ("blades", "cartridges", "razor"),
    "motor_oil": ("oil", "engine oil", "synthetic"),
    "glucose_test_strips": ("test strips", "strips"),
    "coffee_capsules": ("capsules", "pods", "coffee"),
    "coffee_pods": ("pods", "k cups", "coffee"),
}  # fmt: skip

# Words of a listing's category text, by registry category.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "bags_luxury_fashion": ("bag", "bags", "handbag", "handbags", "purse", "purses", "wallet",
                            "wallets", "luxury", "designer", "luggage", "leather goods"),
    "watches": ("watch", "watches", "wristwatch", "wristwatches", "timepieces"),
    "sneakers_sportswear": ("sneaker", "sneakers", "shoe", "shoes", "trainers", "footwear",
                            "sportswear", "athletic", "running", "sport shoes"),
    "apparel": ("clothing", "apparel", "clothes", "shirt", "shirts", "tops", "hoodies",
                "jackets", "coats", "jeans", "dresses", "menswear", "womenswear", "t shirts"),
    "electronics_accessories": ("electronics", "electronic", "phone", "phones", "cell",
                                "mobile", "computer", "computers", "audio", "headphones",
                                "cables", "chargers", "tablets", "laptops", "cameras", "camera",
                                "gaming", "video games", "tv", "accessories electronics"),
    "fragrance_cosmetics": ("fragrance", "fragrances", "perfume", "perfumes", "cosmetics",
                            "beauty", "makeup", "make up", "skincare", "skin care", "cologne"),
    "jewelry": ("jewelry", "jewellery", "jewels", "necklaces", "bracelets", "earrings",
                "fine jewelry"),
    "eyewear": ("eyewear", "sunglasses", "eyeglasses", "glasses", "optical"),
    "toys": ("toy", "toys", "games", "collectibles", "dolls", "hobbies", "puzzles", "lego"),
    "sports_jerseys": ("jersey", "jerseys", "fan shop", "fanshop", "sports memorabilia",
                       "team sports", "football shirts"),
    "auto_parts": ("auto", "automotive", "car parts", "vehicle", "motors", "motorcycle",
                   "car accessories", "auto parts"),
    "home_appliances": ("appliance", "appliances", "home", "kitchen", "household", "vacuums",
                        "vacuum cleaners", "small appliances"),
    "medical_devices": ("medical", "health", "healthcare", "diabetes", "pharmacy",
                        "medical devices", "health care"),
    "pharmaceuticals": ("pharmaceuticals", "medicine", "medicines", "medication", "drugs",
                        "pharmacy", "otc", "over the counter", "prescription"),
    "skincare_haircare": ("skincare", "skin care", "haircare", "hair care", "sunscreen",
                          "beauty", "serums"),
    "phone_accessories": ("phone accessories", "cell phone accessories", "mobile accessories",
                          "screen protectors", "power banks", "phone cases"),
    "batteries_power": ("batteries", "battery", "power stations", "solar", "household batteries"),
    "tobacco_vaping": ("vape", "vapes", "vaping", "e cigarettes", "tobacco", "smoking",
                       "nicotine"),
    "power_tools": ("tools", "power tools", "hand tools", "tools diy", "tools workshop"),
    "golf_equipment": ("golf", "golf clubs", "golf balls", "golf equipment"),
    "bicycle_parts": ("cycling", "bicycle", "bicycles", "bike", "bike parts", "bicycle parts"),
    "software_licenses": ("software", "licenses", "licences", "antivirus", "digital software"),
    "kitchen_drinkware": ("drinkware", "kitchen", "cookware", "tumblers", "water bottles",
                          "kitchen dining", "knives"),
    "baby_products": ("baby", "babies", "infant", "nursery", "baby formula", "strollers",
                      "diapers"),
    "pet_products": ("pet", "pets", "pet supplies", "dog", "dogs", "cat", "cats", "flea"),
}  # fmt: skip
