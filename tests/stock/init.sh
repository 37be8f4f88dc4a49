#!/bin/busybox sh
# /init of a stock-kernel guest: `modprobe ctrack` from the guest's own
# /lib/modules (dependencies resolved by modules.dep, as on a real host),
# note the outcome for smoke.sh, then hand over to the harness's guest init,
# which runs the plan with ctrack loaded.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sys /sys
$B modprobe ctrack > /ctrack/modprobe.log 2>&1
echo $? > /ctrack/modprobe.rc
$B cat /proc/modules > /ctrack/modules.loaded
# guest.sh loads ctrack.ko itself; its dependencies stay loaded.
$B rmmod ctrack >> /ctrack/modprobe.log 2>&1
$B modprobe veth >> /ctrack/modprobe.log 2>&1
$B umount /sys
$B umount /proc
exec /ctrack/guest.sh
