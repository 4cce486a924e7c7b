#!/usr/bin/env bash
# vioperf compare as a CI gate: exit 0 when nothing got worse, 1 when
# something did (or went missing), the JSON lines, the threshold; and
# compare --paired alternating two builds (stand-in builds that replay
# fixture runs, then one real paired round when ivshmem can run here).
. "$(dirname "$0")/lib.sh"
[ -x "$VIOPERF" ] || fail "$VIOPERF not built"
fix=$PWD/tests/fixtures/report
t=$TMPDIR_T

"$VIOPERF" compare "$fix/run-a" "$fix/run-a" >"$t/same.txt" \
	|| fail "a run compared with itself: exit $?, want 0"
grep -q '^0 worse, 0 missing, 0 better' "$t/same.txt" || fail "self compare not all same"

"$VIOPERF" compare "$fix/run-a" "$fix/run-b" >"$t/worse.txt"
rc=$?
[ "$rc" -eq 1 ] || fail "12 % slower vhost-user h2g 64: exit $rc, want 1"
grep -Eq '^vhost-user +h2g 64 +mrr +rx_pps .* worse$' "$t/worse.txt" \
	|| fail "the slower group is not marked worse"
# fewer packets for the same CPU: cycles per packet got worse too, and
# nothing else
[ "$(grep -c ' worse$' "$t/worse.txt")" -eq 2 ] || fail "want exactly 2 worse lines"
grep -Eq '^vhost-user +h2g 64 +mrr +cycles_per_pkt .* worse$' "$t/worse.txt" \
	|| fail "cycles per packet of the slower group not worse"

# the other way round it is better, and nothing fails
"$VIOPERF" compare "$fix/run-b" "$fix/run-a" >"$t/better.txt" \
	|| fail "faster candidate: exit $?, want 0"
grep -Eq '^vhost-user +h2g 64 +mrr +rx_pps .* better$' "$t/better.txt" \
	|| fail "the faster group is not marked better"

# a 20 % threshold lets the 12 % drop pass
"$VIOPERF" compare --threshold 20 "$fix/run-a" "$fix/run-b" >/dev/null \
	|| fail "--threshold 20: exit $?, want 0"

# JSON: one object per comparison, the same verdicts
"$VIOPERF" compare --json "$fix/run-a" "$fix/run-b" >"$t/out.jsonl"
[ $? -eq 1 ] || fail "--json: exit code differs from the table's"
[ "$(wc -l <"$t/out.jsonl")" -eq "$(grep -Ec '^[a-z].* (same|worse|better|missing|new)( \(|$)' "$t/worse.txt")" ] \
	|| fail "--json: not one line per comparison"
python3 - "$t/out.jsonl" <<'PY' || fail "--json lines do not parse"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
worse = [r for r in rows if r["verdict"] == "worse" and r["metric"] == "rx_pps"]
assert len(worse) == 1 and worse[0]["datapath"] == "vhost-user", worse
assert worse[0]["higher_is_better"] is True
assert worse[0]["frame_len"] == "64" and worse[0]["metric"] == "rx_pps"
assert worse[0]["candidate_hi"] < worse[0]["baseline_median"] * 0.95
PY

# a group gone from the candidate fails the gate unless allowed
mkdir -p "$t/gone"
grep -v ',tc-sw,' "$fix/run-b/results.csv" >"$t/gone/results.csv"
"$VIOPERF" compare --threshold 20 "$fix/run-a" "$t/gone" >"$t/gone.txt"
[ $? -eq 1 ] || fail "missing tc-sw: want exit 1"
grep -Eq '^tc-sw .* missing$' "$t/gone.txt" || fail "tc-sw not marked missing"
"$VIOPERF" compare --threshold 20 --allow-missing "$fix/run-a" "$t/gone" >/dev/null \
	|| fail "--allow-missing: exit $?, want 0"

