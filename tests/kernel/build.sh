#!/bin/bash
# Build (or reuse) a QEMU test kernel from Debian's linux-source-6.12.
# usage: build.sh debug|kcsan|perf   -> prints the build directory on stdout
# (base.config plus KIND.config; every option they set is checked in the
# resulting .config, so a kcsan kernel without CONFIG_KCSAN=y never builds)
# The build is cached outside the repository, keyed by a hash of the config
# fragments and the source version, so only the first run pays.
set -euo pipefail
kind=${1:-debug}
here=$(cd "$(dirname "$0")" && pwd)
cache=${CTRACK_CACHE:-$HOME/.cache/ctrack}
tarball=/usr/src/linux-source-6.12.tar.xz
frags=("$here/base.config" "$here/$kind.config")

[ -f "$here/$kind.config" ] || { echo "no config fragment $here/$kind.config" >&2; exit 2; }
[ -f "$tarball" ] || { echo "missing $tarball (apt-get install linux-source-6.12)" >&2; exit 1; }
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12)
key=$( (echo "$srcver"; cat "${frags[@]}") | sha256sum | cut -c1-16)
src=$cache/linux-source-6.12-$srcver
out=$cache/kernel-$kind-$key
log() { echo "[kernel] $*" >&2; }

if [ -f "$out/.ctrack-done" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
# One build at a time: a second caller waits for the first and reuses it.
exec 9>"$cache/.lock-$kind"
if ! flock -n 9; then
	log "another build of the $kind kernel is running; waiting for it"
	flock 9
fi
if [ -f "$out/.ctrack-done" ]; then
	echo "$out"
	exit 0
fi
if [ ! -f "$src/.ctrack-extracted" ]; then
	log "extracting $tarball"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	touch "$src.tmp/.ctrack-extracted"
	mv "$src.tmp" "$src"
fi
rm -rf "$out"
mkdir -p "$out"
log "configuring $kind kernel in $out"
make -s -C "$src" O="$out" allnoconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Verify: every option a fragment asks for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}
		if grep -q "^$opt=" "$out/.config"; then log "wanted off but set: $opt"; bad=1; fi ;;
	CONFIG_*=*) if ! grep -qxF "$line" "$out/.config"; then log "wanted but not set: $line"; bad=1; fi ;;
	esac
done < <(cat "${frags[@]}")
[ $bad = 0 ] || { log "config verification failed"; exit 1; }

log "building (takes 6-10 minutes the first time; log in $out/build.log)"
start=$(date +%s)
if ! make -C "$src" O="$out" -j"$(($(nproc) + 1))" bzImage modules >"$out/build.log" 2>&1; then
	tail -30 "$out/build.log" >&2
	exit 1
fi
log "built in $(($(date +%s) - start)) s"
touch "$out/.ctrack-done"
echo "$out"
