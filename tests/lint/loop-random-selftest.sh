#!/bin/sh
# Checks tests/loop-random.sh (make check's lint phase, after the plain
# build; under a second of CPU): two runs of test_bundle's randomised case
# pass; a planted program failing on its second run stops the loop there
# and is reported with its own seed and replay line; one that passes but
# runs fewer cases than the table lists fails.
# Usage: sh tests/lint/loop-random-selftest.sh [BUILD]
build=${1:-build}
fake=$(mktemp -d "${TMPDIR:-/tmp}/candour-loopself.XXXXXX")
trap 'rm -rf "$fake"' EXIT
bad=0
no() { echo "loop-random-selftest: $*"; bad=1; }

out=$(sh tests/loop-random.sh -n 2 "$build" bundle/test_bundle 2>&1)
echo "$out" | grep -q '^loop: bundle/test_bundle: 2 runs, 0 failed, cpu ' || no "two real runs: $out"

# A stand-in for test_stream: prints a seed line as test_seed.h does (with
# the pattern it was given), passes once, then fails with seed 2222.
mkdir -p "$fake/tests/crypto"
cat > "$fake/tests/crypto/test_stream" <<'EOF'
#!/bin/sh
n=$(cat "$0.n" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$0.n"
echo "seed ${n}${n}${n}${n} (replay: CANDOUR_TEST_SEED=${n}${n}${n}${n} CANDOUR_TEST_ONLY='$CANDOUR_TEST_ONLY' $0)"
[ -z "$ZERO" ] || { echo "[  PASSED  ] 0 test(s)."; exit 0; }
[ "$n" -ge 2 ] || { echo "[  PASSED  ] 1 test(s)."; exit 0; }
echo "[  FAILED  ] 1 test(s), listed below:"; exit 1
EOF
chmod +x "$fake/tests/crypto/test_stream"
out=$(sh tests/loop-random.sh -n 5 "$fake" crypto/test_stream 2>&1); rc=$?
[ "$rc" -eq 1 ] || no "a planted failure exited $rc"
echo "$out" | grep -qx "loop: replay: CANDOUR_TEST_SEED=2222 CANDOUR_TEST_ONLY='pieces_of_every_size' $fake/tests/crypto/test_stream" ||
	no "the planted failure's replay: $out"
echo "$out" | grep -q '^loop: FAIL crypto/test_stream (run 2 of 5):' || no "the failing run: $out"
[ "$(cat "$fake/tests/crypto/test_stream.n")" -eq 2 ] || no "went on after the failure"
rm -f "$fake/tests/crypto/test_stream.n"
out=$(ZERO=1 sh tests/loop-random.sh -n 1 "$fake" crypto/test_stream 2>&1) && no "no case run passed: $out"
echo "$out" | grep -q 'ran 0 cases where 1 are listed' || no "no case run: $out"
[ "$bad" -eq 0 ] && echo "loop-random-selftest: ok"
[ "$bad" -eq 0 ]
