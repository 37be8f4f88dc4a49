#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of reading libnftables-json (ctrackctl ruleset load -j), no
# kernel module needed:
#  1. every tests/rulesets/*.nft: text -> JSON (as -j ruleset save prints
#     it) -> read back -> text must print as the file itself does;
#  2. the same through ctrackctl: `ruleset load -j`, `-j -f`, stdin, give
#     the request the text file gives (--dry-run);
#  3. what `nft -j list ruleset` prints (in a fresh net namespace, as root;
#     skipped otherwise) reads as the same rule set, up to what nft
#     normalises (see nft_norm);
#  4. hostile JSON: clean errors ("FILE:LINE:COL: error: ..."), no crash.
# Last line: "N passed, N failed"; exit status 1 on any failure.
# Needs test/jsonconv (make test/jsonconv).
cd "$(dirname "$0")/.." || exit 1
T=./ctrackctl/ctrackctl
J=./test/jsonconv
R=../tests/rulesets
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

# A zero counter reads back as a plain one (every ctrack rule counts, from 0).
zero_norm() { sed 's/ counter packets 0 bytes 0//'; }

# What nft normalises, on both sides: anonymous sets sorted and a one-element
# set as its value; "meta nfproto ipvN" in a rule of icmp/icmpv6 types or
# reject codes (an implied dependency in inet: nft lists it hidden); a bare
# reject is "reject with icmpx port-unreachable"; "th dport" in a rule that
# rejects with tcp reset is "tcp dport" (nft's implied meta l4proto tcp).
nft_norm() {
	zero_norm | sed -e '/icmp/s/meta nfproto ipv[46] //' \
		-e '/reject with tcp reset/s/th sport/tcp sport/' \
		-e '/reject with tcp reset/s/th dport/tcp dport/' \
		-e 's/ reject$/ reject with icmpx port-unreachable/' |
	awk '{
		out = ""
		while (match($0, /\{ [^{}]* \}/)) {
			body = substr($0, RSTART + 2, RLENGTH - 4)
			n = split(body, a, ", ")
			for (i = 2; i <= n; i++) {
				v = a[i]
				for (j = i - 1; j >= 1 && a[j] > v; j--)
					a[j + 1] = a[j]
				a[j + 1] = v
			}
			s = a[1]
			for (i = 2; i <= n; i++)
				s = s ", " a[i]
			if (n > 1 || $0 ~ /vmap \{ $/ || substr($0, 1, RSTART - 1) ~ /(elements = |vmap )$/)
				s = "{ " s " }"
			out = out substr($0, 1, RSTART - 1) s
			$0 = substr($0, RSTART + RLENGTH)
		}
		print out $0
	}'
}

for b in "$J" "$T"; do
	if [ ! -x "$b" ]; then
		nok "$b is built (make $b)"
		echo "$pass passed, $fail failed"
		exit 1
	fi
done

# what the corpus lacks: timeouts, ranges, masks, negations, every verdict
cat >"$TMP/extra.nft" <<'EOF'
table ip t4 {
	set s1 {
		type ipv4_addr
		flags interval,timeout
		timeout 1h30m
		elements = { 10.0.0.0/8 timeout 5m, 192.168.1.1-192.168.1.9, 172.16.0.1 }
	}
	set s2 {
		type ct_state
		elements = { new, established }
	}
	set s3 {
		type ifname
		elements = { "eth0", "wg*" }
	}
	set s4 {
		type tcp_flag
		elements = { syn, syn | ack }
	}
	set s5 {
		type icmp_type
		elements = { 0-8, 13 }
	}
	chain c {
		type filter hook forward priority mangle + 5; policy accept;
		ip saddr 10.0.0.1-10.0.0.9 tcp dport 1024-65535 accept
		icmp type 0-8 accept
		tcp flags & (fin|syn) == 0 drop
		tcp flags == syn|ack accept
		tcp flags != syn drop
		ct state != established,related drop
		ct state == new accept
		ct state @s2 accept
		iifname "wg*" oifname != "eth0" counter packets 5 bytes 10 jump d
		iifname { "a", "b" } goto d
		meta l4proto { tcp, udp } th dport != { 53, 853 } return
		tcp dport vmap { 22 : accept, 23 : drop, 24-30 : jump d }
		udp dport 9 reject with icmp 3
		udp dport 10 reject with icmpx 2
		ct state vmap { established : accept, new : continue }
		comment "only # a comment; {}"
	}
	chain d {
		type filter hook input priority -300; policy drop;
		continue
	}
}
table ip6 t6 {
	chain o {
		type filter hook output priority 17; policy accept;
		ip6 saddr ::1-::9 ip6 daddr fe80::/10 icmpv6 type { 133-136 } accept
	}
}
EOF

