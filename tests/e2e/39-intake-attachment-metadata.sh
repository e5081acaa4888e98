#!/usr/bin/env bash
# Attachments lose their hidden metadata, through the real server and back
# out of the real review tool: a JPEG with GPS, author, device, XMP, IPTC
# and a comment (made here with exiftool), a large JPEG past the cleaner's
# hold, a PNG with a tEXt Author, a WebP with EXIF and XMP; exiftool finds
# nothing in them afterwards but the picture's own structure (and the JPEG's
# orientation, kept on purpose), and each decodes to the same pixels. A
# truncated JPEG and a PDF come out byte for byte as sent. The receipt page
# lists each file with its size and says which were cleaned.
# Skipped, saying so, without exiftool, ImageMagick or the webp tools.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
for t in exiftool convert compare cwebp dwebp; do
	command -v "$t" > /dev/null || { echo "skipped: no $t"; exit 0; }
done
RV=$BIN/candour-review
I=$T/img
mkdir -p "$I"
meta=(-Artist="Jane Reporter" -GPSLatitude=51.4816 -GPSLatitudeRef=N -GPSLongitude=3.1791
	-GPSLongitudeRef=W -Make=Acme -Model="Phone 9" -XMP:Creator="Jane Reporter")

convert -size 96x64 gradient:red-blue -quality 90 "$I/photo.jpg"
convert -size 700x700 xc: +noise Random -quality 95 "$I/big.jpg"
convert -size 40x30 gradient:green-yellow "$I/shot.png"
convert -size 50x40 gradient:blue-white "$I/w.png"
cwebp -quiet -q 80 "$I/w.png" -o "$I/pic.webp" || fail "cwebp"
convert -size 400x400 xc: +noise Random "$I/noise.png"
cwebp -quiet -lossless "$I/noise.png" -o "$I/bigpic.webp" || fail "cwebp lossless"
# one exiftool run (perl starts once) writes the metadata of all four
exiftool "${meta[@]}" -Orientation#=6 -IPTC:By-line="Jane Reporter" \
	-Comment="Jane's phone" -ThumbnailImage'<='"$I/photo.jpg" "$I/photo.jpg" \
	-execute "${meta[@]}" "$I/big.jpg" -execute "${meta[@]}" "$I/pic.webp" -execute "${meta[@]}" "$I/bigpic.webp" \
	-execute -PNG:Author="Jane Reporter" -PNG:Comment="from Jane" -XMP:Creator="Jane Reporter" \
	"$I/shot.png" -common_args -q -overwrite_original 2> /dev/null \
	|| fail "exiftool could not write the fixtures"
for f in big.jpg bigpic.webp; do
	[ "$(stat -c %s "$I/$f")" -gt $((300 * 1024)) ] || fail "$f is not past the hold"
done
head -c 1500 "$I/photo.jpg" > "$I/cut.jpg"
printf '%%PDF-1.4\n1 0 obj << /Author (Jane Reporter) >> endobj\n%%%%EOF\n' > "$I/notes.pdf"

# tags of each file, one exiftool run: DIR/NAME.tags ("Group:Tag" lines)
# and DIR/NAME.raw (what exiftool printed)
tags_of() {
	local dir=$1; shift
	(cd "$dir" && exiftool -a -G1 -s "$@" 2> /dev/null) | awk -v d="$dir" '
		/^======== / { f = d "/" substr($0, 10) ; next }
		f != "" && /^\[/ { print > (f ".raw"); t = $0
			sub(/^\[/, "", t); g = t; sub(/\].*/, "", g); sub(/^[^]]*\] */, "", t)
			sub(/[ :].*/, "", t); print g ":" t > (f ".tags") }'
	[ $# -gt 1 ] || fail "tags_of needs two files or more (exiftool prints no header for one)"
}

# the fixtures do carry what must go (else this test proves nothing)
tags_of "$I" photo.jpg big.jpg shot.png pic.webp bigpic.webp
for f in photo.jpg big.jpg shot.png pic.webp bigpic.webp; do
	grep -q 'Jane Reporter' "$I/$f.raw" || fail "fixture $f has no author"
