#!/bin/bash
# Build the guest initramfs: busybox-static, real iproute2/nft/conntrack with
# their libraries, ctrack's modules and tools, the test scripts.
# usage: initramfs.sh OUT.cpio.gz REPO MODDIR [extra-file:guest-path ...]
#   MODDIR holds ctrack.ko (and ctrack_test.ko when built for a KUnit kernel).
#   CTRACK_GUEST_BINS="/usr/bin/perf ...": more host binaries to ship, with
#   their shared libraries, at the same paths (make bench's profile mode).
set -euo pipefail
out=$1 repo=$2 moddir=$3
shift 3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,var,root,ctrack}
cp /bin/busybox "$root/bin/busybox"
ln -s ../run "$root/var/run"

# Copies a binary and the shared libraries it needs, keeping their paths.
add_bin() {
	local bin=$1 dest=${2:-$1} lib
	[ -e "$bin" ] || return 0
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$bin" "$root$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
add_bin /usr/sbin/ip /sbin/ip
add_bin /usr/sbin/nft
add_bin /usr/sbin/conntrack
add_bin /usr/sbin/ss 2>/dev/null || true
# FTP server and client for tests/integration/ftp.sh
add_bin /usr/sbin/vsftpd
add_bin /usr/bin/curl
# TFTP server and client for tests/integration/tftp.sh
add_bin /usr/sbin/in.tftpd
add_bin /usr/bin/tftp
# traceroute for tests/integration/realhost.sh (Debian's is traceroute.db
# behind an alternatives link)
add_bin /usr/bin/traceroute.db /usr/bin/traceroute
for f in ${CTRACK_GUEST_BINS:-}; do
	[ -e "$f" ] || { echo "initramfs: missing $f" >&2; exit 1; }
	add_bin "$f"
done
for f in "$repo"/tools/ctrackctl/ctrackctl "$repo"/tests/tools/ctnet "$repo"/tests/tools/ctnl "$repo"/tests/tools/ctfuzz; do
	[ -x "$f" ] && add_bin "$f" "/usr/bin/$(basename "$f")"
done

for m in ctrack.ko ctrack_test.ko; do
	[ -f "$moddir/$m" ] && cp "$moddir/$m" "$root/ctrack/"
done
[ -d /lib/modules ] && true
cp -r "$repo/tests/integration" "$repo/tests/lib" "$repo/tests/rulesets" "$root/ctrack/"
# nftables' example files, for tests/integration/nftcompat.sh
if [ -d /usr/share/doc/nftables/examples ]; then
	mkdir -p "$root/usr/share/doc/nftables/examples"
	cp /usr/share/doc/nftables/examples/*.nft "$root/usr/share/doc/nftables/examples/"
fi
cp "$repo/tests/qemu/guest.sh" "$root/init"
chmod +x "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
printf 'hosts: files\nprotocols: files\nservices: files\n' > "$root/etc/nsswitch.conf"
# nft resolves protocol and service names (ipv6-icmp, ssh) through these
for f in /etc/protocols /etc/services; do
	[ -f "$f" ] && cp "$f" "$root$f"
done

for extra in "$@"; do
	src=${extra%%:*} dst=${extra#*:}
	mkdir -p "$root$(dirname "$dst")"
	cp -r "$src" "$root$dst"
done

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
