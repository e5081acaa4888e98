/*
 * What every candour-review command shares: option parsing, the
 * passphrase, opening the key and the casebook, the one error line, and
 * the one terminal-safe printing path for untrusted text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "util/util.h"

void
rv_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "candour-review: %s: ", cmd); /* lint-cli: program and command names */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
rv_say(const char *cmd, const char *const *kv)
{
	fprintf(stderr, "candour-review: %s: ", cmd); /* lint-cli: program and command names */
	cli_puta(stderr, kv);
	fputc('\n', stderr);
}

void
rv_opts_init(struct rv_opts *o)
{
	const char *e;

	memset(o, 0, sizeof(*o));
	if ((e = getenv("CANDOUR_CASEBOOK")) != NULL && *e != '\0')
		o->casebook = e;
	if ((e = getenv("CANDOUR_KEY")) != NULL && *e != '\0')
		o->key = e;
	if ((e = getenv("CANDOUR_PASSPHRASE_FILE")) != NULL && *e != '\0')
		o->passfile = e;
}

int
rv_opt_value(const char *cmd, int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t nl = strlen(name);

	if (strncmp(a, name, nl) != 0)
		return 0;
	if (a[nl] == '=') {
		*val = a + nl + 1;
		if (**val == '\0')
			goto missing;
		return 1;
	}
	if (a[nl] != '\0')
		return 0;
	if (*i + 1 >= argc || argv[*i + 1][0] == '\0')
		goto missing;
	*val = argv[++*i];
	return 1;
missing:
	RV_ERR(cmd, "cli.rv.needs_value", name);
	return -1;
}

/* The language and web/ a command's --lang and --web ask for, taken before
 * its other arguments are read: its --help and its complaints about them
 * are then in that language wherever --lang stands (`report --lang cy
 * --help` printed English before 2026-12-07). A value missing or not a
 * language is left for the command's own parse to refuse. */
void
rv_lang_early(int argc, char **argv)
{
	/* (argv[argc] is NULL; the entries before it are not, which clang's
	 * analyzer does not know: make static) */
	for (int i = 1; i < argc && argv[i] != NULL; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (strncmp(a, "--lang=", 7) == 0 || (strcmp(a, "--lang") == 0 && next != NULL))
			(void)cli_lang_set(a[6] == '=' ? a + 7 : next);
		else if (strncmp(a, "--web=", 6) == 0 || (strcmp(a, "--web") == 0 && next != NULL))
			cli_web_set(a[5] == '=' ? a + 6 : next);
	}
}

int
rv_opt_common(const char *cmd, int argc, char **argv, int *i, struct rv_opts *o)
{
	static const char *names[] = {"--casebook", "--key", "--passphrase-file"};
	const char **slots[] = {&o->casebook, &o->key, &o->passfile};

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		int r = rv_opt_value(cmd, argc, argv, i, names[k], slots[k]);
		if (r != 0)
			return r;
	}
	return 0;
}

void
rv_pass_free(char *pass)
{
	if (pass != NULL)
		sodium_free(pass); /* sodium_free wipes */
}

/* Reads one line from the terminal with echo off. */
static int
tty_read(const char *prompt, char *buf, size_t cap, size_t *len)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), rc = -1;
	size_t n = 0;
	char c;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) != 0)
		goto out;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		goto out;
	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r <= 0 || c == '\n' || c == '\r')
			break;
		if (n + 1 >= cap) {
			n = cap; /* too long */
			break;
		}
		buf[n++] = c;
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	if (n < cap) {
		buf[n] = '\0';
		*len = n;
		rc = 0;
	}
	sodium_memzero(&c, sizeof(c));
out:
	close(fd);
	return rc;
}