done
grep -q '^GPS:GPSLatitude$' "$I/photo.jpg.tags" || fail "fixture has no GPS"
grep -q '^IFD1:ThumbnailImage$' "$I/photo.jpg.tags" || fail "fixture has no thumbnail"

start_intake
files=(photo.jpg big.jpg shot.png pic.webp bigpic.webp cut.jpg notes.pdf)
args=()
for f in "${files[@]}"; do args+=(-F "file=@$I/$f"); done
code=$(submit_concern "$T/c" -F "what=Photos of the referral log." "${args[@]}")
[ "$code" = 200 ] || fail "submission gave $code: $(head -c 300 "$T/c")"
# a follow-up message's page lists its files the same way
R=$(receipt_of "$T/c")
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$(csrf_of "$T/e")" \
	--data-urlencode "receipt=$R" "$URL/followup"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
code=$(curl -s -b "$T/jar" -o "$T/sent" -w '%{http_code}' -F "csrf=$(csrf_of "$T/f")" \
	-F "text=One more photo." -F "file=@$I/photo.jpg" -F "file=@$I/notes.pdf" "$URL/followup/message")
[ "$code" = 200 ] || fail "follow-up gave $code"
grep -q '<span class="file-name">photo.jpg</span>.*<br>Hidden details in this picture' "$T/sent" \
	|| fail "the sent page does not say photo.jpg was cleaned"
grep -q '<span class="file-name">notes.pdf</span>.*<br>Stored as you sent it' "$T/sent" \
	|| fail "the sent page does not warn about the PDF"
# memory stays flat while a 32 MiB JPEG is walked to its end and cleaned
# (scan bytes without FF; a COM segment to remove at the start)
{ printf '\377\330\377\376\000\006Jane\377\332\000\002'
	head -c $((32 * 1024 * 1024)) /dev/urandom | tr '\377' '\376'; printf '\377\331'; } > "$T/huge.jpg"
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
echo 5 > "/proc/$HTTP/clear_refs" 2> /dev/null || true
before=$(hwm "$HTTP")
code=$(curl -s -b "$T/jar" -o "$T/sent2" -w '%{http_code}' -F "csrf=$(csrf_of "$T/f")" \
	-F "text=A big one." -F "file=@$T/huge.jpg" "$URL/followup/message")
[ "$code" = 200 ] || fail "32 MiB follow-up gave $code"
h=$(hwm "$HTTP")
echo "32 MiB JPEG cleaned: http VmHWM ${h} kB (${before} kB before)"
# (under valgrind, run.sh e2e, the figure is valgrind's own memory: 68 MiB
# before the upload; the rest of the script still runs under it)
if [ -n "${CANDOUR_UNDER_VALGRIND:-}" ]; then
	echo "http peak RSS not checked: the http process runs under valgrind"
else
	[ "$h" -lt $((16 * 1024)) ] || fail "http peak RSS ${h} kB >= 16 MiB while cleaning"
fi
grep -q '<span class="file-name">huge.jpg</span>.*<br>Hidden details in this picture' "$T/sent2" \
	|| fail "the 32 MiB JPEG was not cleaned"
stop_intake

# the receipt page: each file, its size, what happened to it
python3 - "$T/c" "$I" <<'PY' || fail "the receipt page does not list the files right"
import html, os, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
items = re.findall(r'<li><span class="file-name">([^<]*)</span> <span class="file-size">\(([^)]*)\)</span><br>(.*?)</li>', page, re.S)
names = [html.unescape(n) for n, _, _ in items]
want = ["photo.jpg", "big.jpg", "shot.png", "pic.webp", "bigpic.webp", "cut.jpg", "notes.pdf"]
assert names == want, names
for (n, size, text) in items:
    n = html.unescape(n)
    real = os.path.getsize(os.path.join(sys.argv[2], n))
    num, unit = size.split(" ")
    scale = {"bytes": 1, "kB": 1e3, "MB": 1e6}[unit]
    assert abs(float(num) * scale - real) <= 0.05 * scale + 0.5, (n, size, real)
    text = html.unescape(text)
    if n in ("cut.jpg",):
        assert "could not read this picture" in text, (n, text)
    elif n == "notes.pdf":
        assert "author name" in text, (n, text)
    else:
        assert "were removed" in text, (n, text)
