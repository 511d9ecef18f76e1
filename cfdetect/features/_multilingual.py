"""Risk-term lists in Spanish, Portuguese (Brazil), German, French and Russian, and Cyrillic brands.

The lists are the feature extractor's own, written from the research vocabularies
(``/work/research/vocab_{es,pt_BR,de,fr,ru}.tsv``, sources in ``docs/simulator.md``). They do not
read the simulator's templates: the simulator has its own lists, and the two overlap without being
the same. Words that are ordinary English ("type", "top", "import", "premium") or that name genuine
things ("faux fur", "зеркало" = mirror) are left out.

Matching is case- and accent-insensitive: ``TermMatcher`` indexes each phrase also without its
accents, and texts are matched with and without theirs.

Cyrillic brand names (``cyrillic_aliases``) come from two sources: the spellings Russian listings
use (``CYRILLIC_BRANDS``, from ``/work/research/cyrillic_brands.tsv``: "Найк", "Луи Виттон") and
a letter-by-letter transliteration of every registry name and alias (``to_cyrillic``: "Prada" ->
"прада", "Tommy Hilfiger" -> "томми хилфигер"), so that registry brands without a listed spelling
are found too. ``to_latin`` is the reverse transliteration (lossy: "гуччи" -> "guchchi").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Tuples list (es, pt_BR, de, fr, ru) words in that order, loosely; the order does not matter.
REPLICA: tuple[str, ...] = (
    "réplica", "réplicas", "copia", "copia exacta", "imitación", "falso", "falsa", "pirata",
    "clon", "chafa", "trucho", "bamba", "chiviado", "top manta", "no original", "no es original",
    "cópia", "imitação", "falsificado", "falsificada", "de camelô", "não original", "paralelo",
    "réplica perfeita", "réplica primeira linha",
    "replika", "replik", "nachbau", "kopie", "fälschung", "imitat", "plagiat", "nachgemacht",
    "nicht original", "kein original",
    "réplique", "répliques", "copie", "contrefaçon", "pas original", "non authentique",
    "реплика", "реплики", "копия", "подделка", "паль", "палёный", "паленый", "фейк",
    "дубликат", "неоригинал", "не оригинал", "копия люкс", "реплика люкс", "зеркальная копия",
    "премиум копия", "réplica espejo", "réplica aaa", "réplica premium", "réplica espelho",
    "réplica top",
)  # fmt: skip
SLANG: tuple[str, ...] = (
    "ааа", "calidad espejo", "calidad 1:1", "calidad aaa", "primera calidad",
    "calidad original", "triple a",
    "primeira linha", "qualidade original",
    "qualidade espelho",
    "top-qualität", "1:1 qualität", "spiegelqualität", "aaa qualität",
    "qualité miroir", "qualité originale", "qualité 1:1", "qualité aaa",
    "люкс качество", "качество люкс",
    "топ качество", "качество оригинала", "1 в 1",
)  # fmt: skip
EUPHEMISM: tuple[str, ...] = (
    "tipo", "estilo", "inspirado en", "inspirada en", "similar a", "similar al",
    "alternativa a", "equivalencia", "perfume de equivalencia", "genérico",
    "tipo original", "inspirado em", "inspiração", "similar ao", "contratipo",
    "im stil von", "ähnlich wie", "alternative zu", "inspiriert von", "duftzwilling",
    "zwillingsduft", "baugleich", "stil",
    "inspiré de", "inspirée de", "similaire", "équivalence", "parfum générique",
    "аналог", "аналоги", "как оригинал", "по мотивам", "в стиле", "дубль", "дубли",
    "не отличить от оригинала", "оригинал вьетнам",
)  # fmt: skip
BULK: tuple[str, ...] = (
    "al por mayor", "mayoreo", "por mayor", "atacado", "revenda", "großhandel",
    "großhandelspreis", "en gros", "vente en gros", "prix de gros", "оптом", "опт",
    "оптовая цена",
    "re:[1-9][0-9]{1,3} piezas", "re:[1-9][0-9]{1,3} unidades", "re:[1-9][0-9]{1,3} peças",
    "re:[1-9][0-9]{1,3} stück", "re:[1-9][0-9]{1,3} pièces", "re:[1-9][0-9]{1,3} шт",
    "re:[1-9][0-9]{1,3} pares", "re:[1-9][0-9]{1,3} paar", "re:[1-9][0-9]{1,3} paires",
    "re:[1-9][0-9]{1,3} пар",
)  # fmt: skip
COMPAT: tuple[str, ...] = (
    "compatible con", "para", "alternativo", "compatível com", "compativel com", "pra",
    "kompatibel mit", "passend für", "ersatz für", "für", "compatible avec", "pour",
    "adaptable", "remplace", "non d'origine", "совместим с", "совместимый", "совместима",
    "для", "подходит для", "неоригинальный",
)  # fmt: skip
OFFICIAL: tuple[str, ...] = (
    "original", "originales", "100% original", "100% originales", "auténtico", "auténtica",
    "legítimo", "genuino", "tienda oficial", "garantía oficial", "factura",
    "caja y papeles", "certificado de autenticidad", "ticket de compra",
    "originais", "autêntico", "loja oficial", "garantia oficial", "nota fiscal", "cupom fiscal",
    "caixa e documentos",
    "originalware", "echt", "authentisch", "markenware", "vom fachhändler", "rechnung",
    "box und papiere", "echtheitszertifikat", "kaufbeleg",
    "authentique", "100% authentique", "acheté en boutique", "certificat d'authenticité",
    "facture", "boîte et papiers",
    "оригинал", "100% оригинал", "подлинный", "оригинальный", "официальная гарантия", "рст",
    "чек", "полный комплект", "с чеком",
)  # fmt: skip
USED: tuple[str, ...] = (
    "usado", "usada", "usados", "usadas", "seminuevo", "seminueva", "de segunda mano",
    "segunda mano", "poco uso",
    "como nuevo", "caja abierta", "reacondicionado",
    "seminovo", "pouco usado", "estado de novo", "desapego", "brechó", "mostruário",
    "recondicionado",
    "gebraucht", "getragen", "neuwertig", "wie neu", "kaum getragen", "b-ware",
    "vorführware", "generalüberholt",
    "d'occasion", "d’occasion", "seconde main", "porté", "très bon état", "comme neuf",
    "neuf sans étiquette", "reconditionné",
    "б/у", "бу", "ношеный", "ношеные", "ношеная", "как новый", "как новые", "уценка",
    "витринный образец", "восстановленный",
)  # fmt: skip
OUTLET: tuple[str, ...] = (
    "liquidación", "saldo", "saldos", "remate", "fin de temporada", "de outlet",
    "ponta de estoque", "queima de estoque", "liquidação",
    "fabrikverkauf", "restposten", "sonderposten", "lagerverkauf",
    "déstockage", "fin de série", "soldes", "magasin d'usine",
    "аутлет", "дисконт", "распродажа", "остатки коллекции", "скидка",
    "re:[1-9][0-9]?% de descuento", "re:[1-9][0-9]?% rabatt",
)  # fmt: skip
FORMATS: tuple[str, ...] = (
    "muestra", "muestras", "tamaño de viaje", "miniatura", "probador", "decant", "decants",
    "amostra", "amostras", "tamanho de viagem", "miniatura", "decante",
    "pröbchen", "reisegröße", "miniatur", "abfüllung", "abfüllungen",
    "échantillon", "échantillons", "format voyage", "miniature", "décant",
    "пробник", "пробники", "миниатюра", "отливант", "распив", "тестер",
)  # fmt: skip
"""Genuine small formats: samples, travel sizes, minis, testers, decants."""

EXCEPTIONS: tuple[str, ...] = (
    "réplica oficial", "camiseta réplica oficial", "réplica a escala", "réplique officielle",
    "maillot réplique", "offizielles replica", "replica trikot", "официальная реплика",
    "replica fan trikot", "copia de seguridad", "faux cuir", "faux fur",
)  # fmt: skip
"""Legitimate phrases: licensed fan jerseys ("réplica oficial"), scale models, backups."""

GENERIC_BRANDS: tuple[str, ...] = (
    "genérico", "generico", "sin marca", "sem marca", "ohne marke", "markenlos", "no-name",
    "sans marque", "générique", "без бренда", "нет бренда", "noname", "без марки",
)  # fmt: skip
COMPAT_BEFORE: frozenset[str] = frozenset(
    {"para", "pra", "pour", "für", "fur", "для", "compatible", "compatível", "compativel",
     "kompatibel", "совместим", "совместимый", "совместима", "подходит", "passend", "ersatz",
     "remplace", "adaptable", "alternativo"}
)  # fmt: skip
"""Words before a brand that make it a compatibility mention in the five languages."""

CYRILLIC_BRANDS: dict[str, tuple[str, ...]] = {
    'Louis Vuitton': ('Луи Виттон', 'Луи Вюиттон', 'Луи Витон',),
    'Gucci': ('Гуччи', 'Гучи',),
    'Chanel': ('Шанель',),
    'Hermes': ('Гермес', 'Эрмес',),
    'Prada': ('Прада',),
    'Dior': ('Диор',),
    'Fendi': ('Фенди',),
    'Balenciaga': ('Баленсиага', 'Баленсияга',),
    'Burberry': ('Барберри', 'Бёрберри', 'Берберри',),
    'Yves Saint Laurent': ('Ив Сен Лоран', 'Сен Лоран',),
    'Celine': ('Селин',),
    'Versace': ('Версаче',),
    'Dolce & Gabbana': ('Дольче Габбана', 'Дольче и Габбана',),
    'Michael Kors': ('Майкл Корс',),
    'Coach': ('Коуч',),
    'Goyard': ('Гоярд',),
    'Off-White': ('Офф-Уайт', 'Офф Вайт',),
    'Longchamp': ('Лоншан',),
    'Vivienne Westwood': ('Вивьен Вествуд',),
    'Rolex': ('Ролекс',),
    'Omega': ('Омега',),
    'Patek Philippe': ('Патек Филипп',),
    'Audemars Piguet': ('Одемар Пиге',),
    'TAG Heuer': ('Таг Хойер', 'Таг Хоер',),
    'Breitling': ('Брайтлинг', 'Брейтлинг',),
    'Hublot': ('Хублот', 'Юбло',),
    'Richard Mille': ('Ричард Милле', 'Ришар Миль',),
    'Swatch': ('Свотч',),
    'Daniel Wellington': ('Дэниел Веллингтон',),
    'Cartier': ('Картье',),
    'Nike': ('Найк', 'Найки',),
    'adidas': ('Адидас',),
    'New Balance': ('Нью Баланс',),
    'Vans': ('Ванс',),
    'Converse': ('Конверс',),
    'Onitsuka Tiger': ('Оницука Тайгер',),
    'Crocs': ('Крокс',),
    'Birkenstock': ('Биркеншток',),
    'UGG': ('Угги', 'УГГ',),
    'The North Face': ('Норт Фейс', 'Зе Норт Фейс',),
    'Ralph Lauren': ('Ральф Лорен',),
    'Calvin Klein': ('Кельвин Кляйн', 'Калвин Кляйн',),
    'Lacoste': ('Лакост',),
    'Supreme': ('Суприм',),
    'Stone Island': ('Стон Айленд', 'Стоун Айленд',),
    'Canada Goose': ('Канада Гус',),
    'Moncler': ('Монклер',),
    'Lululemon': ('Лулулемон',),
    'A Bathing Ape': ('Бейп', 'Бэйп',),
    'Fear of God': ('Фир оф Год',),
    'Armani': ('Армани',),
    'Chrome Hearts': ('Хром Хартс',),
    'Apple': ('Эппл', 'Эпл',),
    'Samsung': ('Самсунг',),
    'Sony': ('Сони',),
    'Bose': ('Боуз', 'Бозе',),
    'Beats': ('Битс',),
    'JBL': ('Джибиэль',),
    'SanDisk': ('Сандиск',),
    'OtterBox': ('Оттербокс',),
    'MAC Cosmetics': ('МАК', 'Мак Косметикс',),
    'Fenty Beauty': ('Фенти Бьюти',),
    'Charlotte Tilbury': ('Шарлотта Тилбери',),
    'Jo Malone London': ('Джо Малон',),
    'Creed': ('Крид',),
    'Tom Ford': ('Том Форд',),
    'Kylie Cosmetics': ('Кайли Косметикс',),
    'Urban Decay': ('Урбан Декей',),
    'NARS': ('Нарс',),
    'Maison Margiela': ('Мезон Маржела', 'Мэйсон Маржела',),
    'Jean Paul Gaultier': ('Жан Поль Готье',),
    'Parfums de Marly': ('Парфюм де Марли',),
    'Gillette': ('Жиллетт',),
    'Tiffany & Co.': ('Тиффани',),
    'Pandora': ('Пандора',),
    'Bvlgari': ('Булгари',),
    'Van Cleef & Arpels': ('Ван Клиф', 'Ван Клиф энд Арпелс',),
    'Swarovski': ('Сваровски',),
    'David Yurman': ('Дэвид Юрман',),
    'Ray-Ban': ('Рэй-Бэн', 'Рейбан',),
    'Oakley': ('Окли',),
    'Maui Jim': ('Мауи Джим',),
    'Gentle Monster': ('Джентл Монстр',),
    'LEGO': ('Лего',),
    'Funko': ('Фанко',),
    'Pokemon': ('Покемон',),
    'Squishmallows': ('Сквишмеллоус',),
    'Jellycat': ('Джелликэт',),
    'Pop Mart': ('Поп Март',),
    "Rubik's": ('Рубик', 'Кубик Рубика',),
    'Yu-Gi-Oh!': ('Югио', 'Ю-Ги-О',),
    'Dyson': ('Дайсон',),
    'Oral-B': ('Орал-Би',),
    'Bosch': ('Бош',),
    'Denso': ('Денсо',),
    'NGK': ('НГК',),
    'Brembo': ('Брембо',),
    'Castrol': ('Кастрол',),
    'Real Madrid': ('Реал Мадрид', 'Реал',),
    'FC Barcelona': ('Барселона', 'Барса',),
    'Manchester United': ('Манчестер Юнайтед', 'МЮ',),
    'Liverpool FC': ('Ливерпуль',),
    'Paris Saint-Germain': ('ПСЖ', 'Пари Сен-Жермен',),
    'Inter Miami CF': ('Интер Майами',),
    'Boca Juniors': ('Бока Хуниорс',),
    'New Era': ('Нью Эра',),
    'NBA': ('НБА',),
    'NFL': ('НФЛ',),
    'NHL': ('НХЛ',),
    'MLB': ('МЛБ',),
    'Mitchell & Ness': ('Митчелл энд Несс',),
    '3M Littmann': ('Литтманн', 'Литман',),
    'Abbott FreeStyle': ('Фристайл Либре',),
    'Accu-Chek': ('Акку-Чек',),
}  # fmt: skip
"""Cyrillic spellings of registry brands in Russian listings (research: cyrillic_brands.tsv)."""

# Latin -> Cyrillic, longest first; applied to registry names. "c" before e/i/y is "с".
_TO_CYRILLIC: tuple[tuple[str, str], ...] = (
    ("sch", "ш"), ("tch", "ч"), ("cci", "ччи"), ("cce", "ччe"), ("sh", "ш"), ("ch", "ч"),
    ("zh", "ж"), ("kh", "х"), ("ph", "ф"), ("th", "т"), ("ts", "ц"), ("oo", "у"), ("ee", "и"),
    ("ck", "к"), ("qu", "кв"), ("ce", "се"), ("ci", "си"), ("cy", "си"), ("ya", "я"),
    ("yu", "ю"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "и"), ("z", "з"),
)  # fmt: skip
# Cyrillic -> Latin (BGN/PCGN-like, lower case).
_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_MIN_LETTERS = 4  # shorter transliterated names would collide with ordinary Russian words


def _fold(text: str) -> str:
    """Case-folded, without accents (the key of ``CYRILLIC_BRANDS`` lookups)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_LISTED = {_fold(brand): spellings for brand, spellings in CYRILLIC_BRANDS.items()}


