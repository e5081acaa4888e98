#!/bin/sh
# Installs what Candour needs, from Debian's packages (and, for the browser
# test, playwright-core pinned by tests/browser/package-lock.json from npm).
# Usage: deps.sh run | check. As root it installs what is missing; otherwise
# it prints the one apt-get line to run and stops. Tests themselves never
# download anything: this is the only step that does.
mode=${1:-run}
pkgs="build-essential pkg-config libsodium-dev libmicrohttpd-dev libsqlite3-dev libqrencode-dev libseccomp-dev libpng-dev sqlite3 curl"
[ "$mode" = check ] && pkgs="$pkgs libcmocka-dev iproute2 util-linux python3 chromium python3-scipy"
# the browser tests run Chromium's headless shell (tests/browser/launch.js):
# no browser window drawn off screen, about half the CPU of chromium itself
[ "$mode" = check ] && pkgs="$pkgs chromium-headless-shell"
# packaging and deployment tests: tor (onion), systemd-analyze, man, debhelper + lintian (make soak-deb)
[ "$mode" = check ] && pkgs="$pkgs tor systemd man-db debhelper lintian"
# the attachment-cleaning and receipt-QR tests (tests/e2e/39, 51)
[ "$mode" = check ] && pkgs="$pkgs libimage-exiftool-perl imagemagick webp zbar-tools"
# clang: the fuzz targets (libFuzzer, ASan and UBSan come with it)
[ "$mode" = check ] && pkgs="$pkgs clang"
# minisign: the report's signature is checked with the real tool
[ "$mode" = check ] && pkgs="$pkgs minisign"
# unlock once: the kernel keyring (libkeyutils); the e2e test runs under keyctl
pkgs="$pkgs libkeyutils-dev"
[ "$mode" = check ] && pkgs="$pkgs keyutils"
# rsvg-convert: the poster is rendered to check its margins (tests/e2e/22)
[ "$mode" = check ] && pkgs="$pkgs librsvg2-bin"
# make static / make soak: cppcheck (also in make check), scan-build, valgrind
[ "$mode" = check ] && pkgs="$pkgs cppcheck clang-tools valgrind"
# strace: e2e 88 counts the review tool's getrandom calls (its random pool)
[ "$mode" = check ] && pkgs="$pkgs strace"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
			echo "deps: apt-get install failed; run: apt-get install$missing" >&2; exit 1; }
	else
		echo "deps: missing Debian packages; run as root: apt-get install -y$missing" >&2
		exit 1
	fi
fi
if [ "$mode" = check ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
	if command -v npm >/dev/null; then
		echo "deps: installing playwright-core for the browser test (npm ci, tests/browser)"
		npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 ||
			echo "deps: npm ci failed; the browser test will say it was skipped" >&2
	else
		echo "deps: no npm; the browser test will say it was skipped" >&2
	fi
fi
exit 0
