#!/bin/sh
# The command-line programs say their words from the catalogues (cli.* keys
# of web/locale/LANG.txt, tmpl/cli_text.c), so that a Welsh reviewer reads
# Welsh. Three checks over the programs' C files (commands and the layers
# below them, whose reasons reach a person as surely):
#  1. an English literal (two letters in a row, once %s-style conversions
#     and escapes are taken out) in a printf/fprintf/puts/fputs/perror/
#     rv_err/scli_fail/scli_usage call is a finding, except in the files of TODO below,
#     which may keep at most their listed count (the list shrinks as files
#     are converted; a lower count is said so that the number is lowered).
#     A call whose line ends with a "lint-cli:" comment (the program's name,
#     say) is passed;
#  2. every "cli.*" key named in C source is in the English catalogue;
#  3. RV_ERR/CLI_PUT/CLI_FILL/SCLI_FAIL/SCLI_USAGE/SCLI_NOTE pass strerror()'s
#     English only through cli_phrase, and give a literal key as many values as its
#     English text has {N} (cy has the same, by tests/lint/locale.sh).
#  4. no English literal is formatted into a why/reason buffer (snprintf,
#     vsnprintf or a NAME_why formatter whose first argument is named why...
#     or reason...): a lower layer's reason reaches a person through its
#     caller's line as surely as a printed one (the referral register's 40
#     reasons did so until 2026-12-06). A fixed phrase a caller says through
#     cli_phrase (*why = "...", cb_open's) is not formatted and not flagged.
# Usage: cli-words.sh [FILE...] (default: every C file of review/ intake/ util/ tmpl/ bundle/). Exits 1 on a
# finding, naming it.
en=web/locale/en.txt
# file  English literals still in output calls (lower these as files convert)
TODO='
'
# every C file of the programs and the layers below their commands (a
# reason a lower layer prints reaches a person as surely as a command's)
if [ $# -gt 0 ]; then files="$*"; else
	files="$(ls review/*.c intake/*.c util/*.c tmpl/*.c bundle/*.c)"
fi
[ -r "$en" ] || { echo "cli-words: cannot read $en" >&2; exit 2; }
LC_ALL=C awk -v TODO="$TODO" -v EN="$en" -v CSRC="$(ls review/*.c intake/*.c tmpl/*.c util/*.c 2>/dev/null)" '
BEGIN {
	n = split(TODO, t, "\n")
	for (i = 1; i <= n; i++) if (split(t[i], f, " ") == 2) todo[f[1]] = f[2]
	while ((getline line < EN) > 0) {
		if (line ~ /^[ \t]*(#|$)/ || index(line, "=") == 0) continue
		k = substr(line, 1, index(line, "=") - 1); v = substr(line, index(line, "=") + 1)
		gsub(/^[ \t]+|[ \t]+$/, "", k)
		m = 0; s = v
		while (match(s, /\{[1-9]\}/)) { d = substr(s, RSTART + 1, 1) + 0; if (d > m) m = d; s = substr(s, RSTART + 3) }
		nph[k] = m
	}
	bad = 0
}
# The file as one string with comments blanked (strings kept); a comment
# holding lint-cli: leaves a mark @ in its place.
function load(file,   src, line, out, i, c, n, st) {
	src = ""
	while ((getline line < file) > 0) src = src line "\n"
	close(file)
	out = ""; n = length(src); st = 0
	for (i = 1; i <= n; i++) {
		c = substr(src, i, 1)
		if (st == 0) {
			if (c == "\"") st = 1
			else if (c == "\047") st = 2
			else if (c == "/" && substr(src, i + 1, 1) == "*") {
				j = index(substr(src, i + 2), "*/")
				body = substr(src, i, j + 3)
				gsub(/[^\n]/, " ", body)
				if (index(substr(src, i, j + 3), "lint-cli:")) body = "@" substr(body, 2)
				out = out body; i += j + 2; continue
			} else if (c == "/" && substr(src, i + 1, 1) == "/") {
				j = index(substr(src, i), "\n"); i += j - 2; continue
			}
		} else if (c == "\\") { out = out c substr(src, i + 1, 1); i++; continue }
		else if ((st == 1 && c == "\"") || (st == 2 && c == "\047")) st = 0
		out = out c
	}
	return out
}
# From the "(" at p: the text to its matching ")".
function args(s, p,   d, i, c, st) {
	d = 0; st = 0
	for (i = p; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (st) { if (c == "\\") i++; else if (c == st) st = 0; continue }
		if (c == "\"" || c == "\047") { st = c; continue }
		if (c == "(") d++
		else if (c == ")" && --d == 0) return substr(s, p + 1, i - p - 1)
	}
	return substr(s, p + 1)
}
# The top-level arguments of a, into out[1..]; returns how many.
function split_args(a, out,   n, d, i, c, st, cur) {
	n = 0; d = 0; st = 0; cur = ""
	for (i = 1; i <= length(a); i++) {
		c = substr(a, i, 1)
		if (st) { cur = cur c; if (c == "\\") { cur = cur substr(a, ++i, 1) } else if (c == st) st = 0; continue }
		if (c == "\"" || c == "\047") st = c
		else if (c == "(" || c == "{" || c == "[") d++
		else if (c == ")" || c == "}" || c == "]") d--
		else if (c == "," && d == 0) { out[++n] = cur; cur = ""; continue }
		cur = cur c
	}
	if (cur ~ /[^ \t\n]/) out[++n] = cur
	return n
}
function words(a,   s, lit) {
	s = a
	while (match(s, /"([^"\\]|\\.)*"/)) {
		lit = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
		gsub(/\\./, " ", lit)
		gsub(/%[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|L|z|j|t)?[diouxXcspfeEgG%]/, " ", lit)
		if (lit ~ /[A-Za-z][A-Za-z]/) return 1
	}
	return 0
}
function lineno(s, p,   t) { t = substr(s, 1, p); return gsub(/\n/, "", t) + 1 }
function check(file,   s, rest, off, name, a, cnt, eol, w, n, i, dest, lits) {
	s = load(file); cnt = 0; off = 0; rest = s
	while (match(rest, /(^|[^A-Za-z0-9_])(printf|fprintf|dprintf|puts|fputs|perror|rv_err|scli_fail|scli_usage)[ \t\n]*\(/)) {
		p = off + RSTART + RLENGTH - 1
		a = args(s, p)
		eol = substr(s, p + length(a) + 1); eol = substr(eol, 1, index(eol, "\n"))
		if (words(a) && index(eol, "@") == 0) {
			cnt++
			if (!(file in todo)) {
				printf "cli-words: %s:%d: an English literal in an output call; say it from the catalogue (RV_ERR, CLI_PUT, a cli.* key in en.txt and cy.txt)\n", file, lineno(s, p)
				bad++
			}
		}
		off = p; rest = substr(s, p + 1)
	}
	# 4. a reason formatted into a buffer a caller will print: snprintf (or a
	# NAME_why formatter of a module, as ref_why was) into a why/reason
	# variable with an English literal among its format and values
	off = 0; rest = s
	while (match(rest, /(^|[^A-Za-z0-9_])(v?snprintf|[A-Za-z0-9_]+_why)[ \t\n]*\(/)) {
		p = off + RSTART + RLENGTH - 1
		a = args(s, p); split("", w); n = split_args(a, w)
		eol = substr(s, p + length(a) + 1); eol = substr(eol, 1, index(eol, "\n"))
		dest = w[1]; sub(/[ \t\n]*(\+|-[^>]).*$/, "", dest)   # why + o, not r->why
		lits = ""; for (i = 3; i <= n; i++) lits = lits " " w[i]
		if (n >= 3 && dest ~ /(^|[^A-Za-z0-9_])(why|reason)[A-Za-z0-9_]*[ \t\n]*$/ && words(lits) && index(eol, "@") == 0) {
			printf "cli-words: %s:%d: an English literal formatted into a why/reason buffer; fill it from the catalogue (CLI_FILL with a cli.why.* key in en.txt and cy.txt)\n", file, lineno(s, p)
			bad++
		}
		off = p; rest = substr(s, p + 1)
	}
	if (file in todo) {
		if (cnt > todo[file] + 0) {
			printf "cli-words: %s: %d English literals in output calls, %d allowed: a new one must come from the catalogue\n", file, cnt, todo[file]; bad++
		} else if (cnt < todo[file] + 0)
			printf "cli-words: %s: %d English literals left (listed %d): lower its count in tests/lint/cli-words.sh%s\n", file, cnt, todo[file], cnt == 0 ? " (remove it)" : ""
		left += cnt; nleft++
	}
}
function keys(file,   s, rest, off, k, p, a, n, v, i, m, lits, nl, j) {
	s = load(file); rest = s
	while (match(rest, /"cli\.[a-z0-9._-]+"/)) {
		k = substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH)
		if (k !~ /\.$/ && !(k in nph)) { printf "cli-words: %s: key %s is not in %s\n", file, k, EN; bad++ }
	}
	off = 0; rest = s
	while (match(rest, /(^|[^A-Za-z0-9_])(RV_ERR|CLI_PUT|CLI_FILL|SCLI_FAIL|SCLI_USAGE|SCLI_NOTE)[ \t\n]*\(/)) {
		name = substr(rest, RSTART, RLENGTH); p = off + RSTART + RLENGTH - 1
		a = args(s, p); split("", v); n = split_args(a, v)
		# the C library English (strerror) reaches a person only through
		# cli_phrase, which says it from cli.why.errno_* when one has it
		sa = a; gsub(/cli_phrase\([ \t\n]*(bundle_)?strerror\(/, "", sa)
		if (sa ~ /(^|[^A-Za-z0-9_])(bundle_)?strerror[ \t\n]*\(/) {
			printf "cli-words: %s:%d: strerror in an output call; say it through cli_phrase(strerror(...))\n", file, lineno(s, p); bad++
		}
		i = name ~ /CLI_FILL/ ? 3 : 2   # the key argument (SCLI_*(cmd, key, ...) as RV_ERR)
		nl = 0; lits = v[i]
		while (match(lits, /"cli\.[a-z0-9._-]+"/)) {
			k = substr(lits, RSTART + 1, RLENGTH - 2); lits = substr(lits, RSTART + RLENGTH)
			if ((k in nph) && nph[k] != n - i) {
				printf "cli-words: %s:%d: %s has {1}..{%d} but is given %d value(s)\n", file, lineno(s, p), k, nph[k], n - i; bad++
			}
		}
		off = p; rest = substr(s, p + 1)
	}
}
END {
	nf = split(FILES, fl, /[ \t\n]+/)
	for (i = 1; i <= nf; i++) if (fl[i] != "") { check(fl[i]); seen[fl[i]] = 1 }
	if (!FILES_DEFAULT) for (i = 1; i <= nf; i++) if (fl[i] != "") keys(fl[i])
	for (tf in todo) if (!(tf in seen) && FILES_DEFAULT) { printf "cli-words: %s is listed but not checked\n", tf; bad++ }
	nc = FILES_DEFAULT ? split(CSRC, cl, /[ \t\n]+/) : 0
	for (i = 1; i <= nc; i++) if (cl[i] != "") keys(cl[i])
	if (bad) exit 1
	printf "cli-words: ok (%d files still to convert, %d English literals left in their output calls)\n", nleft, left
}' FILES="$files" FILES_DEFAULT=$([ $# -eq 0 ] && echo 1 || echo 0) </dev/null
