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
req "RULE_ADD HOOK=0 RULE{CTSTATE=12 VERDICT=1}" rule add input ct state established,related accept
req "RULE_ADD HOOK=0 RULE{CTSTATE=1 VERDICT=2}" rule add input ct state invalid drop
req "RULE_ADD HOOK=0 RULE{PROTO=6 DPORT_MIN=22 CTSTATE=2 VERDICT=1}" rule add input tcp dport 22 ct state new accept
req "RULE_ADD HOOK=0 RULE{PROTO=6 DPORT_MIN=80 CTSTATE=2 VERDICT=1}" rule add input tcp dport 80 ct state new accept
req "RULE_ADD HOOK=0 RULE{CTSTATE=2 VERDICT=2}" rule add input ct state new drop
req "RULE_ADD HOOK=0 RULE{PROTO=6 DPORT_MIN=22 CTSTATE=2 VERDICT=1}" rule add input ct state new tcp dport 22 accept
req "RULE_ADD HOOK=1 RULE{VERDICT=0}" rule add forward counter
req "RULE_ADD HOOK=2 RULE{VERDICT=3}" rule add output reject
req "RULE_ADD HOOK=0 RULE{FAMILY=2 VERDICT=1}" rule add input ip accept
req "RULE_ADD HOOK=0 RULE{FAMILY=10 VERDICT=2}" rule add input ip6 drop
req "RULE_ADD HOOK=0 RULE{FAMILY=2 SADDR=10.0.0.1 VERDICT=1}" rule add input ip saddr 10.0.0.1 accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 SADDR=10.0.0.0 SPREFIX=8 VERDICT=1}" rule add input ip saddr 10.9.8.7/8 accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 DADDR=192.168.0.0 DPREFIX=16 VERDICT=2}" rule add input ip daddr 192.168.0.0/16 drop
req "RULE_ADD HOOK=0 RULE{FAMILY=2 SADDR=0.0.0.0 SPREFIX=0 VERDICT=1}" rule add input ip saddr 0.0.0.0/0 accept
req "RULE_ADD HOOK=1 RULE{FAMILY=10 SADDR=2001:db8:: SPREFIX=32 DADDR=fe80::1 VERDICT=1}" rule add forward ip6 saddr 2001:db8::/32 ip6 daddr fe80::1 accept
req "RULE_ADD HOOK=0 RULE{PROTO=17 SPORT_MIN=1000 SPORT_MAX=2000 DPORT_MIN=53 VERDICT=1}" rule add input udp sport 1000-2000 udp dport 53 accept
req "RULE_ADD HOOK=0 RULE{PROTO=6 VERDICT=2}" rule add input tcp drop
req "RULE_ADD HOOK=0 RULE{PROTO=17 VERDICT=2}" rule add input udp drop
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 VERDICT=1}" rule add input icmp accept
req "RULE_ADD HOOK=0 RULE{FAMILY=10 PROTO=58 VERDICT=1}" rule add input icmpv6 accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 ICMP_TYPE=8 VERDICT=1}" rule add input icmp type echo-request accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 ICMP_TYPE=0 VERDICT=1}" rule add input icmp type echo-reply accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 ICMP_TYPE=3 VERDICT=1}" rule add input icmp type destination-unreachable accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 ICMP_TYPE=11 VERDICT=1}" rule add input icmp type time-exceeded accept
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=1 ICMP_TYPE=13 VERDICT=1}" rule add input icmp type 13 accept
req "RULE_ADD HOOK=0 RULE{FAMILY=10 PROTO=58 ICMP_TYPE=128 VERDICT=1}" rule add input icmpv6 type echo-request accept
req "RULE_ADD HOOK=0 RULE{FAMILY=10 PROTO=58 ICMP_TYPE=1 VERDICT=1}" rule add input icmpv6 type destination-unreachable accept
req "RULE_ADD HOOK=0 RULE{FAMILY=10 PROTO=58 ICMP_TYPE=135 VERDICT=1}" rule add input icmpv6 type nd-neighbor-solicit accept
req "RULE_ADD HOOK=0 RULE{IIFNAME=lo VERDICT=1}" rule add input iifname lo accept
req "RULE_ADD HOOK=1 RULE{IIFNAME=eth0 OIFNAME=wg0 VERDICT=1}" rule add forward iifname eth0 oifname wg0 accept
req "RULE_ADD HOOK=1 RULE{OIFNAME=eth1 VERDICT=2}" rule add forward oifname '"eth1"' drop
req "RULE_ADD HOOK=0 RULE{FAMILY=2 PROTO=6 SADDR=10.0.0.0 SPREFIX=24 DPORT_MIN=8000 DPORT_MAX=8080 IIFNAME=eth0 CTSTATE=2 VERDICT=3}" \
	rule add input iifname eth0 ct state new tcp dport 8000-8080 ip saddr 10.0.0.0/24 reject
