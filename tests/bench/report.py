#!/usr/bin/env python3
"""Turn the guest's "@@R METRIC CONFIG ROUND VALUE" lines into the table.

usage: report.py RESULTS_LOG [--bench-md BENCH.md]
Medians over the rounds; C/B from the medians. With --bench-md, the table
between the "<!-- bench-table -->" markers of BENCH.md is replaced.
"""
import re
import statistics
import sys
import time
from collections import defaultdict

vals = defaultdict(list)
diag = []
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        m = re.match(r"@@R (\S+) ([ABC]) (\d+) (-?\d+)\s*$", line)
        if m:
            vals[(m[1], m[2])].append(int(m[4]))
        elif line.startswith("# "):
            diag.append(line.rstrip())


def med(metric, cfg):
    v = vals.get((metric, cfg))
    return statistics.median(v) if v else None


def ns(pps):
    return 1e9 / pps if pps else None


def over(metric, cfg, base_metric):
    """Per-packet cost of cfg over A, in ns: 1e9 * (1/pps_X - 1/pps_A)."""
    x, a = med(metric, cfg), med(base_metric, "A")
    if not x or not a:
        return None
    return 1e9 * (1 / x - 1 / a)


def fmt(v, unit=""):
    if v is None:
        return "-"
    if unit == "k":
        return f"{v / 1000:.1f}k"
    return f"{v:.0f}"


def ratio(b, c):
    if b is None or c is None or b == 0:
        return "-"
    return f"{c / b:.2f}"


rounds = max((len(v) for v in vals.values()), default=0)
levels = sorted({int(k[0][1:]) for k in vals if re.fullmatch(r"l\d+", k[0])})
rows = []  # (measurement, A, B, C, C/B, goal)


def lvname(lv):
    if lv >= 1000000:
        return f"{lv / 1e6:g}M"
    return f"{lv / 1000:g}k" if lv >= 1000 else str(lv)


def rate_row(name, metric, goal):
    a, b, c = med(metric, "A"), med(metric, "B"), med(metric, "C")
    rows.append((name, fmt(a, "k"), fmt(b, "k"), fmt(c, "k"), ratio(b, c), goal))


rate_row("established fast path, 1 UDP flow (pkt/s)", "est", "")
ob, oc = over("est", "B", "est"), over("est", "C", "est")
rows.append(("  overhead over A (ns/pkt)", "0", fmt(ob), fmt(oc), ratio(ob, oc), "C/B <= 0.5"))
rate_row("new connections, accepted (pkt/s = conn/s)", "new", "C/B >= 1.5")
rate_row("scan drop, new tuple to a dropped port (pkt/s)", "scan", "C/B >= 2")
cost = {}
for lv in levels:
    m = f"l{lv}"
    ob, oc = over(m, "B", m), over(m, "C", m)
    cost[lv] = oc
    label = lvname(lv)
    rows.append((f"fast-path overhead, {label} conns in table (ns/pkt)",
                 "0 (" + fmt(med(m, "A"), "k") + "/s)", fmt(ob), fmt(oc), ratio(ob, oc), ""))
if len(levels) >= 2 and cost.get(levels[0]) and cost.get(levels[-1]):
    rows.append((f"  C overhead at {levels[-1]:,} / at {levels[0]:,}", "", "", 
                 f"{cost[levels[-1]] / cost[levels[0]]:.2f}", "", "<= 1.3"))
b, c = med("bpc", "B"), med("bpc", "C")
rows.append((f"slab bytes per connection, {lvname(levels[-1]) if levels else '-'} in table", "-", fmt(b), fmt(c), ratio(b, c), "C/B <= 0.6"))
b, c = med("expobj", "B"), med("expobj", "C")
if b or c:
    rows.append(("slab bytes per expectation (object size)", "-", fmt(b), fmt(c), ratio(b, c), ""))

hdr = ("measurement", "A: none", "B: nf_conntrack+nft", "C: ctrack", "C/B", "goal")
widths = [max(len(str(r[i])) for r in rows + [hdr]) for i in range(len(hdr))]


def line(r):
    return "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"


table = [line(hdr), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
table += [line(r) for r in rows]
stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
text = "\n".join(table) + f"\n\nMedians of {rounds} interleaved rounds, {stamp}.\n"
print(text)
for d in diag:
    if any(k in d for k in ("connections at level", "scan:", "pktgen:",
                            " slab ", "setup", "after the new test")):
        continue
    print(d)

if "--bench-md" in sys.argv:
    path = sys.argv[sys.argv.index("--bench-md") + 1]
    with open(path) as f:
        md = f.read()
    start, end = "<!-- bench-table -->", "<!-- /bench-table -->"
    i, j = md.index(start) + len(start), md.index(end)
    md = md[:i] + "\n" + text + md[j:]
    with open(path, "w") as f:
        f.write(md)
