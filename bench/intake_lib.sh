# Sourced by bench/bench_intake.sh and bench/intake_ab.sh after they set T
# (their scratch directory): the servers they start (PIDS) are stopped and
# T removed on exit; a free port on 127.0.0.1.
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
