#!/bin/sh
# Debian's conntrack(8), unmodified, against ctrack's table through ctrack's
# ctnetlink layer, nf_conntrack_netlink not loaded: -L (plain, extended,
# filtered by protocol and port, source, family), -G, -C, -S, -D (the seed
# documents' command), -F; each answer compared with what ctrackctl says
# about the same table. Then the same traffic through nf_conntrack + nft,
# and conntrack -L's lines of both compared after masking what must
# differ; last the coexistence cases (nf_conntrack_netlink first, and
# ctnetlink=0).
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1, fd00:1::1)
#                                         servers on 22, 80 (TCP), 53 (UDP)
#
. /ctrack/lib/tap.sh
need conntrack ctrackctl nft

R() { /sbin/ip netns exec router ctrackctl "$@"; }
C() { /sbin/ip netns exec router conntrack "$@"; }
loaded() { grep -q "^$1 " /proc/modules; }

check_fails "nf_conntrack_netlink is not loaded" loaded nf_conntrack_netlink
check_fails "ctrack did not find ctnetlink taken" sh -c 'dmesg | grep -q "ctnetlink is taken"'
dmesg -c >/dev/null
check_eq "setting list: ctnetlink 1" "ctnetlink 1" "$(ctrackctl setting list | grep ctnetlink)"
check_exit "setting set ctnetlink: read-only" 1 ctrackctl setting set ctnetlink 0

topo_up
# TCG under load is slow: entries must not expire between two checks
for c in "udp" "udp stream" "icmp" "tcp syn_sent" "tcp fin_wait" "tcp time_wait" \
	"tcp close_wait" "tcp last_ack" "tcp close"; do
	# shellcheck disable=SC2086
	R timeout set $c 3600
done
bg nsx router ctnet tcp-server 22
bg nsx router ctnet tcp-server 80
bg nsx router ctnet udp-server 53
sleep 1

# The same flows twice, from source ports $2 + 22 ...: for ctrack now,
# for nf_conntrack at the end.
traffic() {
	check "$1: tcp 22" nsx client ctnet tcp-client 10.0.1.1 22 1000 3000 $(($2 + 22))
	check "$1: tcp 80" nsx client ctnet tcp-client 10.0.1.1 80 1000 3000 $(($2 + 80))
	check "$1: udp 53" nsx client ctnet udp-client 10.0.1.1 53 3000 $(($2 + 53))
	check "$1: tcp 22 over ipv6" nsx client ctnet tcp-client fd00:1::1 22 1000 3000 $(($2 + 122))
	check "$1: udp 53 over ipv6" nsx client ctnet udp-client fd00:1::1 53 3000 $(($2 + 153))
	check "$1: ping" nsx client ping -c 1 -W 2 10.0.1.1
	sleep 1
}
traffic ctrack 40000
# strip: a -o extended line without its family columns; m3: timeout masked
strip() { sed -E 's/^ipv[46] +[0-9]+ //' "$@"; }
m3() { awk '{ $3 = "T"; print }' "$@"; }
states() { awk '{ s = ($6 ~ /^src=/) ? "-" : $6; print $1, $3, s }' "$@" | sort; }

# ctrackctl's lines are conntrack -o extended's, with counters.
R conn list 2>/dev/null | sort > /tmp/ctl
C -L -o extended > /tmp/ext 2>/tmp/ext.err
sort /tmp/ext > /tmp/ext.sorted
n=$(wc -l < /tmp/ctl)
check "ctrackctl lists connections ($n)" test "$n" -ge 6
check_eq "conntrack -L summary" "conntrack v1.4.7 (conntrack-tools): $n flow entries have been shown." \
	"$(cat /tmp/ext.err)"
# ctrackctl writes IPv6 addresses in full, conntrack compressed: IPv4 by line.
check_eq "conntrack -L -o extended = ctrackctl conn list (IPv4, timeouts masked)" \
	"$(grep '^ipv4 ' /tmp/ctl | strip | m3)" "$(grep '^ipv4 ' /tmp/ext.sorted | strip | m3)"
check_eq "... and as many IPv6 lines" "$(grep -c '^ipv6 ' /tmp/ctl)" "$(grep -c '^ipv6 ' /tmp/ext)"
check_eq "... in the same states" "$(states /tmp/ctl)" "$(states /tmp/ext)"
sed 's/^/#   conntrack -L -o extended: /' /tmp/ext
check_eq "conntrack -L is -o extended without the family columns" \
	"$(strip /tmp/ext | m3 | sort)" "$(C -L 2>/dev/null | m3 | sort)"
check "TCP 22 is listed ESTABLISHED or closing, [ASSURED], with counters" grep -Eq \
	'^ipv4 +2 tcp +6 [0-9]+ [A-Z_]+ src=10\.0\.1\.2 dst=10\.0\.1\.1 sport=40022 dport=22 packets=[1-9][0-9]* bytes=[1-9][0-9]* src=10\.0\.1\.1 dst=10\.0\.1\.2 sport=22 dport=40022 packets=[1-9][0-9]* bytes=[1-9][0-9]* \[ASSURED\] use=1$' /tmp/ext
