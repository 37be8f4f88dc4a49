#!/bin/bash
# make fuzz: the long form of tests/integration/fuzz.sh in the QEMU debug
# kernel (KASAN, lockdep, kmemleak, panic_on_warn=1): CTFUZZ_NL requests
# (1000000), CTFUZZ_PKT frames (1000000, plus a quarter through output),
# CTFUZZ_FTP hostile FTP lines (20000); CTFUZZ_SEED to repeat a run.
# About 75 minutes under TCG on 2 cores; the last line is "N passed, N failed".
set -euo pipefail
seed=${CTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "run env CTFUZZ_SEED=$seed CTFUZZ_NL=${CTFUZZ_NL:-1000000} CTFUZZ_PKT=${CTFUZZ_PKT:-1000000} CTFUZZ_FTP=${CTFUZZ_FTP:-20000} sh /ctrack/integration/fuzz.sh" |
	"$(dirname "$0")/lib/debug-run.sh" fuzz "${CPUS:-2}" "${CTFUZZ_TIMEOUT:-172800}"
