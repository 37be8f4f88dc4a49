#!/bin/sh
# ctrackctl against the real module, in the QEMU guest: every command of
# INTERFACE.md once, exit codes, kernel messages, the nf_conntrack-format
# lines, events.
#
#   client (10.0.1.2) --veth-- router (10.0.1.1): the rules are the router's
#   input chain; servers on 22, 80, 8080 (TCP) and 53 (UDP) in the router.
#
. /ctrack/lib/tap.sh

R() { /sbin/ip netns exec router ctrackctl "$@"; }
topo_up
# TCG under load is slow: entries must not expire between two checks
for c in "udp" "udp stream" "icmp" "tcp syn_sent" "tcp syn_recv" "tcp fin_wait" \
	"tcp close_wait" "tcp last_ack" "tcp time_wait" "tcp close"; do
	# shellcheck disable=SC2086
	/sbin/ip netns exec router ctrackctl timeout set $c 3600
done
bg nsx router ctnet tcp-server 22
bg nsx router ctnet tcp-server 80
bg nsx router ctnet tcp-server 8080
bg nsx router ctnet udp-server 53
sleep 1

# --- rules ---
fresh="table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
	}

	chain output {
		type filter hook output priority filter; policy accept;
	}
}"
check_eq "rule list of a fresh namespace: table inet filter, three empty base chains" \
	"$fresh" "$(R rule list)"
h1=$(R rule add input ct state established,related accept)
h2=$(R rule add input ct state invalid drop)
h3=$(R rule add input tcp dport 22 ct state new accept)
h4=$(R rule add input tcp dport 80 ct state new accept)
h5=$(R rule add input icmp type echo-request accept)
h6=$(R rule add input udp dport 53 accept)
h7=$(R rule add input ct state new drop)
case "$h1$h2$h3$h4$h5$h6$h7" in
*[!0-9]* | "") not_ok "rule add prints numeric handles: '$h1 $h2 $h3 $h4 $h5 $h6 $h7'" ;;
*) ok "rule add prints numeric handles ($h1 .. $h7)" ;;
esac
want="table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept # handle $h1
		ct state invalid drop # handle $h2
		tcp dport 22 ct state new accept # handle $h3
		tcp dport 80 ct state new accept # handle $h4
		icmp type echo-request accept # handle $h5
		udp dport 53 accept # handle $h6
		ct state new drop # handle $h7
	}
}"
got=$(R rule list input | sed 's/ counter packets [0-9]* bytes [0-9]*//')
check_eq "rule list input shows the seed rules in order" "$want" "$got"

# --- traffic and connections ---
check "tcp 22 accepted" nsx client ctnet tcp-client 10.0.1.1 22 1000 2000 40022
check "tcp 80 accepted" nsx client ctnet tcp-client 10.0.1.1 80 1000 2000 40080
check_exit "tcp 8080 dropped (timeout)" 1 nsx client ctnet tcp-client 10.0.1.1 8080 10 1000
check "udp 53 accepted" nsx client ctnet udp-client 10.0.1.1 53 2000 40053
check "ping accepted" nsx client ping -c 1 -W 2 10.0.1.1

R conn list >/tmp/conns 2>/tmp/conns.err
# state and [ASSURED] are the TCP tracker's business; the format is ours
check "conn list: tcp line in nf_conntrack format" grep -Eq \
	'^ipv4     2 tcp      6 [0-9]+ [A-Z_2]+ src=10\.0\.1\.2 dst=10\.0\.1\.1 sport=40022 dport=22 packets=[0-9]+ bytes=[0-9]+ src=10\.0\.1\.1 dst=10\.0\.1\.2 sport=22 dport=40022 packets=[0-9]+ bytes=[0-9]+ (\[ASSURED\] )?use=1$' /tmp/conns
check "conn list: udp line (no state word)" grep -Eq \
	'^ipv4     2 udp      17 [0-9]+ src=10\.0\.1\.2 dst=10\.0\.1\.1 sport=40053 dport=53 packets=1 bytes=[0-9]+ src=10\.0\.1\.1 dst=10\.0\.1\.2 sport=53 dport=40053 packets=1 bytes=[0-9]+ use=1$' /tmp/conns
