# Shared body of the tests of datapaths with a DPDK process at each end
# (vhost_user.sh, ivshmem_memif.sh; sourced after lib.sh): `vioperf run`
# at maximum rate and at 100 kpps, both directions, 64 B; every row ok,
# counters add up exactly, latency percentiles ordered, CPU counted, the
# expected variant, nothing left behind.

# dpdk_pair_test DATAPATH VARIANT
dpdk_pair_test() {
	local dp=$1 variant=$2 rate out csv rc
	datapath_or_skip "$dp"

	snapshot_before
	for rate in max 100k; do
		out="$TMPDIR_T/out-$rate"
		"$VIOPERF" run --datapath "$dp" --direction both --sizes 64 \
			--duration 2 --warmup 0.5 --rate "$rate" --out "$out" --quiet \
			>"$TMPDIR_T/stdout-$rate" 2>"$TMPDIR_T/stderr-$rate"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			cat "$TMPDIR_T/stdout-$rate" "$TMPDIR_T/stderr-$rate"
			tail -n 20 "$out"/logs/*.log 2>/dev/null
			fail "vioperf run --rate $rate exited $rc"
		fi
		csv="$out/results.csv"
		[ "$(csv_col "$csv" status | wc -l)" -eq 2 ] || fail "$rate: expected 2 rows (h2g, g2h)"
		[ "$(csv_col "$csv" direction | sort | tr '\n' ' ')" = "g2h h2g " ] \
			|| fail "$rate: directions are not h2g and g2h"
		csv_check "$csv" 'c["status"] == "ok"' "$rate: a trial failed"
		csv_check "$csv" 'c["rx_pps"] + 0 > 0' "$rate: rx_pps is 0"
		csv_check "$csv" 'c["tx_pkts"] + 0 == c["rx_pkts"] + c["lost"] + c["corrupted"]' \
			"$rate: tx_pkts != rx_pkts + lost + corrupted"
		csv_check "$csv" 'c["duplicated"] + 0 == 0 && c["corrupted"] + 0 == 0' \
			"$rate: duplicated or corrupted frames"
		csv_check "$csv" 'c["lat_p50_ns"] + 0 > 0 && c["lat_p50_ns"] + 0 <= c["lat_p90_ns"] + 0 &&
			c["lat_p90_ns"] + 0 <= c["lat_p99_ns"] + 0 &&
			c["lat_p99_ns"] + 0 <= c["lat_p999_ns"] + 0 &&
			c["lat_p999_ns"] + 0 <= c["lat_max_ns"] + 0' \
			"$rate: latency percentiles not ordered or zero"
		csv_check "$csv" 'c["lat_samples"] + 0 > 0' "$rate: no latency samples"
		csv_check "$csv" 'c["cpu_cores"] + 0 > 0 && c["cycles_per_pkt"] + 0 > 0' \
			"$rate: no CPU time counted"
		csv_check "$csv" 'c["variant"] == "'"$variant"'" && c["frame_len"] == 64' \
			"$rate: wrong variant or frame size"
		grep -q '"interrupted": false' "$out/run.json" || fail "$rate: run.json not final"
		grep -q "^$dp *h2g *64 " "$TMPDIR_T/stdout-$rate" || fail "$rate: no summary line"
	done
	csv_check "$TMPDIR_T/out-100k/results.csv" 'c["lost"] + 0 == 0' "100k: frames lost at a low rate"
	csv_check "$TMPDIR_T/out-100k/results.csv" 'c["rate_kind"] == "fixed" && c["target_pps"] + 0 == 100000' \
		"100k: rate_kind/target_pps"
	# how close the sender keeps to 100 kpps is a benchmark, not a test (a
	# starved sender catches up above the rate within the window)
	csv_check "$TMPDIR_T/out-max/results.csv" 'c["rate_kind"] == "mrr"' "max: rate_kind"
	check_no_leftovers
	echo "ok: $dp rows add up at max and 100 kpps"
}
