#!/bin/bash
# Runs inside the kernel lab guest, in the chroot of the host root, as
# `bash runner.sh CTL` (scripts/lab/init; run.sh copies this file into the
# control share CTL). Reads what run.sh wrote there, all NUL-separated:
# argv (the command), env (NAME=VALUE, the whole environment), cwd, and
# limit (seconds). Runs the command with that environment in that directory
# and writes stdout, stderr and rc (the exit code; 124 when the limit hit).
set -u
ctl=$1
mapfile -d '' -t envs <"$ctl/env"
mapfile -d '' -t argv <"$ctl/argv"
IFS= read -r -d '' cwd <"$ctl/cwd"
IFS= read -r -d '' limit <"$ctl/limit"
# DPDK's EAL opens every PMD plugin at start-up: read them (and the DPDK
# libraries) once, so that no engine start pays the cold 9p reads (30 s and
# more under emulation, longer than an engine may take to get ready).
shopt -s nullglob
warm=(/usr/lib/*/dpdk/pmds-*/*.so.*.* /usr/lib/*/librte_*.so.*.*)
[ "${#warm[@]}" -eq 0 ] || cat -- "${warm[@]}" >/dev/null 2>&1
shopt -u nullglob
if ! cd -- "$cwd"; then
	echo "lab: cannot enter $cwd in the guest (it must exist on the host, outside /run and /dev, which the guest has its own of)" >"$ctl/stderr"
	rc=125
else
	env -i "${envs[@]}" timeout -k 5 "$limit" "${argv[@]}" \
		</dev/null >"$ctl/stdout" 2>"$ctl/stderr"
	rc=$?
fi
echo "$rc" >"$ctl/rc.tmp" && mv "$ctl/rc.tmp" "$ctl/rc"
