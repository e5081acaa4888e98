#!/bin/sh
# `make run`: a DEMO intake on http://127.0.0.1:8080 (or the next free
# port) with a demo reviewer
# key pair in ./demo/. The secret key stays in ./demo/secret/ (passphrase
# in ./demo/secret/passphrase), never in the intake's --keys directory.
# Usage: scripts/demo-run.sh BUILD-DIR
set -eu
B=${1:-build}
D=demo
umask 077
mkdir -p "$D/keys" "$D/secret"

banner() {
	echo "=========================================================================="
	echo "  DEMO ONLY. The demo reviewer's SECRET key and its passphrase are in"
	echo "  ./$D/secret/. Anyone with that folder can read every demo concern."
	echo "  Never use this set-up for real concerns: generate reviewer keys on the"
	echo "  offline review machine (candour-review keygen) and copy only NAME.pub."
	echo "=========================================================================="
}

if ! ls "$D"/keys/*.pub >/dev/null 2>&1; then
	# random, so that no passphrase rule refuses it (kept beside the key: demo only)
	od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$D/secret/passphrase"
	echo >> "$D/secret/passphrase"
	"$B/candour-review" keygen --name demo-reviewer --out "$D/secret" --kdf interactive \
		--passphrase-file "$D/secret/passphrase" >/dev/null ||
		{ echo "make run: could not create the demo reviewer key" >&2; exit 1; }
	mv "$D/secret/demo-reviewer.pub" "$D/keys/"
	chmod 644 "$D/keys/demo-reviewer.pub"
fi

# The first free port from 8080 (CANDOUR_DEMO_PORT) on: curl's exit code 7
# is "connection refused", so nothing listens there.
port=${CANDOUR_DEMO_PORT:-8080}
last=$((port + 20))
while [ "$port" -lt "$last" ]; do
	rc=0; curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" || rc=$?
	[ "$rc" -eq 7 ] && break
	echo "make run: port $port is busy; trying $((port + 1))"
	port=$((port + 1))
done
[ "$port" -lt "$last" ] || { echo "make run: no free port from ${CANDOUR_DEMO_PORT:-8080} to $((last - 1))" >&2; exit 1; }

reviewer_steps() {
	echo "  To read the demo concerns as the demo reviewer, from this directory:"
	echo "    export CANDOUR_CASEBOOK=$D/secret/casebook.db CANDOUR_KEY=$D/secret/demo-reviewer.sec \\"
	echo "           CANDOUR_PASSPHRASE_FILE=$D/secret/passphrase"
	echo "    $B/candour-intake export --db $D/intake.db --out $D/secret/bundle.cdb"
	echo "    $B/candour-review init --intake-key $D/intake.db.sign.pub    # the first time only"
	echo "    $B/candour-review import $D/secret/bundle.cdb && $B/candour-review list"
}

banner
echo "  Reviewer public key: $D/keys/demo-reviewer.pub"
echo "  Open http://127.0.0.1:$port/ in a browser; stop with Ctrl-C."
echo
reviewer_steps
echo
USER_OPT=""
if [ "$(id -u)" -eq 0 ]; then
	USER_OPT="--user nobody"
	chown nobody "$D" # the store runs as nobody and must own its data directory
fi
# Not exec: after Ctrl-C (which stops serve too) say again how to read
# what was sent. A handler, not an ignored signal, so serve still gets it.
trap 'true' INT TERM
rc=0
# shellcheck disable=SC2086
"$B/candour-intake" serve --db "$D/intake.db" --keys "$D/keys" --listen "127.0.0.1:$port" \
	--demo $USER_OPT || rc=$?
echo
reviewer_steps
exit "$rc"
