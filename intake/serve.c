/*
 * candour-intake serve: the parent of the intake's processes (DESIGN.md).
 * It reads the options, the web/ data and the reviewers' public keys,
 * makes sure the intake signing key exists, then forks the store (the only
 * holder of intake.db) and the http process (libmicrohttpd, sandboxed,
 * holding only the listening socket and its end of the store socketpair),
 * and waits. SIGINT/SIGTERM stop http first; the store then sees its
 * socket close and ends after its last commit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium/randombytes.h>
#include <sodium/utils.h>

#include "intake/http.h"
#include "intake/store_int.h"
#include "util/util.h"

#define SERVE_KEYFILE_MAX 4096
#define SERVE_PEM_MAX (64 * 1024)
/* Connections the kernel holds before the http process accepts them: as
 * many as it may serve. At 128, a 500-connection flood on a starved
 * machine overflowed the queue; the kernel then drops the handshake's
 * last ACK and the client's request with it, the client resends it only
 * seconds later (its retransmission timer), and the accepted connection
 * looked idle to the header deadline and was cut unanswered. The kernel
 * caps it at net.core.somaxconn (4096 by default). */
#define SERVE_LISTEN_BACKLOG INTAKE_MAX_CONNECTIONS
#define SERVE_STOP_WAIT_S 10
#define SERVE_RELOAD_ACK_MS 5000 /* the http process answers a new key set within */
#ifndef SERVE_FREE_FILL
#define SERVE_FREE_FILL 0x5a /* M_PERTURB: freed heap memory becomes this */
#endif
struct serve_opts {
	const char *db, *keys, *listen, *cert, *key, *user, *web, *lang, *pidfile, *contacts,
	    *leave_url;
	const char *onion_addr, *onion_file; /* as given */
	char onion[ONION_ADDR_LEN + 1];	     /* checked; "" when none */
	int demo;
	uint64_t max_upload;
	uint64_t disk_budget; /* upload bytes a minute */
	uint64_t min_free;    /* free bytes the store keeps */
	unsigned connections;
	unsigned budget;
	unsigned wrong_per_hour;
	unsigned timeout;
	pid_t parent; /* serve itself: its children end with it */
};

#define CMD "serve"

/* A why of a check (a lower layer's English, said in the language when a
 * cli.why.* key has it) as serve's failure line; returns 1. */
static int
die(const char *why)
{
	return SCLI_FAIL(CMD, "cli.rv.said", cli_phrase(why));
}

/* A child of serve that outlives it would go on serving unsupervised (the
 * http process keeps the port, so a restarted serve cannot listen, and a
 * lone store keeps the database). The kernel kills the child when serve
 * dies. Called after the drop to --user, which clears the setting; a
 * parent already gone by then is caught by getppid. 0, or -1. */
static int
die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
		return -1;
	return 0;
}

static void
usage(FILE *f)
{
	/* two keys, each at most {9}; the second begins with the first's
	 * line end (a catalogue value's leading spaces are not kept) */
	CLI_PUT(f, "cli.in.serve.usage", INTAKE_DEFAULT_LISTEN, CLI_UNUM(INTAKE_DEFAULT_MAX_UPLOAD),
	    CLI_NUM(HTTP_DEFAULT_BUDGET), CLI_NUM(HTTP_RCPT_BURST), CLI_NUM(HTTP_RCPT_PER_HOUR),
	    CLI_NUM(HTTP_RCPT_SLOW_MS), CLI_NUM(HTTP_CONN_TIMEOUT));
	CLI_PUT(f, "cli.in.serve.usage_more", CLI_NUM(HTTP_CONN_MIN),
	    CLI_NUM(INTAKE_MAX_CONNECTIONS), CLI_NUM(HTTP_CONN_LIMIT),
	    CLI_NUM(HTTP_HEADER_MS / 1000), CLI_NUM(HTTP_BODY_MIN_RATE),
	    CLI_UNUM(HTTP_DEFAULT_DISK_BUDGET), CLI_UNUM(HTTP_DEFAULT_MIN_FREE),
	    HTTP_LEAVE_URL_DEFAULT);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct cc_pubkey *)a)->name, ((const struct cc_pubkey *)b)->name);
}

/* Every entry of dir must be a reviewer public key file; a secret key or
 * anything else stops the start. */
