#!/usr/bin/env bash
# Runs inside the kernel lab guest (lab_vhost_net.sh, lab_tc_flower.sh boot
# it): `vioperf run` of one datapath, both directions, 64 B at 20 kpps for
# 2 s, into the lab's output share, then checks the rows:
#   one row per direction, status ok, emulated=1, frames moved, and
#   rx_pkts + lost + corrupted = tx_pkts; the variant matches VARIANT (a
#   shell pattern); and the run left nothing behind in the guest.
# usage: guest_datapath.sh DATAPATH VARIANT_PATTERN
set -u
dp=$1 variant_pat=$2
. "$(dirname "$0")/../lib.sh"
[ "${VIOPERF_LAB:-}" = 1 ] || fail "not inside the kernel lab (run it with scripts/lab/run.sh)"
[ -n "${VIOPERF_LAB_OUT:-}" ] || fail "VIOPERF_LAB_OUT is not set by the lab"
out=$VIOPERF_LAB_OUT/$dp
line=$("$VIOPERF" list 2>&1 | awk -v n="$dp" '$1 == n')
echo "vioperf list in the lab: $line"
case "$line" in
"$dp "*yes*) ;;
*) fail "$dp is not available inside the kernel lab: $line" ;;
esac

snapshot_before
"$VIOPERF" run --datapath "$dp" --direction both --sizes 64 --duration 2 \
	--warmup 0.5 --rate 20k --out "$out"
rc=$?
[ "$rc" -eq 0 ] || fail "vioperf run --datapath $dp exited $rc"
check_no_leftovers
csv=$out/results.csv
[ -f "$csv" ] || fail "no $csv"
cat "$csv"

rows=$(($(wc -l <"$csv") - 1))
[ "$rows" -eq 2 ] || fail "$rows rows in $csv, expected 2 (h2g, g2h)"
[ "$(csv_col "$csv" direction | sort | tr '\n' ' ')" = "g2h h2g " ] ||
	fail "directions are $(csv_col "$csv" direction | tr '\n' ' '), expected h2g and g2h"
for i in 1 2; do
	get() { csv_col "$csv" "$1" | sed -n "${i}p"; }
	dir=$(get direction)
	[ "$(get datapath)" = "$dp" ] || fail "$dir: datapath '$(get datapath)', expected $dp"
	[ "$(get status)" = ok ] || fail "$dir: status '$(get status)'"
	v=$(get variant)
	# shellcheck disable=SC2053
	[[ "$v" == $variant_pat ]] || fail "$dir: variant '$v', expected $variant_pat"
	[ "$(get emulated)" = 1 ] ||
		fail "$dir: emulated='$(get emulated)': rows from the kernel lab must say emulated=1 (VIOPERF_LAB=1 is set)"
	tx=$(get tx_pkts) rx=$(get rx_pkts) lost=$(get lost) bad=$(get corrupted)
	[ "${tx:-0}" -gt 0 ] && [ "${rx:-0}" -gt 0 ] || fail "$dir: tx_pkts=$tx rx_pkts=$rx: no frames moved"
	[ $((rx + lost + bad)) -eq "$tx" ] ||
		fail "$dir: rx_pkts $rx + lost $lost + corrupted $bad != tx_pkts $tx"
	echo "ok: $dp $dir variant $v: tx $tx = rx $rx + lost $lost + corrupted $bad (emulated)"
done
