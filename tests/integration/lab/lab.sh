# Host-side helpers of the kernel lab tests (sourced after lib.sh).
# lab_need: skip when the lab is not set up. lab_need_datapath NAME: skip
# when vioperf has no implementation of NAME yet (anything else that makes it
# unavailable is for the lab run to find, and fails there). lab_run ARGS...:
# scripts/lab/run.sh ARGS... with a time limit that keeps CI in budget.
lab_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

lab_need() {
	need_root
	command -v qemu-system-x86_64 >/dev/null ||
		skip "kernel lab not set up: qemu-system-x86_64 missing (scripts/lab/setup.sh, run by make test, installs it)"
	[ -d "$lab_root/build/lab/kernel" ] ||
		skip "kernel lab not set up: no build/lab/kernel (run scripts/lab/setup.sh as root; make test does)"
	[ -f "$lab_root/build/lab/initramfs.cpio.gz" ] ||
		skip "kernel lab not set up: no build/lab/initramfs.cpio.gz (run scripts/lab/setup.sh as root)"
}

# For the checks that do not use the vioperf build (the lab's kernel, its
# runner): run them once per `make test`, in the plain build's pass.
lab_once_per_test_run() {
	case "${BUILD:-build}" in
	*asan*) skip "does not use the vioperf build; checked once, in the plain build's pass" ;;
	esac
}

lab_need_datapath() { # name
	local line
	[ -x "$VIOPERF" ] || fail "$VIOPERF is missing: build it first (make)"
	line=$("$VIOPERF" list 2>&1 | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || skip "vioperf list has no datapath $1 yet"
	case "$line" in
	*"not implemented"*)
		skip "vioperf run does not support --datapath $1 yet ($(echo "$line" | awk '{$1 = $2 = ""; sub(/^ +/, ""); print}'))" ;;
	esac
}

# The run's control dir goes under this test's private TMPDIR_T, so what
# it leaves (a QEMU process naming that dir, the dir itself) is told apart
# from other lab runs on the machine.
lab_run() {
	TMPDIR=$TMPDIR_T "$lab_root/scripts/lab/run.sh" --timeout "${LAB_TIMEOUT:-240}" "$@"
}

# What a lab run of this test could leave on the host: its QEMU process and
# its control directory (the guest's own netns, taps and processes die with
# the VM).
lab_leftovers() {
	{
		pgrep -f "file:$TMPDIR_T/vioperf-lab" | sed 's/^/qemu /'
		ls -1d "$TMPDIR_T"/vioperf-lab.* 2>/dev/null | sed 's/^/ctl /'
	} | sort
}
lab_snapshot() { lab_leftovers >"$TMPDIR_T/lab-before"; }
lab_check_no_leftovers() {
	lab_leftovers >"$TMPDIR_T/lab-after"
	diff -u "$TMPDIR_T/lab-before" "$TMPDIR_T/lab-after" ||
		fail "the lab run left a QEMU process or its control dir behind (diff above)"
}
