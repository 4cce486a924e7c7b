#!/usr/bin/env bash
# ivshmem against a real guest BAR: the kernel lab boots a QEMU guest with
# an ivshmem-plain device backed by a region file created here
# (scripts/lab/run.sh --ivshmem). Inside, side b maps the device's BAR 2
# (/sys/bus/pci/devices/<bdf>/resource2), validates the header and checks
# every one of the frames side a sends from this host, then sees side a's
# heartbeat stop after it exits. Emulated: a function check, never a speed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
peer="$lab_root/${BUILD:-build}/tests/test_shmring_peer"
[ -x "$peer" ] || fail "$peer is missing: build it first (make)"
grep -q -- '--ivshmem' "$lab_root/scripts/lab/run.sh" ||
	skip "scripts/lab/run.sh has no --ivshmem option"
lab_snapshot
nb=200000
# Not named vioperf-<tag>-*: `vioperf cleanup` of a concurrent run would
# take it for a leftover of a dead run.
region=/dev/shm/lab-ivshmem-$$
# On hugetlbfs only when it is mounted and has the region's two free 2 MB
# pages; a mount with an empty pool (as a fresh host has) cannot back it.
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
[ -d /dev/hugepages ] && grep -q ' /dev/hugepages hugetlbfs ' /proc/mounts &&
	[ "$free" -ge 2 ] && region=/dev/hugepages/lab-ivshmem-$$
trap 'rm -f "$region"; rm -rf "$TMPDIR_T"' EXIT
"$peer" create "$region" || fail "cannot create the region $region"

# The guest: find the ivshmem device (1af4:1110), enable it, run side b.
cat >"$TMPDIR_T/guest.sh" <<'GUEST'
set -u
dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1110 ] && dev=$d
done
[ -n "$dev" ] || { echo "guest: no ivshmem device (1af4:1110)"; exit 3; }
echo 1 >"$dev/enable"
exec "$1" "$dev/resource2" b rx "$2"
GUEST
mkdir -p "$TMPDIR_T/out"
cp "$TMPDIR_T/guest.sh" "$TMPDIR_T/out/guest.sh"
cd "$lab_root"
# Side a on this host; it waits for the guest's side b to attach.
"$peer" "$region" a tx "$nb" >"$TMPDIR_T/host.log" 2>&1 &
host=$!
lab_run --ivshmem "$region" --out "$TMPDIR_T/out" -- \
	bash "$TMPDIR_T/out/guest.sh" "$peer" "$nb" >"$TMPDIR_T/guest.log" 2>&1
guest_rc=$?
# The host end is done once the guest took every frame; if the guest never
# came, stop it.
for _ in $(seq 50); do kill -0 "$host" 2>/dev/null || break; sleep 0.1; done
kill "$host" 2>/dev/null
wait "$host"
host_rc=$?
cat "$TMPDIR_T/host.log" "$TMPDIR_T/guest.log"
[ "$host_rc" -eq 0 ] || fail "host side a failed (exit $host_rc)"
[ "$guest_rc" -eq 0 ] || fail "guest side b failed (exit $guest_rc)"
grep -q "^rx: $nb frames, 0 bad" "$TMPDIR_T/guest.log" ||
	fail "the guest did not receive $nb intact frames"
grep -q "^rx: peer stopped" "$TMPDIR_T/guest.log" ||
	fail "the guest did not see the host end stop"
rm -f "$region"
lab_check_no_leftovers
echo "pass: $nb frames host -> guest through the ivshmem BAR, every one checked"
