#!/usr/bin/env bash
# tc-sw end to end through the kernel: real frames, both directions, at
# 50 kpps (no loss) and at maximum rate; counters add up, the variant is
# u32 (no cls_flower, as on this host) or flower-skip_hw, and the run's
# netns and interfaces are gone afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kpath.bash"
kpath_test tc-sw 'u32|flower-skip_hw'
