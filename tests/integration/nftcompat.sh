#!/bin/sh
# nft files on ctrack against the same files on nftables + nf_conntrack, in
# the same guest and on the same traffic. For each config of the corpus
# tests/rulesets/*.nft: a fresh firewall namespace, `nft -f FILE`, the
# probes below, a fresh namespace again, `ctrackctl -f FILE`, the same
# probes; one TAP line says whether both gave the same result per probe,
# another whether nft did what the file's "# probes:" line says (that
# checks the corpus and the harness, not ctrack). Then, in a namespace of
# its own, without traffic: every corpus file survives ctrackctl's
# save / load / save unchanged, Debian's example files load (all-in-one.nft
# without its nat, mangle, raw, netdev, arp and bridge includes), each of
# those includes alone fails with FILE:LINE:COL, and every file of
# tests/rulesets/bad/ (plus generated ones: a 1 MiB line, 64 nested
# includes) fails with the message its "# expect:" line gives and leaves
# the rule set loaded before it as it was; a 100k-element set loads.
#
#        client                     router (the firewall)                  server
#   c0 10.0.1.2/24           lan0 10.0.1.1/24  | wan0 10.0.2.1/24      s0 10.0.2.2/24
#      fd00:1::2/64 ---veth---    fd00:1::1/64 |      fd00:2::1/64 ---veth--- fd00:2::2/64
#      10.0.1.66/32 (*)           10.0.1.10/32 (+)                        10.0.2.3/32 (+)
#      fd00:1::66/128 (*)         fd00:1::10/128 (+)                      fd00:2::3/128 (+)
#   (*) the "blocklisted" source: the client reaches the (+) addresses,
#       and only those, from it (routes with src); fd00:1::66 is
#       deprecated so that nothing else picks it as source. Router and
#       client know each other's MAC for (*) and the router's (+) as
#       permanent neighbours: a rule set that drops the blocklisted
#       addresses on input also drops their neighbour discovery, and
#       whether a reply then still found its way depended on timing
#       (seen with nft alone). The other addresses resolve as usual,
#       under the rule set.
#   Listeners on router and server: TCP 22 25 53 80 443 8080, UDP 53
#   (ctnet echo servers). The router is rebuilt for every run; client and
#   server stay. lt: a fourth namespace (veth lan0/wan0, no traffic) for
#   the load-only checks.
#
# Probes, all at once (ctnet, busybox ping), 2 s timeout each
# (NFTCOMPAT_TIMEOUT=MS):
#   f4-P f6-P          TCP connect and 100-byte echo client -> server:P,
#                      P in 22 25 53 80 443 8080 (forward)
#   h4-P h6-P          the same to the router's 10.0.1.1 / fd00:1::1 (input)
#   fu4-53 fu6-53      UDP echo client -> server:53 (forward)
#   hu4-53 hu6-53      UDP echo client -> router:53 (input)
#   fp4 fp6 hp4 hp6    one ping to the server (forward) / router (input)
#   o4-80 o6-80        TCP router -> server:80 (output)
#   ou4-53 ou6-53      UDP router -> server:53 (output)
#   lo4-8080 lo6-8080  TCP on the router's loopback, 127.0.0.1 / ::1
#   b4-h22 b6-h22      TCP 22 from the blocklisted source to the router (+)
#   b4-f22 b6-f22      TCP 22 from the blocklisted source to the server (+)
#   estf4 estf6        a TCP connection client -> server:8080 opened (and
#                      used) before the rule set is loaded, used again
#                      after: an established flow (forward)
#   esth4 esth6        the same to the router:8080 (input)
#   sa4 sa6            a SYN+ACK out of the blue client -> server:22
#                      (ctnet raw-tcp), counted on arrival in the server
# Results: pass; drop (timed out); refused (TCP reset or port
# unreachable); hostunreach (ICMP host unreachable or admin prohibited
# over IPv4, address unreachable over IPv6); prohibited (ICMPv6 admin
# prohibited); netunreach; reset; noconn (an est* connection failed
# before the load); noload (the file did not load). A ping that fails is
# "drop" whatever came back.
#
# Keeping the two apart: in the nft runs ctrack is loaded (by the guest's
# plan step) but the fresh namespace has its default rule set, which
# accepts everything; nf_conntrack is made to track from the start (a
# table "warm" with a ct expression, loaded before the est* connections
# open and gone with the file's `flush ruleset` or deleted right after the
# file is loaded). In the ctrack runs the router namespace has no nft
# rules at all, so nf_conntrack never hooks it (checked: its
# nf_conntrack_count stays 0). The server's probe table counts only and
# uses no ct expression. Both trackers run with strict TCP pickup
# (nf_conntrack_tcp_loose=0, ctrack's default); the router sends ICMP
# errors without rate limit (icmp_ratelimit 0), so that every rejected
# probe gets its answer whichever module sends it.
#
# Outside the guest: CTRACK_DIR=tests (the directory holding lib/ and
# rulesets/) runs it on a host with nft and tests/tools/ctnet in PATH.
# NFTCOMPAT_ONLY="a.nft b.nft": probe only these corpus files.
CT=${CTRACK_DIR:-/ctrack}
. "$CT/lib/tap.sh"
RS=$CT/rulesets
EX=/usr/share/doc/nftables/examples
W=/tmp/nc
T=${NFTCOMPAT_TIMEOUT:-2000}
NSS="client router server lt"

