#!/usr/bin/env bash
# ivshmem-memif end to end (tests/integration/dpdk_pair.bash): DPDK's
# memif client and server, both directions at maximum rate and 100 kpps,
# counters, latency, CPU, teardown (the socket goes with the workdir).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dpdk_pair.bash"
dpdk_pair_test ivshmem-memif net_memif
