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
# share, such as "MB" or a phone number, are not English; the report's rpt.*
# and the command line's cli.* never reach a page). One python run
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
           if not k.startswith(("rpt.", "cli.")) and v != cy.get(k) and v not in shared]
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
# kept in $T/pages for the English check at the end. (Read by bash, with
# no process: it was five or six a page, cp, tr, greps. The same checks:
# each text a fixed string; every (href|action)="/..." of a line, as
# grep -Eo found them, printed when it drops /cy/.)
welsh_page() {
	local s m rest bad='' re='(href|action)="/[^"'$'\n'']*"'
	IFS= read -r -d '' s < "$1" || [ -r "$1" ] || fail "$2: no page"
	printf '%s' "$s" > "$T/pages/${2//[!A-Za-z0-9-]/_}"
	[[ $s == *'<html lang="cy">'* ]] || fail "$2: not <html lang='cy'>"
	# the receipt page alone has none: it is shown once (e2e 42)
	[ -n "${NO_LANG_LINK:-}" ] || [[ $s == *'hreflang="en" lang="en">English</a>'* ]] ||
		fail "$2: no English link with hreflang"
	[ -z "${ANY_LINKS:-}" ] || return 0
	rest=$s
	while [[ $rest =~ $re ]]; do
		m=${BASH_REMATCH[0]}
		rest=${rest#*"$m"}
		[[ $m =~ ^(href|action)=\"/(cy/|cy\"|static/|en/) ]] || { echo "$m"; bad=1; }
	done
	[ -z "$bad" ] || fail "$2: a link or form action that drops /cy/"
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

# get CODE NAME PATH [curl args]: queues the request (lib.sh's req; its
# page will be $P, its headers $H); gets_run sends the queue by one curl
# (a curl is ~25 ms of CPU) and checks each answer in order, as get did
# one by one: status, headers (the receipt page's with RECEIPT=receipt),
# welsh_page (with the NO_LANG_LINK and ANY_LINKS get had).
gw=() gn=() gr=() gl=() ga=()
get() {
	gw+=("$1") gn+=("$2") gr+=("${RECEIPT:-}") gl+=("${NO_LANG_LINK:-}") ga+=("${ANY_LINKS:-}")
	local path=$3
	shift 3
	req "$@" "$URL$path"
	P=$T/rq.$RQ_I H=$T/rq.$RQ_I.h
}
gets_run() {
	local i
	reqs_run
	for i in "${!gn[@]}"; do
		[ "${RQ_CODE[i]}" = "${gw[i]}" ] || fail "${gn[i]}: got ${RQ_CODE[i]}, want ${gw[i]}"
		check_headers "$T/rq.$i.h" "${gr[i]}"
		NO_LANG_LINK=${gl[i]} ANY_LINKS=${ga[i]} welsh_page "$T/rq.$i" "${gn[i]}"
	done
	gw=() gn=() gr=() gl=() ga=()
}
for p in /cy /cy/ /cy/report /cy/followup /cy/transparency; do get 200 "GET $p" "$p"; done
p_transparency=$P
gets_run
has "$p_transparency" 'href="/en/transparency"' || fail "the English link does not keep the page"
req "$URL/cy/leave"; reqs_run
[ "${RQ_CODE[0]}" = 303 ] && has -i "$T/rq.0.h" '^Location: https://' || fail "/cy/leave does not leave the site: ${RQ_CODE[0]}"

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
# (R1..R51 a line each and 201 a's, made by bash as seq and printf made them)
printf -v refs 'R%d\n' {1..51}
printf -v team '%201s' ''
get 400 "report with errors" /cy/report -F "csrf=$tok" -F "team=${team// /a}" \
	-F when=2024-13 -F "refs=${refs%$'\n'}"
p_errors=$P
get 400 "report with an expired form" /cy/report -F csrf=stale -F category=recording
# the receipt page (a child at risk: the numbers show), then follow-up
NO_LANG_LINK=1 RECEIPT=receipt get 200 "confirmation" /cy/report -F "csrf=$tok" -F category=recording \
	-F "what=Digwyddodd rhywbeth." -F risk=yes -F raised_before=no -F "file=@$REPO/README.md"
p_confirm=$P
gets_run
has "$p_errors" "<title>Gwall: " || fail "the Welsh error title does not start with Gwall: $(grep -o "<title>[^<]*" "$p_errors")"
R=$(receipt_of "$p_confirm")
[[ "$R" =~ ^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$ ]] || fail "the Welsh receipt does not read as in English: '$R'"
curl -s -o "$T/e" "$URL/cy/followup"; tok=$(csrf_of "$T/e")
typo=${R:0:23}7; [ "${R:23:1}" = 7 ] && typo=${R:0:23}8
rs=("" "not a receipt" "$typo" "ABCD-EFGH-JKMN-PQRS-TVWX")
for r in "${rs[@]}"; do req --data-urlencode "csrf=$tok" --data-urlencode "receipt=$r" "$URL/cy/followup"; done
reqs_run
for i in "${!rs[@]}"; do
	r=${rs[i]}
	[ "${RQ_CODE[i]:0:1}" = 4 ] || fail "receipt '$r' gave ${RQ_CODE[i]}"
	welsh_page "$T/rq.$i" "receipt '$r'"
done
code=$(curl -s -c "$T/jar" -D "$T/h" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R" "$URL/cy/followup")
[ "$code" = 303 ] || fail "receipt entry gave $code"
grep -qi "^Location: /cy/followup"$'\r'"\$" "$T/h" || fail "the redirect drops /cy/"
# the session cookie the jar holds, sent as -b NAME=VALUE (req takes no
# cookie file; -b JAR, never written back, sent just this one)
while IFS=$'\t' read -r -a c; do [ "${c[5]:-}" != candour_s ] || sess="candour_s=${c[6]}"; done < "$T/jar"
[ -n "${sess:-}" ] || fail "no session cookie in the jar"
get 200 "follow-up" /cy/followup -b "$sess"
gets_run
tok=$(csrf_of "$P")
get 400 "empty message" /cy/followup/message -b "$sess" -F "csrf=$tok" -F "text= "
get 200 "sent" /cy/followup/message -b "$sess" -F "csrf=$tok" -F "text=Rhagor."
get 200 "follow-up with a message" /cy/followup -b "$sess"
gets_run
if has -i "$H" 'set-cookie'; then fail "the language set a cookie"; fi

# A first visit follows Accept-Language; the URL wins over it; nothing kept.
req -H 'Accept-Language: cy-GB, en;q=0.8' "$URL/"
req -H 'Accept-Language: cy;q=0, en' "$URL/"
req -H 'Accept-Language: cy' "$URL/en/"
req "$URL/"
reqs_run
welsh_page "$T/rq.0" "Accept-Language cy"
has "$T/rq.1" '<html lang="en">' || fail "cy;q=0 chose Welsh"
has "$T/rq.2" '<html lang="en">' || fail "/en/ did not win over Accept-Language"
has "$T/rq.2" 'href="/en/report"' || fail "/en/ links drop /en/"
has "$T/rq.3" '<html lang="en">' || fail "a Welsh visit changed the next visit's language"
has "$T/rq.3" 'hreflang="cy" lang="cy">Cymraeg</a>' || fail "no Cymraeg link on the English page"
has "$T/rq.3" 'href="/report"' || fail "default-language links changed"
stop_intake

# serve --lang cy: Welsh by default, /en/ English; an unknown language is a usage error
start_intake --lang cy
req "$URL/report"; req "$URL/en/report"; reqs_run
ANY_LINKS=1 welsh_page "$T/rq.0" "--lang cy default"
has "$T/rq.0" 'action="/report"' || fail "--lang cy: the default language's links carry a prefix"
has "$T/rq.1" '<html lang="en">' || fail "/en/ under --lang cy not English"
stop_intake
set +e
"$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys" --lang fr 2> "$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- '--lang' "$T/err" || fail "--lang fr gave exit $rc: $(cat "$T/err")"
english_in "$T/pages"/* || fail "English on a Welsh page (above)"
echo "Welsh pages OK: $(ls "$T/pages" | wc -l) pages checked"
