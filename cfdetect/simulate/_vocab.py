"""Words the simulated listings are made of: per-category attributes and shared phrase lists.

A ``CategoryProfile`` says what a listing of one registry category talks about (sizes, materials,
colours, the shape of its model numbers, the accessories made for it, the unbranded look-alikes
sold beside it). Unknown categories get ``GENERIC_PROFILE``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

COLOURS: tuple[str, ...] = (
    "Black", "White", "Red", "Navy", "Beige", "Brown", "Grey", "Silver", "Gold", "Rose Gold",
    "Pink", "Green", "Blue", "Cream", "Tan", "Olive", "Burgundy", "Multicolor",
)  # fmt: skip


@dataclass(frozen=True)
class CategoryProfile:
    """What listings of one category mention.

    Attributes
    ----------
    attributes : tuple of str
        Sizes, materials and specifications, one short phrase each.
    colours : tuple of str
        Colours and finishes.
    code_style : str
        Shape of model numbers (see ``_titles.model_code``); empty when the category has none.
    accessories : tuple of str
        Third-party accessories sold "for" or "compatible with" a branded product.
    lookalikes : tuple of str
        Unbranded products and homages (no trademark), as full noun phrases.
    features : tuple of str
        Feature phrases for descriptions.
    generic_price_usd : float
        Typical price of an unbranded product of the category.
    """

    attributes: tuple[str, ...]
    colours: tuple[str, ...] = COLOURS
    code_style: str = ""
    accessories: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    generic_price_usd: float = 25.0


PROFILES: dict[str, CategoryProfile] = {
    "bags_luxury_fashion": CategoryProfile(
        attributes=(
            "PM",
            "MM",
            "GM",
            "Small",
            "Medium",
            "Large",
            "Mini",
            "25",
            "30",
            "35",
            "Monogram Canvas",
            "Calfskin",
            "Caviar Leather",
            "Lambskin",
            "Saffiano Leather",
            "Epi Leather",
            "Quilted Leather",
            "Gold Hardware",
        ),
        colours=("Black", "Beige", "Brown", "Tan", "Red", "Cream", "Pink", "Navy", "Ebene"),
        code_style="sku",
        accessories=(
            "Purse Organizer Insert",
            "Replacement Crossbody Strap",
            "Bag Charm",
            "Base Shaper",
            "Handle Wrap",
        ),
        lookalikes=(
            "Women's Quilted Chain Shoulder Bag",
            "Leather Tote Bag with Zip",
            "Classic Top Handle Satchel",
            "Crossbody Purse with Chain Strap",
            "Canvas Weekender Bag",
            "Minimalist Leather Wallet",
        ),
        features=(
            "genuine leather",
            "microfibre lining",
            "interior zip pocket",
            "dust bag",
            "adjustable strap",
            "date code inside",
        ),
        generic_price_usd=35.0,
    ),
    "watches": CategoryProfile(
        attributes=(
            "36mm",
            "40mm",
            "41mm",
            "42mm",
            "44mm",
            "Stainless Steel",
            "Oystersteel",
            "Two-Tone",
            "18k Gold",
            "Ceramic Bezel",
            "Sapphire Crystal",
            "Leather Strap",
            "Automatic",
            "Chronograph",
            "Date",
            "GMT",
        ),
        colours=(
            "Black Dial",
            "Blue Dial",
            "Green Dial",
            "White Dial",
            "Silver Dial",
            "Champagne Dial",
            "Grey Dial",
        ),
        code_style="watch_ref",
        accessories=(
            "Watch Band",
            "Replacement Strap 20mm",
            "Rubber Strap",
            "Watch Winder",
            "Bezel Protector",
            "Charging Cable",
            "Screen Protector",
        ),
        lookalikes=(
            "Automatic Dive Watch 40mm Homage",
            "Vintage-Inspired Chronograph Watch",
            "Field Watch 38mm Sapphire",
            "Pilot Watch Automatic 42mm",
            "GMT Homage Watch Ceramic Bezel",
            "Minimalist Quartz Watch",
        ),
        features=(
            "sapphire crystal",
            "screw-down crown",
            "water resistant to 100m",
            "automatic movement",
            "box and papers",
            "stainless steel bracelet",
        ),
        generic_price_usd=45.0,
    ),
    "sneakers_sportswear": CategoryProfile(
        attributes=(
            "US 7",
            "US 8",
            "US 8.5",
            "US 9",
            "US 9.5",
            "US 10",
            "US 10.5",
            "US 11",
            "US 12",
            "EU 40",
            "EU 42",
            "EU 43",
            "EU 44",
            "Men's 10",
            "Women's 8",
            "Retro High",
            "Low",
            "Mid",
            "OG",
        ),
        colours=(
            "Chicago",
            "Panda",
            "Triple Black",
            "White/Black",
            "University Blue",
            "Bred",
            "Triple White",
            "Grey Fog",
            "Mocha",
        ),
        code_style="style_code",
        accessories=(
            "Replacement Laces",
            "Sneaker Cleaning Kit",
            "Sole Protectors",
            "Crease Guards",
            "Insoles",
        ),
        lookalikes=(
            "Men's Running Shoes Breathable Mesh",
            "Women's Platform Sneakers",
            "Classic Low Top Canvas Sneakers",
            "Basketball Shoes High Top",
            "Retro Court Sneakers Leather",
        ),
        features=("rubber outsole", "foam midsole", "original box", "extra laces", "leather upper"),
        generic_price_usd=40.0,
    ),
    "apparel": CategoryProfile(
        attributes=(
            "S",
            "M",
            "L",
            "XL",
            "XXL",
            "Size 8",
            "Size 10",
            "Slim Fit",
            "Oversized",
            "100% Cotton",
            "Cashmere",
            "Wool Blend",
            "Down Filled",
            "Hooded",
        ),
        code_style="sku",
        accessories=("Replacement Fur Trim", "Garment Bag", "Zipper Pulls"),
        lookalikes=(
            "Men's Pullover Hoodie Fleece",
            "Women's Quilted Puffer Jacket",
            "Classic Polo Shirt Cotton Pique",
            "Cable Knit Sweater",
            "Oversized Graphic T-Shirt",
        ),
        features=(
            "machine washable",
            "regular fit",
            "ribbed cuffs",
            "embroidered logo",
            "tags attached",
        ),
        generic_price_usd=22.0,
    ),
    "electronics_accessories": CategoryProfile(
        attributes=(
            "Wireless",
            "Bluetooth",
            "Noise Cancelling",
            "USB-C",
            "Fast Charging",
            "4K",
            "Portable",
            "True Wireless",
            "Over-Ear",
            "64GB",
            "128GB",
            "256GB",
            "20W",
            "65W",
            "Dual Band",
            "1080p",
        ),
        colours=("Black", "White", "Silver", "Space Gray", "Midnight", "Blue", "Black Finish"),
        code_style="electronics",
        accessories=(
            "Charger",
            "USB-C Cable",
            "Protective Case",
            "Charging Dock",
            "Replacement Battery",
            "Carrying Case",
            "Stand",
            "Skin Decal",
        ),
        lookalikes=(
            "Wireless Earbuds Bluetooth 5.3",
            "Fast Charger 20W USB-C",
            "Portable Power Bank 10000mAh",
            "Bluetooth Speaker Waterproof",
            "HDMI Cable 6ft",
            "Wireless Mouse Ergonomic",
        ),
        features=(
            "1-year manufacturer warranty",
            "USB-C charging",
            "up to 30 hours battery",
            "Bluetooth 5.3",
            "includes cable",
            "factory sealed",
        ),
        generic_price_usd=20.0,
    ),
    "fragrance_cosmetics": CategoryProfile(
        attributes=(
            "30ml",
            "50ml",
            "100ml",
            "1.7 oz",
            "3.4 oz",
            "Eau de Parfum",
            "Eau de Toilette",
            "EDP",
            "EDT",
            "Parfum",
            "Travel Size",
            "Gift Set",
        ),
        colours=("Rouge", "Nude", "Coral", "Berry", "Classic", "Intense"),
        code_style="",
        accessories=(
            "Refillable Travel Atomizer",
            "Perfume Decant Bottle",
            "Makeup Brush Set",
            "Lipstick Organizer",
        ),
        lookalikes=(
            "Eau de Parfum Spray 100ml Floral",
            "Long Lasting Matte Lipstick Set",
            "Oud Perfume Oil 12ml",
            "Body Mist 250ml",
            "Vanilla Eau de Toilette",
        ),
        features=(
            "sealed box",
            "batch code on box",
            "long lasting",
            "floral woody notes",
            "full bottle",
        ),
        generic_price_usd=18.0,
    ),
    "jewelry": CategoryProfile(
        attributes=(
            "18k Yellow Gold",
            "Sterling Silver",
            "Rose Gold",
            "White Gold",
            "Platinum",
            "Diamond",
            "Size 6",
            "Size 7",
            "16cm",
            "17cm",
            "18 inch",
            "Pave",
        ),
        colours=("Gold", "Silver", "Rose Gold", "White Gold"),
        code_style="sku",
        accessories=(
            "Compatible Charm",
            "Jewelry Travel Case",
            "Ring Sizer",
            "Polishing Cloth",
            "Bracelet Extender",
        ),
        lookalikes=(
            "Love Screw Bangle Bracelet Stainless Steel",
            "Four Leaf Clover Necklace",
            "Tennis Bracelet Cubic Zirconia",
            "Gold Hoop Earrings",
            "Charm Bracelet Sterling Silver",
        ),
        features=("hallmarked", "original pouch", "certificate", "solid gold", "adjustable clasp"),
        generic_price_usd=20.0,
    ),
    "eyewear": CategoryProfile(
        attributes=(
            "50mm",
            "52mm",
            "54mm",
            "58mm",
            "Polarized",
            "Gradient",
            "Mirrored",
            "Acetate",
            "Metal Frame",
            "Aviator",
            "Wayfarer",
            "Round",
        ),
        colours=("Black", "Tortoise", "Gold", "Silver", "Havana", "Green Lens", "Brown Lens"),
        code_style="eyewear",
        accessories=(
            "Replacement Lenses",
            "Hard Case",
            "Nose Pads",
            "Lens Cleaning Kit",
            "Sunglasses Strap",
        ),
        lookalikes=(
            "Polarized Aviator Sunglasses",
            "Classic Square Sunglasses UV400",
            "Round Retro Sunglasses",
            "Blue Light Glasses",
        ),
        features=(
            "UV400 protection",
            "original case",
            "polarized lenses",
            "spring hinges",
            "cleaning cloth",
        ),
        generic_price_usd=15.0,
    ),
    "toys": CategoryProfile(
        attributes=(
            "Ages 6+",
            "8+",
            "500 Pieces",
            "1,200 Pieces",
            "Collector Edition",
            "Limited Edition",
            "Gift Set",
            "Starter Pack",
        ),
        colours=("Multicolor", "Red", "Blue", "Yellow"),
        code_style="set_number",
        accessories=(
            "LED Light Kit",
            "Display Case",
            "Storage Box",
            "Baseplate Compatible Building Bricks",
        ),
        lookalikes=(
            "Building Blocks Set 1000 Pieces",
            "Plush Toy 30cm",
            "RC Car 1:16 Scale",
            "Action Figure 6 inch",
            "Wooden Puzzle Set",
        ),
        features=(
            "all pieces included",
            "sealed box",
            "instructions included",
            "for ages 8 and up",
        ),
        generic_price_usd=20.0,
    ),
    "sports_jerseys": CategoryProfile(
        attributes=(
            "Home",
            "Away",
            "Third",
            "2024/25",
            "2025/26",
            "23/24",
            "S",
            "M",
            "L",
            "XL",
            "XXL",
            "Youth L",
            "Custom Name",
        ),
        colours=("Home White", "Away Blue", "Black", "Red", "Navy"),
        code_style="",
        accessories=("Jersey Display Case", "Jersey Frame", "Name and Number Printing Kit"),
        lookalikes=(
            "Blank Soccer Jersey Team Set",
            "Training Shirt Quick Dry",
            "Custom Name Number Jersey",
            "Retro Style Football Shirt",
        ),
        features=(
            "breathable fabric",
            "crest embroidered",
            "tags attached",
            "official licensed product",
        ),
        generic_price_usd=25.0,
    ),
    "auto_parts": CategoryProfile(
        attributes=(
            "Front",
            "Rear",
            "Set of 4",
            "Pair",
            "OEM",
            "Ceramic",
            "LED",
            "fits 2015-2020",
            "fits 2018-2023",
            "Left Side",
            "Right Side",
        ),
        colours=("Black", "Chrome", "Silver"),
        code_style="oem",
        accessories=(
            "Brake Pads",
            "Oil Filter",
            "Floor Mats",
            "Wiper Blades",
            "Cabin Air Filter",
            "Key Fob Cover",
            "Spark Plugs",
        ),
        lookalikes=(
            "Universal Car Phone Mount",
            "LED Headlight Bulbs H11",
            "Car Seat Covers",
            "Ceramic Brake Pads Front Set",
            "Performance Air Filter",
        ),
        features=(
            "direct fit",
            "OE quality",
            "includes hardware",
            "1-year warranty",
            "check fitment before ordering",
        ),
        generic_price_usd=30.0,
    ),
    "home_appliances": CategoryProfile(
        attributes=(
            "1200W",
            "1.7L",
            "12-Cup",
            "6 Qt",
            "Cordless",
            "Stainless Steel",
            "Programmable",
            "HEPA",
            "Smart",
            "Countertop",
            "Bagless",
        ),
        colours=("Black", "Stainless Steel", "White", "Silver", "Red", "Bisque"),
        code_style="electronics",
        accessories=(
            "Replacement Filter",
            "Vacuum Bags",
            "Replacement Brush Roll",
            "Water Filter",
            "Reusable Coffee Pods",
            "Replacement Battery",
        ),
        lookalikes=(
            "Cordless Stick Vacuum 25kPa",
            "Electric Kettle 1.7L",
            "Air Fryer 5.8 Qt",
            "Hair Dryer Ionic 1875W",
            "Espresso Machine 20 Bar",
        ),
        features=(
            "2-year warranty",
            "energy efficient",
            "dishwasher-safe parts",
            "auto shut-off",
            "includes accessories",
        ),
        generic_price_usd=40.0,
    ),
    "medical_devices": CategoryProfile(
        attributes=(
            "Upper Arm",
            "Wrist",
            "50 Count",
            "100 Count",
            "FDA Cleared",
            "Digital",
            "Bluetooth",
            "Adult",
            "Sterile",
            "Single Use",
        ),
        colours=("White", "Grey", "Blue"),
        code_style="electronics",
        accessories=(
            "Replacement Cuff",
            "Lancets 100 Count",
            "Carrying Case",
            "AC Adapter",
            "Compatible Test Strips",
        ),
        lookalikes=(
            "Digital Thermometer",
            "Pulse Oximeter Fingertip",
            "Pill Organizer 7 Day",
            "Blood Pressure Cuff Wrist",
            "Knee Brace Support",
        ),
        features=(
            "FDA cleared",
            "expiry date on box",
            "sealed packaging",
            "clinically validated",
            "lot number printed",
        ),
        generic_price_usd=25.0,
    ),
}

# --- categories added in issue 18 (round 2 of the simulator) ---------------------------------
_NEW_PROFILES: dict[str, CategoryProfile] = {
    "pharmaceuticals": CategoryProfile(
        attributes=("0.25mg", "0.5mg", "1mg", "2mg", "20mg", "4 Pens", "1 Pen", "30 Tablets",
                    "100 Count", "Single-Dose Pen", "Multi-Dose Pen", "Extra Strength"),
        colours=("White", "Blue"),
        code_style="oem",
        lookalikes=("Pill Organizer 7 Day", "Insulin Cooling Travel Case", "Pen Needles 32G",
                    "Sharps Container 1 Quart"),
        features=("keep refrigerated", "lot number and expiry on carton", "sealed carton",
                  "prescription required", "patient leaflet included"),
        generic_price_usd=15.0,
    ),
    "skincare_haircare": CategoryProfile(
        attributes=("30ml", "50ml", "100ml", "1 oz", "1.7 oz", "8 oz", "SPF 50", "SPF 30",
                    "Travel Size", "Jumbo Size", "Fragrance-Free", "For Dry Skin", "No.3", "No.7"),
        colours=("Original", "Unscented", "Tinted", "Clear"),
        code_style="",
        accessories=("Silicone Face Brush", "Refillable Pump Bottle", "Travel Toiletry Bottles",
                     "Jade Roller"),
        lookalikes=("Hyaluronic Acid Serum 30ml", "Snail Mucin Essence 100ml",
                    "Ceramide Moisturizing Cream", "Bond Repair Hair Treatment",
                    "Mineral Sunscreen SPF 50"),
        features=("sealed box", "batch code on base", "dermatologist tested", "fragrance-free",
                  "expiry date printed", "full size"),
        generic_price_usd=14.0,
    ),
    "phone_accessories": CategoryProfile(
        attributes=("for iPhone 16 Pro", "for iPhone 15", "for Galaxy S24", "MagSafe Compatible",
                    "20W", "15W", "10000mAh", "USB-C", "Military Grade Drop", "Tempered Glass",
                    "2-Pack", "Clear"),
        colours=("Black", "Clear", "Matte Black", "Crystal Clear", "Navy", "Pink", "Sage"),
        code_style="electronics",
        lookalikes=("Clear Phone Case Shockproof", "Tempered Glass Screen Protector 3-Pack",
                    "20W USB-C Wall Charger", "Magnetic Wireless Charger Pad",
                    "Portable Power Bank 10000mAh", "Phone Grip Stand"),
        features=("drop tested", "raised bezels", "wireless charging compatible",
                  "1-year warranty", "precise cutouts", "includes installation kit"),
        generic_price_usd=12.0,
    ),
    "batteries_power": CategoryProfile(
        attributes=("AA", "AAA", "8-Pack", "24-Pack", "3000mAh", "3500mAh", "18650", "21700",
                    "1024Wh", "2000W", "Solar Ready", "100W", "Lithium"),
        colours=("Black", "Grey", "Copper Top", "Blue"),
        code_style="electronics",
        accessories=("Battery Case", "Battery Charger", "Solar Panel Cable", "Carrying Bag"),
        lookalikes=("Rechargeable AA Batteries 8-Pack", "18650 Rechargeable Battery 3000mAh",
                    "Portable Power Station 300W", "Foldable Solar Panel 100W"),
        features=("batch number printed", "10-year storage", "UL listed", "pure sine wave",
                  "includes charging cable"),
        generic_price_usd=25.0,
    ),
    "tobacco_vaping": CategoryProfile(
        attributes=("5000 Puffs", "600 Puffs", "20mg", "2%", "5%", "10 Pack", "Carton of 10",
                    "Menthol", "Blue Razz", "Watermelon Ice", "Starter Kit", "6mg"),
        colours=("Gold", "Red", "Blue", "Silver", "Menthol"),
        code_style="",
        accessories=("Vape Case", "Lanyard", "Charging Cable", "Stick Holder"),
        lookalikes=("Refillable Pod Kit", "Nicotine-Free Herbal Pouches", "Rechargeable Lighter",
                    "Empty Refillable Pods 4-Pack"),
        features=("age verification required", "authenticity scratch code", "TPD compliant",
                  "sealed pack", "batch code on pack"),
        generic_price_usd=10.0,
    ),
    "power_tools": CategoryProfile(
        attributes=("18V", "20V MAX", "M18", "M12", "5.0Ah", "9.0Ah", "Brushless", "Tool Only",
                    "Kit", "2-Pack", "1/2 in.", "250mm"),
        colours=("Red", "Yellow", "Teal", "Green", "Blue"),
        code_style="electronics",
        accessories=("Battery Adapter", "Tool Bag", "Wall Mount Battery Holder", "Drill Bit Set",
                     "Replacement Battery"),
        lookalikes=("Cordless Drill Driver 20V Kit", "Impact Driver Brushless",
                    "18V Replacement Battery 5.0Ah", "Adjustable Pliers Wrench 10 in",
                    "Mechanic Tool Set 200 Pieces"),
        features=("brushless motor", "LED work light", "fuel gauge", "5-year warranty",
                  "case included"),
        generic_price_usd=45.0,
    ),
    "golf_equipment": CategoryProfile(
        attributes=("Dozen", "3-Pack", "Right Handed", "Left Handed", "Stiff Flex", "Regular Flex",
                    "10.5 Loft", "34 in", "35 in", "Headcover Included", "Tour Issue"),
        colours=("White", "Yellow", "Black", "Satin Silver"),
        code_style="sku",
        accessories=("Putter Headcover", "Golf Grip", "Driver Headcover", "Alignment Sticks",
                     "Ball Marker"),
        lookalikes=("Golf Balls 12 Pack Distance", "Blade Putter 34 in", "Driver 460cc 10.5",
                    "Golf Glove Leather"),
        features=("serial number on hosel", "factory headcover", "tour-proven", "urethane cover",
                  "adjustable hosel"),
        generic_price_usd=35.0,
    ),
    "bicycle_parts": CategoryProfile(
        attributes=("12-Speed", "11-Speed", "Disc Brake", "Rim Brake", "700c", "29 in", "Carbon",
                    "Size 54", "Size M", "Tubeless Ready", "Di2", "AXS"),
        colours=("Black", "Satin Black", "Gloss Carbon", "White", "Red"),
        code_style="style_code",
        accessories=("Brake Pads", "Chain", "Bar Tape", "Cassette Tool", "Out-Front Mount",
                     "Derailleur Hanger"),
        lookalikes=("Carbon Road Wheelset 50mm", "Bike Helmet Adult", "Cycling Computer GPS",
                    "Carbon Handlebar 420mm", "Road Bike Frame Carbon"),
        features=("weight verified", "tubeless ready", "serial number on frame", "CPSC certified",
                  "2-year warranty"),
        generic_price_usd=40.0,
    ),
    "software_licenses": CategoryProfile(
        attributes=("1 Year", "12 Months", "3 Devices", "5 Devices", "1 User", "Windows",
                    "Mac", "Digital Download", "Retail Key", "Renewal"),
        colours=("Digital",),
        code_style="",
        lookalikes=("Free Antivirus Setup Guide", "PDF Editor Lifetime License",
                    "Photo Editing Software Download"),
        features=("instant email delivery", "activation key", "official download",
                  "subscription renews"),
        generic_price_usd=20.0,
    ),
    "kitchen_drinkware": CategoryProfile(
        attributes=("40 oz", "30 oz", "32 oz", "24 oz", "5.5 qt", "20 cm", "8 in", "Straw Lid",
                    "Chug Cap", "Stainless Steel", "Enameled Cast Iron", "Insulated"),
        colours=("Cream", "Rose Quartz", "Black Glow", "Volcanic", "Flame", "Navy", "Sage"),
        code_style="sku",
        accessories=("Replacement Straw Lid", "Silicone Boot", "Straw Cleaning Brush",
                     "Cup Handle Sleeve", "Lid Knob"),
        lookalikes=("Insulated Tumbler 40 oz with Handle", "Stainless Steel Water Bottle 32 oz",
                    "Enameled Cast Iron Dutch Oven 6 qt", "Chef Knife 8 in",
                    "Hard Cooler 45 qt"),
        features=("double-wall vacuum insulated", "dishwasher safe", "laser-etched logo on base",
                  "lifetime warranty", "BPA free"),
        generic_price_usd=20.0,
    ),
    "baby_products": CategoryProfile(
        attributes=("Size 1", "Size 3", "Size 4", "Stage 1", "12.4 oz", "800g", "Newborn",
                    "Jumbo Pack", "Infant", "Convertible", "Lightweight"),
        colours=("Black", "Grey", "Jake Black", "Greyson", "Nitro Black"),
        code_style="sku",
        accessories=("Stroller Cup Holder", "Rain Cover", "Car Seat Mirror", "Stroller Organizer",
                     "Formula Dispenser"),
        lookalikes=("Baby Formula Dispenser", "Lightweight Travel Stroller", "Diaper Bag Backpack",
                    "Disposable Diapers Size 4"),
        features=("batch and expiry on base", "sealed tin", "FAA approved", "JPMA certified",
                  "manufacture date label"),
        generic_price_usd=30.0,
    ),
    "pet_products": CategoryProfile(
        attributes=("Large Dog", "Small Dog", "Cat", "8 Month", "3 Doses", "6 Doses", "30 lb",
                    "Over 18 lbs", "Medium", "Puppy"),
        colours=("Grey", "Red", "Blue"),
        code_style="sku",
        accessories=("Collar Cover", "Treat Dispenser", "Pill Pockets"),
        lookalikes=("Flea and Tick Collar for Dogs", "Natural Flea Spray", "Rubber Chew Toy",
                    "Dry Dog Food 30 lb"),
        features=("EPA registration number", "lot number on tin", "vet recommended",
                  "sealed blister pack", "metal tin"),
        generic_price_usd=15.0,
    ),
}  # fmt: skip
PROFILES.update(_NEW_PROFILES)

GENERIC_PROFILE = CategoryProfile(
    attributes=("New", "Large", "Small", "Set of 2", "Classic", "Premium", "Deluxe"),
    code_style="sku",
    accessories=("Replacement Part", "Storage Case", "Cleaning Kit"),
    lookalikes=("Everyday Essentials Set", "Classic Design Accessory", "Premium Gift Set"),
    features=("brand new", "fast shipping", "easy returns"),
)

LUXURY_CATEGORIES: frozenset[str] = frozenset(
    {"bags_luxury_fashion", "watches", "sneakers_sportswear", "jewelry", "eyewear", "apparel"}
)
"""Where "superfakes" (high-grade copies sold near retail) concentrate."""

REFURBISHABLE_CATEGORIES: frozenset[str] = frozenset(
    {"electronics_accessories", "home_appliances", "medical_devices", "watches", "power_tools",
     "batteries_power", "bicycle_parts"}
)  # fmt: skip
NOT_RESOLD_CATEGORIES: frozenset[str] = frozenset(
    {"medical_devices", "pharmaceuticals", "software_licenses", "tobacco_vaping"}
)
"""Categories whose goods are not resold used (prescription, licences, age-restricted)."""
BLANK_GOODS_CATEGORIES: frozenset[str] = frozenset(
    {"apparel", "bags_luxury_fashion", "kitchen_drinkware", "sports_jerseys", "phone_accessories",
     "golf_equipment"}
)  # fmt: skip
"""Where blank wholesale goods (totes, caps, tumblers, jerseys, cases) take a customer's logo."""
BEAUTY_CATEGORIES: frozenset[str] = frozenset({"fragrance_cosmetics", "skincare_haircare"})
DUPE_CATEGORIES: frozenset[str] = frozenset(
    {"fragrance_cosmetics", "skincare_haircare", "kitchen_drinkware", "bags_luxury_fashion",
     "jewelry", "apparel", "sneakers_sportswear"}
)  # fmt: skip
"""Where "inspired by / dupe / alternative to" listings are common."""
SMALL_TECH_TYPES: frozenset[str] = frozenset(
    {"earbuds", "headphones", "charger", "wireless_charger", "power_bank", "battery",
     "battery_pack", "li_ion_cell", "tool_battery", "memory_card", "usb_flash_drive", "cable"}
)  # fmt: skip
"""Earbuds, chargers and batteries: counterfeits sold with clean titles at plausible prices."""
HOMAGE_CATEGORIES: frozenset[str] = frozenset(
    {"watches", "bags_luxury_fashion", "sneakers_sportswear", "jewelry", "eyewear", "apparel"}
)
LATE_RISK_CATEGORIES: frozenset[str] = frozenset(
    {"auto_parts", "medical_devices", "home_appliances", "electronics_accessories",
     "pharmaceuticals", "batteries_power", "baby_products", "pet_products", "power_tools"}
)  # fmt: skip
"""Categories counterfeiters move into later (safety-critical goods), boosted under drift."""


