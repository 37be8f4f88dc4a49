#!/usr/bin/env python3
"""The module's layering, checked: no cycle in kmod/'s include graph.

A node is a module, foo.c with foo.h; A -> B when A's .c or .h includes
B.h. netns.h is not a node: it only gathers the per-namespace structs
(struct ct_net) of the modules it includes, as net/netns/ does in the
kernel. The packet path's files (table, expect, hooks) must not include
netlink.h: they report through events.h.

usage: layers.py KMOD_DIR; prints the cycles and exits 1 if there are any.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
AGGREGATES = {"netns"}
NO_NETLINK = ("table.c", "expect.c", "hooks.c")


def graph(kmod):
    edges = {}
    for name in sorted(os.listdir(kmod)):
        base, ext = os.path.splitext(name)
        if ext not in (".c", ".h") or base in AGGREGATES:
            continue
        with open(os.path.join(kmod, name)) as f:
            for inc in INCLUDE.findall(f.read()):
                if "/" in inc:
                    continue
                dep = os.path.splitext(inc)[0]
                if dep != base and dep not in AGGREGATES:
                    edges.setdefault(base, set()).add(dep)
        edges.setdefault(base, set())
    return edges


def cycles(edges):
    found, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                found.append(stack[stack.index(m):] + [m])
            elif not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(edges):
        if not state.get(n):
            visit(n)
    return found


def main():
    kmod = sys.argv[1]
    bad = 0
    for c in cycles(graph(kmod)):
        print("include cycle: " + " -> ".join(c))
        bad = 1
    for name in NO_NETLINK:
        with open(os.path.join(kmod, name)) as f:
            if '"netlink.h"' in f.read():
                print(f"{name} includes netlink.h: report through events.h")
                bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