/* A new passphrase weaker than keygen takes: says so, returns -1. */
static int
weak(const char *cmd, const char *p, size_t n)
{
	double bits = rv_pass_bits(p, n);

	if (bits >= RV_PASS_MIN_BITS)
		return 0;
	RV_ERR(cmd, "cli.rv.keygen.weak", CLI_NUM(bits), CLI_NUM(RV_PASS_MIN_BITS));
	return -1;
}

int
rv_cli_passphrase(const char *cmd, const struct rv_opts *o, int confirm, char **pass, size_t *len)
{
	char *p = sodium_malloc(RV_PASS_MAX + 1), *q = NULL;
	uint8_t *buf = NULL;
	size_t n = 0, blen = 0, qn = 0;

	*pass = NULL;
	if (p == NULL) {
		RV_ERR(cmd, "cli.rv.oom");
		return -1;
	}
	if (o->passfile != NULL) {
		if (util_read_file(o->passfile, RV_PASS_MAX + 1, &buf, &blen) != 0) {
			RV_ERR(cmd, "cli.rv.passfile_unreadable", o->passfile);
			goto fail;
		}
		while (n < blen && buf[n] != '\n' && buf[n] != '\r')
			n++;
		if (n > RV_PASS_MAX) {
			RV_ERR(cmd, "cli.rv.pass_too_long", CLI_NUM(RV_PASS_MAX));
			goto fail;
		}
		memcpy(p, buf, n);
		p[n] = '\0';
		cc_free_wipe(buf, blen);
		buf = NULL;
	} else {
		/* A new passphrase too weak is said after its first entry, and
		 * asked again: a tired person should not type it twice to learn
		 * it was never going to do (passwd(1) does the same). */
		for (int tries = 0;; tries++) {
			if (tty_read(CLI_T("cli.rv.prompt_pass"), p, RV_PASS_MAX + 1, &n) != 0) {
				RV_ERR(cmd, "cli.rv.no_tty");
				goto fail;
			}
			if (!confirm || n == 0 || weak(cmd, p, n) == 0)
				break;
			if (tries + 1 == RV_PASS_TRIES)
				goto fail;
		}
		if (confirm) {
			if ((q = sodium_malloc(RV_PASS_MAX + 1)) == NULL ||
			    tty_read(CLI_T("cli.rv.prompt_again"), q, RV_PASS_MAX + 1, &qn) != 0) {
				RV_ERR(cmd, "cli.rv.pass_again_unreadable");
				goto fail;
			}
			if (qn != n || sodium_memcmp(p, q, n) != 0) {
				RV_ERR(cmd, "cli.rv.pass_differ");
				goto fail;
			}
			sodium_free(q);
			q = NULL;
		}
	}
	if (n == 0) {
		RV_ERR(cmd, "cli.rv.pass_empty");
		goto fail;
	}
	if (confirm && o->passfile != NULL && weak(cmd, p, n) != 0)
		goto fail;
	*pass = p;
	*len = n;
	return 0;
fail:
	if (buf != NULL)
		cc_free_wipe(buf, blen);
	if (q != NULL)
		sodium_free(q);
	sodium_free(p);
	return -1;
}

int
rv_test_kdf(void)
{
	const char *t = getenv(RV_WEAK_KDF_ENV);
	int on = t != NULL && strcmp(t, "1") == 0;
	cc_seckey_test_floor(on);
	return on;
}

