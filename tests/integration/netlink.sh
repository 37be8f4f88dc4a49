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
TABLE=1 HANDLE=2 POSITION=3 INSERT=4 CHECK=5 RULE=6 CHAIN=7 FILTER=9
COUNT=10 MAXC=11 TIMEOUT=14 HELPER=15 SETTING=16 SET=20
C_NAME=1 C_HOOK=2 C_PRIO=3 C_POLICY=4
S_NAME=1 S_TYPE=2 S_FLAGS=3 S_TIMEOUT=4 S_ELEM=5 S_COUNT=6
E_VALUE=1 E_PREFIX=2 E_TO=3 E_TIMEOUT=4 E_EXPIRES=5 E_VERDICT=6
M_KEY=1 M_NEG=2 M_VALUE=3 M_MASK=4 M_PREFIX=5 M_FROM=6 M_TO=7 M_FLAGS=8 M_ELEM=9 M_SET=10
R_HANDLE=1 R_MATCH=2 R_VERDICT=3 R_TARGET=4 R_REJECT_TYPE=5 R_REJECT_CODE=6 R_COMMENT=8
R_PACKETS=9
K_NFPROTO=1 K_IP_SADDR=5 K_IP6_DADDR=8 K_TCP_DPORT=10 K_UDP_DPORT=12 K_ICMP_TYPE=16
K_IIFNAME=22 K_CT_STATE=24
T_IPV4=3 T_SERVICE=5 F_INTERVAL=1 F_CONSTANT=4
NEW=2 EST=4 REL=8 INV=1
CONTINUE=0 ACCEPT=1 DROP=2 REJECT=3 JUMP=4 RETURN=6

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

TBL="nest:$TABLE u8:1=1 str:2=filter end"
ch() { echo "nest:$CHAIN str:$C_NAME=$1 end"; }
base() { echo "nest:$CHAIN str:$C_NAME=$1 u8:$C_HOOK=$2 u32:$C_PRIO=0 u8:$C_POLICY=${3:-$ACCEPT} end"; }
# mv KEY VALUE, mf KEY FLAGS: one MATCH nest
mv() { echo "nest:$R_MATCH u8:$M_KEY=$1 u32:$M_VALUE=$2 end"; }
mf() { echo "nest:$R_MATCH u8:$M_KEY=$1 u32:$M_FLAGS=$2 end"; }
# add CHAIN RULE-ATTRS...: RULE_ADD in table inet filter, prints the handle
add() {
	c=$1
	shift
	# shellcheck disable=SC2046,SC2086
	fw -p $HANDLE rule_add $TBL $(ch $c) nest:$RULE "$@" end
}
DEFAULT="$TBL $(base input 0) $(base forward 1) $(base output 2)"

# The whole rule set as text: each chain's name and policy, each rule's
# chain and handle, in dump order.
ruleset() { fw -d -p $CHAIN.$C_NAME -p $CHAIN.$C_POLICY -p $RULE.$R_HANDLE rule_get | tr '\n' ' '; }
# shellcheck disable=SC2046
order() { fw -d -p $RULE.$R_HANDLE rule_get $(ch $1) | tr '\n' ' '; }

# --- the default rule set, rules: insert, position, delete, flush, policy
check_eq "a fresh namespace has table inet filter with three base chains" \
	"input 1 forward 1 output 1 " "$(ruleset)"
