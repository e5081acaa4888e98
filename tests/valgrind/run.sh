#!/bin/sh
# valgrind memcheck over Candour (make soak runs both; tests/README.md).
#   run.sh unit BUILD [PROGRAM...]  every cmocka program in BUILD/tests (or
#                                    those named), each under valgrind
#   run.sh e2e BUILD [SCRIPT...]     end-to-end scripts (default: the full
#                                    reporter-to-reviewer loop, 30-review-loop)
#                                    with candour-intake and candour-review
#                                    run under valgrind through wrappers
# Every process valgrind saw must end with "ERROR SUMMARY: 0 errors": no
# invalid read or write, no use of uninitialised memory, no definite or
# indirect leak (--errors-for-leak-kinds makes those errors). A process that
# ends by a signal prints no summary and is reported as unchecked; a log
# with no summary fails the run unless it is one of the intake's children
# that the test stopped with SIGTERM (named in the output). Suppressions:
# tests/valgrind/candour.supp (library false positives only, each justified).
# A fork that does not exec (a unit test's store helper) keeps valgrind's
# error count from its parent: an error the parent made before the fork
# is printed in the parent's log but counted again in the child's summary,
# so the child exits 99 (--error-exitcode) and the test's check of its exit
# fails. Look in the parent's log first (test_store and test_kdf failed so,
# for uninitialised bytes the tests themselves sent). The children are not
# silenced: their own leaks and errors count.
# Slow (Argon2 runs ~50x slower under valgrind: tests use the test KDF).
# VALGRIND_ORIGINS=no leaves out --track-origins, which only says where an
# uninitialised value came from and about halves memcheck's speed: every
# error is still found and counted; run a failing program again without it
# set to see the origin (for a whole-set run on a loaded machine).
set -eu
mode=${1:?usage: run.sh unit|e2e BUILD [...]}
B=${2:?usage: run.sh unit|e2e BUILD [...]}
shift 2
B=$(cd "$B" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/candour-valgrind.XXXXXX")
# nouserintercepts: valgrind replaces malloc and free in libc only, not a
# program's own (test_form_wipe's free() looks at each buffer before it
# calls libc's, which valgrind still replaces; redirected too, it never
# ran and its checks failed: "watched buffer 0 was never freed").
VG="valgrind --tool=memcheck --soname-synonyms=somalloc=nouserintercepts
    --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=${VALGRIND_ORIGINS:-yes} --num-callers=30
    --suppressions=$HERE/candour.supp --error-exitcode=99 --child-silent-after-fork=no
    --log-file=$LOGS/%p.log"
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1

# Scans the logs: 0 when every log has a clean summary.
verdict() {
	bad=0 n=0 nosum=0
	for l in "$LOGS"/*.log; do
		[ -f "$l" ] || continue
		n=$((n + 1))
		cmd=$(sed -n 's/^==[0-9]*== Command: //p' "$l" | head -n 1)
		if ! grep -q 'ERROR SUMMARY:' "$l"; then
			nosum=$((nosum + 1))
			echo "valgrind: no summary (ended by a signal, or a fork that exec'd another program, e.g. an editor): $cmd"
			continue
		fi
		if ! grep -q 'ERROR SUMMARY: 0 errors' "$l"; then
			bad=$((bad + 1))
			echo "valgrind: errors in: $cmd ($l)"
			sed -n '/^==[0-9]*== [A-Z].*\(Invalid\|uninitialised\|definitely\|indirectly\|Mismatched\|overlap\)/,/^==[0-9]*== $/p' "$l" | head -n 60
		fi
	done
	echo "valgrind: $n processes, $bad with errors, $nosum without a summary; logs in $LOGS"
	[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
}

# sh reads a script while it runs it: a line added to this file during a
# run (an hour) was read after the case and run, at the offset where the
# old file ended ("p: parameter not set", from the middle of the e2e
# part). The braces make sh read all of it first, and exit stops it there
# (tests/valgrind/selftest.sh).
{
case $mode in
unit)
	[ $# -gt 0 ] || set -- "$B"/tests/*/test_*
	# VALGRIND_JOBS programs at once (default 1; the whole set is
	# about an hour of CPU: 147 programs, Argon2 ~50x slower)
	for t in "$@"; do [ -x "$t" ] && echo "$t"; done |
		VG="$VG" REPO="$REPO" LOGS="$LOGS" xargs -P "${VALGRIND_JOBS:-1}" -I{} sh -c '
		t=$1 out=$LOGS/$(basename "$(dirname "$1")")-$(basename "$1").out
		start=$(date +%s)
		# shellcheck disable=SC2086
		if (cd "$REPO" && nice $VG "$t" > "$out" 2>&1); then
			echo "[ valgrind OK   ] $t ($(($(date +%s) - start))s)"
		else
			echo "[ valgrind FAIL ] $t"
			tail -n 20 "$out"
			touch "$out.failed"
		fi' sh {}
	fails=$(find "$LOGS" -name '*.failed' | wc -l)
	verdict && [ "$fails" -eq 0 ]
	;;
e2e)
	[ $# -gt 0 ] || set -- "$REPO/tests/e2e/30-review-loop.sh"
	W=$LOGS/bin
	mkdir -p "$W"
	for f in "$B"/*; do ln -s "$f" "$W/"; done
	for p in candour-intake candour-review; do
		rm -f "$W/$p"
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$(echo $VG | tr '\n' ' ')" "$B/$p" > "$W/$p"
		chmod 755 "$W/$p"
	done
	rc=0
	for s in "$@"; do
		start=$(date +%s)
		# CANDOUR_UNDER_VALGRIND: a script leaves out its RSS bounds,
		# which would measure valgrind (e2e 39)
		if CANDOUR_BIN=$W CANDOUR_WAIT_HTTP_S=120 CANDOUR_UNDER_VALGRIND=1 nice bash "$s" > "$LOGS/e2e.out" 2>&1; then
			echo "[ valgrind e2e OK   ] $s ($(($(date +%s) - start))s)"
		else
			echo "[ valgrind e2e FAIL ] $s"
			tail -n 20 "$LOGS/e2e.out"
			rc=1
		fi
	done
	verdict && [ "$rc" -eq 0 ]
	;;
*)
	echo "usage: run.sh unit|e2e BUILD [...]" >&2
	exit 2
	;;
esac
exit
}
