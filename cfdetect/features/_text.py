"""Text normalisation and de-obfuscation of listing titles.

``normalize_text`` is the canonical form every text feature reads (NFKC, case-folded, single
spaces). ``deobfuscate`` goes further, for matching only: it undoes the tricks sellers use to hide a
brand from keyword filters (``G U C C I``, ``G.u.c.c.i``, ``Gu*cci``, ``Gucc1``, ``R0lex``,
``$upreme``, Cyrillic look-alike letters, zero-width characters) and leaves model numbers, sizes and
ordinary numbers alone (``126610LN``, ``WH-1000XM5``, ``Air Max 90``, ``42mm``, ``US 10``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

# Leet characters inside a mostly-letter token and the letter they stand for.
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
    "@": "a", "$": "s", "!": "i", "|": "l", "€": "e", "(": "c",
}  # fmt: skip
# Characters that split a word without standing for a letter: "Gu-cci", "G.u.c.c.i", "Gu*cci".
SEPARATOR_CHARS = frozenset(".-*_'’`·•~^/\\#%[]{})<>\"")
# Cyrillic and Greek letters that look like Latin ones (after case-folding).
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ɡ": "g", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ӏ": "l",
}  # fmt: skip
_HOMOGLYPH_TABLE = str.maketrans(HOMOGLYPHS)
_OUTER_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?*#@~^_-–—|/\\•·"
_TOKEN_RE = re.compile(r"\S+")


class _CategoryTable(dict[int, int | str | None]):
    """A ``str.translate`` table by Unicode category, filled on first sight of each character.

    ``text.translate(table)`` gives what a loop over ``unicodedata.category(ch)`` gives, in C:
    characters of a category in ``rules`` become its value (``None``: dropped), others stay.
    """

    def __init__(self, rules: dict[str, str | None]) -> None:
        super().__init__()
        self.rules = rules

    def __missing__(self, code: int) -> int | str | None:
        value = self.rules.get(unicodedata.category(chr(code)), code)
        self[code] = value
        return value


DROP_MARKS = _CategoryTable({"Mn": None})
"""Drops combining marks (accents) of a decomposed (NFKD) text."""
# accents and invisible format characters (zero-width spaces and joiners, soft hyphens) dropped,
# an emoji or symbol inside a word splits it ("Gu🔥cci")
_TOKEN_MARKS = _CategoryTable({"Mn": None, "Cf": None, "So": "*", "Sk": "*", "Cs": "*", "Co": "*"})


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        missing = value != value  # NaN-like (numpy floats, pd.NA raises or returns NA)
        return bool(missing)
    except (TypeError, ValueError):
        return True  # pd.NA: "boolean value of NA is ambiguous"


def as_text(value: object) -> str:
    """Return ``value`` as a string; ``None``, NaN and ``pd.NA`` become ``""``.

    Examples
    --------
    >>> as_text(None), as_text(12), as_text("Gucci")
    ('', '12', 'Gucci')
    """
    if isinstance(value, str):
        return value
    if _is_missing(value):
        return ""
    return str(value)


def normalize_text(text: object) -> str:
    """Return the canonical form of a text: Unicode NFKC, case-folded, whitespace collapsed.

    Missing values (``None``, NaN, ``pd.NA``) give ``""``.

    Examples
    --------
    >>> normalize_text("  Louis\\u00a0VUITTON   Ｎｅｖｅｒｆｕｌｌ ")
    'louis vuitton neverfull'
    """
    text = as_text(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def fold_accents(text: str) -> str:
    """Drop accents and other combining marks (``réplica`` -> ``replica``, ``й`` -> ``и``).

    Examples
    --------
    >>> fold_accents("réplica cópia fälschung contrefaçon палёный")
    'replica copia falschung contrefacon паленыи'
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text).translate(DROP_MARKS))


