# Shared shell helpers for the intake-http end-to-end tests (sourced after
# lib.sh; not a test itself: the runner only runs *.sh).
# Provides: make_keys DIR NAME..., start_intake [serve options...] (sets
# URL, PARENT, HTTP, STORE, DB, DATA), stop_intake, csrf_of FILE,
# submit_concern OUTFILE [curl args...], receipt_of FILE, check_headers FILE.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Reviewer key pairs made by candour-review keygen: the secret halves stay
# in $T/secret (passphrase in $T/secret/pass), only NAME.pub enters DIR.
make_keys() {
	local dir=$1; shift
	mkdir -p "$dir" "$T/secret"
	printf 'e2e kettle orbit velvet canyon\n' > "$T/secret/pass"
	for n in "$@"; do
		CANDOUR_PASSPHRASE_FILE="$T/secret/pass" "$BIN/candour-review" keygen --name "$n" \
			--out "$T/secret" --kdf test >/dev/null || fail "keygen $n"
		mv "$T/secret/$n.pub" "$dir/"
	done
}

# data_dir DIR: a data directory the store may use: started as root, the
# store runs as nobody and must own it (serve checks). ($EUID is what
# id -u printed, without a process.)
data_dir() {
	mkdir -p "$1"
	if [ "$EUID" -eq 0 ]; then chown nobody "$1"; chmod 0711 "$T"; fi
}

# start_intake [extra serve options]: a server on a free port with its
# data in $T/data and the deployment's contacts file in $T/contacts.txt
# (a number Ofcom keeps for drama; the data directory holds only what the
# intake writes); waits until it answers.
start_intake() {
	DATA=$T/data
	DB=$DATA/intake.db
	data_dir "$DATA"
	[ -f "$T/contacts.txt" ] || echo "out_of_hours = 0306 999 0123" > "$T/contacts.txt"
	[ -d "$T/keys" ] || make_keys "$T/keys" alice bob
	local port user=()
	free_port port
	URL=http://127.0.0.1:$port
	[ "$EUID" -eq 0 ] && user=(--user nobody)
	(cd "$REPO" && exec "$BIN/candour-intake" serve --db "$DB" --keys "$T/keys" \
		--listen "127.0.0.1:$port" --pidfile "$T/pids" --contacts "$T/contacts.txt" "${user[@]}" "$@") 2>"$T/serve.err" &
	PARENT=$!
	track_pid "$PARENT"
	wait_http "$URL/"
	# serve writes --pidfile after forking http, which may answer first
	for ((_i = 0; _i < 100; _i++)); do
		[ -s "$T/pids" ] && break
		nap 0.1
	done
	read -r _ HTTP STORE < "$T/pids"
}

stop_intake() {
	kill -TERM "$PARENT" 2>/dev/null || true
	wait "$PARENT" 2>/dev/null || true
}

