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

# csv_col FILE COLUMN: the column's values, one per line (header by name).
csv_col() {
	awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		c { print $c }' "$1"
}

# csv_check FILE AWK-CONDITION MESSAGE: the condition must hold on every
# row (and there must be rows); columns by name as c["name"], numbers
# compared as numbers. Prints the offending rows and fails otherwise.
csv_check() {
	awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
		{ for (i = 1; i <= NF; i++) c[h[i]] = $i; n++
		  if (!ok(c)) { bad++; print "row " NR - 1 ": " $0 } }
		END { exit (bad || !n) }
		function ok(c) { return '"$2"' }' "$1" >"$TMPDIR_T/bad" 2>&1 \
		|| { cat "$TMPDIR_T/bad"; cat "$1"; fail "$3"; }
}

# datapath_or_skip NAME: skip (77) with the reason 'vioperf list' gives
# when this host cannot build NAME.
datapath_or_skip() {
	local line
	line=$("$VIOPERF" list | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || fail "vioperf list has no $1 line"
	[ "$(echo "$line" | awk '{print $2}')" = yes ] || \
		skip "$1: $(echo "$line" | awk '{ $1 = ""; $2 = ""; sub(/^ +/, ""); print }')"
}

TMPDIR_T=$(mktemp -d)
trap 'rm -rf "$TMPDIR_T"' EXIT