_PRODUCT_PROFILES: dict[str, str] = {
    **dict.fromkeys(("perfume", "candle", "lipstick", "lip_gloss", "lip_kit", "mascara",
                     "foundation", "concealer", "blush", "eyeshadow_palette", "highlighter",
                     "setting_spray"), "fragrance_cosmetics"),
    **dict.fromkeys(("skincare", "sunscreen", "hair_treatment"), "skincare_haircare"),
    **dict.fromkeys(("sneakers", "boots", "clogs", "sandals", "slides", "football_boots"),
                    "sneakers_sportswear"),
    **dict.fromkeys(("watch", "smartwatch"), "watches"),
    **dict.fromkeys(("sunglasses", "eyeglass_frames", "ski_goggles", "smart_glasses"), "eyewear"),
    **dict.fromkeys(("handbag", "wallet", "belt", "belt_bag", "backpack"), "bags_luxury_fashion"),
    **dict.fromkeys(("bracelet", "necklace", "ring", "earrings", "charm"), "jewelry"),
    **dict.fromkeys(("hoodie", "t_shirt", "shirt", "polo_shirt", "jacket", "dress", "jeans",
                     "leggings", "sweater", "sweatshirt", "sweatpants", "suit", "trench_coat",
                     "underwear", "track_jacket", "scarf", "cap", "beanie"), "apparel"),
    "jersey": "sports_jerseys",
}  # fmt: skip