check "conn list: icmp line, reply type 0" grep -Eq \
	'^ipv4     2 icmp     1 [0-9]+ src=10\.0\.1\.2 dst=10\.0\.1\.1 type=8 code=0 id=[0-9]+ packets=1 bytes=84 src=10\.0\.1\.1 dst=10\.0\.1\.2 type=0 code=0 id=[0-9]+ packets=1 bytes=84 use=1$' /tmp/conns
grep -q "sport=40022 dport=22 " /tmp/conns || sed 's/^/#   conns: /' /tmp/conns
check "conn list: no entry for the dropped port" sh -c '! grep -q "dport=8080" /tmp/conns'
n=$(wc -l </tmp/conns)
check_eq "conn list: summary on stderr" "ctrack v0.1.0: $n flow entries have been shown." "$(cat /tmp/conns.err)"
check_eq "conn count matches the listing" "$n" "$(R conn count)"
check_eq "conn list -p tcp --dport 22: one entry" 1 "$(R conn list -p tcp --dport 22 2>/dev/null | wc -l)"
check_eq "conn list -p udp: one entry" 1 "$(R conn list -p udp 2>/dev/null | wc -l)"
check_eq "conn list -s 10.0.1.1: none (filters the original source)" 0 "$(R conn list -s 10.0.1.1 2>/dev/null | wc -l)"
check "conn get -p tcp --sport 40022" sh -c '/sbin/ip netns exec router ctrackctl conn get -p tcp --sport 40022 | grep -q "dport=22 "'
check_exit "conn get matching two is refused" 1 R conn get -p tcp -s 10.0.1.2
check_exit "conn get matching none is refused" 1 R conn get -p tcp --dport 9
check "conn delete -p tcp --dport 80 --orig-src 10.0.1.2" sh -c \
	'/sbin/ip netns exec router ctrackctl conn delete -p tcp --dport 80 --orig-src 10.0.1.2 2>&1 | grep -q "^ctrack v0.1.0: 1 flow entries have been deleted.$"'
check_eq "conn delete removed exactly that entry" "$((n - 1))" "$(R conn count)"
check "conn list -j is a JSON array" sh -c '/sbin/ip netns exec router ctrackctl -j conn list 2>/dev/null | grep -q "^\[{\"family\":\"ipv4\".*}\]$"'

# --- counters ---
R rule list input >/tmp/rules
check "counter of the ssh rule counts its new packet" grep -Eq \
	"^		tcp dport 22 ct state new counter packets [1-9][0-9]* bytes [1-9][0-9]* accept # handle $h3$" /tmp/rules
check "counter of the drop rule counts the 8080 SYNs" grep -Eq \
	"^		ct state new counter packets [1-9][0-9]* bytes [1-9][0-9]* drop # handle $h7$" /tmp/rules

# --- rule delete / insert / policy / errors ---
check "rule delete input handle (port 80 rule)" R rule delete input handle "$h4"
check_exit "tcp 80 now dropped" 1 nsx client ctnet tcp-client 10.0.1.1 80 10 1000
R rule delete input handle 4242 >/dev/null 2>/tmp/err
rc=$?
check_eq "rule delete of an unknown handle exits 1" 1 "$rc"
check "... with one 'ctrackctl: ' line" sh -c '[ $(wc -l </tmp/err) = 1 ] && grep -q "^ctrackctl: " /tmp/err'
sed 's/^/#   kernel said: /' /tmp/err
h8=$(R rule insert input position "$h3" tcp dport 8080 accept)
check "rule insert position puts it before that rule" sh -c \
	"/sbin/ip netns exec router ctrackctl rule list input | grep -A1 'tcp dport 8080 counter .* accept # handle $h8' | grep -q 'tcp dport 22 ct state new counter .* accept # handle $h3'"
