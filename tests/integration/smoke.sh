#!/bin/sh
# The plumbing: ctrack loads, registers its hooks in every namespace, and
# traffic flows through input, forward and output, IPv4 and IPv6.
#
#   client (10.0.1.2) --veth-- router (forwards) --veth-- server (10.0.2.2)
#
. /ctrack/lib/tap.sh

check "ctrack module is loaded" grep -q '^ctrack ' /proc/modules
check "module parameters are visible" test -r /sys/module/ctrack/parameters/max_conns
topo_up
bg nsx server ctnet tcp-server 22
bg nsx server ctnet udp-server 53
sleep 1
check "ping router (input/output, v4)" nsx client ping -c 1 -W 2 10.0.1.1
check "ping server through router (forward, v4)" nsx client ping -c 1 -W 2 10.0.2.2
check "ping server through router (forward, v6)" nsx client ping -c 1 -W 2 fd00:2::2
check "TCP transfer through router (v4)" nsx client ctnet tcp-client 10.0.2.2 22 100000
check "TCP transfer through router (v6)" nsx client ctnet tcp-client fd00:2::2 22 100000
check "UDP request and reply (v4)" nsx client ctnet udp-client 10.0.2.2 53
check "UDP request and reply (v6)" nsx client ctnet udp-client fd00:2::2 53
tap_done
