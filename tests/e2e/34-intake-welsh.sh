#!/usr/bin/env bash
# Every page and error page in Welsh: a visit under /cy/ shows no English
# catalogue value (each en.txt value that differs from its cy.txt value),
# says <html lang="cy">, offers "English" with hreflang, and keeps /cy/ in
# every link, form action and redirect. A first visit follows
# Accept-Language; serve --lang cy makes Welsh the default and /en/ English.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --max-upload 65536

# english_in FILE...: names each page showing an English catalogue value
# (an en.txt value that differs from its cy.txt value; values the two
# share, such as "MB" or a phone number, are not English). One python run
# for all pages: starting python costs seconds on a loaded machine.
cat > "$T/check.py" <<'PY'
import html, re, sys
def load(p):
    d = {}
    for l in open(p, encoding="utf-8"):
        l = l.strip()
        if l and not l.startswith("#") and "=" in l:
            k, v = l.split("=", 1)
            d[k.strip()] = v.strip()
    return d
en, cy = load(sys.argv[1]), load(sys.argv[2])
shared = set(cy.values())
english = [(k, v) for k, v in sorted(en.items())
           if not k.startswith("rpt.") and v != cy.get(k) and v not in shared]
if len(english) < 150:
    sys.exit("too few English values to look for: %d" % len(english))
failed = 0
for f in sys.argv[3:]:
    page = re.sub(r"<!--.*?-->", "", open(f, encoding="utf-8").read(), flags=re.S)
    texts = {html.unescape(t).strip() for t in re.findall(r">([^<]*)<", page)}
    attrs = {html.unescape(a) for a in
             re.findall(r'(?:alt|aria-label|value|placeholder|title)="([^"]*)"', page)}
    body = html.unescape(re.sub(r"<[^>]*>", " ", page))
    # short values ("Send", "Files") as whole texts, longer ones anywhere
    bad = [f"{k} = {v}" for k, v in english
           if (len(v) >= 12 and v in body) or v in texts or v in attrs]
    if bad:
        print(f.rsplit("/", 1)[-1] + ": " + "; ".join(bad))
        failed += 1
sys.exit(1 if failed else 0)
PY
english_in() { python3 "$T/check.py" "$REPO/web/locale/en.txt" "$REPO/web/locale/cy.txt" "$@"; }
mkdir -p "$T/pages" "$T/planted"

# welsh_page FILE NAME: lang, switch link and /cy/ links now; the page is
# kept in $T/pages for the English check at the end.
welsh_page() {
	cp "$1" "$T/pages/$(printf '%s' "$2" | tr -c 'A-Za-z0-9-' '_')"
	grep -q '<html lang="cy">' "$1" || fail "$2: not <html lang='cy'>"
	# the receipt page alone has none: it is shown once (e2e 38)
	[ -n "${NO_LANG_LINK:-}" ] || grep -q 'hreflang="en" lang="en">English</a>' "$1" ||
		fail "$2: no English link with hreflang"
	if [ -z "${ANY_LINKS:-}" ] && grep -Eo '(href|action)="/[^"]*"' "$1" | grep -Ev '="/(cy/|cy"|static/|en/)'; then
		fail "$2: a link or form action that drops /cy/"
	fi
}

