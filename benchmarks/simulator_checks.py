"""Checks that the simulated marketplace is neither trivial nor static.

Run from the project root (about 3-4 minutes on 2 cores with the defaults)::

    python benchmarks/simulator_checks.py --listings 200000 --seed 0

1. Single signals: a depth-2 decision tree on one column at a time (price against reference,
   seller age, takedowns, each keyword indicator, ...), PR-AUC from 5-fold cross-validated
   probabilities. The issue asks for every one to stay under 0.8.
2. Keyword filter: the share of counterfeits whose title contains 'replica', 'fake', '1:1', 'AAA'
   or 'inspired' (case-insensitive), and the share of genuine listings it flags.
3. Text alone: a LogisticRegression on TF-IDF character n-grams of one text column (title, then
   description), PR-AUC from 3-fold cross-validated scores on a separate simulation of 20,000
   listings (same seed). The description alone must not give the label away (it once reached
   0.99). Also the share of descriptions with a counterfeit tell-tale (by tactic and label) and
   with phrases every kind of seller uses.
4. Drift: TF-IDF character n-grams of the title and of the description plus numeric columns
   (price, seller history, quantity, photos) in a LogisticRegression, trained on 80% of period 0;
   PR-AUC and recall at the threshold that gives 90% precision on the period-0 hold-out, measured
   on that hold-out and on the last period; with and without drift.
5. Learnability: gradient boosting on price against reference, seller history and listing
   fields (no text), trained the same way, on the drifted run.
6. Per language (``language`` column): listings, counterfeit share, checks 1 and 2 on that
   language's rows, with its own keywords added (``LOCAL_KEYWORDS``, ``LOCAL_FILTER_WORDS``).
   ``--languages-only`` runs checks 1, 2 and 6 only (a few seconds on 50,000 listings).

Prints plain-text tables; ``--json PATH`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from cfdetect._parsers import USD_PER_UNIT
from cfdetect.registry import load_registry
from cfdetect.simulate import SimulationConfig, simulate
from cfdetect.simulate._descriptions import TACTIC_TELLTALES, TELLTALES

FILTER_WORDS = ("replica", "fake", "1:1", "aaa", "inspired")
KEYWORDS = FILTER_WORDS + ("ua", "copy", "style", "dupe", "wholesale", "mirror", "authentic")
LOCAL_FILTER_WORDS: dict[str, tuple[str, ...]] = {
    "es": ("réplica", "replica", "copia", "imitación", "tipo", "inspirado"),
    "pt_BR": ("réplica", "replica", "cópia", "imitação", "primeira linha", "inspirado"),
    "de": ("replika", "nachbau", "kopie", "fälschung", "im stil", "inspiriert"),
    "fr": ("réplique", "replica", "copie", "contrefaçon", "inspiré", "style"),
    "ru": ("реплика", "копия", "подделка", "паль", "аналог", "люкс"),
}
"""A keyword filter's words for each language, added to ``FILTER_WORDS``."""
LOCAL_KEYWORDS: dict[str, tuple[str, ...]] = {
    lang: (*words, "original", "оригинал") for lang, words in LOCAL_FILTER_WORDS.items()
}
NUMERIC = ["log_price", "seller_age_days", "seller_rating", "seller_n_ratings",
           "seller_n_listings", "seller_n_takedowns", "seller_n_brands", "seller_gmv_90d",
           "seller_orders_90d", "seller_returns_90d", "quantity", "image_count"]  # fmt: skip


