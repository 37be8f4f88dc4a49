#!/bin/busybox sh
# /init of the test guest. Runs the plan in /ctrack/plan, one step a line:
#   kunit          load ctrack.ko and ctrack_test.ko, report every KTAP suite
#   test NAME      load ctrack.ko (params from a "# ctrack-params:" line in
#                  the script), run /ctrack/integration/NAME, unload
#   run CMD...     run a command with ctrack loaded (demo, bench, smoke)
#   shell          an interactive shell on the console (debugging)
# Results go to the second serial port so kernel messages on the first one
# cannot interleave with them; the host parses "@@" markers and TAP lines.
/bin/busybox --install -s /bin
export PATH=/sbin:/usr/sbin:/bin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /run/netns
/sbin/ip link set lo up

R=/dev/ttyS1
[ -c $R ] || R=/dev/console
say() { echo "$@" > $R; }
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then
	echo scan > $KMEMLEAK
	echo clear > $KMEMLEAK
fi

# busybox's own ip applet knows no netns: use iproute2's.
del_netns() {
	for ns in $(/sbin/ip netns list 2>/dev/null | cut -d" " -f1); do
		/sbin/ip netns del "$ns"
	done
}

load_ctrack() {
	if ! insmod /ctrack/ctrack.ko "$@"; then
		say "not ok - insmod ctrack.ko $*"
		return 1
	fi
}

unload_ctrack() {
	if ! rmmod ctrack; then
		say "not ok - rmmod ctrack"
		return 1
	fi
}

step_kunit() {
	say "@@ BEGIN kunit"
	load_ctrack || { say "@@ END kunit rc=1"; return; }
	if insmod /ctrack/ctrack_test.ko; then
		for d in /sys/kernel/debug/kunit/*/; do
			s=$(basename "$d")
			say "@@ KTAP $s"
			cat "$d/results" > $R
			say "@@ KTAPEND $s"
		done
		rmmod ctrack_test || say "not ok - rmmod ctrack_test"
	else
		say "not ok - insmod ctrack_test.ko"
	fi
	unload_ctrack
	say "@@ END kunit rc=0"
}

step_test() {
	name=$1
	script=/ctrack/integration/$name
	say "@@ BEGIN $name"
	params=$(sed -n 's/^# ctrack-params: *//p' "$script")
	# shellcheck disable=SC2086
	load_ctrack $params || { say "@@ END $name rc=1"; return; }
	(cd /tmp && sh "$script" > $R 2>&1)
	rc=$?
	# Namespaces made by the test die here, with their connections.
	del_netns
	sleep 1
	unload_ctrack
	# A reference run's nf_conntrack_netlink would own ctnetlink next time.
	if grep -q '^nf_conntrack_netlink ' /proc/modules; then
		rmmod nf_conntrack_netlink || say "not ok - rmmod nf_conntrack_netlink"
	fi
	say "@@ END $name rc=$rc"
}

step_run() {
	say "@@ BEGIN run"
	load_ctrack || { say "@@ END run rc=1"; return; }
	("$@" > $R 2>&1)
	rc=$?
	del_netns
	sleep 1
	unload_ctrack
	say "@@ END run rc=$rc"
}

while read -r cmd args; do
	case "$cmd" in
	kunit) step_kunit ;;
	test) step_test $args ;;
	run) step_run $args ;;
	shell) setsid cttyhack sh ;;
	esac
done < /ctrack/plan

if [ -w $KMEMLEAK ]; then
	sleep 6
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	say "@@ KMEMLEAK"
	cat $KMEMLEAK > $R
	say "@@ KMEMLEAKEND"
fi
say "@@ DONE"
sync
reboot -f
