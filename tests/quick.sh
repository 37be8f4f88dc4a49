#!/bin/bash
# Run part of the QEMU plan quickly while developing:
#   tests/quick.sh kunit                  KUnit suites only
#   tests/quick.sh "test smoke.sh"        one integration script
#   tests/quick.sh kunit "test a.sh" ...  several steps
# Builds ctrack against the cached debug kernel, boots it, prints PASS/FAIL.
# Logs: tests/out/quick/qemu/{console,results}.log
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/quick
mkdir -p "$out"
kdir=$("$repo/tests/kernel/build.sh" debug)
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tests/tools" >/dev/null
[ -f "$repo/tools/Makefile" ] && make -s -C "$repo/tools" all >/dev/null 2>&1 || true
printf '%s\n' "$@" > "$out/plan"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c "${CPUS:-2}" || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" "$out/qemu/console.log"
