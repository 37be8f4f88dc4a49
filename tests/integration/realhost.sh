#!/bin/sh
# The seed ruleset on a real dual-stack host: what an administrator who
# applies it expects to keep working, IPv4 and IPv6, without work-around
# rules (no "icmpv6 accept").
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#   ctnet, traceroute, forger              seed + forward new accept        seed
#                                          ctnet :22 :8080 udp :5353        ctnet :22 :8080 udp :5353
#
# The router and the server run the seed ruleset (plus an echo-request
# accept, so that ping has something to reach); the client runs none, so
# that the segments it forges leave it as they were made.
#
#   1. neighbour discovery passes "ct state new drop"; "ct state untracked"
#      is a match and counts it
#   2. reject answers at once (ECONNREFUSED, TCP and UDP) on input, on
#      forward and over loopback, although "ct state invalid drop" is there
#   3. traceroute's first hop (TIME EXCEEDED from the router) comes back
#   4. a FIN or RST with a bad checksum changes no state of an established
#      forwarded connection; a good in-window RST (the control) does
#   5. a forwarded transfer across a 1280 MTU completes (PMTU discovery)
#   and a connection opened before the seed ruleset survives loading it.
. /ctrack/lib/tap.sh

T0=$(cut -d. -f1 /proc/uptime)
# A comment with the time since the start: where the run time goes.
at() { echo "# $* at +$(($(cut -d. -f1 /proc/uptime) - T0)) s"; }
ctl() { nsx router ctrackctl "$@"; }

# The seed ruleset (tests/bench/seed.rules), one rule a line.
SEED="input ct state established,related accept
forward ct state established,related accept
output ct state established,related accept
input ct state invalid drop
forward ct state invalid drop
output ct state invalid drop
input tcp dport 22 ct state new accept
input tcp dport 80 ct state new accept
input ct state new drop"

# seed NS [RULE...]: the seed ruleset in one load (a ctrackctl call costs
# a TCG guest a few hundred ms), with an echo-request accept ahead of the
# final drop, so that ping has something to reach, and RULEs after it.
seed() {
	local ns=$1
	shift
	{
		echo "$SEED" | sed '$d'
		echo "input icmp type echo-request ct state new accept"
		echo "input icmpv6 type echo-request ct state new accept"
		echo "$SEED" | sed -n '$p'
		for r in "$@"; do echo "$r"; done
	} | sed 's/^/rule add /' | nsx "$ns" ctrackctl ruleset load -
}

# An answer that takes longer than this is no answer: a reject must be as
# quick as a closed port. ctnet times itself from its start to the error,
# so "ip netns exec" and a slow TCG guest's program start do not count.
REFUSE_MS=1000

# refused DESC NS CTNET-ARGS...: ctnet's connect or recv fails with
# ECONNREFUSED (exit 3, not the timeout's 1, nor EHOSTUNREACH's 3 when
# neighbour discovery failed) within REFUSE_MS.
refused() {
	local desc=$1 ns=$2 ms rc
	shift 2
	nsx "$ns" ctnet "$@" > /tmp/check.out 2>&1
	rc=$?
	ms=$(sed -n 's/.*(after \([0-9]*\) ms)$/\1/p' /tmp/check.out)
	echo "# $desc: exit $rc after ${ms:-?} ms"
	if [ "$rc" = 3 ] && grep -q 'Connection refused' /tmp/check.out &&
	   [ "${ms:-99999}" -lt "$REFUSE_MS" ]; then
		ok "$desc"
	else
		not_ok "$desc: expected ECONNREFUSED within $REFUSE_MS ms"
		sed 's/^/#   /' /tmp/check.out | head -5
	fi
}

# waitfor FILE PID: until FILE has content, PID is gone, or 20 s passed.
waitfor() {
	local i=0
	while [ ! -s "$1" ] && kill -0 "$2" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ]
}

# The router's TCP state of the connection from client port $1, or "none".
conn_state() {
	local s
	s=$(ctl conn list -p tcp --sport "$1" 2>/dev/null | awk '{ print $6; exit }')
	echo "${s:-none}"
}

# snmp FILE FIELD: a counter of the router's /proc/net/snmp or snmp6.
snmp() {
	nsx router cat "/proc/net/$1" | awk -v f="$2" '
		NF == 2 && $1 == f { print $2; exit }
		$1 ~ /:$/ { if (h[$1]) { for (i = 2; i <= NF; i++) if (h[$1, i] == f) { print $i; exit } }
			    else { h[$1] = 1; for (i = 2; i <= NF; i++) h[$1, i] = $i } }'
}

topo_up
for ns in router server; do
	bg nsx $ns ctnet tcp-server 22
	# Listeners behind the reject rules: a refusal can only be the rule's.
	bg nsx $ns ctnet tcp-server 8080
	bg nsx $ns ctnet tcp-server 8081
	bg nsx $ns ctnet udp-server 5353
done
sleep 1

# What "refused" looks like here, before any rule: a closed port.
refused "control: a closed port is refused in time" client tcp-client 10.0.2.2 9 1000 3000

