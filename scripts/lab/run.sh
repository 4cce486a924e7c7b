#!/usr/bin/env bash
# Kernel lab: run one command inside a small VM whose kernel has what this
# host's lacks (vhost-net, tc flower, SR-IOV on an emulated igb NIC).
#
#   scripts/lab/run.sh [--igb] [--ivshmem FILE] [--out DIR] [--timeout SEC]
#                      [--env NAME=VALUE]... -- CMD [ARGS...]
#
# QEMU (software emulation, -accel tcg) boots build/lab/kernel with
# build/lab/initramfs.cpio.gz (scripts/lab/setup.sh makes both). The guest
# sees the host's root read-only over 9p and runs CMD in a chroot of it, in
# the current directory's path, so build/vioperf and the tests run unchanged.
# Only DIR is writable (default build/lab/out/<id>/): it appears in the
# guest at the same path, and $VIOPERF_LAB_OUT names it. The guest has its
# own /proc, /sys, /dev (with /dev/vhost-net), tmpfs /run, /tmp, /dev/shm
# (the checkout and the working directory stay visible when under /tmp);
# no hugepages (DPDK runs with --no-huge -m 256). The environment is fixed:
# PATH, HOME=/tmp, VIOPERF_LAB=1 (rows are emulated), VIOPERF_NO_HUGE=1,
# VIOPERF_LAB_OUT, VIOPERF and BUILD when set here, and each --env.
#
# --igb adds a q35 machine with an emulated IOMMU (intel-iommu) and two
# emulated 82576 NICs (igb, SR-IOV capable, 7 VFs each) wired to each other
# through a QEMU hub, nothing else: PF 0000:01:00.0 and 0000:02:00.0.
#
# --ivshmem FILE adds an ivshmem-plain device (PCI 1af4:1110) whose BAR 2 is
# FILE, shared with the host (its size, a power of two, is the BAR's size):
# a guest process maps /sys/bus/pci/devices/<addr>/resource2 after
# `echo 1 > .../enable`, a host process maps FILE.
#
# Prints CMD's stdout and stderr, exits with its exit code; 124 when the time
# limit (default 600 s) ran out, 125 when the lab itself failed (console log
# tail printed). QEMU is killed by pid on timeout and on INT/TERM.
# Emulated timings are never performance numbers.
#
# Environment: VIOPERF_LAB_BOOT_LIMIT (default 120 s: a guest not up by then
# is booted once more), VIOPERF_LAB_CONSOLE=FILE (copy the guest's console
# log there after a run; a failed run leaves it in DIR/lab-console.log).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/build/lab

usage() {
	echo "usage: $0 [--igb] [--ivshmem FILE] [--out DIR] [--timeout SEC] [--env NAME=VALUE]... -- CMD [ARGS...]" >&2
	exit 2
}
die() { echo "lab: $*" >&2; exit 125; }

igb=0 ivshmem= out= own_out=0 limit=600 extra_env=()
while [ "$#" -gt 0 ]; do
	case "$1" in
	--igb) igb=1 ;;
	--ivshmem) [ "$#" -ge 2 ] || usage; ivshmem=$2; shift ;;
	--out) [ "$#" -ge 2 ] || usage; out=$2; shift ;;
	--timeout) [ "$#" -ge 2 ] || usage; limit=$2; shift ;;
	--env)
		[ "$#" -ge 2 ] || usage
		[[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] ||
			die "--env '$2': expected NAME=VALUE"
		extra_env+=("$2"); shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
	shift
done
[ "$#" -gt 0 ] || usage
[[ "$limit" =~ ^[0-9]+$ ]] && [ "$limit" -ge 30 ] ||
	die "--timeout '$limit': expected whole seconds, at least 30"

command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing; run scripts/lab/setup.sh (as root)"
kver=$(ls "$lab/kernel/lib/modules" 2>/dev/null | head -n1)
kernel=$lab/kernel/boot/vmlinuz-$kver
initrd=$lab/initramfs.cpio.gz
[ -n "$kver" ] && [ -f "$kernel" ] && [ -f "$initrd" ] ||
	die "no lab kernel/initramfs in $lab; run scripts/lab/setup.sh (as root)"
[ "$(id -u)" -eq 0 ] ||
	die "needs root: the guest reads the whole host root as it is"

if [ -n "$ivshmem" ]; then
	[ -f "$ivshmem" ] || die "--ivshmem $ivshmem: no such file (create it with its size first, e.g. truncate -s 4M FILE)"
	isize=$(stat -c %s -- "$ivshmem")
	[ "$isize" -ge 4096 ] && [ $((isize & (isize - 1))) -eq 0 ] ||
		die "--ivshmem $ivshmem: size $isize is not a power of two >= 4096 (a PCI BAR's size must be)"
	case "$ivshmem" in *,*) die "--ivshmem $ivshmem: QEMU cannot take a path with a comma" ;; esac
