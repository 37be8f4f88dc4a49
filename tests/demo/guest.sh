#!/bin/sh
# The demo, run inside the test guest with ctrack loaded: the seed
# documents' ruleset on a firewall host, real traffic, and what ctrack saw.
#
#   client (10.0.1.2) --veth-- fw (10.0.1.1 | 10.0.2.1, the ruleset) --veth-- server (10.0.2.2)
#
. /ctrack/lib/tap.sh
FW="nsx router"
step() { printf '\n===== %s =====\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@" 2>&1; }
# try WANT DESC CMD...: run CMD, say whether it got through and whether
# that is what the ruleset should do (WANT: pass or blocked).
try() {
	want=$1 desc=$2; shift 2
	if "$@" >/tmp/try.out 2>&1; then got=pass; else got=blocked; fi
	if [ "$got" = "$want" ]; then verdict="as the rules say"; else verdict="UNEXPECTED"; fi
	printf '  %-58s %-8s (%s)\n' "$desc" "$got" "$verdict"
	[ "$got" = pass ] || sed -n '1,2s/^/      /p' /tmp/try.out
}

topo_up
step "ctrack is loaded"
show cat /sys/module/ctrack/parameters/max_conns
dmesg | grep 'ctrack' | tail -2

step "The seed ruleset, applied on the firewall host with ctrackctl"
while read -r line; do
	[ -n "$line" ] || continue
	echo "$ ctrackctl $line"
	# shellcheck disable=SC2086
	$FW ctrackctl $line
done <<'RULES'
rule add input ct state established,related accept
rule add forward ct state established,related accept
rule add output ct state established,related accept
rule add input ct state invalid drop
rule add forward ct state invalid drop
rule add output ct state invalid drop
rule add input tcp dport 22 ct state new accept
rule add input tcp dport 80 ct state new accept
rule add input ct state new drop
RULES
show $FW ctrackctl rule list
$FW ctrackctl monitor > /tmp/events 2>&1 &
MON=$!

step "Listeners on the firewall: SSH-like on 22, HTTP on 80, something on 8080"
bg $FW ctnet tcp-server 22
bg $FW ctnet tcp-server 8080
mkdir -p /tmp/www && echo "hello from the firewall" > /tmp/www/index.html
bg $FW httpd -f -p 80 -h /tmp/www
bg nsx server ctnet udp-server 53
bg nsx server ctnet udp-server 5353 4000
sleep 1

step "TCP: new connections to 22 and 80 pass, 8080 is dropped"
try pass "client -> fw:22 (SSH-like, 100 kB echoed)" nsx client ctnet tcp-client 10.0.1.1 22 100000
try pass "client -> fw:80 (HTTP GET)" nsx client curl -s --max-time 5 -o /tmp/page http://10.0.1.1/index.html
try blocked "client -> fw:8080 (ct state new drop)" nsx client ctnet tcp-client 10.0.1.1 8080 10 2000

step "UDP: a reply within the timeout is ESTABLISHED; a late one is NEW and dropped"
try pass "fw -> server:53 and the reply" $FW ctnet udp-client 10.0.2.2 53
show $FW ctrackctl timeout set udp 2
try blocked "fw -> server:5353, reply after 4 s (UDP timeout 2 s)" $FW ctnet udp-client 10.0.2.2 5353 6000
show $FW ctrackctl timeout set udp 30

step "ICMP: ping out of the firewall works, ping into it is a new connection and dropped"
try pass "fw -> client ping" $FW ping -c 1 -W 2 10.0.1.2
try blocked "client -> fw ping (ct state new drop)" nsx client ping -c 1 -W 2 10.0.1.1
try pass "client -> server ping, forwarded" nsx client ping -c 1 -W 2 10.0.2.2

step "A forged packet: an ACK for a connection that never existed is INVALID"
before=$($FW ctrackctl -j stats | tr -d ' ' | grep -o '"invalid":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s+0}')
show nsx client ctnet raw-tcp 10.0.1.2 10.0.1.1 40000 22 A 12345 67890
sleep 1
after=$($FW ctrackctl -j stats | tr -d ' ' | grep -o '"invalid":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s+0}')
echo "  INVALID packets counted by ctrack: $before before, $after after (dropped by 'ct state invalid drop')"

step "FTP: the data connection is RELATED to the control connection"
. /ctrack/lib/ftp.sh
vsftpd_start router fw4 "listen=YES
listen_address=10.0.1.1"
sleep 1
show $FW ctrackctl rule insert input position 9 tcp dport 21 ct state new accept
show $FW ctrackctl helper list
try pass "client fetches 200 kB, passive (PASV)" nsx client curl -s --max-time 10 -o /tmp/f1 ftp://10.0.1.1/pub/file.bin
try pass "client fetches 200 kB, extended passive (EPSV)" nsx client curl -s --epsv --max-time 10 -o /tmp/f2 ftp://10.0.1.1/pub/file.bin
show $FW ctrackctl conn list -p tcp
show $FW ctrackctl helper delete ftp port 21
try blocked "the same fetch with the FTP helper off" nsx client curl -s --max-time 6 -o /tmp/f3 ftp://10.0.1.1/pub/file.bin
show $FW ctrackctl helper add ftp port 21

step "The connection table"
show $FW ctrackctl conn list
step "/proc/net/ctrack"
show $FW cat /proc/net/ctrack
step "Only what matters: conn list -p tcp --dport 22"
show $FW ctrackctl conn list -p tcp --dport 22
step "Rule counters"
show $FW ctrackctl rule list
step "Statistics"
show $FW ctrackctl stats
step "Events seen by ctrackctl monitor"
kill $MON 2>/dev/null
cat /tmp/events
exit 0