# The README's recipe for a session ctrack never saw begin (opened before
# the module was loaded; forgotten by a flush here): picked up with
# tcp_loose 1 while the chains are empty, it goes on under the seed ruleset
# and back under strict pickup.
rm -f /tmp/pre* /tmp/old*
bg nsx client ctnet tcp-session 10.0.1.1 22 echo mark:/tmp/old.up \
	wait:/tmp/old.pick echo mark:/tmp/old.picked \
	wait:/tmp/pre.go echo mark:/tmp/old.ok > /tmp/old.log 2>&1
old=$!
waitfor /tmp/old.up $old
ctl conn flush > /dev/null
ctl setting set tcp_loose 1
touch /tmp/old.pick
waitfor /tmp/old.picked $old

# Sessions to the router's port 22, opened while ctrack tracks without
# rules; they go on once the seed ruleset is in place.
bg nsx client ctnet tcp-session 10.0.1.1 22 echo mark:/tmp/pre4.up \
	wait:/tmp/pre.go echo mark:/tmp/pre4.ok > /tmp/pre4.log 2>&1
pre4=$!
bg nsx client ctnet tcp-session fd00:1::1 22 echo mark:/tmp/pre6.up \
	wait:/tmp/pre.go echo mark:/tmp/pre6.ok > /tmp/pre6.log 2>&1
pre6=$!
waitfor /tmp/pre4.up $pre4
waitfor /tmp/pre6.up $pre6

check "seed ruleset on the router" seed router "forward ct state new accept"
check "seed ruleset on the server" seed server
ctl setting set tcp_loose 0

# Neighbour entries age, and a real host has to answer a probe sooner or
# later: forgetting them here makes the sessions need neighbour discovery
# under the rules, as does every check below.
for l in client:c0 router:r0 router:r1 server:s0; do
	nsx ${l%:*} ip -6 neigh flush dev ${l#*:}
done
touch /tmp/pre.go
waitfor /tmp/pre4.ok $pre4
waitfor /tmp/pre6.ok $pre6
waitfor /tmp/old.ok $old
check "a session ctrack never saw begin, picked up, goes on" test -s /tmp/old.ok
[ -s /tmp/old.ok ] || sed 's/^/# /' /tmp/old.log
for v in 4 6; do
	check "session opened before the seed ruleset goes on (v$v)" test -s /tmp/pre$v.ok
	[ -s /tmp/pre$v.ok ] || sed 's/^/# /' /tmp/pre$v.log
done

at 1
# 1. Neighbour discovery (the caches are empty or fresh from the sessions').
check "ct state untracked is a rule match" \
	ctl rule insert input icmpv6 ct state untracked counter
check "ping6 the router" nsx client ping -c 1 -W 3 fd00:1::1
check "TCP to the router (v6)" nsx client ctnet tcp-client fd00:1::1 22 10000 3000
check "ping6 the server through the router" nsx client ping -c 1 -W 3 fd00:2::2
check "TCP to the server through the router (v6)" \
	nsx client ctnet tcp-client fd00:2::2 22 10000 3000
untracked=$(ctl rule list input | awk '/untracked/ {
	for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }')
echo "# the untracked rule counted ${untracked:-nothing}"
check "the untracked rule counts neighbour discovery" test "${untracked:-0}" -gt 0
check "ping the server through the router (v4)" nsx client ping -c 1 -W 3 10.0.2.2

at 2
# 2. Reject, on the router. Inserted at the head: behind "ct state new
# drop" they would never see a SYN.
ctl rule insert input tcp dport 8080 reject >/dev/null
ctl rule insert input udp dport 5353 reject >/dev/null
ctl rule insert forward tcp dport 8080 reject >/dev/null
ctl rule insert forward udp dport 5353 reject >/dev/null
ctl rule insert output tcp dport 8081 reject >/dev/null
for a in 10.0.1.1:v4 fd00:1::1:v6; do
	refused "input reject: TCP to the router (${a##*:})" client tcp-client ${a%:*} 8080 1000 1500
	refused "input reject: UDP to the router (${a##*:})" client udp-client ${a%:*} 5353 1500
done
for a in 10.0.2.2:v4 fd00:2::2:v6; do
	refused "forward reject: TCP to the server (${a##*:})" client tcp-client ${a%:*} 8080 1000 1500
	refused "forward reject: UDP to the server (${a##*:})" client udp-client ${a%:*} 5353 1500
done
for a in 127.0.0.1:v4 ::1:v6; do
	refused "input reject over loopback: TCP (${a##*:})" router tcp-client ${a%:*} 8080 1000 1500
	refused "input reject over loopback: UDP (${a##*:})" router udp-client ${a%:*} 5353 1500
	refused "output reject over loopback: TCP (${a##*:})" router tcp-client ${a%:*} 8081 1000 1500
done

at 3
# 3. traceroute: a probe with TTL 1 dies in the router before its forward
# hook, so the TIME EXCEEDED leaves through output about a packet of no
# connection.
hop1() {
	nsx client traceroute -n -m 1 -q 1 -w 2 "$@" > /tmp/tr.out 2>&1
	sed 's/^/# /' /tmp/tr.out
}
hop1 10.0.2.2
check "traceroute: the router is hop 1 (v4)" grep -q '^ *1 *10\.0\.1\.1 ' /tmp/tr.out
hop1 -6 fd00:2::2
check "traceroute: the router is hop 1 (v6)" grep -q '^ *1 *fd00:1::1 ' /tmp/tr.out

at 4
# 4. Forged segments into an established forwarded connection. A CLOSE
# entry lives one second here, so that a connection the tracker wrongly
# closed stops passing within the test, rather than after its 10 s.
ctl timeout set tcp close 1
forged() {
	local v=$1 dst=$2 pid sport
	rm -f /tmp/fg.*
	bg nsx client ctnet tcp-session $dst 22 echo mark:/tmp/fg.up \
		wait:/tmp/fg.1 forge:FA:bad mark:/tmp/fg.fin \
		wait:/tmp/fg.2 forge:R:bad sleep:1500 echo mark:/tmp/fg.flow \
		wait:/tmp/fg.end > /tmp/fg.log 2>&1
	pid=$!
	waitfor /tmp/fg.up $pid
	sport=$(cat /tmp/fg.up)
	check_eq "forged ($v): the connection is ESTABLISHED on the router" \
		ESTABLISHED "$(conn_state "$sport")"
	touch /tmp/fg.1
	waitfor /tmp/fg.fin $pid
	sleep 0.5
	check_eq "forged ($v): a FIN with a bad checksum leaves it ESTABLISHED" \
		ESTABLISHED "$(conn_state "$sport")"
	touch /tmp/fg.2
	waitfor /tmp/fg.flow $pid
	check_eq "forged ($v): a RST with a bad checksum leaves it ESTABLISHED" \
		ESTABLISHED "$(conn_state "$sport")"
	check "forged ($v): data flows after them" test -s /tmp/fg.flow
	touch /tmp/fg.end
	wait $pid
	sed 's/^/# /' /tmp/fg.log

	# The control, on a fresh connection: the same segment with a good
	# checksum is in the window and ends the connection.
	rm -f /tmp/fg.*
	bg nsx client ctnet tcp-session $dst 22 echo mark:/tmp/fg.up \
		wait:/tmp/fg.1 forge:R mark:/tmp/fg.rst wait:/tmp/fg.end > /tmp/fg.log 2>&1
	pid=$!
	waitfor /tmp/fg.up $pid
	sport=$(cat /tmp/fg.up)
	before=$(conn_state "$sport")
	touch /tmp/fg.1
	waitfor /tmp/fg.rst $pid
	sleep 0.5
	after=$(conn_state "$sport")
	case "$before:$after" in
	ESTABLISHED:CLOSE|ESTABLISHED:none) ok "forged ($v): control: a good in-window RST ends it" ;;
	*) not_ok "forged ($v): control: a good in-window RST ends it: $before before, $after after" ;;
	esac
	touch /tmp/fg.end
	wait $pid
	sed 's/^/# /' /tmp/fg.log
}
forged v4 10.0.2.2
forged v6 fd00:2::2