need nft ctrackctl ctnet ping timeout
T0=$(date +%s)

cleanup() {
	for ns in $NSS; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	done
	ip -n client link del c0 2>/dev/null
	ip -n server link del s0 2>/dev/null
	for ns in $NSS; do ip netns del "$ns" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT
cleanup
rm -rf $W
mkdir -p $W

PROBES=""
for fam in 4 6; do
	for p in 22 25 53 80 443 8080; do PROBES="$PROBES f$fam-$p"; done
	for p in 22 25 53 80 443 8080; do PROBES="$PROBES h$fam-$p"; done
done
PROBES="$PROBES fu4-53 fu6-53 hu4-53 hu6-53 fp4 fp6 hp4 hp6 o4-80 o6-80 ou4-53 ou6-53"
PROBES="$PROBES lo4-8080 lo6-8080 b4-h22 b6-h22 b4-f22 b6-f22"
PROBES="$PROBES estf4 estf6 esth4 esth6 sa4 sa6"
EST="estf4 estf6 esth4 esth6"
NPROBES=$(echo $PROBES | wc -w)

# --- the pieces, written once ---
cat > $W/client.ip <<'EOF'
addr add 10.0.1.2/24 dev c0
addr add 10.0.1.66/32 dev c0
addr add fd00:1::2/64 dev c0 nodad
addr add fd00:1::66/128 dev c0 nodad preferred_lft 0
link set c0 up
route add default via 10.0.1.1 src 10.0.1.2
route add 10.0.1.10/32 dev c0 src 10.0.1.66
route add 10.0.2.3/32 via 10.0.1.1 src 10.0.1.66
route add ::/0 via fd00:1::1 src fd00:1::2
route add fd00:1::10/128 dev c0 src fd00:1::66
route add fd00:2::3/128 via fd00:1::1 src fd00:1::66
neigh replace 10.0.1.10 lladdr 02:00:00:00:01:01 dev c0 nud permanent
neigh replace fd00:1::10 lladdr 02:00:00:00:01:01 dev c0 nud permanent
EOF
cat > $W/router.ip <<'EOF'
link set lo up
addr add 10.0.1.1/24 dev lan0
addr add 10.0.1.10/32 dev lan0
addr add fd00:1::1/64 dev lan0 nodad
addr add fd00:1::10/128 dev lan0 nodad preferred_lft 0
addr add 10.0.2.1/24 dev wan0
addr add fd00:2::1/64 dev wan0 nodad
link set lan0 up
link set wan0 up
neigh replace 10.0.1.66 lladdr 02:00:00:00:01:02 dev lan0 nud permanent
neigh replace fd00:1::66 lladdr 02:00:00:00:01:02 dev lan0 nud permanent
EOF
cat > $W/server.ip <<'EOF'
addr add 10.0.2.2/24 dev s0
addr add 10.0.2.3/32 dev s0
addr add fd00:2::2/64 dev s0 nodad
addr add fd00:2::3/128 dev s0 nodad preferred_lft 0
link set s0 up
route add default via 10.0.2.1 src 10.0.2.2
route add ::/0 via fd00:2::1 src fd00:2::2
EOF
# Echo servers in the namespace it runs in; returns when the six TCP
# listeners are up.
cat > $W/listen.sh <<'EOF'
for p in 22 25 53 80 443 8080; do ctnet tcp-server $p & done
ctnet udp-server 53 &
i=0
while [ "$(grep -c ' 0A ' /proc/net/tcp6)" -lt 6 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
EOF
# p ID CMD...: run CMD, its output to $D/ID.out, its exit status to $D/ID.rc.
cat > $W/p.sh <<'EOF'
p() { id=$1; shift; "$@" > $D/$id.out 2>&1; echo $? > $D/$id.rc; }
EOF
cat > $W/probe-client.sh <<'EOF'
D=$1 T=$2
. /tmp/nc/p.sh
for port in 22 25 53 80 443 8080; do
	p f4-$port ctnet tcp-client 10.0.2.2 $port 100 $T &
	p f6-$port ctnet tcp-client fd00:2::2 $port 100 $T &
	p h4-$port ctnet tcp-client 10.0.1.1 $port 100 $T &
	p h6-$port ctnet tcp-client fd00:1::1 $port 100 $T &
done
p fu4-53 ctnet udp-client 10.0.2.2 53 $T &
p fu6-53 ctnet udp-client fd00:2::2 53 $T &
p hu4-53 ctnet udp-client 10.0.1.1 53 $T &
p hu6-53 ctnet udp-client fd00:1::1 53 $T &
p fp4 ping -c 1 -W $((T / 1000)) 10.0.2.2 &
p fp6 ping -c 1 -W $((T / 1000)) fd00:2::2 &
p hp4 ping -c 1 -W $((T / 1000)) 10.0.1.1 &
p hp6 ping -c 1 -W $((T / 1000)) fd00:1::1 &
p b4-h22 ctnet tcp-client 10.0.1.10 22 100 $T &
p b6-h22 ctnet tcp-client fd00:1::10 22 100 $T &
p b4-f22 ctnet tcp-client 10.0.2.3 22 100 $T &
p b6-f22 ctnet tcp-client fd00:2::3 22 100 $T &
p sa4 ctnet raw-tcp 10.0.1.2 10.0.2.2 40001 22 SA 5000 6000 &
p sa6 ctnet raw-tcp fd00:1::2 fd00:2::2 40001 22 SA 5000 6000 &
wait
EOF
cat > $W/probe-router.sh <<'EOF'
D=$1 T=$2
. /tmp/nc/p.sh
p o4-80 ctnet tcp-client 10.0.2.2 80 100 $T &
p o6-80 ctnet tcp-client fd00:2::2 80 100 $T &
p ou4-53 ctnet udp-client 10.0.2.2 53 $T &
p ou6-53 ctnet udp-client fd00:2::2 53 $T &
p lo4-8080 ctnet tcp-client 127.0.0.1 8080 100 $T &
p lo6-8080 ctnet tcp-client ::1 8080 100 $T &
wait
cat /proc/sys/net/netfilter/nf_conntrack_count > $D/nfct.count 2>/dev/null
EOF
# The established flows: connect, echo, mark, wait for the rule set, echo.
cat > $W/est.sh <<'EOF'
D=$1 GO=$2
. /tmp/nc/p.sh
p estf4 ctnet tcp-session 10.0.2.2 8080 echo:100 mark:$D/estf4.up wait:$GO echo:100 &
p estf6 ctnet tcp-session fd00:2::2 8080 echo:100 mark:$D/estf6.up wait:$GO echo:100 &
p esth4 ctnet tcp-session 10.0.1.1 8080 echo:100 mark:$D/esth4.up wait:$GO echo:100 &
p esth6 ctnet tcp-session fd00:1::1 8080 echo:100 mark:$D/esth6.up wait:$GO echo:100 &
wait
EOF
# nf_conntrack tracks from the first packet of the est* flows on.
cat > $W/warm.nft <<'EOF'
table inet warm {
	chain prerouting {
		type filter hook prerouting priority 0; policy accept;
		ct state new counter
	}
}
EOF
# The server counts the SYN+ACKs that reach it, before anything else.
cat > $W/probe.nft <<'EOF'
table inet probe {
	counter sa4 { }
	counter sa6 { }
	chain pre {
		type filter hook prerouting priority -400; policy accept;
		ip saddr 10.0.1.2 tcp sport 40001 tcp dport 22 tcp flags & (syn | ack) == syn | ack counter name "sa4"
		ip6 saddr fd00:1::2 tcp sport 40001 tcp dport 22 tcp flags & (syn | ack) == syn | ack counter name "sa6"
	}
}
EOF

# --- client and server, for the whole test ---
for ns in client server; do
	ip netns add $ns
	ip -n $ns link set lo up
done
/sbin/ip netns exec server sh $W/listen.sh
nsx server nft -f $W/probe.nft || echo "# the server's probe table did not load"

router_up() {
	ip netns add router &&
	ip link add c0 address 02:00:00:00:01:02 netns client type veth \
		peer name lan0 address 02:00:00:00:01:01 netns router &&
	ip link add s0 netns server type veth peer name wan0 netns router &&
	ip -n router -b $W/router.ip &&
	nsx router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.netfilter.nf_conntrack_tcp_loose=0 net.ipv4.icmp_ratelimit=0 \
		net.ipv6.icmp.ratelimit=0 &&
	ip -n client -b $W/client.ip &&
	ip -n server -b $W/server.ip &&
	/sbin/ip netns exec router sh $W/listen.sh
}

router_down() {
	for p in $(ip netns pids router 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	ip -n client link del c0 2>/dev/null
	ip -n server link del s0 2>/dev/null
	ip netns del router 2>/dev/null
}

# result DIR ID: R becomes the probe's result.
result() {
	local d=$1 id=$2 rc line
	R=noload
	[ "$LOADRC" = 0 ] || return
	R=missing
	[ -e "$d/$id.rc" ] || return
	read -r rc < "$d/$id.rc"
	case $id in
	sa4) if [ "$rc" != 0 ]; then R=senderr; elif [ "${SA4:-0}" -gt 0 ]; then R=pass; else R=drop; fi; return ;;
	sa6) if [ "$rc" != 0 ]; then R=senderr; elif [ "${SA6:-0}" -gt 0 ]; then R=pass; else R=drop; fi; return ;;
	est*) [ -e "$d/$id.up" ] || { R=noconn; return; } ;;
	esac
	if [ "$rc" = 0 ]; then R=pass; return; fi
	case $id in fp? | hp?) R=drop; return ;; esac
	R=rc$rc
	while read -r line; do
		case $line in
		*"timed out"*) R=drop ;;
		*refused*) R=refused ;;
		*"No route to host"*) R=hostunreach ;;
		*"Permission denied"*) R=prohibited ;;
		*"Network is unreachable"*) R=netunreach ;;
		*"reset by peer"*) R=reset ;;
		esac
	done < "$d/$id.out"
}

