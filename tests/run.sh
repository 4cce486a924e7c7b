#!/usr/bin/env bash
# Run every test of vioperf against the build in $1 (default build/):
# each cmocka unit binary, then each integration test
# (tests/integration/*.sh; exit 0 pass, 77 skip with a reason, else fail).
# Ends with the line "N passed, N failed, N skipped" and exits non-zero when
# anything failed.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export VIOPERF="$root/$build/vioperf" BUILD="$build"
pass=0 fail=0 skip=0 failed=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

record() { # name rc output
	case "$2" in
	0) pass=$((pass + 1)); echo "PASS $1" ;;
	77) skip=$((skip + 1)); echo "SKIP $1: $(grep -m1 '^skip:' "$3" | cut -c7-)" ;;
	*) fail=$((fail + 1)); failed+=("$1"); echo "FAIL $1 (exit $2)"; tail -n 40 "$3" ;;
	esac
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	timeout 600 "$t" >"$log/$n" 2>&1
	rc=$?
	grep -E '^\[  (PASSED|FAILED)' "$log/$n" | sed "s/^/  $n: /"
	record "unit/$n" "$rc" "$log/$n"
done

for t in tests/integration/*.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .sh)
	start=$(date +%s)
	timeout 900 bash "$t" >"$log/$n" 2>&1
	rc=$?
	record "integration/$n ($(( $(date +%s) - start ))s)" "$rc" "$log/$n"
done

[ "${#failed[@]}" -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
