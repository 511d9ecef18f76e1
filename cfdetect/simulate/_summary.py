"""Summary tables of a simulated dump: what was made, and how the labels differ."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cfdetect._parsers import USD_PER_UNIT

QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


def summarize(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Summarise a simulated listing table.

    Parameters
    ----------
    frame : DataFrame
        Output of ``simulate`` (needs the simulator-only columns).

    Returns
    -------
    dict of DataFrame
        ``tactics``: counterfeit listings per tactic; ``cases``: genuine listings per case;
        ``price_ratio``: quantiles of price (USD) / reference price by label; ``seller_age``:
        quantiles of seller_age_days by label; ``periods``: listings, counterfeit share and
        tactics in use per period; ``languages``: listings and counterfeit share per language
        (when the frame has a ``language`` column). Labels are the ``is_counterfeit`` column
        (noisy when the run had label noise); tactics and cases are the true story.

    Examples
    --------
    >>> from cfdetect.simulate import SimulationConfig, simulate
    >>> tables = summarize(simulate(SimulationConfig(n_listings=300, days=30)))
    >>> sorted(tables)
    ['cases', 'languages', 'periods', 'price_ratio', 'seller_age', 'tactics']
    """
    return _tables(_compact(frame))


class SummaryCollector:
    """Keeps the few columns the summary needs, chunk by chunk, for runs too big to hold.

    Examples
    --------
    >>> from cfdetect.simulate import SimulationConfig, simulate_chunks
    >>> collector = SummaryCollector()
    >>> for chunk in simulate_chunks(SimulationConfig(n_listings=300, days=30)):
    ...     collector.add(chunk)
    >>> int(collector.tables()["periods"]["listings"].sum())
    300
    """

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, chunk: pd.DataFrame) -> None:
        """Keep the summary columns of one chunk."""
        self._parts.append(_compact(chunk))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of ``summarize`` over every chunk added."""
        return _tables(pd.concat(self._parts, ignore_index=True))


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    usd = frame["price"] * frame["currency"].map(USD_PER_UNIT).astype(float)
    language = frame["language"] if "language" in frame.columns else "en"
    return pd.DataFrame(
        {
            "language": pd.Series(language, index=frame.index).astype("category"),
            "tactic": frame["tactic"].astype("category"),
            "case": frame["case"].astype("category"),
            "label": np.where(
                frame["is_counterfeit"].astype("int64") == 1, "counterfeit", "genuine"
            ),
            "price_ratio": (usd / frame["reference_price_usd"]).astype("float32"),
            "seller_age_days": frame["seller_age_days"].astype("float32"),
            "period": frame["period"].astype("int16"),
        }
    )


def _tables(compact: pd.DataFrame) -> dict[str, pd.DataFrame]:
    tactic = compact["tactic"].astype(str)
    fake = tactic != "none"
    tactics = tactic[fake].value_counts().rename_axis("tactic").to_frame("listings")
    cases = compact.loc[~fake, "case"].astype(str).value_counts()
    cases = cases.rename_axis("case").to_frame("listings")
    for table in (tactics, cases):
        table["share"] = (table["listings"] / len(compact)).round(4)
    periods = pd.DataFrame(
        {
            "listings": compact.groupby("period").size(),
            "counterfeit_share": (compact["label"] == "counterfeit")
            .groupby(compact["period"])
            .mean(),
            "tactics_in_use": tactic[fake].groupby(compact.loc[fake, "period"]).nunique(),
        }
    )
    periods["counterfeit_share"] = periods["counterfeit_share"].round(4)
    periods["tactics_in_use"] = periods["tactics_in_use"].fillna(0).astype(int)
    language = compact["language"].astype(str)
    languages = pd.DataFrame(
        {
            "listings": language.value_counts(),
            "counterfeit_share": (compact["label"] == "counterfeit").groupby(language).mean(),
        }
    ).sort_values("listings", ascending=False)
    languages.index.name = "language"
    languages["share"] = (languages["listings"] / len(compact)).round(4)
    languages["counterfeit_share"] = languages["counterfeit_share"].round(4)
    return {
        "languages": languages[["listings", "share", "counterfeit_share"]],
        "tactics": tactics,
        "cases": cases,
        "price_ratio": _quantiles(compact["price_ratio"].astype(float), compact["label"]),
        "seller_age": _quantiles(compact["seller_age_days"].astype(float), compact["label"]),
        "periods": periods,
    }


def _quantiles(values: pd.Series, label: pd.Series) -> pd.DataFrame:
    table = values.groupby(label).quantile(list(QUANTILES)).unstack()
    table.columns = [f"q{int(q * 100):02d}" for q in QUANTILES]
    table.insert(0, "rows", values.groupby(label).size())
    table.insert(1, "missing", values.isna().groupby(label).sum())
    table.index.name = "label"
    return table.round(3)
