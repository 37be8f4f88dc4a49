#!/bin/sh
# Hostile input (issue 8): the netlink fuzzer, then the packet fuzzer through
# input, forward and output, then hostile FTP control lines.
#
#   fz (10.9.0.1) --veth-- fp (10.9.0.2)      netlink fuzz in fz, UDP traffic
#
#   client (10.0.1.2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2)
#   ctfuzz pkt on c0 ------->  policy drop, only             ctfuzz count on s0:
#   (AF_PACKET frames)         "ct state established,        nothing may arrive
#                              related accept": no packet
#                              may be ESTABLISHED/RELATED
#
# Counts (the short form of `make check`; tests/fuzz.sh sets the long ones):
#   CTFUZZ_NL (50000 requests), CTFUZZ_PKT (20000 frames; a quarter as
#   many again through output), CTFUZZ_FTP (300 lines), CTFUZZ_SEED (random).
# TCG+KASAN answers about 1000 requests a second on a quiet 2-core host
# (450 beside make stress), and forwards about 600 fuzzed frames a second:
# the short form takes two to four minutes, tests/fuzz.sh's 1M of each
# about an hour and a quarter.
. /ctrack/lib/tap.sh

NSS="fz fp client router server"
ns_clean

NL=${CTFUZZ_NL:-50000}
PKT=${CTFUZZ_PKT:-20000}
FTP=${CTFUZZ_FTP:-300}
SEED=${CTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (CTFUZZ_SEED=$SEED reproduces this run)"

ns_inum() { nsx "$1" readlink /proc/self/ns/net | tr -dc 0-9; }
# Sum of one field of `ctrackctl stats` over the CPUs.
stat_sum() {
	nsx "$1" ctrackctl stats | tr ' ' '\n' | sed -n "s/^$2=//p" |
		awk '{ s += $1 } END { print s + 0 }'
}
# "HOOK established related" from the debug view, one line per hook.
ct_estrel() {
	awk '$1 != "conns" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print $1, v["established"], v["related"]
	}' "/sys/kernel/debug/ctrack/$(ns_inum "$1")"
}

# --- netlink -----------------------------------------------------------
ip netns add fz
ip netns add fp
ip link add f0 netns fz type veth peer name f1 netns fp
nsx fz ip addr add 10.9.0.1/24 dev f0
nsx fp ip addr add 10.9.0.2/24 dev f1
nsx fz ip link set f0 up
nsx fp ip link set f1 up
nsx fz ip link set lo up
# Connections come and go in the fuzzed namespace while the fuzz runs.
bg nsx fp ctnet udp-server 7000
# Gently: each exchange costs two processes, and the fuzzer needs the CPUs.
bg sh -c 'while :; do /sbin/ip netns exec fz ctnet udp-client 10.9.0.2 7000 300 >/dev/null 2>&1; /sbin/ip netns exec fz ctnet udp-client 10.9.0.2 7001 100 >/dev/null 2>&1; sleep 1; done'

t0=$(date +%s)
nsx fz ctfuzz nl -s "$SEED" -n "$NL" > /tmp/fuzz-nl.out 2>&1 &
nl=$!
# The long form runs for half an hour: copy its progress lines to the results.
last=""
while kill -0 $nl 2>/dev/null; do
	sleep 5
	p=$(grep progress /tmp/fuzz-nl.out | tail -1)
	[ -n "$p" ] && [ "$p" != "$last" ] && echo "# $p" && last=$p
done
wait $nl
rc=$?
sed 's/^/# /' /tmp/fuzz-nl.out | tail -12
check_eq "netlink fuzz: $NL requests, each answered, rules as the model says" 0 $rc
echo "# netlink fuzz took $(($(date +%s) - t0)) s"
check "rule listing after the fuzz" nsx fz ctrackctl rule list
check "connection listing after the fuzz" nsx fz ctrackctl conn list
check "conn count after the fuzz" nsx fz ctrackctl conn count
check "ruleset save/load round trip after the fuzz" \
	sh -c '/sbin/ip netns exec fz ctrackctl ruleset save > /tmp/fz.rules && /sbin/ip netns exec fz ctrackctl ruleset load /tmp/fz.rules'
tap_cleanup
BG_PIDS=""
ip netns del fz
ip netns del fp

# --- packets -----------------------------------------------------------
topo_up
for h in input forward output; do
	nsx router ctrackctl policy set $h drop
	nsx router ctrackctl rule add $h ct state established,related accept > /dev/null
