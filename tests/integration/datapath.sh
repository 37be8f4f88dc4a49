#!/bin/sh
# The data path against nf_conntrack: real traffic, forwarded and local, IPv4
# and IPv6, and in every namespace ctrack's classification per hook must
# match what nf_conntrack says about the same packets in the same guest.
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#
# Each namespace gets an nftables table counting packets per `ct state` on
# input, forward and output at ctrack's priority (filter, 0); ctrack's counts
# come from its debug view /sys/kernel/debug/ctrack/<netns inode>. Both run
# with strict TCP pickup (nf_conntrack_tcp_loose=0). Both leave neighbour
# discovery and MLD untracked.
. /ctrack/lib/tap.sh

NSS="client router server"

ns_inum() { nsx "$1" readlink /proc/self/ns/net | tr -dc 0-9; }

nft_counting() {
	{
		echo "table inet cmp {"
		for h in input forward output; do
			for s in new established related invalid untracked; do
				echo "counter ${h}_$s { }"
			done
		done
		for h in input forward output; do
			echo "chain $h { type filter hook $h priority 0; policy accept;"
			for s in new established related invalid untracked; do
				echo "ct state $s counter name ${h}_$s"
			done
			echo "}"
		done
		echo "}"
	} > /tmp/cmp.nft
	nsx "$1" nft -f /tmp/cmp.nft
}

# "HOOK NEW ESTABLISHED RELATED INVALID UNTRACKED", one line per hook.
ct_snap() {
	awk '$1 != "conns" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print $1, v["new"], v["established"], v["related"], v["invalid"], v["untracked"]
	}' "/sys/kernel/debug/ctrack/$(ns_inum "$1")"
}

nft_snap() {
	nsx "$1" nft list counters table inet cmp | awk '
		/counter / { n = $2 }
		/packets/ { split(n, a, "_"); c[a[1] "_" a[2]] = $2 }
		END {
			split("input forward output", H, " ")
			for (i = 1; i <= 3; i++) {
				h = H[i]
				print h, c[h "_new"] + 0, c[h "_established"] + 0,
				      c[h "_related"] + 0, c[h "_invalid"] + 0, c[h "_untracked"] + 0
			}
		}'
}

# Standard input minus the snapshot in file $1, on one line.
delta() {
	awk -v base="$1" '
		BEGIN {
			while ((getline l < base) > 0) {
				split(l, f, " ")
				for (i = 2; i <= 6; i++) b[f[1] "_" i] = f[i]
			}
		}
		{
			printf "%s new=%d est=%d rel=%d inv=%d unt=%d; ", $1,
			       $2 - b[$1 "_2"], $3 - b[$1 "_3"], $4 - b[$1 "_4"],
			       $5 - b[$1 "_5"], $6 - b[$1 "_6"]
		}'
}

# Both counts at a quiet moment: ctrack's unchanged around nft's.
baseline() {
	for ns in $NSS; do
		i=0
		while :; do
			ct_snap $ns > /tmp/ct0.$ns
			nft_snap $ns > /tmp/nft0.$ns
			ct_snap $ns > /tmp/ct1.$ns
			cmp -s /tmp/ct0.$ns /tmp/ct1.$ns && break
			i=$((i + 1))
			[ $i -ge 6 ] && break
			sleep 1
		done
	done
}

# compare STEP: in each namespace the packets since the last step were
# classified alike; waits (a little) for packets still in flight.
compare() {
	for ns in $NSS; do
		i=0
		while :; do
			a=$(ct_snap $ns | delta /tmp/ct0.$ns)
			b=$(nft_snap $ns | delta /tmp/nft0.$ns)
			a2=$(ct_snap $ns | delta /tmp/ct0.$ns)
			[ "$a" = "$a2" ] && [ "$a" = "$b" ] && break
			i=$((i + 1))
			[ $i -ge 6 ] && break
			sleep 1
		done
		echo "# $1 $ns ctrack: $a"
		eval "last_$ns=\"\$a\""
		check_eq "$1: $ns classifies as nf_conntrack" "$b" "$a"
	done
	baseline
}

