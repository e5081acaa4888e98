#!/usr/bin/env bash
# Retention (issue 13): `retention set --closed-for 6m` stored sealed in the
# casebook (show, clear, bad rules refused, audited); `list` marks the cases
# past it; `purge --due` lists them, purges nothing without the
# confirmation (no terminal and no --yes: refused; "n" on a terminal:
# nothing), and with --yes removes their text while every report of a past
# period stays byte-identical (the first reply's date is kept for the
# feedback figures); a case closed after the cut-off is kept whole; an
# edited rule is refused.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "retention test kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
K=(--casebook "$T/cb.db" --key "$T/alice.sec")
CB=$T/cb.db
# a year of cases ending two months ago, relative to today so the rule
# always has cases on both sides of its cut-off
FROM=$(python3 -c 'import datetime as d; t=d.date.today(); m=t.year*12+t.month-1-12; print("%04d-%02d" % (m//12, m%12+1))')
"$GEN" "${K[@]}" --concerns 300 --seed 5 --from "$FROM" --months 10 > /dev/null || fail "generator"
# a reply early in every long case: without it the first-feedback figures
# of a purged case would not depend on its replies, and the byte-identical
# check below would not see a purge that forgets them
sqlite3 "$CB" "INSERT INTO replies(concern_id, date, author, body) SELECT id,
	date(ack_date, '+5 days'), 'test', NULL FROM concerns WHERE status=4 AND
	ack_date IS NOT NULL AND julianday(closed_date) - julianday(ack_date) > 100"
dump() { sqlite3 "$CB" .dump | sha256sum; }
code() { local r=0; "$@" > /dev/null 2>&1 || r=$?; echo "$r"; }

# reports of every whole past period, before anything is purged
PERIODS=$(python3 - "$FROM" <<'PY'
import datetime as d, sys
y, m = map(int, sys.argv[1].split("-")); t = d.date.today(); out = []
cur = t.year * 12 + t.month - 1
for k in range(y * 12 + m - 1, cur):
    if k == y * 12 + m - 1:  # one month; then every quarter and year
        out.append("%04d-%02d" % (k // 12, k % 12 + 1))
    if k % 3 == 2: out.append("%04d-Q%d" % (k // 12, k % 12 // 3 + 1))
    if k % 12 == 11: out.append("%04d" % (k // 12))
print(" ".join(out))
PY
)
reports() { # DIR
	mkdir -p "$1"
	for p in $PERIODS; do
		"$RV" report "${K[@]}" --web "$REPO/web" --period "$p" --format csv --out "$1/$p.csv" \
			> /dev/null || fail "report $p"
	done
}
reports "$T/before"

# no rule yet
"$RV" retention show "${K[@]}" | grep -q 'no retention rule' || fail "show without a rule"
[ "$(code "$RV" purge --due --yes "${K[@]}")" = 1 ] || fail "purge --due without a rule"
"$RV" purge --due --yes "${K[@]}" > /dev/null 2> "$T/err" || true
grep -q 'no retention rule' "$T/err" || fail "no clear error: $(cat "$T/err")"
# bad rules, bad usage: exit 2, nothing stored
for bad in 0m 12 m 12w -3m 12m3 51y 601m " 12m" 12M 1.5y 99999999999d ""; do
	[ "$(code "$RV" retention set --closed-for "$bad" "${K[@]}")" = 2 ] || fail "rule '$bad' not refused with 2"
done
[ "$(code "$RV" retention set "${K[@]}")" = 2 ] || fail "set without --closed-for"
[ "$(code "$RV" retention show --closed-for 6m "${K[@]}")" = 2 ] || fail "show with a rule"
[ "$(code "$RV" retention forget "${K[@]}")" = 2 ] || fail "unknown verb"
[ "$(code "$RV" purge --due --closed-before 2020-01-01 --yes "${K[@]}")" = 2 ] || fail "--due with --closed-before"
[ "$(code "$RV" purge --closed-before 2020-01-01 --as-of 2020-01-01 --yes "${K[@]}")" = 2 ] || fail "--as-of without --due"
[ "$(code "$RV" purge --due --as-of 2026-13-01 --yes "${K[@]}")" = 2 ] || fail "a bad --as-of"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM meta WHERE k='retention'")" = 0 ] || fail "a refused rule was stored"

"$RV" retention set --closed-for 6m "${K[@]}" > "$T/out" || fail "retention set"
grep -q '6 months' "$T/out" || fail "set does not say the rule: $(cat "$T/out")"
"$RV" retention show "${K[@]}" | grep -q '(6m)' || fail "show"
sqlite3 "$CB" "SELECT hex(v) FROM meta WHERE k='retention'" | grep -q '^01' || fail "the rule is not sealed"
"$RV" audit "${K[@]}" | grep -q 'retention' || fail "setting the rule is not audited"

# the cut-off: six calendar months before today, clamped to the month's end
CUT=$(python3 -c '
import datetime as d, calendar as c
t = d.date.today(); m = t.year * 12 + t.month - 1 - 6; y, mo = m // 12, m % 12 + 1
print(d.date(y, mo, min(t.day, c.monthrange(y, mo)[1])))')
DUE=$(sqlite3 "$CB" "SELECT count(*) FROM concerns WHERE status=4 AND closed_date <= '$CUT' AND purged=0")
KEPT=$(sqlite3 "$CB" "SELECT count(*) FROM concerns WHERE status=4 AND closed_date > '$CUT'")
[ "$DUE" -gt 5 ] && [ "$KEPT" -gt 5 ] || fail "fixture: $DUE due, $KEPT closed later: both sides needed"
"$RV" list "${K[@]}" --format csv > "$T/list" || fail "list"
[ "$(grep -c 'PAST-RETENTION' "$T/list")" = "$DUE" ] || fail "list marks $(grep -c PAST-RETENTION "$T/list") past retention, want $DUE"

# nothing without the confirmation
D0=$(dump)
"$RV" purge --due --dry-run "${K[@]}" > "$T/dry" || fail "dry run"
grep -q "closed on or before $CUT are due" "$T/dry" || fail "dry run does not name the cut-off $CUT: $(head -n1 "$T/dry")"
grep -q "^$DUE cases would be purged" "$T/dry" || fail "dry run count: $(tail -n1 "$T/dry")"
[ "$(code "$RV" purge --due "${K[@]}" < /dev/null)" = 2 ] || fail "purge without a terminal or --yes did not refuse with 2"
python3 - "$RV" "${K[@]}" > "$T/pty" <<'PY' || fail "purge on a terminal answered n: $(cat "$T/pty")"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "purge", "--due"] + sys.argv[2:])
out = b""
while b"[y/N]" not in out:
    out += os.read(fd, 4096)
os.write(fd, b"n\n")
try:
    while True:
        b = os.read(fd, 4096)
        if not b: break
        out += b
except OSError:
    pass
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(0 if os.waitstatus_to_exitcode(st) == 0 and b"nothing purged" in out else 1)
PY
[ "$(dump)" = "$D0" ] || fail "the casebook changed without the confirmation"

# purge with --yes: the due cases go, the later ones stay, the reports do not move
REPLIES_KEPT=$(sqlite3 "$CB" "SELECT count(*) FROM replies r JOIN concerns c ON c.id=r.concern_id WHERE NOT (c.status=4 AND c.closed_date <= '$CUT')")
"$RV" purge --due --yes "${K[@]}" > "$T/purge" || fail "purge --due --yes"
grep -q "^purged $DUE cases" "$T/purge" || fail "purge count: $(cat "$T/purge")"
grep -q 'still counts them' "$T/purge" || fail "purge does not say the report still counts them"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM concerns WHERE purged=1")" = "$DUE" ] || fail "purged rows"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM concerns WHERE purged=1 AND (body IS NOT NULL OR summary IS NOT NULL)")" = 0 ] || fail "text left in a purged case"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM replies r JOIN concerns c ON c.id=r.concern_id WHERE c.purged=1")" = 0 ] || fail "replies left in a purged case"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM concerns WHERE status=4 AND closed_date > '$CUT' AND purged=0")" = "$KEPT" ] || fail "a case not yet due was purged"
[ "$(sqlite3 "$CB" "SELECT count(*) FROM replies")" = "$REPLIES_KEPT" ] || fail "replies of cases not due were removed"
reports "$T/after"
for p in $PERIODS; do
	cmp -s "$T/before/$p.csv" "$T/after/$p.csv" || { diff -u "$T/before/$p.csv" "$T/after/$p.csv" | head -20; fail "report $p changed after the purge"; }