# The checker itself fires: English values planted in a Welsh page.
curl -s -o "$T/p" "$URL/cy/"
welsh_page "$T/p" "home"
sed 's|</main>|<p>Raise a concern about children'"'"'s services</p></main>|' "$T/p" > "$T/planted/long"
sed 's|</main>|<button>Send</button></main>|' "$T/p" > "$T/planted/short"
cp "$T/p" "$T/planted/clean"
if english_in "$T/planted"/* > "$T/planted.out"; then fail "the English check missed planted values"; fi
[ "$(cut -d: -f1 "$T/planted.out" | sort | tr '\n' ' ')" = "long short " ] ||
	fail "the English check reported: $(cat "$T/planted.out")"

# get CODE NAME PATH [curl args]
get() {
	local want=$1 name=$2 path=$3; shift 3
	code=$(curl -s -D "$T/h" -o "$T/p" -w '%{http_code}' "$@" "$URL$path" || true)
	[ "$code" = "$want" ] || fail "$name: got $code, want $want"
	check_headers "$T/h" "${RECEIPT:-}"
	welsh_page "$T/p" "$name"
}
for p in /cy /cy/ /cy/report /cy/followup /cy/transparency; do get 200 "GET $p" "$p"; done
grep -q 'href="/en/transparency"' "$T/p" || fail "the English link does not keep the page"
code=$(curl -s -D "$T/h" -o /dev/null -w '%{http_code}' "$URL/cy/leave")
[ "$code" = 303 ] && grep -qi '^Location: https://' "$T/h" || fail "/cy/leave does not leave the site: $code"

# error pages
curl -s -o "$T/form" "$URL/cy/report"; tok=$(csrf_of "$T/form")
head -c 200000 /dev/urandom > "$T/big"
get 404 "404" /cy/admin
get 405 "405" /cy/report -X DELETE
get 405 "405 on a GET page" /cy/transparency --data a=b
get 415 "415" /cy/report -H 'Content-Type: text/plain' --data x
get 413 "413" /cy/report -F "csrf=$tok" -F "file=@$T/big"
get 403 "403" /cy/report -H 'Origin: https://attacker.example' -F "csrf=$tok"
get 400 "400" /cy/followup -H 'Content-Type: multipart/form-data; boundary=x' --data $'--x\r\nbroken'
# the report form with every field wrong, and with a stale form
refs=$(for i in $(seq 1 51); do printf 'R%d\n' "$i"; done)
get 400 "report with errors" /cy/report -F "csrf=$tok" -F "team=$(printf 'a%.0s' $(seq 1 201))" \
	-F when=2024-13 -F "refs=$refs"
grep -q "<title>Gwall: " "$T/p" || fail "the Welsh error title does not start with Gwall: $(grep -o "<title>[^<]*" "$T/p")"
get 400 "report with an expired form" /cy/report -F csrf=stale -F category=recording
# the receipt page (a child at risk: the numbers show), then follow-up
NO_LANG_LINK=1 RECEIPT=receipt get 200 "confirmation" /cy/report -F "csrf=$tok" -F category=recording \
	-F "what=Digwyddodd rhywbeth." -F risk=yes -F raised_before=no -F "file=@$REPO/README.md"
R=$(receipt_of "$T/p")
[[ "$R" =~ ^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$ ]] || fail "the Welsh receipt does not read as in English: '$R'"
curl -s -o "$T/e" "$URL/cy/followup"; tok=$(csrf_of "$T/e")
for r in "" "not a receipt" "${R:0:23}$([ "${R:23:1}" = 7 ] && echo 8 || echo 7)" "ABCD-EFGH-JKMN-PQRS-TVWX"; do
	code=$(curl -s -o "$T/p" -w '%{http_code}' --data-urlencode "csrf=$tok" --data-urlencode "receipt=$r" "$URL/cy/followup")
	[ "${code:0:1}" = 4 ] || fail "receipt '$r' gave $code"
	welsh_page "$T/p" "receipt '$r'"
done
code=$(curl -s -c "$T/jar" -D "$T/h" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R" "$URL/cy/followup")
[ "$code" = 303 ] || fail "receipt entry gave $code"
grep -qi "^Location: /cy/followup"$'\r'"\$" "$T/h" || fail "the redirect drops /cy/"
get 200 "follow-up" /cy/followup -b "$T/jar"
tok=$(csrf_of "$T/p")
get 400 "empty message" /cy/followup/message -b "$T/jar" -F "csrf=$tok" -F "text= "
get 200 "sent" /cy/followup/message -b "$T/jar" -F "csrf=$tok" -F "text=Rhagor."
get 200 "follow-up with a message" /cy/followup -b "$T/jar"
if grep -qi 'set-cookie' "$T/h"; then fail "the language set a cookie"; fi

# A first visit follows Accept-Language; the URL wins over it; nothing kept.
curl -s -H 'Accept-Language: cy-GB, en;q=0.8' -o "$T/p" "$URL/"
welsh_page "$T/p" "Accept-Language cy"
curl -s -H 'Accept-Language: cy;q=0, en' -o "$T/p" "$URL/"
grep -q '<html lang="en">' "$T/p" || fail "cy;q=0 chose Welsh"
curl -s -H 'Accept-Language: cy' -o "$T/p" "$URL/en/"
grep -q '<html lang="en">' "$T/p" || fail "/en/ did not win over Accept-Language"
grep -q 'href="/en/report"' "$T/p" || fail "/en/ links drop /en/"
curl -s -o "$T/p" "$URL/"
grep -q '<html lang="en">' "$T/p" || fail "a Welsh visit changed the next visit's language"
grep -q 'hreflang="cy" lang="cy">Cymraeg</a>' "$T/p" || fail "no Cymraeg link on the English page"
grep -q 'href="/report"' "$T/p" || fail "default-language links changed"
stop_intake

# serve --lang cy: Welsh by default, /en/ English; an unknown language is a usage error
start_intake --lang cy
curl -s -o "$T/p" "$URL/report"
ANY_LINKS=1 welsh_page "$T/p" "--lang cy default"
grep -q 'action="/report"' "$T/p" || fail "--lang cy: the default language's links carry a prefix"
curl -s -o "$T/p" "$URL/en/report"
grep -q '<html lang="en">' "$T/p" || fail "/en/ under --lang cy not English"
stop_intake
set +e
"$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys" --lang fr 2> "$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- '--lang' "$T/err" || fail "--lang fr gave exit $rc: $(cat "$T/err")"
english_in "$T/pages"/* || fail "English on a Welsh page (above)"
echo "Welsh pages OK: $(ls "$T/pages" | wc -l) pages checked"
