#!/bin/sh
# The benchmark, run inside the perf kernel by tests/bench.sh (plan step
# "run sh /ctrack/bench/guest.sh ROUNDS SECONDS LEVELS [PROFILE [BASE]]").
#
#   client (pktgen on c0) --veth-- router (the firewall) --veth-- server (s0)
#
# Configurations, interleaved A B C A B C ...:
#   A  no firewall: plain forwarding;
#   B  nf_conntrack + nftables with the seed ruleset (tests/bench/seed.nft);
#   C  ctrack with the same ruleset applied by ctrackctl (seed.rules).
#   C0 (BASE, 5th argument, given): ctrack built at revision BASE
#      (/ctrack/base/ctrack.ko), loaded and configured as C is; each round
#      runs A B C0 C or A B C C0, alternately, so neither module always
#      comes second.
# Only one of them is active at a time: ctrack is unloaded during A and B,
# and the nft ruleset (hence nf_conntrack's hooks) exists only during B.
#
# pktgen's kernel thread for CPU 0 sends from the client namespace; veth
# hands each packet to the router's backlog on the same CPU, and the
# softirq runs when pktgen re-enables BHs, so the whole forwarding path,
# firewall decision and confirm step included, is paid on CPU 0 and the
# send rate is the forwarding rate. Forwarded packets are counted on the
# server's s0: the router resolves 10.0.2.2 to a MAC that s0 does not own,
# so s0 counts the packet and drops it as PACKET_OTHERHOST before IP
# (no replies, no sockets). Dropped scan packets are counted on r0.
#
# Output: "@@R METRIC CONFIG ROUND VALUE" lines, parsed on the host by
# tests/bench/report.py; "# ..." lines are diagnostics.
#
# After its scan test, each of B and C loads the seed ruleset again with a
# 10,000-address set and a 1,000-port set matched ahead of every base
# chain's rules (/tmp/seed-sets.nft, one file for nft -f and ctrackctl -f)
# and measures new connections and scan drops again ("snew", "sscan").
#
# PROFILE (4th argument) non-zero: B's and C's est, new and scan
# measurements are each run a second time under perf record -a -g -e
# cpu-clock (the reported rates come from the unprofiled runs), then the
# top symbols of perf report for CPU 0 (where pktgen and the whole
# forwarding path run) go out between "@@ PERF CONFIG METRIC ROUND ..."
# and "@@ PERFEND" lines.
. /ctrack/lib/tap.sh
trap - EXIT
ROUNDS=${1:-3} SECS=${2:-3} LEVELS=${3:-10000,100000,1000000} PROFILE=${4:-0}
BASE=${5:-}
LEVELS=$(echo "$LEVELS" | tr , ' ')
PG=/proc/net/pktgen
CT_BUCKETS=1048576 CT_MAX=2200000

log() { echo "# $*"; }
res() { echo "@@R $*"; }

# ctcfg CFG: whether CFG is one of ctrack's; ko CFG: its module.
ctcfg() { [ "$1" = C ] || [ "$1" = C0 ]; }
ko() { if [ "$1" = C0 ]; then echo /ctrack/base/ctrack.ko; else echo /ctrack/ctrack.ko; fi; }
if [ -n "$BASE" ]; then
	[ -f /ctrack/base/ctrack.ko ] || { echo "BASE $BASE: no /ctrack/base/ctrack.ko"; exit 1; }
	echo "@@BASE $BASE"
fi

# The seed ruleset with the sets: "ip saddr @block drop" and "udp dport
# @ports drop" first in every base chain; no probe is in either set.
awk 'BEGIN {
	print "flush ruleset"
	print "table inet filter {"
	printf "\tset block {\n\t\ttype ipv4_addr\n\t\telements = { "
	for (i = 0; i < 10000; i++)
		printf "%s198.%d.%d.%d", i ? ", " : "", 18 + int(i / 65536), int(i / 256) % 256, i % 256
	print " }\n\t}"
	printf "\tset ports {\n\t\ttype inet_service\n\t\telements = { "
	for (i = 0; i < 1000; i++)
		printf "%s%d", i ? ", " : "", 30000 + i
	print " }\n\t}"
}
/^table / { body = 1; next }
body {
	print
	if ($0 ~ /type filter hook/) {
		print "\t\tip saddr @block counter drop"
		print "\t\tudp dport @ports counter drop"
	}
}' /ctrack/bench/seed.nft > /tmp/seed-sets.nft

