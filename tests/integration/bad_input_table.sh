#!/usr/bin/env bash
# Bad input across every command (top level, list, cleanup, engine, run,
# report, plan, compare), beyond the cases of run_bad_input.sh and
# compare_bad_input.sh: each is refused with its documented exit code (2
# for bad options and input; the engine exits 1 when its backend refuses a
# corrupted shared-memory region), a message on stderr naming the problem,
# nothing on stdout and nothing written (no --out, no report/plan dir,
# nothing in the working directory).
. "$(dirname "$0")/lib.sh"

VIOPERF=$(cd "$(dirname "$VIOPERF")" && pwd)/$(basename "$VIOPERF")
fix=$(pwd)/tests/fixtures/report/run-a
t=$TMPDIR_T
work="$t/cwd"
mkdir -p "$work" "$t/cols" "$t/trunc" "$t/empty" "$t/extra" "$t/bin"
chmod 755 "$t"
out="$t/out"			# never to exist
sed '1s/rx_pps/rx_rate/' "$fix/results.csv" >"$t/cols/results.csv"
head -c -40 "$fix/results.csv" >"$t/trunc/results.csv"
: >"$t/empty/results.csv"
# one row with a field too many
sed '2s/$/,surplus/' "$fix/results.csv" >"$t/extra/results.csv"
printf 'not,a,results\nfile\n' >"$t/bin/results.csv"

# A stats block as the harness makes it (magic "VPES", version 1) in a
# plain file, and one of zeros (bad magic); shared-memory regions with a
# foreign magic, too small for a header, and a wrong layout version.
python3 - "$t" <<'PY'
import struct, sys
t = sys.argv[1]
open(t + "/stats", "wb").write(struct.pack("<II", 0x56504553, 1) + bytes(1 << 20))
open(t + "/stats0", "wb").write(bytes(1 << 20))
open(t + "/reg-magic", "wb").write(b"garbage!" * 8192)
open(t + "/reg-small", "wb").write(b"VPSHRING" + bytes(56))
open(t + "/reg-version", "wb").write(b"VPSHRING" + b"\xff" * 65536)
PY
E="engine --role rx --io shm --stats-fd 3"

# code | word in the message | arguments (eval'd; $t, $out, $fix, $E)
cases=$(cat <<'CASES'
2|usage|
2|unknown command|frobnicate
2|unrecognized option|list --bogus
2|unexpected argument|list extra
2|unrecognized option|cleanup --bogus
2|unexpected argument|cleanup extra
2|--role|engine
2|--role|engine --role xx --io shm --stats-fd 3
2|--stats-fd|engine --role tx --io shm
2|stats block|engine --role tx --io shm --stats-fd 99
2|--burst|engine --role tx --io shm --stats-fd 3 --burst 0
2|--burst|engine --role tx --io shm --stats-fd 3 --burst 65
2|--vlan|engine --role rx --io shm --stats-fd 3 --vlan 5000
2|--cpu|engine --role rx --io shm --stats-fd 3 --cpu 99999
2|frame sizes|engine --role rx --io shm --stats-fd 3 --sizes 10
2|--flows|engine --role rx --io shm --stats-fd 3 --flows 0
2|stats block|$E 3<>$t/stats0
1|magic|$E --io-arg path=$t/reg-magic --io-arg side=b 3<>$t/stats
1|too small|$E --io-arg path=$t/reg-small --io-arg side=b 3<>$t/stats
1|layout version|$E --io-arg path=$t/reg-version --io-arg side=b 3<>$t/stats
1|side=c|$E --io-arg path=$t/reg-magic --io-arg side=c 3<>$t/stats
1|cannot open region|$E --io-arg path=$t/no-region --io-arg side=a 3<>$t/stats
2|--pdr-loss|run --rate ndr --pdr-loss -1 --out $out
2|--precision|run --rate ndr --precision 0 --out $out
2|--search-trials|run --rate ndr --search-trials 0 --out $out
2|--search-duration|run --rate ndr --search-duration 0 --out $out
2|--latency-at|run --rate ndr --latency-at 150 --out $out
2|--latency-at|run --rate 1k --latency-at 50 --out $out
2|--warmup|run --warmup 5000 --out $out
2|--duration|run --duration 100000 --out $out
2|--trials|run --trials 1001 --out $out
2|--cpus|run --cpus -1,1 --out $out
2|--cpus|run --cpus 0,1,2 --out $out
2|more than 16|run --sizes 64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64 --out $out
2|--out|run --out ''
2|unknown or incomplete option|report --bogus $fix
2|No such file|report $t/nowhere --out $out
2|at least one|report
2|column rx_pps: missing|report $t/cols --out $out
2|results.csv|report $t/bin --out $out
2|give one results directory|plan
2|--target-mpps|plan $fix --target-mpps -1 --out $out
2|--target-mpps|plan $fix --target-mpps abc --out $out
2|truncated|plan $t/trunc --target-mpps 1 --out $out
2|empty file|plan $t/empty --target-mpps 1 --out $out
2|--threshold|compare --threshold -5 $fix $fix
2|exactly two|compare $fix $fix $fix
2|extra/results.csv:2|compare $fix $t/extra
CASES
)

