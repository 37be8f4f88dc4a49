#!/bin/sh
# FTP through a firewall with real programs: vsftpd and curl, active (PORT,
# EPRT) and passive (PASV, EPSV), IPv4 and IPv6, through the forward hook
# and to the firewall host itself, under the seed ruleset: only port 21 may
# open a connection, so each data connection passes only as RELATED. With
# the helper disabled the same transfers must fail.
#
# FTP_FW=ctrack (default) tests ctrack; ftp-nf.sh runs the same transfers
# with FTP_FW=nft, nftables and nf_conntrack's FTP helper, the reference.
#
#   client (10.0.1.2, fd00:1::2) --veth-- router (10.0.1.1 | 10.0.2.1) --veth-- server (10.0.2.2, fd00:2::2)
#            curl                          rules, vsftpd                    vsftpd
#
# ctrack-params: ftp_ports=21
. /ctrack/lib/tap.sh

FTP_FW=${FTP_FW:-ctrack}
if [ "$FTP_FW" = nft ]; then need vsftpd curl nft; else need vsftpd curl ctrackctl; fi
[ "$FTP_FW" = nft ] && nfct_netlink_load

topo_up

. /ctrack/lib/ftp.sh
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

ctl() { nsx router ctrackctl "$@"; }

# The seed ruleset on the router (tests/lib/seed.sh), new connections
# only to the FTP port; nft_rules' $1 assigns nf_conntrack's helper (or not).
. /ctrack/lib/seed.sh
ctrack_rules() {
	seed_ctrack tcp 21
}
nft_rules() { seed_nft tcp 21 ftp "$1"; }

if [ "$FTP_FW" = nft ]; then
	check "nftables seed ruleset with the FTP helper" \
		nft_rules 'tcp dport 21 ct helper set "ftp-standard"'
else
	check "ctrack seed ruleset" ctrack_rules
fi

# fetch URL CURL-OPTIONS...: download the file and compare it.
fetch() {
	local url=$1; shift
	rm -f /tmp/got.bin
	nsx client curl -gsS --connect-timeout 5 -m 10 "$@" -o /tmp/got.bin \
		"$url/pub/file.bin" && cmp -s /tmp/got.bin /srv/ftp/pub/file.bin
}
has_master() { ctl conn list | grep -q 'master='; }
no_expectations() { [ -z "$(ctl expect list | grep -v '^#')" ]; }
expected() { nsx router cat /proc/net/ctrack_expect | grep -q "dport=$1 "; }

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

if [ "$FTP_FW" = nft ]; then
	nsx router conntrack -F 2>/dev/null
	check "nftables seed ruleset without the FTP helper" nft_rules ''
	run_all "helper off" fail
	tap_done
fi

check "data connections are listed as RELATED to their master" has_master
# one-shot, and the masters' last ones were used: nothing left over
check "no expectation left after the transfers" no_expectations

# A control connection kept open: PORT announces 10.0.1.2:51201, then a
# bounce to the router's 10.0.2.1:51202 that must be refused.
(printf 'USER anonymous\r\nPASS x\r\nPORT 10,0,1,2,200,1\r\n'; sleep 1
 printf 'PORT 10,0,2,1,200,2\r\n'; sleep 3) |
	nsx client nc 10.0.2.2 21 >/dev/null 2>&1 &
nc_pid=$!
sleep 2
check "PORT is in /proc/net/ctrack_expect" expected 51201
check_fails "a PORT bounce to another host is not expected" expected 51202
wait $nc_pid

check "helper delete ftp port 21" ctl helper delete ftp port 21
ctl conn flush >/dev/null 2>&1
run_all "helper off" fail
check "helper add ftp port 21" ctl helper add ftp port 21
check "transfer works again with the helper back" fetch ftp://10.0.2.2

tap_done
