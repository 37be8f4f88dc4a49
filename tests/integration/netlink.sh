#!/bin/sh
# The ctrack netlink family, driven with raw requests (ctnl): every
# operation, hostile input refused with an errno and a message and nothing
# changed, dumps of 10k rules across many messages, per-namespace state,
# and permissions. No traffic here: see rules.sh.
#
#   init netns            fw (ctrack's own instance)    userns-owned netns
#   ctnl -u 65534: EPERM  ctnl: every op               unshare -r -n: allowed
#
. /ctrack/lib/tap.sh

# uapi numbers (kmod/uapi/ctrack.h)
HOOK=1 HANDLE=2 POSITION=3 INSERT=4 POLICY=5 RULE=6 CHAIN=7 FILTER=9
COUNT=10 MAXC=11 TIMEOUT=14 HELPER=15 SETTING=16
R_FAMILY=2 R_PROTO=3 R_SADDR=4 R_SPREFIX=5 R_DADDR=6 R_DPREFIX=7
R_DPORT=10 R_DPORT_MAX=11 R_ICMP=12 R_IIF=13 R_CTSTATE=15 R_VERDICT=16
R_PACKETS=17
NEW=2 EST=4 REL=8 INV=1
ACCEPT=1 DROP=2

ip netns add fw
fw() { nsx fw ctnl "$@"; }

# expect_err DESC ERRNO MESSAGE-PART CTNL-ARGS...: in fw
expect_err() {
	desc=$1 eno=$2 part=$3
	shift 3
	out=$(fw "$@" 2>&1)
	case "$out" in
	"error $eno: "*"$part"*) ok "$desc" ;;
	*) not_ok "$desc: got '$out', expected error $eno with '$part'" ;;
	esac
}

# The whole rule set as text: hook, policy, handles.
ruleset() { fw -d -p $HOOK -p $POLICY -p $RULE.1 rule_get | tr '\n' ' '; }
order() { fw -d -p $RULE.1 rule_get u8:$HOOK=$1 | tr '\n' ' '; }

# --- rules: the seed ruleset, insert, position, delete, flush, policy
check_eq "ct state established,related accept gets handle 1" 1 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 nest:$RULE u32:$R_CTSTATE=$((EST | REL)) u8:$R_VERDICT=$ACCEPT end)"
check_eq "ct state invalid drop gets handle 2" 2 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 nest:$RULE u32:$R_CTSTATE=$INV u8:$R_VERDICT=$DROP end)"
check_eq "tcp dport 22 ct state new accept gets handle 3" 3 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 nest:$RULE u8:$R_PROTO=6 u16:$R_DPORT=22 u32:$R_CTSTATE=$NEW u8:$R_VERDICT=$ACCEPT end)"
check_eq "ct state new drop gets handle 4" 4 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 nest:$RULE u32:$R_CTSTATE=$NEW u8:$R_VERDICT=$DROP end)"
check_eq "insert at the head" 5 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 flag:$INSERT nest:$RULE u8:$R_PROTO=1 u8:$R_ICMP=8 u8:$R_VERDICT=$ACCEPT end)"
check_eq "insert before handle 3" 6 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=0 u32:$POSITION=3 nest:$RULE ip:$R_SADDR=10.0.0.0 u8:$R_SPREFIX=8 u8:$R_PROTO=17 u16:$R_DPORT=1000 u16:$R_DPORT_MAX=2000 end)"
check_eq "chain order follows inserts" "5 1 2 6 3 4 " "$(order 0)"
check "delete handle 6" fw rule_del u8:$HOOK=0 u32:$HANDLE=6
check_eq "chain order after delete" "5 1 2 3 4 " "$(order 0)"
check_eq "handles are not reused" 7 \
	"$(fw -p $HANDLE rule_add u8:$HOOK=2 nest:$RULE u8:$R_FAMILY=10 ip:$R_DADDR=fd00:: u8:$R_DPREFIX=16 "str:$R_IIF=veth*" end)"