# ctrack is loaded by the plan step; A and B run without it.
rmmod ctrack || { echo "cannot unload ctrack"; exit 1; }
insmod /ctrack/pktgen.ko || { echo "cannot load pktgen.ko"; exit 1; }
# conntrack -F in B needs nf_conntrack_netlink (a module, not loaded); with
# it loaded, C's ctrack goes without its own ctnetlink, which C never uses.
insmod /ctrack/nf_conntrack_netlink.ko || log "cannot load nf_conntrack_netlink.ko"
# nf_conntrack is built in; give it the same table ctrack gets.
sysctl -qw net.netfilter.nf_conntrack_buckets=$CT_BUCKETS
sysctl -qw net.netfilter.nf_conntrack_max=$CT_MAX
log "nf_conntrack buckets $(cat /proc/sys/net/netfilter/nf_conntrack_buckets)" \
	"max $(cat /proc/sys/net/netfilter/nf_conntrack_max)"

# pgdev LINE...: configure the client's pktgen device c0, one command each.
pgdev() {
	for l in "$@"; do
		nsx client sh -c "echo '$l' > $PG/c0" || log "pktgen: '$l' failed"
	done
}
pgctl() { nsx client sh -c "echo $1 > $PG/pgctrl"; }
rxof() { nsx "$1" cat "/sys/class/net/$2/statistics/rx_packets"; }
usec() { nsx client sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' $PG/c0; }

# flow DST DPORT SRC_MIN SRC_MAX SPORT_MIN SPORT_MAX [COUNT]
flow() {
	pgdev "count ${7:-0}" "dst $1" "udp_dst_min $2" "udp_dst_max $2" \
		"src_min $3" "src_max $4" "udp_src_min $5" "udp_src_max $6"
}

if [ "$PROFILE" != 0 ]; then
	# Kernel and module addresses for perf; any event for root.
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	command -v perf >/dev/null || { log "PROFILE: no perf in the guest"; PROFILE=0; }
fi
PERF_DATA=/tmp/perf.data

# profiled CFG: whether measurements of CFG are profiled.
profiled() { [ "$PROFILE" != 0 ] && [ "$1" != A ]; }

# hold PROF: wait SECS seconds, under perf record when PROF is 1.
hold() {
	if [ "$1" = 1 ]; then
		perf record -N -q -a -g -e cpu-clock -o $PERF_DATA -- \
			sleep "$SECS" >/dev/null 2>&1 || log "perf record failed"
	else
		sleep "$SECS"
	fi
}

# perf_top PPS MAX RE [perf report options]: "ns/pkt pct [k] symbol"
# lines for CPU 0 of $PERF_DATA, those matching the awk regex RE. With
# CPU 0 busy, a share times 1e9/PPS is that symbol's cost per packet.
perf_top() {
	pps=$1 max=$2 re=$3
	shift 3
	perf report -i $PERF_DATA --stdio --no-children -g none --cpu 0 \
		--percent-limit 0.1 "$@" 2>/dev/null |
		awk -v pps="$pps" -v max="$max" -v re="$re" '
			/^#/ || NF == 0 || $0 !~ re { next }
			{ n++; if (n > max) exit
			  pct = $1; sub("%", "", pct)
			  printf "%7.1f ns/pkt  %s\n", (pps > 0 ? pct * 1e7 / pps : 0), $0 }'
}

# profile CFG METRIC ROUND PPS NS DEV: the measurement that gave PPS again
# under perf (its own rate is perturbed and only logged), then the top
# symbols, per DSO, and the tracker's own symbols (ctrack's module for
# C; nf_*, nft_* and *conntrack* for B), priced at the unprofiled PPS.
profile() {
	cfg=$1 metric=$2 round=$3 pps=$4
	v=$(measure "$5" "$6" 1)
	echo "@@ PERF $cfg $metric $round pps=$pps profiled_pps=$v"
	perf report -i $PERF_DATA --stdio --cpu 0 2>/dev/null | grep '^# Samples'
	perf_top "$pps" 40 . --sort sym
	echo "## by DSO"
	perf_top "$pps" 5 . --sort dso
	echo "## the tracker's own symbols"
	if ctcfg "$cfg"; then
		perf_top "$pps" 30 . --sort sym --dsos '[ctrack]'
	else
		# nf_conntrack is built in: by name.
		perf_top "$pps" 30 'nf_|nft_|conntrack|ct_' --sort sym
	fi
	echo "@@ PERFEND"
	rm -f $PERF_DATA
}

# empty CFG: flush the tracker's table.
empty() {
	[ "$1" = B ] && nsx router conntrack -F >/dev/null 2>&1
	ctcfg "$1" && nsx router ctrackctl conn flush >/dev/null
	sleep 1
}

# measure NS DEV [PROF]: run pktgen for SECS seconds; prints packets/s
# counted on NS's DEV over pktgen's own run time. PROF=1: under perf.
measure() {
	b=$(rxof "$1" "$2")
	nsx client sh -c "echo start > $PG/pgctrl" &
	p=$!
	hold "${3:-0}"
	pgctl stop
	wait $p
	a=$(rxof "$1" "$2")
	u=$(usec)
	log "pktgen: $(nsx client grep -E 'Result|sofar|errors' $PG/c0 | tr -s ' \n' ' '), counted $((a - b))" >&2
	[ -n "$u" ] && [ "$u" -gt 0 ] || { log "no pktgen result"; echo 0; return; }
	echo $(( (a - b) * 1000000 / u ))
}

# fill N DPORT: N new, distinct, accepted UDP tuples (pktgen walks source
# addresses and ports together; the dport keeps each fill's tuples apart).
fill() {
	flow 10.0.2.2 "$2" 10.0.1.2 10.0.1.254 1024 65535 "$1"
	pgctl start
}

# Sends a few packets of the established flow and the server's reply, so
# the flow is ESTABLISHED for both trackers.
establish() {
	flow 10.0.2.2 9001 10.0.1.2 10.0.1.2 9000 9000 5
	pgctl start
	nsx server ctnet udp-client 10.0.1.2 9000 200 9001 >/dev/null 2>&1
	flow 10.0.2.2 9001 10.0.1.2 10.0.1.2 9000 9000
}

conns() {
	case $1 in
	B) nsx router cat /proc/sys/net/netfilter/nf_conntrack_count ;;
	C | C0) nsx router ctrackctl conn count ;;
	*) echo 0 ;;
	esac
}

