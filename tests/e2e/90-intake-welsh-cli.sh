#!/usr/bin/env bash
# candour-intake's converted commands (keys, export, import-replies,
# backup, poster, onion, serve's start) in Welsh: with LANG=cy_GB.UTF-8 their help, usage errors,
# refusals and results come from web/locale/cy.txt, with LANG=C the same
# commands say the English of en.txt, and the exit codes are the same in
# both. Beside a live serve with one concern: seconds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
unset LANGUAGE LC_ALL LC_MESSAGES
IN="$BIN/candour-intake"
cy() { LANG=cy_GB.UTF-8 "$IN" "$@"; }
en() { LANG=C "$IN" "$@"; }

# help (0) and usage errors (2), before anything is opened
expect_says 0 'defnydd: candour-intake keys --db FILE [--keys DIR]' cy keys --help
expect_says 0 'defnydd: candour-intake export --db FILE [--since SEQ] --out BUNDLE' cy export --help
expect_says 0 'defnydd: candour-intake import-replies --db FILE --keys DIR --in BUNDLE' cy import-replies --help
expect_says 0 'defnydd: candour-intake backup --db FILE --out FILE' cy backup --help
expect_says 0 'Statws gadael: 0 wedi' cy backup --help
expect_says 0 'usage: candour-intake backup --db FILE --out FILE' en backup --help
expect_says 2 'candour-intake: export: mae angen --db a --out; gweler candour-intake export --help' cy export
expect_says 2 'candour-intake: export: mae --since yn cymryd rhif dilyniant (0 neu fwy)' cy export --db "$T/x.db" --out "$T/y" --since abc
expect_says 2 'candour-intake: export: --since takes a sequence number (0 or more)' en export --db "$T/x.db" --out "$T/y" --since abc
mkdir -p "$T/nokeys"
expect_says 2 "rhowch lwybr bwndel a ysgrifennwyd gan \`candour-review export-replies\`" cy import-replies --db "$T/x.db" --keys "$T/nokeys" --in "$T/none"
# a --keys directory that cannot be used (scli_load_keys), with the
# crypto layer's phrase (cc_strerror) said through cli_phrase
mkdir -p "$T/badkeys" && echo junk > "$T/badkeys/x.pub" && head -c 300 /dev/urandom > "$T/junk"
expect_says 1 "dim allwedd gyhoeddus adolygydd (*.pub) yn $T/nokeys" cy import-replies --db "$T/x.db" --keys "$T/nokeys" --in "$T/junk"
expect_says 1 "nid yw $T/badkeys/x.pub yn allwedd gyhoeddus adolygydd (nid gwrthrych Candour o'r math hwn, neu fersiwn anhysbys)" cy import-replies --db "$T/x.db" --keys "$T/badkeys" --in "$T/junk"
expect_says 1 "$T/badkeys/x.pub is not a reviewer public key (not a Candour object of this kind, or an unknown version)" en import-replies --db "$T/x.db" --keys "$T/badkeys" --in "$T/junk"

# poster: help (0), a usage error (2), a refusal (1), the poster (0)
# a database that does not open: its reason from below the command
# (store_db_open, through cli_phrase; English only until 2026-12-06)
: > "$T/empty.db"
expect_says 1 "$T/empty.db: nid yw'n gronfa ddata derbynfa (neu mae'n un hŷn: rhedwch serve unwaith); gwiriwch --db" cy export --db "$T/empty.db" --out "$T/e.bundle"
expect_says 1 "$T/empty.db: not an intake database (or an older one: run serve once); check --db" en export --db "$T/empty.db" --out "$T/e.bundle"
expect_says 0 'defnydd: candour-intake poster --url URL --out FILE' cy poster --help
expect_says 2 "candour-intake: poster: rhaid i'r URL ddechrau gyda http:// neu https:// (neu fod yn gyfeiriad .onion)" cy poster --out "$T/p.svg" --demo --url ftp://example.org/
expect_says 2 'candour-intake: poster: the URL must start with http:// or https:// (or be an .onion address)' en poster --out "$T/p.svg" --demo --url ftp://example.org/
expect_says 0 "ysgrifennwyd y poster A4 ar gyfer http://example.org i $T/p.svg" cy poster --out "$T/p.svg" --demo --url http://example.org
expect_says 1 "ni ellir ysgrifennu $T/p.svg: mae'n bodoli eisoes; dewiswch enw ffeil newydd" cy poster --out "$T/p.svg" --demo --url http://example.org
expect_says 1 "cannot write $T/p.svg: it already exists; choose a new file name" en poster --out "$T/p.svg" --demo --url http://example.org
# the checks poster and serve call (onion_addr.c, contacts.c), their
# phrases said through cli_phrase
expect_says 2 "candour-intake: poster: --onion-address: nid cyfeiriad onion fersiwn 3 (56 o lythrennau a-z a digidau 2-7, yna .onion; copïwch ef o ffeil hostname Tor)" cy poster --out "$T/p2.svg" --demo --url http://example.org --onion-address abc.onion
expect_says 2 "candour-intake: poster: --onion-address: not a version 3 onion address (56 letters a-z and digits 2-7, then .onion; copy it from Tor's hostname file)" en poster --out "$T/p2.svg" --demo --url http://example.org --onion-address abc.onion
printf 'out_of_hours = 0300 000 0000\n' > "$T/placeholder.txt"
expect_says 1 "$T/placeholder.txt: mae'r rhif dalfan 0300 000 0000 yn y ffeil cysylltiadau o hyd: ysgrifennwch eich rhif eich hun y tu allan i oriau" cy poster --out "$T/p2.svg" --url http://example.org --contacts "$T/placeholder.txt"
expect_says 1 "$T/placeholder.txt: the contacts file still holds the placeholder number 0300 000 0000: write your own out-of-hours number" en poster --out "$T/p2.svg" --url http://example.org --contacts "$T/placeholder.txt"

