# Shared by the desk's end-to-end tests (sourced after lib.sh and
# intake_lib.bash; not a test itself). desk_casebook: keys for alice and bob
# in $T/rv (passphrase $T/pass), an intake with three concerns (one with a
# child at risk, one naming a near-miss referral, one sealed to bob only),
# export bundles $T/b1 (concerns 1 and 3: imported) and $T/b2 (all three:
# not imported; the third concern, the second submitted, arrives there), a register $T/reg.csv (imported),
# and the casebook $T/cb.db. Sets A (alice's casebook options).
# start_desk [options]: candour-review desk in the background (DESK_PID,
# DESK_URL with the token, DESK_BASE, DESK_PORT); stop_desk.
desk_casebook() {
	RV=$BIN/candour-review
	printf 'desk kettle orbit velvet canyon\n' > "$T/pass"
	mkdir -p "$T/keys" "$T/rv"
	for n in alice bob; do
		CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" keygen --name "$n" --out "$T/rv" \
			--kdf test > /dev/null || fail "keygen $n"
		cp "$T/rv/$n.pub" "$T/keys/"
	done
	start_intake
	local code
	code=$(submit_concern "$T/c1" -F "what=Desk one: the duty manager binned referral REF/2026/00501." -F risk=yes)
	[ "$code" = 200 ] || fail "submission 1 gave $code"
	DESK_R1=$(receipt_of "$T/c1")
	# the third is for bob alone: alice cannot read it
	local bob_kid
	curl -s -o "$T/form.html" "$URL/report"
	bob_kid=$(kid_of bob)
	[ -n "$bob_kid" ] || fail "no choice of bob"
	code=$(submit_concern "$T/c3" -F "what=Desk three: for bob only." -F "reviewer=$bob_kid")
	[ "$code" = 200 ] || fail "submission 3 gave $code"
	stop_intake
	"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export 1"
	start_intake
	code=$(submit_concern "$T/c2" -F "what=Desk two: no strategy meeting was held for REF/2026/00501.")
	[ "$code" = 200 ] || fail "submission 2 gave $code"
	stop_intake
	"$BIN/candour-intake" export --db "$DB" --out "$T/b2" > /dev/null || fail "export 2"
	A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
	CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
	CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import"
	printf 'Referral Ref,Date Received,Source,Team,Decision,Decision Date,Status,Date Closed,Closure Reason\r\n' > "$T/reg.csv"
	printf 'REF/2026/00500,2026-06-01,Health,South,s47,2026-06-03,Open,,\r\n' >> "$T/reg.csv"
	CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" referrals import "${A[@]}" "$T/reg.csv" > /dev/null || fail "register import"
}

# desk.out is emptied before the desk starts: a desk started before (38
# starts four) left its address there, and the new desk's redirection
# empties the file only when its shell gets to it. A first poll that ran
# before took the old address: the old code then read the file again (sed),
# found it emptied and said "desk printed no address", the new address in
# the file by the time the message was shown (seen once under strace at
# high load); with one read, e2e 38's second start_desk took the stopped
# desk's address and curl failed. The address is taken from one read of
# the file, and only as a whole line (up to its newline). The wait is a
# deadline (DESK_START_SECS, default 60 s), not 100 polls of 0.1 s.
# tests/lint/desk-start-selftest.sh.
start_desk() {
	: > "$T/desk.out"
	"$RV" desk "${A[@]}" --no-open "$@" > "$T/desk.out" 2> "$T/desk.err" &
	DESK_PID=$!
	track_pid "$DESK_PID"
	local out secs=${DESK_START_SECS:-60} re=$'(^|\n)desk: (http://[^ \n]*)\n'
	local end=$((SECONDS + secs))
	DESK_URL=
	while :; do
		# read stops at the end of the file (no NUL): status 1, out whole
		out=
		IFS= read -r -d '' out 2>/dev/null < "$T/desk.out" || true
		if [[ $out =~ $re ]]; then
			DESK_URL=${BASH_REMATCH[2]}
			break
		fi
		kill -0 "$DESK_PID" 2>/dev/null || fail "desk died: $(cat "$T/desk.err")"
		[ "$SECONDS" -lt "$end" ] ||
			fail "desk printed no address in $secs s: $(cat "$T/desk.out" "$T/desk.err")"
		nap 0.1
	done
	DESK_BASE=${DESK_URL%%/\?*}
	DESK_PORT=${DESK_BASE##*:}
}

stop_desk() { kill -TERM "$DESK_PID" 2>/dev/null || true; wait "$DESK_PID" 2>/dev/null || true; }
