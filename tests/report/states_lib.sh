# Sourced by the casebook-states scripts (cadence.sh, states_uncategorised.sh,
# states_fixed_zero_leak.sh; e2e 68 for upto): what each set up alike.
# states_setup TAG: R (the repo), RV, GEN (from CANDOUR_BIN), PY, a temp
# directory d (removed on exit) holding the passphrase file and a test key
# alice (CANDOUR_PASSPHRASE_FILE exported), and W, report's common options.
# Returns 2 when the key cannot be made.
states_setup() {
	R=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	RV=${CANDOUR_BIN:?set CANDOUR_BIN}/candour-review
	GEN=$CANDOUR_BIN/bench/gen_casebook
	PY=/usr/bin/python3
	d=$(mktemp -d "/tmp/candour-$1.XXXXXX")
	trap 'rm -rf "$d"' EXIT
	export CANDOUR_TEST_WEAK_KDF=1 CANDOUR_PASSPHRASE_FILE=$d/pass
	echo "report test kettle orbit velvet canyon" > "$d/pass"
	"$RV" keygen --name alice --out "$d" --kdf test > /dev/null || return 2
	W=(--key "$d/alice.sec" --web "$R/web" --format json)
}

# upto DB DAY: the last record of DB's chain dated DAY or before (its seq)
upto() {
	"${PY:-/usr/bin/python3}" -c 'import sqlite3,sys
k = 0
for s, d in sqlite3.connect(sys.argv[1]).execute("SELECT seq, date FROM records ORDER BY seq"):
    if d[:10] > sys.argv[2]:
        break
    k = s
print(k)' "$1" "$2"
}
