# Shared helpers for end-to-end tests. Source it: . "$(dirname "$0")/lib.sh"
# Provides: $BIN (build dir), $T (fresh temp dir, removed on exit),
# free_port, nap SECS, wait_http URL, kill_pid PID, fail MSG, pass_passphrase FILE,
# req ARGS... and reqs_run (several requests by one curl).
set -euo pipefail
: "${CANDOUR_BIN:?CANDOUR_BIN must name the build directory}"
BIN=$CANDOUR_BIN
# The scripts compare the programs' English: whatever the locale of whoever
# runs them (a Welsh LANG made both programs, and the desk's pages, answer
# in Welsh), each runs in C.UTF-8; a check of the Welsh asks for it itself.
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
T=$(mktemp -d /tmp/candour-e2e.XXXXXX)
_candour_top=$T # $T as made here (a script may point T at a subfolder)
_candour_pids=""
_candour_cleanup() {
	local _c=()
	for p in $_candour_pids; do kill "$p" 2>/dev/null || true; done
	for p in $_candour_pids; do wait "$p" 2>/dev/null || true; done
	# the ports free_port claimed (below) are given back
	if [ -f "$_candour_top/.ports" ]; then
		while read -r p; do _c+=("$_candour_ports/$p"); done < "$_candour_top/.ports"
	fi
	rm -rf "$T" "$_candour_top" "${_c[@]}"
}
trap _candour_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# skip WHY: a part of this test (or all of it, with exit 0 after) did not
# run because this machine lacks what it needs (root, a tmpfs, chromium...).
# run-e2e.sh reads the line from the log: the script shows as SKIP, not OK,
# and make check's summary counts it (a lacking machine does not fail).
skip() { echo "e2e: skipped: $*"; }

# The test-only KDF switch (SECURITY.md, "The test KDF"): lets the tests'
# reviewer keys be made with `keygen --kdf test` (Argon2id t=1, 64 KiB) and
# opened, instead of INTERACTIVE on every review command. It changes no
# default: keygen without --kdf test still writes MODERATE (the README
# walk-through, 70, runs on those), the intake's receipts change only with
# CANDOUR_RCPT_KDF=min beside it. A script testing a refusal without the
# switch unsets it for that command (env -u CANDOUR_TEST_WEAK_KDF).
export CANDOUR_TEST_WEAK_KDF=1

# Remember a background PID so it is stopped when the test exits.
track_pid() { _candour_pids="$_candour_pids $1"; }

# A free TCP port on 127.0.0.1, found by bash with no process (a python3
# asking the kernel for one cost ~50-70 ms of CPU a call, ~100 calls in a
# make check). A random port below the kernel's ephemeral range (where
# curl's and the clients' own connections take their local ports: the
# kernel's port came from there, free only until the next connect), that
# no socket of any state holds (/proc/net/tcp, tcp6: ":PORT " there is a
# local or a remote port), claimed against the scripts running beside this
# one by a file created with O_EXCL (set -C) in $_candour_ports, given
# back when the script exits (_candour_cleanup). A claim left by a script
# killed before its cleanup names that script's $T (as lib.sh made it),
# gone: it is taken over. free_port VAR sets VAR (a name not among
# free_port's locals) instead of printing: no $(...), a fork of bash.
_candour_ports=/tmp/candour-e2e-ports
free_port() {
	local lo hi base span p hex s= x f _i
	read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
	if ((lo > 12000)); then base=10000 span=$((lo - 10000)); else base=$((hi + 1)) span=$((65535 - hi)); fi
	for f in /proc/net/tcp /proc/net/tcp6; do
		[ -r "$f" ] || continue
		IFS= read -r -d '' x < "$f" || true
		s+=$x
	done
	[ -d "$_candour_ports" ] || mkdir -p "$_candour_ports"
	for ((_i = 0; _i < 1000; _i++)); do
		p=$((base + SRANDOM % span))
		printf -v hex ':%04X ' "$p"
		[[ $s != *"$hex"* ]] || continue
		if ! (set -C; echo "$_candour_top" > "$_candour_ports/$p") 2>/dev/null; then
			IFS= read -r x < "$_candour_ports/$p" || continue
			[ -n "$x" ] && [ ! -d "$x" ] || continue
			echo "$_candour_top" > "$_candour_ports/$p"
		fi
		echo "$p" >> "$_candour_top/.ports"
		if [ -n "${1:-}" ]; then printf -v "$1" '%s' "$p"; else echo "$p"; fi
		return 0
	done
	fail "free_port: no free port found"
}

# nap SECS: waits SECS (a fraction allowed) with no process: a read with
# a timeout from a FIFO that nobody writes ($_candour_top/.nap, made at the
# first nap). A `sleep 0.1` is a fork of bash and an exec, ~8 ms of CPU on
# the build machine against ~0.2 ms (100 of each, 2026-12-07); the polls
# below (a server's start, the desk's address) made up to ~20 in a row
# each, e2e 38 ~105. Opened read-write for the read alone (a FIFO opened
# so never blocks; no descriptor is left for the servers to inherit).
nap() {
	local _f=$_candour_top/.nap _x
	[ -p "$_f" ] || mkfifo "$_f" 2> /dev/null || [ -p "$_f" ] || fail "nap: cannot make $_f"
	IFS= read -r -t "$1" _x <> "$_f" || true
}

