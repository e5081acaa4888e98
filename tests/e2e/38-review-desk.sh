#!/usr/bin/env bash
# candour-review desk, from outside, with curl: the one-time token becomes
# an HttpOnly SameSite=Strict cookie once (a reused, wrong or cross-site
# token is refused, and a foreign Host or Origin does not even spend it);
# requests without the cookie, with a foreign Host (DNS rebinding), a
# cross-site Origin or Sec-Fetch-Site, or a POST without the form token
# are refused with 403; the passphrase page unlocks; the inbox shows what
# `list` shows; the process runs under its seccomp filter and cannot make
# a network connection (the probe that connects from `sleep` cannot from
# the desk); a near referral is confirmed and rejected from the concern
# page and audited and shown exactly as link / unlink do; the governance
# report's preview and saved file (and signature) are the bytes `report`
# writes, and a report not made says the reason `report` prints (a
# concern's answers damaged in the file; English and Welsh); SIGTERM and
# the idle timeout end it.
# e2e: first
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
. "$(dirname "$0")/desk_lib.bash"
desk_casebook
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" import "${A[@]}" "$T/b2" > /dev/null || fail "import b2"

# the probe: preloaded into a plain process it connects, else the proof is void
port=$(free_port)
python3 -c '
import socket,sys
s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(8)
while True:
    c,_=s.accept(); c.close()' "$port" &
track_pid $!
tool desk_probe.so # tests/e2e/desk_probe.c, built by make tests
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; nap 0.1; done
touch "$T/go"
PROBE_GO=$T/go PROBE_OUT=$T/probe.plain PROBE_PORT=$port LD_PRELOAD=$BIN/tests/e2e/desk_probe.so sleep 2
grep -q CONNECTED "$T/probe.plain" || fail "the probe cannot connect from a plain process: the test proves nothing"
rm -f "$T/go"

export PROBE_GO=$T/go PROBE_OUT=$T/probe.desk PROBE_PORT=$port
LD_PRELOAD=$BIN/tests/e2e/desk_probe.so start_desk
unset PROBE_GO PROBE_OUT PROBE_PORT
grep -q '^Seccomp:[[:space:]]*2' "/proc/$DESK_PID/status" || fail "the desk runs without a seccomp filter"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$DESK_PID/status" || fail "the desk can shed its filter (no-new-privs unset)"
touch "$T/go"
for _ in $(seq 1 50); do [ -s "$T/probe.desk" ] && break; nap 0.1; done
grep -q '^BLOCKED 13$' "$T/probe.desk" || fail "a thread of the desk could connect: $(cat "$T/probe.desk" 2>/dev/null)"
# the desk listens on loopback only, and on one socket
ss -ltnp 2>/dev/null | grep "pid=$DESK_PID," > "$T/ss" || true
if [ -s "$T/ss" ]; then
	[ "$(wc -l < "$T/ss")" = 1 ] || fail "the desk listens on more than one socket: $(cat "$T/ss")"
	has "$T/ss" "127.0.0.1:$DESK_PORT " || fail "the desk listens beyond loopback: $(cat "$T/ss")"
fi

