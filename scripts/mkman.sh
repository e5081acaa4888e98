#!/bin/sh
# mkman.sh BUILD OUTDIR: man pages candour-intake.1 and candour-review.1
# made from the programs' own --help text at build time (the top-level
# command list, then one section per subcommand), so the pages never say
# anything --help does not.
set -eu
build=$1
out=$2
mkdir -p "$out"
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)

# roff-safe: backslashes doubled, a leading . or ' protected
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

page() {
	prog=$1 what=$2
	bin=$build/$prog
	f=$out/$prog.1
	{
		printf '.TH %s 1 %s Candour "Candour manual"\n' "$(echo "$prog" | tr a-z A-Z)" "$date"
		printf '.SH NAME\n%s \\- %s\n' "$prog" "$what"
		printf '.SH SYNOPSIS\n.nf\n'
		"$bin" --help | esc
		printf '.fi\n'
		# subcommands: the indented "  name  description" lines of --help
		"$bin" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' | while read -r c; do
			printf '.SH "%s %s"\n.nf\n' "$(echo "$prog" | tr a-z A-Z)" "$(echo "$c" | tr a-z A-Z)"
			"$bin" "$c" --help > "$f.sub" || { echo "mkman: $prog $c --help failed" >&2; exit 1; }
			esc < "$f.sub"
			printf '.fi\n'
		done
		printf '.SH SEE ALSO\n'
		printf 'The administrator'"'"'s guide, /usr/share/doc/candour/ADMIN.md.gz\n'
	} > "$f.tmp"
	rm -f "$f.sub"
	mv "$f.tmp" "$f"
}

page candour-intake "anonymous whistleblowing intake: web server and its offline commands"
page candour-review "offline casebook for the reviewers of Candour concerns"
