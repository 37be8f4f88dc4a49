#!/bin/sh
# Parallel flows on every CPU with concurrent dumps and deletes (issue 8):
# rule counters exact (every datagram sent is counted once), lockdep and
# RCU clean (the harness fails on any report).
#
#   client (10.0.1.2) --veth-- router --veth-- server (10.0.2.2)
#   ctfuzz udp x (2 per CPU)   forward: "udp dport 7000-7099" counts,
#                              then accept; dump and delete loops
#
# CTCONC_PKTS datagrams per flow (400; tests/stress.sh: 5000).
. /ctrack/lib/tap.sh

NSS="client router server"
ns_clean

PKTS=${CTCONC_PKTS:-400}
ncpu=$(grep -c ^processor /proc/cpuinfo)
flows=$((ncpu * 2))
echo "# $ncpu CPUs, $flows flows of $PKTS datagrams"

topo_up
nsx router ctrackctl rule add forward udp dport 7000-7099 > /dev/null
nsx router ctrackctl rule add forward udp accept > /dev/null
nsx router ctrackctl policy set forward drop
# The server drops them quietly (no ICMP replies to count).
nsx server sysctl -qw net.ipv4.icmp_ratelimit=1000000

# Readers and writers of the table and the rules while the flows run.
bg sh -c 'while :; do /sbin/ip netns exec router ctrackctl conn list > /dev/null 2>&1; done'
bg sh -c 'while :; do /sbin/ip netns exec router ctrackctl rule list > /dev/null; /sbin/ip netns exec router ctrackctl stats > /dev/null 2>&1; done'
bg sh -c 'i=0; while :; do /sbin/ip netns exec router ctrackctl conn delete -p udp --dport $((7000 + i % 100)) > /dev/null 2>&1; i=$((i + 1)); done'

pids=""
i=0
while [ $i -lt $flows ]; do
	nsx client ctfuzz udp -n "$PKTS" 10.0.2.2 $((7000 + i)) > /tmp/conc-$i.out 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
failed=0
for p in $pids; do wait $p || failed=$((failed + 1)); done
check_eq "every sender finished" 0 $failed
sleep 1
want=$((flows * PKTS))
got=$(nsx router ctrackctl rule list forward | grep 'dport 7000-7099' |
	sed -n 's/.* packets \([0-9]*\).*/\1/p')
check_eq "rule counter counts every datagram exactly once" "$want" "$got"
acc=$(nsx router ctrackctl rule list forward | grep -v 7000 | grep 'udp.*accept' |
	sed -n 's/.* packets \([0-9]*\).*/\1/p')
check_eq "the accept rule saw every datagram too" "$want" "$acc"
check "listing still works" nsx router ctrackctl conn list
ns_clean
tap_done