static int
load_reviewers(const char *dir, struct cc_pubkey *out, size_t *n, const char **why)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int ret = -1;

	*n = 0;
	if (d == NULL) {
		*why = "cannot open --keys directory; check the path";
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		uint8_t *buf = NULL;
		size_t len;
		struct cc_seckey *sk = NULL;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    util_read_file(path, SERVE_KEYFILE_MAX, &buf, &len) != 0) {
			*why = "a file in --keys cannot be read or is not a public key; keep only "
			       "NAME.pub files there";
			goto out;
		}
		int sr = cc_seckey_open(buf, len, "x", 1, &sk);
		if (sk != NULL)
			cc_seckey_free(sk);
		if (sr != CC_EFORMAT) {
			cc_free_wipe(buf, len);
			*why = "a SECRET key file is in --keys; remove it at once: the intake must "
			       "hold public keys only";
			goto out;
		}
		size_t l = strlen(e->d_name);
		if (*n >= INTAKE_MAX_REVIEWERS || l < 5 || strcmp(e->d_name + l - 4, ".pub") != 0 ||
		    cc_pubkey_parse((const char *)buf, len, &out[*n]) != CC_OK) {
			free(buf);
			*why = *n >= INTAKE_MAX_REVIEWERS
				   ? "more than 16 reviewer keys in --keys"
				   : "a file in --keys is not a reviewer public key (NAME.pub); "
				     "keep only those there";
			goto out;
		}
		free(buf);
		for (size_t i = 0; i < *n; i++)
			if (sodium_memcmp(out[i].keyid, out[*n].keyid, CC_KEYID_BYTES) == 0) {
				*why = "the same reviewer key is twice in --keys";
				goto out;
			}
		(*n)++;
	}
	if (*n == 0) {
		*why = "no reviewer public key in --keys; add at least one NAME.pub";
		goto out;
	}
	qsort(out, *n, sizeof(*out), by_name); /* the form lists them so */
	ret = 0;
out:
	closedir(d);
	return ret;
}

