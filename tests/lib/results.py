#!/usr/bin/env python3
"""Judge a guest run: TAP and KTAP results from results.log, kernel reports
from console.log. Prints one PASS/FAIL line per test and, last, the totals
as "passed=N failed=N" for tests/check.sh. Exit 1 on any failure.

Kernel reports: any line matching BAD fails the run, with one exception.
A KCSAN report (from "BUG: KCSAN:" to its closing "=====" line; only the
KCSAN test kernel of tests/stress.sh prints them) fails the run only when
one of the racing accesses is ctrack's: among the first CTRACK_DEPTH (2)
frames of its stack trace is one of ctrack or ctrack_test ("[ctrack]"
after the symbol), so the access was made in ctrack's code (inlined
kernel helpers included) or in a kernel function it called directly
(memcmp, say). Every other report is listed as a NOTE line and does not
fail the run: a report without a ctrack frame is a data race of the core
kernel itself, of which a KCSAN kernel finds a few in any long run; one
with ctrack frames only deeper is a race of the core kernel beneath a
call of ctrack's, e.g. RCU's own state in cond_resched() called by
ctrack's GC, or the task an interrupt came in on."""
import re
import sys

BAD = re.compile(r"WARNING:|BUG:|Oops|Kernel panic|KASAN|UBSAN|"
                 r"possible circular locking|possible recursive locking|"
                 r"suspicious RCU usage|inconsistent lock state|"
                 r"blocked for more than|self-detected stall|rcu_.* stall|"
                 r"new suspected memory leaks|general protection fault|"
                 r"list_add corruption|list_del corruption|refcount_t:")
KCSAN = re.compile(r"BUG: KCSAN: ")
KCSAN_END = re.compile(r"={20,}\s*$")
CTRACK_FRAME = re.compile(r"\[ctrack(_test)?\]")
# "read to 0x... of 8 bytes by task 42 on cpu 1:", "race at unknown origin,
# with write (marked) to ...": the stack trace of that access follows.
KCSAN_ACCESS = re.compile(r" to 0x[0-9a-f]+ of \d+ bytes by .* on cpu \d+:\s*$")
CTRACK_DEPTH = 2


def kcsan_ctrack_access(block):
    """True when one access of a KCSAN report is ctrack's (see above)."""
    for i, l in enumerate(block):
        if KCSAN_ACCESS.search(l):
            top = []
            for f in block[i + 1:]:
                if not f.strip() or len(top) == CTRACK_DEPTH:
                    break
                top.append(f)
            if any(CTRACK_FRAME.search(f) for f in top):
                return True
    return False
TAP = re.compile(r"^(\s*)(not ok|ok)\b(?:\s+\d+)?\s*(?:-\s*)?(.*)$")


def main(results, console, prefix):
    passed = failed = 0
    fails = []
    section = "guest"
    ktap_suite = None
    leak = None
    done = False
    rc_by_section = {}
    seen_fail = set()
    with open(results, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    for line in lines:
        if line.startswith("@@ "):
            words = line.split()
            if words[1] == "BEGIN":
                section = words[2]
            elif words[1] == "END":
                rc = words[3].split("=")[1] if len(words) > 3 else "0"
                if rc != "0" and section not in seen_fail:
                    failed += 1
                    fails.append(f"{section}: exited {rc}")
                    print(f"FAIL {prefix}{section}: script exited {rc}")
                section = "guest"
            elif words[1] == "KTAP":
                ktap_suite = words[2]
            elif words[1] == "KTAPEND":
                ktap_suite = None
            elif words[1] == "KMEMLEAK":
                leak = []
            elif words[1] == "KMEMLEAKEND":
                if leak:
                    failed += 1
                    fails.append("kmemleak")
                    print(f"FAIL {prefix}kmemleak: unreferenced objects")
                    for l in leak[:40]:
                        print("    " + l)
                leak = None
            elif words[1] == "DONE":
                done = True
            continue
        if leak is not None:
            if line.strip():
                leak.append(line)
            continue
        m = TAP.match(line)
        if not m:
            if line.startswith("#") and section != "guest" and ktap_suite is None:
                print("    " + line)
            continue
        indent, verdict, desc = len(m.group(1)), m.group(2), m.group(3)
        if ktap_suite is not None:
            # KTAP: cases are indented once; parameters deeper; the suite's
            # own line is not indented.
            if indent == 0:
                continue
            if indent > 4:
                if verdict == "not ok":
                    print(f"FAIL {prefix}{ktap_suite}: param {desc}")
                continue
            name = f"{ktap_suite}.{desc.split(' #')[0].strip()}"
        else:
            name = f"{section}: {desc}"
        if "# SKIP" in desc:
            print(f"SKIP {prefix}{name}")
        elif verdict == "ok":
            passed += 1
            print(f"PASS {prefix}{name}")
        else:
            failed += 1
            seen_fail.add(section)
            fails.append(name)
            print(f"FAIL {prefix}{name}")
    if not done:
        failed += 1
        fails.append("guest did not finish its plan (panic, oops or timeout)")
        print(f"FAIL {prefix}guest did not finish its plan (panic, oops or timeout)")
    try:
        with open(console, errors="replace") as f:
            con = [l.rstrip("\r\n") for l in f]
    except OSError:
        con = []
    # (first, last, KCSAN title or None): console lines to show for each
    # report that fails.
    reports = []
    i = 0
    while i < len(con):
        if not KCSAN.search(con[i]):
            if BAD.search(con[i]):
                reports.append((i - 2, i + 24, None))
            i += 1
            continue
        title = con[i][con[i].index("BUG: KCSAN: "):]
        end = i + 1
        while end < len(con) - 1 and end < i + 200 and \
                not KCSAN_END.search(con[end]):
            if KCSAN.search(con[end]):
                end -= 1
                break
            end += 1
        block = con[i + 1:end + 1]
        if kcsan_ctrack_access(block):
            reports.append((i - 1, end, title))
        elif any(CTRACK_FRAME.search(l) for l in block):
            print(f"NOTE {prefix}not judged, ctrack frames only below "
                  f"the racing accesses: {title}")
        else:
            print(f"NOTE {prefix}not judged, no ctrack frame: {title}")
            # Whatever else was printed meanwhile is judged as usual.
            reports += [(j - 2, j + 24, None)
                        for j in range(i + 1, end + 1) if BAD.search(con[j])]
        i = end + 1
    if reports:
        failed += 1
        print(f"FAIL {prefix}kernel reports in console.log:")
        kcsan = [t for _, _, t in reports if t]
        if kcsan:
            print(f"    {len(kcsan)} KCSAN reports of ctrack's accesses, "
                  f"{len(set(kcsan))} distinct:")
            for t in sorted(set(kcsan)):
                print("      " + t)
        shown = set()
        for first, last, _ in reports[:5]:
            for j in range(max(0, first), min(len(con), last + 1)):
                if j not in shown:
                    shown.add(j)
                    print("    " + con[j])
    print(f"passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""))
