#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/stock/run.sh [KERNELRELEASE...]: boot Debian's own kernels in QEMU
# (TCG) with the ctrack.ko built for each, `modprobe ctrack` from the
# guest's /lib/modules, then run the integration smoke test and
# tests/stock/smoke.sh (proc files, traffic through namespaces, the seed
# ruleset when ctrackctl is built). Default: every /boot/vmlinuz-* whose
# headers and modules are installed (6.1, 6.12, 6.12-rt). Installs the
# kernel images, headers, QEMU and busybox when missing (as root; set
# CTRACK_NO_APT=1 to skip). Never touches the running kernel.
#
# Prints one TAP line per kernel (the judged details as # comments) and,
# last, "N passed, N failed". Fails on any not ok line, a missing
# "STOCK-SMOKE PASS", or a WARN, BUG, Oops, lockdep or KASAN report.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${CTRACK_OUT:-$repo/tests/out}/stock
tmo=${CTRACK_STOCK_TIMEOUT:-600}
mkdir -p "$out"

# The stock kernel images (they land in /boot; nothing reboots) and the rt headers.
install_missing() {
	[ "${CTRACK_NO_APT:-0}" = 1 ] && return 0
	"$repo/tests/lib/deps.sh" linux-image-amd64 linux-image-6.12-amd64 \
		linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64 2>"$out/apt.log" ||
		echo "# could not install the stock kernels, see $out/apt.log"
}

# The module file of NAME in kernel K's tree, empty when built in.
mod_file() {
	local f

	f=$(modinfo -k "$1" -F filename "$2" 2>/dev/null | head -1)
	case "$f" in
	/*) echo "$f" ;;
	esac
}

# Copies FILE (maybe compressed) into the guest tree ROOT/lib/modules/K,
# uncompressed, with every module it depends on.
add_module() {
	local k=$1 root=$2 f=$3 rel dst d dep

	rel=${f#/lib/modules/"$k"/}
	dst=$root/lib/modules/$k/${rel%.xz}
	dst=${dst%.zst}
	dst=${dst%.gz}
	[ -e "$dst" ] && return 0
	mkdir -p "$(dirname "$dst")"
	case "$f" in
	*.xz) xz -dc "$f" > "$dst" ;;
	*.zst) zstd -qdc "$f" > "$dst" ;;
	*.gz) gzip -dc "$f" > "$dst" ;;
	*) cp "$f" "$dst" ;;
	esac
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		d=$(mod_file "$k" "$dep")
		[ -n "$d" ] && add_module "$k" "$root" "$d"
	done
	return 0
}

# A /lib/modules tree for the guest: ctrack in updates/, what it needs,
# veth for the namespaces, modules.dep made by depmod for this tree.
make_modtree() {
	local k=$1 ko=$2 root=$3 m f

	rm -rf "$root"
	mkdir -p "$root/lib/modules/$k/updates"
	cp /lib/modules/"$k"/modules.builtin* /lib/modules/"$k"/modules.order \
		"$root/lib/modules/$k/" 2>/dev/null
	cp "$ko" "$root/lib/modules/$k/updates/ctrack.ko"
	for m in $(modinfo -F depends "$ko" | tr ',' ' ') veth; do
		f=$(mod_file "$k" "$m")
		[ -n "$f" ] && add_module "$k" "$root" "$f"
	done
	depmod -b "$root" "$k"
}

install_missing
make -s -C "$repo/tests/tools" >"$out/tools.log" 2>&1 || echo "# tests/tools build failed"
if [ -d "$repo/tools/ctrackctl" ]; then
	make -s -C "$repo/tools" >"$out/ctrackctl.log" 2>&1 || echo "# ctrackctl build failed: seed ruleset steps skipped"
fi

if [ $# -gt 0 ]; then
	kernels=("$@")
else
	kernels=()
	for v in /boot/vmlinuz-*; do
		k=${v#/boot/vmlinuz-}
		[ -f "/usr/src/linux-headers-$k/Makefile" ] && [ -d "/lib/modules/$k/kernel" ] &&
			kernels+=("$k")
	done
fi

n=0 failed=0
for k in "${kernels[@]}"; do
	n=$((n + 1))
	ko_dir=$out/$k/module
	if [ ! -r "/boot/vmlinuz-$k" ] ||
	   ! "$repo/tests/lib/build-module.sh" "/usr/src/linux-headers-$k" "$ko_dir" \
		>"$out/$k.build.log" 2>&1; then
		echo "not ok $n - $k: no kernel image or the module does not build"
		sed 's/^/# /' "$out/$k.build.log" | tail -20
		failed=$((failed + 1))
		continue
	fi
	make_modtree "$k" "$ko_dir/ctrack.ko" "$out/$k/root"
	printf 'test smoke.sh\ntest proc.sh\nrun sh /ctrack/stock/smoke.sh\n' > "$out/$k/plan"
	t0=$(date +%s)
	"$repo/tests/qemu/run.sh" -k "/boot/vmlinuz-$k" -m "$ko_dir" -p "$out/$k/plan" \
		-o "$out/$k/qemu" -c 2 -M 1024 -t "$tmo" \
		-x "$repo/tests/qemu/guest.sh:/ctrack/guest.sh" \
		-x "$here/init.sh:/init" \
		-x "$here:/ctrack/stock" \
		-x "$out/$k/root/lib/modules/$k:/lib/modules/$k" >/dev/null 2>&1
	secs=$(($(date +%s) - t0))
	python3 "$repo/tests/lib/results.py" "$out/$k/qemu/results.log" \
		"$out/$k/qemu/console.log" "$k: " > "$out/$k/judged.log"
	judged=$?
	if [ $judged = 0 ] && grep -q '^STOCK-SMOKE PASS' "$out/$k/qemu/results.log"; then
		echo "ok $n - $k (${secs}s)"
	else
		echo "not ok $n - $k (${secs}s; console: $out/$k/qemu/console.log)"
		failed=$((failed + 1))
	fi
	grep -v '^PASS ' "$out/$k/judged.log" | sed 's/^/# /'
	grep -h '^STOCK-SMOKE' "$out/$k/qemu/results.log" | sed 's/^/# /'
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ $failed = 0 ] && [ $n -gt 0 ]