at 5
# 5. PMTU, last: it changes the router's routes. Every link stays 1500, so both ends send full-sized segments;
# the router's routes to them are locked at 1280 as if a smaller link lay
# behind it, so it must send FRAG_NEEDED / PACKET_TOO_BIG for a forwarded
# flow in both directions (ip6_forward honours only a locked route MTU).
nsx router ip route replace 10.0.1.0/24 dev r0 src 10.0.1.1 mtu lock 1280
nsx router ip route replace 10.0.2.0/24 dev r1 src 10.0.2.1 mtu lock 1280
nsx router ip -6 route replace fd00:1::/64 dev r0 metric 256 mtu lock 1280
nsx router ip -6 route replace fd00:2::/64 dev r1 metric 256 mtu lock 1280
n0=$(snmp snmp OutDestUnreachs)
check "2 MB each way across a 1280 MTU (v4)" nsx client ctnet tcp-client 10.0.2.2 22 2000000 8000
n1=$(snmp snmp OutDestUnreachs)
echo "# router: $((n1 - n0)) destination unreachable (frag needed) sent"
check "the router sent FRAG_NEEDED (v4)" test "$((n1 - n0))" -gt 0
n0=$(snmp snmp6 Icmp6OutPktTooBigs)
check "2 MB each way across a 1280 MTU (v6)" nsx client ctnet tcp-client fd00:2::2 22 2000000 8000
n1=$(snmp snmp6 Icmp6OutPktTooBigs)
echo "# router: $((n1 - n0)) packet too big sent"
check "the router sent PACKET_TOO_BIG (v6)" test "$((n1 - n0))" -gt 0

# It is part of make check: keep an eye on what it costs.
echo "# realhost.sh took $(($(cut -d. -f1 /proc/uptime) - T0)) s"
tap_done
