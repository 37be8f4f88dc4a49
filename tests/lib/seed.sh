# The seed ruleset on the router of topo_up, in ctrack's and in nftables'
# words, with new connections allowed to one helper's control port only.
# Neighbour discovery is untracked, so `ct state new drop` leaves IPv6
# working. Sourced by the helper tests (ftp.sh, tftp.sh).

# seed_ctrack PROTO PORT
seed_ctrack() {
	local hook
	for hook in input forward; do
		nsx router ctrackctl rule add $hook ct state established,related accept &&
		nsx router ctrackctl rule add $hook ct state invalid drop &&
		nsx router ctrackctl rule add $hook "$1" dport "$2" ct state new accept &&
		nsx router ctrackctl rule add $hook ct state new drop || return 1
	done
	nsx router ctrackctl rule add output ct state established,related accept &&
	nsx router ctrackctl rule add output ct state invalid drop
}

# seed_nft PROTO PORT TYPE [ASSIGN]: the same with nf_conntrack's helper
# TYPE declared as TYPE-standard, assigned by the prerouting rule ASSIGN
# (none: the helper is off).
seed_nft() {
	nsx router nft -f - <<EOF
flush ruleset
table inet filter {
	ct helper $3-standard { type "$3" protocol $1; }
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		${4:-}
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ct state established,related accept
		ct state invalid drop
		$1 dport $2 ct state new accept
		ct state new drop
	}
	chain forward {
		type filter hook forward priority 0; policy accept;
		ct state established,related accept
		ct state invalid drop
		$1 dport $2 ct state new accept
		ct state new drop
	}
	chain output {
		type filter hook output priority 0; policy accept;
		ct state established,related accept
		ct state invalid drop
	}
}
EOF
}