echo "# 1. text -> JSON -> text, every rule set of the corpus (and extra.nft)"
for f in "$R"/*.nft "$TMP/extra.nft"; do
	n=$(basename "$f" .nft)
	if ! $J text "$f" >"$TMP/$n.txt" 2>"$TMP/err"; then
		echo "# skip $n: does not parse on this host: $(head -n 1 "$TMP/err")"
		continue
	fi
	$J json "$f" >"$TMP/$n.json"
	if ! $J load "$TMP/$n.json" >"$TMP/$n.back" 2>"$TMP/err"; then
		nok "round trip $n: reading the JSON failed: $(head -n 1 "$TMP/err")"
		continue
	fi
	zero_norm <"$TMP/$n.txt" >"$TMP/$n.want"
	if cmp -s "$TMP/$n.want" "$TMP/$n.back"; then
		ok "round trip $n"
	else
		nok "round trip $n"
		diff "$TMP/$n.want" "$TMP/$n.back" | sed 's/^/#   /' | head -n 20
	fi
done

echo "# 2. ctrackctl ruleset load -j, -j -f, stdin: the request of the text file"
for f in "$R"/*.nft "$TMP/extra.nft"; do
	n=$(basename "$f" .nft)
	[ -s "$TMP/$n.json" ] || continue
	# zero counters are sent as none: compare against the normalised text
	if grep -q 'counter packets 0 bytes 0' "$f"; then
		zero_norm <"$TMP/$n.txt" >"$TMP/$n.norm.nft"
		want=$($T --dry-run ruleset load "$TMP/$n.norm.nft" 2>&1)
	else
		want=$($T --dry-run ruleset load "$f" 2>&1)
	fi
	for how in "ruleset load -j" "-j -f" "stdin"; do
		case $how in
		stdin) got=$($T --dry-run ruleset load -j - <"$TMP/$n.json" 2>&1) ;;
		"-j -f") got=$($T -j --dry-run -f "$TMP/$n.json" 2>&1) ;;
		*) got=$($T --dry-run ruleset load -j "$TMP/$n.json" 2>&1) ;;
		esac
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "$how $n"
		else
			nok "$how $n"
			echo "#   got:  $(echo "$got" | head -c 300)"
			echo "#   want: $(echo "$want" | head -c 300)"
		fi
	done
done

echo "# 3. what nft -j list ruleset prints"
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! command -v unshare >/dev/null ||
   ! unshare -n true 2>/dev/null; then
	echo "# skip: needs root, nft and unshare -n"
else
	for f in "$R"/*.nft; do
		n=$(basename "$f" .nft)
		[ -s "$TMP/$n.txt" ] || continue
		# include-glob: nft resolves includes from its cwd, not the file's
		[ "$n" = include-glob ] && continue
		if ! unshare -n sh -c 'nft -f "$1" && nft -j list ruleset' sh "$f" \
			>"$TMP/$n.nft.json" 2>"$TMP/err"; then
			echo "# skip $n: nft refused it: $(head -n 1 "$TMP/err")"
			continue
		fi
		if ! $J load "$TMP/$n.nft.json" >"$TMP/$n.nft.back" 2>"$TMP/err"; then
			nok "nft -j $n: $(head -n 1 "$TMP/err")"
			continue
		fi
		nft_norm <"$TMP/$n.txt" >"$TMP/a"
		nft_norm <"$TMP/$n.nft.back" >"$TMP/b"
		if [ -s "$TMP/a" ] && cmp -s "$TMP/a" "$TMP/b"; then
			ok "nft -j $n"
		else
			nok "nft -j $n"
			diff "$TMP/a" "$TMP/b" | sed 's/^/#   /' | head -n 20
		fi
	done
fi

echo "# 4. hostile JSON: clean errors"
# mk PRINTF-ARGS... writes $TMP/h.json; bad NAME "WANTED SUBSTRING OF THE ERROR" reads it
# (no pipes into bad: its counters would stay in a subshell)
mk() { printf "$@" >"$TMP/h.json"; }
bad() {
	$J load "$TMP/h.json" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	first=$(head -n 1 "$TMP/err")
	case "$first" in
	"$TMP/h.json:"*": error: "*"$2"*) msg_ok=1 ;;
	*) msg_ok=0 ;;
	esac
	if [ $rc -eq 1 ] && [ $msg_ok -eq 1 ] && [ ! -s "$TMP/out" ]; then
		ok "refused: $1 -> ${first#"$TMP/"}"
	else
		nok "refused: $1 (exit $rc, stderr '$first')"
	fi
}
TB='{"table": {"family": "inet", "name": "f"}}'
CH='{"chain": {"family": "inet", "table": "f", "name": "input", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}'
rule() { echo "{\"nftables\": [$TB, $CH, {\"rule\": {\"family\": \"inet\", \"table\": \"f\", \"chain\": \"input\", \"expr\": [$1]}}]}" >"$TMP/h.json"; }
M='{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}'

mk ''
bad "empty input" "unexpected end of input"
mk '{"nftables": [%s' "$TB"
bad "truncated" "expected ',' or ']'"
mk '{"nftables": [{"table": {"family": "in'
bad "truncated in a string" "unterminated string"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; print "" }' >"$TMP/h.json"
bad "10k '['" "nested deeper than 64"
awk 'BEGIN { printf "{\"nftables\": "; for (i = 0; i < 10000; i++) printf "{\"a\": "; print "" }' >"$TMP/h.json"
bad "10k '{'" "nested deeper than 64"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 123456789012345678901234567890}}'
bad "huge number" "out of range"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 1e999}}'
bad "huge exponent" "whole number"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 99999}}'
bad "port out of range (the text parser's error)" "out of range (0..65535)"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": -1}}'
bad "negative value" "out of range"
mk '{"nftables": [1.]}'
bad "bad number" "bad number"
mk '{"nftables": [01]}'
bad "leading zero" "leading zero"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\\x"}}]}'
bad "bad escape" "bad escape"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\\u12"}}]}'
bad "short \\u" "4 hex digits"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\\ud800"}}]}'
bad "lone surrogate" "surrogate"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\\u0000"}}]}'
bad "\\u0000" "NUL"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\001"}}]}'
bad "raw control character" "control character"
mk '{"nftables": [{"table": {"family": "inet", "name": "a\\"b"}}]}'
bad "quote in a name" "cannot keep"
mk '{"nftables": [{"table": {"family": "inet", "name": "f", "name": "g"}}]}'
bad "duplicate member" "duplicate member"
mk '{"nftables": []} []'
bad "trailing garbage" "after the JSON document"
mk '[]'
bad "not {nftables}" "nftables"
mk '{"nftables": {}}'
bad "nftables not an array" "must be an array"
mk '{"nftables": [{"table": {"family": "inet", "name": 7}}]}'
bad "wrong type: name" "must be a string"
mk '{"nftables": [{"table": {"family": "inet"}}]}'
bad "missing name" "missing member \"name\""
mk '{"nftables": [{"table": {"family": "netdev", "name": "f"}}]}'
bad "netdev family" "netdev family"
mk '{"nftables": [{"table": {"family": "inet", "name": "f", "bogus": 1}}]}'
bad "unknown member" "bogus"
mk '{"nftables": [%s, {"map": {"family": "inet", "table": "f", "name": "m"}}]}' "$TB"
bad "map object" "named maps"
mk '{"nftables": [%s, {"flowtable": {"family": "inet", "table": "f", "name": "x"}}]}' "$TB"
bad "flowtable object" "'flowtable' objects"
mk '{"nftables": [%s, {"chain": {"family": "inet", "table": "f", "name": "n", "type": "nat", "hook": "input", "prio": 0}}]}' "$TB"
bad "nat chain (the text parser's error)" "'nat' chains"
mk '{"nftables": [%s, {"chain": {"family": "inet", "table": "f", "name": "i", "type": "filter", "hook": "input", "prio": 2.5}}]}' "$TB"
bad "fractional priority" "whole number"
mk '{"nftables": [%s, {"set": {"family": "inet", "table": "f", "name": "s", "type": ["ipv4_addr", "inet_service"]}}]}' "$TB"
bad "concatenated set type" "concatenations"
rule "$M, {\"log\": {\"prefix\": \"x\"}}"
bad "log statement" "'log' statement"
rule '{"match": {"op": "<", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}'
bad "< operator" "'<' operator"
rule '{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}}'
bad "meta mark" "meta mark"
rule '{"match": {"op": "==", "left": {"fib": {"result": "type"}}, "right": "local"}}'
bad "fib" "'fib' expressions"
rule '{"match": {"op": "==", "left": {"payload": {"base": "th", "offset": 16, "len": 16}}, "right": 22}}'
bad "raw payload" "raw payload"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": "22 accept"}}'
bad "a value that would be two words" "not a valid value"
rule '{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": [22, 80]}}'
bad "a list where a set belongs" "set"
rule '{"accept": 1}'
bad "accept with a value" "takes null"
rule '{"jump": {"target": 5}}'
bad "jump target a number" "must be a string"
rule '"accept"'
bad "statement a string" "one member"
rule '{"counter": {"packets": 1}}'
bad "counter without bytes" "missing member \"bytes\""
rule '{"counter": {"packets": 1, "bytes": 18446744073709551616}}'
bad "counter over 2^64" "out of range"
rule '{"vmap": {"key": {"ct": {"key": "state"}}, "data": "@m"}}'
bad "named vmap" "named maps"
rule '{"reject": {"type": "icmp"}}'
bad "reject without code" "missing \"expr\""
mk '{"nftables": [%s, {"rule": {"family": "inet", "table": "f", "chain": "input", "expr": []}}]}' "$TB"
bad "rule in a chain that is not there" "no chain 'input'"
mk '{"nftables": [%s, %s, {"rule": {"family": "inet", "table": "f", "chain": "input", "expr": [%s], "comment": "a\\nb"}}]}' "$TB" "$CH" "$M"
bad "newline in a comment" "cannot keep"
mk '\357\273\277{"nftables": []}'
bad "byte order mark" "byte 0xef"

# every prefix of a real document is refused cleanly, none crashes
f=$TMP/web-server.json
if [ -s "$f" ]; then
	len=$(wc -c <"$f")
	i=0
	bad_prefix=""
	while [ "$i" -lt "$len" ]; do
		head -c "$i" "$f" >"$TMP/p.json"
		$J load "$TMP/p.json" >/dev/null 2>"$TMP/err"
		rc=$?
		if [ $rc -ne 1 ] || ! grep -q ': error: ' "$TMP/err"; then
			bad_prefix="$i (exit $rc)"
			break
		fi
		i=$((i + 13))
	done
	if [ -z "$bad_prefix" ]; then
		ok "every 13th prefix of web-server.json is refused cleanly"
	else
		nok "prefix of $bad_prefix bytes of web-server.json"
	fi
fi

# a set of 100k elements loads, all of them
awk 'BEGIN {
	printf "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"f\"}}, "
	printf "{\"set\": {\"family\": \"inet\", \"table\": \"f\", \"name\": \"big\", \"type\": \"ipv4_addr\", \"elem\": ["
	for (i = 0; i < 100000; i++)
		printf "%s\"10.%d.%d.%d\"", i ? ", " : "", int(i / 65536), int(i / 256) % 256, i % 256
	print "]}}]}"
}' >"$TMP/big.json"
if $J load "$TMP/big.json" >"$TMP/big.out" 2>"$TMP/err" &&
   [ "$(tr ',' '\n' <"$TMP/big.out" | grep -c '10\.')" = 100000 ]; then
	ok "a set of 100000 elements"
else
	nok "a set of 100000 elements: $(head -n 1 "$TMP/err")"
fi
# and as a rule's anonymous set: the text parser's limits apply
awk 'BEGIN {
	printf "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"f\"}}, "
	printf "{\"chain\": {\"family\": \"inet\", \"table\": \"f\", \"name\": \"c\"}}, "
	printf "{\"rule\": {\"family\": \"inet\", \"table\": \"f\", \"chain\": \"c\", \"expr\": [{\"match\": {\"op\": \"==\", "
	printf "\"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": {\"set\": ["
	for (i = 0; i < 100000; i++)
		printf "%s\"10.%d.%d.%d\"", i ? ", " : "", int(i / 65536), int(i / 256) % 256, i % 256
	print "]}}}, {\"accept\": null}]}}]}"
}' >"$TMP/bigrule.json"
$J load "$TMP/bigrule.json" >/dev/null 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -q ': error: ' "$TMP/err"; }; then
	ok "a rule with a 100000-element set (exit $rc)"
else
	nok "a rule with a 100000-element set (exit $rc)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
