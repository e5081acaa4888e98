/*
 * What serve checks before it creates anything: where web/ is, that the
 * --user exists, and whether --db starts a new intake. A serve that fails
 * must leave no new database and no new signing key behind, and a typo in
 * --db must not quietly start a second intake beside the first.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intake/http.h"
#include "tmpl/tmpl.h"

int
serve_find_web(char *out, size_t outlen, char *tried, size_t triedlen)
{
	return tmpl_find_web("templates/layout.html", out, outlen, tried, triedlen);
}

int
serve_check_user(const char *user, const char **why)
{
	struct passwd *pw;

	if (user == NULL)
		return 0;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		*why = "--user: no such user";
		return -1;
	}
	if (pw->pw_uid == 0) {
		*why = "--user must be an unprivileged user, not root";
		return -1;
	}
	return 0;
}

/* An intake always has DB.sign.key beside its database (made on its
 * first start): any such file in the directory means one lives there. */
int
serve_check_new(const char *db, int *is_new, char *why, size_t whylen)
{
	struct stat st;
	char dir[PATH_MAX];
	const char *slash, *base;
	DIR *d;
	struct dirent *e;

	*is_new = 0;
	if (stat(db, &st) == 0)
		return 0;
	if (errno != ENOENT) {
		CLI_FILL(why, whylen, "cli.in.serve.db_unread", db);
		return -1;
	}
	slash = strrchr(db, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db), db) >= (int)sizeof(dir))
		return -1;
	if (dir[0] == '\0')
		snprintf(dir, sizeof(dir), "/");
	if ((d = opendir(dir)) == NULL) {
		CLI_FILL(why, whylen, "cli.in.serve.db_dir_unread", db);
		return -1;
	}
	base = slash == NULL ? db : slash + 1;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		/* a staged key (.sign.key.new) of another name: an interrupted
		 * first start whose database may exist; only our own is new */
		if (l > 13 && strcmp(e->d_name + l - 13, ".sign.key.new") == 0 &&
		    ((size_t)(l - 13) != strlen(base) || strncmp(e->d_name, base, l - 13) != 0))
			l -= 4;
		if (l > 9 && strncmp(e->d_name + l - 9, ".sign.key", 9) == 0 &&
		    strlen(base) == l - 9 && strncmp(e->d_name, base, l - 9) == 0 &&
		    e->d_name[l] == '\0') {
			CLI_FILL(why, whylen, "cli.in.serve.db_key_only", db);
			closedir(d);
			return -1;
		}
		if (l > 9 && strncmp(e->d_name + l - 9, ".sign.key", 9) == 0) {
			char name[sizeof(e->d_name)];
			snprintf(name, sizeof(name), "%.*s", (int)(l - 9), e->d_name);
			CLI_FILL(why, whylen, "cli.in.serve.db_other", db, dir, name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	*is_new = 1;
	return 0;
}

/* The address goes into a Location header and into href attributes (where
 * it is escaped anyway): nothing that could end a header or an attribute,
 * and a host after https://, so it cannot be a path on this site. */
int
serve_leave_url_ok(const char *url)
{
	static const char scheme[] = "https://";
	size_t n = strlen(url), s = sizeof(scheme) - 1;

	if (n > HTTP_LEAVE_URL_MAX || n <= s || strncmp(url, scheme, s) != 0)
		return 0;
	if (url[s] == '/' || url[s] == '.' || url[s] == ':')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"'<>\\`{}|^", c) != NULL)
			return 0;
	}
	return 1;
}
