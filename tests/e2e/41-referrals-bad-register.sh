#!/usr/bin/env bash
# A malformed register changes nothing and names file, line and column;
# a duplicate reference in one file is refused; a re-import updates by
# reference; --map and --config name columns; --help works.
. "$(dirname "$0")/lib.sh"
RV=$BIN/candour-review
printf 'ref kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail "keygen"
# A casebook needs an intake key: made with the crypto library
# (tests/e2e/intake_key.c, built by make tests).
tool intake_key
"$BIN/tests/e2e/intake_key" > "$T/intake.pub"
A=(--casebook "$T/cb.db" --key "$T/alice.sec")
"$RV" init "${A[@]}" --intake-key "$T/intake.pub" > /dev/null || fail "init"
"$RV" referrals --help | grep -q 'referrals import' || fail "--help"

dump() { sqlite3 "$T/cb.db" 'SELECT count(*) FROM ref_register; SELECT count(*) FROM ref_imports;
	SELECT count(*) FROM audit;' | tr '\n' ' '; }
refuse() { # refuse FILE EXPECTED [args]
	local f=$1 want=$2; shift 2
	local before; before=$(dump)
	if "$RV" referrals import "${A[@]}" "$f" "$@" 2> "$T/err"; then fail "$f was accepted"; fi
	grep -qF -- "$want" "$T/err" || fail "error for $f: $(cat "$T/err") (wanted: $want)"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "more than one error line: $(cat "$T/err")"
	[ "$(dump)" = "$before" ] || fail "$f changed the casebook"
}
printf 'reference,received\nREF/2026/00001,2026-01-02\n' > "$T/ok.csv"
"$RV" referrals import "${A[@]}" "$T/ok.csv" > /dev/null || fail "first import"

printf 'reference,team,received\nREF/2026/00002,North,2026-01-02\nREF/2026/00003,"South\nEast",31/02/2026\n' > "$T/bad-date.csv"
refuse "$T/bad-date.csv" "bad-date.csv: line 4, column 3 (received): '31/02/2026' is not a date"
printf 'reference\nREF/2026/00002\nREF/2026/00004\nref 2026/2\n' > "$T/dup.csv"
refuse "$T/dup.csv" "line 4, column 1 (reference): duplicate reference REF/2026/00002 (also on line 2)"
printf 'reference,team\nREF/2026/00002,"North\n' > "$T/quote.csv"
refuse "$T/quote.csv" "line 2, column 16: quoted field is never closed"
printf 'reference,team\nREF/2026/00002,North,extra\n' > "$T/fields.csv"
refuse "$T/fields.csv" "line 2: 3 fields but the header has 2"
printf 'reference,team\nREF/2026/00002,\xff\n' > "$T/utf8.csv"
refuse "$T/utf8.csv" "line 2, column 16: not valid UTF-8"
printf 'Case,team\nREF/2026/00002,North\n' > "$T/nomap.csv"
refuse "$T/nomap.csv" "no reference column"
refuse "$T/nomap.csv" "unknown field 'ref'" --map Case=ref
"$RV" referrals import "${A[@]}" "$T/nomap.csv" --map Case=reference > /dev/null || fail "--map"
printf 'map Case No = reference\nicpc_days 20\n' > "$T/ref.conf"
printf 'Case No,team\nREF/2026/00005,North\n' > "$T/conf.csv"
"$RV" referrals import "${A[@]}" "$T/conf.csv" --config "$T/ref.conf" > /dev/null || fail "--config"
"$RV" referrals config "${A[@]}" | grep -q 'icpc_days 20' || fail "stored config"
# a bad config is refused and the stored one stays
printf 'pattern REF/YYYY/NNNNN\nnfa_days soon\n' > "$T/bad.conf"
if "$RV" referrals config "${A[@]}" "$T/bad.conf" 2> "$T/err"; then fail "bad config accepted"; fi
grep -q 'line 2: nfa_days' "$T/err" || fail "config error: $(cat "$T/err")"
"$RV" referrals config "${A[@]}" | grep -q 'icpc_days 20' || fail "stored config changed"
# not a regular file, or a symbolic link: refused
ln -s "$T/ok.csv" "$T/link.csv"
refuse "$T/link.csv" "link.csv"
refuse "$T" "$T"
printf 'reference,status\nREF/2026/00001,Closed\n' > "$T/upd.csv"
"$RV" referrals import "${A[@]}" "$T/upd.csv" > "$T/upd" || fail "re-import"
grep -q '(0 new, 1 updated)' "$T/upd" || fail "re-import: $(cat "$T/upd")"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM ref_register')" = 3 ] || fail "register rows"
echo "bad register ok"
