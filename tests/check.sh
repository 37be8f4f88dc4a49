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

log "sparse and checkpatch"
# sparse_check KDIR TAG NAME: builds with C=2 (sparse over every file, rebuilt or
# not) and counts the findings in ctrack's own files, compiler warnings
# included; the kernel's headers have findings of their own that do not count.
sparse_check() {
	local kd=$1 dir=$out/sparse-$2 name=$3 want got
	if ! "$repo/tests/lib/build-module.sh" "$kd" "$dir" C=2 2>/dev/null; then
		fail "sparse: module builds with C=2 against $name"
		tail -20 "$dir/build.log"
		return
	fi
	want=$(find "$dir/src/kmod" -maxdepth 1 -name '*.c' | wc -l)
	if grep -qE '^CONFIG_KUNIT=[ym]' "$kd/include/config/auto.conf"; then
		want=$((want + $(find "$dir/src/tests/kunit" -maxdepth 1 -name '*.c' | wc -l)))
	fi
	got=$(grep -cE '^  CHECK +.*/src/(kmod|tests/kunit)/[^/]*\.c$' "$dir/build.log")
	grep -E '^[^ :]*/src/(kmod|tests/kunit)/[^:]*:[0-9]+:[0-9]+: (warning|error):' \
		"$dir/build.log" | grep -F "$dir/src/" | sed "s|^$dir/src/||" \
		> "$dir/findings.log" || true
	if [ "$got" -lt "$want" ]; then
		fail "sparse: checked $got of $want files against $name"
	elif [ -s "$dir/findings.log" ]; then
		fail "sparse: $(wc -l < "$dir/findings.log") findings in ctrack's files against $name"
		head -20 "$dir/findings.log"
	else
		pass "sparse: no findings in ctrack's $got files against $name"
	fi
}
# The test kernel has KUnit, so this covers ctrack_test.ko too; the oldest
# stock headers cover compat.h's other side.
sparse_check "$kdir" debug "the test kernel"
kd_old=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	 grep -E '/linux-headers-[0-9.]+-[0-9]+-amd64$' | sort -V | head -1)
[ -z "$kd_old" ] || sparse_check "$kd_old" stock "$(basename "$kd_old")"

# checkpatch comes with the kernel source the test kernel was built from.
# .checkpatch.conf at the top (read from the current directory) lists the
# CHECK types ignored, with reasons; no ERROR, WARNING or other CHECK passes.
checkpatch=$kdir/source/scripts/checkpatch.pl
if [ ! -f "$checkpatch" ]; then
	fail "checkpatch: no $checkpatch"
elif (cd "$repo" && perl "$checkpatch" --no-tree --strict -q --show-types -f \
	kmod/*.c kmod/*.h kmod/uapi/*.h) >"$out/checkpatch.log" 2>&1 &&
     ! grep -qE '^(ERROR|WARNING|CHECK):' "$out/checkpatch.log"; then
	pass "checkpatch --strict: no ERROR, WARNING or CHECK in kmod/"
else
	fail "checkpatch --strict: $(grep -cE '^(ERROR|WARNING|CHECK):' "$out/checkpatch.log") findings in kmod/"
	grep -A2 -E '^(ERROR|WARNING|CHECK):' "$out/checkpatch.log" | head -40
fi
if python3 "$repo/tests/lib/layers.py" "$repo/kmod" >"$out/layers.log" 2>&1; then
	pass "layers: no include cycle in kmod/, no netlink.h below netlink.c"
else
	fail "layers"; cat "$out/layers.log"
fi

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