check_eq "rule attributes come back as sent" "fd00:: 16 veth*" \
	"$(fw -d -p $RULE.$R_DADDR -p $RULE.$R_DPREFIX -p $RULE.$R_IIF rule_get u8:$HOOK=2 | tr '\n' ' ' | sed 's/ $//')"
check_eq "counters start at zero" "0 0 0 0 0 " \
	"$(fw -d -p $RULE.$R_PACKETS rule_get u8:$HOOK=0 | tr '\n' ' ')"
check "policy set forward drop" fw policy_set u8:$HOOK=1 u8:$POLICY=$DROP
check_eq "policies in the dump" "1 2 1 " "$(fw -d -p $POLICY rule_get | tr '\n' ' ')"
check_eq "dump sends a header per chain then each rule" "messages=9 intr=0" \
	"$(fw -d -c rule_get)"

# --- hostile input: an errno, a message, and nothing changed
before=$(ruleset)
expect_err "IPv4 prefix 33 refused" 22 "IPv4 prefix length must be at most 32" \
	rule_add u8:$HOOK=0 nest:$RULE ip:$R_SADDR=10.0.0.0 u8:$R_SPREFIX=33 end
expect_err "IPv6 prefix 129 refused" 34 "out of range" \
	rule_add u8:$HOOK=0 nest:$RULE ip:$R_SADDR=fd00:: u8:$R_SPREFIX=129 end
expect_err "inverted port range refused" 22 "inverted port range" \
	rule_add u8:$HOOK=0 nest:$RULE u8:$R_PROTO=6 u16:$R_DPORT=80 u16:$R_DPORT_MAX=79 end
expect_err "address family mismatch refused" 22 "does not match the rule's family" \
	rule_add u8:$HOOK=0 nest:$RULE u8:$R_FAMILY=10 ip:$R_SADDR=10.0.0.1 end
expect_err "v4 source with v6 destination refused" 22 "does not match" \
	rule_add u8:$HOOK=0 nest:$RULE ip:$R_SADDR=10.0.0.1 ip:$R_DADDR=fd00::1 end
expect_err "icmp type without icmp refused" 22 "icmp type needs protocol" \
	rule_add u8:$HOOK=0 nest:$RULE u8:$R_ICMP=8 end
expect_err "ports without tcp/udp refused" 22 "ports need protocol tcp or udp" \
	rule_add u8:$HOOK=0 nest:$RULE u8:$R_PROTO=1 u16:$R_DPORT=22 end
expect_err "address of 5 bytes refused" 22 "address must be 4" \
	rule_add u8:$HOOK=0 nest:$RULE bin:$R_SADDR=0a00000001 end
expect_err "address of 17 bytes refused" 34 "size out of range" \
	rule_add u8:$HOOK=0 nest:$RULE bin:$R_SADDR=0a0000000100000000000000000000000000 end
expect_err "unknown hook refused" 34 "out of range" rule_add u8:$HOOK=3 nest:$RULE end
expect_err "unknown verdict refused" 34 "out of range" rule_add u8:$HOOK=0 nest:$RULE u8:$R_VERDICT=4 end
expect_err "hook of the wrong size refused" 22 "" rule_add u32:$HOOK=0 nest:$RULE end
expect_err "counters cannot be sent" 22 "" rule_add u8:$HOOK=0 nest:$RULE u64:$R_PACKETS=5 end
expect_err "attribute beyond the last refused" 22 "" rule_add u8:$HOOK=0 nest:$RULE end u32:40=1
expect_err "attribute of another command refused" 22 "" rule_add u8:$HOOK=0 nest:$RULE end u8:$POLICY=1
expect_err "missing rule refused" 22 "" rule_add u8:$HOOK=0
expect_err "missing hook refused" 22 "" rule_add nest:$RULE end
expect_err "empty ct state refused" 22 "ct state" rule_add u8:$HOOK=0 nest:$RULE u32:$R_CTSTATE=0 end
expect_err "unknown ct state bit refused" 22 "" rule_add u8:$HOOK=0 nest:$RULE u32:$R_CTSTATE=32 end
expect_err "interface name of 16 bytes refused" 34 "policy validation" \
	rule_add u8:$HOOK=0 nest:$RULE str:$R_IIF=abcdefghijklmnop end