def _strip_marks(token: str) -> str:
    """Map look-alike letters to Latin and drop accents and invisible format characters."""
    mapped = token.translate(_HOMOGLYPH_TABLE)
    if mapped != token and not (mapped.isascii() or any("a" <= c <= "z" for c in token)):
        mapped = token  # a word in another script, not a disguised Latin one
    decomposed = unicodedata.normalize("NFKD", mapped)
    return unicodedata.normalize("NFC", decomposed.translate(_TOKEN_MARKS))


def _fix_token(token: str) -> str | None:
    """Return the de-obfuscated form of one token, or None when it stays as it is."""
    core = token.strip(_OUTER_PUNCT)
    if not core:
        return None
    if core.isalpha():
        return core if core != token else None
    letters = leet = 0
    last = len(core) - 1
    for i, ch in enumerate(core):
        if ch.isalpha():
            letters += 1
        elif ch in LEET and (ch != "(" or 0 < i < last):
            leet += 1
        elif ch not in SEPARATOR_CHARS:
            return None  # another digit or symbol: a model number, size or code
    if letters == 0:
        return None
    if leet:
        if letters < 2 or letters <= leet or letters + leet < 4:
            return None  # mostly digits: "x100v", "ps5", "1:1"
        # Digits at the end are version numbers ("iphone15", "jordan1"), except in a short word
        # ("gucc1", "nik3").
        tail = len(core) - len(core.rstrip("0123456789"))
        if tail >= 2 or (tail == 1 and len(core) > 6):
            return None
    fixed = "".join(
        ch if ch.isalpha() else LEET[ch]
        for i, ch in enumerate(core)
        if ch.isalpha() or (ch in LEET and (ch != "(" or 0 < i < last))
    )
    return fixed if fixed != token else None


@lru_cache(maxsize=65_536)
def _fixed(token: str) -> str:
    """The de-obfuscated form of one whitespace-separated token (``""``: drop it).

    Memoised: tokens repeat across titles far more than titles do.
    """
    if token.isascii():
        if token.isalpha() or token.isdigit():
            return token
        return _fix_token(token) or token
    cleaned = _strip_marks(token)
    if cleaned == token:
        return _fix_token(token) or token
    if cleaned.strip(_OUTER_PUNCT + "*"):
        return _fix_token(cleaned) or cleaned
    return ""  # an emoji or symbol on its own


def _deobfuscate_tokens(tokens: list[str]) -> list[tuple[str, int, int]]:
    """De-obfuscated tokens, each with the first and last index of the tokens it comes from (a
    run of single letters ``g u c c i`` becomes one token)."""
    out: list[tuple[str, int, int]] = []
    run_start = -1
    run: list[str] = []
    for i, token in enumerate(tokens):
        text = _fixed(token)
        if len(text) == 1 and text.isalpha():
            if not run:
                run_start = i
            run.append(text)
            continue
        if run:
            out.append((_joined(run, tokens[run_start:i]), run_start, i - 1))
            run = []
        if text:
            out.append((text, i, i))
    if run:
        out.append((_joined(run, tokens[run_start:]), run_start, len(tokens) - 1))
    return out


def _joined(letters: list[str], raw: list[str]) -> str:
    """A run of spaced letters as one word. Look-alike letters read as Latin among Latin letters
    or when every letter is one (``G U С С I``, ``С О С А`` -> ``gucci``, ``coca``); other runs of
    Cyrillic letters stay Cyrillic, without accents (``Н а й к`` -> ``наик``: a brand in Russian).
    """
    if len(letters) >= 2:
        word = fold_accents("".join(t.strip(_OUTER_PUNCT) for t in raw))
        cyrillic = all(unicodedata.name(ch, "").startswith("CYRILLIC") for ch in word)
        if cyrillic and not word.translate(_HOMOGLYPH_TABLE).isascii():
            return word
    return "".join(letters)


