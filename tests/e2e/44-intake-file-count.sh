#!/usr/bin/env bash
# The file-count limit (issue 12): a report or a follow-up message with more
# than INTAKE_MAX_ATTACHMENTS (32) files once got a plain 413 page and lost
# what the reporter wrote (form.c failed the request; the size limit instead
# refuses it and reads on for the text). Now it behaves as the size limit:
# 413, the form again in the visit's language with the text kept and a
# sentence from the catalogue naming the limit as a number; nothing is
# stored (no record, no staged chunk). 32 files are still taken.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed: skipped"; exit 0; }
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
start_intake
staged() {
	sqlite3 "file:$DB?mode=ro" \
		"SELECT count(*) FROM chunks WHERE upload NOT IN (SELECT upload FROM envelopes)"
}
# the limit from the code's header, so the test follows a change of it
MAX=$(sed -n 's/^#define INTAKE_MAX_ATTACHMENTS *\([0-9]*\).*/\1/p' "$REPO/intake/intake.h")
[ "$MAX" -ge 2 ] || fail "cannot read INTAKE_MAX_ATTACHMENTS"
files=()
for i in $(seq 1 $((MAX + 1))); do
	printf 'note %d\n' "$i" > "$T/note$i.txt"
	files+=(-F "file=@$T/note$i.txt")
done
# catalogue sentence with {1} replaced by the limit, escaped as the page does
many() {
	grep '^report.many' "$REPO/web/locale/$1.txt" | sed 's/^[^=]*= //; s/{1}/'"$MAX"'/g; s/'"'"'/\&#39;/g'
}
what='Nobody saw the child & <the file> was closed.'
what_html='Nobody saw the child &amp; &lt;the file&gt; was closed.'
records=0

for lang in en cy; do
	curl -s -o "$T/form" "$URL/$lang/report"; tok=$(csrf_of "$T/form")
	# one too many: the form again, in this language, with the text
	code=$(curl -s -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F category=recording \
		-F "team=Duty team" -F "what=$what" -F risk=no -F raised_before=no "${files[@]}" "$URL/$lang/report")
	[ "$code" = 413 ] || fail "$lang: $((MAX + 1)) files gave $code, want 413"
	grep -q "<html lang=\"$lang\"" "$T/p" || fail "$lang: the page is not in $lang"
	grep -qF "$(many $lang)" "$T/p" || fail "$lang: the page does not state the file-count limit"
	grep -qF "$what_html" "$T/p" || fail "$lang: the text did not come back"
	grep -q 'value="Duty team"' "$T/p" || fail "$lang: the team did not come back"
	grep -q 'id="risk_no" name="risk" value="no" checked' "$T/p" || fail "$lang: the answer did not come back"
	grep -q 'name="csrf"' "$T/p" || fail "$lang: no form to send again"
	grep -q 'class="receipt"' "$T/p" && fail "$lang: a receipt was shown"
	[ "$(count_records)" = $records ] || fail "$lang: $((MAX + 1)) files stored a record"
	[ "$(staged)" = 0 ] || fail "$lang: $((MAX + 1)) files left staged chunks"
done
# the other language's sentence is not on the page
grep -qF "$(many en)" "$T/p" && fail "cy: the English sentence is shown"

# exactly the limit: taken, with every file
code=$(submit_concern "$T/ok" -F "what=$what" "${files[@]:0:$((2 * MAX))}")
[ "$code" = 200 ] || fail "$MAX files gave $code, want 200"
records=$((records + 1))
[ "$(count_records)" = $records ] || fail "$MAX files were not stored"
R=$(receipt_of "$T/ok")
[ -n "$R" ] || fail "no receipt for $MAX files"

# a follow-up message: one too many keeps its text, the limit is taken
for lang in en cy; do
	followup_page "$R" "$T/fp"
	tok=$(csrf_of "$T/fp")
	code=$(curl -s -b "$T/jar" -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F "text=Also: $what" \
		"${files[@]}" "$URL/$lang/followup/message")
	[ "$code" = 413 ] || fail "$lang: a message with $((MAX + 1)) files gave $code, want 413"
	grep -q "<html lang=\"$lang\"" "$T/p" || fail "$lang: the message page is not in $lang"
	grep -qF "$(many $lang)" "$T/p" || fail "$lang: the message page does not state the limit"
	grep -qF "Also: $what_html</textarea>" "$T/p" || fail "$lang: the message text did not come back"
	[ "$(count_records)" = $records ] || fail "$lang: the message with $((MAX + 1)) files was stored"
	[ "$(staged)" = 0 ] || fail "$lang: the message left staged chunks"
done
code=$(curl -s -b "$T/jar" -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F "text=Also" \
	"${files[@]:0:$((2 * MAX))}" "$URL/en/followup/message")
[ "$code" = 200 ] || fail "a message with $MAX files gave $code"
[ "$(count_records)" = $((records + 1)) ] || fail "the message with $MAX files was not stored"
"$BIN/candour-intake" status --db "$DB" > /dev/null || fail "status"
echo "ok: $((MAX + 1)) files refused with the text kept (en, cy), $MAX taken"
