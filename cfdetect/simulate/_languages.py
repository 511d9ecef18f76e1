"""Listings in Spanish, Portuguese (Brazil), German, French and Russian.

A cross-border marketplace is not English only. Each listing gets a language (``draw_languages``,
shares from ``SimulationConfig.language_shares``, drawn from a stream of its own so the English
listings are the same whatever the shares) and a non-English listing is written here
(``write_local``) instead of by the English builders of ``_titles.TextMaker``: its own title
shapes (the product noun first in Spanish, Portuguese, French and Russian), translated product
nouns, colours and conditions, and each language's own replica, grade, euphemism, used, outlet,
compatibility, authenticity and off-platform words, taken from the research lists
(``/work/research/vocab_*.tsv``; sources in ``docs/simulator.md``). Russian listings write the
brand in Cyrillic about half the time (``CYRILLIC_BRANDS``, else a simple transliteration).
Prices are in the language's local currencies (``CURRENCIES``).

The recipe (tactic or genuine case) decides the listing as in English; only the words change, so
every language gets the same tactic mix and the same counterfeit rate. The feature extractor
keeps its own word lists (``cfdetect.features._multilingual``) and never reads these.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cfdetect.simulate._vocab import maker_name

if TYPE_CHECKING:  # the builders take a TextMaker and its _Item; no import at run time
    from cfdetect.simulate._titles import TextMaker, _Item

LANGUAGES: tuple[str, ...] = ("en", "es", "pt_BR", "de", "fr", "ru")
LOCAL: tuple[str, ...] = LANGUAGES[1:]
DEFAULT_LANGUAGE_SHARES: tuple[tuple[str, float], ...] = (
    ("en", 0.68), ("de", 0.10), ("es", 0.08), ("fr", 0.06), ("pt_BR", 0.045), ("ru", 0.035),
)  # fmt: skip
"""Share of listings per language (see docs/simulator.md: the research estimates en 55-65 %,
de 8-12 %, es 6-10 %, fr 4-7 %, pt_BR 3-6 %, ru 2-5 %, other 5-10 %; the other languages are
not simulated and their share is folded into English)."""

CURRENCIES: dict[str, tuple[tuple[str, float], ...]] = {
    "es": (("EUR", 0.5), ("MXN", 0.35), ("ARS", 0.15)),
    "pt_BR": (("BRL", 1.0),),
    "de": (("EUR", 0.88), ("CHF", 0.12)),
    "fr": (("EUR", 0.92), ("CHF", 0.08)),
    "ru": (("RUB", 0.9), ("KZT", 0.1)),
}
"""Currencies of each language's listings (Spain / Mexico / Argentina, Brazil, Germany and
Switzerland, France and Switzerland, Russia and Kazakhstan); English listings keep the seller's."""

_LANG_STREAM = 0x1A46  # spawn key of the language stream of a block


def check_language_shares(shares: object) -> tuple[tuple[str, float], ...]:
    """Validate (language, share) pairs; return them normalised to sum to 1.

    Examples
    --------
    >>> check_language_shares((("en", 3), ("ru", 1)))
    (('en', 0.75), ('ru', 0.25))
    """
    try:
        pairs = [(str(lang), float(share)) for lang, share in shares]  # type: ignore[union-attr]
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"language_shares must be (language, share) pairs, got {shares!r}"
        ) from exc
    unknown = [lang for lang, _ in pairs if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}; known: {', '.join(LANGUAGES)}")
    if len({lang for lang, _ in pairs}) != len(pairs):
        raise ValueError("language_shares names a language twice")
    if any(not share >= 0 or share == float("inf") for _, share in pairs):
        raise ValueError("language shares must be finite and not negative")
    total = sum(share for _, share in pairs)
    if total <= 0:
        raise ValueError("language shares must not all be 0")
    return tuple((lang, share / total) for lang, share in pairs)


