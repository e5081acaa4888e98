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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intake/store_int.h"
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
	fprintf(f, "usage: candour-intake onion --listen ADDR:PORT [--dir DIR] [--out FILE]"
		   " [--tor PATH]\n\n"
		   "  prints the torrc lines for an onion service that forwards port 80 to\n"
		   "  serve's --listen address (loopback expected), with Tor's proof-of-work\n"
		   "  defence against floods (HiddenServicePoWDefensesEnabled 1) when the tor\n"
		   "  found as --tor (default: tor on PATH) lists that option; otherwise the\n"
		   "  line is written commented out, with the reason.\n"
		   "  --dir   HiddenServiceDir, absolute (default " ONION_DEFAULT_DIR ")\n"
		   "  --out   write the lines to a new file instead of standard output\n"
		   "  Tor writes the address to DIR/hostname on its first start.\n");
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

int
cmd_onion(int argc, char **argv)
{
	const char *listen, *dir, *out, *tor;
	const struct scli_opt opts[] = {
	    {"listen", &listen, 1}, {"dir", &dir, 0}, {"out", &out, 0}, {"tor", &tor, 0}};
	char text[ONION_TEXT_MAX];
	const char *pow, *sep;
	int rc, loopback, n;

	if ((rc = scli_opts(CMD, argc, argv, opts, 4, usage,
		 "cli.in.need.onion")) >= 0)
		return rc;
	if (listen_valid(listen, &loopback) != 0)
		return scli_fail(CMD, "--listen must be ADDR:PORT with a numeric address, "
				      "as given to serve (e.g. 127.0.0.1:8080)");
	if (dir == NULL)
		dir = ONION_DEFAULT_DIR;
	if (dir_valid(dir) != 0)
		return scli_fail(CMD, "--dir must be an absolute path of letters, digits and / . _ -");
	switch (tor_has_pow(tor != NULL ? tor : "tor")) {
	case 1:
		pow = ONION_POW_OPTION " 1\n";
		break;
	case 0:
		pow = "# This tor does not list " ONION_POW_OPTION " (tor 0.4.8 or later\n"
		      "# built with proof-of-work has it); enable it after upgrading:\n"
		      "# " ONION_POW_OPTION " 1\n";
		break;
	default:
		pow = "# tor was not found or did not run, so proof-of-work support is unknown;\n"
		      "# with tor 0.4.8 or later built with it, uncomment:\n"
		      "# " ONION_POW_OPTION " 1\n";
		break;
	}
	sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
	n = snprintf(text, sizeof(text),
	    "# Candour intake onion service (candour-intake onion)\n"
	    "HiddenServiceDir %s%s\n"
	    "HiddenServicePort 80 %s\n"
	    "%s"
	    "# a circuit asking for too many streams at once is closed\n"
	    "HiddenServiceMaxStreams 32\n"
	    "HiddenServiceMaxStreamsCloseCircuit 1\n",
	    dir, sep, listen, pow);
	if (n < 0 || (size_t)n >= sizeof(text))
		return scli_fail(CMD, "internal error: the lines do not fit");
	if (!loopback)
		fprintf(stderr, "candour-intake: onion: note: %s is not a loopback address; "
				"serve is then reachable without Tor too\n", listen);
	if (out == NULL) {
		fputs(text, stdout);
		return fflush(stdout) == 0 ? 0 : scli_fail(CMD, "cannot write standard output");
	}
	if (util_write_file(out, text, (size_t)n, 0644, 1) != 0)
		return scli_fail(CMD, "cannot write %s: %s", out,
		    errno == EEXIST ? "it already exists" : strerror(errno));
	return 0;
}
