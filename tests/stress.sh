#!/bin/bash
# make stress, in two kernels:
#   debug  the long forms of flood.sh (60 s), lifecycle.sh (100 unloads,
#          1000 namespace pairs, 1000 ruleset loads and flushes) and
#          concurrency.sh (5000 datagrams per flow) in the QEMU debug kernel
#          (KASAN, lockdep, kmemleak) with CPUS vCPUs (4)
#   kcsan  flood.sh (60 s, against max_conns 1024: KCSAN forwards fewer
#          frames than would fill 4096) and concurrency.sh (5000 datagrams
#          per flow) in the KCSAN kernel with KCSAN_CPUS vCPUs (2; KCSAN
#          needs several CPUs to see two accesses meet): a data race in
#          ctrack's code fails the run, the core kernel's are only listed
#          (tests/lib/results.py; sampling as tests/lib/debug-run.sh says).
#          5 to 10 minutes under TCG on 2 cores with the kernel cached
#          (its first build takes about 20).
# CTSTRESS_KINDS="kcsan" runs one part only. Logs in tests/out/stress/ and
# tests/out/stress-kcsan/. The last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${CTRACK_OUT:-$here/out}
mkdir -p "$out"
passed=0 failed=0
# part NAME KIND CPUS TIMEOUT < plan: run it, add its "passed=N failed=N".
part() {
	local log=$out/$1.judged p f
	CTRACK_KERNEL=$2 "$here/lib/debug-run.sh" "$1" "$3" "$4" > "$log"
	cat "$log"
	p=$(sed -n 's/^passed=\([0-9]*\) failed=[0-9]*$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^passed=[0-9]* failed=\([0-9]*\)$/\1/p' "$log" | tail -1)
	if [ -z "$p" ]; then
		echo "FAIL $1: no result (kernel or module build failed?)"
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + p)) failed=$((failed + f))
}
for kind in ${CTSTRESS_KINDS:-debug kcsan}; do
	start=$(date +%s)
	case $kind in
	debug) part stress debug "${CPUS:-4}" "${CTSTRESS_TIMEOUT:-86400}" <<PLAN ;;
run env CTFLOOD_SECS=60 CTFLOOD_MAX=4096 sh /ctrack/integration/flood.sh
run env CTLIFE_MOD=100 CTLIFE_NS=1000 CTLIFE_LOAD=1000 sh /ctrack/integration/lifecycle.sh
run env CTCONC_PKTS=5000 sh /ctrack/integration/concurrency.sh
PLAN
	kcsan) part stress-kcsan kcsan "${KCSAN_CPUS:-2}" "${CTSTRESS_KCSAN_TIMEOUT:-3600}" <<PLAN ;;
run env CTFLOOD_SECS=60 CTFLOOD_MAX=1024 sh /ctrack/integration/flood.sh
run env CTCONC_PKTS=5000 sh /ctrack/integration/concurrency.sh
PLAN
	*) echo "FAIL stress: unknown kind $kind (debug or kcsan)"; failed=$((failed + 1)) ;;
	esac
	echo "[stress] $kind part took $(($(date +%s) - start)) s"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
