#!/usr/bin/env bash
# Kernel lab smoke test: boots the lab VM (scripts/lab/run.sh) and checks,
# inside it, /dev/vhost-net, a tc flower skip_hw + mirred redirect between
# veth pairs carrying frames, and DPDK virtio-user moving frames through
# vhost-net into a tap (tests/integration/lab/guest_smoke.sh). The host must
# be left as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
lab_once_per_test_run
lab_snapshot
cd "$lab_root"
lab_run -- bash tests/integration/lab/guest_smoke.sh
rc=$?
[ "$rc" -eq 0 ] || fail "the lab smoke checks failed (exit $rc, output above)"
lab_check_no_leftovers
echo "pass: lab kernel gives vhost-net, tc flower and virtio-user -> vhost-net -> tap"
