"""The peer for `npm run bench`: what an analyst does today with pandas + openpyxl.

Reads the customer workbook, computes the classic Pareto ABC on revenue (A = the customers making
the first 80 % of the positive total, B the next 15 %, C the rest; the customer crossing a
boundary belongs to the upper class, as SegmentKit does), and writes the result with a second,
sorted sheet. Prints seconds and peak memory as one JSON line.
"""
import json
import resource
import sys
import time

import pandas as pd

started = time.perf_counter()
source, target = sys.argv[1], sys.argv[2]
customers = pd.read_excel(source, sheet_name=0, engine="openpyxl")
revenue = pd.to_numeric(customers["Omsætning"], errors="coerce")
positive = revenue.where(revenue > 0)
order = positive.sort_values(ascending=False, na_position="last")
running = order.cumsum() / order.sum()
# The share reached before each customer decides its class, so the boundary customer is upper class.
before = running.shift(fill_value=0)
classes = pd.Series("C", index=order.index)
classes[before < 0.95] = "B"
classes[before < 0.80] = "A"
classes[order.isna()] = "C"
customers["Segment Pareto"] = classes.reindex(customers.index)
customers.loc[revenue.isna(), "Segment Pareto"] = None
with pd.ExcelWriter(target, engine="openpyxl") as writer:
    customers.to_excel(writer, sheet_name="Kunder", index=False)
    customers.sort_values(["Segment Pareto", "Omsætning"], ascending=[True, False]).to_excel(writer, sheet_name="Priority", index=False)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peakMB": peak_mb, "counts": customers["Segment Pareto"].value_counts().to_dict()}))