int
rv_cli_seckey_file(const char *cmd, const struct rv_opts *o, int cached, struct cc_seckey **out,
    uint8_t **file, size_t *flen)
{
	uint8_t *buf = NULL;
	size_t blen = 0, plen = 0;
	char *pass = NULL;
	int rc;

	*out = NULL;
	if (o->key == NULL) {
		RV_ERR(cmd, "cli.rv.no_key");
		return -1;
	}
	if (util_read_file(o->key, CC_SECFILE_MAX, &buf, &blen) != 0) {
		RV_ERR(cmd, "cli.rv.key_unreadable", o->key,
		    errno == EFBIG ? CLI_T("cli.rv.not_seckey") : cli_phrase(strerror(errno)));
		return -1;
	}
	/* Unlocked earlier in this session: no passphrase, no Argon2id. */
	if (cached && rv_keyring_get(buf, blen, out) == 0) {
		rc = CC_OK;
		goto done;
	}
	if (rv_cli_passphrase(cmd, o, 0, &pass, &plen) != 0) {
		free(buf);
		return -1;
	}
	(void)rv_test_kdf();
	rc = cc_seckey_open(buf, blen, pass, plen, out);
	rv_pass_free(pass);
done:
	if (rc == CC_OK && file != NULL) {
		*file = buf;
		*flen = blen;
		return 0;
	}
	free(buf);
	if (rc == CC_OK)
		return 0;
	if (rc == CC_EPASSPHRASE)
		RV_ERR(cmd, "cli.rv.pass_wrong", o->key);
	else if (rc == CC_EFORMAT)
		RV_ERR(cmd, "cli.rv.not_seckey_file", o->key);
	else if (rc == CC_ELIMIT)
		RV_ERR(cmd, "cli.rv.test_kdf", o->key);
	else
		RV_ERR(cmd, "cli.rv.key_open", o->key, cli_phrase(cc_strerror(rc)));
	return -1;
}

int
rv_cli_seckey(const char *cmd, const struct rv_opts *o, struct cc_seckey **out)
{
	return rv_cli_seckey_file(cmd, o, 1, out, NULL, NULL);
}

int
rv_cli_in_file(const char *cmd, const char *path, const char *todo)
{
	const char *why = util_in_problem(path);

	if (why == NULL)
		return 0;
	RV_ERR(cmd, "cli.rv.file_problem", path, cli_phrase(why), CLI_T(todo));
	return -1;
}

int
rv_cli_out_file(const char *cmd, const char *path, int excl, const char *todo)
{
	const char *why = util_out_problem(path, excl);

	if (why == NULL)
		return 0;
	RV_ERR(cmd, "cli.rv.file_problem", path, cli_phrase(why), CLI_T(todo));
	return -1;
}

/* The key stays allocated for the casebook's lifetime: cb_close frees it. */
int
rv_cli_open(const char *cmd, const struct rv_opts *o, struct casebook **out)
{
	struct cc_seckey *sk = NULL;
	const char *why = NULL;

	*out = NULL;
	if (o->casebook == NULL) {
		RV_ERR(cmd, "cli.rv.no_casebook");
		return 2;
	}
	/* said before the passphrase is asked (cb_open checks again) */
	if ((why = util_in_problem(o->casebook)) != NULL) {
		RV_ERR(cmd, "cli.rv.casebook_missing", o->casebook, cli_phrase(why));
		return 2;
	}
	if (o->key != NULL &&
	    rv_cli_in_file(cmd, o->key, "cli.rv.todo.key_env") != 0)
		return 2;
	if (rv_cli_seckey(cmd, o, &sk) != 0)
		return o->key == NULL ? 2 : 1;
	if (cb_open(o->casebook, sk, out, &why) != 0) {
		RV_ERR(cmd, "cli.rv.path_why", o->casebook, cli_phrase(why));
		cc_seckey_free(sk);
		return 1;
	}
	(*out)->owns_sk = 1;
	return 0;
}

/* ---- terminal-safe text ------------------------------------------------- */

