/*
 * candour-intake onion --listen ADDR:PORT [--dir DIR] [--out FILE] [--tor PATH]
 *
 * The torrc lines for an onion service in front of serve. Tor's
 * proof-of-work defence (HiddenServicePoWDefensesEnabled, tor 0.4.8 and
 * later when built with it) makes a flood of introductions cost the
 * flooder CPU while reporters with a browser pay a little; an older tor
 * refuses to start on an option it does not know, so the option is
 * emitted only when the local tor lists it (tor --list-torrc-options),
 * and otherwise written commented out with the reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intake/store_int.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

#define CMD "onion"
#define ONION_DEFAULT_DIR "/var/lib/tor/candour/"
#define ONION_DIR_MAX 256
#define ONION_TEXT_MAX 2048
#define ONION_TOR_OUT_MAX ((size_t)256 << 10) /* --list-torrc-options is ~30 KiB */
#define ONION_POW_OPTION "HiddenServicePoWDefensesEnabled"

extern char **environ;

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.onion.usage", ONION_DEFAULT_DIR);
}

/* ADDR:PORT with ADDR an IPv4 or [IPv6] literal; sets *loopback. */
static int
listen_valid(const char *s, int *loopback)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	unsigned char bin[16];
	uint64_t port;
	size_t hl;

	if (colon == NULL || scli_u64(colon + 1, &port) != 0 || port == 0 || port > 65535)
		return -1;
	hl = (size_t)(colon - s);
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (host[0] == '[') {
		if (hl < 3 || host[hl - 1] != ']')
			return -1;
		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, bin) != 1)
			return -1;
		*loopback = strcmp(host + 1, "::1") == 0;
		return 0;
	}
	if (inet_pton(AF_INET, host, bin) != 1)
		return -1;
	*loopback = bin[0] == 127;
	return 0;
}

/* torrc has no quoting we rely on: an absolute path of plain characters. */
static int
dir_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > ONION_DIR_MAX || s[0] != '/' || strstr(s, "..") != NULL)
		return -1;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '/' || *s == '.' || *s == '_' ||
			*s == '-'))
			return -1;
	return 0;
}

/*
 * Runs `tor --list-torrc-options` (no shell) and looks for the PoW option
 * as a whole line. 1 listed, 0 not listed, -1 tor did not run.
 */
static int
tor_has_pow(const char *tor)
{
	char *const args[] = {(char *)tor, "--list-torrc-options", NULL};
	posix_spawn_file_actions_t fa;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int p[2], st, found = -1, devnull;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 ||
	    (buf = malloc(ONION_TOR_OUT_MAX + 1)) == NULL) {
		close(p[0]), close(p[1]);
		if (devnull >= 0)
			close(devnull);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, devnull, 2);
	st = strchr(tor, '/') ? posix_spawn(&pid, tor, &fa, NULL, args, environ)
			      : posix_spawnp(&pid, tor, &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	close(devnull);
	if (st != 0)
		goto out;
	while (len < ONION_TOR_OUT_MAX &&
	       ((n = read(p[0], buf + len, ONION_TOR_OUT_MAX - len)) > 0 ||
		   (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(p[0]); /* a tor that writes more than the cap gets EPIPE, not a hang */
	p[0] = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || len == 0)
		goto out;
	buf[len] = '\0';
	found = 0;
	for (char *l = buf, *nl; l != NULL; l = nl) {
		if ((nl = strchr(l, '\n')) != NULL)
			*nl++ = '\0';
		if (strcmp(l, ONION_POW_OPTION) == 0)
			found = 1;
	}
out:
	if (p[0] >= 0)
		close(p[0]);
	free(buf);
	return found;
}

/* The lines built so far (torrc text, ONION_TEXT_MAX at most). */
struct torrc {
	char text[ONION_TEXT_MAX];
	size_t len;
	int full; /* a line did not fit */
};

static void
add(struct torrc *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
add(struct torrc *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->text + t->len, sizeof(t->text) - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(t->text) - t->len)
		t->full = 1;
	else
		t->len += (size_t)n;
}

/* A catalogue text as torrc comments: each of its lines behind "# ", so
 * that no translation can turn into a torrc option. */
static void
comment(struct torrc *t, const char *const *kv)
{
	char words[ONION_TEXT_MAX];

	for (const char *p = cli_filla(words, sizeof(words), kv); *p != '\0';) {
		size_t n = strcspn(p, "\n");
		add(t, "# %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}
#define COMMENT(t, ...) comment(t, (const char *const[]){__VA_ARGS__, NULL})

int
cmd_onion(int argc, char **argv)
{
	const char *listen, *dir, *out, *tor;
	const struct scli_opt opts[] = {
	    {"listen", &listen, 1}, {"dir", &dir, 0}, {"out", &out, 0}, {"tor", &tor, 0}};
	struct torrc t = {.len = 0, .full = 0};
	int rc, loopback, pow;

	if ((rc = scli_opts(CMD, argc, argv, opts, 4, usage,
		 "cli.in.need.onion")) >= 0)
		return rc;
	if (listen_valid(listen, &loopback) != 0)
		return SCLI_FAIL(CMD, "cli.in.onion.listen");
	if (dir == NULL)
		dir = ONION_DEFAULT_DIR;
	if (dir_valid(dir) != 0)
		return SCLI_FAIL(CMD, "cli.in.onion.dir");
	pow = tor_has_pow(tor != NULL ? tor : "tor");
	COMMENT(&t, "cli.in.onion.torrc_head");
	add(&t, "HiddenServiceDir %s%s\nHiddenServicePort 80 %s\n", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", listen);
	if (pow == 1)
		add(&t, ONION_POW_OPTION " 1\n");
	else {
		COMMENT(&t, pow == 0 ? "cli.in.onion.pow_absent" : "cli.in.onion.pow_unknown",
		    ONION_POW_OPTION);
		add(&t, "# " ONION_POW_OPTION " 1\n");
	}
	COMMENT(&t, "cli.in.onion.torrc_streams");
	add(&t, "HiddenServiceMaxStreams 32\nHiddenServiceMaxStreamsCloseCircuit 1\n");
	if (t.full)
		return SCLI_FAIL(CMD, "cli.in.onion.no_fit");
	if (!loopback)
		SCLI_NOTE(CMD, "cli.in.onion.not_loopback", listen);
	if (out == NULL) {
		fputs(t.text, stdout);
		return fflush(stdout) == 0 ? 0 : SCLI_FAIL(CMD, "cli.in.onion.stdout");
	}
	if (util_write_file(out, t.text, t.len, 0644, 1) != 0)
		return SCLI_FAIL(CMD, "cli.in.cannot_write", out,
		    errno == EEXIST ? CLI_T("cli.in.export.exists") : cli_phrase(strerror(errno)));
	return 0;
}
