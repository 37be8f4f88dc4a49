#!/bin/sh
# The rules on real traffic, set with raw requests (ctnl): verdicts of the
# forward chain, reject (TCP reset, ICMP port unreachable), counters equal
# to the traffic, interface matches, events with gapless sequence numbers,
# conn delete by filter, and an atomic ruleset load under traffic.
#
#   client (10.0.1.2, fd00:1::2) --c0/r0-- router --r1/s0-- server (10.0.2.2, fd00:2::2)
#                                          forward chain
#
. /ctrack/lib/tap.sh

TABLE=1 RULE=6 CHAIN=7 FILTER=9 COUNT=10
R_MATCH=2 R_VERDICT=3 R_PACKETS=9 R_BYTES=10
M_KEY=1 M_VALUE=3 M_FLAGS=8
K_NFPROTO=1 K_TCP_DPORT=10 K_UDP_DPORT=12 K_ICMP_TYPE=16 K_ICMPV6_TYPE=18
K_IIFNAME=22 K_OIFNAME=23 K_CT_STATE=24
NEW=2 EST=4 REL=8 INV=1
ACCEPT=1 DROP=2 REJECT=3

# match KEY VALUE: one MATCH nest (ct state takes FLAGS, names a string)
match() {
	case $1 in
	$K_CT_STATE) echo "nest:$R_MATCH u8:$M_KEY=$1 u32:$M_FLAGS=$2 end" ;;
	$K_IIFNAME | $K_OIFNAME) echo "nest:$R_MATCH u8:$M_KEY=$1 str:$M_VALUE=$2 end" ;;
	*) echo "nest:$R_MATCH u8:$M_KEY=$1 u32:$M_VALUE=$2 end" ;;
	esac
}
TABLE_FILTER="nest:$TABLE u8:1=1 str:2=filter end"
FORWARD_BASE="nest:$CHAIN str:1=forward u8:2=1 u32:3=0 u8:4=$DROP end"
FORWARD="nest:$CHAIN str:1=forward end"

topo_up
for p in 22 80 8080; do bg nsx server ctnet tcp-server $p; done
bg nsx server ctnet udp-server 53
sleep 1
RT() { nsx router ctnl "$@"; }

# rule N of the forward chain: packets, bytes
# shellcheck disable=SC2086
packets() { RT -d -p $RULE.$R_PACKETS rule_get $FORWARD | sed -n "$1p"; }
# shellcheck disable=SC2086
bytes() { RT -d -p $RULE.$R_BYTES rule_get $FORWARD | sed -n "$1p"; }

# Handles 1..10 in this order (a fresh namespace).
# shellcheck disable=SC2046,SC2086
check "load the forward ruleset" RT ruleset_load $TABLE_FILTER $FORWARD_BASE \
	nest:$RULE $(match $K_CT_STATE $((EST | REL))) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_CT_STATE $INV) u8:$R_VERDICT=$DROP end \
	nest:$RULE $(match $K_TCP_DPORT 22) $(match $K_CT_STATE $NEW) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_TCP_DPORT 80) $(match $K_IIFNAME r0) $(match $K_OIFNAME r1) \
		$(match $K_CT_STATE $NEW) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_TCP_DPORT 8080) u8:$R_VERDICT=$REJECT end \
	nest:$RULE $(match $K_NFPROTO 2) $(match $K_UDP_DPORT 53) u8:$R_VERDICT=$REJECT end \
	nest:$RULE $(match $K_ICMP_TYPE 8) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_ICMPV6_TYPE 128) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_UDP_DPORT 53) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(match $K_CT_STATE $NEW) u8:$R_VERDICT=$DROP end

/sbin/ip netns exec router ctnl monitor 1000000 900 > /tmp/events &
MON=$!
sleep 1

check "tcp 22 passes (v4)" nsx client ctnet tcp-client 10.0.2.2 22 10000
check "tcp 22 passes (v6)" nsx client ctnet tcp-client fd00:2::2 22 10000
check "tcp 22 passes again (v4)" nsx client ctnet tcp-client 10.0.2.2 22 10000
check_eq "rule 'tcp dport 22 ct state new' counted the 3 SYNs" 3 "$(packets 3)"
check "its bytes are whole packets" test "$(bytes 3)" -ge 180
check "tcp 80 client->server passes (iifname r0, oifname r1)" \
	nsx client ctnet tcp-client 10.0.2.2 80 1000
check_exit "tcp 80 server->client is dropped (wrong interfaces)" 1 \
	nsx server ctnet tcp-client 10.0.1.2 80 100 1500
