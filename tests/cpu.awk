# The second line of the shell's `times` (the CPU time of its waited-for
# children, "0m1.230000s 0m0.450000s") as "1.7s (1.2 user, 0.5 sys)": the
# test runners print it per test, tests/run-all.sh per phase. With
# -v since=FILE (an earlier `times`), the difference.
function secs(line,   n, f, i, a, t) {
	n = split(line, f, " ")
	for (i = 1; i <= n; i++) { split(f[i], a, "m"); sub("s", "", a[2]); t[i] = a[1] * 60 + a[2] }
	u = t[1]; s = t[2]
}
NR == 2 { secs($0); nu = u; ns = s }
END {
	if (since != "") {
		getline l < since; getline l < since; close(since)
		secs(l); nu -= u; ns -= s
	}
	printf "%.1fs (%.1f user, %.1f sys)\n", nu + ns, nu, ns
}
