# Shared helpers for integration tests (sourced). A test exits 0 on pass,
# 77 with a line "skip: <reason>" when this host cannot run it, anything
# else on failure (after printing why).
set -u
: "${VIOPERF:=build/vioperf}"

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }

# Everything a run could leave behind, one sorted list.
leftovers() {
	{
		ip netns list 2>/dev/null | awk '{print "netns " $1}'
		ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}'
		ls -1 /dev/hugepages 2>/dev/null | sed 's/^/huge /'
		ls -1 /dev/shm 2>/dev/null | sed 's/^/shm /'
		ls -1 /run/vioperf 2>/dev/null | sed 's/^/run /'
		ls -1 /var/run/dpdk 2>/dev/null | sed 's/^/dpdk /'
		pgrep -f 'vioperf engine' 2>/dev/null | sed 's/^/proc /'
	} | sort
}

snapshot_before() { leftovers >"$TMPDIR_T/before"; }
check_no_leftovers() {
	leftovers >"$TMPDIR_T/after"
	if ! diff -u "$TMPDIR_T/before" "$TMPDIR_T/after"; then
		fail "the run left something behind (diff above)"
	fi
}

# The fields of one CSV line into f[1..n] (RFC 4180 quoting: a quoted
# field may hold commas and doubled quotes); returns n. Plain awk (mawk in
# the lab guest too), appended to the programs below.
AWK_CSV='
function csv_split(line, f,    n, i, ch, q, cur) {
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		ch = substr(line, i, 1)
		if (q) {
			if (ch == "\"") {
				if (substr(line, i + 1, 1) == "\"") { cur = cur ch; i++ }
				else q = 0
			} else cur = cur ch
		} else if (ch == "\"") q = 1
		else if (ch == ",") { f[++n] = cur; cur = "" }
		else cur = cur ch
	}
	f[++n] = cur
	for (i = 1; i <= n; i++)	# numbers compare as numbers
		if (f[i] ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/) f[i] += 0
	return n
}'

# csv_col FILE COLUMN: the column's values, one per line (header by name).
csv_col() {
	awk -v col="$2" '
		NR == 1 { n = csv_split($0, h); for (i = 1; i <= n; i++) if (h[i] == col) c = i; next }
		c { csv_split($0, f); print f[c] }'"$AWK_CSV" "$1"
}

# csv_check FILE AWK-CONDITION MESSAGE: the condition must hold on every
# row (and there must be rows); columns by name as c["name"], numbers
# compared as numbers. Prints the offending rows and fails otherwise.
csv_check() {
	awk '
		NR == 1 { nh = csv_split($0, h); next }
		{ csv_split($0, f); for (i = 1; i <= nh; i++) c[h[i]] = f[i]; n++
		  if (!ok(c)) { bad++; print "row " NR - 1 ": " $0 } }
		END { exit (bad || !n) }
		function ok(c) { return '"$2"' }'"$AWK_CSV" "$1" >"$TMPDIR_T/bad" 2>&1 \
		|| { cat "$TMPDIR_T/bad"; cat "$1"; fail "$3"; }
}

# datapath_or_skip NAME: skip (77) with the reason 'vioperf list' gives
# when this host cannot build NAME.
datapath_or_skip() {
	local line
	line=$("$VIOPERF" list | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || fail "vioperf list has no $1 line"
	[ "$(echo "$line" | awk '{print $2}')" = yes ] || \
		skip "$(echo "$line" | awk '{ $1 = ""; $2 = ""; sub(/^ +/, ""); print }')"
}

# wait_for COND-COMMAND SECONDS: poll COND every 0.1 s; 1 if it never held.
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}

# engine_pid RUN-PID ROLE: the engine child of a `vioperf run` whose argv
# says --role ROLE (tx or rx); empty when there is none (yet).
engine_pid() {
	local c
	for c in $(pgrep -P "$1"); do
		{ tr '\0' ' ' <"/proc/$c/cmdline"; } 2>/dev/null | grep -q -- "--role $2 " &&
			echo "$c"
	done
}

# engine_phase PID: the phase the harness set in an engine's stats block
# (its fd 3, generators/stats.h: 0 idle, 1 warm-up, 2 measure, 3 drain,
# 4 stop); empty when unreadable. ctl sits at byte 448 of the block,
# after magic, version, tsc_hz, pid, state, link_up, pad, desc[128] and
# error[256], aligned to 64; the magic is checked so a layout change
# fails loudly instead of reading garbage.
engine_phase() {
	local m
	m=$(od -An -tx4 -N4 "/proc/$1/fd/3" 2>/dev/null | tr -d ' ')
	[ -z "$m" ] && return 0
	[ "$m" = 56504553 ] || fail "engine $1: stats block magic $m, not VPES (generators/stats.h changed: update engine_phase)"
	od -An -tu4 -j448 -N4 "/proc/$1/fd/3" 2>/dev/null | tr -d ' '
}

# run_tag RUN-PID: the tag of a running `vioperf run` (its workdir's owner
# marker names its pid); empty until the workdir exists.
run_tag() {
	local f
	for f in /run/vioperf/*/owner; do
		grep -qx "pid=$1" "$f" 2>/dev/null && basename "$(dirname "$f")"
	done
}

# check_no_leftovers_of TAG [PID...]: nothing carrying the run's tag is
# left (netns, workdir, hugepage and shm files, DPDK runtime dirs, links)
# and none of the given engine pids still runs. Exact also on a host where
# other runs are busy.
check_no_leftovers_of() {
	local tag=$1 left p
	shift
	[ -n "$tag" ] || fail "check_no_leftovers_of: no tag"
	left=$(leftovers | grep -- "$tag")
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && left="$left
proc $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
	[ -z "$(echo "$left" | tr -d '\n')" ] || { echo "$left"; fail "run $tag left something behind (above)"; }
}

TMPDIR_T=$(mktemp -d)
trap 'rm -rf "$TMPDIR_T"' EXIT

# Run directly (tests/run.sh runs every tests/integration/*.sh), this file
# tests its own CSV helpers: quoted fields with commas and quotes, columns
# by name, numbers compared as numbers, a failing condition caught.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	f=$TMPDIR_T/t.csv
	printf '%s\n' 'a,status,n,emulated' \
		'1,"failed: rx stalled (x, y) ""q""",10,1' '2,ok,9,0' >"$f"
	[ "$(csv_col "$f" status | sed -n 1p)" = 'failed: rx stalled (x, y) "q"' ] ||
		fail "csv_col: quoted field read as '$(csv_col "$f" status | sed -n 1p)'"
	[ "$(csv_col "$f" n | tr '\n' ' ')" = "10 9 " ] ||
		fail "csv_col: the column after a quoted comma is '$(csv_col "$f" n | tr '\n' ' ')'"
	csv_check "$f" 'c["n"] >= 9 && c["emulated"] <= 1' "csv_check: a holding condition failed"
	# "9" > "10" as strings: only a numeric comparison fails row 2
	(csv_check "$f" 'c["n"] > 9' "expected" >/dev/null 2>&1) &&
		fail "csv_check: a condition false on row 2 passed"
	echo "ok: CSV helpers read quoted fields and compare numbers as numbers"
fi
