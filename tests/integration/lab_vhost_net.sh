#!/usr/bin/env bash
# vhost-net in the kernel lab: this host has no /dev/vhost-net, the lab's
# kernel has. Boots the lab and runs `vioperf run --datapath vhost-net`
# (both directions, 64 B, 20 kpps, 2 s) inside it from this build tree;
# checks status ok, emulated=1 and that counters add up
# (tests/integration/lab/guest_datapath.sh). Emulated: a function check,
# never a speed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
lab_need_datapath vhost-net
lab_snapshot
cd "$lab_root"
lab_run --out "$TMPDIR_T/out" -- bash tests/integration/lab/guest_datapath.sh vhost-net '*'
rc=$?
[ "$rc" -eq 0 ] || fail "vhost-net in the kernel lab failed (exit $rc, output above)"
lab_check_no_leftovers
echo "pass: vhost-net moves frames in the kernel lab, counters add up"