_ATTRIBUTE_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("headphones", "earbuds", "headset", "wired_headphones", "wired_earbuds"),
     ("Wireless", "Noise Cancelling", "Over-Ear", "True Wireless", "Bluetooth", "On-Ear")),
    (("smartphone", "tablet", "laptop"),
     ("128GB", "256GB", "512GB", "Unlocked", "5G", "Wi-Fi", "16GB RAM")),
    (("tv", "premium_tv", "oled_tv", "monitor"),
     ('55"', '65"', '27"', "4K UHD", "OLED", "120Hz", "HDR")),
    (("memory_card", "ssd", "portable_ssd", "usb_flash_drive", "ram"),
     ("64GB", "128GB", "256GB", "1TB", "2TB", "USB 3.2", "NVMe", "DDR5")),
    (("charger", "power_bank", "cable", "usb_hub", "docking_station"),
     ("20W", "65W", "USB-C", "10000mAh", "Fast Charging", "6ft", "4-Port")),
    (("speaker", "soundbar", "smart_speaker", "amplifier"),
     ("Bluetooth", "Waterproof", "Dolby Atmos", "Portable", "100W", "Wi-Fi")),
    (("game_console", "game_controller", "video_game"),
     ("Wireless", "Standard Edition", "Digital Edition", "Bundle", "Limited Edition")),
    (("camera", "compact_camera", "mirrorless_camera", "dslr_camera", "lens", "webcam",
      "security_camera", "doorbell"),
     ("4K", "24MP", "18-55mm", "1080p", "Night Vision", "Wi-Fi")),
    (("battery",), ("AA", "AAA", "4-Pack", "8-Pack", "Rechargeable")),
    (("tires",), ("225/45R17", "205/55R16", "All Season", "Summer", "Set of 4")),
    (("printer", "ink_cartridge", "toner_cartridge"),
     ("Black", "Tri-Color", "High Yield", "2-Pack", "Wireless", "All-in-One")),
    (("router", "mesh_wifi_system", "network_switch"),
     ("Wi-Fi 6", "Dual Band", "Tri-Band", "8-Port", "Gigabit", "3-Pack")),
    (("coffee_capsules", "coffee_pods"), ("10 Count", "24 Count", "50 Count", "Intense", "Decaf")),
    (("die_cast_car",), ("1:64 Scale", "1:18 Scale", "1:24 Scale", "5-Pack", "Premium")),
    (("glp1_medication", "insulin_pen"),
     ("0.25mg", "0.5mg", "1mg", "2.4mg", "1 Pen", "4 Pens", "5 Pens", "Single-Dose Pen", "3ml")),
    (("ed_tablet", "pain_reliever", "allergy_tablet"),
     ("20mg", "100mg", "500mg", "24 Count", "30 Tablets", "100 Count", "Extra Strength")),
    (("disposable_vape", "vape_pod", "vape_device"),
     ("5000 Puffs", "600 Puffs", "20mg", "2%", "Blue Razz", "Watermelon Ice", "4-Pack")),
    (("cigarettes", "heated_tobacco_sticks", "nicotine_pouch"),
     ("Carton of 10", "20 Pack", "6mg", "Menthol", "Cool Mint", "Amber", "Turquoise")),
    (("heated_tobacco_device",), ("Starter Kit", "Holder", "Charger Kit", "Limited Edition")),
    (("golf_balls",), ("Dozen", "3-Pack", "2 Dozen", "Yellow", "Tour Issue", "Play Number 1-4")),
    (("golf_club", "putter"),
     ("Right Handed", "Left Handed", "Stiff Flex", "Regular Flex", "10.5 Loft", "34 in",
      "35 in", "Headcover Included")),
    (("tumbler", "water_bottle"),
     ("40 oz", "30 oz", "32 oz", "24 oz", "Straw Lid", "Chug Cap", "Insulated")),
    (("cookware", "kitchen_knife", "cooler"),
     ("5.5 qt", "20 cm", "24 cm", "8 in", "45 qt", "Enameled Cast Iron", "Stainless Steel")),
    (("diapers",), ("Size 1", "Size 3", "Size 4", "Newborn", "Jumbo Pack", "Box of 120")),
    (("infant_formula",), ("Stage 1", "12.4 oz", "800g", "Powder", "Ready to Feed", "3-Pack")),
    (("stroller", "car_seat", "car_seat_stroller"),
     ("Infant", "Convertible", "Lightweight", "Travel System", "Rear-Facing", "2024 Model")),
    (("flea_collar", "flea_tick_chew", "flea_tick_treatment"),
     ("Large Dog", "Small Dog", "Cat", "8 Month", "3 Doses", "6 Doses", "Over 18 lbs")),
    (("pet_food", "dog_toy"), ("30 lb", "15 lb", "Puppy", "Adult", "Medium", "Large")),
    (("portable_power_station", "solar_panel"),
     ("1024Wh", "2000W", "100W", "200W", "Solar Ready", "Expandable", "LiFePO4")),
    (("li_ion_cell", "battery_pack"),
     ("AA", "AAA", "8-Pack", "24-Pack", "3000mAh", "18650", "21700", "Flat Top")),
    (("tool_battery",), ("18V", "20V MAX", "M18", "5.0Ah", "9.0Ah", "2-Pack", "Starter Kit")),
    (("power_tool", "hand_tool"),
     ("18V", "20V MAX", "Brushless", "Tool Only", "Kit", "1/2 in.", "250mm", "10 in.")),
)  # fmt: skip
"""Attributes for common product types whose category profile would not fit them."""
_ACCESSORY_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("headphones", "earbuds", "headset", "wired_headphones", "wired_earbuds"),
     ("Replacement Ear Pads", "Carrying Case", "Charging Case", "Silicone Ear Tips")),
    (("smartphone", "tablet"),
     ("Protective Case", "Screen Protector", "Charger", "USB-C Cable", "Car Mount")),
    (("laptop",), ("Laptop Sleeve", "Charger", "Keyboard Cover", "USB-C Hub")),
    (("tv", "premium_tv", "oled_tv", "monitor"),
     ("Wall Mount", "Remote Control", "HDMI Cable", "Screen Cleaner")),
    (("printer",), ("Ink Cartridge", "Toner Cartridge", "Photo Paper")),
    (("game_console", "game_controller"),
     ("Charging Dock", "Thumb Grips", "Carrying Case", "Skin Decal", "Charging Cable")),
    (("camera", "compact_camera", "mirrorless_camera", "dslr_camera", "lens"),
     ("Lens Cap", "Camera Strap", "Replacement Battery", "UV Filter")),
    (("smartwatch",), ("Watch Band", "Charging Cable", "Screen Protector", "Bumper Case")),
    (("vacuum", "robot_vacuum", "robot_mop"),
     ("Replacement Filter", "Side Brushes", "Replacement Battery", "Brush Roll")),
    (("coffee_machine",), ("Reusable Coffee Pods", "Descaling Kit", "Milk Frother")),
)  # fmt: skip
"""Third-party accessories for common product types."""
_TYPE_ACCESSORIES: dict[str, tuple[str, ...]] = {
    product_type: accessories for types, accessories in _ACCESSORY_GROUPS for product_type in types
}
_TYPE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    product_type: attributes for types, attributes in _ATTRIBUTE_GROUPS for product_type in types
}