check "tcp 8080 now accepted" nsx client ctnet tcp-client 10.0.1.1 8080 10 2000
h9=$(R rule insert input ip saddr 10.0.9.0/24 drop)
check "rule insert without position goes to the head" sh -c \
	"/sbin/ip netns exec router ctrackctl rule list input | sed -n 4p | grep -q 'ip saddr 10.0.9.0/24 counter .* drop # handle $h9'"
check "policy set input drop" R policy set input drop
check "rule list shows the policy" sh -c '/sbin/ip netns exec router ctrackctl rule list input | grep -q "^		type filter hook input priority filter; policy drop;$"'

# --- ruleset save / load ---
R ruleset save >/tmp/saved
check "ruleset save starts with the table, as nft list ruleset" sh -c "head -n 1 /tmp/saved | grep -q '^table inet filter {$'"
check "ruleset save has the input policy" grep -q '^		type filter hook input priority filter; policy drop;$' /tmp/saved
check "ruleset save has no handles" sh -c '! grep -q "# handle" /tmp/saved'
check "rule flush input" R rule flush input
check_eq "no rules left" 5 "$(R rule list input | wc -l)"
check "ruleset load FILE" R ruleset load /tmp/saved
R ruleset save >/tmp/saved2
check "ruleset save after load is identical" cmp /tmp/saved /tmp/saved2
printf 'flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttcp dport 80-20 accept\n\t}\n}\n' >/tmp/bad.rules
check_exit "bad ruleset file refused" 1 R ruleset load /tmp/bad.rules
R ruleset save >/tmp/saved3
check "a refused load changes nothing" cmp /tmp/saved /tmp/saved3
check "ruleset load - (stdin)" sh -c '/sbin/ip netns exec router ctrackctl ruleset load - </tmp/saved'
check "established traffic still flows after the reload" nsx client ctnet tcp-client 10.0.1.1 22 1000 2000

# --- sets: elements change at run time, the rules do not ---
check "set add icmp_ok type icmp_type" R set add icmp_ok type icmp_type
check "element add takes names of the set's type (echo-request)" \
	R element add icmp_ok { echo-request, echo-reply }
R set list icmp_ok >/tmp/set 2>&1
check "set list shows them by name" sh -c 'grep -q echo-request /tmp/set && grep -q echo-reply /tmp/set'
sed 's/^/#   /' /tmp/set
check "set add block type ipv4_addr flags interval, timeout" R set add block type ipv4_addr flags interval, timeout
h10=$(R rule insert input ip saddr @block drop)
check "element add block { 10.0.9.0/24 timeout 1h }" R element add block { 10.0.9.0/24 timeout 1h }
check "tcp 22 passes while the client is not in the set" nsx client ctnet tcp-client 10.0.1.1 22 10 2000
check "element add block { 10.0.1.2 }" R element add block { 10.0.1.2 }
check_exit "tcp 22 from an address in the set is dropped" 1 nsx client ctnet tcp-client 10.0.1.1 22 10 1000
check "element delete block { 10.0.1.2 }" R element delete block { 10.0.1.2 }
check "tcp 22 passes again, the rule untouched" nsx client ctnet tcp-client 10.0.1.1 22 10 2000
check_exit "element delete of an element not in the set exits 1" 1 R element delete block { 10.0.1.2 }
check_exit "set delete of a set a rule uses exits 1" 1 R set delete block
check "rule delete, then set delete" sh -c "/sbin/ip netns exec router ctrackctl rule delete input handle $h10 && /sbin/ip netns exec router ctrackctl set delete block"
check "set delete icmp_ok" R set delete icmp_ok
check_eq "no set left" "" "$(R set list)"