# shellcheck disable=SC2046
{
check_eq "add to input: handle 1" 1 "$(add input $(mf $K_CT_STATE $((EST | REL))) u8:$R_VERDICT=$ACCEPT)"
check_eq "add: handle 2" 2 "$(add input $(mf $K_CT_STATE $INV) u8:$R_VERDICT=$DROP)"
check_eq "add: handle 3" 3 "$(add input $(mv $K_TCP_DPORT 22) $(mf $K_CT_STATE $NEW) u8:$R_VERDICT=$ACCEPT)"
check_eq "add: handle 4" 4 "$(add input $(mf $K_CT_STATE $NEW) u8:$R_VERDICT=$DROP)"
check_eq "insert at the head: handle 5" 5 \
	"$(fw -p $HANDLE rule_add $TBL $(ch input) flag:$INSERT nest:$RULE $(mv $K_ICMP_TYPE 8) u8:$R_VERDICT=$ACCEPT end)"
check_eq "insert before handle 3: handle 6" 6 \
	"$(fw -p $HANDLE rule_add $TBL $(ch input) u32:$POSITION=3 nest:$RULE \
		nest:$R_MATCH u8:$M_KEY=$K_IP_SADDR ip:$M_VALUE=10.0.0.0 u8:$M_PREFIX=8 end \
		nest:$R_MATCH u8:$M_KEY=$K_UDP_DPORT u32:$M_FROM=1000 u32:$M_TO=2000 end end)"
check_eq "a chain named without its table is found (unique name)" 7 \
	"$(fw -p $HANDLE rule_add $(ch input) nest:$RULE u8:$R_VERDICT=$CONTINUE end)"
}
check_eq "order after insert and position" "5 1 2 6 3 4 7 " "$(order input)"
# shellcheck disable=SC2046
check "delete handle 6" fw rule_del $TBL $(ch input) u32:$HANDLE=6
check_eq "order after delete" "5 1 2 3 4 7 " "$(order input)"
# shellcheck disable=SC2046
check_eq "add to output: handle 8" 8 \
	"$(add output nest:$R_MATCH u8:$M_KEY=$K_IP6_DADDR ip:$M_VALUE=fd00:: u8:$M_PREFIX=16 end \
		nest:$R_MATCH u8:$M_KEY=$K_IIFNAME str:$M_VALUE=veth* end \
		str:$R_COMMENT=from-veth)"
# shellcheck disable=SC2046
check_eq "rule attributes come back as sent" "8 22 fd00:: veth* 16 from-veth" \
	"$(fw -d -p $RULE.$R_MATCH.$M_KEY -p $RULE.$R_MATCH.$M_VALUE -p $RULE.$R_MATCH.$M_PREFIX \
		-p $RULE.$R_COMMENT rule_get $(ch output) | tr '\n' ' ' | sed 's/ $//')"
# shellcheck disable=SC2046
check_eq "new rules count from 0" "0 0 0 0 0 0 " \
	"$(fw -d -p $RULE.$R_PACKETS rule_get $(ch input) | tr '\n' ' ')"
# shellcheck disable=SC2046
check "policy set forward drop" fw policy_set $TBL nest:$CHAIN str:$C_NAME=forward u8:$C_POLICY=$DROP end
check_eq "policies in the dump" \
	"input 1 input 5 input 1 input 2 input 3 input 4 input 7 forward 2 output 1 output 8 " "$(ruleset)"
check_eq "dump: a message for the table, each chain, each rule" "messages=11 intr=0" \
	"$(fw -d -c rule_get)"

