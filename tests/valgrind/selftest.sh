#!/bin/sh
# Proves tests/valgrind/run.sh runs only what it held when it started: a
# copy of it runs a program that waits, a line is added to the end of the
# copy in place (as an editor saves it) while the program runs, then the
# program ends. sh reads a script as it runs it, so the old run.sh went on
# to read and run that line after its last command ("p: parameter not set"
# once, from the middle of a line of the e2e part). Passes when the run
# ends with its own verdict and exit code 0 and the added line never ran.
# Usage: selftest.sh (about 10 s: the waiting program runs under valgrind)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/candour-vgself.XXXXXX")
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/tests/valgrind" "$d/tests/x"
cp "$HERE/run.sh" "$HERE/candour.supp" "$d/tests/valgrind/"
cat > "$d/tests/x/test_wait" <<'W'
#!/bin/sh
touch "$(dirname "$0")/started"
while [ ! -e "$(dirname "$0")/go" ]; do sleep 0.1; done
echo "[  PASSED  ] 1 test(s)."
W
chmod 755 "$d/tests/x/test_wait"
(cd "$d" && sh tests/valgrind/run.sh unit . tests/x/test_wait > "$d/out" 2>&1; echo "$?" > "$d/rc") &
run=$!
# wait until the program runs under valgrind (sh has read run.sh by then)
i=0
until [ -e "$d/tests/x/started" ] || [ "$i" -ge 1200 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$d/tests/x/started" ] || { echo "valgrind-selftest: the program did not start"; exit 1; }
printf 'echo "selftest: ADDED LINE RAN" >&2\n' >> "$d/tests/valgrind/run.sh"
touch "$d/tests/x/go"
wait "$run"
logs=$(sed -n 's/.*; logs in \(.*candour-valgrind\.[A-Za-z0-9]*\)$/\1/p' "$d/out")
[ -z "$logs" ] || rm -rf "$logs"
ok=1
[ "$(cat "$d/rc")" = 0 ] || { echo "valgrind-selftest: run.sh exited $(cat "$d/rc"), not 0"; ok=0; }
grep -q 'ADDED LINE RAN' "$d/out" && { echo "valgrind-selftest: run.sh ran a line added while it ran"; ok=0; }
grep -q '^valgrind: .* 0 with errors' "$d/out" || { echo "valgrind-selftest: no verdict"; ok=0; }
[ "$ok" -eq 1 ] || { cat "$d/out"; exit 1; }
echo "valgrind-selftest: a line added to run.sh during a run is not run"
