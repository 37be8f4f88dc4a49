#!/bin/bash
# Boot a kernel in QEMU (TCG, never KVM) with ctrack and a plan, and collect
# the console and the results.
# usage: run.sh -k BZIMAGE -m MODDIR -p PLANFILE -o OUTDIR [-c CPUS] [-M MEM]
#               [-t TIMEOUT] [-a "extra kernel args"] [-x src:guestpath ...]
#               [-q "extra qemu args"]
# Writes OUTDIR/console.log (kernel) and OUTDIR/results.log (tests).
# -q: more QEMU arguments, split on blanks (make bench's icount mode:
# -q "-icount shift=0,sleep=off"); none by default.
# Exit status: 0 when the guest reached the end of its plan, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cpus=2 mem=2048 tmo=1500 append="" extras=() qargs=()
while getopts "k:m:p:o:c:M:t:a:x:q:" o; do
	case $o in
	k) kernel=$OPTARG ;; m) moddir=$OPTARG ;; p) plan=$OPTARG ;;
	o) out=$OPTARG ;; c) cpus=$OPTARG ;; M) mem=$OPTARG ;;
	t) tmo=$OPTARG ;; a) append=$OPTARG ;; x) extras+=("$OPTARG") ;;
	q) read -ra more <<< "$OPTARG"; qargs+=("${more[@]}") ;;
	*) exit 2 ;;
	esac
done
mkdir -p "$out"
# nf_conntrack_netlink is a module of the test kernels, not loaded: ctrack
# answers ctnetlink itself. The nftables reference runs load it for
# conntrack(8) (nfct_netlink_load in tests/lib/tap.sh).
nfct_nl=$(dirname "$kernel")/../../../net/netfilter/nf_conntrack_netlink.ko
[ -f "$nfct_nl" ] && extras+=("$nfct_nl:/ctrack/nf_conntrack_netlink.ko")
"$here/initramfs.sh" "$out/initramfs.cpio.gz" "$repo" "$moddir" \
	"$plan:/ctrack/plan" "${extras[@]}"
bios=()
[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)
boot() {
	: > "$out/results.log"
	set +e
	timeout --foreground -k 10 "$tmo" qemu-system-x86_64 -accel tcg -machine q35 \
		"${bios[@]}" -cpu max -smp "$cpus" -m "$mem" "${qargs[@]}" \
		-nographic -no-reboot -monitor none -nic none \
		-kernel "$kernel" -initrd "$out/initramfs.cpio.gz" \
		-serial "file:$out/console.log" -serial "file:$out/results.log" \
		-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic reboot=t loglevel=6 $append" \
		</dev/null >/dev/null 2>&1
	rc=$?
	set -e
}
boot
# A kernel that dies before /init wrote its first line never ran ctrack
# (the module is loaded by /init). Under TCG on a loaded host the debug
# kernel has been seen to take a KASAN report in an interrupt during
# early CPU setup: boot once more, keeping that console log.
if [ ! -s "$out/results.log" ] && grep -q 'Kernel panic' "$out/console.log"; then
	mv "$out/console.log" "$out/console.boot-failed.log"
	echo "qemu: the kernel died while booting, before /init (see" \
		"$out/console.boot-failed.log); booting again" >&2
	boot
fi
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "qemu: timed out after $tmo s" >&2
fi
grep -q '^@@ DONE' "$out/results.log"
