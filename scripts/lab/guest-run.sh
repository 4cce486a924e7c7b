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
if ! cd -- "$cwd"; then
	echo "lab: cannot enter $cwd in the guest (it must exist on the host)" >"$ctl/stderr"
	rc=125
else
	env -i "${envs[@]}" timeout -k 5 "$limit" "${argv[@]}" \
		</dev/null >"$ctl/stdout" 2>"$ctl/stderr"
	rc=$?
fi
echo "$rc" >"$ctl/rc.tmp" && mv "$ctl/rc.tmp" "$ctl/rc"
