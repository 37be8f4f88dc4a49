#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of ctrackctl, no kernel module needed:
#  1. every grammar form, through `ctrackctl --dry-run` (prints the netlink
#     request it would send, decoded), must give exactly these attributes;
#  2. bad command lines exit 2 with one "ctrackctl: " line first;
#  3. no module -> the documented message and exit 1;
#  4. the C tests (printers, parser round trips, ruleset files);
#  5. every JSON printer's output is valid JSON (python3 -m json.tool).
# Last line: "N passed, N failed"; exit status 1 on any failure.
cd "$(dirname "$0")/.." || exit 1
T=./ctrackctl/ctrackctl
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

# req "expected decoded request" ARGS...
req() {
	want=$1
	shift
	got=$($T --dry-run "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
		ok "parse: $*"
	else
		nok "parse: $*"
		echo "#   got:  $got (exit $rc)"
		echo "#   want: $want"
	fi
}

# bad ARGS...: usage error, exit 2, first line of stderr "ctrackctl: ..."
bad() {
	$T --dry-run "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	first=$(head -n 1 "$TMP/err")
	case "$first" in
	"ctrackctl: "*) msg_ok=1 ;;
	*) msg_ok=0 ;;
	esac
	if [ $rc -eq 2 ] && [ $msg_ok -eq 1 ] && [ ! -s "$TMP/out" ]; then
		ok "refused (exit 2): $* -> ${first#ctrackctl: }"
	else
		nok "refused (exit 2): $* (exit $rc, stderr '$first')"
	fi
}

