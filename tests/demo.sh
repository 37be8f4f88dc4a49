#!/bin/bash
# make demo: on a fresh Debian machine, install what is missing, build the
# test kernel (once, cached), ctrack and ctrackctl, boot the kernel in QEMU,
# apply the seed documents' ruleset and show what ctrack does with real
# traffic (tests/demo/guest.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/demo
mkdir -p "$out"
t0=$(date +%s)
say() { echo "[demo +$(($(date +%s) - t0))s] $*"; }

say "checking Debian packages"
"$repo/tests/lib/deps.sh"
say "test kernel: cached after the first build (6-20 minutes the first time)"
kdir=$("$repo/tests/kernel/build.sh" debug)
say "building ctrack.ko against it, and ctrackctl"
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tools" all
make -s -C "$repo/tests/tools" all
echo "run sh /ctrack/demo/guest.sh" > "$out/plan"
say "booting the guest (QEMU, TCG): the traffic takes a minute or two"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -x "$repo/tests/demo/guest.sh:/ctrack/demo/guest.sh" || {
	echo "the guest did not finish; console: $out/qemu/console.log" >&2
	tail -30 "$out/qemu/console.log" >&2
	exit 1
}
grep -v '^@@ ' "$out/qemu/results.log"
say "done (guest console: $out/qemu/console.log)"