check_exit "tcp 8080 is rejected with a reset (v4)" 3 nsx client ctnet tcp-client 10.0.2.2 8080 100 3000
check_exit "tcp 8080 is rejected with a reset (v6)" 3 nsx client ctnet tcp-client fd00:2::2 8080 100 3000
check_eq "the reject rule counted one SYN per attempt" 2 "$(packets 5)"
check_exit "udp 53 v4 is rejected with port unreachable" 3 nsx client ctnet udp-client 10.0.2.2 53 3000
check "udp 53 v6 passes (the reject rule is ip only)" nsx client ctnet udp-client fd00:2::2 53 3000
check_exit "tcp 443 is dropped by the last rule" 1 nsx client ctnet tcp-client 10.0.2.2 443 100 1500
check "ping passes (v4)" nsx client ping -c 2 -W 2 10.0.2.2
check "ping passes (v6)" nsx client ping -c 2 -W 2 fd00:2::2
check_eq "the first echo request is NEW, the next one established" 1 "$(packets 7)"
check "established traffic was counted by rule 1" test "$(packets 1)" -gt 20
check "unmatched new connections hit the final drop rule" test "$(packets 10)" -ge 1

# --- conn delete by filter removes exactly the matching entries
# Two open, idle connections.
bg sh -c "sleep 40 | /sbin/ip netns exec client nc 10.0.2.2 22"
bg sh -c "sleep 40 | /sbin/ip netns exec client nc 10.0.2.2 80"
sleep 3
n22=$(RT -d -c conn_get nest:$FILTER u8:2=6 u16:6=22 end | sed 's/messages=\([0-9]*\).*/\1/')
n80=$(RT -d -c conn_get nest:$FILTER u8:2=6 u16:6=80 end | sed 's/messages=\([0-9]*\).*/\1/')
check "a running port-80 connection is listed" test "$n80" -ge 1
check_eq "conn delete -p tcp --dport 80 --orig-src 10.0.1.2 counts them" "$n80" \
	"$(RT -p $COUNT conn_del nest:$FILTER u8:2=6 ip:3=10.0.1.2 u16:6=80 end)"
check_eq "no port-80 connection is left" "messages=0 intr=0" \
	"$(RT -d -c conn_get nest:$FILTER u8:2=6 u16:6=80 end)"
check_eq "port-22 connections are untouched" "$n22" \
	"$(RT -d -c conn_get nest:$FILTER u8:2=6 u16:6=22 end | sed 's/messages=\([0-9]*\).*/\1/')"

# --- events: NEW, UPDATE, DESTROY, numbered without gaps
RT conn_flush > /dev/null
sleep 2
kill $MON 2>/dev/null
sleep 1
check "events were received" test -s /tmp/events
check "NEW events" grep -q '^0 ' /tmp/events
check "UPDATE events" grep -q '^1 ' /tmp/events
check "DESTROY events" grep -q '^2 ' /tmp/events
check_eq "sequence numbers count from 1 without gaps" "" \
	"$(awk 'NR > 1 && $1 ~ /^[0-9]/ { if ($2 != prev + 1) print "gap after " prev; } $1 ~ /^[0-9]/ { prev = $2 }' /tmp/events)"

# --- ruleset load under traffic: packets both sets accept are never dropped
RT rule_flush > /dev/null
SET_A="$TABLE_FILTER $FORWARD_BASE
	nest:$RULE $(match $K_CT_STATE $((EST | REL))) u8:$R_VERDICT=$ACCEPT end
	nest:$RULE $(match $K_ICMP_TYPE 8) u8:$R_VERDICT=$ACCEPT end"
SET_B="$TABLE_FILTER $FORWARD_BASE
	nest:$RULE $(match $K_TCP_DPORT 9) u8:$R_VERDICT=$DROP end
	nest:$RULE $(match $K_ICMP_TYPE 8) u8:$R_VERDICT=$ACCEPT end
	nest:$RULE $(match $K_CT_STATE $((EST | REL))) u8:$R_VERDICT=$ACCEPT end"
# shellcheck disable=SC2086
RT ruleset_load $SET_A > /dev/null
bg sh -c "/sbin/ip netns exec client ping -A -q -c 500 -W 2 10.0.2.2 > /tmp/ping 2>&1"
loads=0
while [ $loads -lt 60 ]; do
	# shellcheck disable=SC2086
	RT ruleset_load $SET_B > /dev/null && RT ruleset_load $SET_A > /dev/null || break
	loads=$((loads + 2))
done
wait_ping=0
while ! grep -q "packet loss" /tmp/ping && [ $wait_ping -lt 60 ]; do
	sleep 1
	wait_ping=$((wait_ping + 1))
done
check_eq "60 ruleset loads during the ping" 60 $loads
check "no echo request or reply lost across the swaps" grep -q " 0% packet loss" /tmp/ping
sed 's/^/# /' /tmp/ping | tail -2

tap_done
