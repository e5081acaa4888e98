#!/bin/sh
# Proves tests/lint/cli-words.sh fires: on a converted command file
# (review/cmd_unlock.c) it passes as it is, and each plant must be reported:
# a new English rv_err line, a printf with words, a key not in en.txt, and
# a strerror() not through cli_phrase, a key given one value too few (by RV_ERR, and by SCLI_FAIL and SCLI_NOTE, whose key is
# their second argument too: the lint read the third until 2026-12-06); an
# English format snprintf'd, or given to a NAME_why formatter, into a why
# buffer (and not a "%s" into one, nor English into another buffer); a line marked lint-cli: must not be; and
# a file still to convert gaining one more English literal than its count.
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
f=review/cmd_unlock.c
out=$(sh tests/lint/cli-words.sh "$f"); rc=$?
if [ "$rc" -ne 0 ]; then
	printf 'lint: cli-words self-test FAILED: the converted %s is reported:\n%s\n' "$f" "$out"; exit 1
fi
mkdir -p "$dir/review" && p="$dir/review/cmd_unlock.c"
cp "$f" "$p"
cat >>"$p" <<'C'
static void planted(const char *cmd, const char *k)
{
	rv_err(cmd, "cannot do %s at all", k);
	printf("%d cases\n", 2);
	RV_ERR(cmd, "cli.rv.no_such_key_planted");
	RV_ERR(cmd, "cli.rv.unlock.bad_for");
	SCLI_FAIL(cmd, "cli.in.status.broken");
	SCLI_NOTE(cmd, "cli.in.onion.not_loopback");
	RV_ERR(cmd, "cli.rv.said", errno ? strerror(errno) : cli_phrase(strerror(errno)));
	fprintf(stderr, "candour-review: %s: ", cmd); /* lint-cli: program and command names */
	fprintf(stderr, "%s: %d\n", k, 1);
}
static void planted_why(char *why, size_t whylen, struct x *r, const char *k)
{
	snprintf(why, whylen, "line %d: too long", 1);
	ref_why(r->why, sizeof(r->why), "%s: cannot read it", k);
	snprintf(why + 1, whylen - 1, "%s", k);
	snprintf(r->buf, sizeof(r->buf), "not a reason buffer");
	CLI_FILL(why, whylen, "cli.why.ref.line", k, k);
}
C
out=$(sh tests/lint/cli-words.sh "$p"); rc=$?
n=$(printf '%s\n' "$out" | grep -c '^cli-words: ')
w=$(($(wc -l <"$f") + 13))
if [ "$rc" -ne 1 ] || [ "$n" -ne 9 ] ||
   ! printf '%s\n' "$out" | grep -q "cmd_unlock.c:$((w + 2)): an English literal formatted into a why/reason buffer" ||
   ! printf '%s\n' "$out" | grep -q "cmd_unlock.c:$((w + 3)): an English literal formatted into a why/reason buffer" ||
   ! printf '%s\n' "$out" | grep -q "cmd_unlock.c:$(($(wc -l <"$f") + 3)): an English literal" ||
   ! printf '%s\n' "$out" | grep -q "cmd_unlock.c:$(($(wc -l <"$f") + 4)): an English literal" ||
   ! printf '%s\n' "$out" | grep -q 'key cli.rv.no_such_key_planted is not in' ||
   ! printf '%s\n' "$out" | grep -q 'cli.rv.unlock.bad_for has {1}..{1} but is given 0 value' ||
   ! printf '%s\n' "$out" | grep -q 'cli.in.status.broken has {1}..{1} but is given 0 value' ||
   ! printf '%s\n' "$out" | grep -q 'cli.in.onion.not_loopback has {1}..{1} but is given 0 value' ||
   ! printf '%s\n' "$out" | grep -q "cmd_unlock.c:$(($(wc -l <"$f") + 9)): strerror in an output call"; then
	printf 'lint: cli-words self-test FAILED on the plants (exit %s, %s reports):\n%s\n' "$rc" "$n" "$out"
	exit 1
fi
# a file still to convert (its count in TODO) with one English line more:
# the first TODO names, so the check outlives each file's conversion
g=$(sed -n "/^TODO='/,/^'/p" tests/lint/cli-words.sh | awk 'NF == 2 { print $1; exit }')
if [ -z "$g" ]; then
	echo "lint: cli-words self-test: a converted file passes; plants reported; no file left to convert"
	exit 0
fi
mkdir -p "$dir/r2/${g%/*}" && cp "$g" "$dir/r2/$g"
printf 'static void planted(void) { puts("one more English line"); }\n' >>"$dir/r2/$g"
out=$(cd "$dir/r2" && mkdir -p web/locale && cp "$OLDPWD/web/locale/en.txt" web/locale/ &&
    sh "$OLDPWD/tests/lint/cli-words.sh" "$g"); rc=$?
if [ "$rc" -ne 1 ] || ! printf '%s\n' "$out" | grep -q "$g: [0-9]* English literals in output calls, [0-9]* allowed"; then
	printf 'lint: cli-words self-test FAILED on a to-convert file with one more literal (exit %s):\n%s\n' "$rc" "$out"
	exit 1
fi
echo "lint: cli-words self-test: a converted file passes; an English rv_err and printf, a bare strerror, an unknown key, a short value count (RV_ERR, SCLI_FAIL, SCLI_NOTE), English formatted into a why buffer (snprintf, ref_why) and one more literal in a file to convert reported; lint-cli: passed"
