#!/bin/sh
# Proves tests/lint/memcmp.sh fires: plain memcmp calls on a MAC, a tag, a
# key id and a key (one over two lines) must each be reported; comparisons
# of magic strings, names and a call marked memcmp-ok must not.
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cat >"$dir/bad.c" <<'C'
int a(void) { return memcmp(mac, want, 16); }
int b(void) { return memcmp(x->tag, y->tag, CC_HASH_BYTES) == 0; }
int c(void) { return memcmp(ids[i],
    ids[j], CC_KEYID_BYTES); }
int d(void) { return !memcmp(sk, other_sk, 32); }
C
cat >"$dir/good.c" <<'C'
int e(void) { return memcmp(in, CC_SK_MAGIC, 4) || memcmp(f[0], PUB_TAG, n); }
int f(void) { return sodium_memcmp(mac, want, 16); }
int g(void) { return memcmp(name, other, len); }
int h(void) { return memcmp(tag, t, 4); } /* memcmp-ok: a public format tag */
C
out=$(sh tests/lint/memcmp.sh "$dir/bad.c" "$dir/good.c"); rc=$?
n=$(printf '%s\n' "$out" | grep -c 'plain memcmp')
if [ "$rc" -ne 1 ] || [ "$n" -ne 4 ] || printf '%s\n' "$out" | grep -q 'good.c'; then
	printf 'lint: memcmp self-test FAILED (exit %s, %s reports):\n%s\n' "$rc" "$n" "$out"
	exit 1
fi
echo "lint: memcmp self-test: 4 planted calls reported, 4 allowed ones not"
