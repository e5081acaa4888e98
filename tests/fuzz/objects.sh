#!/bin/sh
# Prints, as a make variable, the library sources the fuzz targets link:
# the archive members a link of the targets' objects with PLAIN's archives
# (the plain build's, same sources) pulls in, from the linker's map. The
# fuzz build compiles only those (about half of the objects): make
# fuzz-build. Unresolved symbols (libFuzzer's, the sanitizers') are left to
# the real link, which fails loudly if a needed object were ever missing.
# Usage: objects.sh PLAIN TARGET.o...
plain=$1; shift
map=$(mktemp); out=$(mktemp)
trap 'rm -f "$map" "$out"' EXIT
libs="$plain/libcandour_review.a $plain/libcandour_intake.a $plain/libcandour_tmpl.a
	$plain/libcandour_common.a $plain/libcandour_crypto.a"
for o in "$@"; do
	# shellcheck disable=SC2086
	cc -pie -Wl,--unresolved-symbols=ignore-all -Wl,-Map="$map" -o "$out" "$o" $libs ||
		{ echo "objects.sh: cannot link $o with $plain's archives" >&2; exit 1; }
	grep -o 'libcandour_[a-z]*\.a([A-Za-z0-9_]*\.o)' "$map"
done | sort -u | sed 's/libcandour_\([a-z]*\)\.a(\(.*\)\.o)/\1 \2/' | while read -r lib name; do
	case $lib in
	common) dirs="util bundle" ;;
	*) dirs=$lib ;;
	esac
	for d in $dirs; do [ -f "$d/$name.c" ] && echo "$d/$name.c"; done
done | { printf 'FUZZ_NEED ='; tr '\n' ' '; echo; }