expect_err "insert and position together refused" 22 "exclude each other" \
	rule_add u8:$HOOK=0 flag:$INSERT u32:$POSITION=1 nest:$RULE end
expect_err "position of an unknown handle refused" 2 "position" \
	rule_add u8:$HOOK=0 u32:$POSITION=999 nest:$RULE end
expect_err "delete of an unknown handle refused" 2 "no rule with that handle" \
	rule_del u8:$HOOK=0 u32:$HANDLE=999
expect_err "delete in the wrong chain refused" 2 "" rule_del u8:$HOOK=1 u32:$HANDLE=1
expect_err "policy continue refused" 34 "out of range" policy_set u8:$HOOK=0 u8:$POLICY=0
expect_err "load with conflicting policies for a chain refused" 22 "conflicting policies" \
	ruleset_load nest:$CHAIN u8:$HOOK=0 u8:$POLICY=1 end nest:$CHAIN u8:$HOOK=0 u8:$POLICY=2 end
expect_err "load with one bad rule refused" 22 "inverted port range" \
	ruleset_load nest:$CHAIN u8:$HOOK=0 nest:$RULE end end \
	nest:$CHAIN u8:$HOOK=1 nest:$RULE u8:$R_PROTO=6 u16:$R_DPORT=9 u16:$R_DPORT_MAX=8 end end
expect_err "load chain without hook refused" 22 "" ruleset_load nest:$CHAIN u8:$POLICY=1 end
expect_err "unknown command refused" 95 "" 99
expect_err "event command cannot be sent" 95 "" 21
expect_err "rule list is a dump only" 95 "" rule_get
check_eq "refused requests changed nothing" "$before" "$(ruleset)"

# --- ruleset load: every chain in one step, fresh handles
check "ruleset load" fw ruleset_load nest:$CHAIN u8:$HOOK=1 u8:$POLICY=$DROP \
	nest:$RULE u8:$R_PROTO=6 u16:$R_DPORT=80 u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE u8:$R_PROTO=6 u16:$R_DPORT=22 u8:$R_VERDICT=$ACCEPT end end
check_eq "loaded set replaced every chain" "0 1 1 2 1 8 1 9 2 1 " "$(ruleset)"
check "ruleset load of a chain in two parts" fw ruleset_load \
	nest:$CHAIN u8:$HOOK=2 nest:$RULE u8:$R_VERDICT=$ACCEPT end end \
	nest:$CHAIN u8:$HOOK=1 u8:$POLICY=$DROP end \
	nest:$CHAIN u8:$HOOK=2 u8:$POLICY=$DROP nest:$RULE u8:$R_VERDICT=$DROP end end
check_eq "parts are concatenated in order" "0 1 1 2 2 2 2 10 2 11 " "$(ruleset)"
check_eq "verdicts in order" "1 2 " "$(fw -d -p $RULE.$R_VERDICT rule_get u8:$HOOK=2 | tr '\n' ' ')"
check "flush forward" fw rule_flush u8:$HOOK=1
check_eq "flush keeps the policy" "0 1 1 2 2 2 2 10 2 11 " "$(ruleset)"
check "flush all" fw rule_flush

# --- scale: 10k rules in one load, dumped across many messages
t0=$(date +%s)
check "load 10000 rules" fw load-many 10000 0
echo "# loading 10000 rules took $(($(date +%s) - t0)) s"
t0=$(date +%s)
check_eq "dump of 10000 rules resumes without loss" "messages=10003 intr=0" "$(fw -d -c rule_get)"
echo "# dumping them took $(($(date +%s) - t0)) s"
check_eq "handles of a 10000-rule dump are distinct" 10000 \
	"$(fw -d -p $RULE.1 rule_get | sort -u | wc -l)"
