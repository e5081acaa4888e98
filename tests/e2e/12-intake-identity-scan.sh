#!/usr/bin/env bash
# Identity scan: a submission and a follow-up with a distinctive User-Agent,
# X-Forwarded-For, Accept-Language and cookie; afterwards none of those
# strings, nor the receipt, nor any sentence of the concern or the message,
# nor the attachment's bytes or name, appear in any byte of any file the
# server wrote (the database, its WAL and journal, the key files: the whole
# data directory), nor on the server's stderr.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake

UA="UA-Zebra-Quokka-7731"
XFF="203.0.113.77"
AL="xx-QUOKKA-9911"
CK="tracker=Cookie-Narwhal-4413"
S1="The duty manager told me to close referral REFX-99321 without a visit."
S2="Nobody checked on the child at Plover Street for eleven weeks."
M1="I can add that the case notes were edited afterwards by someone senior."
FILE_NAME="minutes-Wombat-5521.txt"
FILE_BODY="Attachment sentence Kestrel-8812 that must never be stored in clear."
printf '%s\n' "$FILE_BODY" > "$T/$FILE_NAME"
H=(-A "$UA" -H "X-Forwarded-For: $XFF" -H "Accept-Language: $AL" -b "$CK")

curl -s "${H[@]}" -o "$T/form" "$URL/report"
tok=$(csrf_of "$T/form")
code=$(curl -s "${H[@]}" -o "$T/c" -w '%{http_code}' -F "csrf=$tok" -F category=other \
	-F "team=Team Heron-6612" -F "what=$S1 $S2" -F when=2024-02 -F "refs=REFX-99321" \
	-F risk=no -F raised_before=yes -F "raised_with=Supervisor Osprey-3390" \
	-F "file=@$T/$FILE_NAME;type=text/plain" "$URL/report")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c")
[ -n "$R" ] || fail "no receipt"
RC=$(echo "$R" | tr -d '-')

curl -s "${H[@]}" -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s "${H[@]}" -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R" "$URL/followup"
curl -s "${H[@]}" -b "$T/jar" -o "$T/f" "$URL/followup"
SID=$(awk '$6 == "candour_s" { print $7 }' "$T/jar")
[ -n "$SID" ] || fail "no session cookie"
tok=$(csrf_of "$T/f")
code=$(curl -s "${H[@]}" -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" -F "text=$M1" "$URL/followup/message")
[ "$code" = 200 ] || fail "message gave $code"
[ "$(count_records)" = 2 ] || fail "expected 2 records"

# Scan a copy taken while the server ran (WAL not yet checkpointed) and
# the data directory after a clean stop.
cp -a "$DATA" "$T/live-copy"
stop_intake

needles=("$UA" "$XFF" "$AL" "Cookie-Narwhal-4413" "$SID" "$R" "$RC" \
	"$(echo "$RC" | tr 'A-Z' 'a-z')" "$S1" "$S2" "$M1" "REFX-99321" "Team Heron-6612" \
	"Supervisor Osprey-3390" "Kestrel-8812" "Wombat-5521" "Plover Street" "QUOKKA")
# scan DIR NEEDLE...: exit 1 naming the first needle found in any file,
# as UTF-8 or UTF-16LE/BE, case-sensitive and lower-cased.
scan() {
	python3 - "$@" <<'PY'
import os, sys
d, needles = sys.argv[1], sys.argv[2:]
for root, _, files in os.walk(d):
    for fn in files:
        data = open(os.path.join(root, fn), 'rb').read()
        for n in needles:
            for form in {n, n.lower(), n.upper()}:
                for enc in ('utf-8', 'utf-16-le', 'utf-16-be'):
                    if form.encode(enc) in data:
                        print(f"{form!r} ({enc}) in {fn}")
                        sys.exit(1)
PY
}
# the scanner must see a planted needle (a scan that cannot fail proves nothing)
mkdir -p "$T/control"; printf 'xx%sxx' "$S1" > "$T/control/f"
if scan "$T/control" "$S1" >/dev/null; then fail "the scanner does not find a planted string"; fi
for dir in "$DATA" "$T/live-copy"; do
	files=$(find "$dir" -type f | wc -l)
	[ "$files" -ge 2 ] || fail "no files written in $dir?"
	scan "$dir" "${needles[@]}" || fail "an identifying or plaintext string was stored ($dir)"
done
for n in "${needles[@]}"; do
	if grep -qaF -- "$n" "$T/serve.err"; then fail "'$n' on the server's stderr"; fi
done
# the data directory holds only what the intake should write (DB.keys: the
# reviewers' public keys serve holds, for `keys --db`; it is scanned above too)
find "$DATA" -type f | sed 's|.*/||' | sort > "$T/names"
if grep -Ev '^intake\.db(-wal|-shm|-journal|\.sign\.key|\.sign\.pub|\.keys)?$' "$T/names"; then
	fail "unexpected files in the data directory"
fi
echo "identity scan OK: ${#needles[@]} strings absent from $(wc -l < "$T/names") files"