fi
cwd=$PWD
# The guest has its own of these: the host's contents are not visible there
# (but the checkout and the working directory are, even under /tmp).
case "$cwd/" in
/run/* | /dev/* | /proc/* | /sys/*)
	die "cannot run in $cwd: the guest's /run, /dev, /proc and /sys are its own; cd elsewhere (e.g. the repository) first" ;;
esac
if [ -z "$out" ]; then
	out=$lab/out/$(date -u +%Y%m%d-%H%M%S)-$$
	own_out=1
fi
mkdir -p -- "$out"
out=$(cd -- "$out" && pwd)
case "$cwd$out$root" in *$'\n'*) die "paths with newlines are not supported ($cwd, $out)" ;; esac
case "$out${TMPDIR:-/tmp}" in *,*) die "QEMU cannot share a path with a comma ($out, ${TMPDIR:-/tmp}): choose another --out or TMPDIR" ;; esac

ctl=
qpid=
stop_qemu() {
	[ -n "$qpid" ] || return 0
	if kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$qpid" 2>/dev/null || true
	fi
	wait "$qpid" 2>/dev/null || true
	qpid=
}
cleanup() {
	stop_qemu
	[ -z "$ctl" ] || rm -rf -- "$ctl"
	# A default output dir the command left empty is not kept.
	[ "$own_out" -eq 0 ] || rmdir -- "$out" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ctl=$(mktemp -d "${TMPDIR:-/tmp}/vioperf-lab.XXXXXX")

# The command and its environment, NUL-separated: never a shell string.
printf '%s\0' "$@" >"$ctl/argv"
{
	printf '%s\0' "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TERM=dumb \
		VIOPERF_LAB=1 "VIOPERF_LAB_OUT=$out" VIOPERF_NO_HUGE=1
	for v in VIOPERF BUILD; do
		[ -z "${!v:-}" ] || printf '%s\0' "$v=${!v}"
	done
	[ "${#extra_env[@]}" -eq 0 ] || printf '%s\0' "${extra_env[@]}"
} >"$ctl/env"
printf '%s\0' "$cwd" >"$ctl/cwd"
printf '%s\n' "$out" >"$ctl/outdir"
printf '%s\n' "$root" "$cwd" >"$ctl/expose"
# Leave the guest time to boot and to write its results before the limit.
glimit=$((limit - 45))
[ "$glimit" -ge 15 ] || glimit=15
printf '%s\0' "$glimit" >"$ctl/limit"
cp "$root/scripts/lab/guest-run.sh" "$ctl/runner.sh"

# no_timer_check: the IO-APIC timer test can fail when an emulated CPU is
# starved on a busy host, and the boot then stalls.
append="console=ttyS0 panic=-1 loglevel=4 random.trust_cpu=on mitigations=off no_timer_check"
args=(-accel tcg -cpu max -m 2048 -smp 2 -nographic -nodefaults -no-reboot
	-monitor none -serial "file:$ctl/console.log")
if [ "$igb" -eq 1 ]; then
	append+=" intel_iommu=on iommu=pt"
	args+=(-machine q35,kernel-irqchip=split
		-device intel-iommu,intremap=on,caching-mode=on
		-device pcie-root-port,id=rp1,chassis=1,slot=1
		-device pcie-root-port,id=rp2,chassis=2,slot=2
		-netdev hubport,id=lan0,hubid=0 -device igb,netdev=lan0,bus=rp1,romfile=
		-netdev hubport,id=lan1,hubid=0 -device igb,netdev=lan1,bus=rp2,romfile=)
else
	args+=(-machine pc)
fi
[ -z "$ivshmem" ] || args+=(
	-object "memory-backend-file,id=vioshm,share=on,mem-path=$ivshmem,size=$isize"
	-device ivshmem-plain,memdev=vioshm)
args+=(-kernel "$kernel" -initrd "$initrd" -append "$append"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$ctl,mount_tag=labctl,security_model=none"
	-virtfs "local,path=$out,mount_tag=labout,security_model=none")

# Under emulation on a busy host a boot now and then stalls in the kernel's
# early timer set-up (RCU stall messages, no progress): a guest that has not
# reached init's "up" line within boot_limit seconds is booted once more.
boot_limit=${VIOPERF_LAB_BOOT_LIMIT:-120}
start_qemu() {
	qemu-system-x86_64 "${args[@]}" </dev/null >"$ctl/qemu.log" 2>&1 &
	qpid=$!
	boot_start=$(date +%s)
}
start=$(date +%s)
start_qemu
timed_out=0 booted=0 attempt=1
while kill -0 "$qpid" 2>/dev/null; do
	now=$(date +%s)
	if [ $((now - start)) -ge "$limit" ]; then
		timed_out=1
		break
	fi
	if [ "$booted" -eq 0 ]; then
		if grep -q 'lab-init: up in' "$ctl/console.log" 2>/dev/null; then
			booted=1
		elif [ "$attempt" -eq 1 ] && [ $((now - boot_start)) -ge "$boot_limit" ] &&
			[ $((limit - (now - start))) -gt "$boot_limit" ]; then
			echo "lab: the guest did not boot within $boot_limit s (console: $(tail -n 1 "$ctl/console.log" | tr -cd '[:print:]' | cut -c1-120)); booting it again" >&2
			stop_qemu
			mv "$ctl/console.log" "$ctl/console-attempt1.log"
			rm -f "$ctl/init-error"
			attempt=2
			start_qemu
			continue
		fi
	fi
	sleep 0.5
done
if [ "$timed_out" -eq 1 ]; then
	echo "lab: timed out after $limit s; killing QEMU (pid $qpid)" >&2
	stop_qemu
else
	qrc=0
	wait "$qpid" || qrc=$?
	qpid=
	[ "$qrc" -eq 0 ] || echo "lab: QEMU exited with $qrc: $(tail -n 5 "$ctl/qemu.log")" >&2
fi

[ ! -f "$ctl/stdout" ] || cat "$ctl/stdout"
[ ! -f "$ctl/stderr" ] || cat "$ctl/stderr" >&2
if [ "$timed_out" -eq 1 ] || [ ! -f "$ctl/rc" ]; then
	cp "$ctl/console.log" "$out/lab-console.log" 2>/dev/null &&
		echo "lab: the guest's console log is in $out/lab-console.log" >&2
	[ ! -f "$ctl/console-attempt1.log" ] || cp "$ctl/console-attempt1.log" "$out/lab-console-attempt1.log"
fi
if [ "$timed_out" -eq 1 ]; then
	echo "lab: console log tail:" >&2
	tail -n 30 "$ctl/console.log" >&2 || true
	exit 124
fi
if [ ! -f "$ctl/rc" ]; then
	echo "lab: the guest did not run the command$( [ ! -f "$ctl/init-error" ] || printf ' (%s)' "$(cat "$ctl/init-error")"). Console log tail:" >&2
	tail -n 30 "$ctl/console.log" >&2 || true
	tail -n 5 "$ctl/qemu.log" >&2 || true
	exit 125
fi
[ -z "${VIOPERF_LAB_CONSOLE:-}" ] || cp "$ctl/console.log" "$VIOPERF_LAB_CONSOLE"
where=
[ -z "$(ls -A -- "$out")" ] || where="; output in $out"
echo "lab: guest command exited $(cat "$ctl/rc") after $(($(date +%s) - start)) s (emulated: timings are not performance)$where" >&2
exit "$(cat "$ctl/rc")"
