# Sourced by tests that need an FTP server in the guest (vsftpd).

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
