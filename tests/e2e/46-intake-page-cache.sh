#!/usr/bin/env bash
# The home page and the empty report form are kept rendered per view
# (intake/page_cache.c, issue 14). Every view (language chosen by the URL,
# by Accept-Language or by default; with a session cookie or not) is
# fetched once to fill the cache and again from it: each copy must be its
# own view's page (language, link prefix, leave link), the second the same
# bytes as the first but for the form's token, every response carries the
# security headers, and a token taken from a kept form is accepted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
LEAVE='https://weather.example/today'
start_intake --leave-url "$LEAVE"

printf -v AB32 'ab%.0s' {1..32}
# fetch N URLPATH ACCEPT_LANG COOKIE(0/1): queued (lib.sh's req: the 40
# fetches are sent by one curl, in their order), its body in $T/rq.(N-1),
# headers in $T/rq.(N-1).h; fetched N ...: after reqs_run, its checks
fetch() {
	local h=()
	[ -n "$3" ] && h+=(-H "Accept-Language: $3")
	[ "$4" = 1 ] && h+=(-H "Cookie: candour_s=$AB32")
	req "${h[@]}" "$URL$2"
}
fetched() {
	code=${RQ_CODE[$1 - 1]}
	[ "$code" = 200 ] || fail "$2 ($3, cookie $4) gave $code"
	check_headers "$T/rq.$(($1 - 1)).h"
}
# view N LANG BASE COOKIE PATH: the page is LANG's with links under BASE
view() {
	local f=$T/rq.$(($1 - 1)) want_leave
	has "$f" "<html lang=\"$2\"" || fail "page $1 ($5) is not in $2: $(grep -o '<html lang="[a-z]*"' "$f")"
	has "$f" "href=\"$3/report\"" || fail "page $1 ($5) has no $3/report link"
	if [ -n "$3" ] && has "$f" 'href="/report"'; then fail "page $1 ($5) links /report without $3"; fi
	# (the other language's link, with its hreflang, is always prefixed)
	if [ -z "$3" ] && grep -Eq 'href="/(en|cy)/report"( [^h]|>)' "$f"; then
		fail "page $1 ($5) links a prefixed /report"
	fi
	want_leave=$LEAVE
	[ "$4" = 1 ] && want_leave=$3/leave
	has "$f" "class=\"leave\" href=\"$want_leave\"" ||
		fail "page $1 ($5, cookie $4): leave link $(grep -o 'class="leave" href="[^"]*"' "$f")"
}
# untoken FILE VAR: FILE with each line's first form token made TOKEN, as
# $(sed 's/name="csrf" value="[^"]*"/name="csrf" value="TOKEN"/' FILE)
# gave (trailing newlines dropped), into VAR; bash, no process.
untoken() {
	local l k='name="csrf" value="' r o=
	while IFS= read -r l || [ -n "$l" ]; do
		if [[ $l == *"$k"* ]]; then
			r=${l#*"$k"}
			[[ $r != *'"'* ]] || l=${l%%"$k"*}$k'TOKEN"'${r#*'"'}
		fi
		o+=$l$'\n'
	done < "$1"
	while [[ $o == *$'\n' ]]; do o=${o%$'\n'}; done
	printf -v "$2" '%s' "$o"
}

# url-prefix accept-language lang base, for each path and cookie state
cases=("/cy||cy|/cy" "|cy|cy|/cy" "||en|" "/en||en|/en" "|en|en|")
for round in send check; do
	n=0
	for pass in 1 2; do
		for path in / /report; do
			for c in "${cases[@]}"; do
				IFS='|' read -r pre al lang base <<< "$c"
				for cookie in 0 1; do
					n=$((n + 1))
					u=$pre$path
					[ -n "$pre" ] && [ "$path" = / ] && u=$pre
					if [ "$round" = send ]; then fetch "$n" "$u" "$al" "$cookie"; continue; fi
					fetched "$n" "$u" "$al" "$cookie"
					view "$n" "$lang" "$base" "$cookie" "$u"
					if [ "$pass" = 2 ]; then
						half=$((n - ${#cases[@]} * 4))
						untoken "$T/rq.$((n - 1))" u1; untoken "$T/rq.$((half - 1))" u2
						[ "$u1" = "$u2" ] ||
							fail "$u (al '$al', cookie $cookie) differs from its first answer"
					fi
				done
			done
		done
	done
	[ "$round" = check ] || reqs_run
done
[ "$n" = 40 ] || fail "ran $n fetches"
# every form fetched carries a token, and that token is accepted
for f in "$T"/rq.*; do
	case $f in *.h | *.codes) continue ;; esac
	grep -q 'action="[a-z/]*report"' "$f" || continue
	csrf_of "$f" | grep -Eq '^[0-9a-f]{16}\.[0-9a-f]{32}$' || fail "$f has no token"
done
tok=$(csrf_of "$T/rq.39")
code=$(curl -s -o "$T/sent" -w '%{http_code}' -F "csrf=$tok" -F category=recording -F risk=no \
	-F raised_before=no -F "what=page cache e2e concern" "$URL/report")
[ "$code" = 200 ] || fail "a concern with a kept form's token gave $code"
code=$(curl -s -o "$T/sent" -w '%{http_code}' -F "csrf=${tok%?}0" -F category=recording -F risk=no \
	-F raised_before=no -F "what=page cache e2e concern" "$URL/report")
[ "$code" = 403 ] || [ "${tok: -1}" = 0 ] || fail "a changed token gave $code"
stop_intake
echo "ok: 40 pages over 10 views, kept and fresh alike"