def draw_languages(
    block_seed: np.random.SeedSequence, n: int, shares: tuple[tuple[str, float], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The language of each of a block's ``n`` listings, and a uniform draw for its currency.

    Drawn from a stream of the block's own (not the block's main stream, so English-only runs
    are unchanged) and independently of the label, the tactic and the seller: every language
    has the same tactic mix and counterfeit rate in expectation.
    """
    seed = np.random.SeedSequence(
        block_seed.entropy, spawn_key=(*block_seed.spawn_key, _LANG_STREAM)
    )
    rng = np.random.default_rng(seed)
    names = np.array([lang for lang, _ in shares], dtype=object)
    cumulative = np.cumsum([share for _, share in shares])
    pick = np.searchsorted(cumulative / cumulative[-1], rng.random(n), side="right")
    return names[np.minimum(pick, len(names) - 1)], rng.random(n)


def local_currencies(languages: np.ndarray, currency: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """The listing currency: the seller's for English, a local one for the other languages."""
    out = np.array(currency, dtype=object).copy()
    for lang, options in CURRENCIES.items():
        rows = np.flatnonzero(languages == lang)
        if not len(rows):
            continue
        cumulative = np.cumsum([w for _, w in options])
        pick = np.searchsorted(cumulative / cumulative[-1], draw[rows], side="right")
        codes = np.array([c for c, _ in options], dtype=object)
        out[rows] = codes[np.minimum(pick, len(codes) - 1)]
    return out


# --- translated words -------------------------------------------------------------------------
# Tuples are (es, pt_BR, de, fr, ru).

_COLUMN = {lang: i for i, lang in enumerate(LOCAL)}

NOUNS: dict[str, tuple[str, str, str, str, str]] = {
    "handbag": ("Bolso", "Bolsa", "Handtasche", "Sac à main", "Сумка"),
    "icon_handbag": ("Bolso", "Bolsa", "Handtasche", "Sac", "Сумка"),
    "leather_handbag": (
        "Bolso de piel",
        "Bolsa de couro",
        "Ledertasche",
        "Sac en cuir",
        "Кожаная сумка",
    ),
    "wallet": ("Cartera", "Carteira", "Geldbörse", "Portefeuille", "Кошелек"),
    "belt": ("Cinturón", "Cinto", "Gürtel", "Ceinture", "Ремень"),
    "belt_bag": ("Riñonera", "Pochete", "Gürteltasche", "Sac banane", "Поясная сумка"),
    "backpack": ("Mochila", "Mochila", "Rucksack", "Sac à dos", "Рюкзак"),
    "scarf": ("Bufanda", "Cachecol", "Schal", "Écharpe", "Шарф"),
    "sneakers": ("Zapatillas", "Tênis", "Sneaker", "Baskets", "Кроссовки"),
    "boots": ("Botas", "Botas", "Stiefel", "Bottes", "Ботинки"),
    "sandals": ("Sandalias", "Sandálias", "Sandalen", "Sandales", "Сандалии"),
    "slides": ("Chanclas", "Chinelos", "Badelatschen", "Claquettes", "Шлепанцы"),
    "clogs": ("Zuecos", "Tamancos", "Clogs", "Sabots", "Сабо"),
    "football_boots": (
        "Botas de fútbol",
        "Chuteiras",
        "Fußballschuhe",
        "Chaussures de foot",
        "Бутсы",
    ),
    "perfume": ("Perfume", "Perfume", "Parfum", "Parfum", "Парфюм"),
    "lipstick": ("Pintalabios", "Batom", "Lippenstift", "Rouge à lèvres", "Помада"),
    "lip_gloss": ("Brillo de labios", "Gloss", "Lipgloss", "Gloss", "Блеск для губ"),
    "mascara": ("Máscara de pestañas", "Máscara de cílios", "Mascara", "Mascara", "Тушь"),
    "foundation": ("Base de maquillaje", "Base", "Foundation", "Fond de teint", "Тональный крем"),
    "skincare": ("Crema facial", "Creme facial", "Gesichtscreme", "Crème visage", "Крем для лица"),
    "eyeshadow_palette": (
        "Paleta de sombras",
        "Paleta de sombras",
        "Lidschattenpalette",
        "Palette de fards",
        "Палетка теней",
    ),
    "earrings": ("Pendientes", "Brincos", "Ohrringe", "Boucles d'oreilles", "Серьги"),
    "bracelet": ("Pulsera", "Pulseira", "Armband", "Bracelet", "Браслет"),
    "necklace": ("Collar", "Colar", "Halskette", "Collier", "Колье"),
    "ring": ("Anillo", "Anel", "Ring", "Bague", "Кольцо"),
    "charm": ("Charm", "Berloque", "Charm-Anhänger", "Charm", "Шарм"),
    "watch": ("Reloj", "Relógio", "Uhr", "Montre", "Часы"),
    "precious_metal_watch": (
        "Reloj de oro",
        "Relógio de ouro",
        "Golduhr",
        "Montre en or",
        "Золотые часы",
    ),
    "smartwatch": (
        "Reloj inteligente",
        "Smartwatch",
        "Smartwatch",
        "Montre connectée",
        "Смарт-часы",
    ),
    "earbuds": (
        "Auriculares inalámbricos",
        "Fones de ouvido sem fio",
        "Kopfhörer In-Ear",
        "Écouteurs sans fil",
        "Беспроводные наушники",
    ),
    "headphones": ("Auriculares", "Fones de ouvido", "Kopfhörer", "Casque audio", "Наушники"),
    "headset": ("Auriculares gaming", "Headset", "Headset", "Casque gaming", "Гарнитура"),
    "smartphone": ("Teléfono móvil", "Celular", "Smartphone", "Smartphone", "Смартфон"),
    "phone_case": ("Funda", "Capa", "Handyhülle", "Coque", "Чехол"),
    "cable": ("Cable", "Cabo", "Kabel", "Câble", "Кабель"),
    "charger": ("Cargador", "Carregador", "Ladegerät", "Chargeur", "Зарядное устройство"),
    "power_bank": (
        "Batería externa",
        "Carregador portátil",
        "Powerbank",
        "Batterie externe",
        "Пауэрбанк",
    ),
    "battery": ("Batería", "Bateria", "Akku", "Batterie", "Аккумулятор"),
    "laptop": ("Portátil", "Notebook", "Laptop", "Ordinateur portable", "Ноутбук"),
    "tablet": ("Tableta", "Tablet", "Tablet", "Tablette", "Планшет"),
    "tv": ("Televisor", "Televisão", "Fernseher", "Téléviseur", "Телевизор"),
    "speaker": ("Altavoz", "Caixa de som", "Lautsprecher", "Enceinte", "Колонка"),
    "smart_speaker": (
        "Altavoz inteligente",
        "Caixa de som inteligente",
        "Smart Speaker",
        "Enceinte connectée",
        "Умная колонка",
    ),
    "camera": ("Cámara", "Câmera", "Kamera", "Appareil photo", "Фотоаппарат"),
    "compact_camera": (
        "Cámara compacta",
        "Câmera compacta",
        "Kompaktkamera",
        "Appareil compact",
        "Компактная камера",
    ),
    "mirrorless_camera": (
        "Cámara sin espejo",
        "Câmera mirrorless",
        "Systemkamera",
        "Hybride",
        "Беззеркальная камера",
    ),
    "lens": ("Objetivo", "Lente", "Objektiv", "Objectif", "Объектив"),
    "game_console": ("Consola", "Console", "Spielkonsole", "Console", "Игровая приставка"),
    "game_controller": ("Mando", "Controle", "Controller", "Manette", "Геймпад"),
    "video_game": ("Videojuego", "Jogo", "Videospiel", "Jeu vidéo", "Видеоигра"),
    "memory_card": (
        "Tarjeta de memoria",
        "Cartão de memória",
        "Speicherkarte",
        "Carte mémoire",
        "Карта памяти",
    ),
    "usb_flash_drive": ("Memoria USB", "Pen drive", "USB-Stick", "Clé USB", "Флешка"),
    "ssd": ("Disco SSD", "SSD", "SSD", "SSD", "SSD-диск"),
    "portable_ssd": ("SSD portátil", "SSD portátil", "Externe SSD", "SSD externe", "Внешний SSD"),
    "router": ("Router", "Roteador", "Router", "Routeur", "Роутер"),
    "keyboard": ("Teclado", "Teclado", "Tastatur", "Clavier", "Клавиатура"),
    "mouse": ("Ratón", "Mouse", "Maus", "Souris", "Мышь"),
    "monitor": ("Monitor", "Monitor", "Monitor", "Écran", "Монитор"),
    "printer": ("Impresora", "Impressora", "Drucker", "Imprimante", "Принтер"),
    "ink_cartridge": (
        "Cartucho de tinta",
        "Cartucho de tinta",
        "Tintenpatrone",
        "Cartouche d'encre",
        "Картридж",
    ),
    "toner_cartridge": ("Tóner", "Toner", "Toner", "Toner", "Тонер-картридж"),
    "screen_protector": (
        "Protector de pantalla",
        "Película protetora",
        "Displayschutz",
        "Protection d'écran",
        "Защитное стекло",
    ),
    "electric_toothbrush": (
        "Cepillo eléctrico",
        "Escova elétrica",
        "Elektrische Zahnbürste",
        "Brosse à dents électrique",
        "Электрическая зубная щетка",
    ),
    "toothbrush_head": (
        "Cabezales de recambio",
        "Refis",
        "Aufsteckbürsten",
        "Brossettes",
        "Насадки",
    ),
    "electric_shaver": (
        "Afeitadora",
        "Barbeador elétrico",
        "Rasierer",
        "Rasoir électrique",
        "Электробритва",
    ),
    "razor": ("Maquinilla", "Aparelho de barbear", "Rasierer", "Rasoir", "Бритва"),
    "razor_blades": (
        "Cuchillas de afeitar",
        "Lâminas de barbear",
        "Rasierklingen",
        "Lames de rasoir",
        "Сменные кассеты",
    ),
    "sunglasses": (
        "Gafas de sol",
        "Óculos de sol",
        "Sonnenbrille",
        "Lunettes de soleil",
        "Солнцезащитные очки",
    ),
    "eyeglass_frames": (
        "Montura de gafas",
        "Armação de óculos",
        "Brillengestell",
        "Monture de lunettes",
        "Оправа",
    ),
    "jersey": ("Camiseta", "Camisa", "Trikot", "Maillot", "Футболка"),
    "t_shirt": ("Camiseta", "Camiseta", "T-Shirt", "T-shirt", "Футболка"),
    "polo_shirt": ("Polo", "Camisa polo", "Poloshirt", "Polo", "Поло"),
    "shirt": ("Camisa", "Camisa", "Hemd", "Chemise", "Рубашка"),
    "hoodie": ("Sudadera con capucha", "Moletom", "Hoodie", "Sweat à capuche", "Худи"),
    "sweatshirt": ("Sudadera", "Moletom", "Sweatshirt", "Sweat", "Свитшот"),
    "sweater": ("Jersey", "Suéter", "Pullover", "Pull", "Свитер"),
    "jacket": ("Chaqueta", "Jaqueta", "Jacke", "Veste", "Куртка"),
    "track_jacket": (
        "Chaqueta deportiva",
        "Jaqueta esportiva",
        "Trainingsjacke",
        "Veste de survêtement",
        "Олимпийка",
    ),
    "trench_coat": ("Gabardina", "Trench coat", "Trenchcoat", "Trench", "Тренч"),
    "dress": ("Vestido", "Vestido", "Kleid", "Robe", "Платье"),
    "jeans": ("Vaqueros", "Calça jeans", "Jeans", "Jean", "Джинсы"),
    "leggings": ("Mallas", "Legging", "Leggings", "Legging", "Леггинсы"),
    "sweatpants": (
        "Pantalón de chándal",
        "Calça de moletom",
        "Jogginghose",
        "Pantalon de jogging",
        "Спортивные штаны",
    ),
    "underwear": ("Ropa interior", "Cueca", "Unterwäsche", "Sous-vêtements", "Нижнее белье"),
    "suit": ("Traje", "Terno", "Anzug", "Costume", "Костюм"),
    "cap": ("Gorra", "Boné", "Cap", "Casquette", "Кепка"),
    "beanie": ("Gorro", "Gorro", "Mütze", "Bonnet", "Шапка"),
    "building_set": (
        "Set de construcción",
        "Kit de montar",
        "Bauset",
        "Set de construction",
        "Конструктор",
    ),
    "adult_collector_set": (
        "Set de coleccionista",
        "Kit colecionável",
        "Sammlerset",
        "Set collector",
        "Коллекционный набор",
    ),
    "minifigure": ("Minifigura", "Minifigura", "Minifigur", "Minifigurine", "Минифигурка"),
    "plush": ("Peluche", "Pelúcia", "Plüschtier", "Peluche", "Мягкая игрушка"),
    "doll": ("Muñeca", "Boneca", "Puppe", "Poupée", "Кукла"),
    "action_figure": ("Figura de acción", "Boneco", "Actionfigur", "Figurine", "Фигурка"),
    "vinyl_figure": (
        "Figura de vinilo",
        "Boneco de vinil",
        "Vinylfigur",
        "Figurine vinyle",
        "Виниловая фигурка",
    ),
    "trading_cards": (
        "Cartas coleccionables",
        "Cartas colecionáveis",
        "Sammelkarten",
        "Cartes à collectionner",
        "Коллекционные карточки",
    ),
    "die_cast_car": (
        "Coche a escala",
        "Carrinho",
        "Modellauto",
        "Voiture miniature",
        "Модель машины",
    ),
    "puzzle_cube": ("Cubo de Rubik", "Cubo mágico", "Zauberwürfel", "Casse-tête", "Кубик"),
    "vacuum": ("Aspiradora", "Aspirador", "Staubsauger", "Aspirateur", "Пылесос"),
    "robot_vacuum": (
        "Robot aspirador",
        "Robô aspirador",
        "Saugroboter",
        "Robot aspirateur",
        "Робот-пылесос",
    ),
    "hair_dryer": ("Secador de pelo", "Secador de cabelo", "Haartrockner", "Sèche-cheveux", "Фен"),
    "hair_styler": ("Moldeador de pelo", "Modelador", "Haarstyler", "Styler", "Стайлер"),
    "hair_straightener": ("Plancha de pelo", "Chapinha", "Glätteisen", "Lisseur", "Выпрямитель"),
    "coffee_machine": ("Cafetera", "Cafeteira", "Kaffeemaschine", "Machine à café", "Кофемашина"),
    "coffee_capsules": (
        "Cápsulas de café",
        "Cápsulas de café",
        "Kaffeekapseln",
        "Capsules de café",
        "Капсулы",
    ),
    "coffee_pods": ("Cápsulas de café", "Cápsulas", "Kaffeepads", "Dosettes", "Капсулы"),
    "blender": ("Batidora", "Liquidificador", "Mixer", "Blender", "Блендер"),
    "stand_mixer": (
        "Robot de cocina",
        "Batedeira",
        "Küchenmaschine",
        "Robot pâtissier",
        "Планетарный миксер",
    ),
    "air_fryer": (
        "Freidora de aire",
        "Air fryer",
        "Heißluftfritteuse",
        "Friteuse à air",
        "Аэрогриль",
    ),
    "spark_plugs": ("Bujías", "Velas de ignição", "Zündkerzen", "Bougies", "Свечи зажигания"),
    "brake_pads": (
        "Pastillas de freno",
        "Pastilhas de freio",
        "Bremsbeläge",
        "Plaquettes de frein",
        "Тормозные колодки",
    ),
    "brake_rotors": (
        "Discos de freno",
        "Discos de freio",
        "Bremsscheiben",
        "Disques de frein",
        "Тормозные диски",
    ),
    "motor_oil": ("Aceite de motor", "Óleo de motor", "Motoröl", "Huile moteur", "Моторное масло"),
    "oil_filter": (
        "Filtro de aceite",
        "Filtro de óleo",
        "Ölfilter",
        "Filtre à huile",
        "Масляный фильтр",
    ),
    "air_filter": (
        "Filtro de aire",
        "Filtro de ar",
        "Luftfilter",
        "Filtre à air",
        "Воздушный фильтр",
    ),
    "wiper_blades": (
        "Escobillas",
        "Palhetas",
        "Scheibenwischer",
        "Balais d'essuie-glace",
        "Щетки стеклоочистителя",
    ),
    "tires": ("Neumáticos", "Pneus", "Reifen", "Pneus", "Шины"),
    "glucose_test_strips": (
        "Tiras reactivas",
        "Tiras de glicemia",
        "Teststreifen",
        "Bandelettes",
        "Тест-полоски",
    ),
    "glucose_meter": (
        "Glucómetro",
        "Glicosímetro",
        "Blutzuckermessgerät",
        "Lecteur de glycémie",
        "Глюкометр",
    ),
    "cgm_sensor": (
        "Sensor de glucosa",
        "Sensor de glicose",
        "Glukosesensor",
        "Capteur de glucose",
        "Сенсор глюкозы",
    ),
    "blood_pressure_monitor": (
        "Tensiómetro",
        "Medidor de pressão",
        "Blutdruckmessgerät",
        "Tensiomètre",
        "Тонометр",
    ),
    "stethoscope": ("Estetoscopio", "Estetoscópio", "Stethoskop", "Stéthoscope", "Стетоскоп"),
}
"""Product nouns by registry product type; other types use ``CATEGORY_NOUNS``."""

CATEGORY_NOUNS: dict[str, tuple[str, str, str, str, str]] = {
    "bags_luxury_fashion": ("Bolso", "Bolsa", "Tasche", "Sac", "Сумка"),
    "watches": ("Reloj", "Relógio", "Uhr", "Montre", "Часы"),
    "sneakers_sportswear": ("Zapatillas", "Tênis", "Schuhe", "Chaussures", "Обувь"),
    "apparel": ("Prenda", "Roupa", "Kleidung", "Vêtement", "Одежда"),
    "electronics_accessories": ("Dispositivo", "Aparelho", "Gerät", "Appareil", "Устройство"),
    "fragrance_cosmetics": ("Cosmético", "Cosmético", "Kosmetik", "Cosmétique", "Косметика"),
    "jewelry": ("Joya", "Joia", "Schmuck", "Bijou", "Украшение"),
    "eyewear": ("Gafas", "Óculos", "Brille", "Lunettes", "Очки"),
    "toys": ("Juguete", "Brinquedo", "Spielzeug", "Jouet", "Игрушка"),
    "sports_jerseys": ("Camiseta", "Camisa", "Trikot", "Maillot", "Футболка"),
    "auto_parts": ("Recambio", "Peça", "Ersatzteil", "Pièce auto", "Запчасть"),
    "home_appliances": (
        "Electrodoméstico",
        "Eletrodoméstico",
        "Haushaltsgerät",
        "Électroménager",
        "Бытовая техника",
    ),
    "medical_devices": (
        "Dispositivo médico",
        "Aparelho médico",
        "Medizinprodukt",
        "Dispositif médical",
        "Медицинский прибор",
    ),
}

COLOURS: dict[str, tuple[str, str, str, str, str]] = {
    "black": ("Negro", "Preto", "Schwarz", "Noir", "черный"),
    "white": ("Blanco", "Branco", "Weiß", "Blanc", "белый"),
    "red": ("Rojo", "Vermelho", "Rot", "Rouge", "красный"),
    "navy": ("Azul marino", "Azul marinho", "Marineblau", "Bleu marine", "темно-синий"),
    "blue": ("Azul", "Azul", "Blau", "Bleu", "синий"),
    "beige": ("Beige", "Bege", "Beige", "Beige", "бежевый"),
    "brown": ("Marrón", "Marrom", "Braun", "Marron", "коричневый"),
    "tan": ("Camel", "Caramelo", "Cognac", "Camel", "карамельный"),
    "grey": ("Gris", "Cinza", "Grau", "Gris", "серый"),
    "gray": ("Gris", "Cinza", "Grau", "Gris", "серый"),
    "silver": ("Plateado", "Prata", "Silber", "Argent", "серебристый"),
    "gold": ("Dorado", "Dourado", "Gold", "Doré", "золотой"),
    "rose gold": ("Oro rosa", "Ouro rosé", "Roségold", "Or rose", "розовое золото"),
    "white gold": ("Oro blanco", "Ouro branco", "Weißgold", "Or blanc", "белое золото"),
    "pink": ("Rosa", "Rosa", "Rosa", "Rose", "розовый"),
    "green": ("Verde", "Verde", "Grün", "Vert", "зеленый"),
    "cream": ("Crema", "Creme", "Creme", "Crème", "кремовый"),
    "olive": ("Verde oliva", "Verde oliva", "Oliv", "Olive", "оливковый"),
    "burgundy": ("Burdeos", "Vinho", "Bordeaux", "Bordeaux", "бордовый"),
    "multicolor": ("Multicolor", "Colorido", "Bunt", "Multicolore", "разноцветный"),
    "yellow": ("Amarillo", "Amarelo", "Gelb", "Jaune", "желтый"),
    "black dial": (
        "Esfera negra",
        "Mostrador preto",
        "Zifferblatt schwarz",
        "Cadran noir",
        "черный циферблат",
    ),
    "blue dial": (
        "Esfera azul",
        "Mostrador azul",
        "Zifferblatt blau",
        "Cadran bleu",
        "синий циферблат",
    ),
    "green dial": (
        "Esfera verde",
        "Mostrador verde",
        "Zifferblatt grün",
        "Cadran vert",
        "зеленый циферблат",
    ),
    "white dial": (
        "Esfera blanca",
        "Mostrador branco",
        "Zifferblatt weiß",
        "Cadran blanc",
        "белый циферблат",
    ),
    "stainless steel": (
        "Acero inoxidable",
        "Aço inox",
        "Edelstahl",
        "Acier inoxydable",
        "нержавеющая сталь",
    ),
}
"""Colours; a colour not listed (a finish or colourway name: "Panda", "Havana") stays as is."""

ATTRIBUTE_WORDS: dict[str, tuple[str, str, str, str, str]] = {
    "small": ("Pequeño", "Pequena", "Klein", "Petit", "маленькая"),
    "medium": ("Mediano", "Média", "Mittel", "Moyen", "средняя"),
    "large": ("Grande", "Grande", "Groß", "Grand", "большая"),
    "mini": ("Mini", "Mini", "Mini", "Mini", "мини"),
    "leather": ("Piel", "Couro", "Leder", "Cuir", "кожа"),
    "genuine leather": (
        "Piel auténtica",
        "Couro legítimo",
        "Echtleder",
        "Cuir véritable",
        "натуральная кожа",
    ),
    "calfskin": (
        "Piel de becerro",
        "Couro de bezerro",
        "Kalbsleder",
        "Cuir de veau",
        "телячья кожа",
    ),
    "lambskin": (
        "Piel de cordero",
        "Pele de cordeiro",
        "Lammleder",
        "Cuir d'agneau",
        "кожа ягненка",
    ),
    "cotton": ("Algodón", "Algodão", "Baumwolle", "Coton", "хлопок"),
    "wool": ("Lana", "Lã", "Wolle", "Laine", "шерсть"),
    "cashmere": ("Cachemira", "Cashmere", "Kaschmir", "Cachemire", "кашемир"),
    "silk": ("Seda", "Seda", "Seide", "Soie", "шелк"),
    "automatic": ("Automático", "Automático", "Automatik", "Automatique", "автоподзавод"),
    "wireless": ("Inalámbrico", "Sem fio", "Kabellos", "Sans fil", "беспроводные"),
    "unlocked": ("Libre", "Desbloqueado", "Ohne Simlock", "Débloqué", "разблокирован"),
    "men's": ("Hombre", "Masculino", "Herren", "Homme", "мужские"),
    "women's": ("Mujer", "Feminino", "Damen", "Femme", "женские"),
}


@dataclass(frozen=True)
class Words:
    """One language's vocabulary for the title and description builders."""

    explicit: tuple[str, ...]  # replica words
    grades: tuple[str, ...]  # grade / community slang
    euphemisms: tuple[str, ...]  # "{b}" marks where the brand goes, else the word precedes it
    used_tags: tuple[str, ...]
    outlet_tags: tuple[str, ...]
    refurb_tags: tuple[str, ...]
    import_tags: tuple[str, ...]
    compat: tuple[str, ...]  # "{acc}", "{target}"
    accessories: tuple[str, ...]  # generic third-party accessories
    claims: tuple[str, ...]  # genuine sellers denying the tells
    offsite: tuple[str, ...]
    shouts: tuple[str, ...]
    lots: tuple[str, ...]  # "{k}", "{b}", "{noun}"
    bundles: tuple[str, ...]  # "{b}", "{noun}", "{n}"
    lookalike: tuple[str, ...]  # "{noun}", "{colour}"
    no_brand: tuple[str, ...]  # declared brand of unbranded goods
    jersey: tuple[str, ...]  # licensed fan jerseys: "{b}", "{line}", "{season}"
    scale_model: str  # "{b}", "{scale}"
    licensed: str  # "{b}", "{line}", "{noun}"
    openings_new: tuple[str, ...]
    openings_used: tuple[str, ...]
    openings_store: tuple[str, ...]  # "{brand}"
    short_notes: tuple[str, ...]
    shipping_near: tuple[str, ...]
    shipping_far: tuple[str, ...]
    returns: tuple[str, ...]
    personal: tuple[str, ...]  # "{brand}", "{noun}"
    wear: tuple[str, ...]
    proof: tuple[str, ...]
    telltales: tuple[str, ...]  # counterfeit tell-tales
    innocent: tuple[str, ...]  # risky-looking phrases of genuine sellers
    features: tuple[str, ...]  # catalogue feature phrases
    lot_openings: tuple[str, ...]  # "{lot}"
    accessory_openings: tuple[str, ...]  # "{target}", "{b}"


WORDS: dict[str, Words] = {
    "es": Words(
        explicit=("Réplica", "Réplica", "réplica", "Replica", "Copia", "Copia exacta", "Imitación",
                  "Clon", "Pirata", "Chafa", "Trucho", "Bamba", "No original"),
        grades=("AAA", "1:1", "Calidad espejo", "Réplica AAA", "Calidad 1:1", "Primera calidad",
                "Calidad original", "Réplica premium", "Triple A"),
        euphemisms=("Tipo {b}", "Estilo {b}", "Inspirado en {b}", "Similar a {b}",
                    "Alternativa a {b}", "Dupe {b}", "Equivalencia {b}", "{b} genérico"),
        used_tags=("Usado", "Seminuevo", "Poco uso", "Como nuevo", "De segunda mano",
                   "Vintage", "Caja abierta"),
        outlet_tags=("Outlet", "Liquidación", "Saldo", "Fin de temporada", "Remate",
                     "-{pct}0 %"),
        refurb_tags=("Reacondicionado", "Reacondicionado Grado A", "Restaurado", "Renovado"),
        import_tags=("Importado", "Versión global", "Importado de USA", "Liberado"),
        compat=("{acc} compatible con {target}", "{acc} para {target}",
                "{acc} compatible {target} - no original", "{acc} alternativo para {target}"),
        accessories=("Funda", "Correa", "Cargador", "Cable", "Protector", "Batería", "Estuche"),
        claims=("100% original, no réplica", "Original garantizado", "Auténtico, no copia",
                "Legítimo con factura", "100% originales, no imitación"),
        offsite=("escríbeme por WhatsApp", "más modelos por WhatsApp", "pide fotos reales por DM",
                 "catálogo por Telegram"),
        shouts=("Oferta", "Envío gratis", "Envío rápido", "Nuevo", "Novedad", "Top ventas",
                "Precio de mayoreo", "Últimas unidades"),
        lots=("Lote {k} piezas {b} {noun}", "{k} pares {b} {noun} al por mayor",
              "Mayoreo {b} {noun} x{k}", "Paquete {k} unidades {b}"),
        bundles=("Caja sorpresa {b} {n} artículos", "Llavero + {noun} {b} de regalo",
                 "Kit regalo {b} {noun}"),
        lookalike=("{noun} {colour}", "{noun} sin marca {colour}", "{noun} diseño clásico",
                   "{noun} genérico"),
        no_brand=("Genérico", "Sin marca", "Genérico", ""),
        jersey=("Camiseta {b} {line} {season} réplica oficial",
                "Camiseta oficial {b} {season} versión aficionado"),
        scale_model="{b} modelo a escala {scale} réplica oficial",
        licensed="{b} {line} {noun} réplica oficial con licencia",
        openings_new=("Nuevo en caja.", "Nuevo con etiquetas.", "Nuevo sellado.",
                      "Producto original.", "En stock, envío inmediato.", "Como en las fotos.",
                      "Con caja original.", "Ideal para regalo."),
        openings_used=("Usado en buen estado.", "Seminuevo, poco uso.", "Como nuevo.",
                       "Con ligeras marcas de uso."),
        openings_store=("Tienda oficial {brand}.", "Distribuidor autorizado {brand}.",
                        "Garantía oficial {brand}."),
        short_notes=("Nuevo.", "Como en las fotos.", "Envío gratis.", "Precio fijo.",
                     "Acepto ofertas.", "Pregunta sin compromiso.", "Original."),
        shipping_near=("Envío en 24 horas.", "Envío con seguimiento.", "Envío gratis.",
                       "Entrega en 2-3 días."),
        shipping_far=("Envío internacional 10-20 días.", "Envío desde el extranjero, 15-25 días.",
                      "Envío con seguimiento."),
        returns=("Devolución en 30 días.", "No se aceptan devoluciones.", "Devolución gratuita."),
        personal=("Vendo mi {noun} {brand}.", "Vendo {noun} {brand}.", "Regalo que no uso.",
                  "Lo compré el año pasado."),
        wear=("Muy buen estado.", "Pocas marcas de uso.", "Funciona perfectamente."),
        proof=("Con factura.", "Con caja y papeles.", "Sin caja.", "", "Con ticket de compra."),
        telltales=("Calidad AAA, igual al original.", "Réplica de alta calidad.",
                   "Calidad espejo.", "Idéntico al original.", "Precio de fábrica.",
                   "No se distingue del original."),
        innocent=("Calidad premium.", "Acabado espejo.", "Como en tienda, mejor precio.",
                  "Pilas AAA incluidas.", "Estilo retro."),
        features=("material de alta calidad", "diseño elegante", "cómodo de usar",
                  "incluye caja", "garantía de 2 años"),
        lot_openings=("Precio de mayoreo.", "Se vende por lote.", "Lote de {lot} unidades."),
        accessory_openings=("Accesorio compatible con {target}. No fabricado por {b}.",
                            "Compatible con {target}."),
    ),
    "pt_BR": Words(
        explicit=("Réplica", "Réplica", "réplica", "Replica", "Réplica primeira linha", "Cópia",
                  "Imitação", "Pirata", "Paralelo", "Réplica perfeita", "Réplica espelho"),
        grades=("AAA", "AAA+", "1:1", "Primeira linha", "Qualidade original", "Réplica top",
                "Top de linha", "1.1"),
        euphemisms=("Tipo original {b}", "Similar {b}", "Inspirado em {b}", "Contratipo {b}",
                    "Linha premium {b}", "Dupe {b}", "Inspiração {b}"),
        used_tags=("Usado", "Seminovo", "Pouco usado", "Estado de novo", "Desapego",
                   "Brechó", "Mostruário"),
        outlet_tags=("Outlet", "Ponta de estoque", "Queima de estoque", "Liquidação",
                     "{pct}0% off"),
        refurb_tags=("Recondicionado", "Vitrine", "Grade A", "Recondicionado Grade A"),
        import_tags=("Importado", "Versão global", "Desbloqueado"),
        compat=("{acc} compatível com {target}", "{acc} para {target}",
                "{acc} genérico para {target}", "{acc} paralelo {target}"),
        accessories=("Capa", "Pulseira", "Carregador", "Cabo", "Película", "Bateria", "Case"),
        claims=("100% original, não é réplica", "Original com nota fiscal",
                "Autêntico, não é cópia", "Legítimo, com NF"),
        offsite=("chama no zap", "chama no WhatsApp", "mais modelos no zap",
                 "fotos reais no direct"),
        shouts=("Promoção", "Frete grátis", "Envio imediato", "Lançamento", "Novo",
                "Pronta entrega", "Preço de atacado", "Últimas unidades"),
        lots=("Kit {k} peças {b} {noun}", "Atacado {k} unidades {b} {noun}",
              "Lote {k} {noun} {b} revenda", "{k} pares {b} atacado"),
        bundles=("Caixa surpresa {b} {n} itens", "Chaveiro + {noun} {b} de brinde",
                 "Kit presente {b} {noun}"),
        lookalike=("{noun} {colour}", "{noun} sem marca {colour}", "{noun} modelo clássico",
                   "{noun} genérico"),
        no_brand=("Genérico", "Sem marca", "Genérico", ""),
        jersey=("Camisa {b} {line} {season} torcedor oficial",
                "Camisa oficial {b} {season} versão torcedor"),
        scale_model="{b} miniatura escala {scale} licenciada",
        licensed="{b} {line} {noun} produto oficial licenciado",
        openings_new=("Novo na caixa.", "Novo com etiqueta.", "Novo lacrado.",
                      "Produto original.", "Pronta entrega.", "Igual às fotos.",
                      "Com caixa original.", "Ótimo para presente."),
        openings_used=("Usado em bom estado.", "Seminovo, pouco uso.", "Estado de novo.",
                       "Com pequenas marcas de uso."),
        openings_store=("Loja oficial {brand}.", "Revendedor autorizado {brand}.",
                        "Garantia oficial {brand}."),
        short_notes=("Novo.", "Igual às fotos.", "Frete grátis.", "Preço fixo.",
                     "Aceito propostas.", "Dúvidas? Pergunte.", "Original."),
        shipping_near=("Envio em 24 horas.", "Envio com rastreio.", "Frete grátis.",
                       "Entrega em 2-5 dias úteis."),
        shipping_far=("Envio internacional 15-30 dias.", "Enviado do exterior, 20-40 dias.",
                      "Envio com rastreio."),
        returns=("Devolução em 7 dias.", "Não aceito devolução.", "Troca grátis."),
        personal=("Vendo meu {noun} {brand}.", "Desapego {noun} {brand}.", "Ganhei de presente.",
                  "Comprei ano passado."),
        wear=("Muito bem conservado.", "Poucas marcas de uso.", "Funcionando perfeitamente."),
        proof=("Com nota fiscal.", "Com caixa e documentos.", "Sem caixa.", "",
               "Com cupom fiscal."),
        telltales=("Qualidade AAA, igual ao original.", "Réplica de primeira linha.",
                   "Réplica espelho.", "Idêntico ao original.", "Preço de fábrica.",
                   "Ninguém vai perceber."),
        innocent=("Qualidade premium.", "Acabamento espelhado.", "Igual à loja, preço melhor.",
                  "Pilhas AAA inclusas.", "Estilo retrô."),
        features=("material de alta qualidade", "design elegante", "confortável",
                  "acompanha caixa", "garantia de 1 ano"),
        lot_openings=("Preço de atacado.", "Vendido em lote.", "Kit com {lot} unidades."),
        accessory_openings=("Acessório compatível com {target}. Não fabricado pela {b}.",
                            "Compatível com {target}."),
    ),
    "de": Words(
        explicit=("Replika", "Replika", "Replica", "Nachbau", "Kopie", "Imitat", "Fake",
                  "Plagiat", "nachgemacht", "Nicht original"),
        grades=("1:1", "AAA", "Top-Qualität", "1:1 Qualität", "AAA Qualität", "Spiegelqualität",
                "Beste Qualität"),
        euphemisms=("im Stil von {b}", "{b}-Stil", "ähnlich wie {b}", "Alternative zu {b}",
                    "inspiriert von {b}", "Dupe {b}", "Duftzwilling {b}", "baugleich {b}"),
        used_tags=("Gebraucht", "getragen", "Neuwertig", "Wie neu", "Kaum getragen",
                   "Vintage", "B-Ware", "Vorführware"),
        outlet_tags=("Outlet", "Fabrikverkauf", "Restposten", "Lagerverkauf", "Sale",
                     "-{pct}0 %"),
        refurb_tags=("Generalüberholt", "Refurbished", "Generalüberholt - Sehr gut"),
        import_tags=("EU-Ware", "Import", "Parallelimport", "Internationale Version"),
        compat=("{acc} kompatibel mit {target}", "{acc} passend für {target}",
                "{acc} Ersatz für {target}", "{acc} für {target}"),
        accessories=("Hülle", "Armband", "Ladegerät", "Kabel", "Schutzglas", "Akku", "Etui"),
        claims=("100% Original, keine Replika", "Originalware mit Rechnung",
                "Echt, keine Fälschung", "Original vom Fachhändler, kein Fake"),
        offsite=("nur Überweisung", "mehr Modelle per WhatsApp", "echte Bilder per PN",
                 "Katalog auf Telegram"),
        shouts=("Neu", "Versandkostenfrei", "Schneller Versand", "Angebot", "Neuheit",
                "Bestseller", "Großhandelspreis", "Nur noch wenige"),
        lots=("Posten {k} Stück {b} {noun}", "{k} Paar {b} {noun} Großhandel",
              "Großhandel {b} {noun} x{k}", "Restposten {k}x {b} {noun}"),
        bundles=("Überraschungsbox {b} {n} Artikel", "Schlüsselanhänger + {b} {noun} gratis",
                 "Geschenkset {b} {noun}"),
        lookalike=("{noun} {colour}", "{noun} ohne Logo {colour}", "Klassische {noun}",
                   "No-Name {noun}"),
        no_brand=("No-Name", "Ohne Marke", "Markenlos", ""),
        jersey=("{b} {line} Trikot {season} offizielles Replica Fan-Trikot",
                "Offizielles {b} Heimtrikot {season} Fan-Version"),
        scale_model="{b} Modellauto Maßstab {scale} lizenziert",
        licensed="{b} {line} {noun} offiziell lizenziert",
        openings_new=("Neu und originalverpackt.", "Neu mit Etikett.", "Neu & OVP.",
                      "Originalware.", "Sofort lieferbar.", "Wie abgebildet.",
                      "Mit Originalkarton.", "Ideal als Geschenk."),
        openings_used=("Gebraucht, guter Zustand.", "Neuwertig, kaum benutzt.", "Wie neu.",
                       "Leichte Gebrauchsspuren."),
        openings_store=("Offizieller {brand} Händler.", "Autorisierter {brand} Fachhändler.",
                        "Mit {brand} Herstellergarantie."),
        short_notes=("Neu.", "Wie abgebildet.", "Versandkostenfrei.", "Festpreis.",
                     "Preisvorschläge willkommen.", "Bei Fragen melden.", "Original."),
        shipping_near=("Versand innerhalb von 24 Stunden.", "Versand mit DHL und Sendungsnummer.",
                       "Versandkostenfrei.", "Lieferung in 1-3 Werktagen."),
        shipping_far=("Internationaler Versand 10-20 Tage.", "Versand aus dem Ausland, 15-25 Tage.",
                      "Versand mit Sendungsverfolgung."),
        returns=("30 Tage Rückgaberecht.", "Privatverkauf, keine Rücknahme.",
                 "Kostenlose Rücksendung."),
        personal=("Verkaufe meine {brand} {noun}.", "Verkaufe {brand} {noun}.",
                  "Ungewolltes Geschenk.", "Letztes Jahr gekauft."),
        wear=("Sehr guter Zustand.", "Leichte Gebrauchsspuren.", "Funktioniert einwandfrei."),
        proof=("Mit Rechnung.", "Mit Box und Papieren.", "Ohne Karton.", "", "Mit Kaufbeleg."),
        telltales=("Top-Qualität, wie das Original.", "Hochwertige Replika.",
                   "1:1 wie das Original.", "Kein Unterschied zum Original.",
                   "Fabrikpreis."),
        innocent=("Premium-Qualität.", "Spiegelglanz-Finish.", "Wie im Laden, nur günstiger.",
                  "Inklusive AAA-Batterien.", "Retro-Stil."),
        features=("hochwertiges Material", "elegantes Design", "angenehm zu tragen",
                  "inklusive Box", "2 Jahre Garantie"),
        lot_openings=("Großhandelspreis.", "Nur als Posten.", "Posten mit {lot} Stück."),
        accessory_openings=("Zubehör kompatibel mit {target}. Kein Originalprodukt von {b}.",
                            "Passend für {target}."),
    ),
    "fr": Words(
        explicit=("Réplique", "Réplique", "réplique", "Replica", "Copie", "Imitation", "Faux",
                  "Fake", "Pas original", "Copie conforme"),
        grades=("1:1", "AAA", "Qualité miroir", "Qualité originale", "Qualité 1:1",
                "Qualité AAA", "Haut de gamme"),
        euphemisms=("Style {b}", "Type {b}", "Inspiré de {b}", "Similaire {b}", "Dupe {b}",
                    "Alternative {b}", "Équivalence {b}", "Parfum générique {b}"),
        used_tags=("Occasion", "D'occasion", "Seconde main", "Très bon état", "Comme neuf",
                   "Neuf sans étiquette", "Porté", "Vintage"),
        outlet_tags=("Outlet", "Déstockage", "Fin de série", "Soldes", "Magasin d'usine",
                     "-{pct}0 %"),
        refurb_tags=("Reconditionné", "Reconditionné - Très bon état", "Reconditionné Grade A"),
        import_tags=("Import", "Version internationale", "Import Japon"),
        compat=("{acc} compatible avec {target}", "{acc} pour {target}",
                "{acc} adaptable {target}", "{acc} remplace {target} - non d'origine"),
        accessories=("Coque", "Bracelet", "Chargeur", "Câble", "Protection", "Batterie", "Étui"),
        claims=("100 % authentique, pas une réplique", "Authentique avec facture",
                "Original, pas une copie", "Acheté en boutique, pas un faux"),
        offsite=("paiement hors Vinted", "contactez-moi sur WhatsApp",
                 "plus de modèles en MP", "catalogue sur Telegram"),
        shouts=("Neuf", "Livraison gratuite", "Envoi rapide", "Promo", "Nouveauté",
                "Meilleure vente", "Prix de gros", "Stock limité"),
        lots=("Lot de {k} {noun} {b}", "{k} paires {b} {noun} en gros",
              "Vente en gros {b} {noun} x{k}", "Lot revendeur {k} pièces {b}"),
        bundles=("Box mystère {b} {n} articles", "Porte-clés + {noun} {b} offert",
                 "Coffret cadeau {b} {noun}"),
        lookalike=("{noun} {colour}", "{noun} sans marque {colour}", "{noun} style classique",
                   "{noun} générique"),
        no_brand=("Sans marque", "Générique", "Sans marque", ""),
        jersey=("Maillot {b} {line} {season} réplique officielle",
                "Maillot officiel {b} domicile {season} version supporter"),
        scale_model="{b} voiture miniature échelle {scale} sous licence",
        licensed="{b} {line} {noun} produit officiel sous licence",
        openings_new=("Neuf dans sa boîte.", "Neuf avec étiquette.", "Neuf sous blister.",
                      "Produit authentique.", "En stock, envoi immédiat.", "Comme sur les photos.",
                      "Avec boîte d'origine.", "Idéal pour offrir."),
        openings_used=("D'occasion, bon état.", "Très bon état, peu porté.", "Comme neuf.",
                       "Légères traces d'usure."),
        openings_store=("Revendeur officiel {brand}.", "Distributeur agréé {brand}.",
                        "Garantie constructeur {brand}."),
        short_notes=("Neuf.", "Comme sur les photos.", "Livraison gratuite.", "Prix ferme.",
                     "Ouvert aux offres.", "Questions bienvenues.", "Original."),
        shipping_near=("Envoi sous 24 h.", "Envoi suivi en Colissimo.", "Livraison gratuite.",
                       "Livraison en 2-3 jours."),
        shipping_far=("Livraison internationale 10-20 jours.",
                      "Expédié depuis l'étranger, 15-25 jours.", "Envoi suivi."),
        returns=("Retour sous 30 jours.", "Ni repris ni échangé.", "Retour gratuit."),
        personal=("Je vends mon {noun} {brand}.", "Vends {noun} {brand}.",
                  "Cadeau jamais utilisé.", "Acheté l'an dernier."),
        wear=("Très bon état.", "Légères traces d'usure.", "Fonctionne parfaitement."),
        proof=("Avec facture.", "Avec boîte et papiers.", "Sans boîte.", "",
               "Avec ticket de caisse."),
        telltales=("Qualité AAA, identique à l'original.", "Réplique haute qualité.",
                   "Qualité miroir.", "Impossible à distinguer de l'original.",
                   "Prix usine."),
        innocent=("Qualité premium.", "Finition miroir.", "Comme en magasin, moins cher.",
                  "Piles AAA incluses.", "Style rétro."),
        features=("matière de qualité", "design élégant", "confortable",
                  "livré avec boîte", "garantie 2 ans"),
        lot_openings=("Prix de gros.", "Vendu en lot.", "Lot de {lot} pièces."),
        accessory_openings=("Accessoire compatible avec {target}. Non fabriqué par {b}.",
                            "Compatible avec {target}."),
    ),
    "ru": Words(
        explicit=("реплика", "Реплика", "копия", "Копия", "Точная копия", "подделка", "паль",
                  "фейк", "дубликат", "не оригинал", "Копия люкс"),
        grades=("1:1", "AAA", "люкс", "Люкс качество", "Зеркальная копия", "Топ качество",
                "Качество оригинала", "Премиум копия", "ААА"),
        euphemisms=("аналог {b}", "Аналог {b}", "как оригинал {b}", "по мотивам {b}",
                    "в стиле {b}", "дубль {b}", "{b} Вьетнам", "{b} фабричный Китай"),
        used_tags=("б/у", "Б/у", "ношеные", "в отличном состоянии", "как новый", "уценка",
                   "витринный образец"),
        outlet_tags=("аутлет", "дисконт", "распродажа", "остатки коллекции", "скидка {pct}0%"),
        refurb_tags=("восстановленный", "реф", "восстановленный, как новый"),
        import_tags=("параллельный импорт", "глобальная версия", "из Европы", "Импорт"),
        compat=("{acc} совместим с {target}", "{acc} для {target}",
                "{acc} подходит для {target}", "{acc} неоригинальный для {target}"),
        accessories=("Чехол", "Ремешок", "Зарядка", "Кабель", "Стекло", "Аккумулятор", "Футляр"),
        claims=("100% оригинал, не реплика", "Оригинал с чеком", "Подлинный, не копия",
                "Оригинал РСТ, не подделка"),
        offsite=("пишите в телеграм", "пишите в вотсап", "больше моделей в телеграм",
                 "реальные фото в личку"),
        shouts=("Новинка", "Бесплатная доставка", "Быстрая доставка", "Хит продаж", "Акция",
                "В наличии", "Оптовая цена", "Скидка"),
        lots=("Оптом {k} шт {b} {noun}", "{noun} {b} оптом {k} пар", "Опт {b} {noun} x{k}",
              "Партия {k} шт {b}"),
        bundles=("Сюрприз-бокс {b} {n} предметов", "Брелок + {noun} {b} в подарок",
                 "Подарочный набор {b} {noun}"),
        lookalike=("{noun} {colour}", "{noun} без бренда {colour}", "{noun} классика",
                   "{noun} универсальный"),
        no_brand=("Без бренда", "Нет бренда", "NoName", ""),
        jersey=("Футболка {b} {line} {season} официальная реплика",
                "Официальная игровая футболка {b} {season} фанатская версия"),
        scale_model="{b} масштабная модель {scale} официальная лицензия",
        licensed="{b} {line} {noun} официальная лицензия",
        openings_new=("Новый в упаковке.", "Новый с биркой.", "Новый запечатанный.",
                      "Оригинальный товар.", "В наличии, отправка сразу.", "Как на фото.",
                      "С оригинальной коробкой.", "Отличный подарок."),
        openings_used=("Б/у в хорошем состоянии.", "В отличном состоянии.", "Как новый.",
                       "Небольшие следы носки."),
        openings_store=("Официальный магазин {brand}.", "Авторизованный дилер {brand}.",
                        "Официальная гарантия {brand}."),
        short_notes=("Новый.", "Как на фото.", "Бесплатная доставка.", "Торг уместен.",
                     "Без торга.", "Пишите вопросы.", "Оригинал."),
        shipping_near=("Отправка в течение 24 часов.", "Доставка СДЭК.", "Бесплатная доставка.",
                       "Доставка 2-5 дней."),
        shipping_far=("Доставка из Китая 15-25 дней.", "Международная доставка 10-20 дней.",
                      "Отправка с трек-номером."),
        returns=("Возврат 14 дней.", "Возврата нет.", "Бесплатный возврат."),
        personal=("Продаю {noun} {brand}.", "Продам {noun} {brand}.", "Не подошел размер.",
                  "Покупала в прошлом году."),
        wear=("В отличном состоянии.", "Небольшие следы носки.", "Работает отлично."),
        proof=("Есть чек.", "Полный комплект.", "Без коробки.", "", "С документами."),
        telltales=("Качество люкс, как оригинал.", "Реплика высокого качества.",
                   "Зеркальная копия.", "Не отличить от оригинала.", "Цена фабрики."),
        innocent=("Премиум качество.", "Зеркальная полировка.", "Как в магазине, но дешевле.",
                  "Батарейки AAA в комплекте.", "Ретро стиль."),
        features=("качественный материал", "стильный дизайн", "удобная посадка",
                  "в коробке", "гарантия 1 год"),
        lot_openings=("Оптовая цена.", "Продажа партией.", "Партия {lot} шт."),
        accessory_openings=("Аксессуар совместим с {target}. Не производства {b}.",
                            "Подходит для {target}."),
    ),
}  # fmt: skip

CYRILLIC_BRANDS: dict[str, tuple[str, ...]] = {
    "Louis Vuitton": ("Луи Виттон", "Луи Вюиттон"), "Gucci": ("Гуччи", "Гучи"),
    "Chanel": ("Шанель",), "Hermes": ("Гермес", "Эрмес"), "Hermès": ("Гермес", "Эрмес"),
    "Prada": ("Прада",), "Dior": ("Диор",), "Fendi": ("Фенди",),
    "Balenciaga": ("Баленсиага",), "Burberry": ("Барберри", "Бёрберри"),
    "Yves Saint Laurent": ("Ив Сен Лоран",), "Versace": ("Версаче",),
    "Dolce & Gabbana": ("Дольче Габбана",), "Michael Kors": ("Майкл Корс",), "Coach": ("Коуч",),
    "Off-White": ("Офф Вайт",), "Rolex": ("Ролекс",), "Omega": ("Омега",),
    "Patek Philippe": ("Патек Филипп",), "Audemars Piguet": ("Одемар Пиге",),
    "TAG Heuer": ("Таг Хойер",), "Breitling": ("Брайтлинг",), "Hublot": ("Хублот",),
    "Cartier": ("Картье",), "Nike": ("Найк", "Найки"), "adidas": ("Адидас",),
    "Adidas": ("Адидас",), "New Balance": ("Нью Баланс",), "Vans": ("Ванс",),
    "Converse": ("Конверс",), "Crocs": ("Крокс",), "UGG": ("Угги",),
    "The North Face": ("Норт Фейс",), "Ralph Lauren": ("Ральф Лорен",),
    "Calvin Klein": ("Кельвин Кляйн",), "Lacoste": ("Лакост",), "Supreme": ("Суприм",),
    "Stone Island": ("Стон Айленд",), "Canada Goose": ("Канада Гус",), "Moncler": ("Монклер",),
    "Armani": ("Армани",), "Apple": ("Эппл",), "Samsung": ("Самсунг",), "Sony": ("Сони",),
    "Bose": ("Бозе",), "JBL": ("Джибиэль",), "Creed": ("Крид",), "Tom Ford": ("Том Форд",),
    "Tiffany & Co.": ("Тиффани",), "Pandora": ("Пандора",), "Bvlgari": ("Булгари",),
    "Swarovski": ("Сваровски",), "Ray-Ban": ("Рейбан", "Рэй-Бэн"), "Oakley": ("Окли",),
    "LEGO": ("Лего",), "Pokemon": ("Покемон",), "Dyson": ("Дайсон",), "Bosch": ("Бош",),
    "Real Madrid": ("Реал Мадрид",), "FC Barcelona": ("Барселона",),
    "Manchester United": ("Манчестер Юнайтед",), "Liverpool FC": ("Ливерпуль",),
    "Castrol": ("Кастрол",), "Brembo": ("Брембо",), "Gillette": ("Жиллетт",),
    "Maison Margiela": ("Мезон Маржела",), "Jo Malone London": ("Джо Малон",),
}  # fmt: skip
"""Cyrillic spellings Russian listings use (from /work/research/cyrillic_brands.tsv, a subset)."""

_TRANSLIT: tuple[tuple[str, str], ...] = (
    ("sch", "ш"), ("sh", "ш"), ("ch", "ч"), ("ph", "ф"), ("th", "т"), ("oo", "у"), ("ee", "и"),
    ("ck", "к"), ("qu", "кв"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"),
    ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "и"), ("z", "з"),
)  # fmt: skip


def cyrillic_spelling(brand: str) -> str:
    """A brand as Russian sellers write it: the listed spelling, else letter by letter.

    Examples
    --------
    >>> cyrillic_spelling("Nike"), cyrillic_spelling("Stussy")
    ('Найк', 'Стусси')
    """
    listed = CYRILLIC_BRANDS.get(brand)
    if listed:
        return listed[0]
    out, text, i = [], brand.lower(), 0
    while i < len(text):
        for latin, cyr in _TRANSLIT:
            if text.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(text[i] if not text[i].isalpha() else "")
            i += 1
    word = "".join(out)
    return " ".join(w[:1].upper() + w[1:] for w in word.split(" ")) if word.strip() else brand


# --- the builders -------------------------------------------------------------------------------


def _col(lang: str) -> int:
    return _COLUMN[lang]


def noun_of(lang: str, product_type: str, category: str) -> str:
    """The product noun of a registry product type in one language."""
    row = NOUNS.get(product_type) or CATEGORY_NOUNS.get(category)
    return row[_col(lang)] if row else product_type.replace("_", " ")


def colour_of(lang: str, colour: str) -> str:
    """A colour in one language (finish and colourway names stay as they are)."""
    row = COLOURS.get(colour.lower())
    return row[_col(lang)] if row else colour


def attr_of(lang: str, attr: str) -> str:
    """An attribute in one language: sizes and codes as they are, words translated, else ""."""
    row = ATTRIBUTE_WORDS.get(attr.lower())
    if row:
        return row[_col(lang)]
    if any(ch.isdigit() for ch in attr) or (attr.isupper() and len(attr) <= 4):
        return attr
    return ""


@dataclass
class _Local:
    """What a builder needs: the TextMaker, the item, the language and its words."""

    tm: TextMaker
    item: _Item
    lang: str
    words: Words
    brand: str  # as written in this listing (Cyrillic in some Russian listings)
    noun: str

    @property
    def r(self) -> random.Random:
        return self.tm.r

    def pick(self, seq: tuple[str, ...]) -> str:
        return self.tm.pick(seq)

    def colour(self) -> str:
        return colour_of(self.lang, self.tm.colour(self.item))

    def attr(self) -> str:
        return attr_of(self.lang, self.tm.attr(self.item))

    def head(self, brand: str | None = None, line: str | None = None) -> str:
        """Noun and brand in the language's order: "Bolso Gucci Marmont", "Gucci Marmont Tasche"."""
        b = self.brand if brand is None else brand
        ln = self.item.line if line is None else line
        if self.lang == "de":
            return f"{b} {ln} {self.noun}"
        return f"{self.noun} {b} {ln}"

    def retail(self) -> str:
        """A catalogue-style title."""
        code = self.tm.code(self.item)
        u = self.r.random()
        head = self.head()
        if code and u < 0.3:
            return f"{head} - {code}"
        if u < 0.55:
            return f"{head} {self.attr()} {self.colour()}"
        if u < 0.75:
            return f"{head}, {self.colour()}"
        if code and u < 0.9:
            return f"{head} {self.attr()} ({code})"
        return head

    def declared(self, weights: tuple[float, float, float]) -> str | None:
        u = self.r.random() * sum(weights)
        if u < weights[0]:
            return self.item.brand
        if u < weights[0] + weights[1]:
            return self.pick(self.words.no_brand) or None
        return None

    def fill(self, text: str, lot: str = "") -> str:
        return (
            text.replace("{brand}", self.brand)
            .replace("{noun}", self.noun.lower() if self.lang != "de" else self.noun)
            .replace("{lot}", lot)
        )


def _description(local: _Local, title: str, kind: str, lot: str = "") -> str:
    """A description: none, a short note, a private seller's words, the catalogue list or
    openings, features, shipping and returns, in the listing's language; counterfeit and risky
    genuine listings add a risky phrase at the rates of the English style."""
    item, w, tm = local.item, local.words, local.tm
    none, short, personal, catalogue = item.style.bounds
    u = local.r.random()
    shipping = w.shipping_far if item.shipping == "far" else w.shipping_near
    if u < none:
        text = ""
    elif u < short:
        text = local.pick(w.short_notes)
    elif u < personal:
        parts = [local.fill(local.pick(w.personal))]
        parts.append(local.pick(w.wear if kind == "used" or tm.chance(0.3) else w.openings_new))
        parts.append(local.pick(w.proof))
        text = " ".join(p for p in parts if p)
    elif u < catalogue:
        feats = list(w.features)
        local.r.shuffle(feats)
        text = "/ ".join([title] + [f[:1].upper() + f[1:] for f in feats[: 2 + int(u * 3) % 3]])
    else:
        parts = []
        if lot:
            parts.append(local.fill(local.pick(w.lot_openings), lot))
        elif kind == "used":
            parts.append(local.pick(w.openings_used))
        elif item.group == "store" and tm.chance(0.5):
            parts.append(local.fill(local.pick(w.openings_store)))
        elif kind == "accessory":
            target = f"{item.brand} {item.full_line}".strip()
            opening = local.pick(w.accessory_openings)
            parts.append(opening.replace("{target}", target).replace("{b}", item.brand))
        elif tm.chance(0.85):
            parts.append(local.pick(w.openings_new))
        if tm.chance(0.5):
            feats = ", ".join(local.pick(w.features) for _ in range(1 + int(u * 10) % 2))
            parts.append(f"{feats[:1].upper()}{feats[1:]}.")
        if tm.chance(0.7):
            parts.append(local.pick(shipping))
        if tm.chance(0.5):
            parts.append(local.pick(w.returns))
        text = " ".join(parts)
    if local.r.random() < item.style.risky:
        phrase = local.pick(w.telltales if item.fake else w.innocent)
        text = f"{phrase} {text}" if tm.chance(0.4) else f"{text} {phrase}"
    return text.strip()


def write_local(tm: TextMaker, item: _Item, lang: str) -> tuple[str, str, str | None]:
    """(title, description, declared brand) of one listing in ``lang`` (not English)."""
    words = WORDS[lang]
    brand = item.brand
    if lang == "ru" and tm.chance(0.5):
        brand = cyrillic_spelling(item.brand)
    local = _Local(tm, item, lang, words, brand, noun_of(lang, item.product_type, item.category))
    builder = _BUILDERS.get(item.recipe, _regular)
    title, kind, declared, lot = builder(local)
    return title, _description(local, title, kind, lot), declared


Built = tuple[str, str, str | None, str]  # title, description kind, declared brand, lot size


def _regular(x: _Local) -> Built:
    title = x.retail()
    if x.item.seller_kind == "small_shop" and x.tm.chance(0.3):
        title = f"{title} {x.pick(x.words.shouts)}"
    if x.item.seller_kind == "individual":
        return x.tm.sprinkle(title, 0.15, 0.05, 0.15), "new", x.declared((0.55, 0.1, 0.35)), ""
    return x.tm.sprinkle(title, 0.02, 0.03, 0.0), "new", x.declared((0.9, 0.02, 0.08)), ""


def _used(x: _Local) -> Built:
    tag = x.pick(x.words.used_tags)
    title = f"{x.head()} {x.attr()} {tag}" if x.tm.chance(0.6) else f"{tag} {x.head()}"
    return title, "used", x.declared((0.8, 0.0, 0.2)), ""


def _pct_tag(x: _Local, tags: tuple[str, ...]) -> str:
    return x.pick(tags).replace("{pct}", str(x.r.randint(3, 7)))


def _outlet(x: _Local) -> Built:
    return (
        f"{x.retail()} - {_pct_tag(x, x.words.outlet_tags)}",
        "new",
        x.declared((0.9, 0.0, 0.1)),
        "",
    )


def _refurbished(x: _Local) -> Built:
    return f"{x.retail()} {x.pick(x.words.refurb_tags)}", "new", x.declared((0.9, 0.0, 0.1)), ""


def _parallel(x: _Local) -> Built:
    return f"{x.retail()} - {x.pick(x.words.import_tags)}", "new", x.declared((0.85, 0.0, 0.15)), ""


def _accessory(x: _Local) -> Built:
    target = f"{x.brand} {x.item.full_line}".strip()
    acc = x.pick(x.words.accessories)
    title = x.pick(x.words.compat).replace("{acc}", acc).replace("{target}", target)
    if x.item.own_brand and x.tm.chance(0.4):
        title = f"{x.item.own_brand} {title}"
    u = x.r.random()
    if u < 0.5 and x.item.own_brand:
        declared: str | None = x.item.own_brand
    elif u < 0.9:
        declared = x.pick(x.words.no_brand) or None
    else:
        declared = x.item.brand
    return x.tm.sprinkle(title, 0.03, 0.05, 0.02), "accessory", declared, ""


def _legal_replica(x: _Local) -> Built:
    item = x.item
    if "replica" in item.full_line.lower():  # Maison Margiela's Replica perfumes
        title = f"{x.noun} {x.brand} '{item.full_line}' {x.attr()}"
    elif item.category == "sports_jerseys":
        season = x.pick(("2024/25", "2025/26", "23/24"))
        title = x.pick(x.words.jersey).replace("{season}", season)
        title = title.replace("{b}", x.brand).replace("{line}", item.line)
    elif item.category == "toys":
        scale = x.pick(("1:18", "1:24", "1:43"))
        title = x.words.scale_model.replace("{b}", x.brand).replace("{scale}", scale)
    else:
        title = x.words.licensed.replace("{b}", x.brand).replace("{line}", item.line)
        title = title.replace("{noun}", x.noun)
    return title, "new", x.declared((0.85, 0.0, 0.15)), ""


def _lookalike(x: _Local) -> Built:
    title = x.pick(x.words.lookalike).replace("{noun}", x.noun).replace("{colour}", x.colour())
    if x.item.own_brand and x.tm.chance(0.4):
        title = f"{x.item.own_brand} {title}"
    declared = x.item.own_brand if x.item.own_brand and x.tm.chance(0.4) else None
    return title, "new", declared or (x.pick(x.words.no_brand) or None), ""


def _long_tail(x: _Local) -> Built:
    maker = maker_name(x.r)
    code = x.tm.digits(4)
    title = f"{maker} {x.noun} {code} {x.colour()}"  # the maker first: it is the true brand
    return title, "new", maker if x.tm.chance(0.8) else None, ""


def _first_party(x: _Local) -> Built:
    return x.retail(), "new", x.declared((0.9, 0.02, 0.08)), ""


def _claims(x: _Local) -> Built:
    claim = x.pick(x.words.claims)
    title = f"{x.retail()} {claim}" if x.tm.chance(0.6) else f"{claim.upper()} {x.head()}"
    return x.tm.sprinkle(title, 0.05, 0.05, 0.05), "new", x.declared((0.85, 0.05, 0.1)), ""


def _explicit(x: _Local) -> Built:
    word = x.pick(x.words.explicit)
    u = x.r.random()
    if u < 0.35:
        title = f"{x.head()} {word}"
    elif u < 0.6:
        title = f"{word} {x.head()} {x.attr()}"
    elif u < 0.8:
        title = f"{x.head()} ({word}) {x.colour()}"
    else:
        title = f"{x.head()} {word} {x.pick(x.words.shouts)}"
    return x.tm.sprinkle(title, 0.1, 0.15, 0.1), "new", x.declared((0.5, 0.25, 0.25)), ""


def _slang(x: _Local) -> Built:
    grade = x.pick(x.words.grades)
    u = x.r.random()
    if u < 0.4:
        title = f"{x.head()} {grade} {x.attr()}"
    elif u < 0.7:
        title = f"{grade} {x.head()} {x.colour()}"
    else:
        title = f"{x.head()} {x.tm.code(x.item)} {grade}"
    return x.tm.sprinkle(title, 0.08, 0.1, 0.1), "new", x.declared((0.45, 0.25, 0.3)), ""


def _euphemism(x: _Local) -> Built:
    phrase = x.pick(x.words.euphemisms).replace("{b}", x.brand)
    if x.lang == "de":
        title = f"{x.item.line} {x.noun} {phrase} {x.colour()}"
    else:
        title = f"{x.noun} {phrase} {x.item.line} {x.attr()}"
    return x.tm.sprinkle(title, 0.05, 0.05, 0.1), "new", x.declared((0.2, 0.4, 0.4)), ""


def _obfuscated(x: _Local) -> Built:
    shown = x.tm.obfuscate(x.item, x.tm.pick(x.item.vocab.obfuscations))
    title = f"{x.head(brand=shown)} {x.attr()}"
    if x.tm.chance(0.3):
        title = f"{title} {x.pick(x.words.grades)}"
    u = x.r.random()
    declared: str | None = shown if u < 0.25 else x.item.brand if u < 0.4 else None
    if declared is None and x.tm.chance(0.4):
        declared = x.pick(x.words.no_brand) or None
    return x.tm.sprinkle(title, 0.05, 0.1, 0.05), "new", declared, ""


def _homoglyph(x: _Local) -> Built:
    shown = x.tm.homoglyph(x.item.brand)
    title = f"{x.head(brand=shown)} {x.colour()}"
    u = x.r.random()
    return title, "new", shown if u < 0.4 else (x.pick(x.words.no_brand) or None), ""


def _omitted(x: _Local) -> Built:
    line = x.item.line or x.attr()
    title = f"{line} {x.noun} {x.colour()}" if x.lang == "de" else f"{x.noun} {line} {x.colour()}"
    return x.tm.sprinkle(title, 0.05, 0.05, 0.05), "new", x.declared((0.1, 0.45, 0.45)), ""


def _bulk(x: _Local) -> Built:
    k = x.pick(("5", "10", "20", "50", "100"))
    title = x.pick(x.words.lots).replace("{k}", k).replace("{b}", x.brand)
    return title.replace("{noun}", x.noun), "new", x.declared((0.4, 0.4, 0.2)), k


def _superfake(x: _Local) -> Built:
    return x.retail(), "new", x.declared((0.85, 0.0, 0.15)), ""


def _copy(x: _Local) -> Built:
    return x.retail(), "new", x.declared((0.9, 0.02, 0.08)), ""


def _bundle(x: _Local) -> Built:
    title = x.pick(x.words.bundles).replace("{b}", x.brand).replace("{noun}", x.noun)
    return title.replace("{n}", str(x.r.randint(3, 8))), "new", x.declared((0.3, 0.3, 0.4)), ""


def _burst(x: _Local) -> Built:
    if x.tm.chance(0.5):
        return x.retail(), "new", x.declared((0.6, 0.25, 0.15)), ""
    title = f"{x.head()} {x.attr()} {x.pick(x.words.shouts)}"
    return title, "new", x.declared((0.6, 0.25, 0.15)), ""


def _network(x: _Local) -> Built:
    template = x.item.template
    if template is None or not template.filler:  # catalogue-shaped templates
        return _burst(x)
    title = f"{x.head()} {x.pick(x.words.grades)} {x.pick(x.words.shouts)}"
    if template.upper:
        title = title.upper()
    return title, "new", x.declared((0.5, 0.3, 0.2)), ""


def _offplatform(x: _Local) -> Built:
    phrase = x.pick(x.words.offsite)
    title = f"{x.head()} {phrase}" if x.tm.chance(0.6) else f"{phrase} {x.head()}"
    return title, "new", x.declared((0.4, 0.2, 0.4)), ""


_BUILDERS = {
    "regular": _regular, "new_genuine_seller": _regular, "used_authentic": _used,
    "outlet_clearance": _outlet, "compatible_accessory": _accessory,
    "legal_replica_word": _legal_replica, "homage": _lookalike, "unbranded_generic": _lookalike,
    "refurbished": _refurbished, "parallel_import": _parallel, "explicit_replica": _explicit,
    "community_slang": _slang, "euphemism": _euphemism, "brand_obfuscation": _obfuscated,
    "brand_omitted": _omitted, "bulk_wholesale": _bulk, "superfake": _superfake,
    "implausible_bundle": _bundle, "burst_new_accounts": _burst, "network_template": _network,
    "homoglyph_obfuscation": _homoglyph, "offplatform_contact": _offplatform,
    "listing_copy": _copy, "authenticity_claims": _claims, "first_party_budget": _first_party,
    "long_tail_brand": _long_tail,
    # the round-2 cases (#18), written with the nearest local builder
    "closet_clearout": _used, "misspelled_genuine": _regular, "hijacked_account": _regular,
    "aged_clean_title": _regular, "electronics_clean": _regular, "beauty_discount": _regular,
    "dupe_listing": _euphemism, "jersey_player_version": _slang,
    "custom_logo_wholesale": _bulk, "blank_wholesale": _lookalike,
}  # fmt: skip
ENGLISH_RECIPES = frozenset({"genuine_format"})
"""Cases written in English whatever the listing's language: their format words ("Tester",
"Travel Size", "Decant") are what sellers write in every language, and their prices need them."""
