#!/usr/bin/env bash
# README.md's walk-through ("Five minutes from keygen to report"), run as
# written: its commands are taken from README.md itself, so the two can
# never drift apart. What a person does by hand is done here: passphrases
# come from a file (CANDOUR_PASSPHRASE_FILE, five random words), the
# reporter of step 3 is curl, the ID a reviewer reads off `list` is taken
# from it, and the port is a free one instead of 8080. At the end the
# reporter reads the reviewers' reply with the receipt.
# e2e: first
# Step 5's unlock keeps the opened key in the session keyring, which a login
# session has (pam_keyinit); a shell without one gives each process a
# keyring of its own, so the unlock was lost at its exit and every later
# command opened the MODERATE key from the passphrase again (~1.1 s of CPU
# each, 12 of them). The walk runs in a session keyring of its own, as
# e2e 34-review-unlock does, and at the end a command with no passphrase to
# read must find the unlock.
if [ -z "${CANDOUR_KEYRING_SESSION:-}" ]; then
	command -v keyctl > /dev/null || { echo "FAIL: keyctl missing (keyutils; scripts/deps.sh check)" >&2; exit 1; }
	CANDOUR_KEYRING_SESSION=1 exec keyctl session - bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

export HOME=$T/home             # ~/candour-walk lands in the temp dir
mkdir -p "$HOME"
printf 'maple orbit candle ferry quartz\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
PORT=$(free_port)
URL=http://127.0.0.1:$PORT

# The walk-through's commands, with the four substitutions above and the
# hooks walk_reporter (after the intake starts) and walk_id (before the
# first use of ID).
python3 - "$REPO/README.md" > "$T/walk.sh" <<'PY' || fail "cannot extract the walk-through"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
sec = text.split("## Five minutes from keygen to report", 1)[1]
m = re.search(r"```sh\n(.*?)```", sec, re.S)
out, have_id, n, pending = [], False, 0, ""
for line in m.group(1).splitlines():
    c = re.search(r"(\s+#\s|^#)", line)  # a comment (none of the commands quotes a #)
    code = line[: c.start()] if c else line
    if not code.strip():
        continue
    n += 1
    code = code.replace("$PWD/build", "$BIN").replace("127.0.0.1:8080", "127.0.0.1:$PORT")
    if re.search(r"\bID\b", code) and not have_id:
        out.append("ID=$(walk_id)")
        have_id = True
    code = re.sub(r"\bID\b", '"$ID"', code)
    # the report's placeholders: the intake's figures, the printed key
    code = re.sub(r"\bHEX\b", '"$(walk_status "chain head")"', code)
    code = re.sub(r"--intake-count N\b", '--intake-count "$(walk_status records)"', code)
    code = re.sub(r"\bKEY\b", '"$(walk_key)"', code)
    # every command must succeed: the walk is sourced, so without this a
    # failing step (a report that cannot find its templates) went unseen
    # as long as the last command worked. A continued command is checked
    # at its last line; one sent to the background by its start.
    cont = code.rstrip().endswith("\\")
    if not cont and not code.rstrip().endswith("&"):
        step = (pending + code).strip().replace('"', "'")[:70]
        code = code.rstrip() + ' || walk_fail "%s"' % step.replace("$", "\\$")
    pending = (pending + code.rstrip("\\") + " ") if cont else ""
    out.append(code)
    if code.rstrip().endswith("&") and "candour-intake serve" in code:
        out.append("track_pid $!; walk_reporter")
print("\n".join(out))
print("WALK_COMMANDS=%d" % n)
PY
grep -q "walk_reporter" "$T/walk.sh" || fail "the walk-through no longer starts the intake in the background"
grep -q 'ID=$(walk_id)' "$T/walk.sh" || fail "the walk-through no longer uses a concern ID"

