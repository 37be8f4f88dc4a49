#!/bin/sh
# Smoke test on a stock Debian kernel: the module that DKMS (or `make
# module`) built for it loads with modprobe, creates its /proc files, passes
# real traffic between namespaces and enforces the seed ruleset.
#
#   client (10.0.1.2) --veth-- router (forwards) --veth-- server (10.0.2.2)
#                                                   seed ruleset on input
. /ctrack/lib/tap.sh

check "modprobe ctrack resolves its dependencies" test "$(cat /ctrack/modprobe.rc)" = 0
grep -q '^nf_defrag_ipv4 ' /ctrack/modules.loaded && ok "modprobe loaded nf_defrag_ipv4" ||
	not_ok "modprobe loaded nf_defrag_ipv4"
check "ctrack is loaded" grep -q '^ctrack ' /proc/modules
check "/proc/net/ctrack exists" test -r /proc/net/ctrack
check "/proc/net/ctrack_expect exists" test -r /proc/net/ctrack_expect
check "/proc/net/ctrack is root-only (0440)" \
	sh -c 'stat -c %a /proc/net/ctrack | grep -qx 440'
cpus=$(grep -c '^processor' /proc/cpuinfo)
check_eq "/proc/net/stat/ctrack: header plus one line per CPU" \
	$((cpus + 1)) "$(wc -l < /proc/net/stat/ctrack)"
check "/proc/net/stat/ctrack header starts with entries" \
	sh -c 'head -1 /proc/net/stat/ctrack | grep -q "^entries found invalid"'
check_eq "/proc/net/stat/ctrack: one line of 13 hex counters per CPU" "$cpus" \
	"$(grep -cE '^[0-9a-f]{8}( [0-9a-f]{8,16}){12}$' /proc/net/stat/ctrack)"

# An earlier plan step may have left its namespaces behind.
for ns in client router server; do ip netns del $ns 2>/dev/null; done
topo_up
check "each namespace has its own /proc/net/ctrack" nsx server test -r /proc/net/ctrack
bg nsx server ctnet tcp-server 22
bg nsx server ctnet tcp-server 80
bg nsx server ctnet tcp-server 8080
bg nsx server ctnet udp-server 53
sleep 1
check "ping through the router (v4)" nsx client ping -c 2 -W 2 10.0.2.2
check "ping through the router (v6)" nsx client ping -c 2 -W 2 fd00:2::2
check "TCP transfer (v4)" nsx client ctnet tcp-client 10.0.2.2 22 100000
check "TCP transfer (v6)" nsx client ctnet tcp-client fd00:2::2 22 100000
check "UDP request and reply" nsx client ctnet udp-client 10.0.2.2 53
/sbin/ip netns exec router cat /proc/net/ctrack /proc/net/stat/ctrack | sed 's/^/# router: /'
check "router lists the forwarded TCP connection" \
	sh -c "/sbin/ip netns exec router cat /proc/net/ctrack | grep -q '^ipv4 *2 tcp *6 .*dport=22 '"
check "router lists the ICMP echo as nf_conntrack does" \
	sh -c "/sbin/ip netns exec router cat /proc/net/ctrack | grep -q '^ipv4 *2 icmp *1 .*type=8 code=0 id='"
check "/proc/net/ctrack reads in one go and in small pieces alike" \
	sh -c "/sbin/ip netns exec router cat /proc/net/ctrack | awk '{ \$5 = \"\"; print }' > /tmp/a &&
	       /sbin/ip netns exec router dd if=/proc/net/ctrack bs=7 2>/dev/null |
	       awk '{ \$5 = \"\"; print }' > /tmp/b && cmp /tmp/a /tmp/b"

# Events reveal connections: the group is for CAP_NET_ADMIN only (6.1
# has the flag through the stable backport, 6.12 natively).
check_eq "joining the events group needs CAP_NET_ADMIN" \
	"error 1: Operation not permitted" "$(ctnl -u 65534 monitor 1 1 2>&1 | head -1)"

if command -v ctrackctl > /dev/null; then
	# The seed documents' ruleset, on the server's input chain.
	s() { nsx server ctrackctl "$@"; }
	for h in input forward output; do
		check "seed: $h ct state established,related accept" \
			s rule add $h ct state established,related accept
		check "seed: $h ct state invalid drop" s rule add $h ct state invalid drop
	done
	check "seed: input tcp dport 22 ct state new accept" \
		s rule add input tcp dport 22 ct state new accept
	check "seed: input tcp dport 80 ct state new accept" \
		s rule add input tcp dport 80 ct state new accept
	check "seed: input ct state new drop" s rule add input ct state new drop
	check "seed: SSH-like port 22 passes" nsx client ctnet tcp-client 10.0.2.2 22 10000
	check "seed: HTTP-like port 80 passes" nsx client ctnet tcp-client 10.0.2.2 80 10000
	check_exit "seed: port 8080 is dropped (timeout)" 1 \
		nsx client ctnet tcp-client 10.0.2.2 8080 100 2000
	check_eq "seed: the dropped SYN left no entry (state only on pass)" 0 \
		"$(/sbin/ip netns exec server grep -c 'dport=8080 ' /proc/net/ctrack)"
	check "seed: the server lists the SSH-like connection" \
		sh -c "/sbin/ip netns exec server grep -q 'dport=22 ' /proc/net/ctrack"
	check "seed: the server's own ping gets its replies" \
		nsx server ping -c 1 -W 2 10.0.1.2
	check "seed: rule counters count" sh -c "/sbin/ip netns exec server ctrackctl rule list input | grep -q 'packets [1-9]'"
	check "seed: rule flush" s rule flush
else
	echo "# ctrackctl not built: seed ruleset skipped"
fi

if [ $TAP_FAILED = 0 ]; then echo "STOCK-SMOKE PASS"; else echo "STOCK-SMOKE FAIL see not ok lines above"; fi
tap_done