# run SIDE FILE: a fresh router, FILE loaded by SIDE (nft, ctrack, or none:
# nothing loaded), the probes. Writes $W/res.SIDE (ID=RESULT lines, in
# $PROBES order) and $W/load.SIDE (the loader's output); LOADRC.
run() {
	local side=$1 f=$2 D=$W/p.$1 estpid a b id i n
	rm -rf "$D" $W/go
	mkdir -p "$D"
	if ! router_up > "$D/setup" 2>&1; then
		echo "# router setup failed:"; sed 's/^/#   /' "$D/setup" | head -5
	fi
	[ "$side" = nft ] && nsx router nft -f $W/warm.nft
	/sbin/ip netns exec client sh $W/est.sh "$D" $W/go &
	estpid=$!
	i=0
	while [ $i -lt 50 ]; do
		n=0
		for id in $EST; do [ -e "$D/$id.up" ] || [ -e "$D/$id.rc" ] && n=$((n + 1)); done
		[ $n = 4 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	LOADRC=0
	case $side in
	nft)
		(cd "$(dirname "$f")" && nsx router nft -I "$RS" -f "$f") > $W/load.$side 2>&1 || LOADRC=$?
		nsx router nft delete table inet warm 2>/dev/null
		;;
	ctrack)
		(cd "$(dirname "$f")" && nsx router ctrackctl -f "$f") > $W/load.$side 2>&1 || LOADRC=$?
		;;
	*) : > $W/load.$side ;;
	esac
	touch $W/go
	if [ $LOADRC = 0 ]; then
		/sbin/ip netns exec client sh $W/probe-client.sh "$D" $T &
		a=$!
		/sbin/ip netns exec router sh $W/probe-router.sh "$D" $T &
		b=$!
		wait $a
		wait $b
	fi
	wait $estpid
	[ -n "${NFTCOMPAT_DEBUG:-}" ] && nsx router sh -c "$NFTCOMPAT_DEBUG" > "$D/debug" 2>&1
	nsx server nft reset counters table inet probe > "$D/sa" 2>&1
	SA4=$(awk '/counter sa4/ { c = 1 } c && /packets/ { print $2; exit }' "$D/sa")
	SA6=$(awk '/counter sa6/ { c = 1 } c && /packets/ { print $2; exit }' "$D/sa")
	if [ "$side" = ctrack ] && [ -r "$D/nfct.count" ]; then
		read -r n < "$D/nfct.count"
		[ "$n" -gt "$NFCT_MAX" ] && NFCT_MAX=$n
	fi
	: > $W/res.$side
	for id in $PROBES; do
		result "$D" "$id"
		echo "$id=$R" >> $W/res.$side
	done
	router_down
}