def profile_of(category: str, product_type: str = "") -> CategoryProfile:
    """Return the profile for a product type (its own when known) in a registry category.

    Examples
    --------
    >>> profile_of("watches").code_style
    'watch_ref'
    >>> profile_of("bags_luxury_fashion", "perfume") is PROFILES["fragrance_cosmetics"]
    True
    >>> profile_of("electronics_accessories", "tv").attributes[0]
    '55"'
    >>> profile_of("garden").code_style
    'sku'
    """
    key = _PRODUCT_PROFILES.get(product_type, category)
    profile = PROFILES.get(key, GENERIC_PROFILE)
    if product_type in _TYPE_ATTRIBUTES:
        profile = replace(profile, attributes=_TYPE_ATTRIBUTES[product_type])
    if product_type in _TYPE_ACCESSORIES:
        profile = replace(profile, accessories=_TYPE_ACCESSORIES[product_type])
    return profile


# --- counterfeit vocabulary; the number after each token is the drift phase it appears at -------

# Repeated entries are drawn more often.
EXPLICIT_WORDS: tuple[tuple[str, float], ...] = (
    *[("Replica", 0.0)] * 5, *[("replica", 0.0)] * 3, ("REPLICA", 0.0), *[("Fake", 0.0)] * 3,
    ("Copy", 0.0), ("High Copy", 0.0), ("Knockoff", 0.0), ("Imitation", 0.0),
    ("Not Original", 0.0), ("Non-Genuine", 0.0), ("Rep", 0.3), ("Reps", 0.3),
    ("Mirror Copy", 0.3), ("Budget Version", 0.6), ("Not OG", 0.6), ("Unbranded Twin", 0.9),
)  # fmt: skip

