"""Prices: recipe multiples of the item's retail price, and sellers' rounding habits."""

from __future__ import annotations

import numpy as np

from cfdetect.simulate._catalog import sample_weighted
from cfdetect.simulate._tactics import RECIPES, TACTIC_NAMES


def listing_prices(
    rng: np.random.Generator,
    recipe: np.ndarray,
    kind: np.ndarray,
    retail: np.ndarray,
    accessory: np.ndarray,
    unbranded: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """USD price and quantity of each listing from its recipe's ranges.

    Regular listings are discounted 5-35% a quarter of the time; unbranded goods cost their own
    retail; accessories $6-69; counterfeits never below $3.50-9 nor above 95% of retail; half the
    wholesale listings price a lot rather than a unit; a fifth of the off-platform ones show a
    placeholder price.
    """
    n = len(recipe)
    multiple = np.ones(n)
    quantity = np.ones(n)
    for name in np.unique(recipe):
        rows = recipe == name
        spec = RECIPES[str(name)]
        k = int(rows.sum())
        multiple[rows] = np.exp(rng.uniform(*np.log(spec.price), k))
        quantity[rows] = np.exp(rng.uniform(*np.log(spec.quantity), k))
    quantity = np.maximum(1, np.round(quantity)).astype(np.int64)
    quantity[(kind == "individual") | (recipe == "used_authentic")] = 1
    price = retail * multiple
    sale = (recipe == "regular") & (rng.random(n) < 0.25)
    price[sale] *= rng.uniform(0.65, 0.95, int(sale.sum()))
    price[unbranded] = retail[unbranded]
    price[accessory] = np.exp(rng.uniform(np.log(5.99), np.log(69.0), int(accessory.sum())))
    fake = np.isin(recipe, TACTIC_NAMES)
    floor = rng.uniform(3.5, 9.0, n)
    price[fake] = np.minimum(np.maximum(price[fake], floor[fake]), 0.95 * retail[fake])
    lots = (recipe == "bulk_wholesale") & (rng.random(n) < 0.5)
    lot_size = rng.choice([5, 10, 20, 50], size=n)
    price[lots] *= lot_size[lots]
    quantity[lots] = np.maximum(1, quantity[lots] // lot_size[lots])
    placeholder = (recipe == "offplatform_contact") & (rng.random(n) < 0.2)
    price[placeholder] = rng.choice([0.99, 1.0, 9.99, 999.0], size=int(placeholder.sum()))
    return np.maximum(price, 0.5), quantity


def charm_round(rng: np.random.Generator, price: np.ndarray, is_fake: np.ndarray) -> np.ndarray:
    """Round prices the way sellers do: mostly .99/.00/.95 endings, counterfeits less tidy.

    Examples
    --------
    >>> rounded = charm_round(np.random.default_rng(0), np.array([12.3, 80.7]), np.zeros(2, bool))
    >>> bool(np.all(np.floor(rounded) == [12, 80]))
    True
    """
    n = len(price)
    endings = np.array([0.99, 0.0, 0.95, 0.49])
    genuine_ending = endings[sample_weighted(rng, np.array([55, 15, 10, 5]), n)]
    fake_ending = endings[sample_weighted(rng, np.array([35, 15, 5, 5]), n)]
    ending = np.where(is_fake, fake_ending, genuine_ending)
    untidy = rng.random(n) < np.where(is_fake, 0.4, 0.15)
    whole = np.floor(price)
    tidy = np.where(whole >= 1, whole + ending, np.round(price, 2))
    return np.maximum(np.where(untidy, np.round(price, 2), tidy), 0.5)
