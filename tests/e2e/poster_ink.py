# Renders a poster SVG with rsvg-convert and checks that no ink (a pixel
# darker than near-white) falls outside the A4 page's margins, and that
# every word of the given strings is on the page. Used by 22-intake-poster.sh.
# Usage: poster_ink.py SVG MARGIN_MM [EXPECTED-TEXT...]
import struct, subprocess, sys, tempfile, zlib, os
import xml.etree.ElementTree as ET

PX_PER_MM = 2

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows

svg, margin = sys.argv[1], float(sys.argv[2])
png = tempfile.mktemp(suffix=".png")
subprocess.run(["rsvg-convert", "-w", str(210 * PX_PER_MM), "-h", str(297 * PX_PER_MM),
                "-b", "white", "-o", png, svg], check=True)
w, h, bpp, rows = read_png(png)
os.unlink(png)
lo, hi_x, hi_y = margin * PX_PER_MM, (210 - margin) * PX_PER_MM, (297 - margin) * PX_PER_MM
ink, outside = 0, []
for y, row in enumerate(rows):
    for x in range(w):
        r, g, b = row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]
        if min(r, g, b) < 200:
            ink += 1
            if x < lo or x >= hi_x or y < lo or y >= hi_y:
                outside.append((x, y))
if outside:
    xs, ys = [p[0] for p in outside], [p[1] for p in outside]
    sys.exit("ink outside the %g mm margins: %d pixels, x %.1f..%.1f mm, y %.1f..%.1f mm" % (
        margin, len(outside), min(xs) / PX_PER_MM, max(xs) / PX_PER_MM,
        min(ys) / PX_PER_MM, max(ys) / PX_PER_MM))
assert ink > 5000, "almost no ink: %d pixels" % ink
ns = "{http://www.w3.org/2000/svg}"
page = "".join("".join(t.itertext()) for t in ET.parse(svg).getroot().iter(ns + "text"))
page = page.replace(" ", "")
for want in sys.argv[3:]:
    assert want.replace(" ", "") in page, "text missing from the poster: %r" % want[:60]
print("poster ink inside the margins (%d dark pixels)" % ink)
