#!/usr/bin/env bash
# A run that is interrupted or loses an engine cleans up after itself:
#  1. SIGINT during the second trial: exit 130, the first row kept and
#     complete, run.json "interrupted": true, nothing left behind;
#  2. SIGTERM: exit 143;
#  3. an engine killed with SIGKILL mid-trial: that row is
#     "failed: ... exited (signal 9)", the next trial runs, exit 1.
# Uses vhost-user (skips when this host cannot build it).
. "$(dirname "$0")/lib.sh"

datapath_or_skip vhost-user

# wait_for COND-COMMAND SECONDS
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
rows() { [ -f "$1/results.csv" ] && echo $(($(wc -l <"$1/results.csv") - 1)) || echo 0; }

tags=()
# 1. SIGINT once the first row is written
out="$TMPDIR_T/int"
"$VIOPERF" run --datapath vhost-user --direction h2g --sizes 64 --trials 3 \
	--duration 2 --warmup 0.2 --out "$out" --quiet >/dev/null 2>"$TMPDIR_T/err1" &
pid=$!
wait_for '[ "$(rows "$out")" -ge 1 ]' 60 || { kill -KILL $pid; fail "no first row within 60 s"; }
tags+=("$(run_tag $pid)")
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ "$rc" -eq 130 ] || { cat "$TMPDIR_T/err1"; fail "SIGINT: exit $rc, expected 130"; }
[ "$(rows "$out")" -eq 1 ] || fail "SIGINT: expected exactly the finished row, got $(rows "$out")"
[ "$(csv_col "$out/results.csv" status)" = ok ] || fail "SIGINT: the finished row is not ok"
grep -q '"interrupted": true' "$out/run.json" || fail "SIGINT: run.json does not say interrupted"
grep -q '"end_time": "' "$out/run.json" || fail "SIGINT: run.json has no end_time"
grep -q "interrupted by signal 2" "$TMPDIR_T/err1" || fail "SIGINT: no message"

# 2. SIGTERM while the engines start
out="$TMPDIR_T/term"
"$VIOPERF" run --datapath vhost-user --direction h2g --sizes 64 \
	--duration 2 --warmup 0.2 --out "$out" --quiet >/dev/null 2>&1 &
pid=$!
wait_for '[ -n "$(pgrep -P $pid)" ]' 30
tags+=("$(run_tag $pid)")
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM: exit $rc, expected 143"
grep -q '"interrupted": true' "$out/run.json" || fail "SIGTERM: run.json does not say interrupted"

# 3. the receiver killed mid-trial
out="$TMPDIR_T/kill"
"$VIOPERF" run --datapath vhost-user --direction h2g --sizes 64 --trials 2 \
	--duration 3 --warmup 0.5 --out "$out" --quiet >/dev/null 2>&1 &
pid=$!
# the receiver is the child whose command line says --role rx
rxpid=
wait_for 'rxpid=$(for c in $(pgrep -P $pid); do tr "\0" " " </proc/$c/cmdline 2>/dev/null | grep -q -- "--role rx" && echo $c; done); [ -n "$rxpid" ]' 30 \
	|| { kill -KILL $pid; fail "no receiver engine within 30 s"; }
tags+=("$(run_tag $pid)")
sleep 1.5
kill -KILL $rxpid
wait $pid
rc=$?
[ "$rc" -eq 1 ] || fail "engine killed: exit $rc, expected 1"
st=$(csv_col "$out/results.csv" status | tr '\n' '|')
case "$st" in
"failed: rx (guest end) exited (signal 9)|ok|") ;;
*) cat "$out/results.csv"; fail "engine killed: statuses '$st'" ;;
esac
grep -q '"interrupted": false' "$out/run.json" || fail "engine killed: the run is not interrupted"

# by tag: exact also while other runs use the host
for tag in "${tags[@]}"; do
	check_no_leftovers_of "$tag"
done
echo "ok: SIGINT, SIGTERM and a killed engine end cleanly"
