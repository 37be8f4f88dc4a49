#!/bin/bash
# Runs a plan of tests/qemu/guest.sh steps, read from stdin, in a cached
# test kernel and judges it: what quick.sh, fuzz.sh and stress.sh share.
# CTRACK_KERNEL picks the kernel, tests/kernel/$CTRACK_KERNEL.config:
#   debug (default)  KASAN, lockdep, kmemleak; panic_on_warn=1
#   kcsan            KCSAN, lockdep, kmemleak; panic_on_warn=0, as KCSAN
#                    panics on its first report otherwise and the core
#                    kernel's own races must not end the run (results.py
#                    fails those of ctrack's code, and warnings as ever).
#                    KCSAN watches one access in about kcsan.skip_watch
#                    (4000) for kcsan.udelay_interrupt (20) or _task (80)
#                    microseconds, a window in which another vCPU under
#                    TCG runs too few instructions to meet it, so the guest
#                    watches more often and longer (CTKCSAN_ARGS replaces
#                    these: a deliberate race in the packet path was
#                    reported 9 times in a run instead of once)
# The last line is "passed=N failed=N"; logs in $CTRACK_OUT/NAME/qemu/.
# usage: [CTRACK_KERNEL=debug|kcsan] debug-run.sh NAME CPUS TIMEOUT_SECONDS < plan
set -euo pipefail
name=$1 cpus=$2 tmo=$3
kind=${CTRACK_KERNEL:-debug}
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/$name
append=()
case $kind in
debug) ;;
kcsan)
	watch="kcsan.skip_watch=1000 kcsan.udelay_interrupt=100 kcsan.udelay_task=200"
	append=(-a "panic_on_warn=0 ${CTKCSAN_ARGS-$watch}") ;;
*) echo "debug-run.sh: unknown CTRACK_KERNEL=$kind (debug or kcsan)" >&2; exit 2 ;;
esac
mkdir -p "$out"
kdir=$("$repo/tests/kernel/build.sh" "$kind")
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tests/tools" >/dev/null
make -s -C "$repo/tools" all >/dev/null
cat > "$out/plan"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c "$cpus" -t "$tmo" "${append[@]}" || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" "$out/qemu/console.log"
