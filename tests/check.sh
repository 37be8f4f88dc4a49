#!/bin/bash
# make check: every test of ctrack. Host tests of the tool, warning-free
# builds against Debian's stock headers, DKMS, then KUnit and the netns
# integration tests in the QEMU debug kernel (KASAN, lockdep, kmemleak,
# panic_on_warn=1), then smoke tests on Debian's stock kernels.
# The last line is "N passed, N failed"; the exit status is 1 on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}
mkdir -p "$out"
passed=0 failed=0
t0=$(date +%s)
log() { echo "[check +$(($(date +%s) - t0))s] $*"; }
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
	log "done"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
# Adds "passed=N failed=N" from a sub-runner's output.
add_counts() {
	local p f
	p=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\1/p' "$1" | tail -1)
	f=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\2/p' "$1" | tail -1)
	if [ -z "$p" ]; then
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$1" | tail -1)
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$1" | tail -1)
	fi
	if [ -z "$p" ]; then
		fail "$2: no result line"
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

log "dependencies"
if ! "$repo/tests/lib/deps.sh"; then
	fail "dependencies could not be installed"
	finish
fi

log "host tests of ctrackctl"
if make -s -C "$repo/tools" all >"$out/tools-build.log" 2>&1; then
	pass "ctrackctl builds"
	make -s -C "$repo/tools" check >"$out/tools-check.log" 2>&1
	grep -E '^(PASS|FAIL|ok|not ok)' "$out/tools-check.log" | grep -E '^(FAIL|not ok)' || true
	add_counts "$out/tools-check.log" "ctrackctl host tests"
else
	fail "ctrackctl builds"; tail -20 "$out/tools-build.log"
fi
make -s -C "$repo/tests/tools" >/dev/null 2>&1 || fail "tests/tools build"

log "warning-free builds against Debian's stock headers (W=1)"
for kd in /usr/src/linux-headers-*-amd64; do
	[ -f "$kd/Makefile" ] || continue
	name=stock-$(basename "$kd" | sed 's/^linux-headers-//')
	if "$repo/tests/lib/build-module.sh" "$kd" "$out/$name" W=1 2>/dev/null &&
	   ! grep -E 'warning:|error:' "$out/$name/build.log"; then
		pass "module builds warning-free against $(basename "$kd")"
	else
		fail "module builds warning-free against $(basename "$kd")"
		grep -E 'warning:|error:' "$out/$name/build.log" | head -20
	fi
done

if [ -x "$repo/tests/dkms.sh" ]; then
	log "DKMS"
	"$repo/tests/dkms.sh" >"$out/dkms.log" 2>&1
	grep -E '^(not ok|FAIL)' "$out/dkms.log" || true
	add_counts "$out/dkms.log" "dkms"
fi

log "test kernel (cached after the first build)"
if ! kdir=$("$repo/tests/kernel/build.sh" debug); then
	fail "test kernel build"
	finish
fi
pass "test kernel builds with every wanted option"

log "module and KUnit module for the test kernel"
if ! "$repo/tests/lib/build-module.sh" "$kdir" "$out/debug"; then
	fail "module builds against the test kernel"
	finish
fi
pass "module builds against the test kernel"

log "QEMU: KUnit and integration tests (debug kernel, panic_on_warn=1)"
plan=$out/plan
{
	echo kunit
	for t in "$repo"/tests/integration/*.sh; do
		echo "test $(basename "$t")"
	done
} > "$plan"
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/debug" \
	-p "$plan" -o "$out/qemu" -c 2 -t 3600 || true
python3 "$repo/tests/lib/results.py" "$out/qemu/results.log" \
	"$out/qemu/console.log" > "$out/qemu/judged.log"
grep -v '^passed=' "$out/qemu/judged.log"
add_counts "$out/qemu/judged.log" "qemu"

if [ -x "$repo/tests/stock/run.sh" ]; then
	log "smoke tests on Debian's stock kernels"
	"$repo/tests/stock/run.sh" >"$out/stock.log" 2>&1
	grep -E '^(ok|not ok|PASS|FAIL)' "$out/stock.log" || true
	add_counts "$out/stock.log" "stock kernels"
fi
finish
