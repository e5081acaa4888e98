#!/usr/bin/env bash
# The Debian packaging's fast checks (building the .deb is `make soak-deb`):
# candour-intake.service passes systemd-analyze verify and rates "OK" or
# better in systemd-analyze security (the score is printed for the record;
# the same unit stripped of its confinement rates worse, so the check can
# fail); the man pages made from --help hold every subcommand's --help;
# the maintainer scripts parse.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$REPO/debian/candour.candour-intake.service

for s in postinst postrm; do sh -n "$REPO/debian/candour.$s" || fail "debian/candour.$s does not parse"; done
grep -q 'adduser --system' "$REPO/debian/candour.postinst" || fail "postinst makes no system user"

if command -v systemd-analyze > /dev/null; then
	# verify the unit as installed, with the built binary at its path
	mkdir -p "$T/unit"
	sed -e "s|/usr/bin/candour-intake|$BIN/candour-intake|" -e '/^Documentation=/d' "$UNIT" \
		> "$T/unit/candour-intake.service"
	systemd-analyze verify "$T/unit/candour-intake.service" > "$T/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$T/verify")"
	[ ! -s "$T/verify" ] || fail "systemd-analyze verify warns: $(cat "$T/verify")"
	score() {
		systemd-analyze security --offline=yes "$1" 2>/dev/null |
			sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p'
	}
	s=$(score "$T/unit/candour-intake.service")
	echo "deploy: candour-intake.service exposure $s (systemd-analyze security --offline=yes)"
	case "$s" in
	*" SAFE" | *" OK") ;;
	*) fail "the unit rates '$s', worse than OK" ;;
	esac
	grep -Ev '^(Protect|Private|Restrict|SystemCall|Capability|NoNewPriv|Memory|Lock|IPAddress|Device|Keyring|Remove|Ambient|Proc)' \
		"$T/unit/candour-intake.service" > "$T/unit/bare.service"
	b=$(score "$T/unit/bare.service")
	awk -v a="${s%% *}" -v b="${b%% *}" 'BEGIN { exit !(b > a + 3) }' ||
		fail "the unconfined unit rates '$b', not clearly worse than '$s'"
else
	echo "deploy: SKIP the unit checks: systemd-analyze is not installed (package systemd)"
fi

# man pages from --help (the page read once by bash, pg = a newline, the
# page, a newline; each check below says which grep, head, tr or sed it
# replaces: ~5 processes a subcommand fewer)
sh "$REPO/scripts/mkman.sh" "$BIN" "$T/man" || fail "mkman failed"
for prog in candour-intake candour-review; do
	page=$T/man/$prog.1
	IFS= read -r -d '' pg < "$page" || [ -r "$page" ] || fail "no $page"
	pg=$'\n'$pg$'\n'
	# head -n1 | grep -q '^\.TH '
	[[ $pg == $'\n'".TH "* ]] || fail "$prog.1 has no .TH"
	n=0
	for c in $("$BIN/$prog" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
		up="${prog^^} ${c^^}" # echo | tr a-z A-Z: $c is [a-z-]
		# grep -qx ".SH \"$up\"": a whole line
		[[ $pg == *$'\n'".SH \"$up\""$'\n'* ]] || fail "$prog.1 has no section for $c"
		# --help | head -n1 | sed 's/\\/\\e/g', then grep -qF
		first=$("$BIN/$prog" "$c" --help)
		first=${first%%$'\n'*}
		first=${first//\\/\\e}
		[[ $pg == *"$first"* ]] || fail "$prog.1 does not hold '$c --help'"
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] || fail "$prog.1: only $n subcommands found"
	if command -v man > /dev/null; then
		out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$out" ] || fail "$prog.1 renders with warnings: $out"
	fi
done
echo "deploy: ok"