SLANG_TOKENS: tuple[tuple[str, float], ...] = (
    *[("1:1", 0.0)] * 5, *[("AAA", 0.0)] * 3, ("AAA+", 0.0), *[("UA", 0.0)] * 2, ("Mirror", 0.0),
    ("Super Clone", 0.0), ("Top Quality", 0.0), ("OG batch", 0.0), ("PK batch", 0.0),
    ("LJR batch", 0.0), ("Clean Factory", 0.0), ("VSF", 0.0), ("Noob", 0.0), ("H12", 0.0),
    ("G5 batch", 0.3), ("1to1", 0.3), ("top tier", 0.3), ("best version", 0.3),
    ("GD batch", 0.3), ("M batch", 0.3), ("ZF factory", 0.6), ("A+++", 0.6),
    ("DT batch", 0.6), ("mirror grade", 0.6), ("1-1 grade", 0.6), ("APS factory", 0.9),
    ("S2 batch", 0.9), ("godly tier", 0.9),
)  # fmt: skip
"""Counterfeit community slang: "UA" (unauthorised authentic), 1:1, AAA, factory/batch names."""

EUPHEMISMS: tuple[tuple[str, float], ...] = (
    *[("Inspired", 0.0)] * 3, *[("inspired", 0.0)] * 3, ("Designer Inspired", 0.0),
    ("Style", 0.0), ("style", 0.0), *[("Dupe", 0.0)] * 2, ("Look-Alike", 0.0),
    ("Similar to", 0.0), ("Same as", 0.0), ("Vibes", 0.3), ("Alternative", 0.3),
    ("Aesthetic", 0.3), ("Twin", 0.6), ("Luxe Find", 0.6), ("Smells Like", 0.6),
    ("Impression of", 0.9),
)  # fmt: skip

