#!/bin/sh
# Operator actions under load (issue 8): unloading ctrack while traffic
# flows, namespaces destroyed with connections in them, ruleset loads and
# conn flushes while an allowed flow runs (none of its packets may be lost).
#
#   client (10.0.1.2) --veth-- router --veth-- server (10.0.2.2)
#   TCP transfer, UDP echoes   (rmmod/insmod; ruleset load + conn flush loop)
#
# Cycles: CTLIFE_MOD (5; stress 100) unloads, CTLIFE_NS (10; stress 1000)
# namespace pairs, CTLIFE_LOAD (50; stress 1000) ruleset loads and flushes.
# guest.sh loaded ctrack before this script; it is loaded again at the end.
. /ctrack/lib/tap.sh

NSS="client router server la lb"
ns_clean

MOD=${CTLIFE_MOD:-5}
NS=${CTLIFE_NS:-10}
LOAD=${CTLIFE_LOAD:-50}

topo_up
bg nsx server ctnet tcp-server 5000
bg nsx server ctnet udp-server 7000
sleep 1

# --- rmmod while traffic flows ------------------------------------------
bg sh -c 'while :; do /sbin/ip netns exec client ctnet tcp-client 10.0.2.2 5000 200000 5000 > /dev/null 2>&1; done'
bg sh -c 'while :; do /sbin/ip netns exec client ctnet udp-client 10.0.2.2 7000 500 > /dev/null 2>&1; done'
bg sh -c 'while :; do /sbin/ip netns exec router ctrackctl conn list > /dev/null 2>&1; done'
bad=0
i=0
while [ $i -lt $MOD ]; do
	nsx router ctrackctl rule add forward udp accept > /dev/null 2>&1
	sleep 1
	# A dump in progress holds the module for a moment.
	t=0
	until rmmod ctrack 2>/dev/null; do
		t=$((t + 1))
		[ $t -gt 50 ] && { bad=$((bad + 1)); echo "# rmmod keeps failing"; break; }
		sleep 0.1
	done
	sleep 0.3
	insmod /ctrack/ctrack.ko || { bad=$((bad + 1)); break; }
	i=$((i + 1))
done
check_eq "$MOD cycles of unload and load under traffic" 0 $bad
check "traffic still flows after the cycles" nsx client ctnet tcp-client 10.0.2.2 5000 10000 5000
tap_cleanup
BG_PIDS=""
bg nsx server ctnet tcp-server 5000
bg nsx server ctnet udp-server 7000

# --- namespaces destroyed with connections in them ----------------------
bad=0
i=0
while [ $i -lt $NS ]; do
	ip netns add la || bad=$((bad + 1))
	ip netns add lb
	ip link add l0 netns la type veth peer name l1 netns lb
	nsx la ip addr add 10.8.0.1/24 dev l0
	nsx lb ip addr add 10.8.0.2/24 dev l1
	nsx la ip link set l0 up
	nsx lb ip link set l1 up
	/sbin/ip netns exec lb ctnet tcp-server 5000 & srv=$!
	/sbin/ip netns exec lb ctnet udp-server 7000 & usrv=$!
	sleep 0.3
	nsx la ctnet udp-client 10.8.0.2 7000 2000 > /dev/null 2>&1 || bad=$((bad + 1))
	# a connection still open when its namespace dies
	/sbin/ip netns exec la ctnet tcp-client 10.8.0.2 5000 100000000 5000 > /dev/null 2>&1 & cl=$!
	sleep 0.3
	ip netns del la
	ip netns del lb
	kill $srv $usrv $cl 2>/dev/null
	wait $srv $usrv $cl 2>/dev/null
	i=$((i + 1))
	# the long form takes an hour: say how far it got
	[ $((i % 100)) = 0 ] && echo "# $i namespace pairs, $bad failed"
done
check_eq "$NS namespace pairs destroyed with live connections" 0 $bad

# --- ruleset load and conn flush while an allowed flow runs -------------
# Stateless accepts for the flow, so a flushed table cannot drop it either.
for v in a b; do
	{
		echo "policy input accept"
		echo "policy output accept"
		echo "policy forward drop"
		[ $v = b ] && for p in 1 2 3 4 5 6 7 8; do echo "rule add forward tcp dport 90$p drop"; done
		echo "rule add forward ct state established,related accept"
		echo "rule add forward udp dport 7000 accept"
		echo "rule add forward udp sport 7000 accept"
		echo "rule add forward tcp dport 5000 accept"
		echo "rule add forward tcp sport 5000 accept"
	} > /tmp/rs-$v
done
check "ruleset loads" nsx router ctrackctl ruleset load /tmp/rs-a
nsx client ctnet tcp-client 10.0.2.2 5000 $((LOAD * 40000)) 10000 > /tmp/life-tcp.out 2>&1 &
tcp=$!
(
	lost=0 n=0
	while [ ! -f /tmp/life-stop ]; do
		nsx client ctnet udp-client 10.0.2.2 7000 3000 > /dev/null 2>&1 || lost=$((lost + 1))
		n=$((n + 1))
	done
	echo "$n $lost" > /tmp/life-udp
) &
udp=$!
bad=0
i=0
while [ $i -lt $LOAD ]; do
	v=a; [ $((i % 2)) = 1 ] && v=b
	nsx router ctrackctl ruleset load /tmp/rs-$v || bad=$((bad + 1))
	nsx router ctrackctl conn flush > /dev/null || bad=$((bad + 1))
	i=$((i + 1))
	[ $((i % 100)) = 0 ] && echo "# $i ruleset loads and flushes, $bad failed"
done
touch /tmp/life-stop
wait $udp
wait $tcp
tcprc=$?
check_eq "$LOAD ruleset loads and conn flushes succeeded" 0 $bad
read n lost < /tmp/life-udp
echo "# $n UDP exchanges during the loads, $lost lost"
check_eq "no UDP exchange of the allowed flow lost" 0 "$lost"
check_eq "the TCP transfer finished" 0 $tcprc
sed 's/^/# /' /tmp/life-tcp.out
check "rules listing after the loads" nsx router ctrackctl rule list
ns_clean
tap_done
