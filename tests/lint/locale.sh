#!/bin/sh
# Every key of one catalogue must be in the other, and each key's two values
# must carry the same placeholders ({1}, {{name}}) and the same markup (<...>),
# in any order: Welsh word order differs, but a lost {1} shows a wrong count
# and a lost tag breaks a page. A key given twice in one catalogue is an
# error too (the later value silently wins: a merge left a stale one). A
# command-line text (cli.*) holds no printf conversion (%s) and numbers its
# {N} from 1 without a gap (tmpl/cli_text.c fills them; cli-words.sh counts
# the values each call gives). Usage: locale.sh [EN CY] (default web/locale/).
# Exits 1 and names each finding.
en=${1:-web/locale/en.txt}; cy=${2:-web/locale/cy.txt}
for f in "$en" "$cy"; do
	[ -r "$f" ] || { echo "locale: cannot read $f" >&2; exit 2; }
done
LC_ALL=C awk -v EN="$en" -v CY="$cy" '
function tokens(v,   t, n, i, a, s) {
	n = 0; s = v
	while (match(s, /\{\{[^}]*\}\}|\{[0-9]+\}|<[^>]*>/)) {
		a[++n] = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
	}
	for (i = 2; i <= n; i++) { t = a[i]; j = i - 1   # insertion sort: order-free compare
		while (j > 0 && a[j] > t) { a[j + 1] = a[j]; j-- } a[j + 1] = t }
	t = ""; for (i = 1; i <= n; i++) t = t " " a[i]
	return t
}
/^[ \t]*(#|$)/ { next }
{
	eq = index($0, "="); if (eq == 0) next
	k = substr($0, 1, eq - 1); v = substr($0, eq + 1)
	gsub(/^[ \t]+|[ \t\r]+$/, "", k); gsub(/^[ \t]+|[ \t\r]+$/, "", v)
	if ((FILENAME, k) in seen) { printf "locale: %s given twice in %s\n", k, FILENAME; dup++ }
	seen[FILENAME, k] = 1
	if (FILENAME == EN) en[k] = tokens(v); else cy[k] = tokens(v)
	# the command-line texts (tmpl/cli_text.c) take values as {1}..{9},
	# never as a printf conversion, and number them from 1 without a gap
	if (k ~ /^cli\./) {
		if (v ~ /%[-+ #0-9.]*(l|ll|z)?[sdiuxXcpfeg]/) {
			printf "locale: %s: a printf conversion in %s (a command-line text takes {1}, {2})\n", k, FILENAME; bad2++
		}
		m = 0; s = v; delete has
		while (match(s, /\{[1-9]\}/)) { d = substr(s, RSTART + 1, 1) + 0; has[d] = 1; if (d > m) m = d; s = substr(s, RSTART + 3) }
		for (d = 1; d < m; d++) if (!(d in has)) { printf "locale: %s: {%d} missing before {%d} in %s\n", k, d, m, FILENAME; bad2++; break }
	}
}
END {
	bad = dup + bad2
	for (k in en) if (!(k in cy)) { printf "locale: %s missing from %s\n", k, CY; bad++ }
	for (k in cy) if (!(k in en)) { printf "locale: %s missing from %s\n", k, EN; bad++ }
	for (k in en) if ((k in cy) && en[k] != cy[k]) {
		printf "locale: %s: placeholders or markup differ (%s:%s, %s:%s)\n", k, EN, en[k], CY, cy[k]; bad++
	}
	exit bad > 0
}' "$en" "$cy"