static int
open_listen(const char *spec)
{
	char host[256], *port;
	struct addrinfo hints = {0}, *ai = NULL;
	int fd = -1, one = 1;

	if (strlen(spec) >= sizeof(host))
		return -1;
	snprintf(host, sizeof(host), "%s", spec[0] == '[' ? spec + 1 : spec);
	if ((port = strrchr(host, ':')) == NULL)
		return -1;
	*port++ = '\0';
	if (spec[0] == '[') {
		size_t l = strlen(host);
		if (l == 0 || host[l - 1] != ']')
			return -1;
		host[l - 1] = '\0';
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SERVE_LISTEN_BACKLOG) != 0) {
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* Reads a PEM file into sodium_malloc'd memory (the key stays locked). */
static char *
read_pem(const char *path)
{
	uint8_t *buf;
	size_t len;
	char *p;

	if (util_read_file(path, SERVE_PEM_MAX, &buf, &len) != 0)
		return NULL;
	if ((p = sodium_malloc(len + 1)) != NULL) {
		memcpy(p, buf, len);
		p[len] = '\0';
	}
	cc_free_wipe(buf, len);
	return p;
}

/* The http process. Exit codes tell the parent what failed. */
static int
http_main(const struct serve_opts *o, struct web *web, const struct cc_pubkey *rev, size_t nrev,
    int lfd, int sfd, int cfd, int yfd, char *cert, char *key)
{
	struct http_app app;
	struct http_opts ho = {.listen_fd = lfd,
	    .ctl_fd = cfd,
	    .ready_fd = yfd,
	    .tls_cert = cert,
	    .tls_key = key,
	    .sandbox = 1,
	    .timeout = o->timeout,
	    .connections = o->connections};
	int devnull;

	/* Everything this process frees is overwritten at once: libmicrohttpd's
	 * connection and post-processor buffers, GnuTLS's records and
	 * libqrencode's copies hold what a reporter sent (a receipt, a
	 * message) and are freed without wiping. */
	mallopt(M_PERTURB, SERVE_FREE_FILL);
	memset(&app, 0, sizeof(app));
	app.deflang = web_lang_index(o->lang);
	for (int i = 0; i < WEB_LANGS; i++)
		app.langs[i] = &web[i];
	app.web = &web[app.deflang];
	memcpy(app.revs.k, rev, nrev * sizeof(*rev));
	app.revs.n = nrev;
	if (pthread_mutex_init(&app.revs_mu, NULL) != 0)
		return 12;
	app.onion = o->onion;
	app.max_upload = o->max_upload;
	app.leave_url = o->leave_url;
	app.demo = o->demo;
	/* stdin/out/err to /dev/null: this process holds no file it can write */
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || dup2(devnull, 0) < 0 ||
	    dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		return 10;
	if (devnull > 2)
		close(devnull);
	if (storec_open(sfd, &app.store) != 0 || storec_params(app.store, &app.rparams) != 0)
		return 11;
	if ((app.csrf_key = sodium_malloc(CSRF_KEY_BYTES)) == NULL)
		return 12;
	randombytes_buf(app.csrf_key, CSRF_KEY_BYTES);
	bucket_init(&app.budget, o->budget, o->budget, mono_ms());
	bucket_init(&app.wrong, HTTP_RCPT_BURST, o->wrong_per_hour / 60.0, mono_ms());
	bucket_init(&app.bytes, (double)o->disk_budget, (double)o->disk_budget, mono_ms());
	if (sessions_new(&app.sessions) != 0 ||
	    rcptlim_new(&app.rcpt, HTTP_RCPT_ONE_BURST, HTTP_RCPT_ONE_PER_MIN) != 0 ||
	    pcache_new(&app.pages) != 0)
		return 12;
	/* libmicrohttpd formats Date headers: load the zone now, not from a
	 * file once the sandbox forbids opening one. */
	setenv("TZ", "UTC", 1);
	tzset();
	if (sandbox_drop(o->user) != 0 || die_with_parent(o->parent) != 0)
		return 13;
	if (http_run(&app, &ho) != 0)
		return 14;
	sessions_free(app.sessions);
	rcptlim_free(app.rcpt);
	pcache_free(app.pages);
	sodium_free(app.csrf_key);
	storec_close(app.store);
	return 0;
}

static const char *
http_exit_reason(int code)
{
	switch (code) {
	case 11:
		return "cli.in.serve.exit_store";
	case 13:
		return "cli.in.serve.exit_drop";
	case 14:
		return "cli.in.serve.exit_mhd";
	default:
		return "cli.in.serve.exit_other";
	}
}

/* DB.keys: what the http process holds now, for `candour-intake keys`. A
 * failure is logged and serving goes on. */
static void
serve_write_loaded(const struct serve_opts *o, const struct cc_pubkey *k, size_t n)
{
	static char buf[INTAKE_LOADED_MAX];
	char path[4096];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (cc_pubkey_format(&k[i], buf + len, sizeof(buf) - len) != CC_OK)
			goto fail;
		len += strlen(buf + len);
	}
	if (snprintf(path, sizeof(path), "%s%s", o->db, INTAKE_LOADED_SUFFIX) >= (int)sizeof(path) ||
	    util_write_file(path, buf, len, 0644, 0) != 0)
		goto fail;
	return;
fail:
	(void)SCLI_FAIL(CMD, "cli.in.serve.loaded_write", o->db, INTAKE_LOADED_SUFFIX);
}

/* SIGHUP: the reviewers' keys again from --keys, checked as at start, and
 * sent to the http process, which answers once it holds them. A set that
 * fails a check is refused with a log line and the old one stays; concerns
 * already stored keep the recipients they were sealed to. *nrev is the
 * number of keys the http process holds. */
static void
serve_reload(const struct serve_opts *o, int cfd, size_t *nrev)
{
	static struct cc_pubkey rev[INTAKE_MAX_REVIEWERS];
	static uint8_t wire[REVS_WIRE_MAX];
	char names[INTAKE_MAX_REVIEWERS * (CC_NAME_MAX + 2) + 1];
	const char *why = NULL;
	struct pollfd pfd = {.fd = cfd, .events = POLLIN};
	size_t n, w = 0;
	char ack = 0;
	int len;

	if (load_reviewers(o->keys, rev, &n, &why) != 0) {
		(void)SCLI_FAIL(CMD, "cli.in.serve.reload_refused", cli_phrase(why), CLI_NUM(*nrev));
		return;
	}
	while (recv(cfd, &ack, 1, MSG_DONTWAIT) > 0) /* an answer that came too late */
		;
	ack = 0;
	if ((len = revs_encode(rev, n, wire, sizeof(wire))) < 0 ||
	    send(cfd, wire, (size_t)len, MSG_NOSIGNAL) != len ||
	    poll(&pfd, 1, SERVE_RELOAD_ACK_MS) != 1 || recv(cfd, &ack, 1, MSG_DONTWAIT) != 1 ||
	    ack != 'K') {
		(void)SCLI_FAIL(CMD,
		    ack == 'X' ? "cli.in.serve.reload_http_refused" : "cli.in.serve.reload_untaken",
		    CLI_NUM(*nrev));
		return;
	}
	serve_write_loaded(o, rev, n);
	names[0] = '\0';
	for (size_t i = 0; i < n; i++)
		w += (size_t)snprintf(
		    names + w, sizeof(names) - w, "%s%s", i ? ", " : "", rev[i].name);
	*nrev = n;
	(void)SCLI_FAIL(CMD, "cli.in.serve.reloaded", CLI_NUM(n), names);
}

