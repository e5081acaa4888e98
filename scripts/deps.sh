#!/bin/sh
# Installs the Debian packages Candour needs when run as root; otherwise
# prints the one apt-get line to run and stops.
pkgs="build-essential pkg-config libsodium-dev libmicrohttpd-dev libsqlite3-dev libqrencode-dev libseccomp-dev libcmocka-dev sqlite3 curl iproute2 util-linux chromium"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "deps: apt-get install failed; run: apt-get install$missing" >&2; exit 1; }
else
	echo "deps: missing Debian packages; run as root: apt-get install -y$missing" >&2
	exit 1
fi
