/* keygen, init, reviewer add|list. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qrencode.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* Prints s as a QR code with UTF-8 half blocks: two module rows per line,
 * dark modules as blanks, so it reads on a dark terminal (as qrencode -t UTF8). */
static int
print_qr(FILE *out, const char *s)
{
	QRcode *q = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const int quiet = 2;

	if (q == NULL)
		return -1;
	int w = q->width, W = w + 2 * quiet;
	for (int y = -quiet; y < w + quiet; y += 2) {
		for (int x = -quiet; x < w + quiet; x++) {
			int top = y >= 0 && y < w && x >= 0 && x < w && (q->data[y * w + x] & 1);
			int bot = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w &&
				  (q->data[(y + 1) * w + x] & 1);
			/* light = block drawn; dark = blank */
			fputs(!top && !bot ? "\xe2\x96\x88"
			      : !top	   ? "\xe2\x96\x80"
			      : !bot	   ? "\xe2\x96\x84"
					   : " ",
			    out);
		}
		fputc('\n', out);
	}
	(void)W;
	QRcode_free(q);
	return 0;
}

/* "role: ROLE" on stdout, the role (a key file's text) terminal-safe. */
static void
rv_role_line(const char *role)
{
	char *safe = rv_safe_dup(role, strlen(role));

	CLI_PUT(stdout, "cli.rv.keys.role", safe != NULL ? safe : "");
	free(safe);
}

static int
keygen_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.keygen.usage", CLI_NUM(CC_ROLE_MAX), CLI_NUM(RV_PASS_MIN_BITS));
	CLI_PUT(f, "cli.rv.exit_help");
	return f == stdout ? 0 : 2;
}

int
cmd_keygen(int argc, char **argv)
{
	const char *cmd = "keygen", *name = NULL, *dir = NULL, *kdfs = "moderate", *role = NULL;
	char secp[PATH_MAX], pubp[PATH_MAX], line[CC_PUBFILE_MAX], fpr[CC_FPR_CHARS + 1];
	struct rv_opts o;
	struct cc_seckey *sk = NULL;
	struct cc_kdf kdf;
	char *pass = NULL;
	size_t plen = 0, slen = 0;
	uint8_t *sec = NULL;
	int rc = 1, r;

	rv_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return keygen_help(stdout);
		if ((r = rv_opt_common(cmd, argc, argv, &i, &o)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--name", &name)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--out", &dir)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--role", &role)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--kdf", &kdfs)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		RV_ERR(cmd, "cli.rv.unknown_arg", argv[i]);
		return 2;
	}
	if (name == NULL || dir == NULL) {
		RV_ERR(cmd, "cli.rv.keygen.required");
		return 2;
	}
	if (!cc_name_valid(name)) {
		RV_ERR(cmd, "cli.rv.keygen.bad_name", CLI_NUM(CC_NAME_MAX));
		return 2;
	}
	if (role != NULL && !cc_role_valid(role, strlen(role))) {
		RV_ERR(cmd, "cli.rv.keygen.bad_role", CLI_NUM(CC_ROLE_MAX));
		return 2;
	}
	if (strcmp(kdfs, "moderate") == 0)
		cc_kdf_moderate(&kdf);
	else if (strcmp(kdfs, "interactive") == 0)
		cc_kdf_interactive(&kdf);
	else if (strcmp(kdfs, "test") == 0) {
		/* cheap to guess at: never a real reviewer's key */
		if (!rv_test_kdf()) {
			RV_ERR(cmd, "cli.rv.keygen.test_kdf", RV_WEAK_KDF_ENV);
			return 2;
		}
		cc_kdf_test(&kdf);
	} else {
		RV_ERR(cmd, "cli.rv.keygen.bad_kdf");
		return 2;
	}
	if (snprintf(secp, sizeof(secp), "%s/%s.sec", dir, name) >= (int)sizeof(secp) ||
	    snprintf(pubp, sizeof(pubp), "%s/%s.pub", dir, name) >= (int)sizeof(pubp)) {
		RV_ERR(cmd, "cli.rv.keygen.path_long");
		return 2;
	}
	/* before anything is asked: a tired person should not type a
	 * passphrase twice to learn the name is taken or --out is wrong */
	if (rv_cli_out_file(cmd, secp, 1, "cli.rv.todo.keygen_out") != 0 ||
	    rv_cli_out_file(cmd, pubp, 1, "cli.rv.todo.keygen_out") != 0)
		return 2;
	/* confirm: asked twice on a terminal, a weak one refused there */
	if (rv_cli_passphrase(cmd, &o, 1, &pass, &plen) != 0)
		return 1;
	/* The role goes in the .pub only: the secret key file is unchanged. */
	if (cc_keypair_generate(name, &sk) != CC_OK ||
	    cc_seckey_seal(sk, pass, plen, &kdf, &sec, &slen) != CC_OK ||
	    cc_pubkey_set_role(&sk->pub, role) != CC_OK ||
	    cc_pubkey_format(&sk->pub, line, sizeof(line)) != CC_OK) {
		RV_ERR(cmd, "cli.rv.keygen.failed");
		goto out;
	}
	if (util_write_file(secp, sec, slen, 0600, 1) != 0) {
		RV_ERR(cmd, "cli.rv.keygen.cannot_write", secp,
		    errno == EEXIST ? CLI_T("cli.rv.keygen.exists") : cli_phrase(strerror(errno)));
		goto out;
	}
	if (util_write_file(pubp, line, strlen(line), 0644, 1) != 0) {
		RV_ERR(cmd, "cli.rv.keygen.cannot_write", pubp, cli_phrase(strerror(errno)));
		unlink(secp);
		goto out;
	}
	chmod(pubp, 0644); /* public: the umask of 077 made it private */
	cc_fingerprint(&sk->pub, fpr);
	CLI_PUT(stdout, "cli.rv.keygen.done", secp, pubp, fpr);
	if (role != NULL) {
		rv_role_line(role);
	}
	print_qr(stdout, line);
	rc = 0;
