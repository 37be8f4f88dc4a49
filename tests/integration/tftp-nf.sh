#!/bin/sh
# The reference for tftp.sh: the same TFTP transfers through nftables with
# nf_conntrack's TFTP helper assigned explicitly (as Linux 6.x requires),
# then without it. tftp.sh's expectations hold for both trackers.
TFTP_FW=nft
. /ctrack/integration/tftp.sh
