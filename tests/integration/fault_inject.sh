#!/usr/bin/env bash
# Fault injection on every datapath this host can build ('vioperf list
# --available'). Each case runs two trials (h2g, 64 B) and hurts the first:
#   - the rx end SIGKILLed while the harness waits for it to be ready
#     (phase idle, before warm-up),
#   - the tx end SIGKILLed in warm-up,
#   - the rx end SIGKILLed in the measured window,
#   - the rx end SIGSTOPped in the measured window and the tx end in
#     warm-up (hung ends);
# and expects: exit 1, row 1 "failed: <role> (<end> end) exited (signal 9)"
# or "... stalled (no progress for 2 s)", row 2 ok, run.json written and
# not interrupted, nothing of the run's tag and none of its engines left.
# Then, on one datapath: --fail-fast stops after the failed row; a
# SIGKILLed harness leaves its finished rows whole and its engines gone,
# and `vioperf cleanup` takes the rest; and
# SIGINT in setup, warm-up, measurement and teardown exits 130 with the
# finished rows kept, run.json interrupted:true, nothing left.
# The phase comes from the engine's stats block (the harness sets it), so
# the faults land where they are meant to on a loaded host too. The drain
# (milliseconds long) cannot be hit from outside deterministically; its
# checks are the same helpers as the window's.
. "$(dirname "$0")/lib.sh"
need_root

dps=$(echo ${FAULT_DPS:-$("$VIOPERF" list --available)})	# FAULT_DPS: a subset, by hand
# The sanitizer pass checks the harness's own paths, which are the same for
# every datapath: there one DPDK and one kernel datapath keep CI short.
if [ -z "${FAULT_DPS:-}" ] && ldd "$VIOPERF" 2>/dev/null | grep -q libasan; then
	few=
	for d in vhost-user tc-sw; do
		case " $dps " in *" $d "*) few="$few $d" ;; esac
	done
	[ -z "$few" ] || dps=$(echo $few)
fi
[ -n "$dps" ] || skip "this host can build no datapath"
rows() { [ -f "$1/results.csv" ] && echo $(($(wc -l <"$1/results.csv") - 1)) || echo 0; }
n=0
phase_name() { case $1 in 1) echo warm-up ;; 2) echo "the measured window" ;; *) echo "$1" ;; esac; }

# start_run OUT [OPTIONS...]: a run in the background; sets $pid.
start_run() {
	local out=$1
	shift
	"$VIOPERF" run --direction h2g --sizes 64 --out "$out" --quiet "$@" \
		>"$out.log" 2>&1 &
	pid=$!
}

# find_end ROLE: wait for the run's engine ROLE; sets $epid and $tag.
find_end() {
	epid=
	wait_for 'epid=$(engine_pid $pid '"$1"'); [ -n "$epid" ]' 60 ||
		{ kill -KILL $pid; cat "$out.log"; fail "$case: no $1 engine within 60 s"; }
	tag=$(run_tag $pid)
	[ -n "$tag" ] || fail "$case: no workdir owned by pid $pid"
}

# at_phase P: wait until the engine $epid is in phase P.
at_phase() {
	wait_for '[ "$(engine_phase $epid)" = '"$1"' ]' 60 ||
		{ kill -KILL $pid; cat "$out.log"; fail "$case: $epid never reached phase $1"; }
}

# fault DP ROLE PHASE SIGNAL EXPECTED-STATUS-PREFIX
fault() {
	local dp=$1 role=$2 ph=$3 sig=$4 want=$5 rc st1 st2 all
	case="$dp: $role SIG$sig in $(phase_name $ph)"
	out="$TMPDIR_T/f$((n++))"
	start_run "$out" --datapath "$dp" --trials 2 --warmup 1.5 --duration 2.5
	find_end "$role"
	[ "$ph" = ready ] || at_phase "$ph"
	all="$(pgrep -P $pid | tr '\n' ' ')"
	kill -"$sig" "$epid"
	wait $pid
	rc=$?
	[ "$rc" -eq 1 ] || { cat "$out.log"; fail "$case: exit $rc, expected 1"; }
	[ "$(rows "$out")" -eq 2 ] || { cat "$out/results.csv"; fail "$case: expected 2 rows"; }
	st1=$(csv_col "$out/results.csv" status | sed -n 1p)
	st2=$(csv_col "$out/results.csv" status | sed -n 2p)
	case "$st1" in
	"$want"*) ;;
	*) fail "$case: row 1 status '$st1', expected '$want...'" ;;
	esac
	[ "$st2" = ok ] || fail "$case: row 2 (after the fault) is '$st2', not ok"
	grep -q '"interrupted": false' "$out/run.json" || fail "$case: run.json missing or interrupted"
	# shellcheck disable=SC2086
	check_no_leftovers_of "$tag" $all
	echo "ok: $case -> $st1"
}

for dp in $dps; do
	fault "$dp" rx ready KILL "failed: rx (guest end) exited (signal 9)"
	fault "$dp" tx 1 KILL "failed: tx (host end) exited (signal 9)"
	fault "$dp" rx 2 KILL "failed: rx (guest end) exited (signal 9)"
	fault "$dp" rx 2 STOP "failed: rx (guest end) stalled (no progress for"
	fault "$dp" tx 1 STOP "failed: tx (host end) stalled (no progress for"