echo "# grammar -> netlink attributes"
# every KEY, operator, set, verdict and statement of the grammar
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 FLAGS=12} VERDICT=1}" rule add input ct state established,related accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 FLAGS=1} VERDICT=2}" rule add input ct state invalid drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 NEG FLAGS=1} VERDICT=1}" rule add input ct state != invalid accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 VALUE=2} VERDICT=1}" rule add input ct state == new accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 ELEM{VALUE=2} ELEM{VALUE=16}} VERDICT=1}" rule add input ct state '{ new, untracked }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 VALUE=10.0.0.1} VERDICT=1}" rule add input ip saddr 10.0.0.1 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 VALUE=10.0.0.1} VERDICT=1}" rule add input ip saddr == 10.0.0.1 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 VALUE=10.0.0.0 PREFIX=8} VERDICT=1}" rule add input ip saddr 10.9.8.7/8 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 VALUE=0.0.0.0 PREFIX=0} VERDICT=1}" rule add input ip saddr 0.0.0.0/0 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 NEG VALUE=192.168.0.0 PREFIX=16} VERDICT=2}" rule add input ip saddr != 192.168.0.0/16 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=6 FROM=10.0.0.1 TO=10.0.0.9} VERDICT=2}" rule add input ip daddr 10.0.0.1-10.0.0.9 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 ELEM{VALUE=10.0.0.1} ELEM{VALUE=192.168.0.0 PREFIX=16} ELEM{VALUE=172.16.0.1 TO=172.16.0.9}} VERDICT=2}" rule add input ip saddr '{ 10.0.0.1, 192.168.0.0/16, 172.16.0.1-172.16.0.9 }' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=6 NEG ELEM{VALUE=10.0.0.0 PREFIX=8}} VERDICT=2}" rule add input ip daddr != '{ 10.0.0.0/8 }' drop
req "RULE_ADD CHAIN{NAME=forward} RULE{MATCH{KEY=7 VALUE=2001:db8:: PREFIX=32} MATCH{KEY=8 VALUE=fe80::1} VERDICT=1}" rule add forward ip6 saddr 2001:db8::/32 ip6 daddr fe80::1 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=7 NEG VALUE=::1} VERDICT=2}" rule add input ip6 saddr != ::1 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=8 ELEM{VALUE=::1} ELEM{VALUE=fe80:: PREFIX=10} ELEM{VALUE=2001:db8::1 TO=2001:db8::9}} VERDICT=1}" rule add input ip6 daddr '{ ::1, fe80::/10, 2001:db8::1-2001:db8::9 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=3 VALUE=1} VERDICT=1}" rule add input ip protocol icmp accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=3 VALUE=17} VERDICT=1}" rule add input ip protocol 17 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=3 NEG VALUE=6} VERDICT=1}" rule add input ip protocol != 6 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=3 ELEM{VALUE=6} ELEM{VALUE=17}} VERDICT=1}" rule add input ip protocol '{ tcp, udp }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=4 VALUE=58} VERDICT=1}" rule add input ip6 nexthdr icmpv6 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=4 NEG VALUE=17} VERDICT=2}" rule add input ip6 nexthdr != udp drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 ELEM{VALUE=6} ELEM{VALUE=17}} MATCH{KEY=14 VALUE=53} VERDICT=1}" rule add input meta l4proto '{ tcp, udp }' th dport 53 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 VALUE=47} VERDICT=1}" rule add input meta l4proto gre accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=1 VALUE=10} VERDICT=1}" rule add input meta nfproto ipv6 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=1 NEG VALUE=2} VERDICT=2}" rule add input meta nfproto != ipv4 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=1 VALUE=2} VERDICT=1}" rule add input ip accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=1 VALUE=10} VERDICT=2}" rule add input ip6 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 VALUE=6} VERDICT=2}" rule add input tcp drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 VALUE=17} VERDICT=2}" rule add input udp drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 VALUE=1} VERDICT=1}" rule add input icmp accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 VALUE=58} VERDICT=1}" rule add input icmpv6 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 VALUE=22} VERDICT=1}" rule add input tcp dport 22 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 VALUE=22} VERDICT=1}" rule add input tcp dport ssh accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 NEG VALUE=22} VERDICT=1}" rule add input tcp dport != 22 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=9 FROM=1024 TO=65535} VERDICT=1}" rule add input tcp sport 1024-65535 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=11 FROM=1000 TO=2000} MATCH{KEY=12 VALUE=53} VERDICT=1}" rule add input udp sport 1000-2000 udp dport 53 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=12 NEG VALUE=53} VERDICT=2}" rule add input udp dport != 53 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 ELEM{VALUE=22} ELEM{VALUE=80} ELEM{VALUE=8000 TO=8080}} VERDICT=1}" rule add input tcp dport '{ 22, 80, 8000-8080 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 NEG ELEM{VALUE=25} ELEM{VALUE=443}} VERDICT=1}" rule add input tcp dport != '{ 25, 443 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=11 ELEM{VALUE=67} ELEM{VALUE=68}} VERDICT=1}" rule add input udp sport '{ 67, 68 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=13 VALUE=53} VERDICT=1}" rule add input th sport 53 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=14 FROM=1 TO=1023} VERDICT=2}" rule add input th dport 1-1023 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=14 ELEM{VALUE=53} ELEM{VALUE=123}} VERDICT=1}" rule add input th dport '{ 53, 123 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 FLAGS=2} VERDICT=2}" rule add input tcp flags syn drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 FLAGS=3} VERDICT=2}" rule add input tcp flags syn,fin drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=2 MASK=18} VERDICT=2}" rule add input tcp flags '&' '(syn|ack)' == syn drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 NEG VALUE=2 MASK=23} VERDICT=2}" rule add input tcp flags '&' '(fin|syn|rst|ack)' != syn drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=18 MASK=18} VERDICT=1}" rule add input tcp flags '& (syn|ack) == syn|ack' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=2 MASK=23} VERDICT=1}" rule add input tcp flags syn / fin,syn,rst,ack accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 FROM=80 TO=90} VERDICT=1}" rule add input tcp dport 80 - 90 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 ELEM{VALUE=1 TO=5} ELEM{VALUE=7}} VERDICT=1}" rule add input tcp dport '{ 1 - 5, 7 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=0 MASK=18} VERDICT=2}" rule add input tcp flags '& (syn|ack) == 0' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=0 MASK=18} VERDICT=2}" rule add input tcp flags '& (syn|ack) == 0x0' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 FLAGS=18} VERDICT=2}" rule add input tcp flags 0x12 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 ELEM{VALUE=2} ELEM{VALUE=18}} VERDICT=1}" rule add input tcp flags '{ syn, syn|ack }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=15 VALUE=18 MASK=18} VERDICT=1}" rule add input tcp flags '& (syn|ack) == syn|ack' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=24 VALUE=0 MASK=3} VERDICT=2}" rule add input ct state '& (new|invalid) == 0' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 VALUE=22} VERDICT=1 COMMENT=a (b) {c}}" rule add input tcp dport 22 accept comment 'a (b) {c}'
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=16 VALUE=8} VERDICT=1}" rule add input icmp type echo-request accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=16 VALUE=8} VERDICT=1}" rule add input icmp type 8 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=16 NEG VALUE=0} VERDICT=2}" rule add input icmp type != echo-reply drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=16 ELEM{VALUE=8} ELEM{VALUE=0} ELEM{VALUE=3} ELEM{VALUE=11}} VERDICT=1}" rule add input icmp type '{ echo-request, 0, destination-unreachable, time-exceeded }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=17 VALUE=3} VERDICT=1}" rule add input icmp code 3 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=17 VALUE=3} VERDICT=1}" rule add input icmp code port-unreachable accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=18 VALUE=128} VERDICT=1}" rule add input icmpv6 type echo-request accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=18 VALUE=135} VERDICT=1}" rule add input icmpv6 type 135 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=18 ELEM{VALUE=135} ELEM{VALUE=136} ELEM{VALUE=134} ELEM{VALUE=128}} VERDICT=1}" rule add input icmpv6 type '{ nd-neighbor-solicit, 136, nd-router-advert, 128 }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=19 VALUE=4} VERDICT=1}" rule add input icmpv6 code 4 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 VALUE=lo} VERDICT=1}" rule add input iifname lo accept
req "RULE_ADD CHAIN{NAME=forward} RULE{MATCH{KEY=22 VALUE=eth0} MATCH{KEY=23 VALUE=wg0} VERDICT=1}" rule add forward iifname eth0 oifname wg0 accept
req "RULE_ADD CHAIN{NAME=forward} RULE{MATCH{KEY=23 VALUE=eth1} VERDICT=2}" rule add forward oifname '"eth1"' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 VALUE=eth*} VERDICT=1}" rule add input iifname '"eth*"' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 NEG VALUE=lo} VERDICT=2}" rule add input iifname != lo drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 ELEM{VALUE=eth0} ELEM{VALUE=wg*}} VERDICT=1}" rule add input iifname '{ eth0, "wg*" }' accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 VALUE=lo} VERDICT=1}" rule add input meta iifname lo accept
req "RULE_ADD CHAIN{NAME=output} RULE{MATCH{KEY=23 VALUE=ppp*} VERDICT=2}" rule add output meta oifname '"ppp*"' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=20 VALUE=1} VERDICT=1}" rule add input iif 1 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=20 VALUE=1} VERDICT=1}" rule add input iif lo accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=21 NEG VALUE=1} VERDICT=2}" rule add input meta oif != 1 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=21 ELEM{VALUE=1}} VERDICT=2}" rule add input oif '{ 1 }' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=20 VALUE=1} VERDICT=1}" rule add input meta iif 1 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=20 NEG VALUE=1} VERDICT=1}" rule add input meta iif != lo accept
req "RULE_ADD CHAIN{NAME=forward} RULE{MATCH{KEY=21 ELEM{VALUE=1}} VERDICT=2}" rule add forward meta oif '{ 1 }' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=2 NEG ELEM{VALUE=6} ELEM{VALUE=17}} VERDICT=2}" rule add input meta l4proto != '{ tcp, udp }' drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=19 NEG VALUE=0} VERDICT=2}" rule add input icmpv6 code != 0 drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=17 ELEM{VALUE=0} ELEM{VALUE=1}} VERDICT=2}" rule add input icmp code '{ 0, host-unreachable }' drop
req "RULE_ADD CHAIN{NAME=input} RULE{}" rule add input counter
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=1}" rule add input counter accept
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=1 PACKETS=12 BYTES=3456}" rule add input counter packets 12 bytes 3456 accept
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 VALUE=22} VERDICT=1 COMMENT=ssh in}" rule add input tcp dport 22 accept comment '"ssh in"'
req "RULE_ADD CHAIN{NAME=input} RULE{COMMENT=x}" rule add input comment x
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3}" rule add input reject
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=1}" rule add input reject with tcp reset
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=2 REJECT_CODE=1}" rule add input reject with icmp type host-unreachable
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=2 REJECT_CODE=3}" rule add input reject with icmp type port-unreachable
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=2 REJECT_CODE=13}" rule add input reject with icmp 13
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=3 REJECT_CODE=1}" rule add input reject with icmpv6 type admin-prohibited
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=3 REJECT_CODE=3}" rule add input reject with icmpv6 type addr-unreachable
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=4 REJECT_CODE=1}" rule add input reject with icmpx type port-unreachable
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=4 REJECT_CODE=3}" rule add input reject with icmpx type admin-prohibited
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=3 REJECT_TYPE=4 REJECT_CODE=0}" rule add input reject with icmpx type no-route
req "RULE_ADD CHAIN{NAME=input} RULE{VMAP{KEY=10 ELEM{VALUE=22 VERDICT=1} ELEM{VALUE=80 VERDICT=2} ELEM{VALUE=1000 TO=2000 VERDICT=4 TARGET=web}}}" rule add input tcp dport vmap '{ 22 : accept, 80 : drop, 1000-2000 : jump web }'
req "RULE_ADD CHAIN{NAME=input} RULE{VMAP{KEY=22 ELEM{VALUE=lan0 VERDICT=4 TARGET=from_lan} ELEM{VALUE=wan0 VERDICT=5 TARGET=from_wan}}}" rule add input iifname vmap '{ "lan0" : jump from_lan, "wan0" : goto from_wan }'
req "RULE_ADD CHAIN{NAME=input} RULE{VMAP{KEY=24 ELEM{VALUE=4 VERDICT=1} ELEM{VALUE=8 VERDICT=1} ELEM{VALUE=1 VERDICT=2}}}" rule add input ct state vmap '{ established : accept, related : accept, invalid : drop }'
req "RULE_ADD CHAIN{NAME=input} RULE{VMAP{KEY=5 ELEM{VALUE=10.0.0.0 PREFIX=8 VERDICT=6} ELEM{VALUE=192.0.2.1 VERDICT=0}}}" rule add input ip saddr vmap '{ 10.0.0.0/8 : return, 192.0.2.1 : continue }'
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=4 TARGET=web}" rule add input jump web
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=5 TARGET=web}" rule add input goto web
req "RULE_ADD CHAIN{NAME=web} RULE{VERDICT=6}" rule add web return
req "RULE_ADD CHAIN{NAME=input} RULE{}" rule add input continue
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=5 SET=blocked} VERDICT=2}" rule add input ip saddr @blocked drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=10 NEG SET=ports} VERDICT=2}" rule add input tcp dport != @ports drop
req "RULE_ADD CHAIN{NAME=input} RULE{MATCH{KEY=22 SET=lan_ifs} VERDICT=1}" rule add input iifname @lan_ifs accept
req "RULE_ADD TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=input} RULE{MATCH{KEY=10 VALUE=22} VERDICT=1}" rule add inet filter input tcp dport 22 accept
req "RULE_ADD TABLE{FAMILY=10 NAME=t} CHAIN{NAME=c} RULE{VERDICT=2}" rule add ip6 t c drop
req "RULE_ADD TABLE{FAMILY=2 NAME=t} CHAIN{NAME=c} RULE{MATCH{KEY=5 VALUE=10.0.0.1} VERDICT=2}" rule add ip t c ip saddr 10.0.0.1 drop
req "RULE_ADD CHAIN{NAME=input} RULE{VERDICT=2}" rule append input drop
req "RULE_ADD CHAIN{NAME=input} INSERT RULE{MATCH{KEY=10 VALUE=22} VERDICT=1}" rule insert input tcp dport 22 accept
req "RULE_ADD CHAIN{NAME=input} POSITION=7 RULE{MATCH{KEY=10 VALUE=22} VERDICT=1}" rule insert input position 7 tcp dport 22 accept
req "RULE_ADD TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=input} POSITION=2 RULE{VERDICT=2}" rule insert inet filter input position 2 drop
req "RULE_DEL CHAIN{NAME=input} HANDLE=3" rule delete input handle 3
req "RULE_DEL CHAIN{NAME=output} HANDLE=12" rule delete output 12
req "RULE_DEL TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=input} HANDLE=4" rule delete inet filter input handle 4
req "RULE_GET dump" rule list
req "RULE_GET dump CHAIN{NAME=forward}" rule list forward
req "RULE_GET dump TABLE{FAMILY=1 NAME=filter}" rule list inet filter
req "RULE_GET dump TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=forward}" rule list inet filter forward
req "RULE_FLUSH" rule flush
req "RULE_FLUSH CHAIN{NAME=output}" rule flush output
req "RULE_FLUSH TABLE{FAMILY=1 NAME=filter}" rule flush inet filter
req "RULE_FLUSH TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=output}" rule flush inet filter output
req "POLICY_SET CHAIN{NAME=input POLICY=2}" policy set input drop
req "POLICY_SET CHAIN{NAME=forward POLICY=1}" policy set forward accept
req "POLICY_SET CHAIN{NAME=input POLICY=2}" policy input drop
req "POLICY_SET TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=output POLICY=2}" policy set inet filter output drop
req "RULE_GET dump" ruleset save
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=blk TYPE=3}" set add blk type ipv4_addr
req "SET_ADD TABLE{FAMILY=2 NAME=filter} SET{NAME=blk TYPE=3 FLAGS=3 TIMEOUT=3600}" set add ip filter blk type ipv4_addr flags interval timeout 1h
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=p TYPE=5 FLAGS=1}" set add inet filter p '{ type inet_service; flags interval; }'
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=blk TYPE=3 FLAGS=3 TIMEOUT=60}" set add blk type ipv4_addr flags interval, timeout timeout 1m
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=n TYPE=12}" set add inet filter n '{ type ifname; }'
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=s TYPE=13}" set add inet filter s type ct_state
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=t TYPE=4 FLAGS=2 TIMEOUT=30}" set add inet filter t type ipv6_addr timeout 30s
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=c TYPE=3 FLAGS=4}" set add inet filter c type ipv4_addr flags constant
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=e TYPE=3 FLAGS=1 ELEM{VALUE=10.0.0.0 PREFIX=8} ELEM{VALUE=192.0.2.1}}" set add inet filter e '{ type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.0.2.1 }; }'
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=i TYPE=7 ELEM{VALUE=8} ELEM{VALUE=0}}" set add inet filter i '{ type icmp_type; elements = { echo-request, 0 }; }'
req "SET_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=q TYPE=5}" set add inet filter q '{ typeof tcp dport; }'
req "SET_DEL SET{NAME=blk}" set delete blk
req "SET_DEL TABLE{FAMILY=1 NAME=filter} SET{NAME=blk}" set delete inet filter blk
req "SET_GET dump" set list
req "SET_GET dump TABLE{FAMILY=1 NAME=filter} SET{NAME=blk}" set list inet filter blk
req "ELEM_ADD SET{NAME=blk6 ELEM{VALUE=2001:db8::1 TIMEOUT=3600} ELEM{VALUE=fe80:: PREFIX=10} ELEM{VALUE=2001:db8::5 TO=2001:db8::9}}" element add blk6 '{ 2001:db8::1 timeout 1h, fe80::/10, 2001:db8::5-2001:db8::9 }'
req "ELEM_ADD TABLE{FAMILY=1 NAME=filter} SET{NAME=blk6 ELEM{VALUE=2001:db8::1 TIMEOUT=90}}" element add inet filter blk6 '{ 2001:db8::1 timeout 1m30s }'
req "ELEM_ADD SET{NAME=names ELEM{VALUE=eth0} ELEM{VALUE=wg*}}" element add names '{ "eth0", "wg*" }'
# without the kernel's set type, --dry-run guesses the class of each value
req "ELEM_ADD SET{NAME=block ELEM{VALUE=192.0.2.0 PREFIX=24 TIMEOUT=3600} ELEM{VALUE=10.0.0.1}}" element add block { 192.0.2.0/24 timeout 1h, 10.0.0.1 }
req "ELEM_ADD SET{NAME=ports ELEM{VALUE=22} ELEM{VALUE=80 TO=90}}" element add ports { 22, 80-90 }
req "ELEM_ADD SET{NAME=names ELEM{VALUE=eth0} ELEM{VALUE=wg*}}" element add names '{' eth0, 'wg*' '}'
req "ELEM_DEL SET{NAME=names ELEM{VALUE=lo}}" element delete names '{ lo }'
req "ELEM_DEL TABLE{FAMILY=1 NAME=filter} SET{NAME=blk6 ELEM{VALUE=2001:db8::1}}" element delete inet filter blk6 '{ 2001:db8::1 }'
# the rest of the tool
req "CONN_GET dump" conn list
req "CONN_GET dump FILTER{PROTO=6}" conn list -p tcp
req "CONN_GET dump FILTER{FAMILY=2 PROTO=6 SRC=10.0.0.1 DPORT=80}" conn list -p tcp --dport 80 --orig-src 10.0.0.1
req "CONN_GET dump FILTER{FAMILY=2 PROTO=17 SRC=10.0.0.1 DST=10.0.0.2 SPORT=5353 DPORT=53}" conn list -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 5353 --dport 53
req "CONN_GET dump FILTER{FAMILY=2 SRC=10.0.0.1 DST=10.0.0.2}" conn list --src 10.0.0.1 --dst 10.0.0.2
req "CONN_GET dump FILTER{FAMILY=10 DST=2001:db8::2}" conn list --orig-dst 2001:db8::2
req "CONN_GET dump FILTER{FAMILY=10}" conn list -f ipv6
req "CONN_GET dump FILTER{PROTO=6 STATE=3}" conn list --state ESTABLISHED
req "CONN_GET dump FILTER{PROTO=6 STATE=7}" conn list -p tcp --state time_wait
req "CONN_GET dump FILTER{PROTO=1}" conn list -p icmp
req "CONN_GET FILTER{FAMILY=2 PROTO=6 SRC=10.0.1.2 SPORT=51234 DPORT=22}" conn get -p tcp -s 10.0.1.2 --sport 51234 --dport 22
req "CONN_DEL FILTER{FAMILY=2 PROTO=6 SRC=10.0.0.1 DPORT=80}" conn delete -p tcp --dport 80 --orig-src 10.0.0.1
req "CONN_FLUSH" conn flush
req "CONN_COUNT" conn count
req "EXPECT_GET dump" expect list
req "EXPECT_FLUSH" expect flush
req "STATS_GET dump" stats
req "monitor events=7" monitor
req "monitor events=5" monitor new,destroy
req "monitor events=2" monitor update
req "TIMEOUT_GET" timeout list
req "TIMEOUT_SET TIMEOUT{CLASS=11 SECONDS=30}" timeout set udp 30
req "TIMEOUT_SET TIMEOUT{CLASS=12 SECONDS=180}" timeout set udp stream 180
req "TIMEOUT_SET TIMEOUT{CLASS=2 SECONDS=3600}" timeout set tcp established 3600
req "TIMEOUT_SET TIMEOUT{CLASS=0 SECONDS=60}" timeout set tcp syn_sent 60
req "TIMEOUT_SET TIMEOUT{CLASS=13 SECONDS=10}" timeout set icmp 10
req "TIMEOUT_SET TIMEOUT{CLASS=14 SECONDS=300}" timeout set generic 300
req "HELPER_GET" helper list
req "HELPER_ADD HELPER{NAME=ftp PORT=2121}" helper add ftp port 2121
req "HELPER_DEL HELPER{NAME=ftp PORT=21}" helper delete ftp port 21
req "SETTING_GET" setting list
req "SETTING_SET SETTING{NAME=tcp_loose VALUE=1}" setting set tcp_loose 1
req "SETTING_SET SETTING{NAME=tcp_loose VALUE=0}" setting set tcp_loose 0
req "CONN_GET dump" -j -n conn list

