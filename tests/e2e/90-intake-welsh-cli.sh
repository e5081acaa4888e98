#!/usr/bin/env bash
# candour-intake's converted commands (keys, export, import-replies,
# backup) in Welsh: with LANG=cy_GB.UTF-8 their help, usage errors,
# refusals and results come from web/locale/cy.txt, with LANG=C the same
# commands say the English of en.txt, and the exit codes are the same in
# both. Beside a live serve with one concern: seconds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
unset LANGUAGE LC_ALL LC_MESSAGES
IN="$BIN/candour-intake"
cy() { LANG=cy_GB.UTF-8 "$IN" "$@"; }
en() { LANG=C "$IN" "$@"; }
# expect RC WANT CMD...: CMD exits RC and its stdout+stderr hold WANT
expect() {
	local rc=$1 want=$2; shift 2
	local got=0
	"$@" > "$T/o" 2>&1 || got=$?
	[ "$got" = "$rc" ] || fail "$* exited $got, not $rc: $(cat "$T/o")"
	grep -qF -- "$want" "$T/o" || fail "$* did not say '$want': $(cat "$T/o")"
}

# help (0) and usage errors (2), before anything is opened
expect 0 'defnydd: candour-intake keys --db FILE [--keys DIR]' cy keys --help
expect 0 'defnydd: candour-intake export --db FILE [--since SEQ] --out BUNDLE' cy export --help
expect 0 'defnydd: candour-intake import-replies --db FILE --keys DIR --in BUNDLE' cy import-replies --help
expect 0 'defnydd: candour-intake backup --db FILE --out FILE' cy backup --help
expect 0 'Statws gadael: 0 wedi' cy backup --help
expect 0 'usage: candour-intake backup --db FILE --out FILE' en backup --help
expect 2 'candour-intake: export: mae angen --db a --out; gweler candour-intake export --help' cy export
expect 2 'candour-intake: export: mae --since yn cymryd rhif dilyniant (0 neu fwy)' cy export --db "$T/x.db" --out "$T/y" --since abc
expect 2 'candour-intake: export: --since takes a sequence number (0 or more)' en export --db "$T/x.db" --out "$T/y" --since abc
mkdir -p "$T/nokeys"
expect 2 "rhowch lwybr bwndel a ysgrifennwyd gan \`candour-review export-replies\`" cy import-replies --db "$T/x.db" --keys "$T/nokeys" --in "$T/none"

start_intake
code=$(submit_concern "$T/c1" -F "what=Pryder prawf.")
[ "$code" = 200 ] || fail "submission gave $code"

# the work (0) and its refusals (1)
expect 0 "allforiwyd cofnodion 1..1 (1) i $T/b1; pen y gadwyn " cy export --db "$DB" --out "$T/b1"
expect 0 "exported records 1..1 (1) to $T/b2; chain head " en export --db "$DB" --out "$T/b2"
expect 1 "ni ellir creu $T/b1: mae'n bodoli eisoes; dewiswch enw ffeil newydd" cy export --db "$DB" --out "$T/b1"
expect 1 "mae --since 5 y tu hwnt i'r cofnod olaf (1); dim i'w allforio" cy export --db "$DB" --out "$T/b3" --since 5
expect 0 "dim cofnodion ar ôl 1; ysgrifennwyd bwndel gwag $T/b4; pen y gadwyn " cy export --db "$DB" --out "$T/b4" --since 1
expect 0 "copi wrth gefn: $T/bk" cy backup --db "$DB" --out "$T/bk"
grep -qx 'cofnodion: 1' "$T/o" || fail "backup in Welsh: $(cat "$T/o")"
expect 1 "$T/bk: mae'n bodoli eisoes; dewiswch ffeil newydd" cy backup --db "$DB" --out "$T/bk"
expect 1 "$T/bk: it already exists; choose a new file" en backup --db "$DB" --out "$T/bk"
expect 0 "allwedd llofnodi'r derbynfa: " cy keys --db "$DB" --keys "$T/keys"
grep -qx 'allweddi adolygwyr: 2' "$T/o" || fail "keys in Welsh: $(cat "$T/o")"
grep -q '^adolygydd: .* alice$' "$T/o" || fail "keys in Welsh: $(cat "$T/o")"
expect 0 "allweddi adolygwyr: 2 (sydd gan serve: ers iddo gychwyn neu ail-lwytho ddiwethaf)" cy keys --db "$DB"
expect 0 "reviewer keys: 2 (held by serve: its start or last reload)" en keys --db "$DB"
expect 1 "allforiad derbynfa yw $T/b1, nid bwndel atebion; ni chymhwyswyd dim" cy import-replies --db "$DB" --keys "$T/keys" --in "$T/b1"
expect 1 "$T/b1 is an intake export, not a reply bundle; nothing was applied" en import-replies --db "$DB" --keys "$T/keys" --in "$T/b1"
stop_intake
echo "intake welsh cli: ok"
