#!/usr/bin/env bash
# How much the regression gate can be trusted on this host: `vioperf
# compare --paired` of a build against itself (every "worse" is a false
# alarm) and against the same build slowed down on purpose by SLOW_PCT
# (VIOPERF_TEST_TX_SLOWDOWN_PCT, a test-only knob of the generator; every
# "worse" is a detection). Prints a Markdown table.
#   scripts/gate_eval.sh [BUILD]   (SAME=20 SLOW=10 ROUNDS=3 SLOW_PCT=5
#                                   DATAPATH=ivshmem THRESHOLD=5)
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
V="$root/$build/vioperf"
SAME=${SAME:-20} SLOW=${SLOW:-10} ROUNDS=${ROUNDS:-3} SLOW_PCT=${SLOW_PCT:-5}
DATAPATH=${DATAPATH:-ivshmem} THRESHOLD=${THRESHOLD:-5}
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

# paired NEW: exit 1 counts as "worse"
paired() {
	"$V" compare --paired --rounds "$ROUNDS" --threshold "$THRESHOLD" \
		--metric rx_pps --out "$work/p-$RANDOM$RANDOM" "$V" "$1" "${opts[@]}" \
		>"$work/last.txt" 2>"$work/last.err"
}
fa=0 det=0 err=0
for i in $(seq "$SAME"); do
	paired "$V"; rc=$?
	case $rc in 0) ;; 1) fa=$((fa + 1)) ;; *) err=$((err + 1)) ;; esac
	echo "same-vs-same $i/$SAME: exit $rc" >&2
done
for i in $(seq "$SLOW"); do
	paired "$work/slow"; rc=$?
	case $rc in 0) ;; 1) det=$((det + 1)) ;; *) err=$((err + 1)) ;; esac
	echo "slowed-by-$SLOW_PCT% $i/$SLOW: exit $rc" >&2
done
echo "| gate check ($DATAPATH h2g 64 B, $ROUNDS rounds, threshold $THRESHOLD %) | runs | flagged worse |"
echo "|---|---|---|"
echo "| same build vs itself (false alarms) | $SAME | $fa |"
echo "| build slowed by $SLOW_PCT % (detections) | $SLOW | $det |"
[ "$err" -eq 0 ] || echo "($err paired runs failed outright)"
