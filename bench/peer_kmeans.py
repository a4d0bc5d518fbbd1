"""scikit-learn's KMeans on the matrix bench/clusters.ts wrote: the peer of SegmentKit's k-means.

    /usr/bin/python3 bench/peer_kmeans.py matrix.f64 columns start.f64 k

matrix.f64 and start.f64 are little-endian float64, row-major (the matrix, and SegmentKit's
k-means++ start, k rows). Prints JSON: for each run its fit time (seconds, time.perf_counter,
the fit alone: reading is outside the clock), n_iter_ and inertia_:
- "same_start": KMeans(k, init=start, n_init=1, algorithm='lloyd') from SegmentKit's start, with
  scikit-learn's threads (OpenMP, every core) and limited to one thread (threadpoolctl);
- "n_init_1", "n_init_10": KMeans(k, init='k-means++', n_init=1 / 10, algorithm='lloyd', random_state=0),
  the 10 starts also on one thread.
Best of 2 runs where it says best_of; bench/clusters.ts runs this script in rounds between its own
runs and keeps the fastest of each, since a shared machine's load comes and goes.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info, threadpool_limits

path, columns, start_path, k = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
X = np.fromfile(path, dtype='<f8').reshape(-1, columns)
start = np.fromfile(start_path, dtype='<f8').reshape(k, columns)


def fit(**settings):
    began = time.perf_counter()
    model = KMeans(n_clusters=k, algorithm='lloyd', **settings).fit(X)
    return {'seconds': time.perf_counter() - began, 'iterations': int(model.n_iter_), 'inertia': float(model.inertia_)}


def best_of(runs, **settings):
    results = [fit(**settings) for _ in range(runs)]
    return min(results, key=lambda result: result['seconds'])


threads = max((pool['num_threads'] for pool in threadpool_info() if pool['user_api'] == 'openmp'), default=1)
result = {'sklearn': sklearn.__version__, 'threads': threads, 'same_start': best_of(2, init=start, n_init=1)}
with threadpool_limits(limits=1):
    result['same_start_one_thread'] = best_of(2, init=start, n_init=1)
result['n_init_1'] = best_of(2, init='k-means++', n_init=1, random_state=0)
result['n_init_10'] = fit(init='k-means++', n_init=10, random_state=0)
with threadpool_limits(limits=1):
    result['n_init_10_one_thread'] = fit(init='k-means++', n_init=10, random_state=0)
print(json.dumps(result))