# saw NS HOOK FIELD: the last step's count (from compare) in NS.
saw() {
	eval "echo \"\$last_$1\"" | tr ';' '\n' | grep "$2 " | tr ' ' '\n' |
		sed -n "s/^$3=//p"
}

check "debug view exists" test -d /sys/kernel/debug/ctrack
topo_up
for ns in $NSS; do
	nsx $ns sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
	nft_counting $ns
done
check "debug view per namespace" test -r "/sys/kernel/debug/ctrack/$(ns_inum router)"
bg nsx server ctnet tcp-server 22
bg nsx server ctnet udp-server 53
# Let link-up chatter (MLD, router solicitations) settle before counting.
sleep 3
baseline

check "ping the router (v4)" nsx client ping -c 2 -W 2 10.0.1.1
check "ping the router (v6)" nsx client ping -c 2 -W 2 fd00:1::1
compare "ping router"
check "router input saw new and established" \
	test "$(saw router input new)" -ge 2 -a "$(saw router input est)" -ge 2

check "ping the server (v4)" nsx client ping -c 2 -W 2 10.0.2.2
check "ping the server (v6)" nsx client ping -c 2 -W 2 fd00:2::2
compare "ping through router"
check_eq "forwarded echo: the first request per family is NEW" 2 "$(saw router forward new)"
check_eq "forwarded echo: the second request and the replies are ESTABLISHED" 6 \
	"$(saw router forward est)"

check "TCP transfer through router (v4)" nsx client ctnet tcp-client 10.0.2.2 22 200000
check "TCP transfer through router (v6)" nsx client ctnet tcp-client fd00:2::2 22 200000
sleep 1
compare "TCP forwarded"
check "forwarded TCP: exactly one NEW per connection" test "$(saw router forward new)" = 2
check_eq "forwarded TCP: nothing invalid" 0 "$(saw router forward inv)"

check "UDP request and reply (v4)" nsx client ctnet udp-client 10.0.2.2 53
check "UDP request and reply (v6)" nsx client ctnet udp-client fd00:2::2 53
compare "UDP forwarded"
check_eq "forwarded UDP: one NEW request per family" 2 "$(saw router forward new)"
check_eq "forwarded UDP: one ESTABLISHED reply per family" 2 "$(saw router forward est)"
conns=$(sed -n 's/^conns //p' "/sys/kernel/debug/ctrack/$(ns_inum router)")
check "router keeps the UDP connections" test "$conns" -ge 2

check_exit "UDP to a closed port is refused (v4)" 3 nsx client ctnet udp-client 10.0.2.2 54 2000
check_exit "UDP to a closed port is refused (v6)" 3 nsx client ctnet udp-client fd00:2::2 54 2000
compare "ICMP port unreachable"
check_eq "the errors pass the router as RELATED" 2 "$(saw router forward rel)"
check_eq "the client receives them as RELATED" 2 "$(saw client input rel)"

check "TCP over loopback (v4)" nsx server ctnet tcp-client 127.0.0.1 22 50000
check "TCP over loopback (v6)" nsx server ctnet tcp-client ::1 22 50000
check "UDP over loopback" nsx server ctnet udp-client 127.0.0.1 53
check "ping over loopback" nsx server ping -c 2 -W 2 127.0.0.1
sleep 1
compare "loopback"
check "loopback: input saw NEW and ESTABLISHED" \
	test "$(saw server input new)" -ge 4 -a "$(saw server input est)" -ge 4

# A lone ACK belongs to no connection: INVALID under strict pickup, and so
# is the reset the server answers with.
check "forged ACK sent" nsx client ctnet raw-tcp 10.0.1.2 10.0.2.2 40000 22 A 5000 6000
sleep 1
compare "strict pickup"
check "router forward: the ACK and the RST are INVALID" \
	test "$(saw router forward inv)" -ge 2
tap_done
