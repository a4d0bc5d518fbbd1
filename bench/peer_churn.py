"""The peer of bench/churn.ts: scikit-learn on the very matrices SegmentKit fits.

Usage: /usr/bin/python3 bench/peer_churn.py data.csv tree_runs logistic_runs C
data.csv: the encoded, standardised features f0…, then `label` (1/0) and `holdout` (1 = held out),
written by bench/churn.ts. Fits on the rows with holdout 0, tree_runs or logistic_runs times
(reading and predicting outside the clock): the best and the median wall time and the best
process (CPU) time; AUC on the held-out rows. Prints one JSON line.

Logistic regression: LogisticRegression(C) as users call it (lbfgs, tol 1e-4) at the C SegmentKit's
cross-validation chose, the same objective as SegmentKit's. It also reports how far from the
optimum it stopped: the largest gradient component of the objective divided by C · rows, the
scale of SegmentKit's tolerance, which bench/churn.ts then gives SegmentKit's fit, and the
objective there; and, untimed, the AUC and objective of the same model solved to the optimum
(tol 1e-12), where both sides' fits head.
Boosted trees: HistGradientBoostingClassifier with SegmentKit's settings (learning rate 0.1, at most 200 rounds, 31 leaves, 20 rows per leaf,
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


def timed_fits(make, X, y, runs):
    walls, cpus, model = [], [], None
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        model = make().fit(X, y)
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    return {"seconds": min(walls), "median": float(np.median(walls)), "cpu": min(cpus)}, model


def stopping_point(model, X, y, C):
    """max |∇(½‖w‖² + C Σ log-loss)| / (C · rows), the intercept's component included, and the objective there."""
    w, b = model.coef_[0], model.intercept_[0]
    z = X @ w + b
    residual = C * (1 / (1 + np.exp(-z)) - y)
    gradient = np.append(X.T @ residual + w, residual.sum())
    log_loss = np.sum(np.logaddexp(0, z) - y * z)
    return {"gradient": float(np.abs(gradient).max() / (C * len(y))), "objective": float(0.5 * w @ w + C * log_loss)}


def main():
    frame = pd.read_csv(sys.argv[1])
    runs = {"trees": int(sys.argv[2]), "logistic": int(sys.argv[3])}
    C = float(sys.argv[4])
    held = frame["holdout"].to_numpy() == 1
    X = frame.drop(columns=["label", "holdout"]).to_numpy(float)
    y = frame["label"].to_numpy(int)
    learners = {
        "logistic": lambda: LogisticRegression(C=C),
        "trees": lambda: HistGradientBoostingClassifier(
            learning_rate=0.1, max_iter=200, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1.0,
            max_bins=255, early_stopping=True, validation_fraction=0.1, n_iter_no_change=10, tol=1e-7, random_state=0),
    }
    out = {}
    for name, make in learners.items():
        times, model = timed_fits(make, X[~held], y[~held], runs[name])
        auc = roc_auc_score(y[held], model.predict_proba(X[held])[:, 1])
        rounds = int(getattr(model, "n_iter_", [0])[0] if name == "logistic" else model.n_iter_)
        out[name] = {**times, "auc": auc, "iterations": rounds}
        if name == "logistic":
            out[name].update(stopping_point(model, X[~held], y[~held], C))
            # The same objective solved to the optimum (untimed): where both fits head, so their AUCs
            # can be told apart from where each happened to stop.
            optimum = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(X[~held], y[~held])
            out[name]["auc_at_optimum"] = roc_auc_score(y[held], optimum.predict_proba(X[held])[:, 1])
            out[name]["objective_at_optimum"] = stopping_point(optimum, X[~held], y[~held], C)["objective"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
