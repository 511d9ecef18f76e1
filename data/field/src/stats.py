import csv, collections, sys
rows = list(csv.DictReader(open(__import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'listings.csv'), encoding='utf-8')))
def tab(key):
    c = collections.Counter((r[key], r['is_counterfeit']) for r in rows)
    keys = sorted({k for k, _ in c}, key=lambda k: -(c[(k,'0')]+c[(k,'1')]))
    out = [f"{key:<26} {'genuine(0)':>10} {'infringing(1)':>13} {'total':>6}"]
    for k in keys:
        out.append(f"{(k or '(empty)'):<26} {c[(k,'0')]:>10} {c[(k,'1')]:>13} {c[(k,'0')]+c[(k,'1')]:>6}")
    return "\n".join(out)
lab = collections.Counter(r['is_counterfeit'] for r in rows)
print(f"rows: {len(rows)}   genuine (0): {lab['0']}   infringing (1): {lab['1']}")
nonen = sum(r['language'] != 'en' for r in rows)
print(f"non-English rows (es/pt/de/fr/ru): {nonen} ({100*nonen/len(rows):.1f}%)\n")
for k in ['case', 'language', 'category', 'platform_style', 'currency']:
    print(tab(k)); print()