def single_signals(
    frame: pd.DataFrame, y: np.ndarray, keywords: tuple[str, ...] = KEYWORDS
) -> pd.DataFrame:
    """PR-AUC of a depth-2 tree on each single column (5-fold cross-validated)."""
    usd = frame["price"] * frame["currency"].map(USD_PER_UNIT).astype(float)
    title = frame["title"].str.lower()
    columns = {
        "price_ratio_to_reference": usd / frame["reference_price_usd"],
        "price_usd": usd,
        "seller_age_days": frame["seller_age_days"],
        "seller_n_takedowns": frame["seller_n_takedowns"],
        "seller_rating": frame["seller_rating"],
        "seller_n_listings": frame["seller_n_listings"],
        "seller_n_brands": frame["seller_n_brands"],
        "seller_returns_90d": frame["seller_returns_90d"],
        "quantity": frame["quantity"],
        "image_count": frame["image_count"],
        "ships_from_cn_hk": frame["ships_from"].isin(["CN", "HK"]),
        "declared_brand_missing_or_generic": frame["brand"].isna()
        | frame["brand"].isin(["Generic", "Unbranded", "No Brand", "Does not apply"]),
    }
    for word in dict.fromkeys(keywords):
        pattern = re.escape(word) if not word.isalpha() else rf"\b{word}\b"
        columns[f"title_has_{word}"] = title.str.contains(pattern, regex=True)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    rows = []
    for name, values in columns.items():
        x = pd.to_numeric(values, errors="coerce").astype(float).to_numpy().reshape(-1, 1)
        tree = DecisionTreeClassifier(max_depth=2, random_state=0)
        proba = cross_val_predict(tree, x, y, cv=folds, method="predict_proba")[:, 1]
        rows.append({"column": name, "pr_auc": round(average_precision_score(y, proba), 4)})
    return pd.DataFrame(rows).sort_values("pr_auc", ascending=False, ignore_index=True)


def keyword_filter(
    frame: pd.DataFrame, y: np.ndarray, words: tuple[str, ...] = FILTER_WORDS
) -> dict[str, float]:
    """Share of counterfeits (and of genuine listings) a title keyword filter flags."""
    pattern = "|".join(re.escape(w) for w in words)
    flagged = frame["title"].str.contains(pattern, case=False, regex=True).to_numpy(bool)
    period = frame["period"].to_numpy()
    by_period = {
        int(p): round(float(flagged[(y == 1) & (period == p)].mean()), 4) for p in np.unique(period)
    }
    return {
        "counterfeits_caught": round(float(flagged[y == 1].mean()), 4),
        "counterfeits_caught_by_period": by_period,
        "genuine_flagged": round(float(flagged[y == 0].mean()), 4),
        "precision": round(float(y[flagged].mean()), 4) if flagged.any() else float("nan"),
    }


def per_language(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Checks 1 and 2 on each language's rows, with the language's own keywords."""
    out: dict[str, dict[str, object]] = {}
    for lang, rows in frame.groupby("language", sort=False):
        rows = rows.reset_index(drop=True)
        y = rows["is_counterfeit"].astype(int).to_numpy()
        local = LOCAL_KEYWORDS.get(str(lang), ())
        signals = single_signals(rows, y, KEYWORDS + local)
        keywords = keyword_filter(rows, y, FILTER_WORDS + LOCAL_FILTER_WORDS.get(str(lang), ()))
        out[str(lang)] = {
            "listings": len(rows),
            "counterfeit_share": round(float(y.mean()), 4),
            "top_single_signal": signals.iloc[0]["column"],
            "top_single_pr_auc": float(signals.iloc[0]["pr_auc"]),
            "keyword_caught": keywords["counterfeits_caught"],
            "keyword_genuine_flagged": keywords["genuine_flagged"],
            "keyword_precision": keywords["precision"],
        }
    return out


def text_alone(frame: pd.DataFrame) -> dict[str, float]:
    """PR-AUC of a character n-gram LogisticRegression on each text column alone.

    3-fold cross-validated decision scores (folds in row order, i.e. in time); run on a separate
    simulation of 20,000 listings so the figure does not depend on ``--listings``.
    """
    y = frame["is_counterfeit"].astype(int).to_numpy()
    out = {}
    for column in ("title", "description"):
        x = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3).fit_transform(
            frame[column].fillna("")
        )
        model = LogisticRegression(max_iter=500, C=4)
        scores = cross_val_predict(model, x, y, cv=3, method="decision_function")
        out[f"{column}_only_pr_auc"] = round(average_precision_score(y, scores), 4)
    return out


def _phrases(phrases: list[str]) -> str:
    return "|".join(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(p)) for p in phrases)


SHARED_PHRASES = {
    "catalogue_copy": "/ ",
    "100%_authentic": "100% authentic",
    "box_and_dust_bag": "box and dust bag",
    "selling_my": "Selling my",
}


def description_phrases(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of descriptions with a tell-tale, with shared phrases, or none, by tactic / label."""
    text = frame["description"].fillna("")
    tell = [p for p, _ in TELLTALES] + [p for pool in TACTIC_TELLTALES.values() for p in pool]
    far = frame["ships_from"].isin(["CN", "HK"])
    near = frame["ships_from"].eq("US").fillna(False).astype(bool)
    long = text.str.contains("Shipping 10-20 days", regex=False)
    flags = pd.DataFrame({
        "telltale": text.str.contains(_phrases(tell), regex=True),
        **{name: text.str.contains(p, regex=False) for name, p in SHARED_PHRASES.items()},
        "none": frame["description"].isna(),
        "ship_10_20d_cn_hk": long.where(far),
        "ship_10_20d_us": long.where(near),
    }).astype(float)  # fmt: skip
    label = np.where(frame["is_counterfeit"].astype(int) == 1, "counterfeit", "genuine")
    group = np.where(label == "counterfeit", frame["tactic"].astype(str), label)
    by_tactic = flags[["telltale"]].groupby(group).mean()
    by_label = flags.groupby(label).mean()
    table = pd.concat([by_label, by_tactic.drop(index="genuine", errors="ignore")])
    return table.round(3)


def _text_features() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3,
                           max_features=100_000, sublinear_tf=True)  # fmt: skip


