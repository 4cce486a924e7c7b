#!/usr/bin/env bash
# ivshmem: a receiver that stops (SIGSTOP: alive, but its heartbeat in the
# shared region stalls) ends the trial with the reason instead of a sender
# spinning forever; the region file is removed.
. "$(dirname "$0")/lib.sh"
datapath_or_skip ivshmem
out="$TMPDIR_T/out"
"$VIOPERF" run --datapath ivshmem --direction h2g --sizes 64 --duration 8 \
	--warmup 0.5 --out "$out" >"$TMPDIR_T/log" 2>&1 &
hp=$!
rx=
for _ in $(seq 100); do
	rx=$(pgrep -P "$hp" -f 'role rx' | head -n 1)
	[ -n "$rx" ] && grep -q 'run ' "$TMPDIR_T/log" && break
	sleep 0.1
done
[ -n "$rx" ] || { kill "$hp"; fail "no receiver engine under vioperf run $hp"; }
sleep 2				# into the measured window
kill -STOP "$rx"
wait "$hp"
rc=$?
kill -CONT "$rx" 2>/dev/null
cat "$TMPDIR_T/log"
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1 (a trial failed)"
# Both ends are local here, so the harness sees the receiver's own counters
# stop and names it; a sender whose only sign is the region's heartbeat
# (a peer in another machine) says "link to the peer lost ... stopped".
# (the status holds commas: quoted in the CSV, so grep rather than split)
grep -Eq '"?failed: (rx \(guest end\) stalled|tx \(host end\): link to the peer lost: .*peer side b stopped)' \
	"$out/results.csv" || fail "the row does not say the peer stopped"
ls /dev/hugepages/vioperf-*-ivshmem /dev/shm/vioperf-*-ivshmem 2>/dev/null |
	grep -F "$(grep -o 'vioperf-[a-z0-9]*-ivshmem' "$out/results.csv" | head -n 1)" &&
	fail "the region file is left"
echo "pass: a stopped peer fails the trial with the reason"
