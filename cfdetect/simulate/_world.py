"""Worlds: a marketplace that differs from the default simulator (brand mix, prices, tactics,
vocabulary, seller behaviour).

A world is a small TOML file (``cfdetect/simulate/worlds/shifted.toml`` is the built-in
``shifted`` one, and the template for your own). The default world is no world at all: the
simulator without a :class:`World` is unchanged, byte for byte.

Sections (every one optional):

``[brand_mix]``
    ``categories`` and ``brands``: popularity multipliers per category and per brand name.
``[prices]``
    ``genuine`` and ``counterfeit``: multipliers on every genuine and every counterfeit price.
``[tactics]``
    ``tactic_name = multiplier`` on each tactic's weight (renormalised per period).
``[vocabulary]``
    ``new_slang`` (list of words), ``replace_rate`` (chance that the known replica and slang words
    of a counterfeit title are replaced by new slang), ``insert_rate`` (chance that a counterfeit
    title gains one new slang word).
``[sellers]``
    ``counterfeit_aged_share``: share of new counterfeit accounts that are aged (bought or taken
    over) accounts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cfdetect.errors import InputError, UsageError

WORLDS_DIR = Path(__file__).with_name("worlds")
BUILT_IN: tuple[str, ...] = ("default", "shifted")

_KNOWN_WORDS = (
    "replica", "replicas", "fake", "copy", "high copy", "mirror copy", "mirror grade", "mirror",
    "1:1", "1to1", "1-1 grade", "aaa+", "aaa", "a+++", "ua", "super clone", "top quality",
    "og batch", "pk batch", "ljr batch", "g5 batch", "gd batch", "m batch", "dt batch",
    "s2 batch", "clean factory", "zf factory", "aps factory", "vsf", "noob", "h12", "top tier",
    "best version", "godly tier", "rep", "reps", "knockoff", "imitation",
)  # fmt: skip
_KNOWN = re.compile(
    r"(?<![\w+:])(?:"
    + "|".join(re.escape(w) for w in sorted(_KNOWN_WORDS, key=len, reverse=True))
    + r")(?![\w+])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class World:
    """How a world differs from the default simulator (see the module docstring).

    Examples
    --------
    >>> world = load_world("shifted")
    >>> world.name, world.genuine_price, world.counterfeit_aged_share
    ('shifted', 1.3, 0.85)
    """

    name: str = "custom"
    category_weights: dict[str, float] = field(default_factory=dict)
    brand_weights: dict[str, float] = field(default_factory=dict)
    genuine_price: float = 1.0
    counterfeit_price: float = 1.0
    tactic_weights: dict[str, float] = field(default_factory=dict)
    new_slang: tuple[str, ...] = ()
    replace_rate: float = 0.0
    insert_rate: float = 0.0
    counterfeit_aged_share: float | None = None

    # --- hooks used by the simulator -----------------------------------------------------------

    def popularity(
        self, popularity: np.ndarray, category: np.ndarray, brand: np.ndarray
    ) -> np.ndarray:
        """Catalogue popularity reweighted by category and brand."""
        out = np.asarray(popularity, dtype=float).copy()
        for name, weight in self.category_weights.items():
            out[category == name] *= weight
        for name, weight in self.brand_weights.items():
            out[brand == name] *= weight
        return out

    def tactic_mix(self, weights: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        """Per-period tactic weights (n_periods, n_tactics) reweighted and renormalised."""
        factor = np.array([self.tactic_weights.get(n, 1.0) for n in names])
        out = weights * factor[None, :]
        total = out.sum(axis=1, keepdims=True)
        return np.divide(out, total, out=np.zeros_like(out), where=total > 0)

    def prices(self, price_usd: np.ndarray, is_fake: np.ndarray) -> np.ndarray:
        """Prices moved to this world's levels."""
        return price_usd * np.where(is_fake, self.counterfeit_price, self.genuine_price)

    def rewrite(self, rng: np.random.Generator, titles: list[str], is_fake: np.ndarray) -> None:
        """Put this world's new slang into counterfeit titles (in place)."""
        if not self.new_slang:
            return
        n = len(titles)
        replace = rng.random(n) < self.replace_rate
        insert = rng.random(n) < self.insert_rate
        pick = rng.integers(0, len(self.new_slang), (n, 2))
        for i in np.flatnonzero(is_fake):
            title = titles[i]
            if replace[i]:
                title = _KNOWN.sub(self.new_slang[pick[i, 0]], title)
            if insert[i]:
                title = f"{title} {self.new_slang[pick[i, 1]]}"
            titles[i] = title


def load_world(spec: str | Path) -> World | None:
    """A world by built-in name (``default``: None, ``shifted``) or from a TOML file.

    Raises
    ------
    UsageError
        For an unknown name or a file that does not exist.
    InputError
        For a file that is not valid TOML or has invalid values.
    """
    text = str(spec)
    if text == "default":
        return None
    if text in BUILT_IN:
        path = WORLDS_DIR / f"{text}.toml"
    else:
        path = Path(text)
        if not path.is_file():
            raise UsageError(
                f"--world: {text!r} is neither a built-in world ({', '.join(BUILT_IN)}) nor a "
                "TOML file"
            )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid world file ({exc})") from None
    return world_from_dict(data, default_name=path.stem)


def world_from_dict(data: dict[str, object], default_name: str = "custom") -> World:
    """Build a :class:`World` from the parsed TOML; an :class:`InputError` on bad values."""

    def section(name: str) -> dict[str, object]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise InputError(f"world: [{name}] must be a table")
        return value

    def number(value: object, where: str, low: float = 0.0, high: float = 1e6) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"world: {where} must be a number, got {value!r}")
        if not low <= float(value) <= high:
            raise InputError(f"world: {where} must be between {low} and {high}, got {value}")
        return float(value)

    def weights(table: object, where: str) -> dict[str, float]:
        if not isinstance(table, dict):
            raise InputError(f"world: {where} must be a table of name = multiplier")
        return {str(k): number(v, f"{where}.{k}") for k, v in table.items()}

    from cfdetect.simulate._tactics import TACTIC_NAMES

    brand_mix, prices, vocab, sellers = (
        section(s) for s in ("brand_mix", "prices", "vocabulary", "sellers")
    )
    tactics = weights(section("tactics"), "tactics")
    unknown = sorted(set(tactics) - set(TACTIC_NAMES))
    if unknown:
        raise InputError(f"world: unknown tactics {', '.join(unknown)}")
    slang = vocab.get("new_slang", [])
    if not isinstance(slang, list) or not all(isinstance(s, str) and s.strip() for s in slang):
        raise InputError("world: vocabulary.new_slang must be a list of words")
    aged = sellers.get("counterfeit_aged_share")
    return World(
        name=str(data.get("name", default_name)),
        category_weights=weights(brand_mix.get("categories", {}), "brand_mix.categories"),
        brand_weights=weights(brand_mix.get("brands", {}), "brand_mix.brands"),
        genuine_price=number(prices.get("genuine", 1.0), "prices.genuine", 0.01, 100.0),
        counterfeit_price=number(prices.get("counterfeit", 1.0), "prices.counterfeit", 0.01, 100.0),
        tactic_weights=tactics,
        new_slang=tuple(s.strip() for s in slang),
        replace_rate=number(vocab.get("replace_rate", 0.0), "vocabulary.replace_rate", 0, 1),
        insert_rate=number(vocab.get("insert_rate", 0.0), "vocabulary.insert_rate", 0, 1),
        counterfeit_aged_share=None
        if aged is None
        else number(aged, "sellers.counterfeit_aged_share", 0, 1),
    )
