/* The role line of a public key file (crypto/role.c, crypto/pubkey.c):
 * written and read back, old files without one still read, and every shape
 * of hostile text refused on the way in. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

#include <stdio.h>

static const char *const ROLE = "independent safeguarding reviewer";

static void
round_trip_with_role(void **state)
{
	(void)state;
	struct cc_pubkey k = alice->pub, p;
	char buf[CC_PUBFILE_MAX], fpr_a[CC_FPR_CHARS + 1], fpr_b[CC_FPR_CHARS + 1];

	assert_int_equal(cc_pubkey_set_role(&k, ROLE), CC_OK);
	assert_int_equal(cc_pubkey_format(&k, buf, sizeof buf), CC_OK);
	char *nl = strchr(buf, '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, "candour-role-v1 independent safeguarding reviewer\n");
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_OK);
	assert_string_equal(p.role, ROLE);
	assert_string_equal(p.name, "alice");
	assert_memory_equal(p.keyid, alice->pub.keyid, CC_KEYID_BYTES);
	/* the role line without its newline, and with CRLF line ends */
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf) - 1, &p), CC_OK);
	assert_string_equal(p.role, ROLE);
	char crlf[CC_PUBFILE_MAX + 4];
	snprintf(crlf, sizeof crlf, "%.*s\r\ncandour-role-v1 %s\r\n", (int)(nl - buf), buf, ROLE);
	assert_int_equal(cc_pubkey_parse(crlf, strlen(crlf), &p), CC_OK);
	assert_string_equal(p.role, ROLE);
	/* The fingerprint certifies the name and keys only: a reviewer can
	 * change the role line without a new key (SECURITY.md). */
	cc_fingerprint(&alice->pub, fpr_a);
	cc_fingerprint(&p, fpr_b);
	assert_string_equal(fpr_a, fpr_b);
	/* Welsh, and the longest role allowed, fit the documented buffer */
	assert_int_equal(
	    cc_pubkey_set_role(&k, "adolygydd diogelu annibynnol, Ynys Môn a Gŵyr"), CC_OK);
	assert_int_equal(cc_pubkey_format(&k, buf, sizeof buf), CC_OK);
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_OK);
	assert_string_equal(p.role, "adolygydd diogelu annibynnol, Ynys Môn a Gŵyr");
	char longest[CC_ROLE_MAX + 1];
	memset(longest, 'r', CC_ROLE_MAX);
	longest[CC_ROLE_MAX] = '\0';
	memcpy(k.name, "a-name-of-the-longest-length-allowed-for-a-reviewer-key-0123456", 64);
	k.name[CC_NAME_MAX] = '\0';
	assert_int_equal(cc_pubkey_set_role(&k, longest), CC_OK);
	assert_int_equal(cc_pubkey_format(&k, buf, sizeof buf), CC_OK);
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_OK);
	assert_string_equal(p.role, longest);
}

static void
old_file_without_role_reads(void **state)
{
	(void)state;
	struct cc_pubkey p;
	char buf[CC_PUBFILE_MAX];

	assert_int_equal(cc_pubkey_format(&alice->pub, buf, sizeof buf), CC_OK);
	assert_null(strstr(buf, "candour-role-v1"));
	assert_int_equal(strchr(buf, '\n')[1], '\0'); /* one line, as before */
	memset(&p, 0xaa, sizeof p);
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_OK);
	assert_string_equal(p.role, "");
	/* clearing a role gives the old one-line file back */
	struct cc_pubkey k = alice->pub;
	char again[CC_PUBFILE_MAX];
	assert_int_equal(cc_pubkey_set_role(&k, ROLE), CC_OK);
	assert_int_equal(cc_pubkey_set_role(&k, NULL), CC_OK);
	assert_int_equal(cc_pubkey_format(&k, again, sizeof again), CC_OK);
	assert_string_equal(again, buf);
	assert_int_equal(cc_pubkey_set_role(&k, ""), CC_OK);
	assert_string_equal(k.role, "");
}

