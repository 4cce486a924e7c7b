#!/usr/bin/env bash
# compare, report and plan refuse bad input with exit 2, a message that
# names the file (and line/column), and write nothing.
. "$(dirname "$0")/lib.sh"
[ -x "$VIOPERF" ] || fail "$VIOPERF not built"
fix=tests/fixtures/report/run-a
t=$TMPDIR_T
mkdir -p "$t/trunc" "$t/cols" "$t/empty" "$t/hdr" "$t/num"
# the last line cut in the middle (a crash mid-write of a foreign tool)
head -c -40 "$fix/results.csv" >"$t/trunc/results.csv"
# a required column renamed
sed '1s/rx_pps/rx_rate/' "$fix/results.csv" >"$t/cols/results.csv"
: >"$t/empty/results.csv"
head -n 1 "$fix/results.csv" >"$t/hdr/results.csv"
sed '3s/^\([^,]*,[^,]*,"[^"]*",[^,]*,[^,]*,[^,]*,\)2,/\1two,/' \
	"$fix/results.csv" >"$t/num/results.csv"

# expect_bad WHAT PATTERN CMD...: exit 2, PATTERN on stderr, stdout empty
expect_bad() {
	local what=$1 pat=$2 rc
	shift 2
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
	echo "$what: exit $rc: $(cat "$t/err")"
	[ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2"
	grep -q -- "$pat" "$t/err" || fail "$what: message lacks '$pat'"
	[ ! -s "$t/out" ] || fail "$what: wrote to stdout: $(head -3 "$t/out")"
}

expect_bad "truncated" "trunc/results.csv:.*truncated" \
	"$VIOPERF" compare "$fix" "$t/trunc"
expect_bad "wrong columns" "cols/results.csv:1: column rx_pps: missing" \
	"$VIOPERF" compare "$t/cols" "$fix"
expect_bad "empty file" "empty/results.csv:1: empty file" \
	"$VIOPERF" compare "$fix" "$t/empty"
expect_bad "header only" "hdr/results.csv:2: header only" \
	"$VIOPERF" compare "$t/hdr" "$fix"
expect_bad "bad number" "num/results.csv:3: column duration_s: 'two'" \
	"$VIOPERF" compare "$fix" "$t/num"
expect_bad "missing dir" "nowhere" \
	"$VIOPERF" compare "$fix" "$t/nowhere"
expect_bad "dir without results.csv" "results.csv" \
	"$VIOPERF" compare "$fix" "$t"
expect_bad "one argument" "exactly two" "$VIOPERF" compare "$fix"
expect_bad "bad threshold" "threshold" \
	"$VIOPERF" compare --threshold five "$fix" "$fix"
expect_bad "bad metric" "unknown metric 'rx_ppz'" \
	"$VIOPERF" compare --metric rx_ppz "$fix" "$fix"
expect_bad "unknown option" "unknown or incomplete option" \
	"$VIOPERF" compare --frobnicate "$fix" "$fix"

# report and plan: the same refusal, and no output directory at all
expect_bad "report truncated" "truncated" \
	"$VIOPERF" report "$t/trunc" --out "$t/rep"
[ ! -e "$t/rep" ] || fail "report left $t/rep behind"
[ ! -e "$t/trunc/report" ] || fail "report left $t/trunc/report behind"
expect_bad "report empty" "empty file" "$VIOPERF" report "$t/empty"
[ ! -e "$t/empty/report" ] || fail "report left $t/empty/report behind"
expect_bad "plan wrong columns" "column rx_pps: missing" \
	"$VIOPERF" plan "$t/cols" --target-mpps 10 --out "$t/plan"
[ ! -e "$t/plan" ] || fail "plan left $t/plan behind"
expect_bad "plan without target" "target-mpps" "$VIOPERF" plan "$fix" \
	--out "$t/plan"
expect_bad "plan unmeasured size" "frame size 128" \
	"$VIOPERF" plan "$fix" --target-mpps 1 --frame-len 128 --out "$t/plan"
[ ! -e "$t/plan" ] || fail "plan left $t/plan behind"

# unwritable output: a path below a regular file
touch "$t/file"
expect_bad "report unwritable" "choose a writable output directory" \
	"$VIOPERF" report "$fix" --out "$t/file/sub/report"
expect_bad "plan unwritable" "writable" \
	"$VIOPERF" plan "$fix" --target-mpps 1 --out "$t/file/plan"
# a directory vioperf did not write is never replaced
mkdir "$t/mine" && echo keep >"$t/mine/notes.txt"
expect_bad "report over a foreign dir" "not written by vioperf" \
	"$VIOPERF" report "$fix" --out "$t/mine"
[ "$(cat "$t/mine/notes.txt")" = keep ] || fail "foreign directory touched"
leftover=$(find "$t" "$fix" -name '*.tmp-*')
[ -z "$leftover" ] || fail "temporary output left behind: $leftover"
echo "all bad input refused"
