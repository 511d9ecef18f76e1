"""Assemble the hand-written field set from batch modules b01..bNN.
Each batch module defines ROWS: list of tuples
(title, description, price, currency, brand, category, condition, quantity,
 ships_from, seller, language, is_counterfeit, case, platform_style, note)
seller = key into sellers.SELLERS or tuple
(seller_id, age_days, rating_or_None, n_ratings, n_listings, n_takedowns, n_brands)
"""
import csv, glob, importlib, os, random, sys, datetime
sys.path.insert(0, os.path.dirname(__file__))
from sellers import SELLERS
from overrides import BLANK_BRAND_PREFIXES

COLS = ["listing_id","title","description","price","currency","brand","category",
        "condition","quantity","ships_from","seller_id","seller_age_days","seller_rating",
        "seller_n_ratings","seller_n_listings","seller_n_takedowns","seller_n_brands",
        "created_at","language","is_counterfeit","case","platform_style","note"]
CATS = {"bags_luxury_fashion","watches","sneakers_sportswear","apparel","electronics_accessories",
        "fragrance_cosmetics","jewelry","eyewear","toys","sports_jerseys","auto_parts",
        "home_appliances","medical_devices",""}
LANGS = {"en","es","pt","de","fr","ru"}

def main():
    out = []
    mods = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "b[0-9][0-9].py")))
    for m in mods:
        mod = importlib.import_module(os.path.basename(m)[:-3])
        for r in mod.ROWS:
            assert len(r) == 15, (m, r[:2], len(r))
            out.append(r)
    start = datetime.datetime(2025, 1, 3, tzinfo=datetime.timezone.utc)
    span = int((datetime.datetime(2026, 2, 27, tzinfo=datetime.timezone.utc) - start).total_seconds())
    rows = []
    for i, r in enumerate(out, 1):
        (title, desc, price, cur, brand, cat, cond, qty, ships, seller, lang, lab, case, plat, note) = r
        if any(title.startswith(p) for p in BLANK_BRAND_PREFIXES):
            brand = ""
        s = SELLERS[seller] if isinstance(seller, str) else seller
        sid, age, rating, nrat, nlist, ntd, nbr = s
        assert cat in CATS, (i, cat)
        assert lang in LANGS, (i, lang)
        assert lab in (0, 1), (i, lab)
        assert case and note, i
        assert len(ships) == 2 and ships.isupper(), (i, ships)
        rng = random.Random(1000 + i)
        ts = start + datetime.timedelta(seconds=rng.randrange(span))
        rows.append({
            "listing_id": f"F{i:04d}", "title": title, "description": desc,
            "price": price, "currency": cur, "brand": brand, "category": cat,
            "condition": cond, "quantity": qty, "ships_from": ships, "seller_id": sid,
            "seller_age_days": age, "seller_rating": "" if rating is None else rating,
            "seller_n_ratings": nrat, "seller_n_listings": nlist,
            "seller_n_takedowns": ntd, "seller_n_brands": nbr,
            "created_at": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "language": lang,
            "is_counterfeit": lab, "case": case, "platform_style": plat, "note": note})
    with open(os.path.join(os.path.dirname(__file__), "..", "listings.csv"), "w",
              newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLS)
        w.writeheader()
        w.writerows(rows)
    used = sum(any(r['title'].startswith(p) for p in BLANK_BRAND_PREFIXES) for r in rows)
    assert used == len(BLANK_BRAND_PREFIXES), used
    print("wrote", len(rows))

if __name__ == "__main__":
    main()
