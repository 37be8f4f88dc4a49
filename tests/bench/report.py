#!/usr/bin/env python3
"""Turn the guest's "@@R METRIC CONFIG ROUND VALUE" lines into the table.

usage: report.py RESULTS_LOG [--bench-md BENCH.md]
Medians over the rounds; C/B from the medians. With --bench-md, the table
between the "<!-- bench-table -->" markers of BENCH.md is replaced.
With a C0 configuration (make bench's BENCH_BASE: ctrack at another
revision, "@@BASE REV" names it), the printed table has a C0 and a C/C0
column, a row for the connection's slab object, and below it C/C0 round by
round; BENCH.md still gets the A B C table.
"""
import re
import statistics
import sys
import time
from collections import defaultdict

vals = defaultdict(list)
byround = defaultdict(dict)
base = None
diag = []
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        m = re.match(r"@@R (\S+) (A|B|C0|C) (\d+) (-?\d+)\s*$", line)
        if m:
            vals[(m[1], m[2])].append(int(m[4]))
            byround[(m[1], m[2])][int(m[3])] = int(m[4])
        elif line.startswith("@@BASE "):
            base = line.split()[1]
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
has_base = base is not None or any(k[1] == "C0" for k in vals)
rows = []  # (measurement, A, B, C, C/B, goal, C0, C/C0)


def lvname(lv):
    if lv >= 1000000:
        return f"{lv / 1e6:g}M"
    return f"{lv / 1000:g}k" if lv >= 1000 else str(lv)


def rate_row(name, metric, goal):
    a, b, c, c0 = (med(metric, x) for x in ("A", "B", "C", "C0"))
    rows.append((name, fmt(a, "k"), fmt(b, "k"), fmt(c, "k"), ratio(b, c), goal,
                 fmt(c0, "k"), ratio(c0, c)))


rate_row("established fast path, 1 UDP flow (pkt/s)", "est", "")
ob, oc, oc0 = (over("est", x, "est") for x in ("B", "C", "C0"))
rows.append(("  overhead over A (ns/pkt)", "0", fmt(ob), fmt(oc), ratio(ob, oc), "C/B <= 0.5",
             fmt(oc0), ratio(oc0, oc)))
rate_row("new connections, accepted (pkt/s = conn/s)", "new", "C/B >= 1.5")
rate_row("scan drop, new tuple to a dropped port (pkt/s)", "scan", "C/B >= 2")
# The same tests with a 10k-address and a 1k-port set ahead of the rules.
for m, name in (("snew", "new connections"), ("sscan", "scan drop")):
    if med(m, "C") is None:
        continue
    base_m = m[1:]
    rows.append((f"{name}, with 10k + 1k-element sets (pkt/s)", fmt(med(base_m, "A"), "k"),
                 fmt(med(m, "B"), "k"), fmt(med(m, "C"), "k"), ratio(med(m, "B"), med(m, "C")),
                 "", "-", "-"))
    ob, oc = over(m, "B", base_m), over(m, "C", base_m)
    rows.append(("  overhead over A (ns/pkt)", "0", fmt(ob), fmt(oc), ratio(ob, oc), "C/B <= 0.5",
                 "-", "-"))
    rows.append(("  C overhead with the sets / without", "", "", ratio(over(base_m, "C", base_m), oc),
                 "", "<= 1.1", "-", "-"))
cost, cost0 = {}, {}
for lv in levels:
    m = f"l{lv}"
    ob, oc, oc0 = (over(m, x, m) for x in ("B", "C", "C0"))
    cost[lv], cost0[lv] = oc, oc0
    label = lvname(lv)
    rows.append((f"fast-path overhead, {label} conns in table (ns/pkt)",
                 "0 (" + fmt(med(m, "A"), "k") + "/s)", fmt(ob), fmt(oc), ratio(ob, oc), "",
                 fmt(oc0), ratio(oc0, oc)))


def growth(cs):
    if len(levels) >= 2 and cs.get(levels[0]) and cs.get(levels[-1]):
        return cs[levels[-1]] / cs[levels[0]]
    return None


g, g0 = growth(cost), growth(cost0)
if g is not None:
    rows.append((f"  C overhead at {levels[-1]:,} / at {levels[0]:,}", "", "", 
                 f"{g:.2f}", "", "<= 1.3", "-" if g0 is None else f"{g0:.2f}", ratio(g0, g)))
b, c, c0 = (med("bpc", x) for x in ("B", "C", "C0"))
rows.append((f"slab bytes per connection, {lvname(levels[-1]) if levels else '-'} in table", "-", fmt(b), fmt(c), ratio(b, c), "C/B <= 0.6",
             fmt(c0), ratio(c0, c)))
b, c, c0 = (med("expobj", x) for x in ("B", "C", "C0"))
if b or c:
    rows.append(("slab bytes per expectation (object size)", "-", fmt(b), fmt(c), ratio(b, c), "",
                 fmt(c0), ratio(c0, c)))
c, c0 = med("connobj", "C"), med("connobj", "C0")
if has_base and (c or c0):
    rows.append(("slab bytes per connection (object size)", "-", "-", fmt(c), "-", "",
                 fmt(c0), ratio(c0, c)))


def render(with_base):
    if with_base:
        hdr = ("measurement", "A: none", "B: nf_conntrack+nft", f"C0: ctrack at {base or '?'}",
               "C: ctrack", "C/B", "C/C0", "goal")
        rs = [(r[0], r[1], r[2], r[6], r[3], r[4], r[7], r[5]) for r in rows]
    else:
        hdr = ("measurement", "A: none", "B: nf_conntrack+nft", "C: ctrack", "C/B", "goal")
        rs = [r[:6] for r in rows if not r[0].startswith("slab bytes per connection (object")]
    widths = [max(len(str(r[i])) for r in rs + [hdr]) for i in range(len(hdr))]

    def line(r):
        return "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"

    table = [line(hdr), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    table += [line(r) for r in rs]
    return table


stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
text = "\n".join(render(False)) + f"\n\nMedians of {rounds} interleaved rounds, {stamp}.\n"
if has_base:
    print("\n".join(render(True)) + f"\n\nMedians of {rounds} interleaved rounds, {stamp}."
          " C/C0: of pkt/s, below 1 is slower; of ns/pkt and bytes, above 1 is"
          " slower or bigger.\n")
    # Round by round: C/C0 within each round, and each one's spread
    # over the rounds ((max - min) / median) for judging the medians.
    print("C0 and C round by round (pkt/s; bpc: bytes; C/C0 within the round):")
    for metric in ["est", "new", "scan"] + [f"l{lv}" for lv in levels] + ["bpc"]:
        c, c0 = byround.get((metric, "C"), {}), byround.get((metric, "C0"), {})
        rs = sorted(set(c) & set(c0))
        if not rs:
            continue
        pairs = "  ".join(f"r{r} {c0[r]} -> {c[r]} ({ratio(c0[r], c[r])})" for r in rs)

        def spread(d):
            v = list(d.values())
            m = statistics.median(v)
            return f"{100 * (max(v) - min(v)) / m:.1f}%" if m else "-"

        a = byround.get((metric, "A"))
        print(f"  {metric:7} C0 -> C (C/C0): {pairs};  spread over the rounds:"
              f" C0 {spread(c0)}, C {spread(c)}" + (f", A {spread(a)}" if a else ""))
    print()
else:
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