# --paired with stand-in builds: `run ... --out DIR` copies a fixture run
for side in old new; do
	src=$fix/run-a
	[ "$side" = new ] && src=$fix/run-b
	cat >"$t/fake-$side" <<SH
#!/bin/sh
[ "\$1" = run ] || exit 2
echo "\$@" >>"$t/fake-$side.args"
while [ \$# -gt 0 ]; do [ "\$1" = --out ] && out=\$2; shift; done
mkdir -p "\$out" && cp "$src/results.csv" "\$out/"
SH
	chmod +x "$t/fake-$side"
done
"$VIOPERF" compare --paired --rounds 3 --metric rx_pps --out "$t/paired" \
	"$t/fake-old" "$t/fake-new" --datapath vhost-user --trials 2 \
	>"$t/paired.txt" 2>"$t/paired.err"
rc=$?
cat "$t/paired.txt"
[ "$rc" -eq 1 ] || fail "--paired old vs slower new: exit $rc, want 1"
grep -Eq '^vhost-user +h2g 64 +mrr +rx_pps +0\.880 .* worse$' "$t/paired.txt" \
	|| fail "--paired: the ratio 0.88 is not worse"
[ "$(wc -l <"$t/fake-old.args")" -eq 3 ] && [ "$(wc -l <"$t/fake-new.args")" -eq 3 ] \
	|| fail "--paired: want 3 runs of each build"
grep -q -- "run --datapath vhost-user --trials 2 --out $t/paired/old-1" "$t/fake-old.args" \
	|| fail "--paired: run options not passed through: $(head -1 "$t/fake-old.args")"
# rounds alternate: old-1 new-1 old-2 ...
grep -o 'round [0-9]/3: [a-z]*' "$t/paired.err" | tr '\n' ' ' | grep -q \
	'round 1/3: old round 1/3: new round 2/3: old round 2/3: new round 3/3: old round 3/3: new' \
	|| fail "--paired: builds did not alternate: $(cat "$t/paired.err")"
"$VIOPERF" compare --paired --out "$t/p2" "$t/fake-old" "$t/fake-old" >/dev/null 2>&1 \
	|| fail "--paired of one build with itself: exit $?, want 0"
"$VIOPERF" compare --paired "$t/fake-old" "$t/fake-new" --out x >/dev/null 2>&1
[ $? -eq 2 ] || fail "--paired with --out among the run options: want exit 2"
"$VIOPERF" compare --paired "$t/nowhere" "$t/fake-new" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--paired with a missing build: want exit 2"

# one real paired round through `vioperf run`, where ivshmem can run: the
# mechanics (both builds ran with the options, rows written); the
# datapath's own health and teardown are other tests' business
if "$VIOPERF" list 2>/dev/null | grep -Eq '^ivshmem +yes'; then
	"$VIOPERF" compare --paired --rounds 1 --threshold 1000 --out "$t/real" \
		"$VIOPERF" "$VIOPERF" --datapath ivshmem --direction h2g \
		--sizes 64 --duration 0.5 --warmup 0.2 --trials 1 >"$t/real.txt" 2>&1
	rc=$?
	[ "$rc" -le 1 ] || { cat "$t/real.txt"; fail "real paired round: exit $rc"; }
	for side in old-1 new-1; do
		[ -s "$t/real/$side/run.json" ] || fail "real paired round: no $side/run.json"
		[ "$(csv_col "$t/real/$side/results.csv" datapath)" = ivshmem ] \
			|| fail "real paired round: $side/results.csv has no ivshmem row"
	done
	if [ "$rc" -eq 0 ]; then
		grep -Eq '^ivshmem +h2g 64 +mrr +rx_pps +[0-9.]+ .* (same|better)$' "$t/real.txt" \
			|| { cat "$t/real.txt"; fail "real paired round: no ivshmem line"; }
	else
		echo "real paired round: ivshmem trials failed here; mechanics checked"
	fi
else
	echo "ivshmem cannot run here: real paired round not tried"
fi
echo "compare gate ok"