/* Decodes one UTF-8 sequence at s (strict); returns its length or 0. */
static size_t
utf8_one(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

/* Appends the safe form of s to out (a growable buffer). */
struct sbuf {
	char *p;
	size_t len, cap;
	int err;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 64;
		char *np;
		while (nc < b->len + n + 1)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
safe_into(struct sbuf *b, const char *s, size_t len, int multiline)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[16];

	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t n = utf8_one(u + i, len - i, &c);

		if (n == 0) {
			snprintf(esc, sizeof(esc), "\\x%02X", u[i]);
			sb_put(b, esc, strlen(esc));
			i++;
			continue;
		}
		if ((c == '\n' || c == '\t') && multiline)
			sb_put(b, s + i, 1);
		else if (c == '\n')
			sb_put(b, "\\n", 2);
		else if (c == '\t')
			sb_put(b, "\\t", 2);
		else if (c == '\\' && !multiline)
			sb_put(b, "\\\\", 2);
		else if (unsafe_cp(c)) {
			snprintf(esc, sizeof(esc), "\\u{%04X}", (unsigned)c);
			sb_put(b, esc, strlen(esc));
		} else
			sb_put(b, s + i, n);
		i += n;
	}
}

char *
rv_safe_dup(const char *s, size_t len)
{
	struct sbuf b = {0};

	sb_put(&b, "", 0);
	safe_into(&b, s, len, 0);
	if (b.err) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

int
rv_print_safe(FILE *out, const char *s, size_t len, int multiline)
{
	struct sbuf b = {0};
	int rc;

	sb_put(&b, "", 0);
	safe_into(&b, s, len, multiline);
	if (b.err) {
		free(b.p);
		return -1;
	}
	rc = fwrite(b.p, 1, b.len, out) == b.len ? 0 : -1;
	sodium_memzero(b.p, b.len);
	free(b.p);
	return rc;
}

/* ---- shared argument handling for the simple commands ------------------ */

/* Says in the reader's language why id is not a concern id (cb_id_fault):
 * 0 when it is one, else -1. */
int
rv_cli_id_arg(const char *cmd, const char *id)
{
	char why[256], cid[CB_ID_CHARS + 1];

	if (cb_id_parse(id, cid, why, sizeof(why)) == 0)
		return 0;
	RV_ERR(cmd, "cli.rv.not_id", cli_head(id, 20), why);
	return -1;
}

int
rv_cli_concern(const char *cmd, struct casebook *cb, const char *id, struct cb_concern *c)
{
	char cid[CB_ID_CHARS + 1], why[160];
	int r;

	if (rv_cli_id_arg(cmd, id) != 0 || cb_id_parse(id, cid, why, sizeof(why)) != 0)
		return -1;
	if ((r = cb_concern_load(cb, cid, c)) == 1) {
		RV_ERR(cmd, "cli.rv.no_concern", cid);
		return -1;
	}
	if (r != 0) {
		RV_ERR(cmd, "cli.rv.concern_damaged", cid);
		return -1;
	}
	return 0;
}

int
rv_cli_args(const char *cmd, int argc, char **argv, struct rv_opts *o, const struct rv_argspec *sp,
    const char **pos)
{
	int np = 0, r;

	rv_opts_init(o);
	for (int i = 1; i < argc; i++) {
		int done = 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			CLI_PUT(stdout, sp->usage);
			putchar('\n');
			CLI_PUT(stdout, "cli.rv.exit_help");
			return 1;
		}
		if ((r = rv_opt_common(cmd, argc, argv, &i, o)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		for (int k = 0; k < 4 && sp->opts[k] != NULL && !done; k++) {
			if ((r = rv_opt_value(cmd, argc, argv, &i, sp->opts[k], sp->optv[k])) < 0)
				return 2;
			done = r;
		}
		for (int k = 0; k < 4 && sp->flags[k] != NULL && !done; k++)
			if (strcmp(argv[i], sp->flags[k]) == 0) {
				*sp->flagv[k] = 1;
				done = 1;
			}
		if (done)
			continue;
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || np >= sp->npos + sp->optpos) {
			RV_ERR(cmd, "cli.rv.unknown_arg", cli_head(argv[i], 40));
			return 2;
		}
		pos[np++] = argv[i];
	}
	if (np < sp->npos) {
		RV_ERR(cmd, "cli.rv.missing_arg", CLI_T(sp->posname));
		return 2;
	}
	return 0;
}
