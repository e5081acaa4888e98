#!/bin/sh
# Each phony target of the Makefile has one rule. make merges two rules for
# one target without a word (the prerequisites of both, the recipe of the
# one that has it): `make soak` was written twice, once as static and
# valgrind and once as the crash and flood runs, and each comment told half
# of what it ran. `tests` is the exception: its prerequisites are added
# beside the rules that build them. Prints each target with more than one
# rule; exits 1 if there is one. Usage: make-rules.sh [MAKEFILE]
mk=${1:-Makefile}
awk '
# .PHONY lines, with their backslash continuations
/^\.PHONY:/ { phony = 1; sub(/^\.PHONY:/, "") }
phony {
	cont = sub(/\\$/, "")
	n = split($0, w, /[ \t]+/)
	for (i = 1; i <= n; i++) if (w[i] != "") is_phony[w[i]] = 1
	phony = cont
	next
}
# a rule line: "target [target...]:" but not "name := value" or "name ::= value"
/^[A-Za-z0-9_.\/$()-][^:=#]*:([^=]|$)/ {
	head = $0
	sub(/:.*/, "", head)
	n = split(head, w, /[ \t]+/)
	for (i = 1; i <= n; i++) if (w[i] != "") { rules[w[i]]++; where[w[i]] = where[w[i]] " " FNR }
}
END {
	bad = 0
	for (t in is_phony)
		if (t != "tests" && rules[t] > 1) {
			printf("make-rules: %s has %d rules (lines%s): make merges them; write one\n", t, rules[t], where[t])
			bad = 1
		}
	exit bad
}' "$mk"
