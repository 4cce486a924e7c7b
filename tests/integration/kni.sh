#!/usr/bin/env bash
# kni end to end through the kernel: real frames, both directions, at
# 50 kpps (no loss) and at maximum rate; counters add up, and the run's
# netns and interfaces are gone afterwards. The variant is net_tap (the
# exception path) unless rte_kni exists here, or VIOPERF_KNI_VARIANT
# pins one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kpath.bash"
kpath_test kni "${VIOPERF_KNI_VARIANT:-net_tap|rte_kni}"
