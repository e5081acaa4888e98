/*
 * keygen and the test-only key-file KDF (review/cmd_keys.c, rv_test_kdf in
 * review/cli.c; SECURITY.md, "The test KDF"). The unit tests make their key
 * files with the test limits (rvtest.h): these tests prove that without
 * CANDOUR_TEST_WEAK_KDF=1 such a file is neither written nor opened, and
 * that the variable alone never lowers what keygen writes.
 */
#include "tests/review/rvtest.h"
#include "crypto/cc_internal.h"

/* The limits stored in a key file's header (bytes 8..23). */
static void
limits_of(const char *path, uint64_t *ops, uint64_t *mem)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, CC_SECFILE_MAX, &buf, &len), 0);
	assert_int_equal(len, CC_SK_FILE);
	*ops = le64_load(buf + 8);
	*mem = le64_load(buf + 16);
	free(buf);
}

static int
exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Opens path through the CLI's path (passphrase from the file rvtest
 * set); returns what rv_cli_seckey_file returns. */
static int
open_key(const char *path)
{
	struct rv_opts o;
	struct cc_seckey *k = NULL;
	rv_opts_init(&o);
	o.key = path;
	int rc = rv_cli_seckey_file("test", &o, 0, &k, NULL, NULL);
	cc_seckey_free(k);
	return rc;
}

static int
keygen(struct rvt *t, const char *name, const char *kdf)
{
	if (kdf == NULL)
		return rvt_run(t, -1, cmd_keygen, "keygen", "--name", name, "--out", t->dir, NULL);
	return rvt_run(
	    t, -1, cmd_keygen, "keygen", "--name", name, "--out", t->dir, "--kdf", kdf, NULL);
}

/* Without the variable (or with any value but "1"), --kdf test is a usage
 * error and nothing is written. */
static void
test_kdf_test_refused_without_variable(void **state)
{
	(void)state;
	static const char *const values[] = {NULL, "", "0", "yes", "1 "};
	struct rvt *t = rvt_new();
	char sec[RVT_PATH], pub[RVT_PATH];
	rvt_path(t, sec, "weak.sec");
	rvt_path(t, pub, "weak.pub");
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		if (values[i] == NULL)
			unsetenv(RV_WEAK_KDF_ENV);
		else
			setenv(RV_WEAK_KDF_ENV, values[i], 1);
		assert_int_equal(keygen(t, "weak", "test"), 2);
		RVT_ERR_HAS(t, "--kdf test is for tests only");
		assert_false(exists(sec));
		assert_false(exists(pub));
	}
	rvt_free(t);
}

/* The variable alone does not weaken keygen: without --kdf test it writes
 * the production limits (MODERATE, the default; INTERACTIVE on request). */
static void
test_variable_alone_keeps_production_limits(void **state)
{
	(void)state;
	struct rvt *t = rvt_new();
	char sec[RVT_PATH];
	uint64_t ops, mem;
	assert_string_equal(getenv(RV_WEAK_KDF_ENV), "1");
	assert_int_equal(keygen(t, "real", NULL), 0);
	rvt_path(t, sec, "real.sec");
	limits_of(sec, &ops, &mem);
	assert_int_equal(ops, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
	assert_int_equal(mem, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
	assert_int_equal(keygen(t, "inter", "interactive"), 0);
	rvt_path(t, sec, "inter.sec");
	limits_of(sec, &ops, &mem);
	assert_int_equal(ops, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
	assert_int_equal(mem, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
	/* a production key still opens with the variable unset */
	unsetenv(RV_WEAK_KDF_ENV);
	assert_int_equal(open_key(sec), 0);
	rvt_free(t);
}

/* With the variable, --kdf test writes the test limits and the key opens;
 * without it the same file is refused, naming why, before any Argon2id. */
static void
test_weak_key_file_opens_only_with_variable(void **state)
{
	(void)state;
	struct rvt *t = rvt_new();
	char sec[RVT_PATH];
	uint64_t ops, mem;
	assert_int_equal(keygen(t, "weak", "test"), 0);
	rvt_path(t, sec, "weak.sec");
	limits_of(sec, &ops, &mem);
	assert_int_equal(ops, CC_KDF_OPS_MIN);
	assert_int_equal(mem, CC_KDF_MEM_TEST);
	assert_int_equal(open_key(sec), 0);

	unsetenv(RV_WEAK_KDF_ENV);
	assert_int_equal(rvt_run(t, -1, cmd_unlock, "unlock", "--key", sec, NULL), 1);
	RVT_ERR_HAS(t, "made with the test-only KDF");
	setenv(RV_WEAK_KDF_ENV, "0", 1);
	assert_int_equal(open_key(sec), -1);
	/* the fixtures' own key files (rvtest.h) likewise */
	assert_int_equal(rvt_run(t, 0, cmd_init, "init", "--intake-key", t->ipub, NULL), 1);
	RVT_ERR_HAS(t, "made with the test-only KDF");
	assert_false(exists(t->cbpath));
	rvt_free(t);
}

/* rvt_new sets the variable (the fixtures' keys need it); each test
 * starts from that state whatever the one before left. */
static int
setup(void **state)
{
	(void)state;
	setenv(RV_WEAK_KDF_ENV, "1", 1);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_kdf_test_refused_without_variable, setup),
	    cmocka_unit_test_setup(test_variable_alone_keeps_production_limits, setup),
	    cmocka_unit_test_setup(test_weak_key_file_opens_only_with_variable, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