check "ICMP echo: reply type 0, same id" grep -Eq \
	'^ipv4 +2 icmp +1 [0-9]+ src=10\.0\.1\.2 dst=10\.0\.1\.1 type=8 code=0 id=([0-9]+) packets=1 bytes=84 src=10\.0\.1\.1 dst=10\.0\.1\.2 type=0 code=0 id=\1 packets=1 bytes=84 use=1$' /tmp/ext
check "IPv6 addresses as conntrack writes them" grep -q 'src=fd00:1::2 dst=fd00:1::1 sport=40122 dport=22 ' /tmp/ext

# --- filters (the kernel's CTA_FILTER, and conntrack's own) ---
check_eq "-L -p udp --dport 53: the two UDP flows" \
	"$(R conn list -p udp --dport 53 2>/dev/null | wc -l)" "$(C -L -p udp --dport 53 2>/dev/null | wc -l)"
check "... both of them" sh -c '[ $(/sbin/ip netns exec router conntrack -L -p udp --dport 53 2>/dev/null | grep -c "dport=53 ") = 2 ]'
check_eq "-L -s 10.0.1.2: the IPv4 flows" \
	"$(R conn list -s 10.0.1.2 2>/dev/null | wc -l)" "$(C -L -s 10.0.1.2 2>/dev/null | wc -l)"
check_eq "-L -s 10.0.1.1: none (filters the original source)" 0 "$(C -L -s 10.0.1.1 2>/dev/null | wc -l)"
check_eq "-L -f ipv6: the IPv6 flows" \
	"$(R conn list -f ipv6 2>/dev/null | wc -l)" "$(C -L -f ipv6 2>/dev/null | wc -l)"
check "... and only them" sh -c '! /sbin/ip netns exec router conntrack -L -f ipv6 2>/dev/null | grep -q "src=10\."'
check_eq "-L -f ipv6 -p tcp --dport 22: one" 1 "$(C -L -f ipv6 -p tcp --dport 22 2>/dev/null | wc -l)"
check_eq "-L dying: empty" 0 "$(C -L dying 2>/dev/null | wc -l)"

# --- one entry ---
C -G -p tcp -s 10.0.1.2 -d 10.0.1.1 --sport 40022 --dport 22 > /tmp/get 2>/tmp/get.err
check_eq "-G of the tcp 22 flow: one line" 1 "$(wc -l < /tmp/get)"
check_eq "... the line -L shows" "$(grep 'sport=40022 ' /tmp/ext | strip | m3)" "$(m3 /tmp/get)"
# Answers the nf_conntrack run must give alike (see below): a get by the
# reply tuple alone (conntrack sends CTA_TUPLE_ORIG with the protocol only,
# which nf_conntrack_netlink refuses), and a get of no connection.
odd_gets() {
	C -G -p tcp --reply-src 10.0.1.1 --reply-dst 10.0.1.2 --reply-port-src 22 \
		--reply-port-dst $(($1 + 22)) 2>&1
	echo "rc=$?"
	C -G -p tcp -s 10.0.1.2 -d 10.0.1.1 --sport $(($1 + 999)) --dport 22 2>&1
	echo "rc=$?"
}
odd_gets 40000 > /tmp/odd.ctrack
sed 's/^/#   odd gets: /' /tmp/odd.ctrack
check "-G of no connection exits 1, saying so" grep -qx "rc=1" /tmp/odd.ctrack
cid() { C -L -p tcp -s 10.0.1.2 --dport 22 -o id 2>/dev/null | grep -o 'id=[0-9]*'; }
id=$(cid)
check "-o id: a connection id ($id)" test -n "$id"
check_eq "... stable" "$id" "$(cid)"

# --- permissions: nfnetlink's CAP_NET_ADMIN check, as for nf_conntrack ---
check_fails "root of a user namespace without the network namespace: refused" sh -c \
	'/sbin/ip netns exec router unshare -r conntrack -L > /tmp/uns 2>&1'
sed 's/^/#   unshare -r conntrack -L: /' /tmp/uns
check "... with conntrack's words for EPERM, nothing listed" sh -c \
	'grep -q "you must be root or get CAP_NET_ADMIN" /tmp/uns && ! grep -q "sport=" /tmp/uns'
check "root of a user namespace that owns its network namespace: its own empty table" sh -c \
	'unshare -rn conntrack -L 2>&1 | grep -q ": 0 flow entries have been shown"'

