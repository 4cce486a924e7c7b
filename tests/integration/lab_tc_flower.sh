#!/usr/bin/env bash
# tc-sw with flower in the kernel lab: this host's kernel has no cls_flower,
# the lab's has, so tc-sw must pick its flower skip_hw variant there. Boots
# the lab and runs `vioperf run --datapath tc-sw` (both directions, 64 B,
# 20 kpps, 2 s) inside it from this build tree; checks status ok, the
# variant is flower-skip_hw, emulated=1 and that counters add up
# (tests/integration/lab/guest_datapath.sh). Emulated: a function check,
# never a speed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
lab_need_datapath tc-sw
lab_snapshot
cd "$lab_root"
lab_run --out "$TMPDIR_T/out" -- bash tests/integration/lab/guest_datapath.sh tc-sw 'flower-skip_hw*'
rc=$?
[ "$rc" -eq 0 ] || fail "tc-sw (flower) in the kernel lab failed (exit $rc, output above)"
lab_check_no_leftovers
echo "pass: tc-sw runs flower skip_hw in the kernel lab, counters add up"
