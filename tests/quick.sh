#!/bin/bash
# Run part of the QEMU plan quickly while developing:
#   tests/quick.sh kunit                  KUnit suites only
#   tests/quick.sh "test smoke.sh"        one integration script
#   tests/quick.sh kunit "test a.sh" ...  several steps
# Builds ctrack against the cached debug kernel, boots it, prints PASS/FAIL.
# Logs: tests/out/quick/qemu/{console,results}.log
set -euo pipefail
printf '%s\n' "$@" | "$(dirname "$0")/lib/debug-run.sh" quick "${CPUS:-2}" 1500
