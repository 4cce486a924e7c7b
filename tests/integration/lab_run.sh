#!/usr/bin/env bash
# scripts/lab/run.sh itself: refuses bad options and a working directory the
# guest cannot see without booting; passes the command as an argv (spaces,
# quotes, $(...), newlines, empty arguments arrive as they were, nothing is
# evaluated by a shell on the way); --env values likewise; the command's
# stdout, stderr and exit code come back separately; the time limit ends
# with 124; nothing is left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab/lab.sh"
lab_need
lab_once_per_test_run
run=$lab_root/scripts/lab/run.sh
cd "$lab_root"
lab_snapshot

# Refusals, before any boot.
for bad in "--timeout 5" "--timeout x" "--env 1BAD=x" "--env NOEQUALS"; do
	# shellcheck disable=SC2086
	"$run" $bad -- true >"$TMPDIR_T/o" 2>&1
	rc=$?
	[ "$rc" -eq 125 ] || fail "run.sh $bad -- true exited $rc, expected 125: $(cat "$TMPDIR_T/o")"
done
(cd /run && "$run" -- true) >"$TMPDIR_T/o" 2>&1
rc=$?
[ "$rc" -eq 125 ] && grep -q "cannot run in /run" "$TMPDIR_T/o" ||
	fail "run.sh from /run exited $rc, expected 125 and the reason: $(cat "$TMPDIR_T/o")"
echo "ok: bad options and an invisible working directory refused without booting"

# One boot: argv, env, streams and exit code.
canary=$TMPDIR_T/out/evaluated
args=('a b' "\$(touch $canary)" 'semi;colon' $'new\nline' '' "it's \"quoted\"" '*')
lab_run --out "$TMPDIR_T/out" --env "LABV=x \$(touch $canary) y" -- \
	bash -c 'printf "[%s]\n" "$@"; printf "env[%s]\n" "$LABV"; echo to-stderr >&2; exit 7' \
	lab "${args[@]}" >"$TMPDIR_T/stdout" 2>"$TMPDIR_T/stderr"
rc=$?
[ "$rc" -eq 7 ] || { cat "$TMPDIR_T/stdout" "$TMPDIR_T/stderr"; fail "exit code $rc came back, expected the command's 7"; }
{ printf '[%s]\n' "${args[@]}"; printf 'env[%s]\n' "x \$(touch $canary) y"; } >"$TMPDIR_T/want"
diff -u "$TMPDIR_T/want" "$TMPDIR_T/stdout" || fail "the arguments did not arrive as given (diff above)"
grep -qx to-stderr "$TMPDIR_T/stderr" || fail "the command's stderr did not come back on stderr"
! grep -q to-stderr "$TMPDIR_T/stdout" || fail "the command's stderr came back on stdout"
[ ! -e "$canary" ] || fail "an argument was evaluated by a shell on the way"
echo "ok: argv, env, stdout, stderr and exit code 7 came back intact"

# The time limit.
start=$(date +%s)
LAB_TIMEOUT=30 lab_run -- sleep 600 >"$TMPDIR_T/o" 2>&1
rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 124 ] || fail "a command past the time limit exited $rc, expected 124: $(tail -n 5 "$TMPDIR_T/o")"
[ "$took" -le 45 ] || fail "the 30 s time limit took $took s to end the run"
echo "ok: the 30 s limit ended the run with 124 after $took s"
lab_check_no_leftovers
echo "pass: lab runner"