OFFPLATFORM_PHRASES: tuple[str, ...] = (
    "DM for real pics", "Msg before buying", "WhatsApp for more styles",
    "contact for more models", "ask for QC photos", "see link in profile", "tg for catalog",
    "message for best price", "more colours in chat",
)  # fmt: skip

SHOUTS: tuple[str, ...] = (
    "Hot Sale", "Free Shipping", "Fast Ship", "2025 New", "New Arrival", "Best Gift",
    "Limited", "High Quality", "Cheap", "Sale", "Top Seller", "Brand New", "Wholesale Price",
)  # fmt: skip
"""Shouty filler that casual and network sellers add (genuine small shops use some too)."""

LATE_SHOUTS: tuple[str, ...] = (
    "Viral", "TikTok Made Me Buy It", "Restocked", "Drop Alert", "Exclusive Drop", "Trending",
)  # fmt: skip

EMOJI: tuple[str, ...] = ("🔥", "✨", "💯", "⭐", "❤️", "👜", "⌚", "👟", "🎁", "💎", "✅", "🚚")
LATE_EMOJI: tuple[str, ...] = ("🫶", "🤫", "🧿", "🪩", "🥷")
SEPARATORS: tuple[str, ...] = (" ", " - ", " | ", ", ", " / ")
LATE_SEPARATORS: tuple[str, ...] = (" • ", " ✦ ", " ~ ", " ◆ ")

