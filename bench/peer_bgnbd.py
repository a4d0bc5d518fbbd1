"""The peer of bench/lifetime.ts: BG/NBD fitted with SciPy's L-BFGS-B on the same likelihood.

Usage: /usr/bin/python3 bench/peer_bgnbd.py data.csv   (columns x,t_x,T with a header)
Prints one JSON line: seconds of the fit (reading excluded), r, alpha, a, b, log-likelihood,
function evaluations. Same parameterisation as SegmentKit (log-parameters), same start values
(r = 1, alpha = T-sum / x-sum, a = 1, b = 3), gradient by SciPy's finite differences, as
lifetimes does it.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln


def negative_mean_log_likelihood(theta, x, tx, T):
    r, alpha, a, b = np.exp(theta)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + tx[repeat])
    return -np.mean(a1 + a2 + np.logaddexp(a3, a4))


def main():
    frame = pd.read_csv(sys.argv[1])
    x = frame.iloc[:, 0].to_numpy(float)
    tx = frame.iloc[:, 1].to_numpy(float)
    T = frame.iloc[:, 2].to_numpy(float)
    start = np.log([1.0, T.sum() / max(x.sum(), 1e-12), 1.0, 3.0])
    began = time.perf_counter()
    result = minimize(negative_mean_log_likelihood, start, args=(x, tx, T), method="L-BFGS-B")
    seconds = time.perf_counter() - began
    r, alpha, a, b = np.exp(result.x)
    print(json.dumps({"seconds": seconds, "r": r, "alpha": alpha, "a": a, "b": b,
                      "logLikelihood": -result.fun * len(x), "evaluations": int(result.nfev), "success": bool(result.success)}))


if __name__ == "__main__":
    main()
