/* unlock, lock: the opened key kept in the session keyring (keyring.c). */
#include <stdlib.h>
#include <string.h>

#include "review/review.h"
#include "util/util.h"

static int
unlock_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.unlock.usage");
	return f == stdout ? 0 : 2;
}

long
rv_duration_parse(const char *s)
{
	char *end;
	long v, mul;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (end == s || v <= 0 || v > RV_UNLOCK_MAX_SECS || end[0] == '\0' || end[1] != '\0')
		return -1;
	mul = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : -1;
	if (mul <= 0 || v > RV_UNLOCK_MAX_SECS / mul)
		return -1;
	return v * mul;
}

static int
parse(const char *cmd, int argc, char **argv, struct rv_opts *o, const char **dur)
{
	int r;

	rv_opts_init(o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return unlock_help(stdout) == 0 ? 1 : 2;
		if ((r = rv_opt_common(cmd, argc, argv, &i, o)) != 0 ||
		    (dur != NULL && (r = rv_opt_value(cmd, argc, argv, &i, "--for", dur)) != 0)) {
			if (r < 0)
				return 2;
			continue;
		}
		RV_ERR(cmd, "cli.rv.unknown_arg", cli_head(argv[i], 40));
		return 2;
	}
	if (o->key == NULL) {
		RV_ERR(cmd, "cli.rv.no_key");
		return 2;
	}
	return 0;
}

int
cmd_unlock(int argc, char **argv)
{
	const char *cmd = "unlock", *dur = NULL;
	struct cc_seckey *sk = NULL;
	struct rv_opts o;
	uint8_t *file = NULL;
	size_t flen = 0;
	long secs = RV_UNLOCK_DEFAULT_SECS;
	int r;

	if ((r = parse(cmd, argc, argv, &o, &dur)) != 0)
		return r == 1 ? 0 : r;
	if (dur != NULL && (secs = rv_duration_parse(dur)) < 0) {
		RV_ERR(cmd, "cli.rv.unlock.bad_for", cli_head(dur, 20));
		return 2;
	}
	if (o.key == NULL) {
		RV_ERR(cmd, "cli.rv.no_key");
		return 2;
	}
	if (rv_cli_in_file(cmd, o.key, "cli.rv.todo.key_env") !=
	    0)
		return 2;
	/* Always the passphrase: unlocking proves it again and restarts the clock. */
	if (rv_cli_seckey_file(cmd, &o, 0, &sk, &file, &flen) != 0)
		return 1;
	r = rv_keyring_put(file, flen, sk, (unsigned)secs);
	cc_seckey_free(sk);
	free(file);
	if (r != 0) {
		RV_ERR(cmd, "cli.rv.unlock.no_keyring");
		return 1;
	}
	CLI_PUT(stdout, "cli.rv.unlock.done", o.key, CLI_NUM(secs / 60), CLI_NUM(secs % 60));
	return 0;
}

int
cmd_lock(int argc, char **argv)
{
	const char *cmd = "lock";
	struct rv_opts o;
	uint8_t *file = NULL;
	size_t flen = 0;
	int r;

	if ((r = parse(cmd, argc, argv, &o, NULL)) != 0)
		return r == 1 ? 0 : r;
	if (util_read_file(o.key, CC_SECFILE_MAX, &file, &flen) != 0) {
		RV_ERR(cmd, "cli.rv.lock.key_unreadable", o.key);
		return 1;
	}
	r = rv_keyring_drop(file, flen);
	free(file);
	if (r < 0) {
		RV_ERR(cmd, "cli.rv.lock.cannot_drop");
		return 1;
	}
	CLI_PUT(stdout, r == 0 ? "cli.rv.lock.done" : "cli.rv.lock.not_unlocked", o.key);
	return 0;
}
