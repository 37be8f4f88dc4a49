#!/bin/bash
# Build ctrack (and ctrack_test on KUnit kernels) against KDIR in a private
# copy of the sources, so builds for several kernels never share objects.
# usage: build-module.sh KDIR OUTDIR [make args...]   (OUTDIR gets the .ko)
set -euo pipefail
kdir=$1 out=$2
shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/src"
rsync -a --delete --exclude '*.o' --exclude '.*.cmd' \
	"$repo/Kbuild" "$repo/kmod" "$out/src/"
mkdir -p "$out/src/tests"
rsync -a --delete "$repo/tests/kunit" "$out/src/tests/"
make -C "$kdir" M="$out/src" "$@" modules > "$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	exit 1
}
cp "$out"/src/*.ko "$out/"
