/*
 * desk: the casebook as pages on 127.0.0.1. The order matters and is the
 * point: bind one loopback socket on a free port, start xdg-open (on a
 * desktop), then install the desk's no-network filter (sandbox.c), and only
 * then read anything secret or serve a page. main() skips the CLI filter
 * for this command alone because bind() must come first.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "review/desk.h"
#include "util/util.h"


/* An inherited socket is closed: the filter lets the desk talk on what it
 * holds, and it must hold nothing but its own listening socket. */
static void
close_inherited_sockets(void)
{
	long max = sysconf(_SC_OPEN_MAX);
	struct stat st;

	for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
			close(fd);
}

/* 127.0.0.1, port 0 (the kernel picks a free one). -1 and errno. */
static int
listen_loopback(uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* On a desktop, the browser is started before the filter (it is not the
 * desk and needs no filter of the desk's); its exit is not waited for. */
static void
open_browser(const char *url, int lfd)
{
	const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");

	if ((x == NULL || *x == '\0') && (w == NULL || *w == '\0'))
		return;
	signal(SIGCHLD, SIG_IGN); /* reaped by the kernel */
	if (fork() != 0)	  /* the desk (or a failed fork: no browser) */
		return;
	close(lfd);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	setsid();
	execlp("xdg-open", "xdg-open", url, (char *)NULL);
	_exit(127);
}

int
desk_unlock_with(struct desk *d, struct cc_seckey *sk)
{
	const char *why = NULL;

	if (cb_open(d->o.casebook, sk, &d->cb, &why) != 0) {
		cc_seckey_free(sk);
		d->cb = NULL;
		snprintf(d->unlock_err, sizeof(d->unlock_err), "desk_unlock_casebook");
		return -1;
	}
	d->sk = sk;
	d->unlock_err[0] = '\0';
	return 0;
}

void
desk_lock(struct desk *d)
{
	cb_close(d->cb); /* wipes the casebook key */
	d->cb = NULL;
	if (d->sk != NULL)
		cc_seckey_free(d->sk); /* sodium_free: wiped */
	d->sk = NULL;
}

int
cmd_desk(int argc, char **argv)
{
	static const char lang_default[] = "en";
	const char *cmd = "desk", *idle_s = NULL, *lang = lang_default, *web = NULL;
	struct desk *d = calloc(1, sizeof(*d));
	struct cc_seckey *sk = NULL;
	char tok[DESK_HEX_CHARS + 1], url[128], webdir[PATH_MAX], tried[WEB_TRIED_MAX];
	uint16_t port = 0;
	long idle = DESK_IDLE_DEFAULT;
	int lfd = -1, noopen = 0, r, rc = 1;

	if (d == NULL)
		return 1;
	rv_opts_init(&d->o);
	rv_lang_early(argc, argv);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			CLI_PUT(stdout, "cli.rv.desk.usage");
			free(d);
			return 0;
		}
		if (strcmp(argv[i], "--no-open") == 0) {
			noopen = 1;
			continue;
		}
		if ((r = rv_opt_common(cmd, argc, argv, &i, &d->o)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--idle", &idle_s)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--lang", &lang)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--web", &web)) != 0) {
			if (r < 0)
				goto usage;
			continue;
		}
		RV_ERR(cmd, "cli.rv.unknown_arg", cli_head(argv[i], 40));
		goto usage;
	}
	/* the desk's language is its lines' too, its web/ their catalogue's */
	if (lang != lang_default)
		(void)cli_lang_set(lang);
	if (web != NULL)
		cli_web_set(web);
	/* no --lang: the pages speak as the terminal's lines do (LANG and the
	 * rest, as gettext reads them): a Welsh reviewer's desk in Welsh */
	if (lang == lang_default)
		lang = cli_lang();
	if (idle_s != NULL && (idle = rv_duration_parse(idle_s)) < 0) {
		RV_ERR(cmd, "cli.rv.desk.bad_idle");
		goto usage;
	}
	if (strcmp(lang, "en") != 0 && strcmp(lang, "cy") != 0) {
		RV_ERR(cmd, "cli.rv.report.bad_lang");
		goto usage;
	}
	if (d->o.casebook == NULL || d->o.key == NULL) {
		RV_ERR(cmd, "cli.rv.desk.required");
		goto usage;
	}
	/* before a browser is opened to ask the passphrase (checked again below) */
	if (rv_cli_in_file(cmd, d->o.key, "cli.rv.todo.key") != 0 ||
	    rv_cli_in_file(cmd, d->o.casebook,
		"cli.rv.todo.casebook_desk") != 0)
		goto usage;
	/* the binary's own tree first, as serve and report find theirs; and
	 * before the sandbox, which may not let /proc/self/exe be read */
	if (web == NULL) {
		if (tmpl_find_web("desk/layout.html", webdir, sizeof(webdir), tried, sizeof(tried)) !=
		    0) {
			RV_ERR(cmd, "cli.rv.desk.no_web", tried);
			goto usage;
		}
		web = webdir;
	}
	close_inherited_sockets();
	if ((lfd = listen_loopback(&port)) < 0) {
		RV_ERR(cmd, "cli.rv.desk.listen", cli_phrase(strerror(errno)));
		goto out;
	}
	if (desk_auth_init(&d->auth, port) != 0) {
		RV_ERR(cmd, "cli.rv.oom");
		goto out;
	}
	desk_auth_token_hex(&d->auth, tok);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/?token=%s", (unsigned)port, tok);
	sodium_memzero(tok, sizeof(tok));
	if (!noopen)
		open_browser(url, lfd);
	if (rv_sandbox_desk(lfd) != 0) {
		RV_ERR(cmd, "cli.rv.desk.sandbox");
		goto out;
	}
	if (desk_web_load(&d->web, web, lang) != 0) {
		RV_ERR(cmd, "cli.rv.desk.pages", web);
		goto out;
	}
	if (util_read_file(d->o.key, CC_SECFILE_MAX, &d->keyfile, &d->keyfile_len) != 0) {
		RV_ERR(cmd, "cli.rv.lock.key_unreadable", d->o.key);
		goto out;
	}
	if (access(d->o.casebook, R_OK | W_OK) != 0) {
		RV_ERR(cmd, "cli.rv.desk.casebook", d->o.casebook, cli_phrase(strerror(errno)));
		goto out;
	}
	/* unlocked for this session (`unlock`): no passphrase page */
	if (rv_keyring_get(d->keyfile, d->keyfile_len, &sk) == 0 && desk_unlock_with(d, sk) != 0) {
		RV_ERR(cmd, "cli.rv.desk.unlocked_key", d->o.casebook);
		goto out;
	}
	CLI_PUT(stdout, "cli.rv.desk.url", url);
	fflush(stdout);
	rc = desk_serve(d, lfd, (unsigned)idle) == 0 ? 0 : 1;
	if (rc != 0)
		RV_ERR(cmd, "cli.rv.desk.serve", CLI_NUM(port));
out:
	sodium_memzero(url, sizeof(url));
	desk_lock(d);
	desk_auth_free(&d->auth);
	desk_web_free(&d->web);
	free(d->keyfile);
	if (lfd >= 0)
		close(lfd);
	free(d);
	return rc;
usage:
	free(d);
	return 2;
}
