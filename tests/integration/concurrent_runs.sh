#!/usr/bin/env bash
# Two `vioperf run` at once on one host do not collide: each gets its own
# tag (netns, sockets, EAL prefixes, shm and hugepage files), so both
# finish with their own rows all ok (or one refuses up front with exit 2
# and the reason, when the hugepages it needs are taken), a warning says
# that they share cores (a 2-core host has no others), the hugepage
# pool ends as it started, and neither leaves anything behind.
# Pairs: vhost-user with vhost-user (opposite --cpus), and ivshmem with
# tc-sw, each pair where this host can build it.
. "$(dirname "$0")/lib.sh"
need_root

avail=" $(echo $("$VIOPERF" list --available)) "
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
nr() { cat "$pool" 2>/dev/null; }
ran=0

# pair DP-A DP-B: both runs started together; see the header.
pair() {
	local a=$1 b=$2 pa pb ra rb tags=() i o rc dp
	case "$avail" in *" $a "*) ;; *) echo "note: $a not buildable here"; return ;; esac
	case "$avail" in *" $b "*) ;; *) echo "note: $b not buildable here"; return ;; esac
	local before
	before=$(nr)
	"$VIOPERF" run --datapath "$a" --sizes 64 --trials 2 --warmup 0.3 \
		--duration 1 --cpus 0,1 --out "$TMPDIR_T/$a-A" --quiet \
		>"$TMPDIR_T/$a-A.log" 2>&1 &
	pa=$!
	"$VIOPERF" run --datapath "$b" --sizes 64 --trials 2 --warmup 0.3 \
		--duration 1 --cpus 1,0 --out "$TMPDIR_T/$b-B" --quiet \
		>"$TMPDIR_T/$b-B.log" 2>&1 &
	pb=$!
	# both tags, while the runs live (for the leftover check after)
	wait_for '[ -n "$(run_tag $pa)" ] || ! kill -0 $pa 2>/dev/null' 60
	wait_for '[ -n "$(run_tag $pb)" ] || ! kill -0 $pb 2>/dev/null' 60
	tags=("$(run_tag $pa)" "$(run_tag $pb)")
	wait $pa; ra=$?
	wait $pb; rb=$?
	for i in 0 1; do
		if [ $i = 0 ]; then o="$TMPDIR_T/$a-A"; rc=$ra; dp=$a; else o="$TMPDIR_T/$b-B"; rc=$rb; dp=$b; fi
		case $rc in
		0)
			[ "$(csv_col "$o/results.csv" datapath | sort -u)" = "$dp" ] ||
				fail "$dp run $i: rows of another datapath in $o"
			csv_check "$o/results.csv" 'c["status"] == "ok"' "$dp run $i: a row is not ok"
			[ "$(csv_col "$o/results.csv" run_id | sort -u | wc -l)" -eq 1 ] ||
				fail "$dp run $i: rows of two runs in one file"
			[ "$(( $(wc -l <"$o/results.csv") - 1 ))" -eq 4 ] || fail "$dp run $i: expected 4 rows" ;;
		2)
			cat "$o.log"
			[ ! -e "$o" ] || fail "$dp run $i: refused (exit 2) but wrote $o"
			[ -s "$o.log" ] || fail "$dp run $i: refused without a reason"
			echo "note: $dp run $i refused up front (above)" ;;
		*)
			cat "$o.log"; [ -f "$o/results.csv" ] && cat "$o/results.csv"
			fail "$dp run $i: exit $rc (concurrent with $a/$b)" ;;
		esac
	done
	[ "$ra" -eq 0 ] || [ "$rb" -eq 0 ] || fail "$a/$b: neither run completed"
	# both poll cores 0 and 1: the later one to start says so
	if [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ]; then
		cat "$TMPDIR_T/$a-A.log" "$TMPDIR_T/$b-B.log" |
			grep -q "warning: core [01] is also used by the run of pid" ||
			fail "$a/$b: no warning that the runs share cores"
	fi
	for i in 0 1; do
		[ -n "${tags[$i]}" ] && check_no_leftovers_of "${tags[$i]}"
	done
	[ "$(nr)" = "$before" ] || fail "$a/$b: nr_hugepages $before before, $(nr) after"
	ran=$((ran + 1))
	echo "ok: $a and $b at once (exit $ra, $rb)"
}

pair vhost-user vhost-user
pair ivshmem tc-sw
[ "$ran" -gt 0 ] || skip "neither vhost-user nor ivshmem + tc-sw can run here"
echo "ok: $ran concurrent pairs"