def _baseline() -> object:
    numeric = make_pipeline(
        FunctionTransformer(lambda x: np.sign(x) * np.log1p(np.abs(x))),
        SimpleImputer(strategy="median", add_indicator=True),
        StandardScaler(),
    )
    features = ColumnTransformer([
        ("title", _text_features(), "title"),
        ("description", _text_features(), "description"),
        ("numeric", numeric, NUMERIC),
    ])  # fmt: skip
    return make_pipeline(features, LogisticRegression(C=2.0, max_iter=2000))


def _model_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["title"] + NUMERIC[1:]].copy()
    out["description"] = frame["description"].fillna("").astype(str)
    usd = frame["price"] * frame["currency"].map(USD_PER_UNIT).astype(float)
    out["log_price"] = np.log(usd)
    return out.astype({c: float for c in NUMERIC})


def drift(frame: pd.DataFrame) -> dict[str, float]:
    """Train on period 0, test on a period-0 hold-out and on the last period."""
    y = frame["is_counterfeit"].astype(int).to_numpy()
    period = frame["period"].to_numpy()
    first = np.flatnonzero(period == 0)
    rng = np.random.default_rng(0)
    holdout = rng.random(len(first)) < 0.2
    train, test0 = first[~holdout], first[holdout]
    last = np.flatnonzero(period == period.max())
    model = _baseline()
    x = _model_frame(frame)
    model.fit(x.iloc[train], y[train])
    p0 = model.predict_proba(x.iloc[test0])[:, 1]
    p_last = model.predict_proba(x.iloc[last])[:, 1]
    precision, _, thresholds = precision_recall_curve(y[test0], p0)
    ok = np.flatnonzero(precision[:-1] >= 0.9)
    threshold = float(thresholds[ok[0]]) if len(ok) else 0.5

    def recall(p: np.ndarray, labels: np.ndarray) -> float:
        return round(float((p[labels == 1] >= threshold).mean()), 4)

    return {
        "threshold_at_90pct_precision_period0": round(threshold, 4),
        "pr_auc_period0_holdout": round(average_precision_score(y[test0], p0), 4),
        "pr_auc_last_period": round(average_precision_score(y[last], p_last), 4),
        "recall_period0_holdout": recall(p0, y[test0]),
        "recall_last_period": recall(p_last, y[last]),
        "precision_last_period": round(float(y[last][p_last >= threshold].mean()), 4),
    }