PY

# out through the review tool
"$BIN/candour-intake" export --db "$DB" --out "$T/b" > /dev/null || fail "export"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
A=(--casebook "$T/a.db" --key "$T/secret/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b" > /dev/null || fail "import"
ID=$("$RV" list "${A[@]}" --format csv | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
[ -n "$ID" ] || fail "no concern in the casebook"
mkdir -p "$T/out"
n=0
for f in "${files[@]}"; do
	n=$((n + 1))
	"$RV" attachment "${A[@]}" "$ID" "$n" --out "$T/out/$f" 2> /dev/null || fail "attachment $n"
done

# Only these tags may remain: the picture's structure, and the JPEG's
# orientation. Anything else exiftool reports (Author, GPS, Make, XMP,
# IPTC, Comment, dates, thumbnails...) fails the test.
allowed='^(ExifTool|System|File|Composite|JFIF|ICC_Profile|ICC-header|ICC-view|ICC-meas):|^PNG:(ImageWidth|ImageHeight|BitDepth|ColorType|Compression|Filter|Interlace|Gamma|WhitePointX|WhitePointY|RedX|RedY|GreenX|GreenY|BlueX|BlueY|BackgroundColor|SRGBRendering)$|^RIFF:(WebP_Flags|ImageWidth|ImageHeight|VP8Version|HorizontalScale|VerticalScale|AlphaPreprocessing|AlphaFiltering|AlphaCompression)$'
tags_of "$T/out" photo.jpg big.jpg shot.png pic.webp bigpic.webp
for f in photo.jpg big.jpg shot.png pic.webp bigpic.webp; do
	left=$(grep -Ev "$allowed" "$T/out/$f.tags" | grep -v '^IFD0:Orientation$' || true)
	if [ "$f" != photo.jpg ]; then left="$left$(grep '^IFD0:Orientation$' "$T/out/$f.tags" || true)"; fi
	[ -z "$left" ] || fail "$f still carries: $(echo $left)"
	if grep -qi 'jane\|acme\|phone 9\|gps' "$T/out/$f.raw"; then fail "$f still names Jane or a place"; fi
done
grep -q '^\[IFD0\] *Orientation *: Rotate 90 CW$' "$T/out/photo.jpg.raw" \
	|| fail "the JPEG lost its orientation (6, rotate 90 CW)"

# the same pixels, decoded (ImageMagick does not apply the orientation)
for f in photo.jpg big.jpg shot.png pic.webp bigpic.webp; do
	ae=$(compare -quiet -metric AE "$I/$f" "$T/out/$f" null: 2>&1) || true
	[ "$ae" = 0 ] || fail "$f decodes to other pixels (AE $ae)"
done
for f in pic.webp bigpic.webp; do # the big one had its EXIF overwritten, not cut
	dwebp -quiet "$I/$f" -ppm -o "$T/p1.ppm" && dwebp -quiet "$T/out/$f" -ppm -o "$T/p2.ppm" \
		|| fail "dwebp refused $f"
	cmp -s "$T/p1.ppm" "$T/p2.ppm" || fail "$f decodes to other pixels by dwebp"
done
# the pixel check can fail: a changed picture is caught
convert "$I/shot.png" -fill red -draw 'point 3,3' "$T/changed.png"
ae=$(compare -quiet -metric AE "$I/shot.png" "$T/changed.png" null: 2>&1) || true
[ "$ae" != 0 ] || fail "compare did not see a changed pixel"

# a bad picture and a document: exactly as sent
cmp -s "$I/cut.jpg" "$T/out/cut.jpg" || fail "the truncated JPEG was not stored as sent"
cmp -s "$I/notes.pdf" "$T/out/notes.pdf" || fail "the PDF was not stored as sent"
echo "attachment metadata OK"
