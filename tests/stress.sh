#!/bin/bash
# make stress: the long forms of flood.sh (60 s), lifecycle.sh (100 unloads,
# 1000 namespace pairs, 1000 ruleset loads and flushes) and concurrency.sh
# (5000 datagrams per flow) in the QEMU debug kernel with 4 vCPUs.
# The last line is "N passed, N failed".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/stress
mkdir -p "$out"
kdir=$("$repo/tests/kernel/build.sh" debug)
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tests/tools" >/dev/null
make -s -C "$repo/tools" all >/dev/null
cat > "$out/plan" <<PLAN
run env CTFLOOD_SECS=60 CTFLOOD_MAX=4096 sh /ctrack/integration/flood.sh
run env CTLIFE_MOD=100 CTLIFE_NS=1000 CTLIFE_LOAD=1000 sh /ctrack/integration/lifecycle.sh
run env CTCONC_PKTS=5000 sh /ctrack/integration/concurrency.sh
PLAN
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c "${CPUS:-4}" -t "${CTSTRESS_TIMEOUT:-86400}" || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" "$out/qemu/console.log"
