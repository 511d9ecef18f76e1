# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # cfdetect walkthrough: simulate → train → score → evaluate → read the report
#
# This notebook runs the whole job on small, simulated data in about a minute:
#
# 1. **simulate** a labelled marketplace: listings with their sellers, counterfeit tactics and
#    timelines (when each listing would first sell and be reported if left live);
# 2. **train** a small model on one simulated year;
# 3. **score** listings of another simulated year, one at a time and as a file;
# 4. **evaluate** the model on that year: replay it in time order with a review team and a
#    notice team, and write the report;
# 5. **read the report**: the figures marketplaces publish, next to the ones they leave out.
#
# Everything is written under a temporary directory. The sizes are small so the notebook runs
# in the tests (`make test`); the figures below are therefore noisy. The same steps on the
# command line are `cfdetect simulate`, `cfdetect train`, `cfdetect score` and
# `cfdetect evaluate` (see the README).

# %%
import json
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

import cfdetect
from cfdetect.model import TrainConfig
from cfdetect.simulate import SimulationConfig, simulate

work = Path(tempfile.mkdtemp(prefix="cfdetect-walkthrough-"))
print("cfdetect", cfdetect.__version__, "- writing under", work)

# %% [markdown]
# ## 1. Simulate
#
# Two simulated years of the same marketplace, from different seeds: one to train on, one to
# evaluate on. Each row is a listing as submitted, plus the evaluation-only columns
# `is_counterfeit`, `first_sale_at` and `reported_at` (see `docs/simulator.md`).

# %%
train_rows = simulate(SimulationConfig(n_listings=12_000, seed=1, counterfeit_rate=0.15))
year = simulate(SimulationConfig(n_listings=8_000, seed=2, counterfeit_rate=0.15))
year_path = work / "year.parquet"
year.to_parquet(year_path)
year[["listing_id", "title", "price", "brand", "created_at", "is_counterfeit", "first_sale_at",
      "reported_at"]].head()  # fmt: skip

# %% [markdown]
# ## 2. Train
#
# A small, fast configuration: fewer boosting iterations, no ablation variants, no side-by-side
# baseline. The `block` threshold is chosen for 95% precision on a time-later split, and the
# `review` band is sized for 5 reviews a day.

# %%
model_dir = work / "model"
config = TrainConfig(
    ablation=False, baseline=False, max_iter=60, review_capacity=5, target_precision=0.95
)
card = cfdetect.train(train_rows, model_dir, config=config)
print("hold-out PR-AUC", round(card["holdout_metrics"]["pr_auc"], 3))
thresholds = card["thresholds"]
print(f"block at score >= {thresholds['block']:.3f}, review at >= {thresholds['review']:.3f}")

# %% [markdown]
# ## 3. Score
#
# One listing (the path an ingestion pipeline uses), then the whole year as a file.

# %%
scorer = cfdetect.Scorer.load(model_dir)
one = scorer.score({"listing_id": "x1", "title": "Rolex Submariner AAA 1:1 clone watch",
                    "price": 95, "seller_id": "new_seller", "seller_age_days": 2})  # fmt: skip
print(one.listing_id, round(one.score, 3), one.decision)
for reason in one.reasons:
    print("  ", reason)

# %%
from cfdetect.scoring import score_file  # noqa: E402

scored_path = work / "scored.csv"
report = score_file(year_path, scored_path, model=model_dir)
print(f"{report.scored:,} scored, decisions {dict(report.decisions)}")
pd.read_csv(scored_path).sort_values("score", ascending=False).head(3)

# %% [markdown]
# ## 4. Evaluate
#
# `cfdetect.evaluate_file` reads the file through the same validation as `score`, scores every
# listing with the model and with a baseline (here the title keyword filter), replays the year
# in time order and writes the report. Blocked listings are never published; listings sent to
# review wait in a first-in first-out queue worked at 5 a day; live infringing listings sell
# and get reported, and notices are handled at 20 a day.
#
# (The function is `evaluate_file` because `cfdetect.evaluate` is the evaluation package.)

# %%
run = cfdetect.evaluate_file(
    year_path, model_dir, baseline="keywords", review_capacity=5, notice_capacity=20,
    out=work / "report",
)  # fmt: skip
result = run.result
print(result.status, f"- {result.counts['listings']:,} listings, {run.seconds:.1f} s")
sorted(path.name for path in run.files.values())

# %% [markdown]
# ## 5. Read the report
#
# The headline states the figures the way marketplace statements do, then — in bold in the
# report — what those statements leave out. Each figure names its denominator.

# %%
doc = json.loads((work / "report" / "metrics.json").read_text())
for sentence in doc["headline"]["statement"]:
    print("   ", sentence)
print()
for sentence in doc["headline"]["omitted"]:
    print(" !!", sentence)

# %% [markdown]
# "Removed before a single sale" is conditional on being caught; **proactive recall** divides
# by *all* infringing listings. `metrics.json` holds every number of the report with its
# numerator, denominator and 95% interval:

# %%
keys = ["removed_before_first_sale", "notices_handled_24h", "notices_change",
        "prepublication_catch_rate", "proactive_recall", "wrongly_blocked_rate",
        "genuine_sellers_affected", "pr_auc", "precision_at_capacity"]  # fmt: skip
figures = pd.DataFrame({k: doc[k] for k in keys}).T[
    ["value", "numerator", "denominator", "low", "high"]
]
for key in keys:  # every rate carries its counts and an interval around its value
    entry = doc[key]
    if entry["numerator"] is not None and key != "notices_change":
        assert entry["numerator"] <= entry["denominator"]
    if entry["low"] is not None and entry["high"] is not None:
        assert entry["low"] <= entry["value"] <= entry["high"]
display(figures)

# %% [markdown]
# The plots: precision against recall with the operating points, and how long infringing
# listings stay up against how soon they would sell.

# %%
display(Image(filename=str(work / "report" / "pr_curve.png")))
display(Image(filename=str(work / "report" / "survival.png")))

# %% [markdown]
# Registered against unregistered brands (the registry's `registered` flag joined to each
# listing's declared brand), and the per-brand table:

# %%
display(Image(filename=str(work / "report" / "registered.png")))
pd.DataFrame(doc["per_brand"])[
    ["brand", "rows", "infringing", "flagged_recall", "proactive_recall", "wrongly_blocked"]
].head(8)

# %% [markdown]
# The full report is `report.md` (plots as files) and a self-contained `report.html` (plots
# embedded, no external resources). Its first lines:

# %%
display(Markdown("\n".join((work / "report" / "report.md").read_text().splitlines()[:4])))
print(work / "report" / "report.html")

# %% [markdown]
# ## When the data has less
#
# Without `first_sale_at` and `reported_at` there is no replay: the evaluation gives the
# classification figures and says which columns it needs. (`evaluate_file` also takes a
# DataFrame.)

# %%
partial = cfdetect.evaluate_file(year.drop(columns=["first_sale_at", "reported_at"]), scorer)
print(partial.result.status)
print(partial.result.notes[0])
