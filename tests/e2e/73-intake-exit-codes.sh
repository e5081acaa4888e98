#!/usr/bin/env bash
# candour-intake's exit codes (issue 10): 2 for every usage error (unknown
# command or option, a missing option, a stray argument, a value of the
# wrong form), 1 for a failure, 0 for --help and --version; --help says so.
. "$(dirname "$0")/lib.sh"
I=$BIN/candour-intake
want() { # want CODE ARGS...
	local code=$1 rc=0; shift
	"$I" "$@" >"$T/out" 2>"$T/err" || rc=$?
	[ "$rc" = "$code" ] || fail "candour-intake $* exited $rc, not $code: $(cat "$T/err")"
	if [ "$code" = 2 ] || [ "$code" = 1 ]; then
		[ -s "$T/err" ] || fail "candour-intake $*: no message on stderr"
	fi
}
want 2
want 2 nope
want 2 export
want 2 export --db x.db
want 2 export --db x.db --out y --bogus
want 2 export --db x.db --out y stray
want 2 export --db x.db --out y --since abc
want 2 status
want 2 status --db x.db stray
want 2 import-replies --db x.db
want 2 import-replies --db x.db --keys k
want 2 poster --url x
want 2 poster --demo --url ftp://example.org/ --out "$T/p.svg"
want 2 serve --db x.db
want 2 serve --bogus
want 2 status --db "$T/nope.db"
want 2 export --db "$T/nope.db" --out "$T/b"
want 2 backup --db "$T/nope.db" --out "$T/bk"
want 2 status --db "$T"
mkdir -p "$T/k"
# a --in that names no file is a usage error, said before the db or keys
# are opened (import-replies --help says so; e2e 87); one that is there but
# cannot be used is a failure
want 2 import-replies --db "$T/nope.db" --keys "$T/k" --in "$T/nope"
: > "$T/empty"
want 1 import-replies --db "$T/nope.db" --keys "$T/k" --in "$T/empty"
# so is a --keys that names no directory (missing, or a file), for each
# command that takes one: the same line, said before anything is opened
# (serve makes no database, keys reads no signing key)
mkdir -p "$T/sd"
for k in "$T/nokeys" "$T/empty"; do
	want 2 import-replies --db "$T/nope.db" --keys "$k" --in "$T/empty"
	sed 's/^candour-intake: import-replies: //' "$T/err" > "$T/err.ir"
	want 2 keys --db "$T/nope.db" --keys "$k"
	sed 's/^candour-intake: keys: //' "$T/err" > "$T/err.k"
	want 2 serve --db "$T/sd/intake.db" --keys "$k" --listen 127.0.0.1:0
	sed 's/^candour-intake: serve: //' "$T/err" > "$T/err.s"
	[ -z "$(ls -A "$T/sd")" ] || fail "serve --keys $k left $(ls -A "$T/sd")"
	[ "$(wc -l < "$T/err.ir")" = 1 ] || fail "import-replies --keys $k: $(cat "$T/err.ir")"
	grep -q "^$k: .*; give --keys the directory" "$T/err.ir" || fail "--keys $k: $(cat "$T/err.ir")"
	cmp -s "$T/err.ir" "$T/err.k" || fail "--keys $k: keys says $(cat "$T/err.k")"
	cmp -s "$T/err.ir" "$T/err.s" || fail "--keys $k: serve says $(cat "$T/err.s")"
done
grep -q "is a file, not a directory" "$T/err.ir" || fail "--keys FILE: $(cat "$T/err.ir")"
# a --db that is there but is not an intake database is a failure
want 1 status --db "$T/empty"
want 1 export --db "$T/empty" --out "$T/b"
: > "$T/exists.svg"
want 1 poster --demo --url https://example.org/ --out "$T/exists.svg"
want 0 --version
grep -Eq '^candour-intake [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || fail "--version: $(cat "$T/out")"
want 0 --help
grep -q "2 usage error" "$T/out" || fail "candour-intake --help does not give the exit codes"
for c in serve export status import-replies poster keys; do
	want 0 "$c" --help
	grep -q "2 usage error" "$T/out" || fail "$c --help does not give the exit codes"
done
echo "73-intake-exit-codes: ok"