def signals_model(frame: pd.DataFrame) -> dict[str, float]:
    """Learnability: gradient boosting on the combined signals, trained on period 0.

    Uses the price against the simulator's reference price (a real model looks the reference up
    in the registry after recognising the brand and product type, so this is an upper bound for
    that feature), the seller history, quantity, photos, shipping country and whether the
    declared brand is missing or generic. No text.
    """
    y = frame["is_counterfeit"].astype(int).to_numpy()
    usd = frame["price"] * frame["currency"].map(USD_PER_UNIT).astype(float)
    features = (
        frame[NUMERIC[1:]]
        .astype(float)
        .assign(
            price_ratio=usd / frame["reference_price_usd"],
            log_price=np.log(usd),
            ships_cn_hk=frame["ships_from"].isin(["CN", "HK"]).astype(float),
            brand_missing=(
                frame["brand"].isna() | frame["brand"].isin(["Generic", "Unbranded"])
            ).astype(float),
        )
    )
    period = frame["period"].to_numpy()
    first = np.flatnonzero(period == 0)
    holdout = np.random.default_rng(0).random(len(first)) < 0.2
    last = np.flatnonzero(period == period.max())
    model = HistGradientBoostingClassifier(max_iter=300, random_state=0)
    model.fit(features.iloc[first[~holdout]], y[first[~holdout]])

    def pr_auc(rows: np.ndarray) -> float:
        return round(
            average_precision_score(y[rows], model.predict_proba(features.iloc[rows])[:, 1]), 4
        )

    return {"pr_auc_period0_holdout": pr_auc(first[holdout]), "pr_auc_last_period": pr_auc(last)}


def main() -> None:
    """Run all checks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--registry", default=None, help="registry CSV (default: shipped)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument(
        "--languages-only", action="store_true", help="checks 1, 2 and the per-language ones"
    )
    args = parser.parse_args()
    registry = load_registry(args.registry)
    report: dict[str, object] = {"listings": args.listings, "seed": args.seed}
    pd.set_option("display.width", 160)

    start = time.perf_counter()
    frame = simulate(SimulationConfig(n_listings=args.listings, seed=args.seed), registry)
    y = frame["is_counterfeit"].astype(int).to_numpy()
    print(f"simulated {len(frame):,} listings in {time.perf_counter() - start:.1f} s; "
          f"counterfeit share {y.mean():.4f}")  # fmt: skip

    signals = single_signals(frame, y)
    print("\nSingle-signal depth-2 trees (PR-AUC, 5-fold CV); base rate", round(y.mean(), 4))
    print(signals.to_string(index=False))
    report["single_signals"] = dict(zip(signals["column"], signals["pr_auc"], strict=True))

    keywords = keyword_filter(frame, y)
    print("\nKeyword filter", FILTER_WORDS, keywords)
    report["keyword_filter"] = keywords

    languages = per_language(frame)
    print("\nPer language: single-signal depth-2 trees and a keyword filter with local words")
    print(pd.DataFrame(languages).T.to_string())
    report["per_language"] = languages
    if args.languages_only:
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
        return

    small = simulate(SimulationConfig(n_listings=20_000, seed=args.seed), registry)
    texts = text_alone(small)
    print(
        "\nOne text column alone: char n-gram LogisticRegression, PR-AUC (3-fold CV, "
        f"{len(small):,} listings, seed {args.seed})"
    )
    print(json.dumps(texts, indent=2))
    report["text_alone"] = texts
    phrases = description_phrases(frame)
    print("\nDescriptions: share with a tell-tale / shared phrases / none (rows: label, tactic)")
    print(phrases.to_string(na_rep=""))
    report["description_phrases"] = json.loads(phrases.to_json(orient="index"))

    for drifting in (True, False):
        config = SimulationConfig(n_listings=args.listings, seed=args.seed, drift=drifting)
        data = frame if drifting else simulate(config, registry)
        figures = drift(data)
        print(
            "\nTF-IDF (title, description) + numeric LogisticRegression trained on period 0, "
            f"drift={drifting}"
        )
        print(json.dumps(figures, indent=2))
        report[f"drift_{drifting}"] = figures

    figures = signals_model(frame)
    print(
        "\nGradient boosting on price-vs-reference + seller + listing fields (no text), drift=True"
    )
    print(json.dumps(figures, indent=2))
    report["signals_model"] = figures

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