HOMOGLYPHS: dict[str, str] = {
    "a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і", "y": "у",
    "A": "А", "E": "Е", "O": "О", "C": "С", "P": "Р", "H": "Н", "K": "К", "M": "М", "T": "Т",
}  # fmt: skip
"""Latin letters and their Cyrillic look-alikes (a later obfuscation under drift)."""

LEET: dict[str, str] = {"o": "0", "O": "0", "i": "1", "I": "1", "e": "3", "a": "4", "s": "5",
                        "l": "1", "c": "(", "t": "7"}  # fmt: skip

LOGO_WORDS: dict[str, tuple[str, ...]] = {
    "Louis Vuitton": ("LV monogram", "Damier check", "LV flower print"),
    "Chanel": ("CC logo", "double C", "interlocking C"),
    "Gucci": ("GG logo", "double G", "web stripe", "GG Marmont buckle"),
    "Hermès": ("H buckle", "orange box H"),
    "Hermes": ("H buckle", "orange box H"),
    "Nike": ("swoosh", "check logo"),
    "Adidas": ("three stripes", "trefoil"),
    "Rolex": ("crown logo", "coronet"),
    "Ralph Lauren": ("polo pony", "pony logo"),
    "Burberry": ("nova check", "TB monogram"),
    "Dior": ("oblique monogram", "CD logo"),
    "Prada": ("triangle logo",),
    "Apple": ("apple logo", "bitten apple"),
    "Michael Kors": ("MK logo",),
    "Moncler": ("rooster patch",),
    "Supreme": ("box logo",),
    "Cartier": ("screw motif",),
    "Van Cleef & Arpels": ("four leaf clover",),
    "Tiffany & Co.": ("blue box", "heart tag"),
    "Lacoste": ("croc logo",),
}
"""Logos and trade dress that counterfeiters name instead of the brand ("logo words only")."""