def deobfuscate_spans(norm: str) -> list[tuple[str, int, int]]:
    """De-obfuscate a normalised text token by token.

    Returns ``(token, start, end)`` triples: the de-obfuscated token and the span of ``norm`` it
    comes from (a run of spaced letters ``g u c c i`` is one span), so that a match found in the
    de-obfuscated text can be quoted as written.

    Examples
    --------
    >>> deobfuscate_spans("g u c c i bag")
    [('gucci', 0, 9), ('bag', 10, 13)]
    """
    matches = list(_TOKEN_RE.finditer(norm))
    tokens = [m.group() for m in matches]
    return [
        (text, matches[a].start(), matches[b].end()) for text, a, b in _deobfuscate_tokens(tokens)
    ]


@lru_cache(maxsize=16_384)
def _deobfuscate_norm(norm: str) -> str:
    tokens = norm.split(" ")
    fixed = list(map(_fixed, tokens))
    if fixed == tokens and "" not in tokens and _SINGLES_RE.search(norm) is None:
        return norm  # every token stays and no run of single letters is joined
    return " ".join(t for t, _, _ in _deobfuscate_tokens(tokens))


def deobfuscate_normalized(norm: str) -> str:
    """``deobfuscate`` of a text that is already normalised (skips ``normalize_text``)."""
    if norm.isascii() and (norm.isalpha() or _PLAIN_RE.fullmatch(norm)):
        return norm
    return _deobfuscate_norm(norm)


# Two adjacent one-character tokens (of a text split at single spaces): a possible run of letters.
_SINGLES_RE = re.compile(r"(?<![^ ])[^ ] [^ ](?![^ ])")
# A normalised ASCII text of plain words (letters only, or digits only) separated by spaces, with
# no single-letter word: nothing to de-obfuscate.
_PLAIN_RE = re.compile(r"(?:[a-z]{2,}|[0-9]+)(?: (?:[a-z]{2,}|[0-9]+))*")


def deobfuscate(text: object) -> str:
    """Undo common brand obfuscation, for matching: returns a normalised, de-obfuscated text.

    Spaced letters are joined (``G U C C I``, ``G.U.C.C.I`` -> ``gucci``), separators inside a word
    are dropped (``Gu-cci``, ``Gu*cci``, ``L*V``), leet characters in words that are mostly letters
    are read as letters (``Gucc1``, ``R0lex``, ``Ch4nel``, ``Pr@da``, ``$upreme``), look-alike
    Cyrillic/Greek letters become Latin and accents are dropped. Model numbers, sizes and numbers
    are kept (``126610LN``, ``WH-1000XM5``, ``Air Max 90``, ``42mm``, ``US 10``).

    Examples
    --------
    >>> deobfuscate("G U C C I Marmont Bag"), deobfuscate("R0lex 126610LN 41mm")
    ('gucci marmont bag', 'rolex 126610ln 41mm')
    """
    return deobfuscate_normalized(normalize_text(text))


_SPLIT_CHARS = ',-/()|;!?[]{}"–—“”•·'
# punctuation that ends or starts a word (not inside one: "1:1", "u.s.a", "levi's" stay whole)
_EDGE_PAIRS = (". ", " .", ": ", " :", "' ", " '", "’ ", " ’", "* ", " *")


def split_words(text: str) -> list[str]:
    """Split a normalised text into the words phrases are matched on.

    Spaces, hyphens and punctuation separate words; ``.``, ``:``, ``'`` and ``*`` separate
    only at the start or end of a word, so codes like ``1:1``, ``u.s.a`` and ``levi's`` stay whole.

    Examples
    --------
    >>> split_words("pre-owned, 1:1 aaa+ (10pcs). 'levi's' u.s.a.")
    ['pre', 'owned', '1:1', 'aaa+', '10pcs', "levi's", 'u.s.a']
    """
    for ch in _SPLIT_CHARS:  # str.replace is much faster than a regex split
        if ch in text:
            text = text.replace(ch, " ")
    text = f" {text} "
    for pair in _EDGE_PAIRS:
        while pair in text:
            text = text.replace(pair, " ")
    return text.split()
