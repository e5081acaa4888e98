#!/bin/sh
# `make run`: a DEMO intake on http://127.0.0.1:8080 with a demo reviewer
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
	printf 'demo passphrase kettle orbit velvet - not secret\n' > "$D/secret/passphrase"
	"$B/candour-review" keygen --name demo-reviewer --out "$D/secret" --kdf interactive \
		--passphrase-file "$D/secret/passphrase" >/dev/null ||
		{ echo "make run: could not create the demo reviewer key" >&2; exit 1; }
	mv "$D/secret/demo-reviewer.pub" "$D/keys/"
	chmod 644 "$D/keys/demo-reviewer.pub"
fi

banner
echo "  Reviewer public key: $D/keys/demo-reviewer.pub"
echo "  Open http://127.0.0.1:8080/ in a browser; stop with Ctrl-C."
echo
USER_OPT=""
if [ "$(id -u)" -eq 0 ]; then
	USER_OPT="--user nobody"
fi
# shellcheck disable=SC2086
exec "$B/candour-intake" serve --db "$D/intake.db" --keys "$D/keys" --listen 127.0.0.1:8080 $USER_OPT