# --- hostile requests: refused with a reason, nothing changed
before=$(ruleset)
# shellcheck disable=SC2046
{
expect_err "IPv4 prefix 33 refused" 22 "prefix longer than the address" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_IP_SADDR ip:$M_VALUE=10.0.0.0 u8:$M_PREFIX=33 end end
expect_err "IPv6 address for an ip saddr refused" 22 "IPv4 address must be 4 bytes" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_IP_SADDR ip:$M_VALUE=fd00::1 end end
expect_err "inverted port range refused" 22 "range ends below its start" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_TCP_DPORT u32:$M_FROM=80 u32:$M_TO=79 end end
expect_err "port above 65535 refused" 34 "out of range" rule_add $(ch input) \
	nest:$RULE $(mv $K_TCP_DPORT 65536) end
expect_err "a port of two bytes refused" 22 "value must be a u32" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_TCP_DPORT u16:$M_VALUE=22 end end
expect_err "a match with two tests refused" 22 "exactly one of" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_TCP_DPORT u32:$M_VALUE=22 u32:$M_FLAGS=1 end end
expect_err "a match without a key refused" 22 "match without a key" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u32:$M_VALUE=22 end end
expect_err "unknown key refused" 34 "" rule_add $(ch input) nest:$RULE $(mv 99 1) end
expect_err "33 matches refused" 7 "too many matches" rule_add $(ch input) nest:$RULE \
	$(i=0; while [ $i -lt 33 ]; do mv $K_TCP_DPORT 22; i=$((i + 1)); done) end
expect_err "empty ct state refused" 34 "" rule_add $(ch input) nest:$RULE $(mf $K_CT_STATE 0) end
expect_err "unknown ct state bit refused" 34 "outside the bits" rule_add $(ch input) nest:$RULE $(mf $K_CT_STATE 32) end
expect_err "an interface name of 16 characters refused" 22 "" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_IIFNAME str:$M_VALUE=abcdefghijklmnop end end
expect_err "unknown verdict refused" 34 "out of range" rule_add $(ch input) nest:$RULE u8:$R_VERDICT=9 end
expect_err "jump without a target refused" 22 "target" rule_add $(ch input) nest:$RULE u8:$R_VERDICT=$JUMP end
expect_err "jump to a missing chain refused" 2 "no chain nowhere" rule_add $(ch input) \
	nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=nowhere end
expect_err "jump to a base chain refused" 22 "base chain" rule_add $(ch input) \
	nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=output end
expect_err "a target without jump refused" 22 "only for jump and goto" rule_add $(ch input) \
	nest:$RULE u8:$R_VERDICT=$ACCEPT str:$R_TARGET=output end
expect_err "reject options without reject refused" 22 "need verdict reject" rule_add $(ch input) \
	nest:$RULE u8:$R_VERDICT=$DROP u8:$R_REJECT_TYPE=1 end
expect_err "a set that does not exist refused" 2 "no set nosuch" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_IP_SADDR str:$M_SET=nosuch end end
expect_err "a comment of 128 characters refused" 34 "" rule_add $(ch input) \
	nest:$RULE str:$R_COMMENT=$(printf '%0128d' 0) end
expect_err "a chain that does not exist refused" 2 "" rule_add $(ch nosuch) nest:$RULE end
expect_err "a table that does not exist refused" 2 "no table" rule_add \
	nest:$TABLE u8:1=2 str:2=filter end $(ch input) nest:$RULE end
expect_err "a table without a name refused" 22 "family and a name" rule_add \
	nest:$TABLE u8:1=1 end $(ch input) nest:$RULE end
expect_err "table family arp refused" 22 "" rule_add nest:$TABLE u8:1=3 str:2=x end $(ch input) nest:$RULE end
expect_err "missing rule refused" 22 "" rule_add $(ch input)
expect_err "missing chain refused" 22 "" rule_add nest:$RULE end
expect_err "attribute beyond the last refused" 22 "" rule_add $(ch input) nest:$RULE end u32:40=1
expect_err "insert at the head and a position refused" 22 "exclude each other" \
	rule_add $(ch input) flag:$INSERT u32:$POSITION=1 nest:$RULE end
expect_err "position of an unknown handle refused" 2 "no rule with handle 999" \
	rule_add $(ch input) u32:$POSITION=999 nest:$RULE end
expect_err "delete of an unknown handle refused" 2 "no rule with handle 999" \
	rule_del $(ch input) u32:$HANDLE=999
expect_err "delete in the wrong chain refused" 2 "" rule_del $(ch forward) u32:$HANDLE=1
expect_err "policy continue refused" 34 "out of range" \
	policy_set nest:$CHAIN str:$C_NAME=input u8:$C_POLICY=$CONTINUE end
expect_err "policy without a policy refused" 22 "policy missing" policy_set $(ch input)
expect_err "load: a chain before any table refused" 22 "none opened yet" \
	ruleset_load $(base input 0)
expect_err "load: a rule before any chain refused" 22 "none declared yet" \
	ruleset_load $TBL nest:$RULE end
expect_err "load: a base chain declared twice differently refused" 22 "declared again" \
	ruleset_load $TBL $(base input 0) nest:$CHAIN str:$C_NAME=input u8:$C_HOOK=1 u32:$C_PRIO=0 u8:$C_POLICY=1 end
expect_err "load: priority on a regular chain refused" 22 "for base chains" \
	ruleset_load $TBL nest:$CHAIN str:$C_NAME=mine u32:$C_PRIO=5 end
expect_err "load: a jump loop refused" 40 "a loop" ruleset_load $TBL \
	$(ch a) nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=b end \
	$(ch b) nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=a end \
	$(base input 0) nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=a end
expect_err "load: jumps 17 deep refused" 31 "deeper than 16" ruleset_load $TBL \
	$(i=1; while [ $i -le 17 ]; do echo "$(ch c$i) nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=c$((i + 1)) end"; i=$((i + 1)); done) \
	$(ch c18) $(base input 0) nest:$RULE u8:$R_VERDICT=$JUMP str:$R_TARGET=c1 end
expect_err "load with one bad rule refused" 22 "range ends below its start" ruleset_load $DEFAULT \
	nest:$RULE u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_TCP_DPORT u32:$M_FROM=9 u32:$M_TO=8 end end
}
expect_err "unknown command refused" 95 "" 99
expect_err "event command cannot be sent" 95 "" 21
expect_err "rule list is a dump only" 95 "" rule_get
check_eq "refused requests changed nothing" "$before" "$(ruleset)"