# onion: its help, a refusal (1), the note and the torrc's comments (their
# options stay as tor reads them; each comment line stays behind "# ")
expect_says 0 'defnydd: candour-intake onion --listen ADDR:PORT' cy onion --help
expect_says 1 'candour-intake: onion: rhaid i --listen fod yn ADDR:PORT gyda chyfeiriad rhifol' cy onion --listen 8080
expect_says 1 'candour-intake: onion: --listen must be ADDR:PORT with a numeric address' en onion --listen 8080
expect_says 1 'candour-intake: onion: rhaid i --dir fod yn llwybr absoliwt' cy onion --listen 127.0.0.1:80 --dir rel
expect_says 0 'candour-intake: onion: nodyn: nid yw 192.0.2.1:80 yn gyfeiriad loopback' cy onion --listen 192.0.2.1:80 --tor "$T/none"
grep -qx '# Gwasanaeth onion derbynfa Candour (candour-intake onion)' "$T/o" || fail "onion in Welsh: $(cat "$T/o")"
grep -qx "# ni chafwyd hyd i tor neu ni redodd, felly ni wyddys a yw'n cynnal prawf-gwaith;" "$T/o" ||
	fail "onion's reason in Welsh: $(cat "$T/o")"
grep -qx '# HiddenServicePoWDefensesEnabled 1' "$T/o" || fail "onion's PoW line: $(cat "$T/o")"
grep -qx 'HiddenServicePort 80 192.0.2.1:80' "$T/o" || fail "onion's port line: $(cat "$T/o")"
[ "$(grep -cv '^#\|^Hidden\|^candour-intake: onion: ' "$T/o")" = 0 ] || fail "onion: a line neither comment nor option: $(cat "$T/o")"
touch "$T/torrc"
expect_says 1 "ni ellir ysgrifennu $T/torrc: mae'n bodoli eisoes" cy onion --listen 127.0.0.1:80 --tor "$T/none" --out "$T/torrc"
expect_says 1 "cannot write $T/torrc: it already exists" en onion --listen 127.0.0.1:80 --tor "$T/none" --out "$T/torrc"
# strerror's English said through cli_phrase (cli.why.errno_*)
expect_says 1 "ni ellir ysgrifennu $T/nodir/torrc: Dim ffeil na chyfeiriadur o'r fath" cy onion --listen 127.0.0.1:80 --tor "$T/none" --out "$T/nodir/torrc"
expect_says 1 "cannot write $T/nodir/torrc: No such file or directory" en onion --listen 127.0.0.1:80 --tor "$T/none" --out "$T/nodir/torrc"

# serve: its help, a usage error (2), a --keys with no key in it (1)
expect_says 0 'defnydd: candour-intake serve --db FILE --keys DIR' cy serve --help
expect_says 0 'Statws gadael: 0 wedi stopio' cy serve --help
expect_says 2 'candour-intake: serve: mae angen --db FILE a --keys DIR; gweler candour-intake serve --help' cy serve --db "$T/x.db"
user=()
[ "$EUID" -eq 0 ] && user=(--user nobody)
data_dir "$T/d"
mkdir -p "$T/emptykeys"
expect_says 1 'candour-intake: serve: dim allwedd gyhoeddus adolygydd yn --keys; ychwanegwch o leiaf un NAME.pub' cy serve --db "$T/d/x.db" --keys "$T/emptykeys" --demo "${user[@]}"
expect_says 1 'candour-intake: serve: no reviewer public key in --keys; add at least one NAME.pub' en serve --db "$T/d/x.db" --keys "$T/emptykeys" --demo "${user[@]}"
[ ! -e "$T/d/x.db" ] || fail "a refused serve made a database"

