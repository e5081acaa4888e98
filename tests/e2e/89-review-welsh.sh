#!/usr/bin/env bash
# A Welsh-speaking reviewer's day at the command line: with LANG=cy_GB.UTF-8
# (or --lang cy for the commands that have it) candour-review's converted
# commands say their lines in Welsh from web/locale/cy.txt, and the same
# commands with LANG=C say exactly the English of en.txt. A program that
# finds no web/ at all (copied away from its tree) still says English, from
# the catalogue built into it. Exit codes do not change with the language.
# Bundles from bench/gen_bundle: seconds.
. "$(dirname "$0")/lib.sh"
gen_setup "welsh kettle orbit velvet canyon" alice bob
unset LANGUAGE LC_ALL LC_MESSAGES
cy() { LANG=cy_GB.UTF-8 "$RV" "$@"; }
en() { LANG=C "$RV" "$@"; }
CB=(--casebook "$T/cb.db" "${A[@]}")
echo "not the passphrase" > "$T/wrong"
"$GEN" --out "$T/b" --intake-pub "$T/i.pub" --pub "$T/alice.pub" --concerns 3 --seed 5 > /dev/null ||
	fail "gen_bundle"
en init "${CB[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init"

expect() { expect_says "$@"; } # lib.sh
cy_import=$(cy import "${CB[@]}" "$T/b") || fail "import in Welsh"
printf '%s\n' "$cy_import" | grep -q "^mewnforiwyd cofnodion 1-3: 3 yn ddarllenadwy, 0 yn annarllenadwy yma; mae'r llyfr achosion yn dal 3 cofnod, pen y gadwyn [0-9a-f]\{64\}$" ||
	fail "import in Welsh said: $cy_import"