echo "# ruleset load: one message with every table, set, chain and rule"
cat >"$TMP/seed.nft" <<'EOF'
# seed ruleset: nft syntax
define SSH = 22
table inet filter {
	set blocked {
		type ipv4_addr; flags interval
		elements = { 192.0.2.0/24 }
	}
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		ip saddr @blocked drop
		tcp dport $SSH ct state new accept comment "ssh"
		jump tail
	}
	chain tail {
		tcp dport vmap { 80 : accept, 25 : drop }
	}
}
EOF
seed_req="TABLE{FAMILY=1 NAME=filter} SET{NAME=blocked TYPE=3 FLAGS=1 ELEM{VALUE=192.0.2.0 PREFIX=24}} CHAIN{NAME=input HOOK=0 PRIORITY=0 POLICY=2} RULE{MATCH{KEY=24 FLAGS=12} VERDICT=1} RULE{MATCH{KEY=5 SET=blocked} VERDICT=2} RULE{MATCH{KEY=10 VALUE=22} MATCH{KEY=24 FLAGS=2} VERDICT=1 COMMENT=ssh} RULE{VERDICT=4 TARGET=tail} CHAIN{NAME=tail} RULE{VMAP{KEY=10 ELEM{VALUE=80 VERDICT=1} ELEM{VALUE=25 VERDICT=2}}}"
req "RULESET_LOAD $seed_req" ruleset load "$TMP/seed.nft"
req "RULESET_LOAD CHECK $seed_req" -c -f "$TMP/seed.nft"
req "RULESET_LOAD $seed_req" -f "$TMP/seed.nft"
# the native lines: the default table inet filter with its three base chains
cat >"$TMP/seed.rules" <<'EOF'
# seed ruleset: native lines
policy input drop
rule add input ct state established,related accept
rule add input tcp dport 22 ct state new accept   # ssh
policy set output accept
rule add output ct state invalid drop
EOF
req "RULESET_LOAD TABLE{FAMILY=1 NAME=filter} CHAIN{NAME=input HOOK=0 PRIORITY=0 POLICY=2} RULE{MATCH{KEY=24 FLAGS=12} VERDICT=1} RULE{MATCH{KEY=10 VALUE=22} MATCH{KEY=24 FLAGS=2} VERDICT=1} CHAIN{NAME=forward HOOK=1 PRIORITY=0 POLICY=1} CHAIN{NAME=output HOOK=2 PRIORITY=0 POLICY=1} RULE{MATCH{KEY=24 FLAGS=1} VERDICT=2}" \
	ruleset load "$TMP/seed.rules"
