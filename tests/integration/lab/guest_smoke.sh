#!/usr/bin/env bash
# Runs inside the kernel lab guest (tests/integration/lab_smoke.sh boots it):
# checks that the lab's kernel gives what the host's lacks, with real
# packets. Prints "ok: ..." per check; exits 1 at the first failure.
#  1. /dev/vhost-net is a character device
#  2. tc flower skip_hw + mirred redirects between veth pairs in a netns:
#     frames sent into one pair come out of the other, counted by the filter
#  3. DPDK virtio-user on /dev/vhost-net (no hugepages) moves frames into a
#     tap (its rx_packets grows)
set -u
ns=vioperf-labsmoke
tap=vplabsmoke0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
cleanup() {
	ip netns del "$ns" 2>/dev/null
	ip link del "$tap" 2>/dev/null
}
trap cleanup EXIT

[ "${VIOPERF_LAB:-}" = 1 ] || fail "not inside the kernel lab (run it with scripts/lab/run.sh)"
[ -c /dev/vhost-net ] || fail "/dev/vhost-net is missing in the lab guest (vhost_net not loaded?)"
ok "/dev/vhost-net is a character device"

# --- tc flower between veth pairs --------------------------------------------
ip netns add "$ns" || fail "ip netns add $ns"
nsx() { ip netns exec "$ns" "$@"; }
nsx ip link add a0 type veth peer name a1 || fail "veth a0/a1"
nsx ip link add b0 type veth peer name b1 || fail "veth b0/b1"
for i in lo a0 a1 b0 b1; do
	nsx ip link set "$i" up || fail "link $i up"
done
nsx ip addr add 192.0.2.1/24 dev a0 || fail "address on a0"
nsx ip neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev a0 nud permanent || fail "neighbour on a0"
nsx tc qdisc add dev a1 ingress || fail "tc qdisc add dev a1 ingress"
nsx tc filter add dev a1 ingress protocol ip pref 1 flower skip_hw \
	dst_ip 192.0.2.2 ip_proto udp action mirred egress redirect dev b1 ||
	fail "tc flower skip_hw + mirred filter was refused"
nsx tc filter show dev a1 ingress | grep -q 'skip_hw' || fail "the flower filter is not listed with skip_hw"
ok "tc flower skip_hw + mirred redirect installed on a1 -> b1"
b0_before=$(nsx cat /sys/class/net/b0/statistics/rx_packets)
# Five UDP datagrams out of a0 (bash's /dev/udp; no reply expected).
nsx bash -c 'for i in 1 2 3 4 5; do echo "$i" >/dev/udp/192.0.2.2/9; done' ||
	fail "sending UDP out of a0 failed"
b0_after=$(nsx cat /sys/class/net/b0/statistics/rx_packets)
hits=$(nsx tc -s filter show dev a1 ingress | awk '/Sent .* pkt/ { print $4; exit }')
[ $((b0_after - b0_before)) -ge 5 ] ||
	fail "b0 received $((b0_after - b0_before)) of 5 frames redirected by flower (filter counted ${hits:-none})"
[ "${hits:-0}" -ge 5 ] || fail "the flower filter counted ${hits:-no} packets, expected >= 5"
ok "flower redirected $hits frames a0 -> a1 -> b1 -> b0 (b0 rx +$((b0_after - b0_before)))"
ip netns del "$ns" || fail "ip netns del $ns"

# --- DPDK virtio-user -> vhost-net -> tap ------------------------------------
command -v dpdk-testpmd >/dev/null || fail "dpdk-testpmd is missing on the host (apt-get install dpdk)"
ip tuntap add mode tap "$tap" || fail "ip tuntap add $tap"
ip link set "$tap" up || fail "link $tap up"
before=$(cat "/sys/class/net/$tap/statistics/rx_packets")
log=/tmp/testpmd.log
# The vdev attaches the existing tap by name; testpmd sends until SIGINT.
# (--in-memory is refused with --no-huge by DPDK 22.11: "--legacy-mem is
# not compatible with --in-memory".)
timeout -s INT -k 10 25 dpdk-testpmd -l 0,1 --no-huge -m 256 --no-pci \
	--file-prefix vplabsmoke --no-telemetry --vdev "net_virtio_user0,path=/dev/vhost-net,iface=$tap" -- \
	--total-num-mbufs=4096 --forward-mode=txonly --stats-period 2 >"$log" 2>&1 &
pmd=$!
# EAL start-up under emulation takes a while: wait for frames, at most 25 s.
n=0
for _ in $(seq 50); do
	sleep 0.5
	n=$(($(cat "/sys/class/net/$tap/statistics/rx_packets") - before))
	[ "$n" -lt 10000 ] || break
	kill -0 "$pmd" 2>/dev/null || break
done
kill -INT "$pmd" 2>/dev/null
wait "$pmd"
n=$(($(cat "/sys/class/net/$tap/statistics/rx_packets") - before))
if [ "$n" -lt 1000 ]; then
	tail -n 30 "$log" >&2
	fail "the tap received $n frames from dpdk-testpmd over vhost-net (expected >= 1000)"
fi
ok "dpdk-testpmd (virtio-user, --no-huge) moved $n frames through vhost-net into $tap (emulated: not a speed)"
