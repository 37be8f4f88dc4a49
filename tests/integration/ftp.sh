#!/bin/sh
# FTP through ctrack with real programs: vsftpd and curl, active (PORT,
# EPRT) and passive (PASV, EPSV), IPv4 and IPv6, through the forward hook
# and to the firewall host itself, under the seed ruleset: only port 21 may
# open a connection, so each data connection passes only as RELATED. With
# the helper disabled the same transfers must fail.
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#            curl                          ctrack rules, vsftpd             vsftpd
#
# ctrack-params: ftp_ports=21
. /ctrack/lib/tap.sh

for prog in vsftpd curl ctrackctl; do
	if ! command -v $prog >/dev/null; then
		ok "# SKIP $prog missing in the guest"
		tap_done
	fi
done

topo_up

# Anonymous FTP with a file to fetch; vsftpd wants these users to exist.
grep -q '^ftp:' /etc/passwd || echo 'ftp:x:100:100::/srv/ftp:/bin/false' >> /etc/passwd
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534::/nonexistent:/bin/false' >> /etc/passwd
mkdir -p /srv/ftp/pub /run/vsftpd/empty
head -c 200000 /dev/urandom > /srv/ftp/pub/file.bin

# vsftpd NS NAME ADDRESS-OPTION: one server, IPv4 or IPv6, on port 21.
vsftpd_start() {
	cat > /tmp/vsftpd-$2.conf <<EOF
$3
listen_port=21
anonymous_enable=YES
anon_root=/srv/ftp
no_anon_password=YES
local_enable=NO
write_enable=NO
seccomp_sandbox=NO
secure_chroot_dir=/run/vsftpd/empty
run_as_launching_user=YES
background=NO
port_enable=YES
pasv_enable=YES
connect_from_port_20=NO
xferlog_enable=NO
EOF
	bg nsx "$1" vsftpd /tmp/vsftpd-$2.conf
}
vsftpd_start server srv4 "listen=YES
listen_address=10.0.2.2"
vsftpd_start server srv6 "listen=NO
listen_ipv6=YES
listen_address6=fd00:2::2"
vsftpd_start router fw4 "listen=YES
listen_address=10.0.1.1"
vsftpd_start router fw6 "listen=NO
listen_ipv6=YES
listen_address6=fd00:1::1"
sleep 1

# The seed ruleset on the router, plus FTP control connections and ICMPv6
# (the seed's table is IPv4 only; IPv6 needs neighbour discovery).
for hook in input forward; do
	nsx router ctrackctl rule add $hook ct state established,related accept >/dev/null
	nsx router ctrackctl rule add $hook icmpv6 accept >/dev/null
	nsx router ctrackctl rule add $hook ct state invalid drop >/dev/null
	nsx router ctrackctl rule add $hook tcp dport 21 ct state new accept >/dev/null
	nsx router ctrackctl rule add $hook ct state new drop >/dev/null
done
nsx router ctrackctl rule add output ct state established,related accept >/dev/null
nsx router ctrackctl rule add output icmpv6 accept >/dev/null
nsx router ctrackctl rule add output ct state invalid drop >/dev/null

# fetch URL CURL-OPTIONS...: download the file and compare it.
fetch() {
	local url=$1; shift
	rm -f /tmp/got.bin
	nsx client curl -gsS --connect-timeout 5 -m 10 "$@" -o /tmp/got.bin \
		"$url/pub/file.bin" && cmp -s /tmp/got.bin /srv/ftp/pub/file.bin
}
ctl() { nsx router ctrackctl "$@"; }
has_master() { ctl conn list | grep -q 'master='; }
no_expectations() { [ -z "$(ctl expect list | grep -v '^#')" ]; }

# Each mode: what curl sends, IPv4 and IPv6 where the command exists.
MODES="epsv: pasv:--disable-epsv eprt:-P,- port:-P,-,--disable-eprt"
opts() { echo "${1#*:}" | tr ',' ' '; }

run_all() {
	local what=$1 expect=$2 m name o
	for m in $MODES; do
		name=${m%%:*}
		o=$(opts "$m")
		for target in "forward-v4 ftp://10.0.2.2" "forward-v6 ftp://[fd00:2::2]" \
			      "input-v4 ftp://10.0.1.1" "input-v6 ftp://[fd00:1::1]"; do
			# PORT and PASV exist for IPv4 only; the seed ruleset
			# lets the firewall host open connections itself, so
			# active mode to it works without the helper
			case "$name:$target:$expect" in
			port:*v6*|pasv:*v6*) continue ;;
			eprt:input*:fail|port:input*:fail) continue ;;
			esac
			# shellcheck disable=SC2086
			if [ "$expect" = pass ]; then
				check "$what: $name ${target%% *}" fetch ${target#* } $o
			else
				check_fails "$what: $name ${target%% *}" fetch ${target#* } $o
			fi
		done
	done
}

run_all "helper on" pass
check "data connections are listed as RELATED to their master" has_master
# one-shot, and the masters' last ones were used: nothing left over
check "no expectation left after the transfers" no_expectations

check "helper delete ftp port 21" ctl helper delete ftp port 21
ctl conn flush >/dev/null 2>&1
run_all "helper off" fail
check "helper add ftp port 21" ctl helper add ftp port 21
check "transfer works again with the helper back" fetch ftp://10.0.2.2

tap_done