got=$($T --dry-run ruleset load - <"$TMP/seed.nft" 2>&1)
[ "$got" = "RULESET_LOAD $seed_req" ] && ok "ruleset load - reads stdin" || nok "ruleset load - reads stdin"
printf 'policy input drop\nrule add input tcp dport 80-20 accept\n' >"$TMP/bad.rules"
$T --dry-run ruleset load "$TMP/bad.rules" >"$TMP/out" 2>"$TMP/err"
rc=$?
want="$TMP/bad.rules:2:26: error: range '80-20' is inverted (80 > 20)
rule add input tcp dport 80-20 accept
                         ^~~~~"
if [ $rc -eq 1 ] && [ "$(cat "$TMP/err")" = "$want" ] && [ ! -s "$TMP/out" ]; then
	ok "bad ruleset file: exit 1, FILE:LINE:COL message with a caret"
else
	nok "bad ruleset file: exit 1, FILE:LINE:COL message (exit $rc, '$(cat "$TMP/err")')"
fi
# jumps are checked before anything is sent: the error names the rule
printf 'table inet filter {\n\tchain a {\n\t\tct state vmap { new : goto b }\n\t}\n\tchain b {\n\t\tjump a\n\t}\n\tchain input {\n\t\ttype filter hook input priority 0;\n\t\tjump a\n\t\tjump output\n\t}\n\tchain output {\n\t\ttype filter hook output priority 0;\n\t}\n}\n' >"$TMP/jumps.nft"
for want in "jumps.nft:6:3: error: chain b jumps back to chain a: a loop" \
	    "jumps.nft:11:3: error: chain output is a base chain: jumps go to regular chains"; do
	$T --dry-run -f "$TMP/jumps.nft" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(head -n 1 "$TMP/err")" = "$TMP/$want" ] && [ ! -s "$TMP/out" ]; then
		ok "jump check: ${want#*error: }"
	else
		nok "jump check: ${want#*error: } (exit $rc, '$(head -n 1 "$TMP/err")')"
	fi
	# the next one once the loop is gone
	sed -i 's/^\t\tjump a$/\t\treturn/; 6s/.*/\t\treturn/' "$TMP/jumps.nft"
