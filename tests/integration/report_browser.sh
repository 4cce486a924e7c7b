#!/usr/bin/env bash
# Render the index.html of `vioperf report` in headless Chromium: every
# chart must load (the page marks broken images on its <body>), every
# image file must be a real PNG/SVG, and the screenshot must show a page,
# not a blank. The screenshot is kept as $BUILD/artifacts/report.png.
. "$(dirname "$0")/lib.sh"
[ -x "$VIOPERF" ] || fail "$VIOPERF not built"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (scripts/setup.sh)"
browser=
for b in chromium chromium-browser google-chrome; do
	command -v "$b" >/dev/null && { browser=$b; break; }
done
[ -n "$browser" ] || skip "no chromium (apt-get install chromium, or scripts/setup.sh packages-test.txt)"

out=$TMPDIR_T/report
art=${BUILD:-build}/artifacts
mkdir -p "$art"
"$VIOPERF" report tests/fixtures/report/run-a tests/fixtures/report/run-b \
	--out "$out" >/dev/null || fail "vioperf report failed"

# every <img> names a file that exists and is what its name says
imgs=$(grep -o '<img src="[^"]*"' "$out/index.html" | sed 's/<img src="//; s/"$//')
[ -n "$imgs" ] || fail "index.html has no charts"
n=0
for i in $imgs; do
	case "$i" in
	/* | *://* | *..*) fail "image $i is not a relative link inside the report" ;;
	esac
	[ -s "$out/$i" ] || fail "image $i missing"
	case "$i" in
	*.svg) grep -q '<svg' "$out/$i" || fail "$i is not SVG" ;;
	*) fail "unexpected image $i" ;;
	esac
	png=${i%.svg}.png
	head -c 8 "$out/$png" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' \
		|| fail "$png is not a PNG"
	n=$((n + 1))
done
# nothing fetched from the network
! grep -Eq '(src|href)="(https?:)?//' "$out/index.html" || fail "index.html loads something from the network"

profile=$(mktemp -d)
run_browser() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" "file://$out/index.html" 2>"$TMPDIR_T/browser.log"
}
run_browser --virtual-time-budget=5000 --dump-dom >"$TMPDIR_T/dom.html" \
	|| { cat "$TMPDIR_T/browser.log"; fail "$browser --dump-dom failed"; }
grep -o '<body[^>]*>' "$TMPDIR_T/dom.html"
grep -q "data-images=\"$n\"" "$TMPDIR_T/dom.html" \
	|| fail "the page did not report its $n images loaded (script did not run?)"
grep -q 'data-images-broken="0"' "$TMPDIR_T/dom.html" \
	|| fail "some charts did not load: $(grep -o '<img[^>]*data-broken[^>]*>' "$TMPDIR_T/dom.html")"

rm -f "$art/report.png"
run_browser --screenshot="$art/report.png" --window-size=1200,2000 >/dev/null \
	|| { cat "$TMPDIR_T/browser.log"; fail "$browser --screenshot failed"; }
rm -rf "$profile"
[ -s "$art/report.png" ] || fail "no screenshot"
# a blank page compresses to a few kB; charts and tables do not
size=$(stat -c %s "$art/report.png")
[ "$size" -gt 50000 ] || fail "screenshot is only $size bytes: blank page?"
echo "$n charts loaded; screenshot $art/report.png ($size bytes)"