# Bytes in all slab caches (objects, per-CPU and partial slabs included).
slab_bytes() {
	awk 'NR > 2 { b += $15 * $6 * 4096 } END { printf "%d\n", b }' /proc/slabinfo
}

setup() {
	topo_up
	# The server's MAC is never learned: s0 counts and drops.
	nsx router ip neigh replace 10.0.2.2 lladdr 02:00:00:00:00:99 dev r1 nud permanent
	mac=$(nsx router cat /sys/class/net/r0/address)
	nsx client sh -c "echo rem_device_all > $PG/kpktgend_0; echo add_device c0 > $PG/kpktgend_0"
	pgdev "clone_skb 0" "pkt_size 64" "delay 0" "dst_mac $mac" "flag NO_TIMESTAMP"
	case $1 in
	B)
		nsx router nft -f /ctrack/bench/seed.nft || log "nft -f failed"
		nsx router sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600
		nsx router sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream=3600
		;;
	C | C0)
		insmod "$(ko "$1")" buckets=$CT_BUCKETS max_conns=$CT_MAX || log "insmod failed"
		while read -r line; do
			# shellcheck disable=SC2086
			nsx router ctrackctl $line >/dev/null || log "ctrackctl $line failed"
		done < /ctrack/bench/seed.rules
		nsx router ctrackctl timeout set udp 3600 >/dev/null
		nsx router ctrackctl timeout set udp stream 3600 >/dev/null
		;;
	esac
}

teardown() {
	case $1 in
	B) nsx router conntrack -F >/dev/null 2>&1 ;;
	C | C0) nsx router ctrackctl conn flush >/dev/null ;;
	esac
	for ns in client router server; do ip netns del $ns; done
	sleep 1
	if ctcfg "$1"; then
		rmmod ctrack || log "rmmod ctrack failed"
	fi
}