n=0
check() {	# check CODE WORD DESCRIPTION: on $t/rc, $t/stdout, $t/stderr
	local rc
	rc=$(cat "$t/rc")
	[ "$rc" -eq "$1" ] || { cat "$t/stderr"; fail "$3: exit $rc, expected $1"; }
	[ -s "$t/stderr" ] || fail "$3: no message on stderr"
	grep -q -- "$2" "$t/stderr" || { cat "$t/stderr"; fail "$3: message does not name '$2'"; }
	[ ! -s "$t/stdout" ] || fail "$3: wrote to stdout: $(head -3 "$t/stdout")"
	[ ! -e "$out" ] || fail "$3: created $out"
	[ -z "$(ls -A "$work")" ] || fail "$3: wrote into the working dir: $(ls -A "$work")"
	for d in "$fix" "$t/cols" "$t/trunc" "$t/empty" "$t/extra" "$t/bin"; do
		[ "$(ls -A "$d" | grep -v -x -e results.csv -e run.json)" = "" ] ||
			fail "$3: wrote into $d: $(ls -A "$d")"
	done
	n=$((n + 1))
}

while IFS='|' read -r code word args; do
	[ -n "$code" ] || continue
	(cd "$work" && eval "\"\$VIOPERF\" $args") >"$t/stdout" 2>"$t/stderr"
	echo $? >"$t/rc"
	check "$code" "$word" "vioperf $args"
done <<<"$cases"

# Not root: the run refuses before it writes anything (no workdir under
# /run/vioperf possible), and, with no hugetlbfs mounted (a private mount
# namespace without it), a hugepage datapath is refused with the reason.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 777 "$work"
	(cd "$work" && "${nobody[@]}" "$VIOPERF" run --datapath ivshmem \
		--duration 0.1 --out "$work/o") >"$t/stdout" 2>"$t/stderr"
	echo $? >"$t/rc"
	check 2 "/run/vioperf" "not root: run"
	(cd "$work" && unshare -m --propagation private sh -c '
		for m in $(awk "\$3 == \"hugetlbfs\" { print \$2 }" /proc/mounts); do
			umount "$m" || exit 99
		done
		exec "$@"' sh "${nobody[@]}" "$VIOPERF" run --datapath vhost-user \
		--out "$work/o") >"$t/stdout" 2>"$t/stderr"
	echo $? >"$t/rc"
	check 2 "no hugetlbfs mounted" "not root, no hugetlbfs: run vhost-user"
else
	echo "note: not root or no setpriv: the non-root cases did not run"
fi

[ "$n" -ge 40 ] || fail "only $n cases ran"
echo "ok: $n bad inputs refused with the documented exit code and nothing written"