done
$T --dry-run ruleset load "$TMP/missing.rules" >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^ctrackctl: .*missing.rules: No such file" "$TMP/err" &&
	ok "missing ruleset file: exit 1" || nok "missing ruleset file: exit 1 (exit $rc)"

echo "# the corpus through the command line (the C tests do the round trips)"
for f in ../tests/rulesets/*.nft; do
	if $T --dry-run ruleset load "$f" >"$TMP/out" 2>"$TMP/err"; then
		grep -q '^RULESET_LOAD TABLE{' "$TMP/out" && ok "ruleset load $f" ||
			nok "ruleset load $f: $(head -c 200 "$TMP/out")"
	elif grep -q "^$f:[0-9]*:[0-9]*: error: interface '[^']*' does not exist" "$TMP/err"; then
		echo "# (skipped $f: iif/oif name an interface not on this host)"
	else
		nok "ruleset load $f: $(head -n 1 "$TMP/err")"
	fi
done
for f in ../tests/rulesets/bad/*.nft; do
	case $f in
	*/unknown-set.nft)
		continue ;;	# only the kernel sees this one
	esac
	re=$(sed -n 's/^# expect: //p' "$f")
	$T --dry-run ruleset load "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	first=$(head -n 1 "$TMP/err")
	if [ $rc -eq 1 ] && [ -n "$re" ] && [ ! -s "$TMP/out" ] && echo "$first" | grep -Eq "$re"; then
		ok "refused (exit 1): $f"
	else
		nok "refused (exit 1): $f (exit $rc, '$first', want /$re/)"
	fi
