#!/bin/bash
# Install the Debian packages ctrack's builds and tests need, if missing.
# usage: deps.sh [extra packages...]   (as root: apt-get; else prints the command)
set -euo pipefail
pkgs=(build-essential make gcc bc flex bison libelf-dev libssl-dev dwarves
      cpio xz-utils gzip rsync kmod python3 pkg-config
      linux-source-6.12 linux-headers-amd64 linux-headers-6.12-amd64 sparse
      qemu-system-x86 busybox-static libmnl-dev iproute2 nftables conntrack vsftpd curl traceroute
      tftpd-hpa tftp-hpa netbase
      "$@")
missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages; run as root:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "[deps] installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
