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
	printf 'demo passphrase - not secret\n' > "$D/secret/passphrase"
	if [ -x "$B/candour-review" ] && "$B/candour-review" keygen --name demo-reviewer --out "$D/secret" \
		--passphrase-file "$D/secret/passphrase" >/dev/null 2>&1 && [ -f "$D/secret/demo-reviewer.pub" ]; then
		:
	else
		# No review tool yet: the same key format from the crypto library.
		cc -std=c17 -D_GNU_SOURCE -I. -o "$D/demo-keygen" scripts/demo-keygen.c \
			"$B/libcandour_crypto.a" $(pkg-config --libs libsodium)
		"$D/demo-keygen" demo-reviewer "$D/secret" "$D/secret/passphrase" >/dev/null
	fi
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
