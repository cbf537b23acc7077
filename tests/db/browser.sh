# Opens an HTML file in headless Chromium (sourced by database tests).
# check_in_browser HTML SCREENSHOT: the page must run its scripts without a
# console message or error, report its charts drawn (data-charts on <html>),
# and its screenshot must show the chart colours.
BROWSER=${ANALYTICS_TEST_BROWSER:-chromium}
browser() {
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$WORK/browser-profile" --enable-logging=stderr --v=0 "$@"
}
check_in_browser() {
    local html=$1 shot=$2 expected_charts=$3
    browser --dump-dom "file://$html" >"$WORK/dom.html" 2>"$WORK/browser.log" ||
        fail "chromium could not open $html: $(tail -3 "$WORK/browser.log")"
    if grep -E 'CONSOLE|Uncaught' "$WORK/browser.log"; then fail "console messages in $html"; fi
    grep -q "<html[^>]*data-error" "$WORK/dom.html" && fail "the page reported a script error"
    local charts
    charts=$(grep -o 'data-charts="[0-9]*"' "$WORK/dom.html" | grep -o '[0-9]*' || true)
    [ "${charts:-0}" -ge "$expected_charts" ] || fail "$charts charts drawn, expected $expected_charts"
    if grep -q 'data-clipped-labels' "$WORK/dom.html"; then
        grep -q 'data-clipped-labels="0"' "$WORK/dom.html" ||
            fail "labels cut off at the edge of a chart in $html"
    fi
    browser --hide-scrollbars --window-size=1400,3600 --screenshot="$shot" "file://$html" \
        >/dev/null 2>&1 || fail "no screenshot of $html"
    python3 - "$shot" <<'PY' || fail "the screenshot does not show the charts"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    size, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + size]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + size
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), width * bpp
previous, counts = bytearray(stride), {"blue": 0, "orange": 0, "green": 0}
targets = {"blue": (47, 111, 222), "orange": (232, 131, 58), "green": (59, 162, 114)}
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = previous[i], previous[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 2):  # every other pixel is enough
        px = line[x:x + 3]
        for name, (r, g, b) in targets.items():
            if abs(px[0] - r) < 12 and abs(px[1] - g) < 12 and abs(px[2] - b) < 12:
                counts[name] += 1
    previous = line
missing = [name for name, n in counts.items() if n < 200]
print("screenshot %dx%d, chart pixels %s" % (width, height, counts))
sys.exit(1 if missing else 0)
PY
}
