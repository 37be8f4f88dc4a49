# Sourced by the integration scripts in the guest: TAP output and netns
# helpers. Each check prints one "ok - ..." or "not ok - ..." line.
# busybox's shell prefers its own applets: call iproute2 explicitly.
ip() { /sbin/ip "$@"; }
nsx() { local ns=$1; shift; /sbin/ip netns exec "$ns" "$@"; }

TAP_FAILED=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; TAP_FAILED=1; }

# check DESC CMD...: ok when CMD succeeds.
check() {
	local desc=$1; shift
	if "$@" > /tmp/check.out 2>&1; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/#   /' /tmp/check.out | head -20
	fi
}

# check_fails DESC CMD...: ok when CMD fails.
check_fails() {
	local desc=$1; shift
	if "$@" > /tmp/check.out 2>&1; then
		not_ok "$desc (unexpectedly succeeded)"; sed 's/^/#   /' /tmp/check.out | head -20
	else ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: expected '$2', got '$3'"; fi
}

# check_exit DESC CODE CMD...: ok when CMD exits with CODE.
check_exit() {
	local desc=$1 want=$2 rc; shift 2
	"$@" > /tmp/check.out 2>&1; rc=$?
	if [ "$rc" = "$want" ]; then ok "$desc"; else
		not_ok "$desc: exit $rc, expected $want"; sed 's/^/#   /' /tmp/check.out | head -20
	fi
}

# The standard topology, drawn where it is used:
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#
topo_up() {
	for ns in client router server; do
		ip netns add $ns
		nsx $ns ip link set lo up
	done
	ip link add c0 netns client type veth peer name r0 netns router
	ip link add s0 netns server type veth peer name r1 netns router
	nsx client ip addr add 10.0.1.2/24 dev c0
	nsx client ip addr add fd00:1::2/64 dev c0 nodad
	nsx router ip addr add 10.0.1.1/24 dev r0
	nsx router ip addr add fd00:1::1/64 dev r0 nodad
	nsx router ip addr add 10.0.2.1/24 dev r1
	nsx router ip addr add fd00:2::1/64 dev r1 nodad
	nsx server ip addr add 10.0.2.2/24 dev s0
	nsx server ip addr add fd00:2::2/64 dev s0 nodad
	for l in client:c0 router:r0 router:r1 server:s0; do
		nsx ${l%:*} ip link set ${l#*:} up
	done
	nsx client ip route add default via 10.0.1.1
	nsx client ip -6 route add default via fd00:1::1
	nsx server ip route add default via 10.0.2.1
	nsx server ip -6 route add default via fd00:2::1
	nsx router sysctl -qw net.ipv4.ip_forward=1
	nsx router sysctl -qw net.ipv6.conf.all.forwarding=1
}

# Background processes of a test, killed at exit.
BG_PIDS=""
# A background job whose PID is the program's own, so that tap_cleanup's
# kill reaches it: "nsx NS CMD" is run without the function's subshell,
# which a kill would leave CMD running past.
bg() {
	if [ "$1" = nsx ]; then
		shift
		local ns=$1
		shift
		/sbin/ip netns exec "$ns" "$@" &
	else
		"$@" &
	fi
	BG_PIDS="$BG_PIDS $!"
}
tap_cleanup() {
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap tap_cleanup EXIT

# Stops the background jobs and deletes the namespaces named in $NSS:
# called first, for what an interrupted run left, and last.
ns_clean() {
	tap_cleanup
	BG_PIDS=""
	for ns in $NSS; do ip netns del "$ns" 2>/dev/null; done
	sleep 0.5
}

tap_done() { exit $TAP_FAILED; }

# nf_conntrack_netlink, a module of the test kernel, is not loaded: ctrack
# answers ctnetlink (conntrack -L) from its own table. The nftables
# reference runs, whose ctrack-params say ctnetlink=0, load it so that
# conntrack(8) reaches nf_conntrack; guest.sh unloads it after each test.
nfct_netlink_load() {
	grep -q '^nf_conntrack_netlink ' /proc/modules ||
		insmod /ctrack/nf_conntrack_netlink.ko
}
nfct_netlink_unload() {
	! grep -q '^nf_conntrack_netlink ' /proc/modules ||
		rmmod nf_conntrack_netlink
}

# need PROG...: skips the whole test unless every program is in the guest.
need() {
	local prog
	for prog in "$@"; do
		if ! command -v "$prog" >/dev/null; then
			ok "# SKIP $prog missing in the guest"
			tap_done
		fi
	done
}
