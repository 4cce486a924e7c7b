#!/usr/bin/env bash
# The main job (`make run`): every datapath this host can build, with the
# default plan, into results/<run-id>/; then the report of that run when
# `vioperf report` is available. Exits with vioperf run's status.
set -u
build=${BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
V="$root/$build/vioperf"
[ -x "$V" ] || { echo "main-job: $V is missing; run 'make' first" >&2; exit 2; }

echo "main-job: datapaths on this host:" >&2
"$V" list >&2

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$V" run "$@" | tee "$log"
rc=${PIPESTATUS[0]}
out=$(sed -n 's/^results: \(.*\)\/results\.csv$/\1/p' "$log" | tail -n 1)
if [ -z "$out" ]; then
	echo "main-job: vioperf run wrote no results (exit $rc)" >&2
	exit "$rc"
fi

"$V" report "$out" >"$log.report" 2>&1
rrc=$?
if [ "$rrc" -eq 0 ]; then
	cat "$log.report"
	echo "main-job: report in $out" >&2
elif grep -q "not implemented" "$log.report"; then
	echo "main-job: skipping the report: vioperf report is not implemented yet" >&2
else
	cat "$log.report" >&2
	echo "main-job: vioperf report failed (exit $rrc)" >&2
	[ "$rc" -eq 0 ] && rc=$rrc
fi
rm -f "$log.report"
echo "main-job: results in $out (results.csv, run.json)" >&2
exit "$rc"