t0=$(date +%s)
check "add 300 rules one by one" fw add-many 300 1
echo "# 300 single adds took $(($(date +%s) - t0)) s"
check_eq "chain holds them in order" "messages=301 intr=0" "$(fw -d -c rule_get u8:$HOOK=1)"
fw add-many 200 2 > /dev/null &
adder=$!
intr=0
# dump while the adds go on (a busy host may delay either side)
while kill -0 $adder 2>/dev/null; do
	case "$(fw -d -c rule_get)" in *intr=1) intr=1; break ;; esac
done
wait $adder
check_eq "a dump that overlaps a change is flagged inconsistent" 1 $intr
check "flush output" fw rule_flush u8:$HOOK=2
expect_err "chain over 65536 rules refused" 28 "chain is full" load-many 65537 2
check_eq "refused load changed nothing" "messages=10303 intr=0" "$(fw -d -c rule_get)"
check "flush all" fw rule_flush

# --- connections, expectations, statistics (an idle namespace)
check_eq "conn count is 0" 0 "$(fw -p $COUNT conn_count)"
check "conn count reports the maximum" test "$(fw -p $MAXC conn_count)" -gt 0
check_eq "conn list of an idle namespace is empty" "messages=0 intr=0" "$(fw -d -c conn_get)"
check_eq "filtered conn list" "messages=0 intr=0" \
	"$(fw -d -c conn_get nest:$FILTER u8:2=6 u16:6=80 end)"
expect_err "conn get without a match" 2 "no connection matches" \
	conn_get nest:$FILTER u8:2=6 end
expect_err "conn filter ports without protocol refused" 22 "ports need protocol" \
	conn_get nest:$FILTER u16:6=80 end
expect_err "conn filter state without tcp refused" 22 "TCP state needs protocol tcp" \
	conn_del nest:$FILTER u8:2=17 u8:7=3 end
expect_err "conn filter address of 3 bytes refused" 34 "size out of range" \
	conn_del nest:$FILTER bin:3=0a0000 end
expect_err "conn delete needs a filter" 22 "" conn_del
check_eq "conn delete reports a count" 0 "$(fw -p $COUNT conn_del nest:$FILTER u8:2=6 end)"
check_eq "conn flush reports a count" 0 "$(fw -p $COUNT conn_flush)"
check_eq "expect list of an idle namespace is empty" "messages=0 intr=0" "$(fw -d -c expect_get)"
check_eq "expect flush reports a count" 0 "$(fw -p $COUNT expect_flush)"
ncpu=$(awk -F- '{print ($2 == "" ? 1 : $2 + 1)}' /sys/devices/system/cpu/possible)
check_eq "stats: one message per possible CPU" "messages=$ncpu intr=0" "$(fw -d -c stats_get)"
check_eq "stats carry the CPU number" "$(seq 0 $((ncpu - 1)) | tr '\n' ' ')" \
	"$(fw -d -p 13.1 stats_get | tr '\n' ' ')"

# --- timeouts, settings, helpers
check_eq "16 timeout classes" 16 "$(fw -p $TIMEOUT.2 timeout_get | wc -l)"
check "timeout set udp 45" fw timeout_set nest:$TIMEOUT u32:1=11 u32:2=45 end
check_eq "timeout udp reads back" 45 "$(fw -p $TIMEOUT.2 timeout_get | sed -n 12p)"
check_eq "timeouts are per namespace" 30 "$(ctnl -p $TIMEOUT.2 timeout_get | sed -n 12p)"
expect_err "timeout 0 refused" 34 "timeout must be" timeout_set nest:$TIMEOUT u32:1=11 u32:2=0 end
expect_err "unknown timeout class refused" 34 "out of range" timeout_set nest:$TIMEOUT u32:1=16 u32:2=5 end
expect_err "timeout without seconds refused" 22 "" timeout_set nest:$TIMEOUT u32:1=1 end
check "setting tcp_loose 1" fw setting_set nest:$SETTING str:1=tcp_loose u32:2=1 end
check_eq "settings read back" "tcp_loose 1" \
	"$(fw -p $SETTING.1 -p $SETTING.2 setting_get | paste -s -d' ' | awk '{print $1, $(NF / 2 + 1)}')"