done

echo "# bad input: exit 2"
bad -c rule add input accept
bad -c set add blk type ipv4_addr
bad ruleset load -j
bad rule add input ip saddr 10.0.0.1/33 accept
bad rule add input ip6 saddr ::1/129 accept
bad rule add input ip saddr 2001:db8::1 accept
bad rule add input tcp dport 80-20 accept
bad rule add input tcp dport 65536 accept
bad rule add input tcp dport 22, 80 accept
bad rule add input tcp dport '{ 22, 80'
bad rule add input tcp dport '<' 1024 accept
bad rule add input udp flags syn
bad rule add input tcp flags bogus
bad rule add input tcp flags '&' '(syn|ack)' syn
bad rule add input th flags syn
bad rule add input ct state bogus
bad rule add input ct state
bad rule add input ct status new
bad rule add input ct
bad rule add input state new accept
bad rule add input meta mark 1
bad rule add input meta
bad rule add input ip ttl 1
bad rule add input
bad rule add
bad rule add input accept tcp
bad rule add input accept drop
bad rule add input icmp type nonsense
bad rule add input icmpv6 type 256
bad rule add input tcp dport
bad rule add input iifname
bad rule add input iifname averyveryverylongname
bad rule add input iifname '"e*th"'
bad rule add input iif nosuchdev0
bad rule add input jump
bad rule add input counter packets 1
bad rule add input reject with
bad rule add input reject with tcp
bad rule add input reject with icmpx type 9
bad rule add input reject with icmp type bogus
bad rule add input tcp dport vmap '{ 22 : reject }'
bad rule add input tcp dport vmap '{ 22 accept }'
bad rule add input log prefix x
bad rule add input limit rate 10/second accept
bad rule add verylongchainname0123456789012345678901234567890123456789012345678901234567890 accept
bad rule insert input position
bad rule insert input position x accept
bad rule delete input
bad rule delete input handle
bad rule delete input handle 0
bad rule list input extra
bad rule frob
bad rule
bad policy set input reject
bad policy set input
bad ruleset load
bad ruleset frob
bad set add
bad set add x
bad set add x type bogus
bad set add x type ipv4_addr flags bogus
bad set add x type ipv4_addr timeout forever
bad set frob
bad set
bad element add x
bad element add ports '{ 22, 80'
bad element add ports '{' 70000 '}'
bad element frob x
bad conn get
bad conn delete
bad conn list -p
bad conn list -p nosuchproto
bad conn list --sport 80
bad conn list -s 10.0.0.1/8
bad conn list -s not-an-address
bad conn list -f ipv6 -s 10.0.0.1
bad conn list --state bogus
bad conn list --frob
bad conn flush now
bad conn frob
bad expect frob
bad expect
bad stats extra
bad monitor bogus
bad timeout set tcp 30
bad timeout set udp 0
bad timeout set udp
bad timeout set udp stream 30 40
bad timeout set sctp 30
bad timeout frob
bad helper add ftp
bad helper add ftp port 0
bad helper add ftp port 65536
bad helper add FTP port 21
bad helper add ftp.x port 21
bad helper add verylonghelpername port 21
bad setting set tcp_loose 2
bad setting set tcp_loose
bad setting frob
bad frob
bad -x conn list
bad