# --- sets: declared, filled, referenced, emptied, deleted
# shellcheck disable=SC2046
{
check "set add block (ipv4_addr, interval)" fw set_add $TBL \
	nest:$SET str:$S_NAME=block u8:$S_TYPE=$T_IPV4 u32:$S_FLAGS=$F_INTERVAL end
check "element add 192.0.2.0/24 and 10.9.9.9" fw elem_add nest:$SET str:$S_NAME=block \
	nest:$S_ELEM ip:$E_VALUE=192.0.2.0 u8:$E_PREFIX=24 end \
	nest:$S_ELEM ip:$E_VALUE=10.9.9.9 end end
expect_err "an overlapping element refused" 17 "overlaps" elem_add nest:$SET str:$S_NAME=block \
	nest:$S_ELEM ip:$E_VALUE=192.0.2.128 u8:$E_PREFIX=25 end end
expect_err "an element of another type refused" 22 "4 bytes" elem_add nest:$SET str:$S_NAME=block \
	nest:$S_ELEM ip:$E_VALUE=fd00::1 end end
check_eq "the set dump has its count" 2 "$(fw -d -p $SET.$S_COUNT set_get)"
check_eq "a rule refers to it: handle 9" 9 \
	"$(add input nest:$R_MATCH u8:$M_KEY=$K_IP_SADDR str:$M_SET=block end u8:$R_VERDICT=$DROP)"
expect_err "a port match on an address set refused" 22 "another type" rule_add $(ch input) \
	nest:$RULE nest:$R_MATCH u8:$M_KEY=$K_TCP_DPORT str:$M_SET=block end end
expect_err "a set in use cannot be deleted" 16 "used by rule 9" set_del nest:$SET str:$S_NAME=block end
check "element delete 10.9.9.9" fw elem_del nest:$SET str:$S_NAME=block nest:$S_ELEM ip:$E_VALUE=10.9.9.9 end end
expect_err "deleting it again refused" 2 "not in set" elem_del nest:$SET str:$S_NAME=block \
	nest:$S_ELEM ip:$E_VALUE=10.9.9.9 end end
check_eq "one element left" 1 "$(fw -d -p $SET.$S_COUNT set_get)"
check "delete the rule" fw rule_del $(ch input) u32:$HANDLE=9
check "then the set" fw set_del nest:$SET str:$S_NAME=block end
check_eq "no set left" "messages=0 intr=0" "$(fw -d -c set_get)"
check "a constant set" fw set_add $TBL nest:$SET str:$S_NAME=ports u8:$S_TYPE=$T_SERVICE \
	u32:$S_FLAGS=$F_CONSTANT nest:$S_ELEM u32:$E_VALUE=22 end end
expect_err "a constant set's elements do not change" 1 "constant" elem_add nest:$SET str:$S_NAME=ports \
	nest:$S_ELEM u32:$E_VALUE=80 end end
check "set delete ports" fw set_del nest:$SET str:$S_NAME=ports end
}
check_eq "the rules are as before" "$before" "$(ruleset)"

