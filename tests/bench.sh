#!/bin/bash
# make bench: ctrack against nf_conntrack + nftables, side by side, in one
# boot of the performance kernel (tests/kernel/perf.config) under QEMU.
# See tests/bench/guest.sh for what is measured and how; BENCH.md for the
# latest table.
#   ROUNDS=3 SECS=3 LEVELS=10000,100000,1000000 tests/bench.sh [-w]   (-w: update BENCH.md)
# Logs: tests/out/bench/qemu/{console,results}.log
# Profile mode: BENCH_PROFILE=1 ROUNDS=1 SECS=3 LEVELS=10000 tests/bench.sh
#   runs `perf record -a -g -e cpu-clock` in the guest during the new,
#   scan (and established) measurements of B and C and prints
#   `perf report` (top symbols) into results.log between "@@ PERF" and
#   "@@ PERFEND" lines; also copied to tests/out/bench/profile.txt. perf
#   perturbs the rates it profiles: do not take the table from such a run.
# Same-boot comparison: BENCH_BASE=<git rev> also builds ctrack.ko at that
#   revision (in a temporary git worktree under the output directory,
#   removed again; the working tree is never touched) and the guest
#   measures it as a fourth configuration, C0, interleaved with A, B and C
#   in every round; the table gets a C0 and a C/C0 column (-w still
#   writes BENCH.md's A B C table).
# Repeatable rates: BENCH_ICOUNT=1 boots one vCPU with
#   `-icount shift=0,sleep=off`: guest time counts instructions (1 ns
#   each) instead of following the host's clock, so a rate is the same
#   whatever else the host runs. SMP guests hang at boot in that mode.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/bench
rounds=${ROUNDS:-3} secs=${SECS:-3} levels=${LEVELS:-10000,100000,1000000}
write=""
[ "${1:-}" = -w ] && write="--bench-md $repo/BENCH.md"
base=${BENCH_BASE:-} icount=${BENCH_ICOUNT:-0}
mkdir -p "$out"
# BENCH_KERNEL=debug only to try the harness: sanitizers distort the numbers.
kdir=$("$repo/tests/kernel/build.sh" "${BENCH_KERNEL:-perf}")
# CONFIG_KUNIT= : ctrack.ko only, no ctrack_test.ko (the bench never loads it).
"$repo/tests/lib/build-module.sh" "$kdir" "$out/mod" CONFIG_KUNIT=
# The sizes of ctrack's objects on this kernel, for the log.
rm -rf "$out/sizes" && cp -r "$repo/tests/bench/sizes" "$out/sizes"
make -s -C "$kdir" M="$out/sizes" CTRACK_KMOD="$repo/kmod" modules >/dev/null
objcopy -O binary --only-section=.rodata "$out/sizes/ctrack_sizes.o" "$out/sizes/rodata"
read -r exp_size conn_size < <(od -An -tu4 -N8 "$out/sizes/rodata")
echo "[bench] sizeof(struct ct_expect) $exp_size, sizeof(struct ct_conn) $conn_size" >&2
extra=() label=""
if [ -n "$base" ]; then
	rev=$(git -C "$repo" rev-parse --verify --quiet "$base^{commit}") || {
		echo "[bench] BENCH_BASE=$base is no commit" >&2
		exit 2
	}
	label=$(git -C "$repo" rev-parse --short "$rev")
	# The revision's sources in a worktree of their own; HEAD's
	# build-module.sh builds them the way it builds C's module.
	rm -rf "$out/mod0" "$out/sizes0"
	wt=$(mktemp -d "$out/base.XXXXXX")
	trap 'git -C "$repo" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"' EXIT
	git -C "$repo" worktree add --quiet --detach "$wt" "$rev"
	mkdir -p "$wt/tests/lib"
	cp "$repo/tests/lib/build-module.sh" "$wt/tests/lib/build-module.sh"
	"$wt/tests/lib/build-module.sh" "$kdir" "$out/mod0" CONFIG_KUNIT=
	cp -r "$repo/tests/bench/sizes" "$out/sizes0"
	make -s -C "$kdir" M="$out/sizes0" CTRACK_KMOD="$wt/kmod" modules >/dev/null
	objcopy -O binary --only-section=.rodata "$out/sizes0/ctrack_sizes.o" "$out/sizes0/rodata"
	read -r exp_size0 conn_size0 < <(od -An -tu4 -N8 "$out/sizes0/rodata")
	git -C "$repo" worktree remove --force "$wt"
	trap - EXIT
	echo "[bench] C0 = ctrack at $label: sizeof(struct ct_expect) $exp_size0, sizeof(struct ct_conn) $conn_size0" >&2
	extra+=(-x "$out/mod0/ctrack.ko:/ctrack/base/ctrack.ko")
fi
cpus=2 qemu_args="" configs="A B C"
[ -n "$base" ] && configs="A B C0 C"
if [ "$icount" != 0 ]; then
	cpus=1 qemu_args="-icount shift=0,sleep=off"
fi
make -s -C "$repo/tests/tools" >/dev/null
make -s -C "$repo/tools" >/dev/null
profile=${BENCH_PROFILE:-0}
if [ "$profile" != 0 ]; then
	# Debian's perf (6.1) works against the 6.12 guest kernel.
	"$repo/tests/lib/deps.sh" linux-perf
	CTRACK_GUEST_BINS=$(command -v perf)
	export CTRACK_GUEST_BINS
fi
echo "run sh /ctrack/bench/guest.sh $rounds $secs $levels $profile${label:+ $label}" > "$out/plan"
echo "[bench] booting the perf kernel: $rounds rounds of $configs, ${secs} s per measurement${qemu_args:+, $cpus vCPU $qemu_args}" >&2
start=$(date +%s)
"$repo/tests/qemu/run.sh" -k "$kdir/arch/x86/boot/bzImage" -m "$out/mod" \
	-p "$out/plan" -o "$out/qemu" -c $cpus -M 4096 -t "${BENCH_TIMEOUT:-1800}" -a "slab_nomerge" \
	-q "$qemu_args" -x "$repo/tests/bench:/ctrack/bench" \
	-x "$kdir/net/core/pktgen.ko:/ctrack/pktgen.ko" "${extra[@]}" || {
	echo "[bench] the guest did not finish; see $out/qemu/" >&2
	tail -20 "$out/qemu/results.log" >&2
	exit 1
}
echo "[bench] guest ran $(($(date +%s) - start)) s" >&2
if [ "$profile" != 0 ]; then
	sed -n '/^@@ PERF /,/^@@ PERFEND/p' "$out/qemu/results.log" > "$out/profile.txt"
	echo "[bench] profiles: $out/profile.txt" >&2
fi
# shellcheck disable=SC2086
python3 "$repo/tests/bench/report.py" "$out/qemu/results.log" $write
