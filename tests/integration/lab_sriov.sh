#!/usr/bin/env bash
# sriov-vf, sriov-pf-vf and tc-offload in the kernel lab on QEMU's emulated
# Intel 82576 (scripts/lab/run.sh --igb: SR-IOV PF, VFs behind an emulated
# IOMMU): VFs created, bound to vfio-pci, DPDK on them, frames counted by
# the engine; tc-offload refused with the kernel's message (igb has no
# switchdev eswitch); the NIC restored (tests/integration/lab/guest_sriov.sh).
# Emulated: a function check, never a speed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
lab_need_datapath sriov-vf
lab_need_datapath sriov-pf-vf
lab_snapshot
cd "$lab_root"
LAB_TIMEOUT=${LAB_TIMEOUT:-420} lab_run --igb --out "$TMPDIR_T/out" -- \
	bash tests/integration/lab/guest_sriov.sh
rc=$?
[ "$rc" -eq 0 ] || fail "the SR-IOV flow in the kernel lab failed (exit $rc, output above)"
lab_check_no_leftovers
echo "pass: SR-IOV VFs carry frames on the emulated igb; tc-offload refused with the kernel's message"
