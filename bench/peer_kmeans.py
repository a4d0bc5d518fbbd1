"""scikit-learn's KMeans on the matrix bench/clusters.ts wrote: the peer of SegmentKit's k-means.

    /usr/bin/python3 bench/peer_kmeans.py matrix.f64 columns start.f64 k

matrix.f64 and start.f64 are little-endian float64, row-major (the matrix, and SegmentKit's
k-means++ start, k rows). Prints JSON: for each run the wall time of each fit (seconds,
time.perf_counter, the fit alone: reading is outside the clock), its CPU time (time.process_time,
every thread's), n_iter_ and inertia_:
- "same_start": KMeans(k, init=start, n_init=1, algorithm='lloyd') from SegmentKit's start, with
  scikit-learn's threads (OpenMP, every core) and limited to one thread (threadpoolctl);
- "n_init_1", "n_init_10": KMeans(k, init='k-means++', n_init=1 / 10, algorithm='lloyd', random_state=0),
  the 10 starts also on one thread.
2 fits where it says fits(2); bench/clusters.ts runs this script in rounds alternating with its
own runs and takes the best and median over every round, since a shared machine's load comes and goes.
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


def fits(runs, **settings):
    walls, cpus = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        model = KMeans(n_clusters=k, algorithm='lloyd', **settings).fit(X)
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    return {'walls': walls, 'cpus': cpus, 'iterations': int(model.n_iter_), 'inertia': float(model.inertia_)}


threads = max((pool['num_threads'] for pool in threadpool_info() if pool['user_api'] == 'openmp'), default=1)
result = {'sklearn': sklearn.__version__, 'threads': threads, 'same_start': fits(2, init=start, n_init=1)}
with threadpool_limits(limits=1):
    result['same_start_one_thread'] = fits(2, init=start, n_init=1)
result['n_init_1'] = fits(2, init='k-means++', n_init=1, random_state=0)
result['n_init_10'] = fits(1, init='k-means++', n_init=10, random_state=0)
with threadpool_limits(limits=1):
    result['n_init_10_one_thread'] = fits(1, init='k-means++', n_init=10, random_state=0)
print(json.dumps(result))
