#!/usr/bin/env bash
# --rate ndr on vhost-user: one search gives NDR and PDR, each with a full
# trial at the found rate, then latency trials at fractions of NDR; every
# search step is kept as a row; the rows say which kind they are.
. "$(dirname "$0")/lib.sh"
datapath_or_skip vhost-user

out="$TMPDIR_T/ndr"
snapshot_before
"$VIOPERF" run --datapath vhost-user --direction h2g --sizes 64 --rate ndr \
	--latency-at 10,50 --duration 1 --warmup 0.3 --search-duration 0.5 \
	--trials 2 --out "$out" >"$TMPDIR_T/stdout" 2>"$TMPDIR_T/stderr"
rc=$?
cat "$TMPDIR_T/stdout"
[ "$rc" -eq 0 ] || { cat "$TMPDIR_T/stderr"; fail "vioperf run --rate ndr exited $rc"; }
csv="$out/results.csv"

kinds=$(csv_col "$csv" rate_kind | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
echo "rows by kind: $kinds"
# 2 trials x (ndr, pdr, 2 latency loads); the search (>= 2 steps) once.
[ "$(csv_col "$csv" rate_kind | grep -cx ndr)" -eq 2 ] || fail "expected 2 ndr rows: $kinds"
[ "$(csv_col "$csv" rate_kind | grep -cx pdr)" -eq 2 ] || fail "expected 2 pdr rows: $kinds"
[ "$(csv_col "$csv" rate_kind | grep -cx fixed)" -eq 4 ] || fail "expected 4 latency rows: $kinds"
[ "$(csv_col "$csv" rate_kind | grep -cx search)" -ge 2 ] || fail "expected the search steps: $kinds"

csv_check "$csv" 'c["status"] == "ok"' "a row failed"
# the final rows run at the found rate, inside the search's bracket (an
# upper bound of 0: nothing failed, the top of the range passed)
csv_check "$csv" '(c["rate_kind"] != "ndr" && c["rate_kind"] != "pdr") ||
	(c["target_pps"] > 0 && c["search_lo_pps"] == c["target_pps"] &&
	 (c["search_hi_pps"] == 0 || c["search_hi_pps"] >= c["search_lo_pps"]))' \
	"ndr/pdr rows must carry the rate found and its bracket"
# PDR tolerates loss, so it is never below NDR
ndr=$(awk -F, 'NR==1{for(i=1;i<=NF;i++)h[$i]=i;next} $h["rate_kind"]=="ndr"{print $h["target_pps"]; exit}' "$csv")
pdr=$(awk -F, 'NR==1{for(i=1;i<=NF;i++)h[$i]=i;next} $h["rate_kind"]=="pdr"{print $h["target_pps"]; exit}' "$csv")
awk -v a="$ndr" -v b="$pdr" 'BEGIN { exit !(b >= a) }' || fail "PDR $pdr below NDR $ndr"
# latency rows: at 10 % and 50 % of that NDR, with latency measured
csv_check "$csv" 'c["rate_kind"] != "fixed" ||
	((c["load_pct"] == 10 || c["load_pct"] == 50) &&
	 c["lat_samples"] > 0 && c["lat_p50_ns"] > 0 &&
	 c["lat_p50_ns"] <= c["lat_p99_ns"] + 0 &&
	 (c["target_pps"] - c["load_pct"] / 100 * '"$ndr"') ^ 2 < 4)' \
	"latency rows must run at the stated fraction of NDR and measure latency"
# every row: the counters add up
csv_check "$csv" 'c["tx_pkts"] == c["rx_pkts"] + c["lost"] + c["corrupted"]' \
	"tx_pkts != rx_pkts + lost + corrupted"
grep -q 'ndr@' "$TMPDIR_T/stdout" || fail "the summary does not show the NDR row"
check_no_leftovers
