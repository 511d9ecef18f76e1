"""Training on a prior: ranking alone (no calibration), variants on fixed features (issue 23).

A quicker, rougher companion of ``benchmarks/prior_check.py``: the shipped model's features of a
shifted world (30,000 listings, seed 100) and its test set (15,000, seed 101), gradient boosting
fitted straight on random samples of 500 and 2,000 own labels, test PR-AUC and recall at 98%
precision of the *raw* scores (no calibration, no thresholds), two samples each:

* own: the features alone; own+pf: plus the prior's log-odds (defaults, 300 steps);
* own+pf small: 60 steps at 0.05, leaves of 20;
* own+soft / own+pf+soft: plus 5,000 unlabelled listings of the same world, each twice, as
  infringing with weight p and genuine with weight 1 - p (p: the prior's probability), own
  labels weighted 1 or 5.

    PYTHONPATH=. python benchmarks/prior_raw_ranking.py
"""

import time
import warnings

import numpy as np

from cfdetect._train_config import _boosting
from cfdetect.constraints import monotonic_cst
from cfdetect.model import ranking_metrics
from cfdetect.schema import canonical_frame
from cfdetect.scorer import Scorer
from cfdetect.simulate import SimulationConfig, load_world, simulate
from cfdetect.training import read_training_frame

warnings.filterwarnings("ignore")
t = time.time()
w = load_world("shifted")
s = Scorer.load(None)


def feats(df):
    rows = read_training_frame(df)
    y = rows["is_counterfeit"].to_numpy().astype(int)
    e = s._brands.transform(s._normalizer.transform(canonical_frame(rows)))
    m = np.asarray(s._features.transform(e), dtype=float)
    return m, s._raw_scores(m), y


Xp, rp, yp = feats(simulate(SimulationConfig(n_listings=30000, seed=100), world=w))
Xt, rt, yt = feats(simulate(SimulationConfig(n_listings=15000, seed=101), world=w))
print(
    "feat",
    time.time() - t,
    "prior",
    ranking_metrics(yt, rt)["pr_auc"],
    ranking_metrics(yt, rt)["recall_at_98_precision"],
)
cst = monotonic_cst(s.feature_names)


def hgb(n, prior, **kw):
    """The trainer's own boosting settings (``_train_config._boosting``), with overrides."""
    model = _boosting(300, 0, cst + ([1] if prior else []))
    return model.set_params(**kw)


def ev(m, X, r, prior):
    Z = np.column_stack([X, r]) if prior else X
    sc = m.decision_function(Z)
    mm = ranking_metrics(yt, sc)
    return round(mm["pr_auc"], 3), round(mm["recall_at_98_precision"], 3)


rng = np.random.default_rng(0)
for n in (500, 2000):
    for rep in range(2):
        idx = rng.choice(len(yp), n, replace=False)
        rest = np.setdiff1d(np.arange(len(yp)), idx)
        X, r, y = Xp[idx], rp[idx], yp[idx]
        res = {}
        res["own"] = ev(hgb(n, False).fit(X, y), Xt, rt, False)
        res["own+pf"] = ev(hgb(n, True).fit(np.column_stack([X, r]), y), Xt, rt, True)
        res["own+pf small"] = ev(
            hgb(n, True, max_iter=60, min_samples_leaf=20, learning_rate=0.05).fit(
                np.column_stack([X, r]), y
            ),
            Xt,
            rt,
            True,
        )
        # soft pseudo labels on unlabelled own-world rows
        u = rng.choice(rest, 5000, replace=False)
        pu = 1 / (1 + np.exp(-rp[u]))
        for wown in (1.0, 5.0):
            Xa = np.vstack([X, Xp[u], Xp[u]])
            ra = np.concatenate([r, rp[u], rp[u]])
            ya = np.concatenate([y, np.ones(len(u)), np.zeros(len(u))])
            wa = np.concatenate([np.full(n, wown), pu, 1 - pu])
            res[f"own+pf+soft w{wown}"] = ev(
                hgb(n, True).fit(np.column_stack([Xa, ra]), ya, sample_weight=wa), Xt, rt, True
            )
            res[f"own+soft w{wown}"] = ev(
                hgb(n, False).fit(Xa, ya, sample_weight=wa), Xt, rt, False
            )
        print(n, rep, res, round(time.time() - t), flush=True)
