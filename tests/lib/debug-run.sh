#!/bin/bash
# Runs a plan of tests/qemu/guest.sh steps, read from stdin, in the cached
# debug kernel (KASAN, lockdep, kmemleak, panic_on_warn=1) and judges it:
# what quick.sh, fuzz.sh and stress.sh share. The last line is
# "passed=N failed=N"; logs in $CTRACK_OUT/NAME/qemu/.
# usage: debug-run.sh NAME CPUS TIMEOUT_SECONDS < plan
set -euo pipefail
name=$1 cpus=$2 tmo=$3
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/$name
mkdir -p "$out"
kdir=$("$repo/tests/kernel/build.sh" debug)
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tests/tools" >/dev/null
make -s -C "$repo/tools" all >/dev/null
cat > "$out/plan"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c "$cpus" -t "$tmo" || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" "$out/qemu/console.log"