echo "# --help for every object: exit 0"
for o in rule policy ruleset set element conn expect stats monitor timeout helper setting; do
	out=$($T $o --help 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && echo "$out" | grep -q "ctrackctl $o"; then
		ok "$o --help"
	else
		nok "$o --help (exit $rc)"
	fi
done
$T --help >/dev/null 2>&1 && ok "--help" || nok "--help"
$T rule add --help | grep -q "EXPR :=" && ok "rule add --help" || nok "rule add --help"

echo "# no module: exit 1 with the documented message"
if $T conn count >/dev/null 2>&1; then
	echo "# (a ctrack module is loaded here: skipped)"
else
	err=$($T conn list 2>&1 >/dev/null)
	rc=$?
	$T conn list >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 1 ] && [ "$err" = 'ctrackctl: ctrack module not loaded (genetlink family "ctrack" not found)' ]; then
		ok "no module: message and exit 1"
	else
		nok "no module: message and exit 1 (exit $rc, '$err')"
	fi
fi

echo "# C tests: printers, parser round trips, ruleset files"
./test/ctrackctl_test >"$TMP/c.out" 2>&1
grep -v '^ok ' "$TMP/c.out" | grep -v '^[0-9]* passed' || true
last=$(tail -n 1 "$TMP/c.out")
cp=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
cf=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$cp" ]; then
	nok "C tests did not finish: $last"
