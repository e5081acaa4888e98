#!/usr/bin/env bash
# Requests answered at once on libmicrohttpd's pool threads each render in
# their own language, with their own links and their own "Leave this site"
# target. The language, link prefix and leave link were once fields of the
# one shared struct http_app, written by every request's handler call: a
# /cy/ page could come out in English, with /en/ links, or, worse, a page
# for a reporter with a session could offer the neutral leave URL (which
# leaves the replies behind the back button) instead of /leave. Several
# clients, on separate processes and keep-alive connections, alternate
# /cy/ and /en/ pages with and without a session cookie for a few seconds;
# every response must match its own request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
LEAVE='https://weather.example/today'
start_intake --leave-url "$LEAVE"

cat > "$T/race.py" <<'PY'
import http.client, multiprocessing, re, sys, time
host, port = sys.argv[1].rsplit("//", 1)[1].split(":")
leave, secs = sys.argv[2], float(sys.argv[3])
PATHS = ["/", "/report", "/transparency", "/followup"]
COOKIE = "candour_s=" + "ab" * 32  # no such session: still a cookie

def check(lang, path, cookie, page):
    other = "en" if lang == "cy" else "cy"
    bad = []
    m = re.search(r'<html lang="([a-z]+)"', page)
    if not m or m.group(1) != lang:
        bad.append("html lang %s" % (m.group(1) if m else None))
    links = re.findall(r'(?:href|action)="(/[^"]*)"([^>]*)', page)
    mine = [u for u, _ in links if u.startswith("/" + lang + "/")]
    if "/%s/report" % lang not in mine:
        bad.append("no /%s/report link" % lang)
    want_switch = "/" + other + ("/" if path == "/" else path)
    for u, rest in links:
        if u.startswith("/static/") or u in mine:
            continue
        if u == want_switch and 'hreflang="%s"' % other in rest:
            continue
        bad.append("link " + u)
    lv = re.search(r'class="leave" href="([^"]*)"', page)
    want = "/%s/leave" % lang if cookie else leave
    if not lv or lv.group(1) != want:
        bad.append("leave %s" % (lv.group(1) if lv else None))
    return bad

def client(k):
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    n, wrong, end, i = 0, [], time.monotonic() + secs, k
    while time.monotonic() < end:
        lang = ("cy", "en")[i % 2]
        cookie = (i // 2) % 2 == 1
        path = PATHS[(i // 4) % len(PATHS)]
        i += 1
        url = "/" + lang + ("/" if path == "/" else path)
        conn.request("GET", url, headers={"Cookie": COOKIE} if cookie else {})
        r = conn.getresponse()
        page = r.read().decode("utf-8")
        if r.status != 200:
            wrong.append("%s: status %d" % (url, r.status))
            continue
        n += 1
        bad = check(lang, path, cookie, page)
        if bad:
            wrong.append("%s%s: %s" % (url, " (cookie)" if cookie else "", "; ".join(bad)))
    return n, wrong

if __name__ == "__main__":
    with multiprocessing.Pool(6) as p:
        res = p.map(client, range(6))
    n = sum(r[0] for r in res)
    wrong = [w for r in res for w in r[1]]
    print("%d pages, %d wrong" % (n, len(wrong)))
    for w in wrong[:5]:
        print("  " + w)
    if n < 200:
        sys.exit("too few pages to show anything: %d" % n)
    sys.exit(1 if wrong else 0)
PY
python3 "$T/race.py" "$URL" "$LEAVE" "${RACE_SECS:-4}" > "$T/race.out" 2>&1 ||
	fail "pages answered at once mixed their requests: $(head -n 6 "$T/race.out")"


# The checks themselves: a page in the other language, a session's page
# with the neutral leave link, and a wrong switch link are each caught.
python3 - "$T/race.py" "$LEAVE" <<'PY' || fail "the race check misses a mixed page"
import importlib.util, sys
spec = importlib.util.spec_from_file_location("race", sys.argv[1])
race = importlib.util.module_from_spec(spec)
sys.argv = ["race", "//127.0.0.1:1", sys.argv[2], "0"]
spec.loader.exec_module(race)
ok = ('<html lang="cy"><a href="/cy/report">r</a>'
      '<a href="/en/report" hreflang="en" lang="en">English</a>'
      '<a class="leave" href="/cy/leave" rel="noreferrer">x</a>')
assert race.check("cy", "/report", True, ok) == [], race.check("cy", "/report", True, ok)
assert race.check("en", "/report", True, ok)
assert race.check("cy", "/report", False, ok)
assert race.check("cy", "/transparency", True, ok)
assert race.check("cy", "/report", True, ok.replace('"/cy/report"', '"/en/report"'))
PY
stop_intake
echo "lang race OK: $(head -n 1 "$T/race.out")"