done

# shellcheck disable=SC2086
set -- $dps
dp=$1
case " $dps " in *" tc-sw "*) dp=tc-sw ;; esac

# --fail-fast: the failed row is the last; the second trial never runs.
case="$dp: --fail-fast"
out="$TMPDIR_T/ff"
start_run "$out" --datapath "$dp" --trials 2 --warmup 1.5 --duration 2 --fail-fast
find_end tx
at_phase 1
all="$(pgrep -P $pid | tr '\n' ' ')"
kill -KILL "$epid"
wait $pid
rc=$?
[ "$rc" -eq 1 ] || fail "$case: exit $rc, expected 1"
[ "$(rows "$out")" -eq 1 ] || { cat "$out/results.csv"; fail "$case: expected only the failed row"; }
case "$(csv_col "$out/results.csv" status)" in
"failed: tx (host end) exited (signal 9)"*) ;;
*) fail "$case: status '$(csv_col "$out/results.csv" status)'" ;;
esac
grep -q "stopping (--fail-fast)" "$out.log" || { cat "$out.log"; fail "$case: no message"; }
grep -q '"fail_fast": true' "$out/run.json" || fail "$case: run.json does not record --fail-fast"
# shellcheck disable=SC2086
check_no_leftovers_of "$tag" $all
echo "ok: $case"

# The harness itself SIGKILLed in the window of trial 2: its engines go
# (parent-death signal), the finished row stays whole, and `vioperf
# cleanup` removes what the run's tag still marks.
case="$dp: vioperf run SIGKILLed"
out="$TMPDIR_T/hk"
start_run "$out" --datapath "$dp" --trials 2 --warmup 0.5 --duration 2
wait_for '[ "$(rows "$out")" -ge 1 ]' 60 || fail "$case: no first row"
find_end rx
at_phase 2
all="$(pgrep -P $pid | tr '\n' ' ')"
kill -KILL $pid
wait $pid 2>/dev/null
none_alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
wait_for 'none_alive $all' 20 ||
	fail "$case: engines $all still run 20 s after the harness died"
[ "$(rows "$out")" -eq 1 ] || fail "$case: $(rows "$out") rows, expected the finished one"
csv_check "$out/results.csv" 'c["status"] == "ok"' "$case: the finished row is not whole"
"$VIOPERF" cleanup >"$TMPDIR_T/cleanup.out" 2>&1 || { cat "$TMPDIR_T/cleanup.out"; fail "$case: cleanup failed"; }
grep -q "$tag" "$TMPDIR_T/cleanup.out" || { cat "$TMPDIR_T/cleanup.out"; fail "$case: cleanup did not name $tag"; }
# shellcheck disable=SC2086
check_no_leftovers_of "$tag" $all
echo "ok: $case, then cleanup"

# interrupt WHEN NROWS: SIGINT at WHEN (setup: the first engine just
# started; 1/2: phase of trial 2's rx; teardown: right after the last row),
# expecting NROWS rows kept.
interrupt() {
	local when=$1 want_rows=$2 rc all
	case="$dp: SIGINT in $(phase_name $when)"
	out="$TMPDIR_T/i$((n++))"
	if [ "$when" = teardown ]; then
		start_run "$out" --datapath "$dp" --trials 1 --warmup 0.2 --duration 0.5
	else
		start_run "$out" --datapath "$dp" --trials 2 --warmup 1.5 --duration 2
	fi
	case "$when" in
	setup)
		wait_for '[ -n "$(pgrep -P $pid)" ]' 60 || fail "$case: no engine"
		tag=$(run_tag $pid) ;;
	teardown)
		wait_for '[ -n "$(run_tag $pid)" ]' 60 || fail "$case: no workdir"
		tag=$(run_tag $pid)
		wait_for '[ "$(rows "$out")" -ge 1 ]' 60 || fail "$case: no row" ;;
	*)
		wait_for '[ "$(rows "$out")" -ge 1 ]' 60 || fail "$case: no first row"
		find_end rx
		at_phase "$when" ;;
	esac
	all="$(pgrep -P $pid | tr '\n' ' ')"
	if ! kill -INT $pid 2>/dev/null; then
		# teardown only: the run ended before the signal could land
		wait $pid
		echo "ok: $case (the run had already finished, exit $?)"
		return
	fi
	wait $pid
	rc=$?
	if [ "$when" = teardown ] && [ "$rc" -eq 0 ]; then
		echo "ok: $case (the run had already finished)"
		return
	fi
	[ "$rc" -eq 130 ] || { cat "$out.log"; fail "$case: exit $rc, expected 130"; }
	[ "$(rows "$out")" -eq "$want_rows" ] || { cat "$out/results.csv"; fail "$case: $(rows "$out") rows, expected $want_rows"; }
	[ "$want_rows" -eq 0 ] || csv_check "$out/results.csv" 'c["status"] == "ok"' "$case: a kept row is not ok"
	grep -q '"interrupted": true' "$out/run.json" || fail "$case: run.json does not say interrupted"
	# shellcheck disable=SC2086
	check_no_leftovers_of "$tag" $all
	echo "ok: $case"
}

interrupt setup 0
interrupt 1 1
interrupt 2 1
interrupt teardown 1
echo "ok: fault injection on: $(echo $dps)"
