#!/usr/bin/env bash
# Kernel-path benchmarks (called by scripts/bench.sh; usage:
# scripts/bench_kernel.sh [BUILD]). Prints Markdown tables.
#
#  1. Generator speed: vioperf's AF_PACKET generator vs trafgen (netsniff-ng)
#     at 64 B, through the same tc-sw path on the same cores, alternating
#     ROUNDS rounds; medians and the ratio (target: vioperf >= 1.3x).
#       vioperf: `vioperf run --datapath tc-sw --direction h2g --rate max`,
#                its tx_pps (frames the kernel accepted from the generator on
#                the first CPU of CPUS; vioperf's receiver on the second).
#       trafgen: a copy of the tc-sw path built here (netns vioperf-<tag>,
#                veth vp<tag>a0/a1 and b0/b1, u32 + mirred redirect
#                a1 -> b1), trafgen -P 1 on the first CPU into a0 (TX_RING,
#                qdisc bypass: its defaults), netsniff-ng (TPACKET_V3 ring,
#                like vioperf's receiver) on b0 on the second CPU; its
#                rate is a0's tx_packets + tx_dropped over DUR seconds.
#     Both pay for the same path: in softirq on the sender's CPU, the veth
#     hop, the u32 redirect and the receiver's ring copy. vioperf also
#     stamps every frame (sequence, timestamp, check); trafgen sends one
#     fixed frame. Besides Mpps, each round reports Mpps per core of CPU
#     time the generator process got: on a shared host vioperf's receiver
#     busy-polls its core (netsniff-ng sleeps in poll), which pushes other
#     load onto the generator's core, so raw Mpps favours trafgen there.
#  2. Maximum received rate (MRR) at 64 B of every kernel datapath this host
#     can build, both directions, median over ROUNDS runs.
#
# Environment: ROUNDS (3), DUR seconds per round (4), CPUS "A,B" (0,1).
# Touches nothing outside its own netns; trafgen and netsniff-ng run with
# --no-sock-mem --notouch-irq (-A -Q: no global socket-memory or IRQ
# affinity changes).
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
V="$root/$build/vioperf"
ROUNDS=${ROUNDS:-3}
DUR=${DUR:-4}
CPUS=${CPUS:-0,1}
c0=${CPUS%,*}
c1=${CPUS#*,}
tag="bk$(($$ % 1000000))"
ns="vioperf-$tag"
work=$(mktemp -d /tmp/vioperf-bench-kernel-XXXXXX)
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	[ "${#pids[@]}" -gt 0 ] && wait "${pids[@]}" 2>/dev/null
	[ -e "/run/netns/$ns" ] && ip netns delete "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "bench_kernel: $*" >&2; }
[ -x "$V" ] || { say "$V not built (make)"; exit 2; }
[ "$(id -u)" -eq 0 ] || { say "needs root (netns, veth, packet sockets)"; exit 2; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print 0; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F, -v col="$2" 'NR==1 {for (i=1;i<=NF;i++) if ($i==col) c=i; next} c {print $c}' "$1"; }
mpps() { awk -v x="$1" 'BEGIN {printf "%.3f", x / 1e6}'; }
per_core() { awk -v p="$1" -v c="$2" 'BEGIN {printf "%.0f\n", (c > 0) ? p / c : 0}'; }

# The trafgen frame: 60 bytes + FCS = 64 B, Ethernet/IPv4/UDP as vioperf's.
cat >"$work/trafgen.cfg" <<'EOF'
{
  eth(da=02:76:70:00:00:02, sa=02:76:70:00:00:01),
  ipv4(saddr=198.18.0.1, daddr=198.19.0.1, ttl=64),
  udp(sp=1024, dp=4789),
  fill(0x00, 18)
}
EOF

ifs() { echo "vp${tag}$1"; }
nsx() { ip netns exec "$ns" "$@"; }
stat_of() { nsx cat "/sys/class/net/$(ifs "$1")/statistics/$2"; }

# The tc-sw path, as topologies/tc_sw.c builds it (u32 variant).
build_path() {
	ip netns add "$ns" || return 1
	for p in a b; do
		ip -n "$ns" link add "$(ifs ${p}0)" type veth peer name "$(ifs ${p}1)" || return 1
		for i in 0 1; do
			ip -n "$ns" link set dev "$(ifs $p$i)" addrgenmode none || return 1
			ip -n "$ns" link set dev "$(ifs $p$i)" up || return 1
		done
		tc -n "$ns" qdisc add dev "$(ifs ${p}1)" ingress || return 1
	done
	tc -n "$ns" filter add dev "$(ifs a1)" ingress protocol all prio 1 u32 \
		match u32 0 0 action mirred egress redirect dev "$(ifs b1)" || return 1
}

# CPU seconds (user + system) of the processes whose command line matches
# the pattern (trafgen forks its worker).
cpu_s() {
	local tck total=0 p f
	tck=$(getconf CLK_TCK)
	for p in $(pgrep -f "$1"); do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		[ -n "$f" ] && total=$((total + ${f% *} + ${f#* }))
	done
	awk -v t="$total" -v h="$tck" 'BEGIN {printf "%.3f\n", t / h}'
}

# trafgen for DUR seconds after 1 s of warm-up; writes "pps cores" (cores:
# its CPU time over the window) to $work/trafgen.pps. Both tools also stop
# by themselves (timeout), so nothing outlives a round.
trafgen_round() {
	local t0 t1 n0 n1 c0s c1s lim=$((DUR + 5)) pat="trafgen --dev $(ifs a0)"
	ip netns exec "$ns" timeout -s TERM -k 2 "$lim" netsniff-ng \
		--in "$(ifs b0)" --out /dev/null --silent -A -Q -M -S 32MiB \
		--bind-cpu "$c1" >"$work/nsng.log" 2>&1 &
	pids+=($!)
	sleep 0.5
	ip netns exec "$ns" timeout -s TERM -k 2 "$lim" taskset -c "$c0" \
		trafgen --dev "$(ifs a0)" --conf "$work/trafgen.cfg" -P 1 \
		--no-sock-mem --notouch-irq --no-cpu-stats \
		>"$work/trafgen.log" 2>&1 &
	pids+=($!)
	sleep 1
	c0s=$(cpu_s "$pat")
	n0=$(( $(stat_of a0 tx_packets) + $(stat_of a0 tx_dropped) )); t0=$(date +%s.%N)
	sleep "$DUR"
	n1=$(( $(stat_of a0 tx_packets) + $(stat_of a0 tx_dropped) )); t1=$(date +%s.%N)
	c1s=$(cpu_s "$pat")
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait "${pids[@]}" 2>/dev/null
	pids=()
	awk -v n="$((n1 - n0))" -v a="$t0" -v b="$t1" -v c0="$c0s" -v c1="$c1s" \
		'BEGIN {printf "%.0f %.4f\n", n / (b - a), (c1 - c0) / (b - a)}' >"$work/trafgen.pps"
}

# vioperf over tc-sw h2g for DUR seconds; prints "tx_pps cores" (cores: the
# generator's cpu_tx_cores), "0 0" on failure.
vioperf_round() {
	local out="$work/v$1"
	if ! "$V" run --datapath tc-sw --direction h2g --sizes 64 --rate max \
		--duration "$DUR" --warmup 1 --cpus "$CPUS" --out "$out" --quiet \
		>"$out.log" 2>&1; then
		say "vioperf run failed: $(tail -n 3 "$out.log")"
		echo "0 0"
		return
	fi
	paste -d' ' <(col "$out/results.csv" tx_pps) <(col "$out/results.csv" cpu_tx_cores)
}

section_generator() {
	local v=() t=() vc=() tc=() x vm tm vpc tpc
	if ! command -v trafgen >/dev/null || ! command -v netsniff-ng >/dev/null; then
		say "trafgen/netsniff-ng missing (apt-get install netsniff-ng); generator comparison skipped"
		return
	fi
	if ! "$V" list | awk '$1 == "tc-sw" && $2 == "yes" {f=1} END {exit !f}'; then
		say "tc-sw cannot run here ($("$V" list | awk '$1 == "tc-sw"')); generator comparison skipped"
		return
	fi
	build_path || { say "could not build the bench path in $ns"; return; }
	for r in $(seq "$ROUNDS"); do
		x=$(vioperf_round "$r")
		v+=("${x% *}"); vc+=("$(per_core $x)")
		trafgen_round
		x=$(cat "$work/trafgen.pps")
		t+=("${x% *}"); tc+=("$(per_core $x)")
		say "round $r: vioperf $(mpps "${v[-1]}") Mpps ($(mpps "${vc[-1]}") per core), trafgen $(mpps "${t[-1]}") Mpps ($(mpps "${tc[-1]}") per core)"
	done
	ip netns delete "$ns"
	vm=$(printf '%s\n' "${v[@]}" | median)
	tm=$(printf '%s\n' "${t[@]}" | median)
	vpc=$(printf '%s\n' "${vc[@]}" | median)
	tpc=$(printf '%s\n' "${tc[@]}" | median)
	echo "### AF_PACKET generator vs trafgen (64 B, tc-sw path, cpus $CPUS, $ROUNDS rounds x ${DUR} s)"
	echo
	echo "Mpps per core: frames per second per core of CPU time the generator"
	echo "process got (user + system), which holds on a shared, busy host."
	echo
	echo "| generator | rounds (Mpps) | median Mpps | median Mpps per core |"
	echo "|---|---|---|---|"
	echo "| vioperf afpacket | $(for x in "${v[@]}"; do printf '%s ' "$(mpps "$x")"; done)| $(mpps "$vm") | $(mpps "$vpc") |"
	echo "| trafgen -P 1 | $(for x in "${t[@]}"; do printf '%s ' "$(mpps "$x")"; done)| $(mpps "$tm") | $(mpps "$tpc") |"
	echo
	awk -v a="$vm" -v b="$tm" -v c="$vpc" -v d="$tpc" 'BEGIN {
		if (b > 0 && d > 0) printf "ratio vioperf/trafgen: %.2fx in Mpps, %.2fx in Mpps per core (target >= 1.3x: %s)\n",
			a / b, c / d, (a / b >= 1.3) ? "met" : "NOT met";
		else print "ratio: trafgen measured 0 pps" }'
	echo
}

section_mrr() {
	local dps=() out rows
	for dp in virtio-tap kni tc-sw vhost-net; do
		"$V" list | awk -v n="$dp" '$1 == n && $2 == "yes" {f=1} END {exit !f}' && dps+=("$dp")
	done
	[ "${#dps[@]}" -gt 0 ] || { say "no kernel datapath can run here"; return; }
	for r in $(seq "$ROUNDS"); do
		out="$work/mrr$r"
		"$V" run --datapath "$(IFS=,; echo "${dps[*]}")" --direction both \
			--sizes 64 --rate max --duration "$DUR" --warmup 1 \
			--cpus "$CPUS" --out "$out" --quiet >"$out.log" 2>&1 ||
			say "round $r: vioperf run exited non-zero (see rows)"
	done
	echo "### Kernel datapaths, MRR at 64 B (cpus $CPUS, median of $ROUNDS x ${DUR} s)"
	echo
	echo "| datapath | variant | direction | rx Mpps | cores | cycles/pkt |"
	echo "|---|---|---|---|---|---|"
	cat "$work"/mrr*/results.csv 2>/dev/null | awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$1 == "run_id" { next }
		$h["status"] == "ok" { k = $h["datapath"] "|" $h["variant"] "|" $h["direction"];
			n[k]++; rx[k, n[k]] = $h["rx_pps"]; co[k, n[k]] = $h["cpu_cores"];
			cy[k, n[k]] = $h["cycles_per_pkt"] }
		function med(a, k, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[k, i];
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
		END { for (k in n) { split(k, f, "|");
			printf "| %s | %s | %s | %.3f | %.2f | %.0f |\n", f[1], f[2], f[3],
				med(rx, k, n[k]) / 1e6, med(co, k, n[k]), med(cy, k, n[k]) } }' | sort
	echo
}

section_generator
section_mrr
