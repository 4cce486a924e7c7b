#!/usr/bin/env bash
# virtio-tap end to end through the kernel: real frames, both directions, at
# 50 kpps (no loss) and at maximum rate; counters add up, variant tap-vnet_hdr on
# this host, and the run's netns and interfaces are gone afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kpath.bash"
kpath_test virtio-tap tap-vnet_hdr
