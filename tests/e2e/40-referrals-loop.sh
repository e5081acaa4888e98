#!/usr/bin/env bash
# Referrals with the real binaries: three concerns submitted through the
# intake name the same police referral in three different ways, one names
# a near miss and one a reference never recorded; the reviewer imports
# them, then the register (after the concerns: relinking turns missing
# into exact), lists the referrals with corroboration counts and flags,
# shows a concern, confirms / rejects / adds links by hand; the audit log
# holds every step and no reference appears in clear in the casebook.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
printf 'ref kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv"
"$RV" keygen --name alice --out "$T/rv" --kdf test > /dev/null || fail "keygen"
cp "$T/rv/alice.pub" "$T/keys/"

start_intake
code=$(submit_concern "$T/c1" -F "what=Police referral REF/2026/00423 was binned by the duty manager." \
	-F $'refs=PPN 123456')
[ "$code" = 200 ] || fail "submission 1 gave $code"
code=$(submit_concern "$T/c2" -F "what=Same child as ref 2026/423, and REF/2026/00501 had no strategy meeting.")
[ "$code" = 200 ] || fail "submission 2 gave $code"
code=$(submit_concern "$T/c3" -F "what=PPN-999999 was never put on the system. Call 07700 900123." \
	-F "refs=REF-2026-00423")
[ "$code" = 200 ] || fail "submission 3 gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"

A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import"

# before the register: every reference is missing, and unchecked (no register)
"$RV" referrals list "${A[@]}" --format csv > "$T/l0"; grep -q "REF/2026/00501" "$T/l0" || fail "no 00501 before: $(cat "$T/l0")"
grep -q '^"REF/2026/00423","3","0","missing","unchecked"' "$T/l0" || fail "before the register: $(cat "$T/l0")"

printf '\xef\xbb\xbfReferral Ref,Date Received,Source,Team,Decision,Decision Date,Status,Date Closed,Closure Reason\r\n' > "$T/reg.csv"
printf 'REF/2026/00423,05/06/2026,Police,North,NFA,2026-06-05,Closed,2026-06-08,"No further action, advice given"\r\n' >> "$T/reg.csv"
printf 'REF/2026/00500,2026-06-01,Health,South,s47,2026-06-03,Open,,\r\n' >> "$T/reg.csv"
printf 'PPN-123456,2026-06-01,Police,"East,\r\nduty",s17,2026-06-02,Open,,\r\n' >> "$T/reg.csv"
"$RV" referrals import "${A[@]}" "$T/reg.csv" > "$T/ri" || fail "register import"
grep -q 'imported 3 register rows (3 new, 0 updated)' "$T/ri" || fail "import said: $(cat "$T/ri")"

"$RV" referrals list "${A[@]}" --format csv > "$T/l1"
grep -q '^"REF/2026/00423","3","0","exact","yes","2026-06-05","NFA","Closed","nfa-quick"' "$T/l1" \
	|| fail "corroboration: $(cat "$T/l1")"
grep -q '^"PPN-999999","1","0","missing","no"' "$T/l1" || fail "missing: $(cat "$T/l1")"
grep -q '^"REF/2026/00500","0","1","near","yes"' "$T/l1" || fail "near: $(cat "$T/l1")"
grep -q '^"PPN-123456","1","0","exact","yes"' "$T/l1" || fail "exact: $(cat "$T/l1")"
if grep -q '07700' "$T/l1"; then fail "a phone number was taken for a reference"; fi
"$RV" referrals list "${A[@]}" --flag missing > "$T/l2"
grep -q 'PPN-999999' "$T/l2" || fail "--flag missing"
if grep -q 'REF/2026/00423' "$T/l2"; then fail "--flag missing lists a referral in the register"; fi

# the concern naming the near miss
ID2=
for id in $("$RV" list "${A[@]}" --format csv | sed -n 's/^"\([0-9A-Z]\{8\}\)".*/\1/p'); do
	"$RV" show "${A[@]}" "$id" > "$T/s.$id"
	if grep -q 'POSSIBLE, CONFIRM' "$T/s.$id"; then ID2=$id; fi
done
[ -n "$ID2" ] || fail "no concern shows a possible link"
"$RV" show "${A[@]}" "$ID2" > "$T/show"
grep -q 'REF/2026/00500  POSSIBLE, CONFIRM: the concern names REF/2026/00501' "$T/show" || fail "show: $(cat "$T/show")"
grep -q 'REF/2026/00423  in the register; named by 2 other concerns' "$T/show" || fail "show corroboration"
grep -q 'flags: decision-late,strategy-late,s47-not-started' "$T/show" || fail "show flags: $(cat "$T/show")"

"$RV" link "${A[@]}" "$ID2" REF/2026/00500 --confirm > /dev/null || fail "confirm"
"$RV" unlink "${A[@]}" "$ID2" REF/2026/00423 > /dev/null || fail "unlink"
"$RV" link "${A[@]}" "$ID2" "ppn 777" --not-in-register > /dev/null || fail "manual link"
"$RV" referrals list "${A[@]}" --format csv > "$T/l3"
grep -q '^"REF/2026/00423","2",' "$T/l3" || fail "after unlink: $(cat "$T/l3")"
grep -q '^"REF/2026/00500","1","0","manual","yes"' "$T/l3" || fail "after confirm: $(cat "$T/l3")"
grep -q '^"PPN-000777","1","0","manual","no"' "$T/l3" || fail "manual link: $(cat "$T/l3")"
if "$RV" unlink "${A[@]}" "$ID2" REF/2019/00001 2> "$T/e"; then fail "unlink of no link succeeded"; fi
grep -q "has no link to REF/2019/00001" "$T/e" || fail "unlink error: $(cat "$T/e")"

"$RV" audit "${A[@]}" verify > /dev/null || fail "audit verify"
"$RV" audit "${A[@]}" > "$T/audit"
for a in referrals-import link unlink; do grep -q "$a" "$T/audit" || fail "audit lacks $a"; done

# at rest: no reference or register value in clear
for f in "$T/cb.db" "$T/cb.db-wal"; do
	[ -f "$f" ] || continue
	for s in REF/2026/00423 PPN-123456 PPN-999999 'No further action' 00501; do
		if grep -qaF "$s" "$f"; then fail "'$s' in clear in $f"; fi
	done
done
# progress: on a terminal stderr says how far the import got; piped, it says nothing
"$RV" referrals import "${A[@]}" "$T/reg.csv" > "$T/ri2" 2> "$T/ri2.err" || fail "re-import"
[ ! -s "$T/ri2.err" ] || fail "progress printed when stderr is not a terminal: $(cat "$T/ri2.err")"
grep -q 'imported 3 register rows (0 new, 3 updated)' "$T/ri2" || fail "re-import said: $(cat "$T/ri2")"
script -qec "'$RV' referrals import --casebook '$T/cb.db' --key '$T/rv/alice.sec' '$T/reg.csv' > '$T/ri3'" \
	/dev/null > "$T/tty" 2>&1 || fail "import on a terminal: $(cat "$T/tty")"
grep -q 'reading the register: 100% (3 rows)' "$T/tty" || fail "no progress on a terminal: $(cat -v "$T/tty")"
grep -q 'imported 3 register rows' "$T/ri3" || fail "tty import said: $(cat "$T/ri3")"
echo "referrals loop ok"