else
	echo "# C tests: $last"
	pass=$((pass + cp))
	fail=$((fail + cf))
fi

echo "# JSON output is valid"
if ./test/ctrackctl_test json "$TMP" 2>/dev/null; then
	for f in "$TMP"/*.json; do
		if python3 -m json.tool "$f" >/dev/null 2>"$TMP/jerr"; then
			ok "valid JSON: $(basename "$f")"
		else
			nok "valid JSON: $(basename "$f"): $(cat "$TMP/jerr")"
		fi
	done
	# monitor -j: one JSON object per line
	if python3 -c 'import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 5, len(lines)
for l in lines:
    json.loads(l)' "$TMP/monitor.jsonl" 2>"$TMP/jerr"; then
		ok "valid JSON lines: monitor.jsonl"
	else
		nok "valid JSON lines: monitor.jsonl: $(cat "$TMP/jerr")"
	fi
else
	nok "writing JSON samples"
fi

echo "# man page"
if command -v groff >/dev/null 2>&1; then
	if groff -man -Tutf8 -P-bcu -ww ctrackctl/ctrackctl.8 2>"$TMP/merr" >"$TMP/man.txt" && [ ! -s "$TMP/merr" ]; then
		ok "ctrackctl.8 renders without warnings"
	else
		nok "ctrackctl.8 renders without warnings: $(head -n 3 "$TMP/merr")"
	fi
	# every object of the grammar is documented
	for o in "rule add" "rule insert" "rule delete" "rule list" "rule flush" "policy set" \
		"ruleset load" "ruleset save" "conn list" "conn get" "conn delete" "conn flush" \
		"conn count" "expect list" "expect flush" "stats" "monitor" "timeout list" \
		"timeout set" "helper list" "helper add" "helper delete" "setting list" "setting set"; do
		if grep -q "$o" "$TMP/man.txt"; then
			ok "man page documents '$o'"
		else
			nok "man page documents '$o'"
		fi
	done
else
	echo "# (no groff: man page checks skipped)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
