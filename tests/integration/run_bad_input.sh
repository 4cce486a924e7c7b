#!/usr/bin/env bash
# `vioperf run` refuses bad options before it acquires anything: exit 2, a
# message on stderr that names the option, and no output directory.
. "$(dirname "$0")/lib.sh"

VIOPERF=$(cd "$(dirname "$VIOPERF")" && pwd)/$(basename "$VIOPERF")
work="$TMPDIR_T/cwd"
mkdir -p "$work" "$TMPDIR_T/full"
echo keep >"$TMPDIR_T/full/something"
touch "$TMPDIR_T/afile"

# expected-word | arguments (one case per line; the word must appear in
# the message, usually the option's name)
cases=$(cat <<CASES
--datapath|--datapath no-such-path
--datapath|--datapath vhost-user,,bogus
--sizes|--sizes 0
--sizes|--sizes 20000
--sizes|--sizes 64,abc
--sizes|--sizes ""
--rate|--rate -5
--rate|--rate 0
--rate|--rate fast
--rate|--rate 5X
--duration|--duration 0
--duration|--duration -1
--duration|--duration abc
--warmup|--warmup -1
--trials|--trials 0
--trials|--trials 1.5
--flows|--flows 0
--flows|--flows 70000
--direction|--direction sideways
--cpus|--cpus 0
--cpus|--cpus 0,99999
--cpus|--cpus a,b
--out|--out /proc/vioperf-bad-input-test/x
--out|--out $TMPDIR_T/afile
--out|--out $TMPDIR_T/full
unknown|--no-such-option
unexpected|stray-argument
CASES
)

# A datapath this host cannot build is refused too (the first "no" of
# vioperf list, if any).
unbuildable=$("$VIOPERF" list | awk 'NR > 1 && $2 == "no" { print $1; exit }')
[ -n "$unbuildable" ] && cases+=$'\n'"cannot run|--datapath $unbuildable"

n=0
while IFS='|' read -r word args; do
	[ -n "$word" ] || continue
	n=$((n + 1))
	out="$TMPDIR_T/out-$n"
	eval "set -- $args"
	# the --out cases bring their own --out; the others get a fresh one
	case "$args" in
	--out*) extra=() ;;
	*) extra=(--out "$out") ;;
	esac
	(cd "$work" && "$VIOPERF" run "$@" "${extra[@]}") >"$TMPDIR_T/stdout" 2>"$TMPDIR_T/stderr"
	rc=$?
	[ "$rc" -eq 2 ] || { cat "$TMPDIR_T/stderr"; fail "run $args: exit $rc, expected 2"; }
	[ -s "$TMPDIR_T/stderr" ] || fail "run $args: no message on stderr"
	grep -q -- "$word" "$TMPDIR_T/stderr" || {
		cat "$TMPDIR_T/stderr"; fail "run $args: message does not name '$word'"; }
	[ ! -e "$out" ] || fail "run $args: created $out"
	[ -z "$(ls -A "$work")" ] || fail "run $args: wrote into the working dir: $(ls -A "$work")"
	[ "$(ls -A "$TMPDIR_T/full")" = something ] || fail "run $args: touched an existing --out"
	[ ! -e /proc/vioperf-bad-input-test ] || fail "run $args: created under /proc"
done <<<"$cases"

[ "$n" -ge 25 ] || fail "only $n cases ran"
echo "ok: $n bad inputs refused with exit 2 and nothing written"
