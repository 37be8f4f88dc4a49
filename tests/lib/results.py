#!/usr/bin/env python3
"""Judge a guest run: TAP and KTAP results from results.log, kernel reports
from console.log. Prints one PASS/FAIL line per test and, last, the totals
as "passed=N failed=N" for tests/check.sh. Exit 1 on any failure."""
import re
import sys

BAD = re.compile(r"WARNING:|BUG:|Oops|Kernel panic|KASAN|UBSAN|"
                 r"possible circular locking|possible recursive locking|"
                 r"suspicious RCU usage|inconsistent lock state|"
                 r"blocked for more than|self-detected stall|rcu_.* stall|"
                 r"new suspected memory leaks|general protection fault|"
                 r"list_add corruption|list_del corruption|refcount_t:")
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
    reports = [i for i, l in enumerate(con) if BAD.search(l)]
    if reports:
        failed += 1
        print(f"FAIL {prefix}kernel reports in console.log:")
        shown = set()
        for i in reports[:5]:
            for j in range(max(0, i - 2), min(len(con), i + 25)):
                if j not in shown:
                    shown.add(j)
                    print("    " + con[j])
    print(f"passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""))