static void
hostile_roles_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    " leading space",
	    "trailing space ",
	    "double  space",
	    "tab\there",
	    "new\nline",
	    "carriage\rreturn",
	    "del\x7f",
	    "escape \x1b[31mred",
	    "C1 \xc2\x85 next line",
	    "bidi \xe2\x80\xae override",
	    "isolate \xe2\x81\xa6 x",
	    "zero\xe2\x80\x8bwidth",
	    "bom \xef\xbb\xbf",
	    "line \xe2\x80\xa8 sep",
	    "mark \xe2\x80\x8f rtl",
	    "overlong \xc0\xaf",
	    "surrogate \xed\xa0\x80",
	    "cut \xc3",
	    "byte \xff",
	    "beyond \xf4\x90\x80\x80",
	    "lone \x80 continuation",
	    "arabic mark \xd8\x9c",
	    "annotation \xef\xbf\xb9",
	    " ",
	    "",
	};
	struct cc_pubkey k = alice->pub;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (cc_role_valid(bad[i], strlen(bad[i])))
			fail_msg("role %zu accepted", i);
		assert_int_equal(cc_pubkey_set_role(&k, bad[i][0] ? bad[i] : "\t"), CC_EFORMAT);
	}
	char toolong[CC_ROLE_MAX + 2];
	memset(toolong, 'r', CC_ROLE_MAX + 1);
	toolong[CC_ROLE_MAX + 1] = '\0';
	assert_false(cc_role_valid(toolong, CC_ROLE_MAX + 1));
	assert_int_equal(cc_pubkey_set_role(&k, toolong), CC_EFORMAT);
	/* a multi-byte character may not straddle the limit */
	memset(toolong, 'r', CC_ROLE_MAX - 1);
	memcpy(toolong + CC_ROLE_MAX - 1, "\xc3\xa9", 3);
	assert_false(cc_role_valid(toolong, strlen(toolong)));
	assert_false(cc_role_valid(NULL, 3));
	/* a NUL inside the given length */
	assert_false(cc_role_valid("ab\0cd", 5));
	/* the writer refuses what the setter would (a struct filled by hand) */
	char buf[CC_PUBFILE_MAX];
	memcpy(k.role, "bidi \xe2\x80\xae", 9);
	k.role[9] = '\0';
	assert_int_equal(cc_pubkey_format(&k, buf, sizeof buf), CC_EFORMAT);
	assert_string_equal(buf, "");
	memset(k.role, 'r', sizeof k.role); /* no NUL at all */
	assert_int_equal(cc_pubkey_format(&k, buf, sizeof buf), CC_EFORMAT);
	/* and says when the buffer is too small for the role line */
	assert_int_equal(cc_pubkey_set_role(&k, ROLE), CC_OK);
	assert_int_equal(cc_pubkey_format(&k, buf, CC_PUBLINE_MAX / 2 + 40), CC_ELIMIT);
}

static void
bad_role_lines_refused(void **state)
{
	(void)state;
	char key[CC_PUBLINE_MAX], buf[3 * CC_PUBFILE_MAX];
	struct cc_pubkey p;
	static const char *const tails[] = {
	    "candour-role-v2 reviewer\n",
	    "candour-role-v1\n",
	    "candour-role-v1 \n",
	    "candour-role-v1  reviewer\n",
	    "candour-role-v1 reviewer \n",
	    "candour-role-v1 a\ncandour-role-v1 b\n",
	    "candour-role-v1 a\nextra\n",
	    "candour-role-v1 a\n\n",
	    "role: reviewer\n",
	    "candour-role-v1 \xe2\x80\xae evil\n",
	    "candour-role-v1 a\tb\n",
	    "\n",
	    " \n",
	    "candour-role-v1reviewer\n",
	};
	assert_int_equal(cc_pubkey_format(&alice->pub, key, sizeof key), CC_OK);
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", key, tails[i]);
		memset(&p, 0xaa, sizeof p);
		if (cc_pubkey_parse(buf, strlen(buf), &p) != CC_EFORMAT)
			fail_msg("tail %zu accepted", i);
		assert_int_equal(p.name[0], '\0');
		assert_int_equal(p.role[0], '\0');
	}
	/* over-long role line */
	int n = snprintf(buf, sizeof buf, "%scandour-role-v1 ", key);
	memset(buf + n, 'r', CC_ROLE_MAX + 1);
	buf[n + CC_ROLE_MAX + 1] = '\0';
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_EFORMAT);
	/* much longer than a role line may be */
	memset(buf + n, 'r', sizeof buf - (size_t)n - 1);
	buf[sizeof buf - 1] = '\0';
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_EFORMAT);
	/* the role line first, or alone */
	snprintf(buf, sizeof buf, "candour-role-v1 reviewer\n%s", key);
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_EFORMAT);
	snprintf(buf, sizeof buf, "candour-role-v1 reviewer\n");
	assert_int_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_EFORMAT);
	/* a damaged key line is still caught with a role after it */
	snprintf(buf, sizeof buf, "%scandour-role-v1 reviewer\n", key);
	buf[30] ^= 1;
	assert_int_not_equal(cc_pubkey_parse(buf, strlen(buf), &p), CC_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip_with_role),
	    cmocka_unit_test(old_file_without_role_reads),
	    cmocka_unit_test(hostile_roles_refused),
	    cmocka_unit_test(bad_role_lines_refused),
	};
	return cmocka_run_group_tests(tests, setup_alice, teardown_alice);
}