/* The line for a child ended by a signal, which printed nothing itself
 * (a store killed by the OOM killer or by its seccomp filter was reported
 * as "see its message above", with no message above). */
static void
serve_say_killed(const char *who, int sig)
{
	(void)SCLI_FAIL(CMD, sig == SIGSYS ? "cli.in.serve.killed_sys" : "cli.in.serve.killed", who,
	    CLI_NUM(sig));
}

/* Waits for a signal or a child. Returns the exit code of serve. */
static int
serve_wait(const struct serve_opts *o, pid_t http, pid_t store, int cfd, size_t nrev)
{
	sigset_t set;
	struct timespec tick = {1, 0};
	int rc = 0, stopping = 0, waited = 0, st;
	pid_t p;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	while (http > 0 || store > 0) {
		int sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGHUP && !stopping && http > 0)
			serve_reload(o, cfd, &nrev);
		if (sig == SIGTERM || sig == SIGINT) {
			stopping = 1;
			if (http > 0)
				kill(http, SIGTERM);
		}
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			if (p == http) {
				http = -1;
				if (!stopping) {
					if (WIFSIGNALED(st))
						serve_say_killed("http", WTERMSIG(st));
					else
						(void)SCLI_FAIL(CMD, "cli.in.serve.stopping",
						    CLI_T(http_exit_reason(
							WIFEXITED(st) ? WEXITSTATUS(st) : 0)));
					rc = 1;
					stopping = 1;
				}
			} else if (p == store) {
				store = -1;
				if (http > 0) {
					if (WIFSIGNALED(st))
						serve_say_killed("store", WTERMSIG(st));
					else
						(void)SCLI_FAIL(CMD, "cli.in.serve.store_stopped");
					rc = 1;
					stopping = 1;
					kill(http, SIGTERM);
				}
			}
		}
		/* The store ends when the http end of its socket closes; past
		 * the wait, it is stopped hard (SQLite keeps commits atomic). */
		if (stopping && http < 0 && store > 0 && ++waited > SERVE_STOP_WAIT_S)
			kill(store, SIGKILL);
	}
	return rc;
}

/* Waits for the http process's byte on the readiness pipe: 1 with it in
 * *ready, 0 when the pipe closed first (a child ended: a failed start,
 * which serve_wait then reports) or on SIGTERM/SIGINT, which is made
 * pending again for serve_wait to stop the children. */
static int
serve_ready(int fd, char *ready)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct timespec now = {0, 0};
	sigset_t stop;
	int sig;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	for (;;) {
		if (poll(&pfd, 1, 200) > 0)
			return read(fd, ready, 1) == 1 ? 1 : 0;
		if ((sig = sigtimedwait(&stop, NULL, &now)) > 0) {
			kill(getpid(), sig); /* blocked: pending for serve_wait */
			return 0;
		}
	}
}

/* Started as root, the store runs as --user and must own the data
 * directory and the database files in it (the signing key beside them
 * stays root's: the store never needs it). NULL, or why not, with the
 * chown that fixes it, in buf. */
