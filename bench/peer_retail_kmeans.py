"""scikit-learn's KMeans and silhouette on the standardised log RFM matrix of UCI Online Retail.

The reference the k-means test (test/kmeans.test.ts) is held to, measured once with Debian's
python3-sklearn: the matrix is the one bench/retail-rfm-matrix.ts writes from TypeScript, so both
sides cluster identical numbers.

    /usr/bin/python3 bench/peer_retail_kmeans.py retail_rfm.csv

Prints, per k = 2 … 8, KMeans(n_clusters=k, n_init=10, init='k-means++', algorithm='lloyd',
random_state=0)'s inertia and silhouette_score on every row, and the k with the best silhouette.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

X = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
scores = []
for k in range(2, 9):
    model = KMeans(n_clusters=k, n_init=10, init='k-means++', algorithm='lloyd', random_state=0).fit(X)
    scores.append({'k': k, 'inertia': float(model.inertia_), 'silhouette': float(silhouette_score(X, model.labels_))})
best = max(scores, key=lambda score: score['silhouette'])
print(json.dumps({'sklearn': sklearn.__version__, 'rows': int(X.shape[0]), 'scores': scores, 'best_k': best['k']}, indent=1))