# kid_of NAME [FILE]: the key id the report form ($T/form.html) offers for
# reviewer NAME (the value of its checkbox). Read by bash, line by line as
# grep did (no fork: it was three processes); fails when none is offered.
kid_of() {
	local l re='name="reviewer" value="([0-9a-f]{16})"[^>]*> <span>'"$1"'[, <]'
	while IFS= read -r l || [ -n "$l" ]; do
		[[ $l =~ $re ]] && { echo "${BASH_REMATCH[1]}"; return 0; }
	done < "${2:-$T/form.html}"
	return 1
}
# csrf_of, receipt_of and check_headers (below; ~45 calls in e2e 11
# alone) are one process each where they were two to five: on the build
# machine a fork and exec costs ~5 ms of CPU, much of an e2e script's.
# Same output and exit status as the grep -o | head | sed they replace
# (both fail, under pipefail, when nothing matches).
# csrf_of reads by bash, line by line as awk did (no process: the caller's
# $(...) is a fork of bash, not an exec of awk).
# csrf_of FILE VAR sets VAR instead of printing (no $(...): a fork of
# bash, ~5 ms; submit_concern and followup_page, ~90 calls, use it so).
csrf_of() {
	local l re='name="csrf" value="([^"]*)"'
	while IFS= read -r l || [ -n "$l" ]; do
		if [[ $l =~ $re ]]; then
			if [ -n "${2:-}" ]; then printf -v "$2" '%s' "${BASH_REMATCH[1]}"; else echo "${BASH_REMATCH[1]}"; fi
			return 0
		fi
	done < "$1"
	return 1
}
# receipt_of reads by bash too, line by line as the awk it replaces did:
# each class="receipt" up to the next <, leftmost first, printed from
# after its last > (awk's sub(/.*>/)) without the < (no process: an awk
# a call, ~35 calls over the scripts, some in loops).
receipt_of() {
	local l m f=1 re='class="receipt"[^<]*<'
	while IFS= read -r l || [ -n "$l" ]; do
		while [[ $l =~ $re ]]; do
			m=${BASH_REMATCH[0]}
			l=${l#*"$m"}
			m=${m##*>}
			echo "${m%<}"
			f=0
		done
	done < "$1"
	return "$f"
}

# submit_concern OUT [curl -F args]: a valid concern plus the given fields.
submit_concern() {
	local out=$1; shift
	curl -s -o "$T/form.html" "$URL/report"
	local tok; csrf_of "$T/form.html" tok
	local def=() a all=" $* "
	for a in category=recording risk=no raised_before=no; do
		[[ "$all" == *" ${a%%=*}="* ]] || def+=(-F "$a")
	done
	curl -s -D "$out.h" -o "$out" -w '%{http_code}' -F "csrf=$tok" "${def[@]}" "$@" "$URL/report"
}

# The headers every response carries (headers file from curl -D); the
# receipt page ($2 = receipt) alone may show images, from data: URIs.
# Lines compare case-insensitively, as grep -i did; the CSP line whole, up
# to its CR. The first check that fails is named, as fail would. (Read by
# bash, lower-cased once: no process; it was an awk for each response.)
check_headers() {
	local img= s m=
	[ "${2:-}" = receipt ] && img="img-src data:; "
	local csp="content-security-policy: default-src 'none'; style-src 'self'; ${img}form-action 'self'; frame-ancestors 'none'; base-uri 'none'"$'\r'
	IFS= read -r -d '' s < "$1" || [ -r "$1" ] || exit 1
	s=$'\n'${s,,}$'\n'
	if [[ $s != *$'\n'"$csp"$'\n'* ]]; then m="CSP missing or wrong"
	elif [[ $s != *$'\n'"referrer-policy: no-referrer"* ]]; then m="Referrer-Policy missing"
	elif [[ $s != *$'\n'"x-content-type-options: nosniff"* ]]; then m="nosniff missing"
	elif [[ $s != *$'\n'"cache-control: no-store"* ]]; then m="Cache-Control missing"
	elif [[ $s == *$'\n'"server:"* ]]; then m="a Server header"
	fi
	[ -z "$m" ] || fail "$m in $1"
}

# Records accepted, live, from candour-intake status (/transparency
# publishes the count as of the end of yesterday, so it cannot be used).
# (No sed: the lines are read by bash; same output and exit status.)
count_records() {
	local out l rc=0
	out=$("$BIN/candour-intake" status --db "$DB") || rc=$?
	while IFS= read -r l; do
		[[ $l != "records: "* ]] || echo "${l#records: }"
	done <<< "$out"
	return "$rc"
}

# followup_page RECEIPT OUT: the follow-up page for a receipt, fresh session
# (cookie jar $T/jar).
followup_page() {
	curl -s -c "$T/jar" -o "$T/fp.html" "$URL/followup"
	local tok; csrf_of "$T/fp.html" tok
	curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
		--data-urlencode "receipt=$1" "$URL/followup"
	curl -s -b "$T/jar" -o "$2" "$URL/followup"
}
