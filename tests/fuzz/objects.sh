#!/bin/sh
# Prints, as a make variable, the library sources that some programs link:
# the archive members a link of the programs' objects with PLAIN's archives
# (the plain build's, same sources) pulls in, from the linker's map. The
# fuzz build (its targets) and make check's ASan build (the unit tests)
# compile only those: make fuzz-build, make asan-unit. One link of the
# objects of a folder at once (-z muldefs: each has its own main or fuzzer
# entry), not one each: 0.2 s of CPU against 1.4 s for the 12 fuzz
# targets, the same 102 members; 0.3 s against 5.0-5.5 s for the 59 unit
# tests, the same 131. Unresolved symbols (libFuzzer's, the sanitizers',
# cmocka's) are left to the real links, which fail loudly if a needed
# object were ever missing (-z notext: libsodium is not linked here, and ld
# would warn of the text relocations its unresolved symbols leave in a
# PIE).
# Usage: objects.sh PLAIN PROGRAM.o...
plain=$1; shift
map=$(mktemp); out=$(mktemp); members=$(mktemp)
trap 'rm -f "$map" "$out" "$members"' EXIT
# Each program is linked with the archives its own rule in the Makefile
# names, in that order: a name can be defined in two libraries
# (cmd_status: intake/status.c and review/cmd_case.c), and the archives of
# another module would pull the wrong one (test_export once went without
# intake/status.o). One link per folder of programs.
libs_of() { # $1 = folder under tests/
	case $1 in
	crypto) echo crypto ;;
	util | bundle) echo common crypto ;;
	intake) echo intake tmpl common crypto ;;
	review) echo review tmpl common crypto ;;
	fuzz) echo review intake tmpl common crypto ;;
	*) echo "objects.sh: no libraries known for tests/$1" >&2; return 1 ;;
	esac
}
# (a file between the steps, not a pipe: a failed link stops the script)
for dir in $(for o in "$@"; do d=${o%/*}; echo "${d##*/}"; done | sort -u); do
	objs=$(for o in "$@"; do d=${o%/*}; [ "${d##*/}" = "$dir" ] && echo "$o"; done)
	libs=$(for l in $(libs_of "$dir"); do echo "$plain/libcandour_$l.a"; done)
	[ -n "$libs" ] || exit 1
	# shellcheck disable=SC2086
	cc -pie -Wl,--unresolved-symbols=ignore-all -Wl,-z,muldefs -Wl,-z,notext -Wl,-Map="$map" -o "$out" \
	    $objs $libs ||
		{ echo "objects.sh: cannot link tests/$dir's objects with $plain's archives" >&2; exit 1; }
	grep -o 'libcandour_[a-z]*\.a([A-Za-z0-9_]*\.o)' "$map" >> "$members"
done
sort -u "$members" | sed 's/libcandour_\([a-z]*\)\.a(\(.*\)\.o)/\1 \2/' | while read -r lib name; do
	case $lib in
	common) dirs="util bundle" ;;
	*) dirs=$lib ;;
	esac
	for d in $dirs; do [ -f "$d/$name.c" ] && echo "$d/$name.c"; done
done | { printf 'NEED = '; tr '\n' ' '; echo; }