done
"$RV" audit verify "${K[@]}" > /dev/null || fail "audit log broken"
"$RV" audit "${K[@]}" | grep 'purge' | grep -q 'retention 6m' || fail "purge not audited with its rule"
"$RV" list "${K[@]}" --format csv > "$T/list2" || fail "list after purge"
if grep -q 'PAST-RETENTION' "$T/list2"; then fail "a purged case is still marked past retention"; fi
"$RV" purge --due --yes "${K[@]}" | grep -q 'nothing to purge' || fail "a second purge found more"

# an edited rule is refused, not guessed
sqlite3 "$CB" "UPDATE meta SET v=x'00' WHERE k='retention'"
[ "$(code "$RV" purge --due --yes "${K[@]}")" = 1 ] || fail "purge with an edited rule"
"$RV" purge --due --yes "${K[@]}" > /dev/null 2> "$T/err" || true
grep -q 'damaged or changed' "$T/err" || fail "edited rule: $(cat "$T/err")"
[ "$(code "$RV" list "${K[@]}")" = 1 ] || fail "list with an edited rule"
[ "$(code "$RV" retention clear "${K[@]}")" = 1 ] || fail "clear over an edited rule"
sqlite3 "$CB" "DELETE FROM meta WHERE k='retention'"
"$RV" retention show "${K[@]}" | grep -q 'no retention rule' || fail "show after the row went"
"$RV" retention set --closed-for 2y "${K[@]}" > /dev/null || fail "set 2y"
"$RV" retention show "${K[@]}" | grep -q '(24m)' || fail "2y is not kept as 24m"
"$RV" retention clear "${K[@]}" > /dev/null || fail "clear"
"$RV" retention show "${K[@]}" | grep -q 'no retention rule' || fail "clear did not clear"
echo "retention OK"