NETWORK_FILLERS: tuple[tuple[str, float], ...] = (
    ("Original Box", 0.0), ("Premium Quality Fast Delivery", 0.0), ("Factory Direct", 0.0),
    ("With Dust Bag", 0.0), ("Full Packaging", 0.0), ("Best Price Guarantee", 0.0),
    ("Luxury Gift For Her", 0.0), ("Top Grade Material", 0.0), ("Same Day Dispatch", 0.3),
    ("Boutique Quality", 0.3), ("Collector Grade", 0.6), ("Retail Tag Included", 0.6),
    ("Insider Release", 0.9), ("Vault Edition", 0.9),
)  # fmt: skip

MAKER_SYLLABLES_A: tuple[str, ...] = (
    "Volt", "Nex", "Zen", "Aero", "Tek", "Lumi", "Orbi", "Kin", "Vivo", "Rexa", "Sola", "Mira",
    "Quin", "Dura", "Flex", "Nova", "Kora", "Tavi",
)  # fmt: skip
MAKER_SYLLABLES_B: tuple[str, ...] = (
    "ix", "ora", "tek", "ly", "on", "ex", "ara", "ova", "go", "ium", "lab", "fit",
)  # fmt: skip
"""Syllables for the invented brand names of accessory makers and unbranded merchants."""

UNBRANDED_DECLARED: tuple[str, ...] = ("Generic", "Unbranded", "No Brand", "Generic", "")

SCALE_MODEL_MAKES: tuple[str, ...] = (
    "Ferrari F40", "Porsche 911 GT3", "Lamborghini Countach", "Ford Mustang GT",
    "McLaren F1", "Mercedes-AMG GT",
)  # fmt: skip
"""Licensed cars of diecast scale models ("1:18 scale replica" is a legal, common phrase)."""

AUTH_PHRASES: tuple[str, ...] = (
    "Authentic", "100% Authentic", "100% Genuine", "Genuine", "Box & Papers", "With Receipt",
    "Original Receipt", "Date Code", "Serial Number", "Ref. {code}", "Authenticated by Entrupy",
    "Authenticated by LegitGrails", "With Certificate", "Certificate of Authenticity",
)  # fmt: skip
"""Authenticity talk that genuine resellers write, and counterfeiters copy (issue 18)."""
AUTH_PHRASES_FAKE: tuple[str, ...] = AUTH_PHRASES + (
    "Authentic", "Authentic", "Authentic", "100% Authentic", "100% Authentic", "100% Authentic",
    "100% Authentic", "Box & Papers", "Box & Papers", "Date Code", "Date Code", "Genuine",
    "Genuine", "Authentic", "With Receipt", "Serial Number",
)  # fmt: skip
"""Counterfeiters lean on the plain words (receipts, serials and certificates that only look
real); genuine private sellers already write "authentic" and "receipt" in their own words."""
AUTH_TALK_RATES: dict[str, float] = {
    # genuine: resellers and private sellers of second-hand goods
    "used_authentic": 0.1, "closet_clearout": 0.06, "authenticity_claims": 0.12,
    "genuine_format": 0.05, "parallel_import": 0.05, "refurbished": 0.03,
    "new_genuine_seller": 0.01,
    # counterfeit: sellers passing fakes off as genuine; other tactics use AUTH_TALK_FAKE_RATE
    "superfake": 0.75, "aged_clean_title": 0.75, "listing_copy": 0.7, "hijacked_account": 0.7,
    "beauty_discount": 0.7, "electronics_clean": 0.7, "explicit_replica": 0.15,
    "euphemism": 0.15, "dupe_listing": 0.1, "custom_logo_wholesale": 0.15,
}  # fmt: skip
AUTH_TALK_FAKE_RATE = 0.55
"""Rate of the counterfeit tactics not listed in ``AUTH_TALK_RATES``."""
"""Share of each recipe's listings with an authenticity phrase (title 60%, description 40%)."""


def maker_name(rnd: random.Random) -> str:
    """An invented brand of an accessory maker or unbranded merchant ("Voltix", "NOVAORA")."""
    name = rnd.choice(MAKER_SYLLABLES_A) + rnd.choice(MAKER_SYLLABLES_B)
    return name.upper() if rnd.random() < 0.3 else name
