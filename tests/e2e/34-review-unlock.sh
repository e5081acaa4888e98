#!/usr/bin/env bash
# Unlock once: `unlock` asks the passphrase once and keeps the opened key in
# the session keyring; later commands with the same key file need no
# passphrase; `lock` and the timeout end it; a wrong passphrase stores
# nothing; another key file does not use it; the entry is readable only by
# its possessor (this session), not from another session of the same user.
# Runs in a fresh anonymous session keyring of its own (keyctl session -).
if [ -z "${CANDOUR_KEYRING_SESSION:-}" ]; then
	command -v keyctl > /dev/null || { echo "FAIL: keyctl missing (keyutils; scripts/deps.sh check)" >&2; exit 1; }
	CANDOUR_KEYRING_SESSION=1 exec keyctl session - bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
RV=$BIN/candour-review
unset CANDOUR_PASSPHRASE_FILE CANDOUR_KEY CANDOUR_CASEBOOK
printf 'unlock kettle orbit velvet canyon\n' > "$T/pass"
printf 'not the passphrase\n' > "$T/wrong"
mkdir -p "$T/rv"
"$RV" keygen --name alice --out "$T/rv" --kdf test --passphrase-file "$T/pass" > /dev/null || fail "keygen alice"
"$RV" keygen --name bob --out "$T/rv" --kdf test --passphrase-file "$T/pass" > /dev/null || fail "keygen bob"
cp "$T/rv/alice.sec" "$T/rv/alice-copy.sec"
A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --passphrase-file "$T/pass" --intake-key "$(dirname "$0")/../vectors/intake.pub" > /dev/null || fail "init"
"$RV" reviewer add "$T/rv/bob.pub" --casebook "$T/cb.db" --key "$T/rv/alice.sec" --passphrase-file "$T/pass" > /dev/null || fail "reviewer add bob"

# before unlock: no passphrase, no terminal -> refused
if "$RV" list "${A[@]}" < /dev/null > "$T/o" 2> "$T/e"; then fail "list ran without a passphrase before unlock"; fi
grep -q "no terminal to ask the passphrase" "$T/e" || fail "before unlock said: $(cat "$T/e")"

# a wrong passphrase stores nothing
if "$RV" unlock --key "$T/rv/alice.sec" --passphrase-file "$T/wrong" > "$T/o" 2> "$T/e"; then fail "unlock took a wrong passphrase"; fi
grep -q "wrong passphrase" "$T/e" || fail "wrong passphrase said: $(cat "$T/e")"
if keyctl show @s | grep -q candour-review; then fail "a wrong passphrase left an entry: $(keyctl show @s)"; fi

# bad --for values are usage errors
for d in 0m 13h 10 10x -5m 1e3s 99999999999h; do
	set +e; "$RV" unlock --key "$T/rv/alice.sec" --passphrase-file "$T/pass" --for "$d" > /dev/null 2>&1; rc=$?; set -e
	[ "$rc" = 2 ] || fail "--for $d gave exit $rc, not 2"
done
if keyctl show @s | grep -q candour-review; then fail "a refused --for left an entry"; fi

# unlock, then list with no passphrase at all
"$RV" unlock --key "$T/rv/alice.sec" --passphrase-file "$T/pass" > "$T/o" || fail "unlock"
grep -q "unlocked" "$T/o" || fail "unlock said: $(cat "$T/o")"
"$RV" list "${A[@]}" < /dev/null > "$T/o" 2> "$T/e" || fail "list after unlock: $(cat "$T/e")"
# a wrong passphrase file is not even read while unlocked
"$RV" list "${A[@]}" --passphrase-file "$T/wrong" < /dev/null > /dev/null 2> "$T/e" || fail "list (unlocked) read the passphrase: $(cat "$T/e")"

# the entry: possessor rights only (view read write search setattr), nothing for user/group/other
id=$(keyctl search @s user "$(keyctl show @s | sed -n 's/.*user: \(candour-review:[0-9a-f]*\).*/\1/p' | head -1)")
perm=$(keyctl rdescribe "$id" | cut -d';' -f4)
[ "$perm" = 2f000000 ] || fail "keyring entry permissions are $perm, want 2f000000"
# another session of the same user cannot find it, and cannot list without a passphrase
if keyctl session - keyctl search @s user "$(keyctl rdescribe "$id" | cut -d';' -f5)" > /dev/null 2>&1; then
	fail "another session found the unlocked key"
fi
if CANDOUR_KEYRING_SESSION=1 keyctl session - "$RV" list "${A[@]}" < /dev/null > /dev/null 2>&1; then
	fail "another session listed without a passphrase"
fi

# another key file (bob) is not unlocked by alice's entry
if "$RV" list --casebook "$T/cb.db" --key "$T/rv/bob.sec" < /dev/null > /dev/null 2> "$T/e"; then
	fail "bob's key file used alice's unlocked key"
fi
grep -q "no terminal to ask the passphrase" "$T/e" || fail "bob said: $(cat "$T/e")"

# lock drops it: list asks again (and fails without a terminal)
"$RV" lock --key "$T/rv/alice.sec" > "$T/o" || fail "lock"
grep -q "^locked" "$T/o" || fail "lock said: $(cat "$T/o")"
if "$RV" list "${A[@]}" < /dev/null > /dev/null 2> "$T/e"; then fail "list ran after lock"; fi
grep -q "no terminal to ask the passphrase" "$T/e" || fail "after lock said: $(cat "$T/e")"
"$RV" lock --key "$T/rv/alice.sec" | grep -q "was not unlocked" || fail "second lock"

# timeout: unlocked for 2 s, gone after 3
"$RV" unlock --key "$T/rv/alice.sec" --passphrase-file "$T/pass" --for 2s > /dev/null || fail "unlock --for 2s"
"$RV" list "${A[@]}" < /dev/null > /dev/null 2>&1 || fail "list right after unlock --for 2s"
sleep 3
if "$RV" list "${A[@]}" < /dev/null > /dev/null 2>&1; then fail "list ran after the unlock expired"; fi

# forged entries under alice's description are not used: random bytes, and
# bob's real unlocked key (a reviewer of this casebook too, so only the
# binding to alice's key file stops it)
"$RV" unlock --key "$T/rv/alice.sec" --passphrase-file "$T/pass" > /dev/null || fail "unlock again"
desc=$(keyctl show @s | sed -n 's/.*user: \(candour-review:[0-9a-f]*\).*/\1/p' | head -1)
keyctl invalidate "$(keyctl search @s user "$desc")"
head -c 300 /dev/urandom | keyctl padd user "$desc" @s > /dev/null
if "$RV" list "${A[@]}" < /dev/null > /dev/null 2> "$T/e"; then fail "a forged keyring entry was used"; fi
keyctl invalidate "$(keyctl search @s user "$desc")"
"$RV" unlock --key "$T/rv/bob.sec" --passphrase-file "$T/pass" > /dev/null || fail "unlock bob"
"$RV" list --casebook "$T/cb.db" --key "$T/rv/bob.sec" < /dev/null > /dev/null 2>&1 || fail "bob unlocked cannot list"
bobdesc=$(keyctl show @s | sed -n 's/.*user: \(candour-review:[0-9a-f]*\).*/\1/p' | head -1)
keyctl pipe "$(keyctl search @s user "$bobdesc")" | keyctl padd user "$desc" @s > /dev/null
if "$RV" list "${A[@]}" < /dev/null > /dev/null 2> "$T/e"; then fail "alice's key file used bob's unlocked key"; fi
echo "unlock ok"
