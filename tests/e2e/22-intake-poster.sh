#!/usr/bin/env bash
# poster with the real binary: a well-formed A4 SVG with the QR code, the
# URL escaped in text and three lines of advice; bad URLs and existing
# files are refused with one line.
. "$(dirname "$0")/lib.sh"
IN="$BIN/candour-intake"
# the deployment's numbers, as serve shows them (a number Ofcom keeps for drama)
printf 'out_of_hours = 0306 999 0123\npolice = 112\n' > "$T/contacts.txt"
P=(--contacts "$T/contacts.txt")

"$IN" poster "${P[@]}" --url "https://concerns.example.org/report?x=1&y=2" --out "$T/p.svg" > /dev/null \
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
# the numbers are the contacts file's, not the catalogue's 999 (issue 10)
python3 - "$T/p.svg" <<'PY' || fail "the poster's numbers are not the deployment's"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
texts = ["".join(t.itertext()) for t in ET.parse(sys.argv[1]).getroot().iter(ns + "text")]
assert "If a child is in immediate danger, call 112 now." in texts, texts
assert "Children's services out of hours: 0306\u00a0999\u00a00123" in texts, texts
assert not any("999 " in t or "999." in t for t in texts), texts
PY
"$IN" poster --demo --lang cy --url https://example.org/ --out "$T/demo.svg" >/dev/null || fail "poster --demo"
grep -q 'ffoniwch 999' "$T/demo.svg" || fail "the Welsh demo poster lacks the default 999"
grep -q '0300.000.0000' "$T/demo.svg" || fail "the demo poster lacks the placeholder number"
# no numbers, the placeholder, a bad file: refused, nothing written
set +e
"$IN" poster --url https://example.org/ --out "$T/n.svg" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q -- "--contacts FILE" "$T/err" || fail "poster without numbers: $rc $(cat "$T/err")"
"$IN" poster --demo "${P[@]}" --url https://example.org/ --out "$T/n.svg" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] || fail "poster with --contacts and --demo: $rc"
"$IN" poster --contacts "$T/none.txt" --url https://example.org/ --out "$T/n.svg" 2>"$T/err"; rc=$?
[ "$rc" = 1 ] && grep -q "no contacts file" "$T/err" || fail "missing contacts: $rc $(cat "$T/err")"
echo "out_of_hours = 0300 000 0000" > "$T/ph.txt"
"$IN" poster --contacts "$T/ph.txt" --url https://example.org/ --out "$T/n.svg" 2>"$T/err"; rc=$?
[ "$rc" = 1 ] && grep -q "placeholder" "$T/err" || fail "placeholder contacts: $rc $(cat "$T/err")"
echo "police = 999; rm -rf /" > "$T/junk.txt"
"$IN" poster --contacts "$T/junk.txt" --url https://example.org/ --out "$T/n.svg" 2>"$T/err"; rc=$?
[ "$rc" = 1 ] || fail "junk contacts: $rc $(cat "$T/err")"
set -e
[ ! -e "$T/n.svg" ] || fail "a refused poster left a file"

# an onion host without a scheme gets http://
"$IN" poster "${P[@]}" --url "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion" --out "$T/o.svg" \
	> /dev/null || fail "onion poster failed"
python3 - "$T/o.svg" <<'PY' || fail "onion URL not shown"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
texts = ["".join(t.itertext()) for t in ET.parse(sys.argv[1]).getroot().iter(ns + "text")]
assert "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion" in texts, texts
PY

# refusals: one line each, nothing written
for bad in 'javascript:alert(1)' 'ftp://example.org/' 'https://' 'https://user@host/' \
	'https://exa mple.org/' 'example.org' "https://$(printf 'a%.0s' $(seq 300)).org/"; do
	if "$IN" poster "${P[@]}" --url "$bad" --out "$T/bad.svg" 2>"$T/err"; then fail "accepted URL '$bad'"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "error for '$bad' is not one line"
	[ ! -e "$T/bad.svg" ] || fail "a refused URL left a file"
done
if "$IN" poster "${P[@]}" --url https://example.org/ --out "$T/p.svg" 2>"$T/err"; then fail "overwrote a poster"; fi
grep -q 'already exists' "$T/err" || fail "overwrite message: $(cat "$T/err")"
if "$IN" poster "${P[@]}" --url https://example.org/ 2>/dev/null; then fail "poster without --out"; fi
"$IN" poster "${P[@]}" --help | grep -q 'usage: candour-intake poster' || fail "poster --help"

# Every line within the A4 margins (15 mm), whatever the catalogue's
# lengths: rendered by rsvg-convert, no ink may fall outside (issue 10).
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ink() { python3 "$REPO/tests/e2e/poster_ink.py" "$@" >/dev/null || fail "poster $1: $(python3 "$REPO/tests/e2e/poster_ink.py" "$@" 2>&1 | tail -n 1)"; }
ink "$T/p.svg" 15 "Seen something that puts a child at risk?" "https://concerns.example.org/report?x=1&y=2"
long_url="https://$(printf 'abcdefghij%.0s' $(seq 24)).org/r"
"$IN" poster "${P[@]}" --url "$long_url" --out "$T/long-url.svg" >/dev/null || fail "long URL poster"
ink "$T/long-url.svg" 15 "$long_url"
# a catalogue with long strings: many words, one unbroken 150-letter word,
# Welsh letters (two bytes each)
mkdir -p "$T/web"; cp -R "$REPO/web/." "$T/web/"
words=$(printf 'Gwelsoch chi rywbeth sy’n rhoi plentyn mewn perygl ŵyr ŷd %.0s' $(seq 6))
word=$(printf 'W%.0s' $(seq 150))
grep -v '^poster\.' "$REPO/web/locale/en.txt" > "$T/web/locale/en.txt"
{
	echo "poster.title = $words"
	echo "poster.subtitle = $word and then $words"
	echo "poster.step1 = $words"
	echo "poster.step2 = $word"
	echo "poster.step3 = $words"
	echo "poster.urgent = $words {1}"
} >> "$T/web/locale/en.txt"
"$IN" poster "${P[@]}" --url https://concerns.example.org/ --web "$T/web" --out "$T/long.svg" >/dev/null ||
	fail "a long catalogue gave no poster"
ink "$T/long.svg" 15 "$words" "$word" "https://concerns.example.org/"
# text that cannot fit A4 at any size is refused, not printed off the page
{ grep -v '^poster\.title' "$T/web/locale/en.txt"; echo "poster.title = $(printf 'word %.0s' $(seq 2000))"; } > "$T/web/locale/xx.txt"
if "$IN" poster "${P[@]}" --url https://concerns.example.org/ --web "$T/web" --lang xx --out "$T/huge.svg" 2>"$T/err"; then
	fail "an impossible poster was written"
fi
grep -q "too long for A4" "$T/err" || fail "impossible poster: $(cat "$T/err")"
[ ! -e "$T/huge.svg" ] || fail "the refused poster left a file"
echo "poster: ok"