done
# The router's own neighbour discovery would be dropped by output.
smac=$(nsx server cat /sys/class/net/s0/address)
cmac=$(nsx client cat /sys/class/net/c0/address)
rmac=$(nsx router cat /sys/class/net/r0/address)
nsx router ip -6 neigh replace fd00:2::2 lladdr "$smac" dev r1 nud permanent
nsx router ip -6 neigh replace fd00:1::2 lladdr "$cmac" dev r0 nud permanent
nsx router ip neigh replace 10.0.2.2 lladdr "$smac" dev r1 nud permanent
nsx router ip neigh replace 10.0.1.2 lladdr "$cmac" dev r0 nud permanent

inv0=$(stat_sum router invalid)
/sbin/ip netns exec server ctfuzz count s0 100000 > /tmp/fuzz-count.out 2>&1 &
counter=$!
t0=$(date +%s)
nsx client ctfuzz pkt -s "$SEED" -n "$PKT" -i c0 -m "$rmac" > /tmp/fuzz-pkt.out 2>&1
check_eq "packet fuzz (input, forward) ran" 0 $?
# The router answers some forged packets itself (time exceeded for TTL 1,
# fragmentation needed): errors about a packet that would start a
# connection, RELATED as in nf_conntrack, back to the forger. They are
# done before the output fuzz, which must get nothing through.
sleep 1
ct_estrel router > /tmp/estrel0
/sbin/ip netns exec client ctfuzz count c0 100000 > /tmp/fuzz-countc.out 2>&1 &
counterc=$!
nsx router ctfuzz pkt -o -s "$((SEED + 1))" -n "$((PKT / 4))" > /tmp/fuzz-pkto.out 2>&1
check_eq "packet fuzz (output) ran" 0 $?
sleep 1
kill -TERM $counter $counterc
wait $counter $counterc
cat /tmp/fuzz-pkt.out /tmp/fuzz-pkto.out | grep -v progress | sed 's/^/# /'
echo "# packet fuzz took $(($(date +%s) - t0)) s"
got=$(tail -1 /tmp/fuzz-count.out)
check_eq "no forged packet reached the server" 0 "$got"
check_eq "no packet of the output fuzz reached the client" 0 "$(tail -1 /tmp/fuzz-countc.out)"
# A send that was not refused (EPERM) must be a fragment that defrag held
# before the rules: it is judged, and dropped, if ever reassembled.
check_eq "every output send not refused was a fragment held by defrag" 0 \
	"$(sed -n 's/^pkt output held=[0-9]* passed=//p' /tmp/fuzz-pkto.out)"
sed 's/^/# established, related before the output fuzz: /' /tmp/estrel0
ct_estrel router | sed 's/^/# established, related: /'
check_eq "no forged packet was ESTABLISHED or RELATED" \
	"input 0 0 forward 0 0" "$(ct_estrel router | head -2 | tr '\n' ' ' | sed 's/ $//')"
check_eq "no packet of the output fuzz was ESTABLISHED or RELATED" \
	"$(sed -n 3p /tmp/estrel0)" "$(ct_estrel router | sed -n 3p)"
check_eq "no connection was created by forged packets" 0 \
	"$(sed -n 's/^conns //p' "/sys/kernel/debug/ctrack/$(ns_inum router)")"
inv1=$(stat_sum router invalid)
must=$(sed -n 's/.*must_invalid=\([0-9]*\).*/\1/p' /tmp/fuzz-pkt.out)
echo "# invalid: $((inv1 - inv0)) counted, at least $must certain"
check "stats count every certainly INVALID packet ($must)" [ $((inv1 - inv0)) -ge "${must:-1}" ]
check "rule listing still works" nsx router ctrackctl rule list

# --- hostile FTP control lines (helper on port 21) ---------------------
nsx router ctrackctl rule add forward tcp dport 21 ct state new accept > /dev/null
bg nsx server ctnet tcp-server 21
sleep 1
nsx client ctfuzz ftp -s "$SEED" -n "$FTP" 10.0.2.2 21 > /tmp/fuzz-ftp.out 2>&1
rc=$?
sed 's/^/# /' /tmp/fuzz-ftp.out | tail -3
check_eq "hostile FTP lines: the control connection survives and echoes" 0 $rc
check "expectation listing after hostile FTP lines" nsx router ctrackctl expect list
check "conn listing after hostile FTP lines" nsx router ctrackctl conn list
ns_clean
tap_done
