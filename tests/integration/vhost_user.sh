#!/usr/bin/env bash
# vhost-user end to end (tests/integration/dpdk_pair.bash): both
# directions at maximum rate and 100 kpps, counters, latency, CPU,
# teardown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dpdk_pair.bash"
dpdk_pair_test vhost-user virtio_user-vhost
