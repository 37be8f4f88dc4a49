#!/bin/sh
# TFTP through a firewall with real programs: tftpd-hpa and tftp-hpa, a
# read (RRQ, get) and a write (WRQ, put) of a 100 KiB file, 200 DATA/ACK
# rounds each, IPv4 and IPv6, through the forward hook and to the firewall
# host itself, under the seed ruleset: only port 69 may open a connection,
# and the server answers the request from a new port of its own, so the
# transfer passes only as RELATED to the request. With the helper off the
# same transfers must fail.
#
# TFTP_FW=ctrack (default) tests ctrack; tftp-nf.sh runs the same transfers
# with TFTP_FW=nft, nftables and nf_conntrack's TFTP helper, the reference.
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#            tftp                          rules, in.tftpd                  in.tftpd
#
# The module starts with the TFTP helper on port 6969 only, which proves
# the parameter and that it watches no other port; the test then moves it
# to 69 and off again with `ctrackctl helper`.
# ctrack-params: tftp_ports=6969
. /ctrack/lib/tap.sh

TFTP_FW=${TFTP_FW:-ctrack}
if [ "$TFTP_FW" = nft ]; then need in.tftpd /usr/bin/tftp nft conntrack; else need in.tftpd /usr/bin/tftp ctrackctl; fi
[ "$TFTP_FW" = nft ] && nfct_netlink_load

topo_up

. /ctrack/lib/tftp.sh
tftpd_start server 10.0.2.2
tftpd_start server "[fd00:2::2]"
tftpd_start router 10.0.1.1
tftpd_start router "[fd00:1::1]"
trap 'tftpd_children_stop; tap_cleanup' EXIT
sleep 1

ctl() { nsx router ctrackctl "$@"; }

# The seed ruleset on the router (tests/lib/seed.sh), new connections
# only to the TFTP port; nft_rules' $1 assigns nf_conntrack's helper (or not).
. /ctrack/lib/seed.sh
ctrack_rules() {
	seed_ctrack udp 69 &&
	# TCG under load is slow: nothing may expire before it is looked at
	ctl timeout set udp 3600 && ctl timeout set udp stream 3600
}
nft_rules() { seed_nft udp 69 tftp "$1"; }

if [ "$TFTP_FW" = nft ]; then
	check "nftables seed ruleset with the TFTP helper" \
		nft_rules 'udp dport 69 ct helper set "tftp-standard"'
else
	check "ctrack seed ruleset" ctrack_rules
	check "tftp_ports=6969 is the namespace's TFTP port list" \
		sh -c '[ "$(/sbin/ip netns exec router ctrackctl helper list | grep "^tftp ")" = "tftp port 6969" ]'
	check_fails "helper on 6969 only: get from port 69 fails" tftp_get client 10.0.2.2
	check "helper add tftp port 69" ctl helper add tftp port 69
fi

# Each target: where the server is, from the client. The firewall host may
# open connections itself under the seed ruleset, so its own server's
# answers pass without the helper: those are tested with it only.
TARGETS="forward-v4:10.0.2.2 forward-v6:fd00:2::2 input-v4:10.0.1.1 input-v6:fd00:1::1"

run_all() {
	local what=$1 expect=$2 t name srv
	for t in $TARGETS; do
		name=${t%%:*} srv=${t#*:}
		case "$name:$expect" in input*:fail) continue ;; esac
		if [ "$expect" = pass ]; then
			check "$what: get $name" tftp_get client "$srv"
			check "$what: put $name" tftp_put client "$srv" "up-$name.bin"
		else
			check_fails "$what: get $name" tftp_get client "$srv"
			check_fails "$what: put $name" tftp_put client "$srv" "up-$name.bin"
		fi
	done
}

run_all "helper on" pass

if [ "$TFTP_FW" = nft ]; then
	nsx router conntrack -F 2>/dev/null
	check "nftables seed ruleset without the TFTP helper" nft_rules ''
	run_all "helper off" fail
	tap_done
fi

# related CLIENT SERVER: a UDP connection from SERVER to CLIENT:P whose
# master is CLIENT:P -> SERVER:69, in /proc/net/ctrack (IPv6 in brackets,
# as master= writes it) or, with -l, in `ctrackctl conn list`.
related() {
	local list="nsx router cat /proc/net/ctrack"
	[ "$1" = -l ] && { list="ctl conn list -p udp"; shift; }
	$list | awk -v cli="$1" -v srv="$2" '
		$1 != "udp" && $3 != "udp" { next }
		{
			dport = ""; master = ""
			for (i = 1; i <= NF; i++) {
				if (dport == "" && $i ~ /^dport=/)
					dport = substr($i, 7)
				if ($i ~ /^master=/)
					master = substr($i, 8)
			}
		}
		master == cli ":" dport "->" srv ":69" { found = 1 }
		END { exit !found }'
}
# The request's connection carries the helper's name.
watched() {
	nsx router cat /proc/net/ctrack |
		grep " udp .* dport=69 .* helper=tftp" | grep -q "dst=$1 "
}
no_expectations() { [ -z "$(ctl expect list | grep -v '^#')" ]; }

check "forward-v4: the transfer is RELATED to its request (/proc/net/ctrack)" \
	related 10.0.1.2 10.0.2.2
check "forward-v6: the transfer is RELATED to its request (/proc/net/ctrack)" \
	related "[fd00:1::2]" "[fd00:2::2]"
check "input-v4: the server's own answer is RELATED to the request (/proc/net/ctrack)" \
	related 10.0.1.2 10.0.1.1
check "input-v6: the server's own answer is RELATED to the request (/proc/net/ctrack)" \
	related "[fd00:1::2]" "[fd00:1::1]"
check "ctrackctl conn list shows the transfer with master=" \
	related -l 10.0.1.2 10.0.2.2
check "the request's connection shows helper=tftp" watched 10.0.2.2
check "ctrackctl conn list shows helper=tftp" \
	sh -c '/sbin/ip netns exec router ctrackctl conn list -p udp | grep -q "dport=69 .*helper=tftp"'
# one-shot: each answer used its request's expectation
check "no expectation left after the transfers" no_expectations

# A request nobody answers (10.0.2.9 does not exist): its expectation
# waits, from that host, any port, to the client's port.
tftp_cmd client 10.0.2.9 "get file.bin /tmp/nobody.bin" >/dev/null 2>&1 &
ask_pid=$!
sleep 2
check "an unanswered RRQ is in /proc/net/ctrack_expect" \
	sh -c '/sbin/ip netns exec router cat /proc/net/ctrack_expect |
		grep -q "proto=17 src=10.0.2.9 dst=10.0.1.2 sport=0 dport=[0-9]* tftp master=10.0.1.2:[0-9]*->10.0.2.9:69"'
check "ctrackctl expect list shows it with helper=tftp" \
	sh -c '/sbin/ip netns exec router ctrackctl expect list | grep -q "src=10.0.2.9 .*helper=tftp"'
wait $ask_pid

check "helper delete tftp port 69" ctl helper delete tftp port 69
ctl conn flush >/dev/null 2>&1
tftpd_children_stop
run_all "helper off" fail
check "helper add tftp port 69" ctl helper add tftp port 69
check "transfer works again with the helper back" tftp_get client 10.0.2.2

tap_done