out:
	rv_pass_free(pass);
	free(sec);
	cc_seckey_free(sk);
	return rc;
}

static int
init_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.init.usage");
	CLI_PUT(f, "cli.rv.exit_help");
	return f == stdout ? 0 : 2;
}

static int
read_line_file(const char *cmd, const char *path, char **line, size_t *len)
{
	uint8_t *buf = NULL;

	if (util_read_file(path, CC_PUBFILE_MAX, &buf, len) != 0) {
		RV_ERR(cmd, "cli.rv.cannot_read", path,
		    errno == EFBIG ? CLI_T("cli.rv.keys.line_long") : cli_phrase(strerror(errno)));
		return -1;
	}
	*line = (char *)buf;
	return 0;
}

int
cmd_init(int argc, char **argv)
{
	const char *cmd = "init", *ipath = NULL, *why = NULL;
	struct rv_opts o;
	struct cc_seckey *sk = NULL;
	struct casebook *cb = NULL;
	uint8_t ipk[CC_SIGN_PK];
	char fpr[CC_FPR_CHARS + 1], *line = NULL;
	size_t len;
	int r;

	rv_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return init_help(stdout);
		if ((r = rv_opt_common(cmd, argc, argv, &i, &o)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--intake-key", &ipath)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		RV_ERR(cmd, "cli.rv.unknown_arg", argv[i]);
		return 2;
	}
	if (o.casebook == NULL || o.key == NULL || ipath == NULL) {
		RV_ERR(cmd, "cli.rv.init.required");
		return 2;
	}
	if (rv_cli_out_file(cmd, o.casebook, 1,
		"cli.rv.todo.casebook_new") != 0 ||
	    rv_cli_in_file(cmd, o.key, "cli.rv.todo.key") != 0 ||
	    rv_cli_in_file(cmd, ipath, "cli.rv.todo.intake_pub") != 0)
		return 2;
	if (read_line_file(cmd, ipath, &line, &len) != 0)
		return 1;
	r = cc_signpub_parse(line, len, ipk);
	free(line);
	if (r != CC_OK) {
		RV_ERR(cmd, "cli.rv.init.not_intake_pub", ipath);
		return 1;
	}
	if (rv_cli_seckey(cmd, &o, &sk) != 0)
		return 1;
	if (cb_create(o.casebook, sk, ipk, &cb, &why) != 0) {
		RV_ERR(cmd, "cli.rv.path_why", o.casebook, cli_phrase(why));
		cc_seckey_free(sk);
		return 1;
	}
	cc_signpub_fingerprint(ipk, fpr);
	CLI_PUT(stdout, "cli.rv.init.done", o.casebook, sk->pub.name, fpr);
	cb_close(cb);
	cc_seckey_free(sk);
	return 0;
}

static int
reviewer_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.reviewer.usage");
	CLI_PUT(f, "cli.rv.exit_help");
	return f == stdout ? 0 : 2;
}

