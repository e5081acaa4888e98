#!/bin/sh
# make soak: the governance report's disclosure control over every year of
# 1,000 random casebooks (rp_gen --all-years: calendar years, the FYs that
# straddle them, quarters, months, stocks at every period's end, all held
# together), checked by tests/report/sdc_check.py without the accountability
# statement's exact totals, then with them on the casebooks of at most
# threshold concerns (section 5's fix; the whole set with those totals waits
# for the suppression to pin them: SECURITY.md, "Known leak"). e2e 63 runs
# 20 such casebooks.
# SDC_SOAK_BOOKS and SDC_SOAK_SEED change the run; about 5 CPU-minutes each
# pass at the defaults.
#
# Known leak, open (SECURITY.md, "Governance report: disclosure control"):
# at seed 20261205, casebook 474 has feedback cells of 2025-07 and 2025-08
# narrowed by "feedback needs an acknowledgement" (feedback within 3 months
# + later <= acknowledged within 7 days + later, per month: the published
# acknowledged "not yet" bounds feedback "not yet" from below). The
# suppression does not see that relation. This script expects exactly that
# failure at the default seed and says so; any other failure fails it.
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
n=${SDC_SOAK_BOOKS:-1000}
seed=${SDC_SOAK_SEED:-20261205}
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
"$CANDOUR_BIN/tests/report/rp_gen" --all-years "$n" "$seed" "$dir/years.jsonl" || exit 1
/usr/bin/python3 "$here/sdc_tiny.py" <"$dir/years.jsonl" >"$dir/tiny.jsonl" || exit 1
rc=0
for acc in --no-accountability ""; do
	books=$dir/years.jsonl
	[ -n "$acc" ] || books=$dir/tiny.jsonl
	# shellcheck disable=SC2086
	/usr/bin/python3 "$here/sdc_check.py" $acc "$books" >"$dir/out"
	cat "$dir/out"
	failed=$(grep '^case ' "$dir/out" | cut -d: -f1 | sort -u | tr '\n' ' ')
	if grep -q ' 0 cases failed$' "$dir/out"; then
		echo "sdc soak ${acc:-with accountability}: no leak"
	elif [ -n "$acc" ] && [ "$n:$seed:$failed" = "1000:20261205:case 474 " ] &&
		grep -q ' 1 cases failed$' "$dir/out" &&
		! grep '^case ' "$dir/out" | grep -qv '/within-3-months/\|/not-yet/'; then
		echo "sdc soak ${acc:-with accountability}: expected failure, the known feedback leak (casebook 474) only"
	else
		echo "sdc soak ${acc:-with accountability}: FAILED"
		rc=1
	fi
done
exit $rc
