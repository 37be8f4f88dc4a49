#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/dkms.sh [KERNELRELEASE...]: dkms add, build, install and remove
# ctrack for each Debian kernel whose headers are installed (default: every
# /lib/modules/*/build that points at a linux-headers-*-amd64 tree), in a
# throwaway DKMS tree, source tree and module tree under a temporary
# directory: this machine's /var/lib/dkms and /lib/modules stay untouched and
# no module is ever loaded. Installs dkms and the headers of Debian's 6.1,
# 6.12 and 6.12-rt kernels first when they are missing (as root; set
# CTRACK_NO_APT=1 to skip). Prints one TAP line per step; exits non-zero on
# any failure.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's/.*CTRACK_VERSION "\(.*\)"/\1/p' "$TOP/kmod/version.h")
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# step DESCRIPTION COMMAND...: runs COMMAND, logs its output, reports.
step() {
	local what=$1 log
	shift
	log="$WORK/log.$((n + 1))"
	if "$@" >"$log" 2>&1; then
		ok "$what"
	else
		not_ok "$what"
		sed 's/^/# /' "$log" | tail -n 30
	fi
}

# dkms and the rt headers on top of what every build needs.
install_missing() {
	[ "${CTRACK_NO_APT:-0}" = 1 ] && return 0
	"$TOP/tests/lib/deps.sh" dkms linux-headers-6.12-rt-amd64 >&2 ||
		echo "# could not install dkms or the rt headers"
}

install_missing
if ! command -v dkms >/dev/null; then
	echo "not ok 1 - dkms is not installed"
	exit 1
fi

WORK=$(mktemp -d /tmp/ctrack-dkms.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DKMS_TREE=$WORK/dkms
SRC_TREE=$WORK/src
MOD_TREE=$WORK/modules
mkdir -p "$DKMS_TREE" "$SRC_TREE" "$MOD_TREE"
dkms_() {
	dkms "$@" --dkmstree "$DKMS_TREE" --sourcetree "$SRC_TREE" \
		--installtree "$MOD_TREE"
}

if [ $# -gt 0 ]; then
	kernels=("$@")
else
	kernels=()
	for b in /lib/modules/*/build; do
		k=${b#/lib/modules/}
		k=${k%/build}
		case "$(readlink -f "$b")" in
		/usr/src/linux-headers-*-amd64) [ -f "$b/Makefile" ] && kernels+=("$k") ;;
		esac
	done
fi
if [ ${#kernels[@]} -eq 0 ]; then
	echo "not ok 1 - no kernel headers found"
	exit 1
fi

# The same files `make dkms-install` copies.
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
if [ "$conf_version" = "$VERSION" ]; then
	ok "dkms.conf PACKAGE_VERSION $conf_version matches kmod/version.h"
else
	not_ok "dkms.conf PACKAGE_VERSION '$conf_version' != kmod/version.h '$VERSION'"
fi
mkdir -p "$SRC_TREE/ctrack-$VERSION/tests"
cp -r "$TOP/Kbuild" "$TOP/Makefile" "$TOP/dkms.conf" "$TOP/kmod" \
	"$SRC_TREE/ctrack-$VERSION/"
cp -r "$TOP/tests/kunit" "$SRC_TREE/ctrack-$VERSION/tests/"
# Build outputs of a local `make module` must not leak into the package.
find "$SRC_TREE" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o \
	-name '*.mod' -o -name '*.mod.c' \) -delete

step "dkms add ctrack/$VERSION" dkms_ add -m ctrack -v "$VERSION"

for k in "${kernels[@]}"; do
	hdr=$(readlink -f "/lib/modules/$k/build")
	mkdir -p "$MOD_TREE/$k"
	ln -sfn "$hdr" "$MOD_TREE/$k/build"
	step "dkms build -k $k" dkms_ build -m ctrack -v "$VERSION" -k "$k" \
		--kernelsourcedir "$hdr"
	step "dkms install -k $k" dkms_ install -m ctrack -v "$VERSION" -k "$k" \
		--kernelsourcedir "$hdr" --no-depmod
	ko=$(find "$MOD_TREE/$k" -name 'ctrack.ko*' -print -quit)
	if [ -n "$ko" ]; then
		ok "$k: installed ${ko#"$MOD_TREE"/}"
	else
		not_ok "$k: no ctrack.ko under the module tree"
		continue
	fi
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	if [ "${vermagic%% *}" = "$k" ]; then
		ok "$k: vermagic $vermagic"
	else
		not_ok "$k: vermagic '$vermagic'"
	fi
done

step "dkms remove ctrack/$VERSION --all" dkms_ remove -m ctrack -v "$VERSION" --all
left=$(find "$MOD_TREE" -name 'ctrack.ko*'; ls "$DKMS_TREE/ctrack" 2>/dev/null)
if [ -z "$left" ]; then
	ok "dkms remove left nothing behind"
else
	not_ok "dkms remove left: $left"
fi

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
