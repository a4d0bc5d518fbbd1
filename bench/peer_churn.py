"""The peer of bench/churn.ts: scikit-learn on the very matrices SegmentKit fits.

Usage: /usr/bin/python3 bench/peer_churn.py data.csv runs
data.csv: the encoded, standardised features f0…, then `label` (1/0) and `holdout` (1 = held out),
written by bench/churn.ts. Fits on the rows with holdout 0, best of `runs` fit times (reading
and predicting outside the clock), AUC on the held-out rows. Prints one JSON line.

Logistic regression: LogisticRegression() as users call it (lbfgs, C = 1, tol 1e-4), the same
objective and stopping scale as SegmentKit's. Boosted trees: HistGradientBoostingClassifier
with SegmentKit's settings (learning rate 0.1, at most 200 rounds, 31 leaves, 20 rows per leaf,
L2 1, 255 bins, early stopping on a 10 % stratified validation split after 10 rounds without gain).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


def best_fit(make, X, y, runs):
    fastest, model = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        model = make().fit(X, y)
        fastest = min(fastest, time.perf_counter() - began)
    return fastest, model


def main():
    frame = pd.read_csv(sys.argv[1])
    runs = int(sys.argv[2])
    held = frame["holdout"].to_numpy() == 1
    X = frame.drop(columns=["label", "holdout"]).to_numpy(float)
    y = frame["label"].to_numpy(int)
    learners = {
        "logistic": lambda: LogisticRegression(),
        "trees": lambda: HistGradientBoostingClassifier(
            learning_rate=0.1, max_iter=200, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1.0,
            max_bins=255, early_stopping=True, validation_fraction=0.1, n_iter_no_change=10, tol=1e-7, random_state=0),
    }
    out = {}
    for name, make in learners.items():
        seconds, model = best_fit(make, X[~held], y[~held], runs)
        auc = roc_auc_score(y[held], model.predict_proba(X[held])[:, 1])
        rounds = int(getattr(model, "n_iter_", [0])[0] if name == "logistic" else model.n_iter_)
        out[name] = {"seconds": seconds, "auc": auc, "iterations": rounds}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