# --- ruleset load: the whole rule set in one step, fresh handles
# shellcheck disable=SC2086
check "ruleset load" fw ruleset_load $TBL $(base forward 1 $DROP) \
	nest:$RULE $(mv $K_TCP_DPORT 80) u8:$R_VERDICT=$ACCEPT end \
	nest:$RULE $(mv $K_TCP_DPORT 22) u8:$R_VERDICT=$ACCEPT end
check_eq "loaded set replaced every chain" "forward 2 forward 10 forward 11 " "$(ruleset)"
# shellcheck disable=SC2086
check "ruleset load -c (CHECK) validates only" fw ruleset_load flag:$CHECK $DEFAULT
check_eq "... and changed nothing" "forward 2 forward 10 forward 11 " "$(ruleset)"
# shellcheck disable=SC2046,SC2086
check "ruleset load: a chain in two parts, two tables" fw ruleset_load $DEFAULT \
	$(ch output) nest:$RULE u8:$R_VERDICT=$ACCEPT end \
	nest:$TABLE u8:1=2 str:2=early end $(base input 0) \
	$TBL $(ch output) nest:$RULE u8:$R_VERDICT=$DROP end
check_eq "parts are concatenated in order" "input 1 forward 1 output 1 output 12 output 13 input 1 " \
	"$(ruleset)"
# shellcheck disable=SC2046
check_eq "verdicts in order" "1 2 " "$(fw -d -p $RULE.$R_VERDICT rule_get $TBL $(ch output) | tr '\n' ' ')"
expect_err "a chain name in two tables must name its table" 22 "name the table" rule_add $(ch input) nest:$RULE end
# shellcheck disable=SC2046
check "flush output" fw rule_flush $TBL $(ch output)
check_eq "flush keeps the chains" "input 1 forward 1 output 1 input 1 " "$(ruleset)"
check "back to the default rule set" fw ruleset_load $DEFAULT

# --- scale: 10k rules in one load, dumped across many messages
t0=$(date +%s)
check "load 10000 rules" fw load-many 10000 0
echo "# loading 10000 rules took $(($(date +%s) - t0)) s"
check_eq "dump of 10000 rules resumes without loss" "messages=10004 intr=0" "$(fw -d -c rule_get)"
check_eq "handles of a 10000-rule dump are distinct" 10000 \
	"$(fw -d -p $RULE.$R_HANDLE rule_get | sort -u | wc -l)"
t0=$(date +%s)
check "add 300 rules one by one" fw add-many 300 1
echo "# 300 single adds took $(($(date +%s) - t0)) s"
# shellcheck disable=SC2046
check_eq "chain holds them in order" "messages=302 intr=0" "$(fw -d -c rule_get $(ch forward))"
fw add-many 200 2 > /dev/null &
adder=$!
intr=0
# dump while the adds go on (a busy host may delay either side)
while kill -0 $adder 2>/dev/null; do
	case "$(fw -d -c rule_get)" in *intr=1) intr=1; break ;; esac
done
wait $adder
check_eq "a dump that overlaps a change is flagged inconsistent" 1 $intr
# shellcheck disable=SC2046
check "flush output" fw rule_flush $(ch output)
expect_err "chain over 65536 rules refused" 28 "is full" load-many 65537 2
check_eq "refused load changed nothing" "messages=10304 intr=0" "$(fw -d -c rule_get)"
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
expect_err "unprivileged rule add refused" 1 "" -u 65534 rule_add $(ch input) nest:$RULE end
expect_err "unprivileged conn list refused" 1 "" -u 65534 -d conn_get
expect_err "unprivileged timeout list refused" 1 "" -u 65534 timeout_get
out=$(unshare -r ctnl -d rule_get 2>&1)
check_eq "root of a user namespace cannot touch the init namespace" "error 1: " "$out"
check_eq "root of a user namespace owns its own network namespace" "messages=4 intr=0" \
	"$(unshare -r -n ctnl -d -c rule_get 2>&1)"
if [ "$(uname -r | cut -d. -f1-2 | tr -d .)" -ge 67 ] 2>/dev/null; then
	check_eq "unprivileged listener cannot join the event group" "error 1: Operation not permitted" \
		"$(nsx fw ctnl -u 65534 monitor 1 1 2>&1 | head -1)"
fi

ip netns del fw
tap_done
