#!/bin/sh
# make bench: runs every benchmark program built from bench/*.c and every
# bench/bench_*.sh. Each compares Candour with a limit measured in the same
# run and prints its own figures; nothing here is a pass/fail test.
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
export CANDOUR_BIN
for b in "$CANDOUR_BIN"/bench/*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || echo "bench: $(basename "$b") exited $?"
done
for s in bench/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $s"
	sh "$s" || echo "bench: $s exited $?"
done
