#!/bin/sh
# /proc/net/ctrack under load: with 16 buckets every chain is long, so a
# read that resumes mid-chain after each small read() meets connections
# inserted at the head of that chain and others expiring. Every connection
# present before and after the read must be listed exactly once in it, and
# a quiet table must read the same in one go and in 7-byte pieces.
# ctrack-params: buckets=16 max_conns=65536
#
#   client (10.0.1.2) --veth-- router (reads its table) --veth-- server (10.0.2.2)
#
. /ctrack/lib/tap.sh

# Fewer flows on the debug kernel (KASAN, kmemleak), which is much slower.
N=200
[ -e /sys/kernel/debug/kmemleak ] && N=120
for ns in client router server; do ip netns del $ns 2>/dev/null; done
topo_up
bg nsx server ctnet udp-server 53
sleep 1

# UDP flows client -> server from source ports FIRST..FIRST+COUNT-1.
flows() {
	nsx client sh -c "i=$1; while [ \$i -lt $(($1 + $2)) ]; do
		ctnet udp-client 10.0.2.2 53 300 \$i > /dev/null 2>&1; i=\$((i + 1)); done"
}
# The original tuple of every UDP line: one key per connection.
keys() { awk '$3 == "udp" { print $6, $7, $8, $9 }' "$1"; }
table() { /sbin/ip netns exec router cat /proc/net/ctrack; }
# Without the seconds-left field, which moves while we read.
untimed() { awk '{ $5 = ""; print }' "$1"; }

# Long enough that no flow expires during the test, where the tool is there.
nsx router ctrackctl timeout set udp 600 > /dev/null 2>&1 && long=1 || long=0
t0=$(date +%s)
flows 20000 "$N"
echo "# $N flows in $(($(date +%s) - t0)) s (udp timeout raised: $long)"

table > /tmp/quiet.1
/sbin/ip netns exec router dd if=/proc/net/ctrack bs=7 2>/dev/null > /tmp/quiet.7
# Lines with a few seconds left may expire between the two reads.
awk '$5 > 5 { $5 = ""; print }' /tmp/quiet.1 | sort > /tmp/quiet.1u
untimed /tmp/quiet.7 | sort > /tmp/quiet.7u
check_eq "a quiet table reads the same in one go and in 7-byte pieces" "" \
	"$(sort /tmp/quiet.1u /tmp/quiet.7u /tmp/quiet.7u | uniq -u | head -2)"
untimed /tmp/quiet.1 | sort > /tmp/quiet.1a
check_eq "the 7-byte read invents nothing" "" \
	"$(sort /tmp/quiet.1a /tmp/quiet.1a /tmp/quiet.7u | uniq -u | head -2)"
check_eq "the 7-byte read repeats nothing" "" "$(uniq -d /tmp/quiet.7u | head -2)"
got=$(keys /tmp/quiet.1 | grep -c 'dport=53$')
if [ $long = 1 ]; then
	check_eq "all $N flows are listed" "$N" "$got"
else
	# The first flows may have expired (30 s) on a slow machine.
	check "the flows are listed ($got of $N)" test "$got" -ge $((N / 4))
fi
check_eq "no connection is listed twice" "" "$(keys /tmp/quiet.1 | sort | uniq -d)"
entries=$(/sbin/ip netns exec router awk 'NR == 2 { print $1 }' /proc/net/stat/ctrack)
check "stat entries ($((0x$entries))) is at least the lines listed ($(wc -l < /tmp/quiet.1))" \
	test "$((0x$entries))" -ge "$(wc -l < /tmp/quiet.1)"

# Now read in small pieces, again and again, while new flows go into the
# same long chains and the first ones expire and are collected. A flow
# appears once and disappears once, so one listed in the snapshots taken
# just before and just after a read lived through that read.
flows 30000 "$N" &
churn=$!
reads=0
table > /tmp/snap.0
while kill -0 $churn 2> /dev/null; do
	reads=$((reads + 1))
	/sbin/ip netns exec router dd if=/proc/net/ctrack bs=64 2>/dev/null > /tmp/during.$reads
	table > /tmp/snap.$reads
done
wait $churn
missing="" twice="" new=0 bad="" lived=0
i=1
while [ $i -le $reads ]; do
	keys /tmp/snap.$((i - 1)) | sort -u > /tmp/k.before
	keys /tmp/snap.$i | sort -u > /tmp/k.after
	sort /tmp/k.before /tmp/k.after | uniq -d > /tmp/k.lived
	lived=$((lived + $(wc -l < /tmp/k.lived)))
	keys /tmp/during.$i | sort > /tmp/k.during
	m=$(sort /tmp/k.lived /tmp/k.during /tmp/k.during | uniq -u | head -2)
	[ -n "$m" ] && missing="$missing read $i: $m;"
	d=$(uniq -d /tmp/k.during | head -2)
	[ -n "$d" ] && twice="$twice read $i: $d;"
	new=$((new + $(sort /tmp/k.before /tmp/k.before /tmp/k.during | uniq -u | wc -l)))
	awk '!/^ipv[46] +(2|10) [a-z0-9]+ +[0-9]+ [0-9]+ src=/ { print; exit 1 }' \
		/tmp/during.$i > /tmp/bad || bad=$(cat /tmp/bad)
	i=$((i + 1))
done
echo "# $reads reads; on average $((lived / (reads + 1))) connections lived through one"
check "reads overlapped insertions ($new listed that were not there just before)" \
	test "$new" -gt 0 -a "$reads" -gt 1
check "connections lived through the reads" test "$lived" -ge "$((reads * 10))"
check_eq "no connection that lived through a read is missing from it" "" "$missing"
check_eq "no connection is listed twice in a read" "" "$twice"
check_eq "every line parses like nf_conntrack's" "" "$bad"
tap_done
