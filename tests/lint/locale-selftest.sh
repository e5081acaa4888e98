#!/bin/sh
# Proves tests/lint/locale.sh fires: a key planted missing from each side, a
# lost {1}, a renamed {{name}} and a dropped tag must each be reported; the
# same placeholders in another order must not.
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cat >"$dir/en.txt" <<'T'
# comment
a = One {1} and {2}
b = Only in English
c = Hello {{name}}
d = <b>bold</b> text
e = {1} of {2}
T
cat >"$dir/cy.txt" <<'T'
a = Un {1}
cy.only = Dim ond yn Gymraeg
c = Helo {{enw}}
d = testun bras
e = {2} o {1}
T
out=$(sh tests/lint/locale.sh "$dir/en.txt" "$dir/cy.txt"); rc=$?
n=$(printf '%s\n' "$out" | grep -c '^locale: ')
if [ "$rc" -ne 1 ] || [ "$n" -ne 5 ] || printf '%s\n' "$out" | grep -q '^locale: e:' ||
   ! printf '%s\n' "$out" | grep -q '^locale: b missing from' ||
   ! printf '%s\n' "$out" | grep -q '^locale: cy.only missing from'; then
	printf 'lint: locale self-test FAILED (exit %s, %s reports):\n%s\n' "$rc" "$n" "$out"
	exit 1
fi
cp web/locale/en.txt web/locale/cy.txt "$dir/" && sed -i '/^nav.leave /d' "$dir/cy.txt"
out=$(sh tests/lint/locale.sh "$dir/en.txt" "$dir/cy.txt"); rc=$?
if [ "$rc" -ne 1 ] || ! printf '%s\n' "$out" | grep -q 'nav.leave missing'; then
	printf 'lint: locale self-test FAILED on the real catalogue with nav.leave removed:\n%s\n' "$out"
	exit 1
fi
cp web/locale/en.txt web/locale/cy.txt "$dir/" && grep -m1 '^nav.leave ' "$dir/cy.txt" >>"$dir/cy.txt"
out=$(sh tests/lint/locale.sh "$dir/en.txt" "$dir/cy.txt"); rc=$?
if [ "$rc" -ne 1 ] || ! printf '%s\n' "$out" | grep -q 'nav.leave given twice'; then
	printf 'lint: locale self-test FAILED on the real catalogue with nav.leave given twice:\n%s\n' "$out"
	exit 1
fi
# a command-line text with a printf conversion, and one with a gap in its {N}
cp web/locale/en.txt web/locale/cy.txt "$dir/"
printf 'cli.zz.fmt = cannot read %%s\ncli.zz.gap = {2} of them\n' >>"$dir/en.txt"
printf 'cli.zz.fmt = ni ellir darllen %%s\ncli.zz.gap = {2} ohonynt\n' >>"$dir/cy.txt"
out=$(sh tests/lint/locale.sh "$dir/en.txt" "$dir/cy.txt"); rc=$?
if [ "$rc" -ne 1 ] || [ "$(printf '%s\n' "$out" | grep -c 'cli.zz.fmt: a printf conversion')" -ne 2 ] ||
   [ "$(printf '%s\n' "$out" | grep -c 'cli.zz.gap: {1} missing before {2}')" -ne 2 ]; then
	printf 'lint: locale self-test FAILED on a cli.* text with %%s or a gap in its {N}:\n%s\n' "$out"
	exit 1
fi
echo "lint: locale self-test: 5 planted differences reported, a reordered pair not, a key removed from the real cy.txt and a key given twice reported, a cli.* text with %s or a gap in its {N} reported"