req "RULE_ADD HOOK=0 INSERT RULE{PROTO=6 DPORT_MIN=22 VERDICT=1}" rule insert input tcp dport 22 accept
req "RULE_ADD HOOK=0 POSITION=7 RULE{PROTO=6 DPORT_MIN=22 VERDICT=1}" rule insert input position 7 tcp dport 22 accept
req "RULE_DEL HOOK=0 HANDLE=3" rule delete input handle 3
req "RULE_DEL HOOK=2 HANDLE=12" rule delete output 12
req "RULE_GET dump" rule list
req "RULE_GET dump HOOK=1" rule list forward
req "RULE_FLUSH" rule flush
req "RULE_FLUSH HOOK=2" rule flush output
req "POLICY_SET HOOK=0 POLICY=2" policy set input drop
req "POLICY_SET HOOK=1 POLICY=1" policy set forward accept
req "RULE_GET dump" ruleset save
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

echo "# ruleset load: one message with every chain"
cat >"$TMP/seed.rules" <<'EOF'
# seed ruleset
policy input drop
rule add input ct state established,related accept
rule add input ct state invalid drop
rule add input tcp dport 22 ct state new accept   # ssh
rule add input tcp dport 80 ct state new accept
rule add input ct state new drop
policy set output accept
rule add output ct state invalid drop
EOF
req "RULESET_LOAD CHAIN{HOOK=0 POLICY=2 RULE{CTSTATE=12 VERDICT=1} RULE{CTSTATE=1 VERDICT=2} RULE{PROTO=6 DPORT_MIN=22 CTSTATE=2 VERDICT=1} RULE{PROTO=6 DPORT_MIN=80 CTSTATE=2 VERDICT=1} RULE{CTSTATE=2 VERDICT=2}} CHAIN{HOOK=1 POLICY=1} CHAIN{HOOK=2 POLICY=1 RULE{CTSTATE=1 VERDICT=2}}" \
	ruleset load "$TMP/seed.rules"
got=$($T --dry-run ruleset load - <"$TMP/seed.rules" 2>&1)
want=$($T --dry-run ruleset load "$TMP/seed.rules" 2>&1)
[ "$got" = "$want" ] && ok "ruleset load - reads stdin" || nok "ruleset load - reads stdin"
printf 'policy input drop\nrule add input tcp dport 80-20 accept\n' >"$TMP/bad.rules"
$T --dry-run ruleset load "$TMP/bad.rules" >/dev/null 2>"$TMP/err"
rc=$?
err=$(cat "$TMP/err")
if [ $rc -eq 1 ] && [ "$err" = "ctrackctl: $TMP/bad.rules:2: port range '80-20' is inverted (80 > 20)" ]; then
	ok "bad ruleset file: exit 1, FILE:LINE message"
else
	nok "bad ruleset file: exit 1, FILE:LINE message (exit $rc, '$err')"
fi
$T --dry-run ruleset load "$TMP/missing.rules" >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^ctrackctl: .*missing.rules: No such file" "$TMP/err" &&
	ok "missing ruleset file: exit 1" || nok "missing ruleset file: exit 1 (exit $rc)"

echo "# bad input: exit 2"
bad rule add bogus accept
bad rule add input ip saddr 10.0.0.1/33 accept
bad rule add input ip6 saddr ::1/129 accept
bad rule add input tcp dport 80-20 accept
bad rule add input tcp dport 65536 accept
bad rule add input ct state bogus
bad rule add input ct state
bad rule add input ct
bad rule add input
bad rule add
bad rule add input accept tcp
bad rule add input ip saddr 10.0.0.1 ip6 daddr ::1
bad rule add input icmp type nonsense
bad rule add input tcp dport
bad rule add input iifname
bad rule insert input position
bad rule insert input position x accept
bad rule delete input
bad rule delete input handle
bad rule delete input handle 0
bad rule delete bogus handle 1
bad rule list bogus
bad rule list input extra
bad rule frob
bad rule
bad policy set input reject
bad policy set bogus drop
bad policy set input
bad ruleset load
bad ruleset frob
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
for o in rule policy ruleset conn expect stats monitor timeout helper setting; do
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
