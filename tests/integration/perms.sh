#!/bin/sh
# Permissions and isolation (issue 8), what netlink.sh does not cover: every
# command of the family refused without CAP_NET_ADMIN over the namespace
# (an unprivileged user, and root of a user namespace that does not own the
# network namespace), and namespaces never seeing each other's rules or
# connections.
#
#   a (10.7.0.1) --veth-- b (10.7.0.2)       rules and a connection in a;
#                                            b must see none of them
. /ctrack/lib/tap.sh

NSS="a b"
ns_clean

cmds="rule_add rule_del rule_get rule_flush policy_set ruleset_load conn_get
conn_del conn_flush conn_count expect_get expect_flush stats_get timeout_get
timeout_set helper_get helper_add helper_del setting_get setting_set set_add set_del
set_get elem_add elem_del"

ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
nsx a ip addr add 10.7.0.1/24 dev v0
nsx b ip addr add 10.7.0.2/24 dev v1
nsx a ip link set v0 up
nsx b ip link set v1 up

# A command refuses the form it does not have (doit or dump) with
# EOPNOTSUPP before any permission check; the form it has must be EPERM.
bad=""
for c in $cmds; do
	perm=0
	for d in "" -d; do
		for who in user userns; do
			if [ $who = user ]; then
				out=$(nsx a ctnl -u 65534 $d $c 2>&1)
			else
				out=$(unshare -r ctnl $d $c 2>&1)
			fi
			case "$out" in
			"error 1: "*) perm=$((perm + 1)) ;;
			"error 95: "*) ;;
			*) bad="$bad $who:$c$d($out)" ;;
			esac
		done
	done
	[ $perm -ge 2 ] || bad="$bad $c:not-refused-with-EPERM($perm)"
done
check_eq "every command, doit and dump, refused without CAP_NET_ADMIN" "" "$bad"
# Events reveal connections as a listing does.
check_eq "joining the events group refused without CAP_NET_ADMIN" \
	"error 1: Operation not permitted" "$(nsx a ctnl -u 65534 monitor 1 1 2>&1 | head -1)"
check "root in the namespace may join the events group" \
	sh -c '/sbin/ip netns exec a ctnl monitor 1 1 | grep -qx listening'
check "the refused commands changed nothing: policies still accept" \
	sh -c '/sbin/ip netns exec a ctrackctl rule list | grep -c "policy accept" | grep -qx 3'

# --- limits: the root of a user namespace must not size the host's memory ---
def=$(ctrackctl setting list | sed -n 's/^max_conns //p')
cat > /tmp/userns.sh <<EOF
/sbin/ip link set lo up
ctrackctl setting set max_conns $((def + 1)) 2>&1 && echo raised
ctrackctl setting set max_conns 40 && echo lowered
i=0
while [ \$i -lt 100 ]; do
	ctnet udp-client 127.0.0.1 9 200 >/dev/null 2>&1
	i=\$((i + 1))
done
echo "count \$(ctrackctl conn count)"
EOF
unshare -rn sh /tmp/userns.sh > /tmp/userns.out 2>&1
sed 's/^/# userns: /' /tmp/userns.out
check "userns root cannot raise max_conns above the module's default" \
	grep -q 'needs CAP_NET_ADMIN in the initial user namespace' /tmp/userns.out
check_fails "userns root: the raise did not happen" grep -qx raised /tmp/userns.out
check "userns root may lower max_conns" grep -qx lowered /tmp/userns.out
n=$(sed -n 's/^count \([0-9][0-9]*\).*/\1/p' /tmp/userns.out)
check "a flood of 100 flows in the userns stays inside its 40 (${n:-none})" \
	test -n "$n" -a "${n:-99}" -le 40 -a "${n:-0}" -ge 30
check "init-namespace root may raise max_conns" \
	ctrackctl setting set max_conns $((def + 1))
ctrackctl setting set max_conns "$def"

# --- memory cgroups: a namespace's connections are its creator's ---
# m is created from inside cgroup ctm, its peer p from outside. p's flood
# is forwarded by m: those connections are made in softirq, on behalf of
# whatever task the CPU interrupted, and must still be charged to ctm.
cg=/sys/fs/cgroup
if [ -d $cg ] && { grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg; } &&
   echo +memory > $cg/cgroup.subtree_control && mkdir -p $cg/ctm; then
	sh -c "echo \$\$ > $cg/ctm/cgroup.procs && exec /sbin/ip netns add m"
	ip netns add p
	ip link add m0 netns m type veth peer name p0 netns p
	nsx m ip link add m1 type dummy
	nsx m ip addr add 10.0.1.1/24 dev m0
	nsx m ip addr add 10.0.2.1/24 dev m1
	nsx p ip addr add 10.0.1.2/24 dev p0
	for l in m:m0 m:m1 p:p0; do nsx ${l%:*} ip link set ${l#*:} up; done
	nsx m sysctl -qw net.ipv4.ip_forward=1
	slab() { awk '$1 == "slab" { print $2 }' $cg/ctm/memory.stat; }
	s0=$(slab)
	nsx p ctfuzz flood -n 2000 -t 20 -i p0 -m "$(nsx m cat /sys/class/net/m0/address)" \
		| sed 's/^/# /'
	n=$(nsx m ctrackctl conn count)
	sleep 3		# memory.stat is flushed every 2 s
	s1=$(slab)
	echo "# memcg: $n connections in m, ctm's slab grew by $((s1 - s0)) bytes"
	check "the flood made connections in m ($n)" test "${n:-0}" -ge 1000
	check "they are charged to m's creator's cgroup (>= 100 bytes each)" \
		test $((s1 - s0)) -ge $((${n:-0} * 100))
	ip netns del m
	ip netns del p
else
	ok "# SKIP no memory cgroups in this kernel"
fi

# --- isolation ---
nsx a ctrackctl rule add input udp dport 9999 drop > /dev/null
nsx a ctrackctl rule add output tcp dport 1234 accept > /dev/null
nsx a ctrackctl policy set forward drop
bg nsx b ctnet udp-server 7000
sleep 0.5
check "a connection in a" nsx a ctnet udp-client 10.7.0.2 7000 3000
ca=$(nsx a ctrackctl conn list | grep -c 'dport=7000')
check "a lists its connection" [ "$ca" -ge 1 ]
# b tracked the same datagrams as its own connection: flush it first so
# that what b lists can only be a's.
nsx b ctrackctl conn flush > /dev/null
check_eq "b sees no connection of a" 0 "$(nsx b ctrackctl conn list | grep -c 'dport=7000')"
check_eq "b sees none of a's rules" 0 "$(nsx b ctrackctl rule list | grep -c 'dport')"
check "b's forward policy is its own" sh -c '/sbin/ip netns exec b ctrackctl rule list | grep forward | grep -q "policy accept"'
nsx b ctrackctl rule flush
nsx b ctrackctl conn flush > /dev/null
check_eq "flushing b leaves a's rules" 2 "$(nsx a ctrackctl rule list | grep -c dport)"
check_eq "flushing b leaves a's connections" "$ca" "$(nsx a ctrackctl conn list | grep -c 'dport=7000')"
ns_clean
tap_done
