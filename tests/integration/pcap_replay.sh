#!/usr/bin/env bash
# --pcap and --capture on the fastest path this host builds: a receiver's
# capture becomes the next run's traffic; a capture holding frames with no
# room for a payload header is replayed too, those frames counted apart;
# a file with no usable frames is refused (exit 2, nothing written).
. "$(dirname "$0")/lib.sh"
datapath_or_skip ivshmem
run() { "$VIOPERF" run --datapath ivshmem --direction h2g --duration 1 --warmup 0.2 --quiet "$@"; }

# 1. capture: the first 20 frames of the trial, as a pcap beside the results
run --sizes 128 --capture 20 --out "$TMPDIR_T/cap" >/dev/null 2>"$TMPDIR_T/err" ||
	{ cat "$TMPDIR_T/err"; fail "run --capture failed"; }
cap=$(ls "$TMPDIR_T"/cap/captures/*.pcap 2>/dev/null | head -n 1)
[ -s "$cap" ] || fail "no capture file under $TMPDIR_T/cap/captures"
# pcap file: 24-byte header, then 16 + 124 bytes per 128 B frame
[ "$(stat -c %s "$cap")" -eq $((24 + 20 * (16 + 124))) ] ||
	fail "capture holds $(stat -c %s "$cap") bytes, expected 20 frames of 128 B"

# 2. replay it: every frame stamped and tracked
run --pcap "$cap" --out "$TMPDIR_T/replay" >/dev/null 2>"$TMPDIR_T/err" ||
	{ cat "$TMPDIR_T/err"; fail "run --pcap failed"; }
csv="$TMPDIR_T/replay/results.csv"
csv_check "$csv" 'c["status"] == "ok" && c["frame_len"] == 128 &&
	c["traffic"] ~ /^pcap:/ && c["tx_unstamped"] == 0 && c["rx_pkts"] > 0 &&
	c["tx_pkts"] == c["rx_pkts"] + c["lost"] + c["corrupted"]' \
	"replayed capture: row not as expected"

# 3. a capture with an ARP request beside a UDP frame: the ARP frame has no
#    room for a payload header, is sent as it is and counted apart
mixed="$TMPDIR_T/mixed.pcap"
{
	head -c 24 "$cap"					# file header
	tail -c +25 "$cap" | head -c $((16 + 124))		# one UDP frame
	# record header: ts 0, caplen = len = 42, then an ARP request
	printf '\0\0\0\0\0\0\0\0\x2a\0\0\0\x2a\0\0\0'
	printf '\xff\xff\xff\xff\xff\xff\x02\x56\x50\0\0\x01\x08\x06'
	printf '\0\x01\x08\0\x06\x04\0\x01\x02\x56\x50\0\0\x01\xc6\x12\0\x01'
	printf '\0\0\0\0\0\0\xc6\x13\0\x01'
} >"$mixed"
run --pcap "$mixed" --out "$TMPDIR_T/mixed" >/dev/null 2>"$TMPDIR_T/err" ||
	{ cat "$TMPDIR_T/err"; fail "run --pcap with an ARP frame failed"; }
csv="$TMPDIR_T/mixed/results.csv"
csv_check "$csv" 'c["status"] == "ok" && c["tx_unstamped"] > 0 &&
	c["rx_foreign"] > 0 && c["rx_pkts"] > 0 &&
	c["tx_pkts"] == c["rx_pkts"] + c["lost"] + c["corrupted"]' \
	"mixed capture: unstamped frames not counted apart"

# 4. a file with no usable frames: refused before anything is written
head -c 24 "$cap" >"$TMPDIR_T/empty.pcap"
run --pcap "$TMPDIR_T/empty.pcap" --out "$TMPDIR_T/none" >/dev/null 2>"$TMPDIR_T/err"
rc=$?
[ "$rc" -eq 2 ] || fail "a pcap with no frames: exit $rc, expected 2"
grep -q "no usable frames" "$TMPDIR_T/err" || { cat "$TMPDIR_T/err"; fail "no reason given"; }
[ ! -e "$TMPDIR_T/none" ] || fail "output written for a refused pcap"
run --pcap "$cap" --sizes 64 --out "$TMPDIR_T/none" >/dev/null 2>"$TMPDIR_T/err"
[ $? -eq 2 ] && grep -q "leave out --sizes" "$TMPDIR_T/err" || fail "--pcap with --sizes must be refused"
echo "pass: capture, replay (stamped and unstamped frames), refusals"