one() {
	cfg=$1 r=$2
	log "$cfg round $r: setup" >&2
	setup "$cfg"
	establish
	v=$(measure server s0)
	res est "$cfg" "$r" "$v"
	profiled "$cfg" && profile "$cfg" est "$r" "$v" server s0

	# Lookup scaling: the established flow with more and more entries.
	# First, on a fresh table: later tests' freed objects would sit in
	# partial slabs and hide the fill's memory.
	s0=$(slab_bytes) n0=$(conns "$cfg")
	done_n=0 port=10001
	for level in $LEVELS; do
		if [ "$cfg" != A ]; then
			fill $((level - done_n)) $port
			port=$((port + 1))
			done_n=$level
		fi
		establish
		res "l$level" "$cfg" "$r" "$(measure server s0)"
		log "$cfg round $r: $(conns "$cfg") connections at level $level"
	done
	if [ "$cfg" != A ]; then
		n1=$(conns "$cfg") s1=$(slab_bytes)
		res conns "$cfg" "$r" "$((n1 - n0))"
		[ "$n1" -gt "$n0" ] && res bpc "$cfg" "$r" "$(( (s1 - s0) / (n1 - n0) ))"
		grep -E '^(nf_conntrack|ct_conn|kmalloc-(64|96|128|192|256) )' /proc/slabinfo |
			awk -v c="$cfg" '{ print "# " c " slab " $1 " objs " $3 " objsize " $4 }'
	fi
	# Empty the table again for the rate tests.
	[ "$cfg" != A ] && empty "$cfg"

	# New connections: every packet a new tuple, accepted by forward.
	flow 10.0.2.2 9002 10.0.1.2 10.0.1.254 1024 65535
	v=$(measure server s0)
	res new "$cfg" "$r" "$v"
	log "$cfg round $r: $(conns "$cfg") connections after the new test"
	if profiled "$cfg"; then
		# From an empty table again, as measured; the profiled run
		# leaves the table as full for the scan test as the measured one.
		empty "$cfg"
		profile "$cfg" new "$r" "$v" server s0
	fi

	# Scan: new tuples to a closed port of the router itself; the input
	# chain's "ct state new drop" drops them (A: UDP finds no socket).
	flow 10.0.1.1 9999 10.0.1.2 10.0.1.254 1024 65535
	v=$(measure router r0)
	res scan "$cfg" "$r" "$v"
	profiled "$cfg" && profile "$cfg" scan "$r" "$v" router r0
	ctcfg "$cfg" && log "$cfg scan: $(nsx router ctrackctl rule list input | grep 'ct state new counter.*drop')"
	[ "$cfg" = B ] && log "B scan: $(nsx router nft list chain inet filter input | grep 'ct state new counter.*drop')"

	# The same, with the sets ahead of the seed rules.
	if [ "$cfg" = B ] || [ "$cfg" = C ]; then
		empty "$cfg"
		if [ "$cfg" = B ]; then
			nsx router nft -f /tmp/seed-sets.nft || log "nft -f seed-sets failed"
		else
			nsx router ctrackctl -f /tmp/seed-sets.nft || log "ctrackctl -f seed-sets failed"
		fi
		flow 10.0.2.2 9002 10.0.1.2 10.0.1.254 1024 65535
		res snew "$cfg" "$r" "$(measure server s0)"
		flow 10.0.1.1 9999 10.0.1.2 10.0.1.254 1024 65535
		res sscan "$cfg" "$r" "$(measure router r0)"
		ctcfg "$cfg" && log "$cfg sets scan: $(nsx router ctrackctl rule list input | grep 'ct state new counter.*drop')"
	fi

	teardown "$cfg"
}

start=$(date +%s)
r=1
while [ $r -le "$ROUNDS" ]; do
	cfgs="A B C"
	if [ -n "$BASE" ]; then
		cfgs="A B C0 C"
		[ $((r % 2)) = 0 ] && cfgs="A B C C0"
	fi
	for cfg in $cfgs; do
		one $cfg $r
	done
	log "round $r done at $(( $(date +%s) - start )) s"
	r=$((r + 1))
done

# Per-expectation memory: the slab object each tracker allocates for one.
res expobj B 1 "$(awk '$1 == "nf_conntrack_expect" { print $4 }' /proc/slabinfo)"
rmmod pktgen
rmmod nf_conntrack_netlink
insmod /ctrack/ctrack.ko
res expobj C 1 "$(awk '$1 == "ct_expect" { print $4 }' /proc/slabinfo)"
if [ -n "$BASE" ]; then
	# And per connection, for both modules.
	res connobj C 1 "$(awk '$1 == "ct_conn" { print $4 }' /proc/slabinfo)"
	rmmod ctrack
	insmod /ctrack/base/ctrack.ko
	res expobj C0 1 "$(awk '$1 == "ct_expect" { print $4 }' /proc/slabinfo)"
	res connobj C0 1 "$(awk '$1 == "ct_conn" { print $4 }' /proc/slabinfo)"
fi
exit 0