check "setting checksum 0" fw setting_set nest:$SETTING str:1=checksum u32:2=0 end
check_eq "checksum reads back" "checksum 0" \
	"$(fw -p $SETTING.1 -p $SETTING.2 setting_get | paste -s -d' ' | awk '{print $2, $(NF / 2 + 2)}')"
check "setting checksum 1" fw setting_set nest:$SETTING str:1=checksum u32:2=1 end
check "setting max_conns 1000" fw setting_set nest:$SETTING strz:1=max_conns u32:2=1000 end
check_eq "max_conns shows in conn count" 1000 "$(fw -p $MAXC conn_count)"
expect_err "tcp_loose 2 refused" 22 "tcp_loose is 0 or 1" \
	setting_set nest:$SETTING str:1=tcp_loose u32:2=2 end
expect_err "checksum 2 refused" 22 "checksum is 0 or 1" \
	setting_set nest:$SETTING str:1=checksum u32:2=2 end
expect_err "max_conns 0 refused" 34 "max_conns" setting_set nest:$SETTING str:1=max_conns u32:2=0 end
expect_err "buckets is read-only" 95 "read-only" setting_set nest:$SETTING str:1=buckets u32:2=64 end
expect_err "unknown setting refused" 22 "unknown setting" setting_set nest:$SETTING str:1=foo u32:2=1 end
expect_err "unknown helper refused" 95 "no helper of that name" helper_add nest:$HELPER str:1=irc u16:2=6667 end
expect_err "helper port 0 refused" 34 "out of range" helper_add nest:$HELPER str:1=ftp u16:2=0 end
if fw helper_add nest:$HELPER str:1=ftp u16:2=2121 end >/dev/null; then
	check_eq "helper list shows the new port" 2121 "$(fw -p $HELPER.2 helper_get | grep 2121)"
	expect_err "helper added twice refused" 17 "already" helper_add nest:$HELPER str:1=ftp u16:2=2121 end
	check "helper delete" fw helper_del nest:$HELPER str:1=ftp u16:2=2121 end
	expect_err "helper deleted twice refused" 2 "does not watch" helper_del nest:$HELPER str:1=ftp u16:2=2121 end
else
	not_ok "helper add ftp 2121: $(fw helper_add nest:$HELPER str:1=ftp u16:2=2121 end)"
fi

# --- permissions: every operation needs CAP_NET_ADMIN over the namespace
expect_err "unprivileged rule list refused" 1 "" -u 65534 -d rule_get
expect_err "unprivileged rule add refused" 1 "" -u 65534 rule_add u8:$HOOK=0 nest:$RULE end
expect_err "unprivileged conn list refused" 1 "" -u 65534 -d conn_get
expect_err "unprivileged timeout list refused" 1 "" -u 65534 timeout_get
out=$(unshare -r ctnl -d rule_get 2>&1)
check_eq "root of a user namespace cannot touch the init namespace" "error 1: " "$out"
check_eq "root of a user namespace owns its own network namespace" "messages=3 intr=0" \
	"$(unshare -r -n ctnl -d -c rule_get 2>&1)"
if [ "$(uname -r | cut -d. -f1-2 | tr -d .)" -ge 67 ] 2>/dev/null; then
	check_eq "unprivileged listener cannot join the event group" "error 1: Operation not permitted" \
		"$(nsx fw ctnl -u 65534 monitor 1 1 2>&1 | head -1)"
fi

ip netns del fw
tap_done
