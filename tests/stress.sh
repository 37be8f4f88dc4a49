#!/bin/bash
# make stress: the long forms of flood.sh (60 s), lifecycle.sh (100 unloads,
# 1000 namespace pairs, 1000 ruleset loads and flushes) and concurrency.sh
# (5000 datagrams per flow) in the QEMU debug kernel with 4 vCPUs.
# The last line is "N passed, N failed".
set -euo pipefail
"$(dirname "$0")/lib/debug-run.sh" stress "${CPUS:-4}" "${CTSTRESS_TIMEOUT:-86400}" <<PLAN
run env CTFLOOD_SECS=60 CTFLOOD_MAX=4096 sh /ctrack/integration/flood.sh
run env CTLIFE_MOD=100 CTLIFE_NS=1000 CTLIFE_LOAD=1000 sh /ctrack/integration/lifecycle.sh
run env CTCONC_PKTS=5000 sh /ctrack/integration/concurrency.sh
PLAN
