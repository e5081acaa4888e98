#!/bin/sh
# make soak-deb: builds the Debian package from the tree (make deb, which
# runs lintian --fail-on error) and inspects it with dpkg-deb: the files
# it must hold, its metadata, and the maintainer scripts that make the
# candour user. Installing it and starting the service needs a machine
# whose PID 1 is systemd; this says so and stops short of it.
set -eu
B=${B:-build}
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v dh > /dev/null || ! command -v lintian > /dev/null; then
	echo "soak-deb: SKIP: debhelper or lintian is not installed (sh scripts/deps.sh check)"
	exit 0
fi
rm -f "$B"/deb/candour_*.deb
start=$(date +%s)
make B="$B" deb > "$B/deb.log" 2>&1 || { tail -n 20 "$B/deb.log"; fail "make deb failed"; }
echo "soak-deb: make deb (build + lintian) took $(( $(date +%s) - start )) s"
deb=$(ls "$B"/deb/candour_*.deb)
dpkg-deb -c "$deb" | awk '{print $6}' > "$B/deb.files"
for f in ./usr/bin/candour-intake ./usr/bin/candour-review ./usr/bin/candour-review-desk \
	./usr/share/candour/web/locale/en.txt ./lib/systemd/system/candour-intake.service \
	./usr/share/man/man1/candour-intake.1.gz ./usr/share/man/man1/candour-review.1.gz \
	./usr/share/man/man1/candour-review-desk.1.gz \
	./usr/share/doc/candour/copyright ./etc/candour/keys/; do
	grep -qxF "$f" "$B/deb.files" || fail "the package lacks $f"
done
ls "$B"/deb/ | grep -q '^candour_' || fail "no package"
grep -q '^./usr/share/doc/candour/ADMIN.md' "$B/deb.files" || fail "the package lacks ADMIN.md"
if grep -q '\.\(c\|o\|h\)$' "$B/deb.files"; then fail "sources or objects in the package"; fi
dpkg-deb -I "$deb" > "$B/deb.info"
grep -q '^ Package: candour$' "$B/deb.info" || fail "package name"
grep -q '^ Depends: adduser' "$B/deb.info" || fail "adduser dependency (postinst needs it)"
grep -q 'libsodium' "$B/deb.info" || fail "shlibs dependencies missing"
dpkg-deb -e "$deb" "$B/deb.control"
grep -q 'adduser --system' "$B/deb.control/postinst" || fail "postinst makes no candour user"
grep -q 'install -d -o candour -g candour -m 0700 /var/lib/candour' "$B/deb.control/postinst" ||
	fail "postinst does not give /var/lib/candour to candour"
grep -q 'deb-systemd-helper' "$B/deb.control/postinst" || fail "the unit is not registered"
lintian --fail-on error "$deb" > "$B/lintian.log" 2>&1 || { cat "$B/lintian.log"; fail "lintian errors"; }
echo "soak-deb: lintian: $(grep -c '^E:' "$B/lintian.log" || true) errors, $(grep -c '^W:' "$B/lintian.log" || true) warnings"
if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ]; then
	echo "soak-deb: PID 1 is systemd, but installing is left to a throwaway machine: dpkg -i $deb"
else
	echo "soak-deb: SKIP install and start: PID 1 is not systemd on this machine"
fi
echo "soak-deb: ok"
