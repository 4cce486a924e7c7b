#!/usr/bin/env bash
# How much the regression gate can be trusted on this host: `vioperf
# compare --paired` of a build against itself (every "worse" is a false
# alarm) and against the same build slowed down on purpose by SLOW_PCT
# (VIOPERF_TEST_TX_SLOWDOWN_PCT, a test-only knob of the generator; every
# "worse" is a detection), at thresholds 2, 3 and 5 % from the same runs
# (worse = the whole interval of per-round ratios below 1 - threshold).
# Prints a Markdown table.
#   scripts/gate_eval.sh [BUILD]   (SAME=20 SLOW=10 ROUNDS=3 SLOW_PCT=5
#                                   DATAPATH=vhost-user)
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
V="$root/$build/vioperf"
SAME=${SAME:-20} SLOW=${SLOW:-10} ROUNDS=${ROUNDS:-3} SLOW_PCT=${SLOW_PCT:-5}
DATAPATH=${DATAPATH:-vhost-user} THRESHOLD=5
[ -x "$V" ] || { echo "gate_eval: $V not built (make)" >&2; exit 2; }
work=$(mktemp -d /tmp/vioperf-gate-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# the "regressed build": the same binary with the generator slowed down
cat >"$work/slow" <<EOS
#!/bin/sh
VIOPERF_TEST_TX_SLOWDOWN_PCT=$SLOW_PCT exec "$V" "\$@"
EOS
chmod +x "$work/slow"
opts=(--datapath "$DATAPATH" --direction h2g --sizes 64 --duration 1 --warmup 0.3 --quiet)

# One paired comparison OLD=this build, NEW=$1; prints ratio_lo ratio_hi.
paired() {
	"$V" compare --paired --rounds "$ROUNDS" --threshold "$THRESHOLD" \
		--metric rx_pps --json --out "$work/p-$RANDOM$RANDOM" "$V" "$1" \
		"${opts[@]}" 2>"$work/last.err" |
		sed -n 's/.*"ratio_lo":\([0-9.e+-]*\),"ratio_hi":\([0-9.e+-]*\).*/\1 \2/p' | head -n 1
}
: >"$work/same.txt"
: >"$work/slow.txt"
for i in $(seq "$SAME"); do
	r=$(paired "$V")
	echo "${r:-fail}" >>"$work/same.txt"
	echo "same-vs-same $i/$SAME: ratio interval ${r:-failed}" >&2
done
for i in $(seq "$SLOW"); do
	r=$(paired "$work/slow")
	echo "${r:-fail}" >>"$work/slow.txt"
	echo "slowed-by-$SLOW_PCT% $i/$SLOW: ratio interval ${r:-failed}" >&2
done
# verdict "worse" at threshold t: the whole interval below 1 - t
worse() { awk -v t="$2" '$1 != "fail" && $2 < 1 - t / 100 { n++ } END { print n + 0 }' "$1"; }
failed() { grep -c fail "$1"; }
echo "| $DATAPATH h2g 64 B, --rounds $ROUNDS | threshold | runs | flagged worse |"
echo "|---|---|---|---|"
for t in 2 3 5; do
	echo "| same build vs itself (false alarms) | $t % | $SAME | $(worse "$work/same.txt" $t) |"
	echo "| build slowed by $SLOW_PCT % (detections) | $t % | $SLOW | $(worse "$work/slow.txt" $t) |"
done
nf=$(( $(failed "$work/same.txt") + $(failed "$work/slow.txt") ))
[ "$nf" -eq 0 ] || echo "($nf paired runs produced no comparison)"