# Waits up to 10 s (CANDOUR_WAIT_HTTP_S: valgrind's run needs longer) for
# URL to answer anything. (A bash loop: a server nearly always answers
# the first try, and seq was a process of its own for each wait.) An
# http:// URL is asked by bash itself (_candour_answers): no process,
# where a curl cost ~30 ms of CPU and every start_intake ran one; any
# other (https) by curl, as all were.
wait_http() {
	local _i
	for ((_i = 0; _i < ${CANDOUR_WAIT_HTTP_S:-10} * 10; _i++)); do
		if [[ $1 == http://* ]]; then
			_candour_answers "$1" && return 0
		else
			curl -s -o /dev/null --max-time 1 "$1" && return 0
		fi
		nap 0.1
	done
	fail "server at $1 did not come up"
}

# _candour_answers http://HOST[:PORT][/PATH]: true when a GET of it over
# bash's /dev/tcp gets an HTTP status line within 1 s, whatever the status
# (as curl -s --max-time 1 without -f: exit 0 on any answer). The connect
# has no time limit of its own: to 127.0.0.1 it is refused or taken at once.
_candour_answers() {
	local u=${1#http://} hp path fd l=
	hp=${u%%/*}
	path=${u#"$hp"}
	[[ $hp == *:* ]] || hp+=:80
	{ exec {fd}<>"/dev/tcp/${hp%:*}/${hp##*:}"; } 2> /dev/null || return 1
	if printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "${path:-/}" "$hp" 1>&"$fd" 2> /dev/null; then
		IFS= read -r -t 1 l <&"$fd" 2> /dev/null || true
	fi
	exec {fd}>&-
	[[ $l == HTTP/* ]]
}

# has [-i] FILE TEXT...: true when FILE holds every TEXT, each a fixed
# string (grep -qF, -i as grep -i) on one line; a TEXT starting with ^
# must start a line (grep -q '^TEXT'). The file is read once by bash, no
# process: a grep costs ~5 ms of CPU under load and e2e 38 ran ~150. Text
# files only (the read stops at a NUL byte); a TEXT holds no newline.
has() {
	local _s _t _r=0 _ci=
	if [ "$1" = -i ]; then _ci=1; shift; fi
	IFS= read -r -d '' _s < "$1" || [ -r "$1" ] || return 2
	_s=$'\n'$_s
	shift
	[ -z "$_ci" ] || shopt -s nocasematch
	for _t; do
		if [[ $_t == ^* ]]; then _t=$'\n'${_t#^}; fi
		[[ $_s == *"$_t"* ]] || { _r=1; break; }
	done
	[ -z "$_ci" ] || shopt -u nocasematch
	return "$_r"
}

# nlines FILE VAR: VAR = the lines of FILE as wc -l counts them (newline
# characters), read by bash with no process. Text files only.
nlines() {
	local _s _n
	IFS= read -r -d '' _s < "$1" || [ -r "$1" ] || return 2
	_n=${_s//[!$'\n']/}
	printf -v "$2" '%s' "${#_n}"
}

# expect_says RC WANT CMD...: CMD exits RC and its stdout+stderr ($T/o) hold WANT
# (a fixed string on one line, as the grep -qF it was; read by bash, no
# process: 57 calls over the scripts, some in loops)
expect_says() {
	local rc=$1 want=$2 s; shift 2
	local got=0
	"$@" > "$T/o" 2>&1 || got=$?
	[ "$got" = "$rc" ] || fail "$* exited $got, not $rc: $(cat "$T/o")"
	IFS= read -r -d '' s < "$T/o" || true
	[[ $s == *"$want"* ]] || fail "$* did not say '$want': $(cat "$T/o")"
}

kill_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Several requests sent by one curl, in their order: a curl costs ~25 ms
# of CPU on the build machine (most of it loading its 33 libraries, paid
# again by every call), a bash $(...) ~5 ms more. req ARGS... queues one
# (curl's arguments for it: options and URL); reqs_run sends the queue
# (then empties it): RQ_CODE[i] is the status of the i-th (from 0), its
# body in $T/rq.i and its headers in $T/rq.i.h (req sets RQ_I to the i of
# the one it queued). Each request is what its
# own curl sent: curl carries a cookie set by one response into a later
# request only when that one reads a cookie file (-b FILE; -c writes one
# at curl's end), so req refuses both: a cookie is given as -b NAME=VALUE,
# sent with its own request only. (Checked: the second of two requests,
# the first answered with Set-Cookie, sends no cookie with -b NAME=VALUE or
# none, and sends it with -b FILE.)
_candour_rq=()
_candour_rqn=0
req() {
	local a prev=
	for a; do
		[ "$prev" != -b ] || [[ $a == *=* ]] || fail "req: -b $a: a cookie file carries cookies between requests"
		[ "$a" != -c ] && [ "$a" != --cookie-jar ] || fail "req: a cookie jar is written at curl's end"
		[ "$a" != -o ] && [ "$a" != -w ] && [ "$a" != -D ] || fail "req: $a is req's own"
		prev=$a
	done
	[ "$_candour_rqn" = 0 ] || _candour_rq+=(--next)
	_candour_rq+=(-s -o "$T/rq.$_candour_rqn" -D "$T/rq.$_candour_rqn.h" -w '%{http_code}\n' "$@")
	RQ_I=$_candour_rqn
	_candour_rqn=$((_candour_rqn + 1))
}
reqs_run() {
	local n=$_candour_rqn
	_candour_rqn=0
	curl "${_candour_rq[@]}" > "$T/rq.codes" || true
	_candour_rq=()
	mapfile -t RQ_CODE < "$T/rq.codes"
	[ "${#RQ_CODE[@]}" = "$n" ] || fail "reqs_run: $n requests, ${#RQ_CODE[@]} answers"
}

# flip_byte FILE OFFSET: inverts the byte at OFFSET, so the file always
# changes (writing a fixed byte left it unchanged 1 time in 256 when the
# byte was already that value: e2e 20 "imported a tampered bundle" once).
flip_byte() {
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	[ -n "$_b" ] || fail "flip_byte: no byte at $2 of $1"
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((_b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# tool NAME: fails unless $BIN/tests/e2e/NAME, a C helper of the scripts
# (tests/e2e/NAME.c; desk_probe.so), is built: make tests builds them,
# once, where each script compiled its own with cc at every run.
tool() { [ -e "$BIN/tests/e2e/$1" ] || fail "$BIN/tests/e2e/$1 missing (make tests builds it)"; }

# sdc_setup NAME: the disclosure-control property tests' tools (61, 63):
# GEN=$BIN/tests/report/NAME (built by make tests), CHECK (the independent
# checker tests/report/sdc_check.py) and PY, a python3 that has scipy
# (Debian's python3 has python3-scipy; a python3 earlier on PATH may not).
sdc_setup() {
	GEN=$BIN/tests/report/$1
	CHECK=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/report/sdc_check.py
	PY=/usr/bin/python3
	[ -x "$PY" ] || PY=python3
	[ -x "$GEN" ] || fail "$GEN missing (make tests builds it)"
	[ -r "$CHECK" ] || fail "$CHECK missing"
	"$PY" -c 'import scipy.optimize' 2>/dev/null || fail "python3-scipy missing (scripts/deps.sh check)"
}

# sdc_serve_end: the checker coproc CHK (sdc_check.py --serve, e2e 61 and
# 63) ends with its input: it joins its pool's workers before it exits, so
# their CPU is counted in the script's (killed by the EXIT trap instead, it
# leaves them to exit by themselves, their CPU counted nowhere).
sdc_serve_end() {
	local pid=$CHK_PID fd=${CHK[1]}
	exec {fd}>&-
	wait "$pid" || fail "the checker (sdc_check.py --serve) failed at its end"
}

# gen_setup PHRASE NAME...: a test of candour-review on bench/gen_bundle's
# bundles (84, 85, 88, 89): RV and GEN (built by make tests), the passphrase
# PHRASE in $T/pass (CANDOUR_PASSPHRASE_FILE), a key $T/NAME.sec and
# NAME.pub for each NAME, and A=(--key $T/FIRST-NAME.sec). The keys are
# test keys (--kdf test, as every other script's): with INTERACTIVE keys
# (64 MiB) each command that opened one paid ~0.1 s of CPU, ~60 commands
# in 89 (9 s of CPU, 1.8 s so). INTERACTIVE keys are test_keygen's and
# make bench's (bench/bench_import.sh); none of these scripts checks a
# KDF's cost or parameters.
gen_setup() {
	RV=$BIN/candour-review
	GEN=$BIN/bench/gen_bundle
	[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
	export CANDOUR_PASSPHRASE_FILE=$T/pass
	echo "$1" > "$T/pass"
	shift
	A=(--key "$T/$1.sec")
	for _n; do
		"$RV" keygen --name "$_n" --out "$T" --kdf test > /dev/null || fail "keygen $_n"
	done
}

# age_casebook DB DAYS: every date the governance report reads (records,
# concerns, messages, notes, replies, referral links) moved DAYS earlier.
# A report is made once its period has ended and never as of a day to
# come: a casebook imported today from a real intake (e2e 62, 64) holds no
# ended period until it is aged. Only plain columns move; nothing sealed.
age_casebook() {
	python3 - "$1" "$2" <<'PY' || fail "cannot age $1"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
shift = "-%d days" % int(sys.argv[2])
cols = {"records": ("date", "imported"),
        "concerns": ("received", "ack_date", "feedback_date", "closed_date"),
        "messages": ("date",), "notes": ("date",), "replies": ("date",), "ref_links": ("date",)}
for t, cs in cols.items():
    for c in cs:
        db.execute(f"UPDATE {t} SET {c} = date(substr({c}, 1, 10), ?) || substr({c}, 11)"
                   f" WHERE {c} IS NOT NULL", (shift,))
db.commit()
PY
}