walk_reporter() {
	wait_http "$URL/"
	local code
	code=$(submit_concern "$T/confirm.html" -F "what=A police referral was closed without the child being seen." \
		-F "refs=REF/2026/00423")
	[ "$code" = 200 ] || fail "step 3: the reporter's submission gave $code"
	RECEIPT=$(receipt_of "$T/confirm.html")
	[ -n "$RECEIPT" ] || fail "step 3: no receipt shown"
	# a real intake (contacts.txt, no --demo) never says it is a demo
	! grep -q 'class="demo"' "$T/confirm.html" || fail "step 3: a real intake's page says DEMONSTRATION"
}
walk_status() { candour-intake status --db intake/intake.db | sed -n "s/^$1: //p"; }
# the reviewer's minisign public key, as the report printed it
walk_key() { grep -oE 'RW[A-Za-z0-9+/]{54}' "$T/walk.out" | tail -n 1; }
walk_id() {
	candour-review list --format csv | sed -n 's/^"\([0-9A-Z]\{8\}\)".*/\1/p' | head -n 1
}

# a failing command of the walk: said on the test's own stderr (fd 3; the
# walk's output goes to walk.out) with the walk's last lines
walk_fail() { { echo "FAIL: README walk-through: a command failed: $*"; tail -n 20 "$T/walk.out"; } >&3; exit 1; }
cd "$REPO"
exec 3>&2
# shellcheck disable=SC1090
. "$T/walk.sh" > "$T/walk.out" 2>&1 || fail "the walk-through failed: $(tail -n 20 "$T/walk.out")"
[ "$WALK_COMMANDS" -ge 20 ] || fail "only $WALK_COMMANDS commands in the walk-through"
[ "$(pwd)" = "$HOME/candour-walk" ] || fail "the walk-through did not work in ~/candour-walk"
[ -n "${ID:-}" ] || fail "no concern ID from list"

# nothing of the walk-through was written inside the tree (untracked files)
left=$(git -C "$REPO" status --porcelain --untracked-files=all 2>/dev/null | sed -n 's/^?? //p' |
	grep -E '\.(sec|pub|db|cdb|csv|svg|html)$|contacts' || true)
[ -z "$left" ] || fail "the walk-through left files in the tree: $left"
[ -f alice.sec ] && [ -f intake/intake.db ] && [ -f casebook.db ] && [ -f poster.svg ] || fail "walk-through files missing"
# step 5's unlock served the commands after it: with no passphrase to read,
# list still opens the casebook; lock ends it
env -u CANDOUR_PASSPHRASE_FILE candour-review list < /dev/null > /dev/null ||
	fail "step 5's unlock did not last: a command after it needs the passphrase"
candour-review lock > /dev/null || fail "candour-review lock"

# the reporter comes back with the receipt and reads the reply and outcome
curl -s -c "$T/jar" -o "$T/enter.html" "$URL/followup"
tok=$(csrf_of "$T/enter.html")
curl -s -b "$T/jar" -c "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$RECEIPT" "$URL/followup"
curl -s -b "$T/jar" -o "$T/followup.html" "$URL/followup"
grep -q "Thank you. We are looking into it." "$T/followup.html" || fail "the reporter does not see the reply"
grep -q "The referral was re-opened." "$T/followup.html" || fail "the reporter does not see the shared outcome"
# the case is closed (step 7): the page says so, and whom to call, before
# it offers "Add information"
python3 - "$T/followup.html" <<'PY' || fail "the closed case's follow-up page"
import sys
page = open(sys.argv[1], encoding="utf-8").read()
closed, add = page.find("This concern is closed"), page.find("Add information")
assert closed >= 0, "no closed notice"
assert add > closed, "Add information comes before the closed notice"
notice = page[closed:add]
assert 'href="tel:03069990123"' in notice, "no out-of-hours number in the notice"
assert 'href="/report"' in notice, "no way to raise a new concern in the notice"
PY
echo "70-readme-walkthrough: ok ($WALK_COMMANDS commands, concern $ID)"