# --- counts ---
check_eq "-C = ctrackctl conn count" "$(R conn count)" "$(C -C)"
C -S > /tmp/stats
check_eq "-S: a line per possible cpu" "$(R stats | grep -c '^cpu=')" "$(grep -c '^cpu=' /tmp/stats)"
check "... in conntrack's format" grep -Eq \
	'^cpu=0[[:space:]]+found=[0-9]+ invalid=[0-9]+ insert=[0-9]+ insert_failed=[0-9]+ drop=[0-9]+ early_drop=[0-9]+ error=[0-9]+ search_restart=[0-9]+' /tmp/stats
sed 's/^/#   conntrack -S: /' /tmp/stats
sum() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" | awk '{ s += $1 } END { print s + 0 }'; }
check_eq "... inserts as ctrackctl stats counts them" "$(R stats | sum insert)" "$(sum insert < /tmp/stats)"

# --- delete and flush ---
before=$(R conn count)
C -D -p tcp --dport 80 --orig-src 10.0.1.2 > /tmp/del 2>/tmp/del.err
check_eq "-D -p tcp --dport 80 --orig-src 10.0.1.2 (the seed's command)" \
	"conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted." "$(cat /tmp/del.err)"
check_eq "... removed exactly that entry" "$((before - 1))" "$(R conn count)"
check_eq "... the one to port 80" 0 "$(R conn list -p tcp --dport 80 2>/dev/null | wc -l)"
C -D -p tcp --dport 80 --orig-src 10.0.1.2 >/dev/null 2>/tmp/del.err
check "-D again: nothing left to delete" grep -q ": 0 flow entries have been deleted" /tmp/del.err
C -F > /tmp/flush 2>&1
check "-F empties the table" grep -q "connection tracking table has been emptied" /tmp/flush
check_eq "... as ctrackctl sees it" 0 "$(R conn count)"

# --- nf_conntrack, the same traffic: the reference ---
grep '^ipv4 ' /tmp/ext | strip > /tmp/ctrack.lines
check_fails "nf_conntrack_netlink cannot load while ctrack holds ctnetlink" \
	insmod /ctrack/nf_conntrack_netlink.ko
check "... saying why" sh -c 'dmesg | grep -q "ctnetlink_init: cannot register with nfnetlink"'
rmmod ctrack || not_ok "rmmod ctrack"
nfct_netlink_load || not_ok "insmod nf_conntrack_netlink.ko"
insmod /ctrack/ctrack.ko || not_ok "insmod ctrack.ko after nf_conntrack_netlink"
check "with nf_conntrack_netlink loaded first, ctrack says ctnetlink is taken" sh -c \
	'[ $(dmesg | grep -c "ctnetlink is taken (nf_conntrack_netlink is loaded)") = 1 ]'
check "... and still works" R conn count
check_eq "... and setting list says ctnetlink 0" "ctnetlink 0" "$(R setting list | grep ctnetlink)"
nsx router nft -f - <<'END'
table inet ref {
	chain input { type filter hook input priority filter; ct state established,related accept; }
}
END
nsx router sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
traffic nf_conntrack 41000
C -L 2>/dev/null | grep -v 'src=fd00' > /tmp/nf.lines
sed 's/^/#   nf_conntrack: /' /tmp/nf.lines
# Masked: timeouts; the counters, which nf_conntrack keeps only with
# nf_conntrack_acct=1; and the closing TCP states, which differ by where
# in the teardown each tracker was when the last segment passed.
nfmask() {
	sed -E 's/ (packets|bytes)=[0-9]+//g; s/port=4[01]([0-9]{3})/port=4x\1/g; s/ id=[0-9]+/ id=I/g
		s/ (FIN_WAIT|CLOSE_WAIT|LAST_ACK|TIME_WAIT|CLOSE) / CLOSING /' "$@" | m3 | sort
}
check_eq "conntrack -L: ctrack's lines are nf_conntrack's (IPv4, masked)" "$(nfmask /tmp/nf.lines)" "$(nfmask /tmp/ctrack.lines)"
odd_gets 41000 > /tmp/odd.nf
check_eq "-G by the reply tuple alone, and of no connection: as nf_conntrack answers" \
	"$(nfmask /tmp/odd.nf)" "$(nfmask /tmp/odd.ctrack)"
nsx router nft flush ruleset
C -F >/dev/null 2>&1
check "ctrackctl still lists ctrack's own table" R conn list
rmmod ctrack || not_ok "rmmod ctrack"
nfct_netlink_unload || not_ok "rmmod nf_conntrack_netlink"

# --- ctnetlink=0 ---
dmesg -c >/dev/null
insmod /ctrack/ctrack.ko ctnetlink=0 || not_ok "insmod ctrack.ko ctnetlink=0"
check "ctnetlink=0 says so once" sh -c '[ $(dmesg | grep -c "ctnetlink=0") = 1 ]'
check_fails "... and conntrack -L does not reach ctrack" sh -c \
	'/sbin/ip netns exec router conntrack -L 2>&1 | grep -q "sport=40022 "'
rmmod ctrack || not_ok "rmmod ctrack"
insmod /ctrack/ctrack.ko || not_ok "insmod ctrack.ko"
tap_done
