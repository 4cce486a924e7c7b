#!/usr/bin/env bash
# The harness under valgrind (memcheck; the engines it execs run natively,
# --trace-children=no: DPDK under valgrind is impractical): a short real
# run on one datapath, a run whose receiver is killed mid-window, a run
# interrupted with SIGINT, and list, report, compare, plan and cleanup on
# the report fixtures. Any memcheck error or a definitely/indirectly lost
# block fails (valgrind exits 99), as does any "==PID==" report line.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind is not installed"
need_root
VIOPERF=$(cd "$(dirname "$VIOPERF")" && pwd)/$(basename "$VIOPERF")
case "$(ldd "$VIOPERF" 2>/dev/null)" in
*libasan*) skip "$VIOPERF is a sanitizer build; valgrind needs a plain one" ;;
esac
fix=$(pwd)/tests/fixtures/report
t=$TMPDIR_T
n=0

# vg EXPECTED-EXIT NAME CMD...: run CMD under memcheck.
vg() {
	local want=$1 name=$2 rc
	shift 2
	valgrind --leak-check=full --error-exitcode=99 --trace-children=no \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect -q "$@" \
		>"$t/vg.out" 2>"$t/vg.err" &
	vgpid=$!
	[ -z "${VG_HOOK:-}" ] || eval "$VG_HOOK"
	wait $vgpid
	rc=$?
	if [ "$rc" -eq 99 ] || grep -q '^==[0-9]*==' "$t/vg.err"; then
		cat "$t/vg.err"; fail "$name: valgrind reports errors or leaks (above)"
	fi
	[ "$rc" -eq "$want" ] || { tail -20 "$t/vg.err"; fail "$name: exit $rc, expected $want"; }
	n=$((n + 1))
	echo "ok: $name under valgrind (exit $rc)"
}

dps=" $(echo $("$VIOPERF" list --available)) "
dp=
for d in tc-sw ivshmem vhost-user virtio-tap; do
	case "$dps" in *" $d "*) dp=$d; break ;; esac
done

vg 0 "list" "$VIOPERF" list
vg 0 "report" "$VIOPERF" report "$fix/run-a" --out "$t/rep"
vg 1 "compare (worse)" "$VIOPERF" compare "$fix/run-a" "$fix/run-b"
vg 0 "compare (same)" "$VIOPERF" compare "$fix/run-a" "$fix/run-a"
vg 0 "plan" "$VIOPERF" plan "$fix/run-a" --target-mpps 1 --out "$t/plan"
vg 2 "compare (bad input)" "$VIOPERF" compare "$fix/run-a" "$t/nowhere"
vg 2 "run (bad option)" "$VIOPERF" run --datapath no-such-path
vg 0 "cleanup --dry-run" "$VIOPERF" cleanup --dry-run

if [ -z "$dp" ]; then
	echo "note: no datapath to run here; only the commands above ran"
else
	args=(run --datapath "$dp" --direction h2g --sizes 64 --warmup 0.3
	      --duration 0.5 --quiet)
	vg 0 "run $dp" "$VIOPERF" "${args[@]}" --trials 2 --out "$t/run"
	csv_check "$t/run/results.csv" 'c["status"] == "ok"' "run $dp under valgrind: a row is not ok"

	# the receiver killed in the measured window: trial 1 failed, 2 ok
	VG_HOOK='wait_for "e=\$(for c in \$(pgrep -P $vgpid); do engine_pid \$c rx; done; engine_pid $vgpid rx); [ -n \"\$e\" ] && [ \"\$(engine_phase \$e)\" = 2 ]" 120 && kill -KILL $e'
	vg 1 "run $dp, rx killed" "$VIOPERF" "${args[@]}" --trials 2 --duration 2 --out "$t/kill"
	case "$(csv_col "$t/kill/results.csv" status | head -1)" in
	"failed: rx (guest end) exited (signal 9)"*) ;;
	*) cat "$t/kill/results.csv"; fail "rx killed under valgrind: row 1 is not the failure" ;;
	esac

	# SIGINT once the first row is in
	VG_HOOK='wait_for "[ -s $t/int/results.csv ] && [ \$(wc -l <$t/int/results.csv) -ge 2 ]" 120 && kill -INT $vgpid'
	vg 130 "run $dp, SIGINT" "$VIOPERF" "${args[@]}" --trials 3 --duration 1 --out "$t/int"
	VG_HOOK=
fi
echo "ok: $n commands clean under valgrind"