# --- timeouts, helpers, settings, stats, expectations ---
check "timeout list has tcp established" sh -c '/sbin/ip netns exec router ctrackctl timeout list | grep -Eq "^tcp established [0-9]+$"'
check "timeout set udp 45" R timeout set udp 45
check_eq "timeout list shows it" "udp 45" "$(R timeout list | grep '^udp [0-9]')"
check "timeout set tcp established 3600" R timeout set tcp established 3600
check_eq "timeout list shows it" "tcp established 3600" "$(R timeout list | grep '^tcp established')"
check "helper add ftp port 2121" R helper add ftp port 2121
check "helper list shows it" sh -c '/sbin/ip netns exec router ctrackctl helper list | grep -q "^ftp port 2121$"'
check "helper delete ftp port 2121" R helper delete ftp port 2121
check "helper list no longer shows it" sh -c '! /sbin/ip netns exec router ctrackctl helper list | grep -q "^ftp port 2121$"'
check "helper add tftp port 69" R helper add tftp port 69
check "helper list shows tftp" sh -c '/sbin/ip netns exec router ctrackctl helper list | grep -q "^tftp port 69$"'
check "helper delete tftp port 69" R helper delete tftp port 69
check_exit "an unknown helper is refused by the kernel" 1 R helper add sip port 5060
check "its error names the helper list" sh -c '/sbin/ip netns exec router ctrackctl helper add sip port 5060 2>&1 | grep -q "no helper of that name"'
check_eq "setting list: tcp_loose 0 by default" "tcp_loose 0" "$(R setting list | grep tcp_loose)"
check "setting set tcp_loose 1" R setting set tcp_loose 1
check_eq "setting list: tcp_loose 1" "tcp_loose 1" "$(R setting list | grep tcp_loose)"
R setting set tcp_loose 0
check "stats: one cpu= line per possible cpu" sh -c \
	'[ $(/sbin/ip netns exec router ctrackctl stats | grep -c "^cpu=[0-9]* found=[0-9]* invalid=[0-9]* insert=") -ge 1 ]'
check "stats -j is a JSON array" sh -c '/sbin/ip netns exec router ctrackctl -j stats | grep -q "^\[{\"cpu\":0,"'
check "expect list" sh -c '/sbin/ip netns exec router ctrackctl expect list 2>&1 | grep -q "expectation entries have been shown"'
check "expect flush" R expect flush

# --- monitor ---
# ip netns exec execs ctrackctl, so $! is the monitor itself
/sbin/ip netns exec router ctrackctl monitor >/tmp/mon 2>/tmp/mon.err &
mon=$!
sleep 1
nsx client ctnet tcp-client 10.0.1.1 22 1000 2000 40122
nsx client ctnet udp-client 10.0.1.1 53 2000 40153
sleep 1
R conn flush 2>/dev/null
sleep 1
kill -INT $mon
i=0
while kill -0 $mon 2>/dev/null && [ $i -lt 10 ]; do
	sleep 1
	i=$((i + 1))
done
if kill -0 $mon 2>/dev/null; then
	kill -KILL $mon
	not_ok "monitor exits on SIGINT"
else
	wait $mon
	check_eq "monitor exits 0 on SIGINT" 0 $?
fi
check "monitor: [NEW] tcp" grep -Eq '^\[NEW\] tcp      6 [0-9]+ SYN_SENT src=10\.0\.1\.2 dst=10\.0\.1\.1 sport=40122 dport=22 ' /tmp/mon
check "monitor: [UPDATE] tcp" grep -Eq '^\[UPDATE\] tcp      6 .* sport=40122 dport=22 ' /tmp/mon
check "monitor: [DESTROY] tcp" grep -Eq '^\[DESTROY\] tcp      6 .* sport=40122 dport=22 ' /tmp/mon
check "monitor: [NEW] udp" grep -Eq '^\[NEW\] udp      17 .* sport=40153 dport=53 ' /tmp/mon
check "monitor: no events lost" sh -c '! grep -q lost /tmp/mon.err || grep -q ", 0 lost" /tmp/mon.err'
check "monitor: summary on exit" grep -q "events shown" /tmp/mon.err
sed 's/^/#   /' /tmp/mon | head -12

# --- flush ---
check "conn flush" sh -c '/sbin/ip netns exec router ctrackctl conn flush 2>&1 | grep -q "table has been emptied"'
check_eq "conn count is 0 after flush" 0 "$(R conn count)"
check "rule flush (all chains)" R rule flush
check_exit "usage error exits 2" 2 R rule add input tcp dport 80-20 accept
tap_done
