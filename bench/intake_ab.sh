#!/usr/bin/env bash
# Two builds of the intake side by side (not part of make bench): each
# round runs one submission load on A's server and one on B's (order
# alternating), then the receipt KDF alone with its memory kept and
# bench/mini_server's submit, so that every figure of a round shares the
# machine's load of the moment. Per run: server CPU ms per accepted
# submission (parent + http + store, and the http and store shares). The
# same servers, requests and loads as bench_intake.sh's submission rows.
#   bench/intake_ab.sh A_BUILD B_BUILD [ROUNDS (5)] [SECS (10)]
# REQ=sub1m (a 4 KiB concern and a 1 MiB attachment, the default) or sub4k.
# Lines: "A cpu 48.4 http 39.82 store 8.62 ok 109", "kdf ... cpu_ms_per 36.5",
# "mini cpu 7.95 ok 288"; the medians at the end.
set -euo pipefail
A=$(cd "$1" && pwd)
Bb=$(cd "$2" && pwd)
ROUNDS=${3:-5}
SECS=${4:-10}
REQ=${REQ:-sub1m}
REPO=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/candour-bench-ab.XXXXXX)
. "$REPO/bench/intake_lib.sh"
wait_port() {
	for _ in $(seq 1 300); do
		curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" && return 0
		sleep 0.2
	done
	echo "intake_ab: server on $1 did not come up" >&2
	exit 1
}
TCK=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
med() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
unset CANDOUR_RCPT_KDF CANDOUR_TEST_WEAK_KDF
start() { # $1 label, $2 build dir
	local d=$T/$1 port
	mkdir -p "$d/rv" "$d/keys" "$d/data"
	echo "bench passphrase kettle orbit velvet" > "$d/pass"
	CANDOUR_PASSPHRASE_FILE=$d/pass "$2/candour-review" keygen --name bench --out "$d/rv" \
		--kdf interactive > /dev/null
	cp "$d/rv/bench.pub" "$d/keys/"
	echo "out_of_hours = 0306 999 0123" > "$d/contacts.txt"
	local user=()
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody "$d/data"
		chmod 0711 "$T" "$d"
		user=(--user nobody)
	fi
	port=$(free_port)
	(cd "$REPO" && exec "$2/candour-intake" serve --db "$d/data/intake.db" --keys "$d/keys" \
		--listen "127.0.0.1:$port" --pidfile "$d/pids" --contacts "$d/contacts.txt" \
		--budget 100000 --max-upload $((1040 * 1024 * 1024)) \
		--disk-budget 1099511627776 --min-free 0 "${user[@]}") 2> "$d/serve.err" &
	PIDS="$PIDS $!"
	echo $! > "$d/parent"
	echo "$port" > "$d/port"
	wait_port "$port"
	curl -s -o "$d/form.html" "http://127.0.0.1:$port/report"
	local tok
	tok=$(grep -o 'name="csrf" value="[^"]*"' "$d/form.html" | head -n 1 | sed 's/.*value="//; s/"$//')
	# the requests of bench_intake.sh, made by its own code
	sed -n '/^python3 - "\$T" "\$PORT" "\$TOK" <<.PY.$/,/^PY$/p' "$REPO/bench/bench_intake.sh" |
		sed '1d;$d' > "$T/mkreq.py"
	python3 "$T/mkreq.py" "$d" "$port" "$tok"
	"$2/bench/loadgen" --port "$port" --clients 2 --seconds 2 --request "$d/sub4k.req" \
		--expect 200 > /dev/null || true
}
run() { # $1 label (A or B), $2 build dir
	local d=$T/$1 p h s a0 h0 s0 a1 h1 s1 out
	p=$(cat "$d/parent")
	read -r _ h s < "$d/pids"
	a0=$(ticks "$p") h0=$(ticks "$h") s0=$(ticks "$s")
	out=$("$2/bench/loadgen" --port "$(cat "$d/port")" --clients 16 --seconds "$SECS" \
		--request "$d/$REQ.req" --expect 200)
	a1=$(ticks "$p") h1=$(ticks "$h") s1=$(ticks "$s")
	echo "$out" | awk -v l="$1" -v a=$((a1 - a0)) -v h=$((h1 - h0)) -v s=$((s1 - s0)) -v t="$TCK" \
		-v ld="$(cut -d' ' -f1 /proc/loadavg)" '{ n = $2; if (n > 0)
		printf("%s cpu %.1f http %.2f store %.2f ok %d fail %d load %s\n", l,
		    (a + h + s) * 1000 / t / n, h * 1000 / t / n, s * 1000 / t / n, n, $4 + $6, ld) }' |
		tee -a "$T/lines"
}
start A "$A"
start B "$Bb"
MPORT=$(free_port)
"$Bb/bench/mini_server" submit "$MPORT" "$T/mini.db" "$T/A/keys/bench.pub" &
MS=$!
PIDS="$PIDS $MS"
wait_port "$MPORT"
for i in $(seq 1 "$ROUNDS"); do
	if [ $((i % 2)) = 1 ]; then run A "$A"; run B "$Bb"; else run B "$Bb"; run A "$A"; fi
	echo "kdf $("$Bb/bench/mini_server" kdf "$SECS" 2 kept)" | tee -a "$T/lines"
	c0=$(ticks "$MS")
	out=$("$Bb/bench/loadgen" --port "$MPORT" --clients 16 --seconds "$SECS" \
		--request "$T/A/$REQ.req" --expect 200)
	c1=$(ticks "$MS")
	echo "$out" | awk -v c=$((c1 - c0)) -v t="$TCK" '{ if ($2 > 0)
		printf("mini cpu %.2f ok %d\n", c * 1000 / t / $2, $2) }' | tee -a "$T/lines"
done
ka=$(awk '$1 == "A" { print $3 }' "$T/lines" | med)
kb=$(awk '$1 == "B" { print $3 }' "$T/lines" | med)
kk=$(sed -n 's/^kdf .*cpu_ms_per \([0-9.]*\).*/\1/p' "$T/lines" | med)
km=$(awk '$1 == "mini" { print $3 }' "$T/lines" | med)
awk -v a="$ka" -v b="$kb" -v k="$kk" -v m="$km" 'BEGIN {
	printf("medians: A %.1f, B %.1f, KDF kept %.1f, mini_server %.2f ms CPU a submission\n", a, b, k, m)
	if (k > 0) printf("A/KDF %.2f, B/KDF %.2f, (KDF + mini_server)/KDF %.2f\n", a / k, b / k, (k + m) / k) }'