# a serve started in Welsh says its start in Welsh
LANG=cy_GB.UTF-8 start_intake
# the parent says it serves once the http process's byte reached it,
# which may be just after the first page answered
for ((i = 0; i < 50; i++)); do has "$T/serve.err" 'yn gwasanaethu' && break; nap 0.1; done
grep -q "^candour-intake: serve: derbynfa newydd: crëwyd $DB a'i allwedd llofnodi, olion bysedd " "$T/serve.err" ||
	fail "serve's first start in Welsh: $(cat "$T/serve.err")"
grep -q "^candour-intake: yn gwasanaethu $URL gyda 2 allwedd adolygydd; stopiwch gyda Ctrl-C$" "$T/serve.err" ||
	fail "serve's start in Welsh: $(cat "$T/serve.err")"
code=$(submit_concern "$T/c1" -F "what=Pryder prawf.")
[ "$code" = 200 ] || fail "submission gave $code"

# the work (0) and its refusals (1)
expect_says 0 "allforiwyd cofnodion 1..1 (1) i $T/b1; pen y gadwyn " cy export --db "$DB" --out "$T/b1"
expect_says 0 "exported records 1..1 (1) to $T/b2; chain head " en export --db "$DB" --out "$T/b2"
expect_says 1 "ni ellir creu $T/b1: mae'n bodoli eisoes; dewiswch enw ffeil newydd" cy export --db "$DB" --out "$T/b1"
expect_says 1 "mae --since 5 y tu hwnt i'r cofnod olaf (1); dim i'w allforio" cy export --db "$DB" --out "$T/b3" --since 5
expect_says 0 "dim cofnodion ar ôl 1; ysgrifennwyd bwndel gwag $T/b4; pen y gadwyn " cy export --db "$DB" --out "$T/b4" --since 1
expect_says 0 "copi wrth gefn: $T/bk" cy backup --db "$DB" --out "$T/bk"
grep -qx 'cofnodion: 1' "$T/o" || fail "backup in Welsh: $(cat "$T/o")"
expect_says 1 "$T/bk: mae'n bodoli eisoes; dewiswch ffeil newydd" cy backup --db "$DB" --out "$T/bk"
expect_says 1 "$T/bk: it already exists; choose a new file" en backup --db "$DB" --out "$T/bk"
expect_says 0 "allwedd llofnodi'r dderbynfa: " cy keys --db "$DB" --keys "$T/keys"
grep -qx 'allweddi adolygwyr: 2' "$T/o" || fail "keys in Welsh: $(cat "$T/o")"
grep -q '^adolygydd: .* alice$' "$T/o" || fail "keys in Welsh: $(cat "$T/o")"
expect_says 0 "allweddi adolygwyr: 2 (sydd gan serve: ers iddo gychwyn neu ail-lwytho ddiwethaf)" cy keys --db "$DB"
expect_says 0 "reviewer keys: 2 (held by serve: its start or last reload)" en keys --db "$DB"
expect_says 1 "allforiad derbynfa yw $T/b1, nid bwndel atebion; ni chymhwyswyd dim" cy import-replies --db "$DB" --keys "$T/keys" --in "$T/b1"
expect_says 1 "$T/b1 is an intake export, not a reply bundle; nothing was applied" en import-replies --db "$DB" --keys "$T/keys" --in "$T/b1"
# bundle_strerror's phrase (bundle/brec.c), said through cli_phrase
head -c 300 /dev/urandom > "$T/notbundle"
expect_says 1 "$T/notbundle: nid bwndel Candour, neu'n llygredig neu wedi'i dorri'n fyr; ni chymhwyswyd dim" cy import-replies --db "$DB" --keys "$T/keys" --in "$T/notbundle"
expect_says 1 "$T/notbundle: not a Candour bundle, or corrupt or truncated; nothing was applied" en import-replies --db "$DB" --keys "$T/keys" --in "$T/notbundle"
# a --db that names no intake beside another (serve_check_new)
data_dir "$T/typo"
touch "$T/typo/other.db.sign.key"
expect_says 1 "nid yw --db $T/typo/x.db yn bodoli, ond mae $T/typo/ yn dal derbynfa other.db; gwiriwch yr enw" cy serve --db "$T/typo/x.db" --keys "$T/keys" --demo "${user[@]}"
expect_says 1 "--db $T/typo/x.db does not exist, but $T/typo/ holds the intake of other.db; check the name" en serve --db "$T/typo/x.db" --keys "$T/keys" --demo "${user[@]}"
stop_intake
echo "intake welsh cli: ok"