oneline() { tr '\n' ' ' < "$1"; }

# --- the harness itself: with no rules every probe passes ---
NFCT_MAX=0
run none ""
bad=$(grep -v '=pass$' $W/res.none | tr '\n' ' ')
if [ -z "$bad" ]; then
	ok "no rules: all $NPROBES probes pass"
else
	not_ok "no rules: all $NPROBES probes pass: $bad"
fi

# --- the corpus, nft against ctrack ---
for f in "$RS"/*.nft; do
	name=$(basename "$f")
	case " ${NFTCOMPAT_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	t=$(date +%s)
	run nft "$f"
	nftrc=$LOADRC
	run ctrack "$f"
	ctrc=$LOADRC
	echo "# $name nft: $(oneline $W/res.nft)"
	if [ "$nftrc" = 0 ] && [ "$ctrc" = 0 ]; then
		ok "$name: nft -f and ctrackctl -f load it"
	else
		not_ok "$name: nft -f and ctrackctl -f load it: nft exit $nftrc," \
			"ctrackctl exit $ctrc"
		[ "$nftrc" = 0 ] || sed 's/^/#   nft: /' $W/load.nft | head -5
		[ "$ctrc" = 0 ] || sed 's/^/#   ctrackctl: /' $W/load.ctrack | head -5
	fi
	diff=$(awk -F= 'NR == FNR { a[$1] = $2; next }
		a[$1] != $2 { printf "%s%s (nft %s, ctrack %s)", sep, $1, a[$1], $2; sep = "; " }' \
		$W/res.nft $W/res.ctrack)
	if [ "$nftrc" != 0 ] || [ "$ctrc" != 0 ]; then
		not_ok "$name: ctrack and nft agree on the $NPROBES probes: not compared, a load failed"
	elif [ -z "$diff" ]; then
		ok "$name: ctrack and nft agree on the $NPROBES probes"
	else
		not_ok "$name: ctrack and nft agree on the $NPROBES probes: $diff"
		echo "# $name ctrack: $(oneline $W/res.ctrack)"
	fi
	want=$(sed -n 's/^# probes: *//p' "$f" | head -1)
	miss=$(echo "$want" | tr ' ' '\n' | awk -F= -v res=$W/res.nft '
		BEGIN { while ((getline l < res) > 0) { split(l, kv, "="); r[kv[1]] = kv[2] } }
		NF == 2 && r[$1] != $2 { printf "%s%s=%s (nft %s)", sep, $1, $2, r[$1]; sep = "; " }')
	if [ -z "$want" ]; then
		not_ok "$name: nft does what its \"# probes:\" line says: the file has none"
	elif [ -z "$miss" ]; then
		ok "$name: nft does what its \"# probes:\" line says"
	else
		not_ok "$name: nft does what its \"# probes:\" line says: $miss"
	fi
	echo "# $name: $(($(date +%s) - t)) s"
done
check_eq "nf_conntrack tracked nothing on the router in ctrack's runs (nf_conntrack_count)" 0 "$NFCT_MAX"

# --- loads without traffic, in namespace lt ---
ip netns add lt
ip -n lt link set lo up
ip -n lt link add lan0 type veth peer name wan0
LT() { nsx lt "$@"; }

# Round trip: what ruleset save prints loads back to the same rule set.
for f in "$RS"/*.nft; do
	name=$(basename "$f")
	rm -f $W/rt.a $W/rt.b
	(cd "$RS" && LT sh -c "ctrackctl -f '$f' && ctrackctl ruleset save > $W/rt.a &&
		ctrackctl ruleset load $W/rt.a && ctrackctl ruleset save > $W/rt.b") > $W/rt.err 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		not_ok "$name: save, load, save gives the same rule set: exit $rc"
		sed 's/^/#   /' $W/rt.err | head -5
	elif [ ! -s $W/rt.a ]; then
		not_ok "$name: save, load, save gives the same rule set: ruleset save printed nothing"
	elif cmp -s $W/rt.a $W/rt.b; then
		ok "$name: save, load, save gives the same rule set"
	else
		not_ok "$name: save, load, save gives the same rule set: they differ"
		diff $W/rt.a $W/rt.b 2>&1 | head -10 | sed 's/^/#   /'
	fi
	if [ "$name" = saved-counters.nft ]; then
		check "saved-counters.nft: the counters start where the file says (packets 12 bytes 3456 in ruleset save)" \
			sh -c "grep -q 'packets 12 bytes 3456' $W/rt.a && grep -q 'packets 80211 bytes 97001344' $W/rt.a"
	fi
done

# Debian's examples.
if [ -d "$EX" ]; then
	for e in workstation inet-filter ipv4-filter ipv6-filter; do
		check "Debian's $e.nft loads" LT ctrackctl -f "$EX/$e.nft"
	done
	mkdir -p $W/ex
	cp "$EX"/*.nft $W/ex/
	RM='[^"/]*(nat|mangle|raw|netdev|arp|bridge)[^"/]*\.nft'
	grep -vE "^include \"\./$RM\"" $W/ex/all-in-one.nft > $W/ex/all-in-one-filter.nft
	removed=$(grep -E "^include \"\./$RM\"" $W/ex/all-in-one.nft | sed 's/^include "\.\/\(.*\)"$/\1/')
	check_eq "all-in-one.nft has 10 includes to leave out" 10 "$(echo $removed | wc -w)"
	check "all-in-one.nft without them loads (inet, ip and ip6 filter tables)" \
		sh -c "cd $W/ex && /sbin/ip netns exec lt ctrackctl -f all-in-one-filter.nft"
	for x in $removed; do
		(cd $W/ex && LT ctrackctl -f "$x") > $W/ex.err 2>&1
		rc=$?
		xre=$(echo "$x" | sed 's/\./\\./g')
		if [ $rc != 0 ] && grep -qE "$xre:[0-9]+:[0-9]+:" $W/ex.err; then
			ok "Debian's $x alone fails with $x:LINE:COL"
		else
			not_ok "Debian's $x alone fails with $x:LINE:COL: exit $rc, $(head -1 $W/ex.err)"
		fi
	done
	(cd $W/ex && LT ctrackctl -f all-in-one.nft) > $W/ex.err 2>&1
	rc=$?
	if [ $rc != 0 ] && grep -qE "$RM:[0-9]+:[0-9]+:" $W/ex.err; then
		ok "all-in-one.nft as it is fails, naming the included file and its line"
	else
		not_ok "all-in-one.nft as it is fails, naming the included file and its line: exit $rc, $(head -1 $W/ex.err)"
	fi
else
	ok "# SKIP no $EX in the guest"
fi

# The bad corpus: each load fails with its message and changes nothing.
# baseline: the rule set each bad file meets (again after one that got
# through or changed it, so that one failure does not spill over).
baseline() {
	(cd "$RS" && LT ctrackctl -f "$RS/web-server.nft") > $W/base.err 2>&1 ||
		{ echo "# the rule set before the bad files did not load:"; sed 's/^/#   /' $W/base.err | head -3; }
	LT ctrackctl ruleset save > $W/before 2>&1
}
baseline
# refused FILE REGEX [TIMEOUT]
refused() {
	local f=$1 re=$2 name rc
	name=${f#"$RS"/}
	[ "$name" = "$f" ] && name="generated $(basename "$f")"
	(cd "$(dirname "$f")" && LT timeout "${3:-60}" ctrackctl -f "$f") > $W/bad.err 2>&1
	rc=$?
	LT ctrackctl ruleset save > $W/after 2>&1
	if [ $rc != 1 ]; then
		not_ok "$name: refused with /$re/, rule set unchanged: exit $rc (1 expected)"
		sed 's/^/#   /' $W/bad.err | cut -c1-200 | head -3
	elif ! grep -qE "$re" $W/bad.err || ! grep -qE '\.nft:[0-9]+:[0-9]+: error: ' $W/bad.err; then
		not_ok "$name: refused with /$re/, rule set unchanged: the message was"
		sed 's/^/#   /' $W/bad.err | cut -c1-200 | head -3
	elif ! cmp -s $W/before $W/after; then
		not_ok "$name: refused with /$re/, rule set unchanged: the rule set changed"
		diff $W/before $W/after 2>&1 | head -10 | sed 's/^/#   /'
	else
		ok "$name: refused with /$re/, rule set unchanged"
	fi
	cmp -s $W/before $W/after || baseline
}
for f in "$RS"/bad/*.nft; do
	re=$(sed -n '1s/^# expect: //p' "$f")
	if [ -z "$re" ]; then
		not_ok "${f#"$RS"/}: has a first line \"# expect: REGEX\""
		continue
	fi
	refused "$f" "$re"
done

# Generated: 64 nested includes.
mkdir -p $W/deep
i=1
while [ $i -lt 64 ]; do
	echo "include \"d$((i + 1)).nft\"" > $W/deep/d$i.nft
	i=$((i + 1))
done
printf 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\t}\n}\n' > $W/deep/d64.nft
refused $W/deep/d1.nft 'd[0-9]+\.nft:[0-9]+:[0-9]+: error: .*(deep|depth|nest|level|too many|limit)'

# Generated: a comment of 1 MiB on line 5.
awk 'BEGIN {
	s = "x"; while (length(s) < 1048576) s = s s
	print "flush ruleset"
	print "table inet filter {"
	print "\tchain input {"
	print "\t\ttype filter hook input priority 0; policy accept;"
	print "\t\ttcp dport 22 accept comment \"" s "\""
	print "\t}"
	print "}"
}' > $W/line-1mib.nft
refused $W/line-1mib.nft 'line-1mib\.nft:5:[0-9]+: error: .*(long|length|size|big|limit|max|exceed)'

# Generated: a set of 100,000 addresses (every other one from 10.128.0.0)
# must load, and ruleset save must list all of them.
awk 'BEGIN {
	print "flush ruleset"
	print "table inet filter {"
	print "\tset big {"
	print "\t\ttype ipv4_addr"
	printf "\t\telements = {"
	for (i = 0; i < 100000; i++) {
		a = 2 * i
		printf "%s%s10.%d.%d.%d", (i ? "," : " "), (i % 8 ? " " : "\n\t\t\t"),
		       128 + int(a / 65536), int(a / 256) % 256, a % 256
	}
	print " }"
	print "\t}"
	print "\tchain input {"
	print "\t\ttype filter hook input priority 0; policy accept;"
	print "\t\tip saddr @big drop"
	print "\t}"
	print "}"
}' > $W/set-100k.nft
t=$(date +%s)
check "a 100k-element set loads ($(wc -c < $W/set-100k.nft) bytes)" LT timeout 300 ctrackctl -f $W/set-100k.nft
echo "# the 100k-element load took $(($(date +%s) - t)) s"
n=$(LT ctrackctl ruleset save 2>&1 | grep -oE '10\.1(2[89]|3[01])\.[0-9]+\.[0-9]+' | wc -l)
check_eq "ruleset save lists its 100000 elements" 100000 "$n"

echo "# nftcompat: $(($(date +%s) - T0)) s"
tap_done
