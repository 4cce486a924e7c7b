#!/usr/bin/env bash
# make bench: speed targets, measured side by side in one go on the same
# cores (shared 2-core machines are noisy: ratios from alternating rounds,
# medians over rounds). Prints Markdown tables that paste into README.md.
#
#  1. vhost-user: vioperf generator->receiver vs dpdk-testpmd txonly->rxonly
#     at 64 B and 1518 B, both directions, alternating ROUNDS rounds.
#  2. ivshmem and ivshmem-memif vs vhost-user at 64 B (vioperf on each),
#     same rounds.
#  3. kernel paths: scripts/bench_kernel.sh (AF_PACKET vs trafgen, table of
#     kernel datapaths), when present.
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
work=$(mktemp -d /tmp/vioperf-bench-XXXXXX)
pids=()
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
added=0 mounted=
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
	# give back only what this script added (a run may share the pool)
	if [ "$added" -gt 0 ]; then
		echo $(( $(cat "$pool") > added ? $(cat "$pool") - added : 0 )) >"$pool"
	fi
	[ -n "$mounted" ] && umount "$mounted" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$V" ] || { echo "bench: $V not built (make)" >&2; exit 2; }
command -v dpdk-testpmd >/dev/null || { echo "bench: dpdk-testpmd missing (apt-get install dpdk-dev)" >&2; exit 2; }

