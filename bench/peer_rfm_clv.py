"""The peer of the CLI's `segment log.csv -m rfm,clv` in `npm run bench`: what an analyst does
today with pandas, SciPy and openpyxl on a transaction log (UCI Online Retail's columns).

Usage: /usr/bin/python3 bench/peer_rfm_clv.py log.csv target.xlsx
Reads the CSV, leaves out lines without a CustomerID, nets credit lines (negative amounts or an
invoice starting with C) into revenue, and per customer computes RFM (days since the last
purchase day, distinct purchase invoices, net revenue; scores 1-5 by quantiles of min-ranks, so
equal values share a score), the BG/NBD summary (x = distinct purchase days - 1, t_x and T in
weeks to the last day in the log), the BG/NBD fit with SciPy's L-BFGS-B (the likelihood of
bench/peer_bgnbd.py), P(alive), expected purchases in 52 weeks (eq. 10 with scipy.special.hyp2f1),
the Gamma-Gamma fit on the repeat buyers and CLV over 12 months discounted at 10 % a year. Writes one
row per customer with openpyxl. Prints one JSON line: seconds (everything, reading included),
peak memory, customers, the fitted parameters.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

from peer_bgnbd import negative_mean_log_likelihood

HORIZON_WEEKS = 52
MONTHS = 12
YEARLY_RATE = 0.10


def quantile_score(values, groups=5):
    """1..groups by the share of customers at or below each value: ties share a score."""
    share = values.rank(method="min", pct=True)
    return np.clip(np.ceil(share * groups), 1, groups).astype(int)


def fit_bgnbd(x, tx, T):
    start = np.log([1.0, T.sum() / max(x.sum(), 1e-12), 1.0, 3.0])
    result = minimize(negative_mean_log_likelihood, start, args=(x, tx, T), method="L-BFGS-B")
    return np.exp(result.x)


def p_alive(r, alpha, a, b, x, tx, T):
    log_odds = np.log(a) - np.log(b + np.maximum(x, 1) - 1) + (r + x) * np.log((alpha + T) / (alpha + tx))
    return np.where(x > 0, 1 / (1 + np.exp(log_odds)), 1.0)


def expected_purchases(r, alpha, a, b, t, x, tx, T):
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * bracket * p_alive(r, alpha, a, b, x, tx, T)


def gamma_gamma_negative_log_likelihood(theta, x, zbar):
    p, q, gamma = np.exp(theta)
    return -np.mean(gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(gamma)
                    + (p * x - 1) * np.log(zbar) + p * x * np.log(x) - (p * x + q) * np.log(gamma + x * zbar))


def main():
    began = time.perf_counter()
    source, target = sys.argv[1], sys.argv[2]
    log = pd.read_csv(source, dtype={"InvoiceNo": str, "CustomerID": str}, parse_dates=["InvoiceDate"])
    log = log[log["CustomerID"].notna()].copy()
    log["amount"] = log["Quantity"] * log["UnitPrice"]
    log["day"] = log["InvoiceDate"].dt.floor("D")
    log["credit"] = (log["amount"] < 0) | log["InvoiceNo"].str.startswith("C")
    purchases = log[~log["credit"]]
    end = log["day"].max()

    by_customer = purchases.groupby("CustomerID")
    customers = pd.DataFrame({
        "first": by_customer["day"].min(), "last": by_customer["day"].max(),
        "orders": by_customer["InvoiceNo"].nunique(), "days": by_customer["day"].nunique(),
    })
    customers["revenue"] = log.groupby("CustomerID")["amount"].sum().reindex(customers.index).round(2)
    day_spend = purchases.groupby(["CustomerID", "day"])["amount"].sum()
    first_day_spend = day_spend.groupby(level=0).first()
    customers["x"] = customers["days"] - 1
    customers["zbar"] = ((day_spend.groupby(level=0).sum() - first_day_spend) / customers["x"].where(customers["x"] > 0)).fillna(0)
    customers["t_x"] = (customers["last"] - customers["first"]).dt.days / 7
    customers["T"] = (end - customers["first"]).dt.days / 7

    customers["recency_days"] = (end + pd.Timedelta(days=1) - customers["last"]).dt.days
    customers["R"] = quantile_score(-customers["recency_days"])
    customers["F"] = quantile_score(customers["orders"])
    customers["M"] = quantile_score(customers["revenue"])

    x, tx, T = (customers[c].to_numpy(float) for c in ("x", "t_x", "T"))
    r, alpha, a, b = fit_bgnbd(x, tx, T)
    customers["p_alive"] = p_alive(r, alpha, a, b, x, tx, T)
    customers["expected_purchases"] = expected_purchases(r, alpha, a, b, HORIZON_WEEKS, x, tx, T)

    repeat = (x > 0) & (customers["zbar"].to_numpy() > 0)
    xr, zr = x[repeat], customers["zbar"].to_numpy()[repeat]
    gg = minimize(gamma_gamma_negative_log_likelihood, np.log([1.0, 1.0, zr.mean()]), args=(xr, zr), method="L-BFGS-B")
    p, q, gamma = np.exp(gg.x)
    spend = np.where(repeat, p * (gamma + x * customers["zbar"]) / (p * x + q - 1), p * gamma / (q - 1) if q > 1 else np.nan)
    customers["expected_spend"] = spend
    # Expected purchases month by month (differences of eq. 10), each discounted.
    weeks_per_month = 52 / 12
    monthly_rate = (1 + YEARLY_RATE) ** (1 / 12) - 1
    clv = np.zeros(len(customers))
    previous = np.zeros(len(customers))
    for month in range(1, MONTHS + 1):
        cumulative = expected_purchases(r, alpha, a, b, month * weeks_per_month, x, tx, T)
        clv += (cumulative - previous) * spend / (1 + monthly_rate) ** month
        previous = cumulative
    customers["clv"] = clv

    customers.reset_index().to_excel(target, sheet_name="Customers", index=False, engine="openpyxl")
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peakMB": peak_mb, "customers": len(customers),
                      "bgnbd": {"r": r, "alpha": alpha, "a": a, "b": b}, "gammaGamma": {"p": p, "q": q, "gamma": gamma}}))


if __name__ == "__main__":
    main()