static const char *
store_owner_problem(const struct serve_opts *o, char *buf, size_t cap)
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	char dir[4096], path[4200], wrong[3 * 4200] = "";
	struct passwd *pw;
	struct stat st;
	size_t w = 0;

	if (geteuid() != 0)
		return NULL;
	if (o->user == NULL || (pw = getpwnam(o->user)) == NULL || pw->pw_uid == 0)
		return "--user must name an existing user other than root";
	if (store_data_dir(o->db, dir, sizeof(dir)) != 0 || stat(dir, &st) != 0)
		return "cannot find the directory of --db; create it first";
	if (st.st_uid != pw->pw_uid)
		w += (size_t)snprintf(wrong + w, sizeof(wrong) - w, " %s", dir);
	for (size_t i = 0; i < 3; i++) {
		if (snprintf(path, sizeof(path), "%s%s", o->db, sfx[i]) >= (int)sizeof(path))
			return "--db is too long";
		if (lstat(path, &st) == 0 && st.st_uid != pw->pw_uid && w < sizeof(wrong))
			w += (size_t)snprintf(wrong + w, sizeof(wrong) - w, " %s", path);
	}
	if (w == 0)
		return NULL;
	/* a line that fills buf may have been cut: the short one instead */
	if (w >= sizeof(wrong) ||
	    strlen(CLI_FILL(buf, cap, "cli.in.serve.owner", o->user, wrong)) + 1 >= cap)
		return "the store must own the directory of --db and the database in it";
	return buf;
}

