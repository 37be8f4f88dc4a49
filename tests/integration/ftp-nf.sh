#!/bin/sh
# The reference for ftp.sh: the same FTP transfers through nftables with
# nf_conntrack's FTP helper assigned explicitly (as Linux 6.x requires),
# then without it. ftp.sh's expectations hold for both trackers.
# ctnetlink=0: conntrack -F must reach nf_conntrack_netlink, not ctrack.
# ctrack-params: ftp_ports=21 ctnetlink=0
FTP_FW=nft
. /ctrack/integration/ftp.sh
