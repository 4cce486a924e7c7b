#!/usr/bin/env bash
# Kernel lab setup (see README "Kernel lab"): makes this host able to boot the
# lab VM with scripts/lab/run.sh. Idempotent; each step is skipped when done.
#
#  1. apt: adds <codename>-backports from the Debian mirror this machine is
#     already configured with (/etc/apt/sources.list.d/vioperf-backports.sources)
#  2. installs qemu-system-x86 from backports (QEMU >= 10: emulated igb with
#     SR-IOV), busybox-static, cpio, xz-utils, kmod
#  3. downloads the backports Linux 6.12 image package and unpacks it into
#     build/lab/kernel/ (cached: kept while present)
#  4. builds build/lab/initramfs.cpio.gz: busybox, scripts/lab/init and the
#     modules of scripts/lab/modules.txt with their dependencies, in load order
#
# Needs root for what it installs. Prints the QEMU and kernel versions and how long it took.
set -euo pipefail
start=$(date +%s)
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/scripts/lab
lab=$root/build/lab
srcfile=/etc/apt/sources.list.d/vioperf-backports.sources

say() { echo "lab setup: $*" >&2; }
die() { echo "lab setup: $*" >&2; exit 2; }

# The lab boots Debian's amd64 kernel and runs this host's x86-64 binaries
# in it: elsewhere there is no lab, and its tests say so (skip).
if [ "$(uname -m)" != x86_64 ]; then
	say "no kernel lab on $(uname -m) (needs an x86-64 Debian host); lab tests will skip"
	exit 0
fi
# shellcheck disable=SC1091
. /etc/os-release
codename=${VERSION_CODENAME:-}
if [ "${ID:-}" != debian ] || [ -z "$codename" ]; then
	say "no kernel lab on '${PRETTY_NAME:-unknown}' (it uses Debian packages; needs Debian 12); lab tests will skip"
	exit 0
fi
bpo=$codename-backports
need_root() {
	[ "$(id -u)" -eq 0 ] || die "needs root to $1; run: sudo $0"
}

# --- 1. backports from the configured mirror ------------------------------

