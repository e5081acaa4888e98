#!/usr/bin/env bash
# poster with the real binary: a well-formed A4 SVG with the QR code, the
# URL escaped in text and three lines of advice; bad URLs and existing
# files are refused with one line.
. "$(dirname "$0")/lib.sh"
IN="$BIN/candour-intake"

"$IN" poster --url "https://concerns.example.org/report?x=1&y=2" --out "$T/p.svg" > /dev/null \
	|| fail "poster failed"
python3 - "$T/p.svg" <<'PY' || fail "poster is not the expected SVG"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg" and root.get("width") == "210mm" and root.get("height") == "297mm"
texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
assert "https://concerns.example.org/report?x=1&y=2" in texts, texts
assert sum(1 for t in texts if t[:2] in ("1.", "2.", "3.")) == 3, texts
paths = [p for p in root.iter(ns + "path") if p.get("d", "").startswith("M")]
assert paths and paths[0].get("d").count("h1v1h-1z") > 100, "no QR modules"
for el in root.iter():
    assert not el.tag.endswith("script") and not el.tag.endswith("image") and not el.tag.endswith("foreignObject")
    for k, v in el.attrib.items():
        assert not k.startswith("on"), k
        assert "http" not in v or k == "xmlns" or v.startswith("http://www.w3.org/"), (k, v)
PY
grep -q '&amp;y=2' "$T/p.svg" || fail "ampersand not escaped"

# an onion host without a scheme gets http://
"$IN" poster --url "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion" --out "$T/o.svg" \
	> /dev/null || fail "onion poster failed"
grep -q 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion' "$T/o.svg" \
	|| fail "onion URL not shown"

# refusals: one line each, nothing written
for bad in 'javascript:alert(1)' 'ftp://example.org/' 'https://' 'https://user@host/' \
	'https://exa mple.org/' 'example.org' "https://$(printf 'a%.0s' $(seq 300)).org/"; do
	if "$IN" poster --url "$bad" --out "$T/bad.svg" 2>"$T/err"; then fail "accepted URL '$bad'"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "error for '$bad' is not one line"
	[ ! -e "$T/bad.svg" ] || fail "a refused URL left a file"
done
if "$IN" poster --url https://example.org/ --out "$T/p.svg" 2>"$T/err"; then fail "overwrote a poster"; fi
grep -q 'already exists' "$T/err" || fail "overwrite message: $(cat "$T/err")"
if "$IN" poster --url https://example.org/ 2>/dev/null; then fail "poster without --out"; fi
"$IN" poster --help | grep -q 'usage: candour-intake poster' || fail "poster --help"
echo "poster: ok"
