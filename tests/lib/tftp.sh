# Sourced by tests that need TFTP in the guest: tftpd-hpa's in.tftpd as the
# server, tftp-hpa's tftp as the client.

TFTP_ROOT=/srv/tftp
mkdir -p $TFTP_ROOT
chmod 777 $TFTP_ROOT
# 200 blocks of 512 bytes, then the empty one that ends the transfer
head -c 102400 /dev/urandom > $TFTP_ROOT/file.bin

TFTPD_PIDS=""
# tftpd_start NS ADDRESS: a server on ADDRESS:69, "10.0.2.2" or
# "[fd00:2::2]", serving and accepting uploads into $TFTP_ROOT. Each
# request forks a child that answers from a port of its own.
tftpd_start() {
	local fam=-4
	case $2 in \[*) fam=-6 ;; esac
	bg nsx "$1" in.tftpd -L $fam -a "$2:69" -s -c -p -u root -U 022 $TFTP_ROOT
	TFTPD_PIDS="$TFTPD_PIDS $!"
}

# The children still retrying an answer the firewall dropped (the guest's
# busybox has no pkill).
tftpd_children_stop() {
	local s pid comm state ppid rest p
	for s in /proc/[0-9]*/stat; do
		read -r pid comm state ppid rest < "$s" 2>/dev/null || continue
		for p in $TFTPD_PIDS; do
			[ "$ppid" = "$p" ] && kill "$pid" 2>/dev/null
		done
	done
	return 0
}

# tftp_cmd NS SERVER COMMAND: one command of tftp-hpa's client (not the
# busybox applet first in PATH) in NS against SERVER:69 ("10.0.2.2" or
# "fd00:2::2"). It gives up on a block after 5 s without an answer,
# retrying every 2 s; it exits 0 whatever happened, so callers judge by
# the files.
tftp_cmd() {
	local fam=-4
	case $2 in *:*) fam=-6 ;; esac
	printf 'mode octet\nrexmt 2\ntimeout 5\n%s\nquit\n' "$3" |
		nsx "$1" /usr/bin/tftp $fam "$2" 69
}

# tftp_get NS SERVER: read file.bin, compare it with the original.
tftp_get() {
	local out=/tmp/tftp-got.bin
	rm -f $out
	tftp_cmd "$1" "$2" "get file.bin $out" && cmp $out $TFTP_ROOT/file.bin
}

# tftp_put NS SERVER NAME: write file.bin as NAME, compare what the server
# stored, giving its child a moment to close the file.
tftp_put() {
	local i
	rm -f "$TFTP_ROOT/$3"
	tftp_cmd "$1" "$2" "put $TFTP_ROOT/file.bin $3" || return
	for i in 1 2 3; do
		cmp -s "$TFTP_ROOT/$3" $TFTP_ROOT/file.bin && return 0
		sleep 0.5
	done
	cmp "$TFTP_ROOT/$3" $TFTP_ROOT/file.bin
}