# Print "uri signed-by" of the first deb source that carries suite $1,
# ignoring our own file; nothing when there is none.
find_source() { # suite
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$srcfile" ] || continue
		awk -v suite="$1" '
			function flush() {
				if (deb && hit && uri != "") { print uri, (key == "" ? "-" : key); found = 1; exit }
				deb = 0; hit = 0; uri = ""; key = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
			tolower($1) == "signed-by:" && $2 ~ /^\// { key = $2 }
			END { if (!found) flush() }' "$f" | head -n1
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [opts] uri suite components...
		awk -v suite="$1" '
			$1 != "deb" { next }
			{ i = 2; key = "-"
			  if ($i ~ /^\[/) {
				for (; i <= NF; i++) {
					if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
					if ($i ~ /\]$/) { i++; break }
				}
			  }
			  if ($(i + 1) == suite) { print $i, key; exit } }' "$f" | head -n1
	done
}

bpo_ready=0
ensure_backports() {
	[ "$bpo_ready" -eq 0 ] || return 0
	need_root "add $bpo to apt"
	local src mirror key want updated=0
	src=$(find_source "$codename" | head -n1)
	[ -n "$src" ] ||
		die "no apt source for suite '$codename' found in /etc/apt; configure the Debian mirror first"
	read -r mirror key <<<"$src"
	updated=0
	if [ -n "$(find_source "$bpo" | head -n1)" ]; then
		say "$bpo is already configured in /etc/apt"
	else
		want=$(printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$mirror" "$bpo"
			[ "$key" = - ] || printf 'Signed-By: %s\n' "$key")
		if [ ! -f "$srcfile" ] || [ "$(cat "$srcfile")" != "$want" ]; then
			say "adding $bpo from $mirror ($srcfile)"
			printf '%s\n' "$want" >"$srcfile.tmp"
			mv "$srcfile.tmp" "$srcfile"
			apt-get update -q >&2 || die "apt-get update failed (see above); remove $srcfile to undo"
			updated=1
		fi
	fi
	# The package lists may predate the backports source.
	if [ "$updated" -eq 0 ] && ! apt-cache policy qemu-system-x86 2>/dev/null | grep -q "$bpo"; then
		apt-get update -q >&2 || die "apt-get update failed (see above)"
	fi
	bpo_ready=1
}

# --- 2. packages ----------------------------------------------------------

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in busybox-static cpio xz-utils kmod; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	need_root "install ${missing[*]}"
	say "installing ${missing[*]}"
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

qemu_major() {
	qemu-system-x86_64 --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([0-9]*\)\..*/\1/p'
}
if [ "$(qemu_major)" = "" ] || [ "$(qemu_major)" -lt 10 ]; then
	ensure_backports
	say "installing qemu-system-x86 from $bpo"
	apt-get install -y -q --no-install-recommends -t "$bpo" qemu-system-x86 >&2
fi
qv=$(qemu-system-x86_64 --version | head -n1)
[ "$(qemu_major)" -ge 10 ] ||
	die "$qv is too old: the lab needs QEMU >= 10 (apt-get install -t $bpo qemu-system-x86)"

# --- 3. kernel -------------------------------------------------------------

mkdir -p "$lab"
tmp=$(mktemp -d "$lab/setup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -f "$lab/kernel/.package" ]; then
	say "kernel cached in $lab/kernel ($(cat "$lab/kernel/.package"))"
else
	# The image the backports meta-package points at; the unsigned variant
	# when the signed one is not there.
	# VIOPERF_LAB_KERNEL=linux-image-<version>-amd64 pins one.
	ensure_backports
	img=${VIOPERF_LAB_KERNEL:-$(apt-cache show "linux-image-amd64/$bpo" 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-6\.[0-9][0-9]*\.[^ ,]*-amd64\).*/\1/p' | head -n1)}
	[ -n "$img" ] || die "no linux-image-amd64 in $bpo (apt-cache show linux-image-amd64/$bpo)"
	case "$img" in linux-image-6.12.*) ;; *) say "note: $bpo ships $img, the lab was made with 6.12" ;; esac
	say "downloading $img"
	(cd "$tmp" && apt-get download -q "$img" >&2 2>/dev/null) ||
		(cd "$tmp" && apt-get download -q "$img-unsigned" >&2) ||
		die "apt-get download $img failed"
	mkdir "$tmp/x"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/x"
	# Later packages ship the modules under /usr/lib only.
	[ -e "$tmp/x/lib" ] || ln -s usr/lib "$tmp/x/lib"
	printf '%s\n' "$img" >"$tmp/x/.package"
	rm -rf "$lab/kernel"
	mv "$tmp/x" "$lab/kernel"
fi
kver=$(ls "$lab/kernel/lib/modules" 2>/dev/null | head -n1)
[ -n "$kver" ] && [ -f "$lab/kernel/boot/vmlinuz-$kver" ] ||
	die "$lab/kernel is incomplete; remove it and run $0 again"
cfg=$lab/kernel/boot/config-$kver
for c in CONFIG_INTEL_IOMMU CONFIG_IRQ_REMAP CONFIG_PCI_IOV CONFIG_DEVTMPFS CONFIG_PACKET; do
	grep -q "^$c=y" "$cfg" || die "$kver: $c is not built in ($cfg); the lab needs it"
done
if [ ! -f "$lab/kernel/lib/modules/$kver/modules.dep" ]; then
	depmod -b "$lab/kernel" "$kver" || die "depmod -b $lab/kernel $kver failed"
fi

# --- 4. initramfs ----------------------------------------------------------

out=$lab/initramfs.cpio.gz
fresh=1
for f in "$here/init" "$here/modules.txt" "$here/setup.sh" "$lab/kernel/.package" /bin/busybox; do
	[ -f "$out" ] && [ "$out" -nt "$f" ] || fresh=0
done
if [ "$fresh" -eq 1 ]; then
	say "initramfs up to date ($out)"
else
	say "building $out"
	ir=$tmp/ir
	mkdir -p "$ir"/{bin,proc,sys,dev,tmp,mnt/root,mnt/ctl,mnt/out,lib/modules}
	cp /bin/busybox "$ir/bin/busybox"
	install -m 0755 "$here/init" "$ir/init"
	: >"$ir/lib/modules/load.list"
	builtin=()
	while read -r line; do
		line=${line%%#*}
		line=${line//[[:space:]]/}
		[ -n "$line" ] || continue
		opt=0
		if [ "${line:0:1}" = "?" ]; then opt=1; line=${line:1}; fi
		if ! deps=$(modprobe -d "$lab/kernel" -S "$kver" --show-depends "$line" 2>&1); then
			[ "$opt" -eq 1 ] && { say "optional module $line not in $kver, skipped"; continue; }
			die "module $line not found in $kver ($deps)"
		fi
		while read -r verb path _; do
			case "$verb" in
			builtin) builtin+=("$path") ;;
			insmod)
				name=$(basename "$path")
				name=${name%.xz}
				grep -qxF "$name" "$ir/lib/modules/load.list" && continue
				# Uncompressed: busybox insmod does not read .ko.xz.
				case "$path" in
				*.xz) xz -dc "$path" >"$ir/lib/modules/$name" ;;
				*) cp "$path" "$ir/lib/modules/$name" ;;
				esac
				echo "$name" >>"$ir/lib/modules/load.list"
				;;
			esac
		done <<<"$deps"
	done <"$here/modules.txt"
	say "modules: $(tr '\n' ' ' <"$ir/lib/modules/load.list")"
	[ "${#builtin[@]}" -eq 0 ] || say "built in: ${builtin[*]}"
	(cd "$ir" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
		gzip -1 >"$tmp/initramfs.cpio.gz"
	mv "$tmp/initramfs.cpio.gz" "$out"
fi

echo "lab: $qv"
echo "lab: Linux $kver ($(cat "$lab/kernel/.package")), intel-iommu built in"
echo "lab: kernel $lab/kernel/boot/vmlinuz-$kver, initramfs $out"
echo "lab: setup took $(($(date +%s) - start)) s"