static int
reviewer_list(struct casebook *cb)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT name, added, added_by FROM reviewers ORDER BY name", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 3; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			if (i == 0) {
				rv_print_safe(stdout, v ? v : "", v ? strlen(v) : 0, 0);
				continue;
			}
			/* NAME<TAB>added WHEN by WHO */
			char *safe = rv_safe_dup(v ? v : "", v ? strlen(v) : 0);
			fputs(i == 1 ? "\t" : " ", stdout);
			CLI_PUT(stdout, i == 1 ? "cli.rv.reviewer.list_added" : "cli.rv.reviewer.list_by",
			    safe != NULL ? safe : "");
			free(safe);
		}
		putchar('\n');
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
cmd_reviewer(int argc, char **argv)
{
	const char *cmd = "reviewer", *verb = NULL, *pubpath = NULL;
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cc_pubkey pub;
	char *line = NULL, fpr[CC_FPR_CHARS + 1];
	unsigned granted = 0;
	size_t len;
	int r, rc = 1;

	rv_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return reviewer_help(stdout);
		if ((r = rv_opt_common(cmd, argc, argv, &i, &o)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if (argv[i][0] == '-' || (verb != NULL && pubpath != NULL)) {
			RV_ERR(cmd, "cli.rv.unknown_arg", argv[i]);
			return 2;
		}
		if (verb == NULL)
			verb = argv[i];
		else
			pubpath = argv[i];
	}
	if (verb == NULL || (strcmp(verb, "add") == 0 && pubpath == NULL) ||
	    (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0)) {
		RV_ERR(cmd, "cli.rv.reviewer.say");
		return 2;
	}
	if (pubpath != NULL) {
		if (rv_cli_in_file(cmd, pubpath, "cli.rv.todo.reviewer_pub") !=
		    0)
			return 2;
		if (read_line_file(cmd, pubpath, &line, &len) != 0)
			return 1;
		r = cc_pubkey_parse(line, len, &pub);
		free(line);
		if (r != CC_OK) {
			RV_ERR(cmd, "cli.rv.reviewer.not_pub", pubpath);
			return 1;
		}
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (strcmp(verb, "list") == 0) {
		rc = reviewer_list(cb) == 0 ? 0 : 1;
		goto out;
	}
	if (cb_begin(cb) != 0) {
		RV_ERR(cmd, "cli.rv.reviewer.busy");
		goto out;
	}
	if (cb_reviewer_insert(cb, &pub) != 0) {
		RV_ERR(cmd, "cli.rv.reviewer.already", pub.name);
		goto out;
	}
	/* Concern keys go only where the reporter chose the new reviewer
	 * (their key id among the recipients) and only those this reviewer
	 * holds: everything else stays closed to them. */
	if (cb_ck_grant(cb, &pub, &granted) != 0 ||
	    cb_audit(cb, "reviewer-add", NULL, pub.name) != 0 || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.reviewer.write_failed");
		goto out;
	}
	cc_fingerprint(&pub, fpr);
	CLI_PUT(stdout, "cli.rv.reviewer.added", pub.name, fpr);
	if (pub.role[0] != '\0') {
		rv_role_line(pub.role);
	}
	if (granted > 0)
		CLI_PUT(stdout, granted == 1 ? "cli.rv.reviewer.opened1" : "cli.rv.reviewer.opened",
		    CLI_NUM(granted), pub.name);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
