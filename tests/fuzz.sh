#!/bin/bash
# make fuzz: the long form of tests/integration/fuzz.sh in the QEMU debug
# kernel (KASAN, lockdep, kmemleak, panic_on_warn=1): CTFUZZ_NL requests
# (1000000), CTFUZZ_PKT frames (1000000, plus a quarter through output),
# CTFUZZ_FTP hostile FTP lines (20000); CTFUZZ_SEED to repeat a run.
# Under TCG this takes hours; the last line is "N passed, N failed".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/fuzz
mkdir -p "$out"
kdir=$("$repo/tests/kernel/build.sh" debug)
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod"
make -s -C "$repo/tests/tools" >/dev/null
make -s -C "$repo/tools" all >/dev/null
seed=${CTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "run env CTFUZZ_SEED=$seed CTFUZZ_NL=${CTFUZZ_NL:-1000000} CTFUZZ_PKT=${CTFUZZ_PKT:-1000000} CTFUZZ_FTP=${CTFUZZ_FTP:-20000} sh /ctrack/integration/fuzz.sh" > "$out/plan"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c "${CPUS:-2}" -t "${CTFUZZ_TIMEOUT:-172800}" || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" "$out/qemu/console.log"