# what is new, one line a concern (review/seen.c), in Welsh too
printf '%s\n' "$cy_import" | grep -q "^  pryder newydd [0-9A-Z]\{8\}$" || fail "import's news in Welsh said: $cy_import"
if printf '%s\n' "$cy_import" | grep -q 'new concern'; then fail "import's news in English: $cy_import"; fi
# a refusal from the import below the command (cb_import.c), its parts
# said through cli_phrase: a file that is no bundle
head -c 300 /dev/urandom > "$T/notbundle"
expect 1 "$T/notbundle: nid bwndel Candour yw hwn, neu mae'n llygredig neu wedi'i dorri'n fyr; ni fewnforiwyd dim; copïwch y bwndel eto (gall copi gael ei dorri'n fyr) neu allforiwch eto o'r dderbynfa a mewnforiwch y bwndel hwnnw" cy import "${CB[@]}" "$T/notbundle"
expect 1 "$T/notbundle: not a Candour bundle, or it is corrupt or truncated; nothing imported; copy the bundle again (a copy may be cut short) or export again from the intake and import that bundle" en import "${CB[@]}" "$T/notbundle"
id=$(en list "${CB[@]}" --format csv | tr -d '\r' | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
[ -n "$id" ] || fail "no concern listed"

# the help of the daily commands, on stdout, exit 0
expect 0 'defnydd: candour-review status' cy status --help
expect 0 'Ymlaen yn unig y mae cyflyrau' cy status --help
expect 0 'Statws gadael: 0 wedi' cy reply --help
expect 0 'defnydd: candour-review unlock' cy unlock --help
expect 0 'Mae cydnabyddiaeth yn ddyledus 7 diwrnod' cy list --help
expect 0 'defnydd: candour-review import' cy import --help
expect 2 "un bwndel ar y tro: mewnforiwch $T/b, yna $T/b2 (yr allforyn hynaf yn gyntaf)" cy import "${CB[@]}" "$T/b" "$T/b2"
expect 2 "candour-review: import: one bundle at a time: import $T/b, then $T/b2 (the older export first)" en import "${CB[@]}" "$T/b" "$T/b2"
expect 0 'usage: candour-review status' en status --help
# --lang, wherever it stands, speaks for --help and argument errors too (an
# English terminal's report --lang cy --help was English until 2026-12-07)
expect 0 'defnydd: candour-review report' en report --lang cy --help
expect 0 'defnydd: candour-review report' en report --help --lang=cy
expect 0 'defnydd: candour-review desk' en desk --lang cy --help
expect 0 'Dewiswch un math o flwyddyn' en report --lang cy --help
expect 0 'Choose one kind of year for the committee' cy report --lang en --help
expect 2 "candour-review: report: dadl anhysbys '--bogus'" en report --bogus --lang cy
expect 0 'usage: candour-review report' en report --lang fr --help
# usage errors (2), the option and file names kept as they are
expect 2 "candour-review: status: dadl anhysbys '--bogus'; gweler --help" cy status --bogus
expect 2 'candour-review: note: ID a TEXT ar goll; gweler --help' cy note
expect 2 "cyflwr anhysbys 'later'; defnyddiwch received, acknowledged, investigating neu closed" cy status "$id" later "${CB[@]}"
expect 2 'mae --format yn table, csv neu json' cy list --format xml
expect 2 '--for 5x: rhowch N ac yna s, m neu h, hyd at 12h' cy unlock --key "$T/alice.sec" --for 5x
expect 2 "nid oes llyfr achosion o'r fath (nid oes ffeil o'r fath); gwiriwch --casebook" cy list --casebook "$T/none.db" "${A[@]}"
expect 2 "candour-review: status: unknown argument '--bogus'; see --help" en status --bogus
# a mistyped id: why it is not one, in the reader's language (the reason
# came from a lower layer in English only until 2026-12-06)
expect 2 "nid yw 'vnymoqta' yn ddynodydd pryder: nid yw nod 5 ('o') yn wyddor y dynodyddion (digidau a llythrennau ac eithrio I, L, O ac U); defnyddiwch y digid 0 yn lle'r llythyren O" cy show vnymoqta "${CB[@]}"
expect 2 "nid yw 'vnym0qt' yn ddynodydd pryder: mae ganddo 7 nod; mae gan ddynodydd 8" cy status vnym0qt closed "${CB[@]}"
expect 2 "'vnymoqta' is not a concern id: character 5 ('o') is not in the id alphabet (digits and letters but I, L, O and U); the letter O is the digit 0" en show vnymoqta "${CB[@]}"
expect 2 "'x' is not a concern id: it has 1 character; an id has 8, as \`list\` shows" en status x closed "${CB[@]}"
# a casebook that does not open, its reason from below the command (cb_open
# in casebook.c, through cli_phrase; English only until 2026-12-06)
expect 1 "nid yw'r allwedd hon yn adolygydd ar y llyfr achosion hwn; gofynnwch i adolygydd redeg \`candour-review reviewer add\`" cy list --casebook "$T/cb.db" --key "$T/bob.sec"
expect 1 "this key is not a reviewer of this casebook; ask a reviewer to run \`candour-review reviewer add\`" en list --casebook "$T/cb.db" --key "$T/bob.sec"
head -c 4096 /dev/urandom > "$T/notcb.db"
expect 1 "ni ellir agor y llyfr achosion (nid yw'n llyfr achosion, neu mae wedi'i ddifrodi)" cy list --casebook "$T/notcb.db" "${A[@]}"
expect 1 "cannot open the casebook (not a casebook, or damaged)" en list --casebook "$T/notcb.db" "${A[@]}"
# the work itself (0), and its refusals (1)
expect 0 "$id: received -> acknowledged (caiff ei rannu â'r sawl a'i cododd yn yr export-replies nesaf)" cy status "$id" acknowledged "${CB[@]}"
expect 1 "ni all $id symud o acknowledged i received: ymlaen yn unig y mae cyflyrau'n symud" cy status "$id" received "${CB[@]}"
expect 0 "$id: ychwanegwyd nodyn" cy note "$id" "Nodyn prawf" "${CB[@]}"
expect 0 "$id: cofnodwyd y canlyniad substantiated; caewch ef gyda \`status $id closed\`" cy outcome "$id" substantiated --summary "Crynodeb" "${CB[@]}"
expect 0 "$id: ateb wedi'i selio i'r sawl a'i cododd" cy reply "$id" "Diolch" "${CB[@]}"
expect 1 "nid yw bob yn adolygydd ar y llyfr achosion hwn" cy assign "$id" bob "${CB[@]}"
expect 0 "ysgrifennwyd $T/r.bundle: 2 eitem wedi'u llofnodi gan alice" cy export-replies --out "$T/r.bundle" "${CB[@]}"
expect 0 "dim yn aros; ni ysgrifennwyd bwndel" cy export-replies --out "$T/r2.bundle" "${CB[@]}"
expect 1 'cyfrinymadrodd anghywir ar gyfer' env CANDOUR_PASSPHRASE_FILE=/dev/null LANG=cy_GB.UTF-8 "$RV" list "${CB[@]}" --passphrase-file "$T/wrong"
# gettext's order: LC_ALL over LANG, LANGUAGE's list unless the locale is C
expect 2 'dadl anhysbys' env LC_ALL=cy_GB.UTF-8 LANG=C "$RV" status --bogus
expect 2 'unknown argument' env LC_ALL=en_GB.UTF-8 LANG=cy_GB.UTF-8 "$RV" status --bogus
expect 2 'dadl anhysbys' env LANGUAGE=fr:cy:en LANG=en_GB.UTF-8 "$RV" status --bogus
expect 2 'unknown argument' env LANGUAGE=cy LC_ALL=C "$RV" status --bogus

# referrals, link, unlink
expect 0 'defnydd: candour-review referrals import' cy referrals --help
expect 2 "candour-review: referrals: baner anhysbys 'bogus'; gweler --help am y rhestr" cy referrals list "${CB[@]}" --flag bogus
expect 2 "is-orchymyn anhysbys 'bogus'; rhowch gynnig ar import, list neu config" cy referrals bogus "${CB[@]}"
expect 1 "nid oes cofrestr wedi'i mewnforio eto, felly ni ellir gwirio REF/2026/00423" cy link "${CB[@]}" "$id" REF/2026/00423
# a mistyped id: the whole line Welsh (link said its reason in English until 2026-12-06)
expect 2 "nid yw 'A' yn ddynodydd pryder: mae ganddo 1 nod; mae gan ddynodydd 8, fel y dengys \`list\`" cy link "${CB[@]}" A REF/2026/00423
expect 2 "'A' is not a concern id: it has 1 character; an id has 8, as \`list\` shows" en unlink "${CB[@]}" A REF/2026/00423
# a bad register's or config's reason from below the command (ref_map.c,
# ref_csv.c, ref_config.c; English only until 2026-12-06), the whole line
# in the reader's language, the field names and keywords as typed; English unchanged
printf 'reference,team,received\nREF/2026/00002,North,31/02/2026\n' > "$T/bad.csv"
printf 'reference,team\nREF/2026/00002,"North\n' > "$T/quote.csv"
printf 'holidays none\npattern NNNN\n' > "$T/bad.conf"
expect 1 "$T/bad.csv: llinell 2, colofn 3 (received): nid yw '31/02/2026' yn ddyddiad (YYYY-MM-DD neu dd/mm/yyyy); ni fewnforiwyd dim" cy referrals import "${CB[@]}" "$T/bad.csv"
expect 1 "$T/bad.csv: line 2, column 3 (received): '31/02/2026' is not a date (YYYY-MM-DD or dd/mm/yyyy); nothing was imported" en referrals import "${CB[@]}" "$T/bad.csv"
expect 1 "$T/quote.csv: llinell 2, colofn 16: nid yw'r maes mewn dyfynodau byth yn cael ei gau; ni fewnforiwyd dim" cy referrals import "${CB[@]}" "$T/quote.csv"
expect 1 "$T/quote.csv: line 2, column 16: quoted field is never closed; nothing was imported" en referrals import "${CB[@]}" "$T/quote.csv"
expect 1 "$T/bad.conf: llinell 2: pattern: mae angen o leiaf 6 digid ar batrwm heb lythrennau; ni newidiwyd y ffurfweddiad" cy referrals config "${CB[@]}" "$T/bad.conf"
expect 1 "$T/bad.conf: line 2: pattern: a pattern without letters needs at least 6 digits; the config was not changed" en referrals config "${CB[@]}" "$T/bad.conf"
expect 0 'holidays: 131 dyddiad' cy referrals config "${CB[@]}"
# show's referrals (review/ref_view.c): a reference a reviewer linked with no register
expect 0 "cysylltwyd $id REF/2026/00999" cy link "${CB[@]}" "$id" REF/2026/00999 --not-in-register
cy show "$id" "${CB[@]}" > "$T/show.cy" || fail "show in Welsh"
has "$T/show.cy" '^Atgyfeiriadau a enwyd' || fail "show's referrals head in Welsh: $(cat "$T/show.cy")"
has "$T/show.cy" "^  REF/2026/00999  heb ei wirio: nid oes cofrestr wedi'i mewnforio eto (wedi'i gysylltu gan adolygydd); wedi'i enwi gan 0 pryder arall" ||
	fail "show's referral line in Welsh: $(cat "$T/show.cy")"
en show "$id" "${CB[@]}" > "$T/show.en" || fail "show in English"
has "$T/show.en" '^  REF/2026/00999  not checked: no register imported yet (linked by a reviewer); named by 0 other concerns' ||
	fail "show's referral line in English: $(cat "$T/show.en")"
# the form's yes or no answers in the reviewer's language (the plaintext holds yes/no)
has "$T/show.cy" "^  Plentyn mewn perygl uniongyrchol: na" || fail "show's yes-or-no answer not in Welsh: $(cat "$T/show.cy")"
has "$T/show.en" "^  Child at immediate risk: no" || fail "show's yes-or-no answer in English: $(cat "$T/show.en")"
expect 2 "candour-review: referrals: unknown flag 'bogus'; see --help for the list" en referrals list "${CB[@]}" --flag bogus

# keygen, init, reviewer
echo "abc" > "$T/weak"
expect 1 "mae'r cyfrinymadrodd yn rhy wan ar gyfer yr allwedd sy'n agor pob pryder" cy keygen --name weak --out "$T" --passphrase-file "$T/weak"
[ ! -e "$T/weak.sec" ] || fail "a weak passphrase made a key"
expect 1 "passphrase too weak for the key that opens every concern" en keygen --name weak --out "$T" --passphrase-file "$T/weak"
expect 2 'mae --kdf yn moderate neu interactive' cy keygen --name x --out "$T" --kdf hard
expect 0 'defnydd: candour-review reviewer add NAME.pub' cy reviewer --help
expect 0 'ychwanegwyd yr adolygydd bob (' cy reviewer add "$T/bob.pub" "${CB[@]}"
expect 0 'ychwanegwyd' cy reviewer list "${CB[@]}"
expect 1 'mae bob (neu allwedd â'"'"'r un dynodydd) eisoes yn adolygydd yma' cy reviewer add "$T/bob.pub" "${CB[@]}"

# audit, purge
expect 0 "mae'r log archwilio yn gyfan:" cy audit "${CB[@]}" verify
expect 2 "dadl anhysbys 'bogus'; dywedwch \`audit\` neu \`audit verify\`" cy audit "${CB[@]}" bogus
expect 0 "dim i'w garthu: nid oes achos a gaewyd cyn 2030-01-01" cy purge "${CB[@]}" --closed-before 2030-01-01 --dry-run
expect 2 "nid yw --yes a --dry-run gyda'i gilydd yn gwneud synnwyr" cy purge "${CB[@]}" --closed-before 2030-01-01 --yes --dry-run
expect 0 'audit log intact:' en audit "${CB[@]}" verify

# retention
expect 0 'gosodwyd y rheol gadw: mae achosion a fu ar gau yn hwy na 2 o flynyddoedd yn ddyledus' cy retention set --closed-for 24m "${CB[@]}"
expect 0 "cadw: caiff testun achos ei ddileu 2 o flynyddoedd ar ôl iddo gau (24m)" cy retention show "${CB[@]}"
expect 2 "--closed-for '99y': rhif cyfan ac uned" cy retention set --closed-for 99y "${CB[@]}"
expect 0 'retention: the text of a case is removed 2 years after it closed (24m)' en retention show "${CB[@]}"
expect 0 'cliriwyd y rheol gadw' cy retention clear "${CB[@]}"

# report: its lines in the report's language (--lang), else the environment's
expect 2 "cyfnod gwallus '2025-13': mis 2026-09" cy report "${CB[@]}" --period 2025-13 --out "$T/r.html"
expect 2 "bad period '2025-13': a month 2026-09" en report "${CB[@]}" --period 2025-13 --out "$T/r.html"
expect 2 'rhaid i --lang fod yn en neu cy' cy report "${CB[@]}" --period 2025 --out "$T/r.html" --lang fr
expect 0 'defnydd: candour-review report' cy report --help
# a refusal from below the command (report_make.c), in the report's language
expect 1 "mae'r cyfnod 2000-01 yn dechrau fwy na blwyddyn cyn cofnod cyntaf y llyfr achosion" cy report "${CB[@]}" --period 2000-01 --out "$T/r2.html"
expect 1 "the period 2000-01 starts more than a year before the casebook's first record" cy report "${CB[@]}" --period 2000-01 --out "$T/r2.html" --lang en
[ ! -e "$T/r2.html" ] || fail "a refused report was written"

# desk (the usage errors: serving is e2e 38's)
expect 2 'mae --idle yn N ac yna s, m neu h, hyd at 12h' cy desk "${CB[@]}" --idle 99q
expect 2 'mae angen --casebook FILE a --key NAME.sec' env LANG=cy_GB.UTF-8 CANDOUR_CASEBOOK= CANDOUR_KEY= "$RV" desk
expect 0 'defnydd: candour-review desk' cy desk --help
expect 2 '--idle is N followed by s, m or h, at most 12h (30m, say)' en desk "${CB[@]}" --idle 99q

# away from any web/: the built-in English, even when Welsh is asked for
mkdir -p "$T/away/bin" && cp "$RV" "$RV-desk" "$T/away/bin/" && cd "$T/away" || fail "copy"
# the installed web/ the build names (make check passes its PREFIX's: a
# build with PREFIX=/usr in the environment, as perf's, looks there)
INST=${CANDOUR_INSTALLED_WEB:-/usr/local/share/candour/web}
if [ -e "$INST/locale/cy.txt" ]; then
	skip "an installed catalogue is found: the built-in English is not reached here"
	exit 0
fi
expect 2 "candour-review: status: unknown argument '--bogus'; see --help" env LANG=cy_GB.UTF-8 "$T/away/bin/candour-review" status --bogus
expect 0 'usage: candour-review status' env LANG=cy_GB.UTF-8 "$T/away/bin/candour-review" status --help
# a report or desk with no web/ anywhere says every place it looked (exit 2)
expect 2 "cannot find the report's templates (web/templates/governance.html); looked in $T/away/web, $T/away/share/candour/web, $INST" \
	env LANG=C "$T/away/bin/candour-review" report "${CB[@]}" --period 2025 --out "$T/away/r.html"
[ ! -e "$T/away/r.html" ] || fail "a report with no templates left a file"
expect 2 "cannot find the desk's pages (web/desk/layout.html); looked in $T/away/web" \
	env LANG=C "$T/away/bin/candour-review" desk "${CB[@]}" --no-open
echo "e2e: review in Welsh: import, help, usage errors, status, note, outcome, reply, assign, export-replies, referrals (a bad register's and config's reasons too), link, keygen, reviewer, audit, purge, retention, report, desk, a casebook that does not open and a wrong passphrase said from cy.txt; English unchanged; the built-in English away from web/"
