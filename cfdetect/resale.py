"""Resale and grey-market price tables: used genuine goods and genuine formats.

Two CSV files ship beside the brand registry (``data/README.md`` describes them and their
sources):

* ``resale.csv``: the price of a used, pre-owned or vintage **genuine** item as a share of its new
  retail price, per registry (brand, product type) and optionally per product line;
* ``formats.csv``: genuine formats sold at their own prices (travel sprays, minis, testers,
  decants, gift-set pieces, part-used bottles, outlet and diffusion lines, refurbished units,
  jersey tiers), as a ratio to the registry's reference price or to the same item's retail price.

The simulator prices used and format listings from them; they are priors, not valuations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cfdetect.errors import InputError
from cfdetect.registry import normalise_key

RESALE_COLUMNS: tuple[str, ...] = (
    "brand", "product_type", "line", "used_ratio_low", "used_ratio_high", "source_id",
)  # fmt: skip
FORMAT_COLUMNS: tuple[str, ...] = (
    "brand", "product_type", "format", "size_note", "price_ratio_low", "price_ratio_high",
    "source_id",
)  # fmt: skip
MAX_RATIO = 60.0
"""Largest ratio accepted (a $1 Super Treasure Hunt Hot Wheels car resells for $10-50)."""


@dataclass(frozen=True)
class ResaleTable:
    """Used-to-new price ratios, indexed.

    Attributes
    ----------
    table : DataFrame
        The rows of ``resale.csv``.
    ratios : dict
        (brand, product type, normalised line or "") -> (low, high).
    """

    table: pd.DataFrame
    ratios: dict[tuple[str, str, str], tuple[float, float]] = field(default_factory=dict)

    def used_ratio(
        self, brand: str, product_type: str, line: str = ""
    ) -> tuple[float, float] | None:
        """(low, high) used price / new retail of a line, else of its row; None when unknown.

        Examples
        --------
        >>> table = load_resale()
        >>> table.used_ratio("Rolex", "watch", "Daytona")[0] > 1
        True
        >>> table.used_ratio("Nobody", "watch") is None
        True
        """
        if line:
            found = self.ratios.get((brand, product_type, normalise_key(line)))
            if found is not None:
                return found
        return self.ratios.get((brand, product_type, ""))


@dataclass(frozen=True)
class FormatTable:
    """Genuine formats with their own prices.

    Attributes
    ----------
    table : DataFrame
        The rows of ``formats.csv`` plus ``basis``: ``"retail"`` when the ratio multiplies the
        same item's new retail price ("vs same-size retail"), ``"reference"`` when it multiplies
        the registry's reference price of the row ("USD a-b vs ref R").
    by_row : dict
        (brand, product type) -> row positions in ``table``.
    """

    table: pd.DataFrame
    by_row: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)

    def formats_of(self, brand: str, product_type: str) -> pd.DataFrame:
        """The formats of one (brand, product type) (may be empty).

        Examples
        --------
        >>> "tester" in set(load_formats().formats_of("Chanel", "perfume")["format"])
        True
        """
        return self.table.iloc[list(self.by_row.get((brand, product_type), ()))]


def _data_path(name: str) -> Path:
    packaged = resources.files("cfdetect").joinpath(f"_data/{name}")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / name


def _read(
    path: Path, columns: tuple[str, ...], what: str, numeric: tuple[str, str]
) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc})") from exc
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: the {what} lacks column(s) {', '.join(missing)}")
    for col in ("brand", "product_type"):
        table[col] = table[col].str.strip()
        empty = table[col] == ""
        if empty.any():
            row = int(np.flatnonzero(empty.to_numpy())[0]) + 2
            raise InputError(f"{path}: line {row}, field {col}: empty")
    for col in numeric:
        values = pd.to_numeric(table[col], errors="coerce")
        bad = values.isna() | (values <= 0) | (values > MAX_RATIO)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError(f"{path}: line {row}, field {col}: not a ratio in (0, {MAX_RATIO:g}]")
        table[col] = values.astype(float)
    low, high = numeric
    above = (table[low] > table[high]).to_numpy()
    if above.any():
        row = int(np.flatnonzero(above)[0]) + 2
        raise InputError(f"{path}: line {row}: {low} is above {high}")
    return table


def _refuse_duplicates(path: Path, table: pd.DataFrame, keys: list[str]) -> None:
    dup = table.duplicated(keys).to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0]) + 2
        raise InputError(f"{path}: line {row}: the same {'/'.join(keys)} appears twice")


def load_resale(path: str | Path | None = None) -> ResaleTable:
    """Read ``resale.csv`` (default: the shipped one) and index it.

    Raises
    ------
    InputError
        If the file is unreadable, lacks a column, has a ratio that is not a positive number up to
        ``MAX_RATIO``, a low ratio above the high one, or a (brand, product type, line) twice.
    """
    path = Path(path) if path is not None else _data_path("resale.csv")
    table = _read(path, RESALE_COLUMNS, "resale table", ("used_ratio_low", "used_ratio_high"))
    table["line"] = table["line"].str.strip()
    key = table["line"].map(normalise_key)
    _refuse_duplicates(path, table.assign(_key=key), ["brand", "product_type", "_key"])
    ratios = {
        (b, t, k): (lo, hi)
        for b, t, k, lo, hi in zip(table["brand"], table["product_type"], key,
                                   table["used_ratio_low"], table["used_ratio_high"], strict=True)
    }  # fmt: skip
    return ResaleTable(table=table.reset_index(drop=True), ratios=ratios)


def load_formats(path: str | Path | None = None) -> FormatTable:
    """Read ``formats.csv`` (default: the shipped one) and index it.

    Raises
    ------
    InputError
        As ``load_resale``; also when a format name is not snake_case or a ``size_note`` says
        neither "vs same-size retail" nor "vs ref".
    """
    path = Path(path) if path is not None else _data_path("formats.csv")
    table = _read(path, FORMAT_COLUMNS, "format table", ("price_ratio_low", "price_ratio_high"))
    table["format"] = table["format"].str.strip()
    bad = ~table["format"].str.fullmatch(r"[a-z][a-z0-9_]*").astype(bool)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError(f"{path}: line {row}, field format: not a snake_case name")
    retail = table["size_note"].str.contains("vs same-size retail", regex=False)
    reference = table["size_note"].str.contains("vs ref", regex=False)
    unknown = (~retail & ~reference).to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0]) + 2
        raise InputError(
            f"{path}: line {row}, field size_note: says neither 'vs same-size retail' nor 'vs ref'"
        )
    table["basis"] = np.where(retail, "retail", "reference")
    _refuse_duplicates(path, table, ["brand", "product_type", "format"])
    table = table.reset_index(drop=True)
    by_row: dict[tuple[str, str], list[int]] = {}
    for i, (b, t) in enumerate(zip(table["brand"], table["product_type"], strict=True)):
        by_row.setdefault((b, t), []).append(i)
    return FormatTable(table=table, by_row={k: tuple(v) for k, v in by_row.items()})
