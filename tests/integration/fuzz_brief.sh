#!/usr/bin/env bash
# Every libFuzzer target (tests/fuzz/) for a few seconds each: a crash,
# sanitizer report or broken invariant fails the test. `make fuzz` runs
# them longer.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null || skip "clang is not installed (apt-get install clang libclang-rt-14-dev)"
cd "$(dirname "$0")/../.."
make -s BUILD=build-fuzz CC=clang OPT=-O1 \
	SAN="-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer" \
	FUZZ_SECONDS="${FUZZ_SECONDS:-8}" fuzz-run || fail "a fuzz target crashed or did not build (output above)"