# dpdk-testpmd needs 2 MB hugepages of its own (vioperf runs reserve and
# give back theirs): 2 x 256 MB with slack (the vhost side maps more than
# its -m), and a hugetlbfs mount; both undone at exit.
TP_PAGES=600
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
if [ "$free" -lt "$TP_PAGES" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench: dpdk-testpmd needs $TP_PAGES free 2 MB hugepages ($free free); run as root, or: echo \$(( \$(cat $pool) + $TP_PAGES - $free )) > $pool" >&2; exit 2; }
	added=$(( TP_PAGES - free ))
	echo $(( $(cat "$pool") + added )) >"$pool"
	free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
	[ "$free" -ge "$TP_PAGES" ] || { echo "bench: asked for $TP_PAGES 2 MB hugepages, got $free free" >&2; exit 2; }
fi
if ! awk '$3 == "hugetlbfs" { f = 1 } END { exit !f }' /proc/mounts; then
	[ "$(id -u)" -eq 0 ] || { echo "bench: no hugetlbfs mounted; as root: mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages" >&2; exit 2; }
	mkdir -p /dev/hugepages && mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages &&
		mounted=/dev/hugepages
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print 0; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { # file column -> values
	awk -F, -v col="$2" 'NR==1 {for (i=1;i<=NF;i++) if ($i==col) c=i; next} c {print $c}' "$1"
}

# vioperf: one trial; prints rx_pps.
vioperf_pps() { # datapath dir size
	local out="$work/v-$1-$2-$3-$RANDOM"
	"$V" run --quiet --datapath "$1" --direction "$2" --sizes "$3" \
		--duration "$DUR" --warmup 1 --cpus "$CPUS" --out "$out" >/dev/null 2>"$out.err" \
		|| { echo "bench: vioperf run failed: $(tail -n 3 "$out.err")" >&2; echo 0; return; }
	col "$out/results.csv" rx_pps | head -n 1
}

# testpmd pair over vhost-user: the sender in txonly, the receiver in
# rxonly; prints the receiver's median Rx-pps over the last seconds.
testpmd_pps() { # dir size
	local sock="$work/tp.sock" len=$(( $2 - 4 )) rxlog="$work/tp-rx.log" txlog="$work/tp-tx.log"
	local vh_mode vu_mode
	if [ "$1" = h2g ]; then vh_mode=txonly vu_mode=rxonly; else vh_mode=rxonly vu_mode=txonly; fi
	rm -f "$sock"
	# vhost side (server) first; a main lcore that sleeps plus one
	# forwarding lcore pinned to its core.
	dpdk-testpmd --lcores "0@$c1,1@$c0" --in-memory --no-pci --no-telemetry -m 256 \
		--vdev "net_vhost0,iface=$sock,queues=1" -- --forward-mode=$vh_mode \
		--txpkts=$len --stats-period 1 --nb-cores=1 --no-mlockall \
		>"$work/tp-vh.log" 2>&1 </dev/null &
	local p1=$!
	pids+=("$p1")
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	dpdk-testpmd --lcores "0@$c0,1@$c1" --in-memory --no-pci --no-telemetry -m 256 \
		--single-file-segments --vdev "net_virtio_user0,path=$sock,queues=1" -- \
		--forward-mode=$vu_mode --txpkts=$len --stats-period 1 --nb-cores=1 --no-mlockall \
		>"$work/tp-vu.log" 2>&1 </dev/null &
	local p2=$!
	pids+=("$p2")
	sleep $(( DUR + 3 ))
	kill -INT "$p2" "$p1" 2>/dev/null
	wait "$p2" "$p1" 2>/dev/null
	local rx="$work/tp-vu.log"
	[ "$1" = g2h ] && rx="$work/tp-vh.log"
	if ! grep -q 'Rx-pps: *[1-9]' "$rx"; then
		echo "bench: dpdk-testpmd moved nothing ($1 $2 B); its logs:" >&2
		tail -n 5 "$work/tp-vh.log" "$work/tp-vu.log" >&2
	fi
	grep -o 'Rx-pps: *[0-9]*' "$rx" | awk '{print $2}' | awk '$1 > 0' | tail -n "$DUR" | median
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mpps() { awk -v a="$1" 'BEGIN { printf "%.2f", a / 1e6 }'; }

echo "# vioperf bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
echo "## vhost-user: vioperf vs dpdk-testpmd (txonly -> rxonly), cores $CPUS, medians of $ROUNDS rounds"
echo
echo "| direction | frame | vioperf Mpps | testpmd Mpps | ratio |"
echo "|---|---|---|---|---|"
vu64=()
for dir in h2g g2h; do
	for size in 64 1518; do
		v=() t=()
		for r in $(seq "$ROUNDS"); do
			v+=("$(vioperf_pps vhost-user $dir $size)")
			t+=("$(testpmd_pps $dir $size)")
		done
		vm=$(printf '%s\n' "${v[@]}" | median)
		tm=$(printf '%s\n' "${t[@]}" | median)
		[ "$size" = 64 ] && vu64+=("$vm")
		echo "| $dir | $size | $(mpps "$vm") | $(mpps "$tm") | $(ratio "$vm" "$tm") |"
	done
done

# 2. the shared-memory paths (ivshmem's own ring, DPDK memif) against
# vhost-user at 64 B, vioperf on every one, the same alternating rounds.
shm=()
for dp in ivshmem ivshmem-memif; do
	"$V" list --available | grep -qx "$dp" && shm+=("$dp")
done
if [ "${#shm[@]}" -gt 0 ]; then
	echo
	echo "## shared-memory paths vs vhost-user at 64 B (vioperf on each), medians of $ROUNDS rounds"
	echo
	echo "| path | direction | Mpps | vhost-user Mpps | ratio |"
	echo "|---|---|---|---|---|"
	for dir in h2g g2h; do
		declare -A got=()
		u=()
		for r in $(seq "$ROUNDS"); do
			for dp in "${shm[@]}"; do
				got[$dp]+="$(vioperf_pps "$dp" $dir 64) "
			done
			u+=("$(vioperf_pps vhost-user $dir 64)")
		done
		um=$(printf '%s\n' "${u[@]}" | median)
		for dp in "${shm[@]}"; do
			m=$(printf '%s\n' ${got[$dp]} | median)
			echo "| $dp | $dir | $(mpps "$m") | $(mpps "$um") | $(ratio "$m" "$um") |"
		done
		unset got
	done
fi

if [ -x scripts/bench_kernel.sh ]; then
	echo
	scripts/bench_kernel.sh "$build"
fi
