#!/usr/bin/env bash
# Golden files: the gnuplot scripts and summary.md of `vioperf report`, the
# plan and the compare table/JSON for the fixed fixture in
# tests/fixtures/report. They hold no dates and no paths. After an
# intended change: UPDATE_GOLDEN=1 tests/integration/report_golden.sh,
# then review the diff of tests/golden/.
. "$(dirname "$0")/lib.sh"
[ -x "$VIOPERF" ] || fail "$VIOPERF not built"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (scripts/setup.sh)"
fix=tests/fixtures/report
gold=tests/golden
out=$TMPDIR_T/out
mkdir -p "$out/compare"

"$VIOPERF" report "$fix/run-a" --out "$out/report" >/dev/null \
	|| fail "report failed"
"$VIOPERF" plan "$fix/run-a" --target-mpps 10 --cores-per-host 32 \
	--per-vm-mpps 1 --out "$out/plan" >/dev/null || fail "plan failed"
"$VIOPERF" compare "$fix/run-a" "$fix/run-b" >"$out/compare/a_vs_b.txt"
[ $? -eq 1 ] || fail "compare a b: want exit 1 (one worse)"
"$VIOPERF" compare --json "$fix/run-a" "$fix/run-b" >"$out/compare/a_vs_b.jsonl"
[ $? -eq 1 ] || fail "compare --json a b: want exit 1"

files="report/mpps.gp report/gbps.gp report/latency.gp report/latency_load.gp
report/cycles.gp report/cores.gp report/summary.md plan/plan.gp plan/plan.md
compare/a_vs_b.txt compare/a_vs_b.jsonl"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	for f in $files; do
		mkdir -p "$gold/$(dirname "$f")"
		cp "$out/$f" "$gold/$f"
	done
	echo "goldens updated: review 'git diff $gold'"
	exit 0
fi
bad=0
for f in $files; do
	[ -f "$out/$f" ] || { echo "missing output $f"; bad=1; continue; }
	if ! diff -u "$gold/$f" "$out/$f"; then
		echo "differs from $gold/$f"
		bad=1
	fi
done
[ "$bad" -eq 0 ] || fail "output differs from the goldens (UPDATE_GOLDEN=1 to accept an intended change)"
# every chart the scripts name was drawn
for gp in "$out"/report/*.gp; do
	n=${gp%.gp}
	[ -s "$n.png" ] && [ -s "$n.svg" ] || fail "$(basename "$n"): PNG or SVG missing"
done
echo "goldens match"
