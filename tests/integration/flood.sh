#!/bin/sh
# A flood of new tuples against a small table (issue 8) while TCP transfers
# run: the table stays within max_conns, the ASSURED transfers are never
# evicted and finish, every eviction and refusal is counted.
# ctrack-params: max_conns=4096
#
#   client (10.0.1.2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2)
#   ctnet tcp-client x2 ---->  forward policy drop:            ctnet tcp-server 5000
#   ctfuzz flood (frames) -->  est,rel accept; tcp dport 5000
#                              accept; udp dport 1-40000 accept
#
# The flood runs CTFLOOD_SECS seconds (10; tests/stress.sh: 60) against a
# table of CTFLOOD_MAX entries (256; tests/stress.sh: 4096); every
# accepted-kind packet is a tuple never seen before, so the rule counter of
# "udp dport 1-40000" must equal insert + drop + insert_failed, and insert
# must equal early_drop + the growth of the table (UDP timeouts are raised
# so that nothing expires meanwhile).
. /ctrack/lib/tap.sh

NSS="client router server"
ns_clean

SECS=${CTFLOOD_SECS:-10}
# TCG forwards a few hundred frames a second, half that on a loaded host
# (1280 in 10 s once, 744 of them the accepted kind): the short form
# shrinks the table so that the flood surely fills it; make stress keeps 4096.
MAX=${CTFLOOD_MAX:-256}
ns_inum() { nsx "$1" readlink /proc/self/ns/net | tr -dc 0-9; }
conns() { sed -n 's/^conns //p' "/sys/kernel/debug/ctrack/$(ns_inum router)"; }
stat_sum() {
	nsx router ctrackctl stats | tr ' ' '\n' | sed -n "s/^$1=//p" |
		awk '{ s += $1 } END { print s + 0 }'
}
rule_pkts() {
	nsx router ctrackctl rule list forward | grep -- "$1" |
		sed -n 's/.* packets \([0-9]*\).*/\1/p'
}

topo_up
nsx router ctrackctl policy set forward drop
nsx router ctrackctl rule add forward ct state established,related accept > /dev/null
nsx router ctrackctl rule add forward tcp dport 5000 accept > /dev/null
nsx router ctrackctl rule add forward udp dport 1-40000 accept > /dev/null
nsx router ctrackctl timeout set udp 3600
nsx router ctrackctl timeout set udp_stream 3600 2>/dev/null
[ -z "$CTFLOOD_MAX" ] && check_eq "table limit from the module parameter" 4096 \
	"$(nsx router ctrackctl setting list | sed -n 's/^max_conns[ =:]*//p')"
nsx router ctrackctl setting set max_conns $MAX
check_eq "table limit set for the namespace" "$MAX" \
	"$(nsx router ctrackctl setting list | sed -n 's/^max_conns[ =:]*//p')"
rmac=$(nsx router cat /sys/class/net/r0/address)

bg nsx server ctnet tcp-server 5000
sleep 1
# Big enough to outlast the flood under TCG; the per-read timeout is 20 s.
BYTES=$((SECS * 6000000))
nsx client ctnet tcp-client 10.0.2.2 5000 "$BYTES" 20000 > /tmp/flood-t1.out 2>&1 &
t1=$!
nsx client ctnet tcp-client 10.0.2.2 5000 "$BYTES" 20000 > /tmp/flood-t2.out 2>&1 &
t2=$!
sleep 2
c0=$(conns)
ins0=$(stat_sum insert) ed0=$(stat_sum early_drop) dr0=$(stat_sum drop)
if0=$(stat_sum insert_failed)
echo "# before the flood: $c0 connections"

nsx client ctfuzz flood -n 1000000000 -t "$SECS" -i c0 -m "$rmac" > /tmp/flood.out 2>&1 &
fl=$!
peak=0
while kill -0 $fl 2>/dev/null; do
	c=$(conns)
	[ "$c" -gt "$peak" ] && peak=$c
	sleep 0.5
done
wait $fl
check_eq "flood ran" 0 $?
sed 's/^/# /' /tmp/flood.out
c1=$(conns)
ins1=$(stat_sum insert) ed1=$(stat_sum early_drop) dr1=$(stat_sum drop)
if1=$(stat_sum insert_failed)
acc=$(rule_pkts "dport 1-40000")
echo "# peak $peak connections, $c1 at the end; insert +$((ins1 - ins0))" \
	"early_drop +$((ed1 - ed0)) drop +$((dr1 - dr0)) insert_failed +$((if1 - if0))" \
	"accepted-kind packets $acc"
check "connections never above max_conns (peak $peak)" [ "$peak" -le $MAX ]
check "connections at the end within max_conns ($c1)" [ "$c1" -le $MAX ]
check "the flood filled the table (early drops happened)" [ $((ed1 - ed0)) -gt 0 ]
# The table is full of unanswered entries, all evictable: a new tuple
# should nearly always get in by early drop rather than be refused.
check "new tuples evict unanswered entries rather than being refused" \
	[ $((dr1 - dr0)) -le $(((ed1 - ed0) / 20)) ]
check_eq "every accepted new tuple was inserted or counted as refused" "$acc" \
	$((ins1 - ins0 + dr1 - dr0 + if1 - if0))
check_eq "every eviction is counted (insert = early_drop + growth)" \
	$((ins1 - ins0)) $((ed1 - ed0 + c1 - c0))
if kill -0 $t1 $t2 2>/dev/null; then
	echo "# the transfers outlasted the flood"
else
	echo "# warning: a transfer ended before the flood did (raise BYTES)"
fi
wait $t1
r1=$?
wait $t2
r2=$?
sed 's/^/# t1: /' /tmp/flood-t1.out
sed 's/^/# t2: /' /tmp/flood-t2.out
check_eq "established transfers finish despite the flood" "0 0" "$r1 $r2"
check "the transfers' connections were never evicted (ASSURED)" \
	sh -c "/sbin/ip netns exec router ctrackctl conn list -p tcp --dport 5000 | grep -c ASSURED | grep -qx 2"
ns_clean
tap_done
