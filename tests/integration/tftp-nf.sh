#!/bin/sh
# The reference for tftp.sh: the same TFTP transfers through nftables with
# nf_conntrack's TFTP helper assigned explicitly (as Linux 6.x requires),
# then without it. tftp.sh's expectations hold for both trackers.
# ctnetlink=0: conntrack -F must reach nf_conntrack_netlink, not ctrack.
# ctrack-params: ctnetlink=0
TFTP_FW=nft
. /ctrack/integration/tftp.sh