/* The store child: confined, then serving. Returns its exit status. */
static int
store_main(const struct serve_opts *o, int fd, int ready_fd)
{
	char dir[4096];
	const char *base = strrchr(o->db, '/');
	int ll;

	/* Into the data directory while still root, and when started as root
	 * chrooted there (as OpenBSD's daemons are): the store's user need not
	 * be able to walk the directories above it (a checkout under /root, a
	 * test's private temporary directory; SQLite resolves the full path),
	 * and nothing outside the data directory has a name any more. */
	uid_t uid = 0;
	gid_t gid = 0;

	if (geteuid() == 0 && sandbox_user(o->user, &uid, &gid) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_user");
	if (store_data_dir(o->db, dir, sizeof(dir)) != 0 || chdir(dir) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_enter");
	if (geteuid() == 0 && (chroot(".") != 0 || chdir("/") != 0))
		return SCLI_FAIL(CMD, "cli.in.serve.store_chroot");
	base = base != NULL ? base + 1 : o->db;
	if (sandbox_drop_ids(uid, gid) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_drop");
	if (die_with_parent(o->parent) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_parent");
	if ((ll = store_landlock(".")) < 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_landlock");
	if (ll == 1)
		(void)SCLI_FAIL(CMD, "cli.in.serve.no_landlock");
	if (store_seccomp() != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.store_seccomp");
	return store_serve_ready(fd, base, o->min_free, ready_fd) == 0 ? 0 : 1;
}

static int
parse_opts(int argc, char **argv, struct serve_opts *o)
{
	static const struct option lo[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"keys", required_argument, NULL, 'k'},
	    {"listen", required_argument, NULL, 'l'},
	    {"tls-cert", required_argument, NULL, 'c'},
	    {"tls-key", required_argument, NULL, 'K'},
	    {"max-upload", required_argument, NULL, 'm'},
	    {"user", required_argument, NULL, 'u'},
	    {"web", required_argument, NULL, 'w'},
	    {"lang", required_argument, NULL, 'L'},
	    {"pidfile", required_argument, NULL, 'p'},
	    {"budget", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {"wrong-receipts", required_argument, NULL, 'W'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"connections", required_argument, NULL, 'C'},
	    {"disk-budget", required_argument, NULL, 'D'},
	    {"min-free", required_argument, NULL, 'F'},
	    {"contacts", required_argument, NULL, 'n'},
	    {"demo", no_argument, NULL, 'Z'},
	    {"leave-url", required_argument, NULL, 'X'},
	    {"onion-address", required_argument, NULL, 'o'},
	    {"onion-hostname-file", required_argument, NULL, 'O'},
	    {NULL, 0, NULL, 0},
	};
	int ch;
	char *end;

	memset(o, 0, sizeof(*o));
	o->listen = INTAKE_DEFAULT_LISTEN;
	o->max_upload = INTAKE_DEFAULT_MAX_UPLOAD;
	o->budget = HTTP_DEFAULT_BUDGET;
	o->wrong_per_hour = HTTP_RCPT_PER_HOUR;
	o->timeout = HTTP_CONN_TIMEOUT;
	o->connections = HTTP_CONN_LIMIT;
	o->disk_budget = HTTP_DEFAULT_DISK_BUDGET;
	o->min_free = HTTP_DEFAULT_MIN_FREE;
	o->lang = "en";
	o->leave_url = HTTP_LEAVE_URL_DEFAULT;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o->db = optarg;
			break;
		case 'k':
			o->keys = optarg;
			break;
		case 'l':
			o->listen = optarg;
			break;
		case 'c':
			o->cert = optarg;
			break;
		case 'K':
			o->key = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'w':
			o->web = optarg;
			break;
		case 'L':
			o->lang = optarg;
			if (web_lang_index(optarg) < 0)
				return SCLI_FAIL(CMD, "cli.in.serve.lang"), -1;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'n':
			o->contacts = optarg;
			break;
		case 'Z':
			o->demo = 1;
			break;
		case 'X':
			o->leave_url = optarg;
			if (!serve_leave_url_ok(optarg))
				return SCLI_FAIL(CMD, "cli.in.serve.leave_url"),
				       -1;
			break;
		case 'o':
			o->onion_addr = optarg;
			break;
		case 'O':
			o->onion_file = optarg;
			break;
		case 'm':
			errno = 0;
			o->max_upload = strtoull(optarg, &end, 10);
			if (errno || *end || o->max_upload < 4096 ||
			    o->max_upload > CC_ENV_MAX_BYTES)
				return SCLI_FAIL(CMD, "cli.in.serve.max_upload"),
				       -1;
			break;
		case 'b': {
			errno = 0;
			unsigned long b = strtoul(optarg, &end, 10);
			if (errno || *end || b < 1 || b > 100000)
				return SCLI_FAIL(CMD, "cli.in.serve.budget"),
				       -1;
			o->budget = (unsigned)b;
			break;
		}
		case 'T': {
			errno = 0;
			unsigned long t = strtoul(optarg, &end, 10);
			if (errno || *end || t < 2 || t > 3600)
				return SCLI_FAIL(CMD, "cli.in.serve.timeout"),
				       -1;
			o->timeout = (unsigned)t;
			break;
		}
		case 'W': {
			errno = 0;
			unsigned long b = strtoul(optarg, &end, 10);
			if (errno || *end || b < 1 || b > 1000000)
				return SCLI_FAIL(CMD, "cli.in.serve.wrong_receipts"),
				       -1;
			o->wrong_per_hour = (unsigned)b;
			break;
		}
		case 'C': {
			errno = 0;
			unsigned long n = strtoul(optarg, &end, 10);
			if (errno || *end || n < HTTP_CONN_MIN || n > INTAKE_MAX_CONNECTIONS)
				return SCLI_FAIL(CMD, "cli.in.serve.connections"), -1;
			o->connections = (unsigned)n;
			break;
		}
		case 'D':
			errno = 0;
			o->disk_budget = strtoull(optarg, &end, 10);
			if (errno || *end || o->disk_budget < 4096 ||
			    o->disk_budget > ((uint64_t)1 << 40))
				return SCLI_FAIL(CMD, "cli.in.serve.disk_budget"),
				       -1;
			break;
		case 'F':
			errno = 0;
			o->min_free = strtoull(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-' || o->min_free > ((uint64_t)1 << 50))
				return SCLI_FAIL(CMD, "cli.in.serve.min_free"),
				       -1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || o->db == NULL || o->keys == NULL)
		return SCLI_FAIL(CMD, "cli.in.serve.need"),
		       -1;
	/* the line import-replies and keys say, before anything is opened */
	if (scli_keys_dir("serve", o->keys) != 0)
		return -1;
	if (geteuid() == 0 && o->user == NULL)
		return SCLI_FAIL(CMD, "cli.in.serve.root_user"),
		       -1;
	if ((o->cert == NULL) != (o->key == NULL))
		return SCLI_FAIL(CMD, "cli.in.serve.tls_pair"), -1;
	if (o->onion_addr != NULL && o->onion_file != NULL)
		return SCLI_FAIL(CMD, "cli.in.serve.onion_both"), -1;
	if (o->disk_budget < o->max_upload)
		return SCLI_FAIL(CMD, "cli.in.serve.disk_vs_upload"),
		       -1;
	return 0;
}

/* DIR/contacts.txt for --db DIR/NAME (./contacts.txt for a bare NAME). */
static int
default_contacts(const char *db, char *out, size_t outlen)
{
	const char *slash = strrchr(db, '/');
	int n = slash == NULL ? snprintf(out, outlen, "contacts.txt")
			      : snprintf(out, outlen, "%.*s/contacts.txt", (int)(slash - db), db);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Everything that can fail on the operator's input is checked before
 * anything is created: a failed serve leaves no database, no key. */
int
cmd_serve(int argc, char **argv)
{
	static struct web web[WEB_LANGS];
	static struct cc_pubkey rev[INTAKE_MAX_REVIEWERS];
	struct serve_opts o;
	size_t nrev;
	const char *why = NULL;
	char owner[4096];
	char webdir[4096], tried[2048], contacts[4096], whybuf[8192], fpr[CC_FPR_CHARS + 1];
	uint8_t pk[CC_SIGN_PK], *sk = NULL;
	char *cert = NULL, *key = NULL;
	int sp[2] = {-1, -1}, cp[2] = {-1, -1}, rp[2] = {-1, -1}, sr[2] = {-1, -1}, lfd = -1, r;
	int is_new = 0;
	int stale = 0, finished = 0;
	char ready = 0;
	pid_t store = -1, http = -1;
	sigset_t set;
	int rc;

	if ((r = parse_opts(argc, argv, &o)) != 0)
		return r > 0 ? 0 : 2;
	/* The catalogue is read now, while every file can be: the store says
	 * its lines from inside its chroot and Landlock, the parent its
	 * reload lines while serving. */
	(void)CLI_T("cli.in.serve.serving");
	umask(077);
	if (serve_check_user(o.user, &why) != 0)
		return die(why);
	if (o.web == NULL) {
		if (serve_find_web(webdir, sizeof(webdir), tried, sizeof(tried)) != 0) {
			return SCLI_FAIL(CMD, "cli.in.serve.no_web", tried);
		}
		o.web = webdir;
	}
	if (web_load_all(o.web, web) != 0) {
		return SCLI_FAIL(CMD, "cli.in.serve.web_load", o.web);
	}
	/* --db first: its directory is where the contacts file is looked
	 * for, and a typo there is what to say (not "no contacts file") */
	if (serve_check_new(o.db, &is_new, whybuf, sizeof(whybuf)) != 0)
		return die(whybuf);
	if (o.contacts == NULL && default_contacts(o.db, contacts, sizeof(contacts)) == 0)
		o.contacts = contacts;
	for (int i = 0; i < WEB_LANGS; i++)
		if (o.contacts == NULL || contacts_load(&web[i], o.contacts, o.demo, &why) != 0) {
			return SCLI_FAIL(CMD, "cli.in.serve.path_why", o.contacts ? o.contacts : "--db",
			    o.contacts ? cli_phrase(why) : CLI_T("cli.in.serve.path_long"));
		}
	if (onion_addr_opt(o.onion_addr, o.onion_file, o.onion, &why) != 0) {
		if (o.onion_file != NULL)
			return SCLI_FAIL(CMD, "cli.in.serve.path_why", o.onion_file, cli_phrase(why));
		return SCLI_USAGE(CMD, "cli.rv.said", cli_phrase(why));
	}
	if (load_reviewers(o.keys, rev, &nrev, &why) != 0)
		return die(why);
	if ((why = store_kdf_problem()) != NULL ||
	    (why = store_owner_problem(&o, owner, sizeof(owner))) != NULL)
		return die(why);
	if (o.cert && ((cert = read_pem(o.cert)) == NULL || (key = read_pem(o.key)) == NULL))
		return SCLI_FAIL(CMD, "cli.in.serve.tls_read");
	if ((lfd = open_listen(o.listen)) < 0)
		return SCLI_FAIL(CMD, "cli.in.serve.listen");
	/* A new intake's key is staged (DB.sign.key.new) and put in place only
	 * once the store has made the database: a first start stopped early
	 * leaves no key that would mark the directory as holding an intake. */
	if ((sk = sodium_malloc(CC_SIGN_SK)) == NULL ||
	    (is_new ? intake_signkey_stage(o.db, pk, sk, &stale)
		    : intake_signkey_finish(o.db, pk, sk, &finished)) != 0 ||
	    (!is_new && intake_signkey_load(o.db, pk, sk, 1) != 0)) {
		if (sk)
			sodium_free(sk);
		close(lfd);
		return SCLI_FAIL(CMD, "cli.in.serve.signkey");
	}
	sodium_free(sk); /* wiped: the http process never needs it */
	cc_signpub_fingerprint(pk, fpr);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);	    /* a reload: serve_wait takes it */
	sigprocmask(SIG_BLOCK, &set, NULL); /* children inherit: http sigwaits */
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.sp_store");
	/* the http process writes one byte here once it has the store's
	 * answer and libmicrohttpd listens: only then does serve say so */
	if (pipe2(rp, O_CLOEXEC) != 0 || pipe2(sr, O_CLOEXEC) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.pipes");
	o.parent = getpid();
	if ((store = fork()) < 0)
		return SCLI_FAIL(CMD, "cli.in.serve.fork_store");
	if (store == 0) {
		/* The store never serves TLS: wipe the key it inherited. */
		if (cert) {
			sodium_free(cert);
			sodium_free(key);
		}
		close(sp[0]);
		close(rp[0]);
		close(rp[1]);
		close(sr[0]);
		close(lfd); /* the store never faces the network */
		_exit(store_main(&o, sp[1], sr[1]));
	}
	close(sp[1]);
	close(sr[1]);
	/* The store's byte: the database exists, so a new intake's key goes
	 * in place and is announced before the http process exists. */
	r = serve_ready(sr[0], &ready);
	close(sr[0]);
	if (r != 1 || ready != 'R') {
		close(sp[0]); /* the store, if still starting, ends on its closed socket */
		(void)serve_wait(&o, -1, store, -1, nrev);
		/* a first start that made no database leaves no staged key */
		if (is_new && access(o.db, F_OK) != 0 && errno == ENOENT)
			intake_signkey_unstage(o.db);
		return 1;
	}
	if (is_new && intake_signkey_commit(o.db, pk) != 0) {
		(void)SCLI_FAIL(CMD, "cli.in.serve.key_commit", o.db);
		close(sp[0]);
		return serve_wait(&o, -1, store, -1, nrev), 1;
	}
	serve_write_loaded(&o, rev, nrev);
	if (stale)
		(void)SCLI_FAIL(CMD, "cli.in.serve.key_stale", o.db);
	if (finished)
		(void)SCLI_FAIL(CMD, "cli.in.serve.key_finished", o.db, fpr);
	if (is_new)
		(void)SCLI_FAIL(CMD, "cli.in.serve.new_intake", o.db, fpr);
	if (o.demo)
		(void)SCLI_FAIL(CMD, "cli.in.serve.demo", web_str(&web[0], "site.out_of_hours"));
	/* new reviewer key sets go to the http process over this (SIGHUP) */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cp) != 0)
		return SCLI_FAIL(CMD, "cli.in.serve.sp_reload");
	if ((http = fork()) < 0)
		return SCLI_FAIL(CMD, "cli.in.serve.fork_http");
	if (http == 0) {
		/* Keep only the listening socket (3), the store end (4), the
		 * end new keys arrive on (5) and the readiness pipe (6). */
		int l = fcntl(lfd, F_DUPFD, 10), s = fcntl(sp[0], F_DUPFD, 10),
		    k = fcntl(cp[1], F_DUPFD, 10), y = fcntl(rp[1], F_DUPFD, 10);
		if (l < 0 || s < 0 || k < 0 || y < 0 || dup2(l, 3) < 0 || dup2(s, 4) < 0 ||
		    dup2(k, 5) < 0 || dup2(y, 6) < 0 || close_range(7, ~0U, 0) != 0)
			_exit(10);
		_exit(http_main(&o, web, rev, nrev, 3, 4, 5, 6, cert, key));
	}
	close(lfd);
	close(sp[0]);
	close(cp[1]);
	close(rp[1]);
	if (cert) {
		sodium_free(cert);
		sodium_free(key);
	}
	if (o.pidfile != NULL) {
		char line[96];
		int n = snprintf(
		    line, sizeof(line), "%ld %ld %ld\n", (long)getpid(), (long)http, (long)store);
		if (util_write_file(o.pidfile, line, (size_t)n, 0644, 0) != 0)
			(void)SCLI_FAIL(CMD, "cli.in.serve.pidfile");
	}
	/* The http process's byte: it has the store's answer and listens. */
	r = serve_ready(rp[0], &ready);
	close(rp[0]);
	if (r != 1 || ready != 'R')
		return serve_wait(&o, http, store, cp[0], nrev);
	CLI_PUT(stderr, "cli.in.serve.serving", o.cert ? "https" : "http", o.listen, CLI_NUM(nrev));
	rc = serve_wait(&o, http, store, cp[0], nrev);
	close(cp[0]);
	return rc;
}