def to_cyrillic(name: str) -> str:
    """Transliterate a Latin brand name into Cyrillic, letter group by letter group.

    Characters that are not Latin letters (digits, spaces, ``&``) are kept.

    Examples
    --------
    >>> to_cyrillic("Prada"), to_cyrillic("Gucci"), to_cyrillic("Tommy Hilfiger")
    ('прада', 'гуччи', 'томми хилфигер')
    """
    text, out, i = _fold(name), [], 0
    while i < len(text):
        for latin, cyrillic in _TO_CYRILLIC:
            if text.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("e", "е")


def to_latin(text: str) -> str:
    """Transliterate Cyrillic text into Latin letters (other characters are kept).

    Examples
    --------
    >>> to_latin("Прада"), to_latin("Гуччи"), to_latin("Найк")
    ('prada', 'guchchi', 'nayk')
    """
    return "".join(_TO_LATIN.get(ch, ch) for ch in text.casefold())


def cyrillic_aliases(brand: str, aliases: Iterable[str] = ()) -> list[str]:
    """Cyrillic names of a registry brand: its listed spellings, then transliterations.

    Examples
    --------
    >>> cyrillic_aliases("Louis Vuitton", ["LV"])[:3]
    ['Луи Виттон', 'Луи Вюиттон', 'Луи Витон']
    >>> "прада" in cyrillic_aliases("Prada")
    True
    """
    out = list(_LISTED.get(_fold(brand), ()))
    for name in (brand, *aliases):
        letters = sum(ch.isalpha() and ch.isascii() for ch in name)
        if letters >= _MIN_LETTERS and name.isascii():
            spelled = to_cyrillic(name)
            if spelled not in out:
                out.append(spelled)
    return out
