#!/bin/sh
# No plain memcmp on a MAC, a tag, a key id, a key or a token in product
# code: those go through sodium_memcmp (constant time), and no behaviour
# test can see the difference. A call is flagged when its arguments (up to
# the closing parenthesis, over several lines) name one of the words below.
# A comparison that must stay plain says why on the call's first line:
#   memcmp(...)  /* memcmp-ok: REASON */
# Prints each offending call; exits 1 if there is one. Usage: memcmp.sh [FILE...]
[ $# -gt 0 ] || set -- crypto/*.[ch] util/*.[ch] bundle/*.[ch] intake/*.[ch] review/*.[ch]
awk '
function depth(s,   i, c, d) {
	d = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "(") d++
		else if (c == ")") d--
	}
	return d
}
# The arguments: from memcmp( to its closing parenthesis.
function args(call,   i, c, d) {
	d = 0
	for (i = 1; i <= length(call); i++) {
		c = substr(call, i, 1)
		if (c == "(") d++
		else if (c == ")" && --d == 0) return substr(call, 8, i - 8)
	}
	return substr(call, 8)
}
function check(call, where,   a, s) {
	if (call ~ /memcmp-ok:/) return
	a = args(call)
	s = a
	gsub(/[A-Z][A-Z0-9_]*[A-Z0-9]/, " ", s)	# macros (magic strings, sizes) are not secrets
	s = tolower(s)
	if (a ~ /CC_KEYID_BYTES|CC_SIG_BYTES|crypto_auth|crypto_onetimeauth|_ABYTES|_MACBYTES/ ||
	    s ~ /(^|[^a-z])(mac|macs|hmac|tag|tags|sig|sigs|auth|secret|token|tok|key|keys|sk|kid|kids)([^a-z]|$)/ ||
	    s ~ /keyid|key_id|_key|key_|_mac|mac_|_tag|tag_/) {
		printf "%s: plain memcmp on a MAC, tag or key (use sodium_memcmp): memcmp(%s)\n", where, a
		bad = 1
	}
}
FNR == 1 { open = 0 }
{
	if (open) {
		call = call " " $0
		if (depth(call) <= 0 || ++lines > 4) { check(call, where); open = 0 }
		next
	}
	if (match($0, /(^|[^A-Za-z0-9_])memcmp\(/)) {
		call = substr($0, RSTART)
		if (substr(call, 1, 1) != "m") call = substr(call, 2)
		where = FILENAME ":" FNR
		lines = 0
		if (depth(call) > 0) open = 1
		else check(call, where)
	}
}
END { exit bad }
' "$@" && echo "lint: memcmp: no plain memcmp on a MAC, tag or key"
