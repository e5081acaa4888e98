#!/usr/bin/env bash
# A reviewer's everyday habits with the real binaries: `reply` with no text
# runs $VISUAL, else $EDITOR, else `editor`, else vi (whichever is chosen is
# what runs); "export everything" each time (an export overlapping the
# casebook imports only the new records); and a reporter who writes again
# after the case was closed is named by import, marked by list and shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
printf 'tired reviewer kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv" "$T/bin"
"$RV" keygen --name alice --out "$T/rv" --kdf test > /dev/null || fail "keygen"
cp "$T/rv/alice.pub" "$T/keys/"

start_intake
code=$(submit_concern "$T/c1" -F "what=Tired-test: the strategy meeting was never held.")
[ "$code" = 200 ] || fail "submission 1 gave $code"
R1=$(receipt_of "$T/c1")
code=$(submit_concern "$T/c2" -F "what=Tired-test: a second concern.")
[ "$code" = 200 ] || fail "submission 2 gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/all1" > /dev/null || fail "export 1"

A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/all1" > /dev/null || fail "import 1"
ID=$("$RV" list "${A[@]}" --format csv | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
[ -n "$ID" ] || fail "no concern id"

# ---- the editor ---------------------------------------------------------
# fake editors: each writes its own name into the file it is given
for e in visual-ed env-ed editor vi; do
	printf '#!/bin/sh\nprintf "written by %s\\n" > "$1"\n' "$e" > "$T/bin/$e"
	chmod 700 "$T/bin/$e"
done
replies() { sqlite3 "$T/cb.db" 'SELECT count(*) FROM replies'; }
reply_with() { env -u VISUAL -u EDITOR "$@" "$RV" reply "${A[@]}" "$ID"; }
# no VISUAL, no EDITOR, `editor` on PATH: it runs (the old code ran an
# empty $EDITOR: "exec: ... Permission denied")
reply_with PATH="$T/bin" > "$T/out" 2> "$T/err" || fail "editor fallback: $(cat "$T/err")"
[ "$(replies)" = 1 ] || fail "the editor's reply was not stored"
"$RV" show "${A[@]}" "$ID" | grep -q 'written by editor' || fail "\`editor\` did not write the reply"
# no `editor`: vi
rm "$T/bin/editor"
reply_with PATH="$T/bin" > /dev/null 2> "$T/err" || fail "vi fallback: $(cat "$T/err")"
"$RV" show "${A[@]}" "$ID" | grep -q 'written by vi' || fail "vi did not write the reply"
# EDITOR, then VISUAL over it
reply_with PATH="$T/bin" EDITOR=env-ed > /dev/null || fail "EDITOR"
"$RV" show "${A[@]}" "$ID" | grep -q 'written by env-ed' || fail "\$EDITOR was not used"
reply_with PATH="$T/bin" EDITOR=env-ed VISUAL=visual-ed > /dev/null || fail "VISUAL"
"$RV" show "${A[@]}" "$ID" | grep -q 'written by visual-ed' || fail "\$VISUAL was not used"
[ "$(replies)" = 4 ] || fail "expected 4 replies, got $(replies)"
# an editor that does not exist: one clear line, exit 1, nothing stored
if reply_with PATH="$T/bin" EDITOR=no-such-editor > /dev/null 2> "$T/err"; then
	fail "a missing editor was accepted"
fi
grep -q "cannot start the editor 'no-such-editor'" "$T/err" || fail "missing editor: $(cat "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "more than one error line: $(cat "$T/err")"
[ "$(replies)" = 4 ] || fail "a failed editor stored a reply"

# ---- close the case; the reporter writes again; export everything -------
"$RV" outcome "${A[@]}" "$ID" withdrawn --summary "closed for the test" > /dev/null || fail outcome
"$RV" status "${A[@]}" "$ID" closed > /dev/null || fail close
start_intake
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R1" "$URL/followup"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
tok=$(csrf_of "$T/f")
code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" \
	-F "text=Tired-followup: it happened again after you closed it." "$URL/followup/message")
[ "$code" = 200 ] || fail "follow-up gave $code"
code=$(submit_concern "$T/c3" -F "what=Tired-test: a third concern.")
[ "$code" = 200 ] || fail "submission 3 gave $code"
stop_intake
# everything again: records 1-4, of which 1-2 are held
"$BIN/candour-intake" export --db "$DB" --out "$T/all2" > /dev/null || fail "export 2"
"$RV" import "${A[@]}" "$T/all2" > "$T/imp" 2> "$T/err" || fail "overlapping export refused: $(cat "$T/err")"
grep -q 'records 1-2 were already held' "$T/imp" || fail "held count: $(cat "$T/imp")"
grep -q 'imported records 3-4' "$T/imp" || fail "new records: $(cat "$T/imp")"
grep -q "^$ID: new message on a closed case$" "$T/imp" || fail "import did not name it: $(cat "$T/imp")"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM concerns')" = 3 ] || fail "concerns doubled or lost"
"$RV" list "${A[@]}" | grep "^$ID" | grep -q 'NEW-MESSAGE-CLOSED' || fail "list does not mark it"
"$RV" list "${A[@]}" --format json | grep -q '"marks":"NEW-MESSAGE-CLOSED' || fail "json mark"
"$RV" show "${A[@]}" "$ID" > "$T/show"
grep -q '!! 1 NEW MESSAGE from the reporter after the case was closed' "$T/show" || fail "show: $(cat "$T/show")"
grep -q 'Tired-followup' "$T/show" || fail "show does not show the message"
# the same export once more: nothing new, exit 0, nothing doubled
"$RV" import "${A[@]}" "$T/all2" > "$T/imp" || fail "the same export again refused"
grep -q 'nothing new' "$T/imp" || fail "repeat: $(cat "$T/imp")"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM messages')" = 1 ] || fail "message doubled"
# a changed record in the overlap is still refused: record 2 as this
# casebook copy holds it differs from the export (its stored link)
cp "$T/cb.db" "$T/cb2.db"
sqlite3 "$T/cb2.db" "UPDATE records SET link=zeroblob(32) WHERE seq=2"
if "$RV" import --casebook "$T/cb2.db" --key "$T/rv/alice.sec" "$T/all2" > /dev/null 2> "$T/err"; then
	fail "an overlap that differs from the casebook was accepted"
fi
grep -q 'record 2 of the bundle differs' "$T/err" || fail "differs: $(cat "$T/err")"
echo "ok: reply editor fallback, overlapping export, new message on a closed case"