TOKEN=${DESK_URL##*token=}
H="127.0.0.1:$DESK_PORT"
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
# the intake's headers, but Referrer-Policy same-origin: with no-referrer a
# browser posts "Origin: null", which the gate must refuse
desk_headers() {
	local h=$1
	grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"$'\r'"\$" "$h" || fail "CSP missing or wrong in $h"
	has -i "$h" "^Referrer-Policy: same-origin" || fail "Referrer-Policy missing in $h"
	has -i "$h" "^X-Content-Type-Options: nosniff" || fail "nosniff missing in $h"
	has -i "$h" "^Cache-Control: no-store" || fail "Cache-Control missing in $h"
	has -i "$h" "^X-Frame-Options: DENY" || fail "X-Frame-Options missing in $h"
	if has -i "$h" "^Server:"; then fail "a Server header in $h"; fi
}
refused() { # refused WHAT [curl args]: 403 with the refusal page
	local what=$1; shift
	local c; c=$(code "$@")
	refused_is "$what" "$c" "$T/body"
}
refused_is() { # WHAT CODE BODY: refused's checks
	[ "$2" = 403 ] || fail "$1: gave $2, not 403"
	has "$3" '<h1>Refused</h1>' || fail "$1: no refusal page"
	if has "$3" 'name="csrf"'; then fail "$1: the refusal carries a form token"; fi
}
# Runs of requests with nothing between them but their checks are sent by
# one curl (lib.sh's req), in the same order, each checked as before.
# refused_q WHAT [curl args]: refused, queued (req) for the next reqs_run;
# refused_ok: after reqs_run, checks each queued one (from the first
# request of the run, or from request $1) as refused does
_rf=()
refused_q() { _rf+=("$1"); shift; req "$@"; }
refused_ok() {
	local i k=${1:-0}
	for i in "${!_rf[@]}"; do refused_is "${_rf[i]}" "${RQ_CODE[k + i]}" "$T/rq.$((k + i))"; done
	_rf=()
}

# without the token or the cookie: refused
refused_q "no cookie" "$DESK_BASE/"
refused_q "no cookie, unlock page" "$DESK_BASE/unlock"
refused_q "no cookie, stylesheet" "$DESK_BASE/static/style.css"
refused_q "no cookie, POST" -d x=1 "$DESK_BASE/unlock"
refused_q "a made-up cookie" -b "candour_desk=$(printf '%064d' 0)" "$DESK_BASE/"
refused_q "the token as a cookie" -b "candour_desk=$TOKEN" "$DESK_BASE/"
# the token from a foreign Host or site is refused and stays unspent
refused_q "token, DNS rebinding" -H "Host: evil.example:$DESK_PORT" "$DESK_BASE/?token=$TOKEN"
refused_q "token, another port" -H "Host: 127.0.0.1:1" "$DESK_BASE/?token=$TOKEN"
refused_q "token, cross-site Origin" -H "Origin: http://evil.example" "$DESK_BASE/?token=$TOKEN"
refused_q "token, Sec-Fetch-Site cross-site" -H "Sec-Fetch-Site: cross-site" "$DESK_BASE/?token=$TOKEN"
refused_q "token, Sec-Fetch-Site same-site" -H "Sec-Fetch-Site: same-site" "$DESK_BASE/?token=$TOKEN"
last=${TOKEN: -1}; [ "$last" = 0 ] && other=1 || other=0
refused_q "a wrong token" "$DESK_BASE/?token=${TOKEN%?}$other"
refused_q "the token's first half" "$DESK_BASE/?token=${TOKEN:0:32}"
refused_q "a token by POST" -d "x=1" "$DESK_BASE/?token=$TOKEN"
reqs_run
refused_ok
# the right token: a cookie, once, and a redirect that drops it
c=$(curl -s -D "$T/h" -o /dev/null -c "$T/jar" -w '%{http_code}' "$DESK_URL")
[ "$c" = 303 ] || fail "token exchange gave $c"
grep -qi '^Location: /\s*$' "$T/h" || fail "no redirect to /: $(cat "$T/h")"
grep -qi "^Set-Cookie: candour_desk=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict" "$T/h" || fail "cookie: $(grep -i set-cookie "$T/h")"
if grep -qi "Set-Cookie:.*$TOKEN" "$T/h"; then fail "the cookie is the token"; fi
desk_headers "$T/h"
refused "the token reused" "$DESK_URL"
refused "the token reused, with the cookie" -b "$T/jar" "$DESK_URL"

# with the cookie: a foreign Host or site is still refused
COOKIE=$(awk '$6 == "candour_desk" {print $7}' "$T/jar")
[ ${#COOKIE} = 64 ] || fail "cookie jar: $(cat "$T/jar")"
J=(-b "candour_desk=$COOKIE")
req "${J[@]}" "$DESK_BASE/"
refused_q "cookie, DNS rebinding" "${J[@]}" -H "Host: evil.example" "$DESK_BASE/unlock"
refused_q "cookie, cross-site Origin" "${J[@]}" -H "Origin: http://evil.example:$DESK_PORT" "$DESK_BASE/unlock"
refused_q "cookie, null Origin" "${J[@]}" -H "Origin: null" "$DESK_BASE/unlock"
refused_q "cookie, cross-site fetch" "${J[@]}" -H "Sec-Fetch-Site: cross-site" "$DESK_BASE/unlock"
req "${J[@]}" -H "Host: localhost:$DESK_PORT" "$DESK_BASE/unlock"
reqs_run
[ "${RQ_CODE[0]}" = 303 ] || fail "locked desk: / gave ${RQ_CODE[0]}"
refused_ok 1
[ "${RQ_CODE[5]}" = 200 ] || fail "localhost:PORT refused (${RQ_CODE[5]})"
CSRF=$(csrf_of "$T/rq.5")
[ -n "$CSRF" ] || fail "no form token on the passphrase page"
refused_q "POST without the form token" "${J[@]}" --data-urlencode "passphrase@$T/pass" "$DESK_BASE/unlock"
last=${CSRF: -1}; [ "$last" = 0 ] && other=1 || other=0
refused_q "POST with another form token" "${J[@]}" --data-urlencode "csrf=${CSRF%?}$other" \
	--data-urlencode "passphrase@$T/pass" "$DESK_BASE/unlock"
refused_q "POST, cross-site" "${J[@]}" -H "Origin: http://evil.example" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "passphrase@$T/pass" "$DESK_BASE/unlock"
req "${J[@]}" -d "csrf=$CSRF" -d "csrf=$CSRF" -d passphrase=x "$DESK_BASE/unlock"
# the passphrase page: wrong, then right
req "${J[@]}" --data-urlencode "csrf=$CSRF" --data-urlencode "passphrase=wrong horse" "$DESK_BASE/unlock"
req "${J[@]}" "$DESK_BASE/unlock"
req "${J[@]}" -H "Origin: http://127.0.0.1:$DESK_PORT" -H "Sec-Fetch-Site: same-origin" \
	--data-urlencode "csrf=$CSRF" --data-urlencode "passphrase=$(<"$T/pass")" "$DESK_BASE/unlock"
# the inbox: what list shows, marks included, the sealed concern never linked
req "${J[@]}" "$DESK_BASE/"
reqs_run
refused_ok
[ "${RQ_CODE[3]}" = 400 ] || fail "a repeated field gave ${RQ_CODE[3]}"
[ "${RQ_CODE[4]}" = 303 ] || fail "wrong passphrase gave ${RQ_CODE[4]}"
has "$T/rq.5" 'does not open the key' || fail "no wrong-passphrase message"
[ "${RQ_CODE[6]}" = 303 ] || fail "right passphrase gave ${RQ_CODE[6]}"
[ "${RQ_CODE[7]}" = 200 ] || fail "inbox gave ${RQ_CODE[7]}"
desk_headers "$T/rq.7.h"
mv "$T/rq.7" "$T/body"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" list "${A[@]}" --format csv | tr -d '\r' > "$T/list"
[ "$(grep -c '<tr>' "$T/body")" = "$(wc -l < "$T/list")" ] || fail "inbox rows differ from list: $(cat "$T/list")"
while IFS=, read -r id rest; do
	id=${id//\"/}
	has "$T/body" ">$id<" || fail "$id missing from the inbox"
	if [[ "$rest" == *unreadable* ]]; then
		if grep -q "href=\"/concern?id=$id\"" "$T/body"; then fail "sealed $id is linked"; fi
	else
		grep -q "href=\"/concern?id=$id\"" "$T/body" || fail "$id is not linked"
	fi
done < <(tail -n +2 "$T/list")
[ "$(grep -c 'mark risk' "$T/body")" = "$(grep -c '"RISK"' "$T/list")" ] || fail "risk marks differ from list"
[ "$(grep -c 'mark new' "$T/body")" = "$(grep -c '"NEW"' "$T/list")" ] || fail "new marks differ from list"
has "$T/body" 'Sealed to other reviewers' || fail "the concern sealed to bob is not marked"
req "${J[@]}" "$DESK_BASE/?q=binned"
req "${J[@]}" "$DESK_BASE/?status=nonsense"
req "${J[@]}" "$DESK_BASE/nowhere"
reqs_run
c=${RQ_CODE[0]}
[ "$c" = 200 ] && [ "$(grep -c '<tr>' "$T/rq.0")" = 2 ] || fail "search: $c, $(grep -c '<tr>' "$T/rq.0") rows"
[ "${RQ_CODE[1]}" = 400 ] || fail "a bad status filter gave ${RQ_CODE[1]}"
[ "${RQ_CODE[2]}" = 404 ] || fail "an unknown page gave ${RQ_CODE[2]}"
mv "$T/rq.2" "$T/body"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" audit "${A[@]}" > "$T/audit"
has "$T/audit" 'search  binned' || fail "the desk's search is not audited: $(tail -3 "$T/audit")"

# a concern: what show shows, opened (audited, no longer new); the sealed one refused
CSRF=$(csrf_of "$T/body")
ID=$(grep '"RISK"' "$T/list" | cut -d'"' -f2)
SEALED=$(grep 'unreadable' "$T/list" | cut -d'"' -f2)
req "${J[@]}" "$DESK_BASE/concern?id=$ID"
req "${J[@]}" "$DESK_BASE/concern?id=$SEALED"
BAD=("ZZZZ" "0000000U" "" "${ID}X" "..%2F")
for bad in "${BAD[@]}"; do req "${J[@]}" "$DESK_BASE/concern?id=$bad"; done
reqs_run
[ "${RQ_CODE[0]}" = 200 ] || fail "concern page gave ${RQ_CODE[0]}"
has "$T/rq.0" 'Desk one: the duty manager binned' || fail "the concern's text is not shown"
has "$T/rq.0" 'child is at immediate risk' || fail "no risk alert"
[ "${RQ_CODE[1]}" = 403 ] || fail "the sealed concern gave ${RQ_CODE[1]}"
if has "$T/rq.1" 'Desk three'; then fail "the sealed concern's text leaked"; fi
for i in "${!BAD[@]}"; do
	c=${RQ_CODE[i + 2]}
	[ "$c" = 400 ] || [ "$c" = 404 ] || fail "concern id '${BAD[i]}' gave $c"
done
mv "$T/rq.6" "$T/body"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" list "${A[@]}" --format csv | tr -d '\r' > "$T/list2"
grep -q "^\"$ID\".*,\"\",\"\",\"RISK\"," "$T/list2" || fail "opening on the desk did not clear NEW for list: $(cat "$T/list2")"

# actions: each a form with the form token, audited as the CLI audits
act() { code "${J[@]}" --data-urlencode "csrf=$CSRF" --data-urlencode "id=$ID" "$@" "$DESK_BASE/action"; }
# said PAGE TEXT WHAT: PAGE (a path of the desk) loaded again holds TEXT
# (has), else fail with WHAT and the page's flash
said() {
	code "${J[@]}" "$DESK_BASE/$1" > /dev/null
	has "$T/body" "$2" || fail "$3: $(grep flash "$T/body")"
}
# careless_q KIND FIELD [ARG...]: the KIND form sent with its menu left at
# "choose" (FIELD empty, then left out), each followed by the concern
# page: four requests queued (req); careless_ok K KIND FIELD TEXT: after
# reqs_run, from request K: nothing changed and the page said TEXT
act_q() { req "${J[@]}" --data-urlencode "csrf=$CSRF" --data-urlencode "id=$ID" "$@" "$DESK_BASE/action"; }
careless_q() {
	local kind=$1 field=$2 empty
	shift 2
	for empty in "-d $field=" ""; do
		# shellcheck disable=SC2086
		act_q -d kind="$kind" $empty "$@"
		req "${J[@]}" "$DESK_BASE/concern?id=$ID"
	done
}
careless_ok() {
	local k=$1 kind=$2 field=$3 text=$4 empty
	for empty in "-d $field=" ""; do
		[ "${RQ_CODE[k]}" = 303 ] || fail "$kind none ($empty)"
		grep -q "flash bad.*$text" "$T/rq.$((k + 1))" ||
			fail "$kind with nothing chosen ($empty) was not refused: $(grep flash "$T/rq.$((k + 1))")"
		k=$((k + 2))
	done
}
# the audit log as `audit` prints it, in $T/audit
audit_now() { CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" audit "${A[@]}" > "$T/audit"; }
refused_q "action without the form token" "${J[@]}" -d "id=$ID" -d kind=note -d text=x "$DESK_BASE/action"
act_q -d kind=status -d state=acknowledged
act_q -d kind=status -d state=received
req "${J[@]}" "$DESK_BASE/concern?id=$ID"
act_q -d kind=status -d state=acknowledged
req "${J[@]}" "$DESK_BASE/concern?id=$ID"
act_q -d kind=status -d state=closed
req "${J[@]}" "$DESK_BASE/concern?id=$ID"
act_q -d kind=note --data-urlencode 'text=desk note <b>'
act_q -d kind=assign -d reviewer=mallory
req "${J[@]}" "$DESK_BASE/concern?id=$ID"
careless_q assign reviewer
careless_q outcome outcome -d summary=careless
careless_q status state
reqs_run
refused_ok
[ "${RQ_CODE[1]}" = 303 ] || fail "status"
[ "${RQ_CODE[2]}" = 303 ] || fail "backwards status"
# refused with the casebook's reason, as `status` gives it
has "$T/rq.3" "$ID cannot go from Acknowledged to Received: states only move forward" ||
	fail "a backwards status was not refused on the page with its reason: $(grep flash "$T/rq.3")"
[ "${RQ_CODE[4]}" = 303 ] || fail "same status"
has "$T/rq.5" "$ID cannot go from Acknowledged to Acknowledged: the case is already in that state" ||
	fail "the same status: $(grep flash "$T/rq.5")"
[ "${RQ_CODE[6]}" = 303 ] || fail "close without an outcome"
has "$T/rq.7" "$ID cannot go from Acknowledged to Closed: record an outcome first" ||
	fail "closing without an outcome: $(grep flash "$T/rq.7")"
[ "${RQ_CODE[8]}" = 303 ] || fail "note"
[ "${RQ_CODE[9]}" = 303 ] || fail "assign mallory"
has "$T/rq.10" 'mallory is not a reviewer of this casebook' || fail "assign to a stranger not refused with the name"
# the menu starts at no one, and no one is refused with a reason
has "$T/rq.10" '<select id="reviewer" name="reviewer"><option value="" selected>Choose a reviewer</option><option value="alice">alice</option></select>' ||
	fail "the assign menu does not start at 'choose a reviewer': $(grep -o '<select id="reviewer".*</select>' "$T/rq.10")"
careless_ok 11 assign reviewer 'Choose a reviewer to assign the case to: nobody was chosen'
# the outcome menu starts at none (no careless "substantiated"), and none is refused
has "$T/rq.14" '<select id="outcome" name="outcome" required><option value="" selected>Choose an outcome</option><option value="substantiated">' ||
	fail "the outcome menu does not start at 'choose an outcome': $(grep -o '<select id="outcome".*</select>' "$T/rq.14")"
careless_ok 15 outcome outcome 'Choose an outcome to record: none was chosen, so nothing was recorded'
# the status menu starts at none too: a careless "Change the status" must not
# move the case on to the menu's first state (it did: Acknowledged -> Under
# investigation), and none is refused
has "$T/rq.18" '<select id="state" name="state" required><option value="" selected>Choose a status</option><option value="investigating">' ||
	fail "the status menu does not start at 'choose a status': $(grep -o '<select id="state".*</select>' "$T/rq.18")"
careless_ok 19 status state 'Choose a status to move the case to: none was chosen, so nothing changed'
mv "$T/rq.22" "$T/body"
audit_now
if has "$T/audit" " outcome $ID"; then fail "an outcome nobody chose was recorded: $(grep outcome "$T/audit")"; fi
[ "$(grep -c " status $ID " "$T/audit")" = 1 ] || fail "a status nobody chose was recorded: $(grep " status $ID " "$T/audit")"
# a name that is no name is not echoed
[ "$(act -d kind=assign --data-urlencode 'reviewer=<b>x</b>')" = 303 ] || fail "assign a non-name"
said "concern?id=$ID" 'That is not a reviewer&#39;s name: nothing changed' "a non-name"
if grep -q '<b>x</b>\|&lt;b&gt;x' "$T/body"; then fail "a non-name was echoed"; fi
has "$T/body" 'desk note &lt;b&gt;' || fail "the note is not shown escaped"
c=$(act -d kind=reply_preview --data-urlencode $'text=We are on it.\n\n')
[ "$c" = 200 ] && has "$T/body" '<p class="text">We are on it.</p>' || fail "reply preview: $c"
audit_now
if has "$T/audit" " reply $ID"; then fail "the preview saved a reply"; fi
[ "$(act -d kind=reply --data-urlencode 'text=We are on it.')" = 303 ] || fail "reply"
audit_now
for a in "show $ID" "status $ID  received -> acknowledged" "note $ID" "reply $ID"; do
	grep -q "alice $a\$" "$T/audit" || fail "audit lacks '$a': $(cat "$T/audit")"
done
if has "$T/audit" "assign $ID"; then fail "a refused assign was audited"; fi
# a real choice assigns; the same again is refused with the CLI's reason
[ "$(act -d kind=assign -d reviewer=alice)" = 303 ] || fail "assign alice"
said "concern?id=$ID" 'class="flash" role="status"><p>Done:' "assign alice"
[ "$(act -d kind=assign -d reviewer=alice)" = 303 ] || fail "assign alice again"
said "concern?id=$ID" "$ID is already assigned to alice" "assign again"
audit_now
[ "$(grep -c "assign $ID" "$T/audit")" = 1 ] || fail "assign audited $(grep -c "assign $ID" "$T/audit") times"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" show "${A[@]}" "$ID" > "$T/show"
has "$T/show" 'We are on it.' && has "$T/show" 'desk note <b>' || fail "show does not see the desk's work"
# a recorded outcome is what the menu shows next time, not the placeholder
[ "$(act -d kind=outcome -d outcome=partly-substantiated -d summary=checked)" = 303 ] || fail "outcome"
code "${J[@]}" "$DESK_BASE/concern?id=$ID" > /dev/null
grep -q '<select id="outcome" name="outcome" required><option value="">Choose an outcome</option>.*<option value="partly-substantiated" selected>' "$T/body" ||
	fail "the recorded outcome is not the menu's choice: $(grep -o '<select id="outcome".*</select>' "$T/body")"
refused "an action from another site" "${J[@]}" -H "Origin: http://evil.example" --data-urlencode "csrf=$CSRF" \
	-d "id=$ID" -d kind=note -d text=x "$DESK_BASE/action"
c=$(act -d kind=note -d text=x -H "Host: evil.example")
[ "$c" = 403 ] || fail "an action with a foreign Host gave $c"

# bundles: export replies (the intake takes them), import (checked like the CLI's)
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=export --data-urlencode "path=$T/replies" "$DESK_BASE/bundles")
[ "$c" = 303 ] && [ -s "$T/replies" ] || fail "export replies: $c"
said "bundles" 'Reply bundle written. Items: 2' "export said"
"$BIN/candour-intake" import-replies --db "$DB" --keys "$T/keys" --in "$T/replies" > "$T/ir" 2>&1 || fail "the intake refused the desk's replies: $(cat "$T/ir")"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=export --data-urlencode "path=$T/replies" "$DESK_BASE/bundles")
said "bundles" 'exists or cannot be created' "export over an existing file"
# a refusal says its reason and what to do, from the catalogue (in Welsh
# below); the reason is the one the CLI gives
BAD=("/etc/passwd|this is not a Candour bundle" "$T/replies|this is a reply bundle"
	"$T/nonexistent|the file cannot be read" "$T/b2|already held: 0 / 0 / 3")
for bad in "${BAD[@]}"; do
	req "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=import --data-urlencode "path=${bad%%|*}" "$DESK_BASE/bundles"
	req "${J[@]}" "$DESK_BASE/bundles"
done
reqs_run
for i in 0 1 2; do
	bad=${BAD[i]} k=$((2 * i + 1))
	has "$T/rq.$k" "Nothing was imported: ${bad#*|}" || fail "import of ${bad%%|*}: $(grep flash "$T/rq.$k")"
done
has "$T/rq.7" 'already held: 0 / 0 / 3' || fail "re-import: $(grep flash "$T/rq.7")"
# referrals: the rows of referrals list
c=$(code "${J[@]}" "$DESK_BASE/referrals")
[ "$c" = 200 ] || fail "referrals gave $c"
has "$T/body" '<th scope="row">REF/2026/00500</th><td>0</td><td>2</td><td>near</td><td>yes</td>' \
	|| fail "referrals: $(grep tbody "$T/body")"
c=$(code "${J[@]}" "$DESK_BASE/referrals?flag=nonsense")
[ "$c" = 400 ] || fail "a bad flag gave $c"
# the link states --help offers for referrals list --flag: the desk's filter
# takes them too (it refused near and manual with 400 until 2026-12-06)
c=$(code "${J[@]}" "$DESK_BASE/referrals?flag=near")
[ "$c" = 200 ] || fail "flag=near gave $c"
has "$T/body" '<th scope="row">REF/2026/00500</th><td>0</td><td>2</td><td>near</td>' \
	|| fail "flag=near does not list the near link: $(grep tbody "$T/body")"
c=$(code "${J[@]}" "$DESK_BASE/referrals?flag=manual")
[ "$c" = 200 ] || fail "flag=manual gave $c"
has "$T/body" 'REF/2026/00500' && fail "flag=manual lists the near link"

# referrals on the concern page: what show prints, and confirm / reject of a
# near match through ref_link_act, audited exactly as link / unlink audit
ID2=$(grep -v 'RISK\|unreadable' "$T/list" | tail -n +2 | cut -d'"' -f2)
[ -n "$ID2" ] && [ "$ID2" != "$ID" ] || fail "no second readable concern: $(cat "$T/list")"
code "${J[@]}" "$DESK_BASE/concern?id=$ID" > /dev/null
has "$T/body" '<h3>REF/2026/00500</h3>' || fail "the near link is not on the concern page"
has "$T/body" 'Possible match' && has "$T/body" '<span class="text">REF/2026/00501</span>' \
	|| fail "the near link does not say what the concern named"
has "$T/body" 'name="kind" value="link_confirm"><input type="hidden" name="ref" value="REF/2026/00500">' \
	|| fail "no confirm form for the near link"
has "$T/body" '<dt>team</dt><dd>South</dd>' || fail "the register facts are not shown"
lk() { code "${J[@]}" --data-urlencode "csrf=$CSRF" "$@" "$DESK_BASE/action"; }
last=${CSRF: -1}; [ "$last" = 0 ] && other=1 || other=0
refused "confirm with a forged form token" "${J[@]}" --data-urlencode "csrf=${CSRF%?}$other" -d "id=$ID" \
	-d kind=link_confirm -d ref=REF/2026/00500 "$DESK_BASE/action"
refused "confirm without the form token" "${J[@]}" -d "id=$ID" -d kind=link_confirm -d ref=REF/2026/00500 "$DESK_BASE/action"
c=$(lk -d "id=$SEALED" -d kind=link_confirm -d ref=REF/2026/00500)
[ "$c" = 403 ] || fail "confirm on the sealed concern gave $c"
c=$(lk -d "id=$ID" -d kind=link_confirm)
[ "$c" = 400 ] || fail "confirm without a reference gave $c"
[ "$(lk -d "id=$ID" -d kind=link_confirm -d ref=REF/2026/00599)" = 303 ] || fail "confirm of a stranger"
said "concern?id=$ID" 'This reference is not in the register: REF/2026/00599' "a reference not in the register was not refused"
audit_now
if has "$T/audit" "link $ID  REF/2026/00599"; then fail "a refused link was audited"; fi
[ "$(lk -d "id=$ID" -d kind=link_confirm -d ref=REF/2026/00500)" = 303 ] || fail "confirm"
said "concern?id=$ID" 'Link confirmed: REF/2026/00500' "confirm said"
has "$T/body" 'Linked by a reviewer.' || fail "the confirmed link is not shown as linked"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" link "${A[@]}" "$ID2" REF/2026/00500 --confirm > /dev/null || fail "CLI link"
ref_section() { CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" show "${A[@]}" "$1" | sed -n '/^Referrals named/,/^[^ R]/p' | sed "s/$1/X/g"; }
ref_section "$ID" > "$T/show1"; ref_section "$ID2" > "$T/show2"
has "$T/show1" 'REF/2026/00500  linked by a reviewer' || fail "show does not see the desk's confirm: $(cat "$T/show1")"
audit_of() { CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" audit "${A[@]}" | grep " $2 $1 " | sed 's/^.* alice /alice /; '"s/$1/X/"; }
[ "$(audit_of "$ID" link)" = "$(audit_of "$ID2" link)" ] && [ -n "$(audit_of "$ID" link)" ] \
	|| fail "the desk's link audit differs from the CLI's: '$(audit_of "$ID" link)' / '$(audit_of "$ID2" link)'"
[ "$(lk -d "id=$ID" -d kind=link_reject -d ref=REF/2026/00500)" = 303 ] || fail "reject"
code "${J[@]}" "$DESK_BASE/concern?id=$ID" > /dev/null
has "$T/body" 'Link rejected, kept as rejected because the reporter named it: REF/2026/00500' \
	|| fail "reject said: $(grep flash "$T/body")"
has "$T/body" 'Rejected by a reviewer.' || fail "the rejected link is not shown as rejected"
if has "$T/body" 'value="link_confirm"'; then fail "a rejected link still offers confirm"; fi
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" unlink "${A[@]}" "$ID2" REF/2026/00500 > /dev/null || fail "CLI unlink"
[ "$(audit_of "$ID" unlink)" = "$(audit_of "$ID2" unlink)" ] && [ -n "$(audit_of "$ID" unlink)" ] \
	|| fail "the desk's unlink audit differs from the CLI's"
ref_section "$ID" > "$T/show1"; ref_section "$ID2" > "$T/show2"
has "$T/show1" 'REF/2026/00500  rejected by a reviewer' && cmp -s "$T/show1" "$T/show2" \
	|| fail "show after the desk's reject differs from the CLI's: $(diff "$T/show1" "$T/show2")"
[ "$(lk -d "id=$ID" -d kind=link_reject -d ref=REF/2026/00777)" = 303 ] || fail "reject of no link"
said "concern?id=$ID" 'has no link to that reference: REF/2026/00777' "reject of no link said"

# the governance report: preview (the HTML report, its inline style allowed
# by hash only) and save (signed): the same bytes as `report` for the period,
# last month (a period is reported once it has ended, on the desk as by
# `report`: rp_period_ended)
P=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
c=$(code "${J[@]}" "$DESK_BASE/report")
[ "$c" = 200 ] && has "$T/body" 'name="period"' || fail "report page gave $c"
refused "report preview without the form token" "${J[@]}" -d kind=preview -d "period=$P" "$DESK_BASE/report"
refused "report save with a forged form token" "${J[@]}" --data-urlencode "csrf=${CSRF%?}$other" -d kind=save \
	-d "period=$P" --data-urlencode "path=$T/desk-rep/r.html" "$DESK_BASE/report"
[ ! -e "$T/desk-rep/r.html" ] || fail "a forged save wrote the report"
mkdir -p "$T/desk-rep" "$T/cli-rep"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$P" --out "$T/cli-rep/r.html" > /dev/null || fail "CLI report"
c=$(code -D "$T/h" "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=preview -d "period=$P" "$DESK_BASE/report")
[ "$c" = 200 ] || fail "report preview gave $c"
css_hash=$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$REPO/web/static/report.css")
grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'sha256-$css_hash'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"$'\r'"\$" "$T/h" \
	|| fail "preview CSP does not allow exactly the report's style: $(grep -i content-security "$T/h")"
sed 's/report\.html/r.html/g' "$T/body" > "$T/preview"
cmp -s "$T/preview" "$T/cli-rep/r.html" || fail "the preview differs from the CLI's report: $(diff "$T/preview" "$T/cli-rep/r.html" | head -5)"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" --data-urlencode "path=$T/desk-rep/r.html" "$DESK_BASE/report")
[ "$c" = 303 ] || fail "report save gave $c"
said "report" "Report saved and signed: $T/desk-rep/r.html" "save said"
cmp "$T/desk-rep/r.html" "$T/cli-rep/r.html" || fail "the desk's saved report differs from the CLI's"
pk=$(grep -o 'minisign -Vm [^ ]* -P [^ <]*' "$T/cli-rep/r.html" | head -1 | awk '{print $NF}')
[ -n "$pk" ] || pk=$(CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$P" --out "$T/cli-rep/r2.html" | sed -n 's/^verify: .* -P //p')
minisign -Vm "$T/desk-rep/r.html" -x "$T/desk-rep/r.html.minisig" -P "$pk" > /dev/null || fail "the desk's signature does not verify"
cmp -s "$T/desk-rep/r.html.minisig" "$T/cli-rep/r.html.minisig" || fail "the desk's signature differs from the CLI's"
# a report that cannot be recorded says why, as `report` says it (until
# 2026-12-06 "could not be written" whatever the cause): here the casebook
# held by another writer while the desk saves (it waits CB_BUSY_MS, 5 s)
rm -f "$T/held"
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close(); time.sleep(60)' "$T/cb.db" "$T/held" &
HOLD=$!
while [ ! -e "$T/held" ]; do nap 0.1; done
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" \
	--data-urlencode "path=$T/desk-rep/held.html" "$DESK_BASE/report")
kill "$HOLD"
wait "$HOLD" 2> /dev/null || true
[ "$c" = 303 ] || fail "save beside a held casebook gave $c"
said "report" "The report was not saved: another command (an import, or candour-review report) is using the casebook. Wait for it to finish, then save again. Nothing was written to: $T/desk-rep/held.html" \
	"save beside a held casebook"
[ ! -e "$T/desk-rep/held.html" ] && [ ! -e "$T/desk-rep/held.html.minisig" ] || fail "a report not recorded was written"
BAD=("" 2026-13 "FY20" "2026-Q5" "$(date -u -d '+2 months' +%Y-%m)")
for bad in "${BAD[@]}"; do
	req "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save --data-urlencode "period=$bad" \
		--data-urlencode "path=$T/desk-rep/bad.html" "$DESK_BASE/report"
	req "${J[@]}" "$DESK_BASE/report"
done
reqs_run
for i in "${!BAD[@]}"; do
	has "$T/rq.$((2 * i + 1))" 'flash bad' || fail "period '${BAD[i]}' was not refused"
done
[ ! -e "$T/desk-rep/bad.html" ] || fail "a bad period wrote a report"
# this month, and this financial year, have not ended: refused as `report`
# refuses them, saying when they end and from when they may be reported;
# neither a preview nor a file
NOW=$(date -u +%Y-%m) END=$(date -u -d "$(date -u +%Y-%m-01) +1 month -1 day" +%Y-%m-%d)
FROM=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y-%m-%d)
FY=$(date -u +%Y); [ "$(date -u +%m)" -ge 4 ] || FY=$((FY - 1))
# refused_both PERIOD CLI-LINE DESK-LINE WHAT: `report` of PERIOD refused
# saying CLI-LINE, the desk's preview and save refused saying DESK-LINE
# (never "has the period begun"), neither writing a file
refused_both() {
	local per=$1 cli=$2 desk=$3 what=$4 kind c
	CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$per" --out "$T/cli-rep/no.html" \
		2> "$T/cli-err" && fail "CLI report, $what"
	has "$T/cli-err" "$cli" || fail "CLI refusal, $what: $(cat "$T/cli-err")"
	for kind in preview save; do
		c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d "kind=$kind" -d "period=$per" \
			--data-urlencode "path=$T/desk-rep/no.html" "$DESK_BASE/report")
		[ "$c" = 303 ] || fail "$kind, $what, gave $c"
		said "report" "$desk" "$kind, $what"
		has "$T/body" 'flash bad' || fail "$kind, $what: not said as a refusal"
		if grep flash "$T/body" | grep -q 'begun'; then fail "$kind, $what: asks if the period has begun"; fi
		[ ! -e "$T/desk-rep/no.html" ] && [ ! -e "$T/desk-rep/no.html.minisig" ] || fail "$kind, $what, wrote a report"
	done
}
for p in "$NOW|$END|$FROM" "FY$FY|$((FY + 1))-03-31|$((FY + 1))-04-01"; do
	IFS='|' read -r per end from <<<"$p"
	refused_both "$per" "the period $per ends on $end: report it after that (from $from)" \
		"The report was not made: the period $per ends on $end: report it after that (from $from)." \
		"$per not ended"
done
# where the file goes is checked before the report is built (as `report`
# checks --out; until 2026-12-06 the whole report was made first): a
# folder that does not exist, /proc (takes no new files), a folder
for bad in "$T/desk-rep/no/such/r.html" /proc/r.html "$T/desk-rep"; do
	c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" \
		--data-urlencode "path=$bad" "$DESK_BASE/report")
	[ "$c" = 303 ] || fail "save to $bad gave $c"
	said "report" "The report was not made: no file can be written at that path" "save to $bad"
	has "$T/body" "$bad" || fail "save to $bad: the path is not said"
done
[ ! -e "$T/desk-rep/no" ] || fail "a refused path made a folder"
BAD=("" $'two\nlines')
for bad in "${BAD[@]}"; do
	req "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" --data-urlencode "path=$bad" "$DESK_BASE/report"
	req "${J[@]}" "$DESK_BASE/report"
done
reqs_run
for i in "${!BAD[@]}"; do
	has "$T/rq.$((2 * i + 1))" 'flash bad' || fail "path '${BAD[i]}' was not refused"
done
# the report's options are `report`'s, checked by the same function: a
# Welsh preview and a CSV saved against the intake's published head are the
# CLI's bytes for the same flags
"$BIN/candour-intake" status --db "$DB" > "$T/ist" || fail "intake status"
IHEAD=$(sed -n 's/^chain head: //p' "$T/ist"); ICOUNT=$(sed -n 's/^records: //p' "$T/ist")
[ ${#IHEAD} = 64 ] && [ "$ICOUNT" = 3 ] || fail "intake status: $(cat "$T/ist")"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$P" --lang cy --intake-head "$IHEAD" \
	--intake-count "$ICOUNT" --intake-date 2026-12-01 --out "$T/cli-rep/cy.html" > /dev/null || fail "CLI report in Welsh"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=preview -d "period=$P" -d lang=cy \
	-d "intake_head=$IHEAD" -d "intake_count=$ICOUNT" -d intake_date=2026-12-01 "$DESK_BASE/report")
[ "$c" = 200 ] || fail "Welsh preview gave $c"
sed 's/report\.html/cy.html/g' "$T/body" > "$T/preview"
cmp -s "$T/preview" "$T/cli-rep/cy.html" || fail "the Welsh preview differs from the CLI's: $(diff "$T/preview" "$T/cli-rep/cy.html" | head -5)"
has "$T/preview" 'lang="cy"' && has "$T/preview" "$IHEAD" || fail "the preview is not the Welsh report with the intake's head"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$P" --format csv --intake-head "$IHEAD" \
	--intake-count "$ICOUNT" --intake-date 2026-12-01 --out "$T/cli-rep/r.csv" > /dev/null || fail "CLI csv report"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" -d format=csv -d lang=en \
	-d "intake_head=$IHEAD" -d "intake_count=$ICOUNT" -d intake_date=2026-12-01 \
	--data-urlencode "path=$T/desk-rep/r.csv" "$DESK_BASE/report")
[ "$c" = 303 ] || fail "csv save gave $c"
cmp "$T/desk-rep/r.csv" "$T/cli-rep/r.csv" || fail "the desk's CSV differs from the CLI's"
# each option refused as `report` refuses it, with its own reason, nothing written
ZHEAD=$(printf '%064d' 0)
OPTS=()
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086
	req "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" $args \
		--data-urlencode "path=$T/desk-rep/opt.out" "$DESK_BASE/report"
	req "${J[@]}" "$DESK_BASE/report"
	OPTS+=("$args|$want")
done <<OPTS
-d format=xml|The format must be HTML, CSV or JSON
-d lang=fr|The language must be English or Welsh
-d intake_head=$IHEAD|give both or neither
-d intake_count=3|give both or neither
-d intake_head=${IHEAD%?} -d intake_count=3|must be 64 hex digits
-d intake_head=${IHEAD%?}g -d intake_count=3|must be 64 hex digits
-d intake_head=$IHEAD -d intake_count=0|whole number above 0
-d intake_head=$IHEAD -d intake_count=-3|whole number above 0
-d intake_head=$IHEAD -d intake_count=3 -d intake_date=2026-02-30|must be a date
-d intake_date=2026-12-01|must be a date (YYYY-MM-DD) and comes with a chain head
-d intake_head=$IHEAD -d intake_count=3|comes with the date the intake published it
-d intake_head=$ZHEAD -d intake_count=3 -d intake_date=2026-12-01|does not match this casebook
-d as_of=2026-02-30|The day the report stands on must be a date
-d as_of=$(date -u -d tomorrow +%Y-%m-%d)|the day it is to stand on has not come yet
-d as_of=$P-01|The report was not made: the period $P ends on
OPTS
reqs_run
for i in "${!OPTS[@]}"; do
	args=${OPTS[i]%%|*} want=${OPTS[i]#*|}
	grep -q "flash bad.*$want" "$T/rq.$((2 * i + 1))" || fail "options '$args': $(grep flash "$T/rq.$((2 * i + 1))")"
done
[ ! -e "$T/desk-rep/opt.out" ] || fail "a refused option wrote a report"
# the day the report stands on (--as-of) is `report`'s: a CSV as of today
# is the CLI's bytes (a day to come, or one before the period ended, is
# refused above: until 2026-12-06 the desk had no such field)
TODAY=$(date -u +%Y-%m-%d)
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" report "${A[@]}" --period "$P" --format csv --as-of "$TODAY" \
	--out "$T/cli-rep/asof.csv" > /dev/null || fail "CLI csv report --as-of today"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" -d format=csv \
	-d "as_of=$TODAY" --data-urlencode "path=$T/desk-rep/asof.csv" "$DESK_BASE/report")
[ "$c" = 303 ] || fail "csv save as of today gave $c"
cmp "$T/desk-rep/asof.csv" "$T/cli-rep/asof.csv" || fail "the desk's CSV as of today differs from the CLI's"
# a refused form comes back once as it was sent (a tired reviewer does not
# type the head again), escaped; the next visit starts empty
code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$P" -d format=csv -d lang=cy \
	-d "intake_head=$IHEAD" -d "as_of=$P-01" --data-urlencode "path=$T/desk-rep/<kept>.csv" "$DESK_BASE/report" > /dev/null
code "${J[@]}" "$DESK_BASE/report" > /dev/null
grep -q 'flash bad.*give both or neither' "$T/body" || fail "kept form: not refused"
grep -q "id=\"save-period\" name=\"period\" value=\"$P\"" "$T/body" || fail "the refused form's period was not given back"
has "$T/body" 'id="preview-period" name="period" value=""' || fail "the other form took the refused one's period"
grep -q "name=\"intake_head\" value=\"$IHEAD\"" "$T/body" || fail "the refused form's head was not given back"
has "$T/body" '<option value="csv" selected>' || fail "the refused form's format was not given back"
grep -q "name=\"as_of\" value=\"$P-01\"" "$T/body" || fail "the refused form's day was not given back"
has "$T/body" '<option value="cy" selected>' || fail "the refused form's language was not given back"
grep -q "value=\"$T/desk-rep/&lt;kept&gt;.csv\"" "$T/body" || fail "the refused form's path was not given back escaped"
code "${J[@]}" "$DESK_BASE/report" > /dev/null
has "$T/body" 'id="save-period" name="period" value=""' || fail "the refused form was given back twice"
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=delete -d "period=$P" "$DESK_BASE/report")
[ "$c" = 400 ] || fail "an unknown report action gave $c"
# A reason the report cannot be made is said as `report` says it, in the
# reviewer's language (until 2026-12-06 the desk asked "has the period
# begun, and is it within a year of the first record?" for all of them):
# a concern's sealed answers damaged in the file, then put back.
damage_answers() { # on | off
	if [ "$1" = on ]; then
		ORIG=$(sqlite3 "$T/cb.db" "SELECT id || '|' || hex(answers) FROM concerns WHERE answers IS NOT NULL ORDER BY seq LIMIT 1")
		[ -n "${ORIG#*|}" ] || fail "no concern with answers to damage"
		sqlite3 "$T/cb.db" "UPDATE concerns SET answers=zeroblob(length(answers)) WHERE id='${ORIG%%|*}'"
	else
		sqlite3 "$T/cb.db" "UPDATE concerns SET answers=x'${ORIG#*|}' WHERE id='${ORIG%%|*}'"
	fi
}
damage_answers on
refused_both "$P" "a concern's facts are damaged or changed in the file" \
	"The report was not made: a concern&#39;s facts are damaged or changed in the file. Period: $P" \
	"damaged answers"
damage_answers off

# SIGTERM ends it, the key wiped
kill -TERM "$DESK_PID"
wait "$DESK_PID" || fail "the desk exited non-zero on SIGTERM"
has "$T/desk.err" 'key is wiped' || fail "no goodbye: $(cat "$T/desk.err")"
# a Welsh desk says an import's refusal in Welsh, each reason its own
start_desk --lang cy
curl -s -o /dev/null -c "$T/jar" "$DESK_URL"
J=(-b "candour_desk=$(awk '$6 == "candour_desk" {print $7}' "$T/jar")")
code "${J[@]}" "$DESK_BASE/unlock" > /dev/null
CSRF=$(csrf_of "$T/body")
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" --data-urlencode "passphrase=$(<"$T/pass")" "$DESK_BASE/unlock")
[ "$c" = 303 ] || fail "the Welsh desk did not unlock: $c"
BAD=("/etc/passwd|nid bwndel Candour yw hwn" "$T/replies|bwndel atebion yw hwn"
	"$T/nonexistent|nid oes modd darllen y ffeil. Gwiriwch y llwybr")
for bad in "${BAD[@]}"; do
	req "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=import --data-urlencode "path=${bad%%|*}" "$DESK_BASE/bundles"
	req "${J[@]}" "$DESK_BASE/bundles"
done
reqs_run
for i in "${!BAD[@]}"; do
	bad=${BAD[i]} k=$((2 * i + 1))
	has "$T/rq.$k" "Ni fewnforiwyd dim: ${bad#*|}" || fail "Welsh import of ${bad%%|*}: $(grep flash "$T/rq.$k")"
	if grep flash "$T/rq.$k" | grep -q 'Nothing was imported'; then fail "Welsh import of ${bad%%|*}: in English"; fi
done
# and the report of a period not ended is refused in Welsh, nothing written
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=save -d "period=$NOW" \
	--data-urlencode "path=$T/desk-rep/cy-now.html" "$DESK_BASE/report")
[ "$c" = 303 ] || fail "Welsh save of $NOW, not ended, gave $c"
said "report" "Ni wnaed yr adroddiad: mae&#39;r cyfnod $NOW yn dod i ben ar $END: adroddwch arno ar ôl hynny (o $FROM ymlaen)." \
	"Welsh save of $NOW, not ended"
if grep flash "$T/body" | grep -q 'The report was not made'; then fail "Welsh refusal of $NOW: in English"; fi
[ ! -e "$T/desk-rep/cy-now.html" ] || fail "Welsh save of $NOW, not ended, wrote a report"
# and a reason the report cannot be made, in Welsh
damage_answers on
c=$(code "${J[@]}" --data-urlencode "csrf=$CSRF" -d kind=preview -d "period=$P" "$DESK_BASE/report")
[ "$c" = 303 ] || fail "Welsh preview over damaged answers gave $c"
said "report" "Ni wnaed yr adroddiad: mae ffeithiau pryder wedi&#39;u difrodi neu wedi&#39;u newid yn y ffeil. Cyfnod: $P" \
	"Welsh preview over damaged answers"
if grep flash "$T/body" | grep -q 'The report\|dechrau'; then fail "Welsh refusal over damaged answers: in English or asks if begun"; fi
damage_answers off
stop_desk
# the idle timeout ends it too
start_desk --idle 2s
for _ in $(seq 1 60); do kill -0 "$DESK_PID" 2>/dev/null || break; nap 0.1; done
if kill -0 "$DESK_PID" 2>/dev/null; then fail "the desk outlived its idle timeout"; fi
has "$T/desk.err" 'idle timeout' || fail "idle: $(cat "$T/desk.err")"
# started from a folder outside the tree (a reviewer's working folder), the
# built desk finds its pages beside its binary, as serve and report do
here=$PWD; cd "$T" || fail "cd"
start_desk
code=$(curl -s -L -c "$T/away.jar" -b "$T/away.jar" -o "$T/away.html" -w '%{http_code}' "$DESK_URL")
stop_desk
cd "$here" || fail "cd back"
[ "$code" = 200 ] && has "$T/away.html" 'Passphrase' ||
	fail "the desk started outside the tree: $code $(cat "$T/desk.err" "$T/away.html" 2>/dev/null | head -5)"
# no --lang: the pages speak the terminal's language (LANG and the rest),
# as the desk's own lines do; a Welsh reviewer's desk is Welsh
LANGUAGE= LC_ALL=cy_GB.UTF-8 start_desk
code=$(curl -s -L -c "$T/cy.jar" -b "$T/cy.jar" -o "$T/cy.html" -w '%{http_code}' "$DESK_URL")
stop_desk
[ "$code" = 200 ] && has "$T/cy.html" 'Cyfrinymadrodd' && has "$T/desk.out" 'agorwch y cyfeiriad' ||
	fail "LC_ALL=cy without --lang: the desk's page is not Welsh: $code $(head -c 400 "$T/cy.html")"
# usage errors exit 2
for bad in "--idle 0m" "--idle 13h" "--lang fr" "--bogus" "--casebook"; do
	rc=0; "$RV" desk "${A[@]}" $bad > /dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "desk $bad exited $rc, not 2"
done
"$RV" desk --help | grep -q 'one-time token' || fail "desk --help"
"$RV" --help | grep -q '^  desk ' || fail "desk missing from --help"
echo "desk ok"
