/* reply (TEXT, --file or $EDITOR) and export-replies. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* Overwrites and removes every file in the editor's private directory,
 * then the directory: editors leave backup and swap copies of the reply
 * (reply.txt~, .reply.txt.swp) next to it. Links are removed, never
 * followed. */
static void
wipe_dir(const char *dir)
{
	static const uint8_t z[4096];
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	int dfd, fd;

	if (d == NULL)
		return;
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			(void)unlinkat(dfd, e->d_name, AT_REMOVEDIR);
			continue;
		}
		if (S_ISREG(sb.st_mode) &&
		    (fd = openat(dfd, e->d_name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
			for (off_t w = 0; w < sb.st_size; w += (off_t)sizeof(z))
				if (write(fd, z, sizeof(z)) < 0)
					break;
			fsync(fd);
			close(fd);
		}
		(void)unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
	rmdir(dir);
}

/* 1 if name is an executable file in a directory of $PATH. */
static int
in_path(const char *name)
{
	const char *p = getenv("PATH");
	char dir[4096];

	if (p == NULL || *p == '\0')
		p = "/usr/bin:/bin";
	while (*p != '\0') {
		size_t n = strcspn(p, ":");
		if (n > 0 && n < sizeof(dir) - 1 - strlen(name) - 1) {
			memcpy(dir, p, n);
			snprintf(dir + n, sizeof(dir) - n, "/%s", name);
			if (access(dir, X_OK) == 0)
				return 1;
		}
		p += n + (p[n] == ':');
	}
	return 0;
}

/* The editor a person expects: $VISUAL, then $EDITOR, then Debian's
 * `editor` alternative, then vi. Returned as given (it may hold
 * arguments, e.g. "emacs -nw": the shell splits it). */
const char *
rv_editor(void)
{
	const char *e;

	if ((e = getenv("VISUAL")) != NULL && *e != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && *e != '\0')
		return e;
	return in_path("editor") ? "editor" : "vi";
}

/* Runs rv_editor() on a new empty file in a private directory and reads
 * what was written; everything in the directory is overwritten and removed
 * after (wipe_dir). */
static int
from_editor(const char *cmd, uint8_t **buf, size_t *len)
{
	const char *ed = rv_editor(), *tmp = getenv("TMPDIR");
	char dir[4096], path[4200], prog[256];
	size_t plen = strcspn(ed, " \t");
	pid_t pid;
	int status, fd, rc = -1;

	/* the command must exist before anything is written: one clear line
	 * rather than the shell's "exec: ...: not found" */
	if (plen == 0 || plen >= sizeof(prog)) {
		RV_ERR(cmd, "cli.rv.reply.editor_bad", cli_head(ed, 60));
		return -1;
	}
	memcpy(prog, ed, plen);
	prog[plen] = '\0';
	if (strchr(prog, '/') != NULL ? access(prog, X_OK) != 0 : !in_path(prog)) {
		RV_ERR(cmd, "cli.rv.reply.editor_start", prog);
		return -1;
	}
	if (snprintf(dir, sizeof(dir), "%s/candour-reply-XXXXXX", tmp ? tmp : "/tmp") >=
		(int)sizeof(dir) ||
	    mkdtemp(dir) == NULL) {
		RV_ERR(cmd, "cli.rv.reply.no_tmpdir");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/reply.txt", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		rmdir(dir);
		RV_ERR(cmd, "cli.rv.reply.no_file");
		return -1;
	}
	close(fd);
	fflush(NULL);
	/* the editor chosen above is the one that runs: passed as $1, so an
	 * unset $EDITOR is never what the shell executes */
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", "exec $1 \"$2\"", "sh", ed, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		RV_ERR(cmd, "cli.rv.reply.editor_failed", ed);
	else if (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127)
		RV_ERR(cmd, "cli.rv.reply.editor_start", ed);
	else if (WEXITSTATUS(status) != 0)
		RV_ERR(cmd, "cli.rv.reply.editor_status", ed, CLI_NUM(WEXITSTATUS(status)));
	else if (util_read_file(path, CB_TEXT_MAX, buf, len) != 0)
		RV_ERR(cmd, "cli.rv.reply.read_back", CLI_NUM(CB_TEXT_MAX));
	else
		rc = 0;
	wipe_dir(dir);
	return rc;
}

int
cmd_reply(int argc, char **argv)
{
	const char *cmd = "reply", *pos[2] = {NULL, NULL}, *file = NULL;
	struct rv_argspec sp = {"cli.rv.reply.usage",
	    1, "cli.rv.reply.pos", {"--file"}, {&file}, {NULL}, {NULL}, 1};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	uint8_t *buf = NULL;
	size_t len = 0;
	const char *text;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (pos[1] != NULL && file != NULL) {
		RV_ERR(cmd, "cli.rv.reply.both");
		return 2;
	}
	if (pos[1] != NULL) {
		if ((buf = (uint8_t *)strdup(pos[1])) == NULL)
			return 1;
		len = strlen(pos[1]);
	} else if (file != NULL) {
		if (rv_cli_in_file(cmd, file, "cli.rv.todo.reply_file") != 0)
			return 2;
		if (util_read_file(file, CB_TEXT_MAX, &buf, &len) != 0) {
			RV_ERR(cmd, "cli.rv.cannot_read", file,
			    errno == EFBIG ? CLI_T("cli.rv.over_limit") : cli_phrase(strerror(errno)));
			return 1;
		}
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if (rv_cli_concern(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (c.purged || !c.readable) {
		if (c.purged)
			RV_ERR(cmd, "cli.rv.reply.purged", c.id);
		else
			RV_ERR(cmd, "cli.rv.reply.unreadable", c.id, cli_phrase(cb_unreadable_why(&c)));
		goto out;
	}
	if (buf == NULL && from_editor(cmd, &buf, &len) != 0)
		goto out;
	len = cb_act_reply_trim((const char *)buf, len);
	buf[len] = '\0';
	text = (const char *)buf;
	if (len == 0 || !util_text_valid(text, len, 1)) {
		RV_ERR(cmd, "cli.rv.reply.empty");
		goto out;
	}
	if (cb_begin(cb) != 0 || cb_act_reply(cb, &c, text, len) != CB_ACT_OK ||
	    cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.write_failed");
		goto out;
	}
	CLI_PUT(stdout, "cli.rv.reply.done", c.id);
	rc = 0;
out:
	if (buf != NULL)
		cc_free_wipe(buf, len);
	cb_close(cb);
	return rc;
}

static void
skipped_item(void *ctx, const char *cid)
{
	(void)ctx;
	/* cid is printed only if it has an id's shape: a row tagged by
	 * someone holding the casebook key may carry anything */
	RV_ERR("export-replies", "cli.rv.export.left_out",
	    cid != NULL && cb_id_valid(cid) ? cid : CLI_T("cli.rv.export.not_id"));
}

int
cmd_export_replies(int argc, char **argv)
{
	const char *cmd = "export-replies", *out = NULL;
	struct rv_argspec sp = {"cli.rv.export_replies.usage",
	    0, "", {"--out"}, {&out}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_export_res res;
	const char *pos[1];
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (out == NULL) {
		RV_ERR(cmd, "cli.rv.export.no_out");
		return 2;
	}
	if (rv_cli_out_file(cmd, out, 1, "cli.rv.todo.out_new") !=
	    0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	switch (cb_export_replies(cb, out, skipped_item, NULL, &res)) {
	case CB_EXP_OK:
		if (res.n == 0)
			CLI_PUT(stdout, res.skipped ? "cli.rv.export.none_signable" : "cli.rv.export.none");
		else
			CLI_PUT(stdout, res.n == 1 ? "cli.rv.export.done1" : "cli.rv.export.done", out,
			    CLI_NUM(res.n), cb_reviewer(cb));
		rc = 0;
		break;
	case CB_EXP_READ:
		RV_ERR(cmd, "cli.rv.casebook_unreadable");
		break;
	case CB_EXP_CREATE:
		RV_ERR(cmd, "cli.rv.cannot_create", out,
		    res.errnum == EEXIST ? CLI_T("cli.rv.exists_new_name")
					 : cli_phrase(bundle_strerror(res.bundle_rc)));
		break;
	case CB_EXP_TAMPERED:
		RV_ERR(cmd, "cli.rv.export.tampered");
		break;
	case CB_EXP_WRITE:
		RV_ERR(cmd, "cli.rv.export.write", out, cli_phrase(bundle_strerror(res.bundle_rc)));
		break;
	case CB_EXP_MARK:
		RV_ERR(cmd, "cli.rv.export.mark", out);
		break;
	default:
		RV_ERR(cmd, "cli.rv.export.failed");
	}
	cb_close(cb);
	return rc;
}
