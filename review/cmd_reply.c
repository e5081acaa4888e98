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
		rv_err(cmd, "the editor '%.60s' is not a command; set VISUAL or EDITOR", ed);
		return -1;
	}
	memcpy(prog, ed, plen);
	prog[plen] = '\0';
	if (strchr(prog, '/') != NULL ? access(prog, X_OK) != 0 : !in_path(prog)) {
		rv_err(cmd,
		    "cannot start the editor '%s'; set VISUAL or EDITOR, or give TEXT or"
		    " --file; nothing sent",
		    prog);
		return -1;
	}
	if (snprintf(dir, sizeof(dir), "%s/candour-reply-XXXXXX", tmp ? tmp : "/tmp") >=
		(int)sizeof(dir) ||
	    mkdtemp(dir) == NULL) {
		rv_err(cmd, "cannot make a private directory for the editor");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/reply.txt", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		rmdir(dir);
		rv_err(cmd, "cannot create the reply file");
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
		rv_err(cmd, "the editor (%s) failed; nothing sent", ed);
	else if (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127)
		rv_err(cmd,
		    "cannot start the editor '%s'; set VISUAL or EDITOR, or give TEXT or"
		    " --file; nothing sent",
		    ed);
	else if (WEXITSTATUS(status) != 0)
		rv_err(cmd, "the editor (%s) exited with status %d; nothing sent", ed,
		    WEXITSTATUS(status));
	else if (util_read_file(path, CB_TEXT_MAX, buf, len) != 0)
		rv_err(cmd, "cannot read the reply back (over %zu bytes?)", CB_TEXT_MAX);
	else
		rc = 0;
	wipe_dir(dir);
	return rc;
}

int
cmd_reply(int argc, char **argv)
{
	const char *cmd = "reply", *pos[2] = {NULL, NULL}, *file = NULL;
	struct rv_argspec sp = {
	    "candour-review reply --casebook FILE --key NAME.sec ID"
	    " [TEXT | --file FILE]\nWrites a reply sealed to the reporter's key (only the"
	    " receipt opens it). Without\nTEXT or --file, an editor is started: $VISUAL, else"
	    " $EDITOR, else `editor`,\nelse vi. Sent by the next export-replies.",
	    1, "ID", {"--file"}, {&file}, {NULL}, {NULL}, 1};
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
		rv_err(cmd, "give TEXT or --file, not both");
		return 2;
	}
	if (pos[1] != NULL) {
		if ((buf = (uint8_t *)strdup(pos[1])) == NULL)
			return 1;
		len = strlen(pos[1]);
	} else if (file != NULL) {
		if (rv_cli_in_file(cmd, file, "give the path of the file that holds the reply") != 0)
			return 2;
		if (util_read_file(file, CB_TEXT_MAX, &buf, &len) != 0) {
			rv_err(cmd, "cannot read %s: %s", file,
			    errno == EFBIG ? "over the size limit" : strerror(errno));
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
		rv_err(cmd, "%s is %s%s", c.id, c.purged ? "purged" : cb_unreadable_why(&c),
		    c.purged ? "" : "; you cannot read it, so you cannot reply");
		goto out;
	}
	if (buf == NULL && from_editor(cmd, &buf, &len) != 0)
		goto out;
	len = cb_act_reply_trim((const char *)buf, len);
	buf[len] = '\0';
	text = (const char *)buf;
	if (len == 0 || !util_text_valid(text, len, 1)) {
		rv_err(cmd, "the reply is empty or not valid UTF-8 text; nothing sent");
		goto out;
	}
	if (cb_begin(cb) != 0 || cb_act_reply(cb, &c, text, len) != CB_ACT_OK ||
	    cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the casebook; nothing changed");
		goto out;
	}
	printf("%s: reply sealed to the reporter; send it with export-replies\n", c.id);
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
	rv_err("export-replies",
	    "left out an item for concern %s: you cannot read it, so you do not"
	    " sign for it; it stays pending for a reviewer who can",
	    cid != NULL && cb_id_valid(cid) ? cid : "(not a concern id)");
}

int
cmd_export_replies(int argc, char **argv)
{
	const char *cmd = "export-replies", *out = NULL;
	struct rv_argspec sp = {
	    "candour-review export-replies --casebook FILE --key NAME.sec"
	    " --out BUNDLE\nWrites every pending status change and reply to a new bundle signed"
	    " with your\nkey, for `candour-intake import-replies`. Items for concerns you cannot"
	    " read are\nleft pending for a reviewer who can.",
	    0, "", {"--out"}, {&out}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_export_res res;
	const char *pos[1];
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (out == NULL) {
		rv_err(cmd, "--out BUNDLE is required");
		return 2;
	}
	if (rv_cli_out_file(cmd, out, 1, "give --out a new file name in a directory you can write") !=
	    0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	switch (cb_export_replies(cb, out, skipped_item, NULL, &res)) {
	case CB_EXP_OK:
		if (res.n == 0)
			printf(res.skipped
				   ? "nothing pending that you can sign; no bundle written\n"
				   : "nothing pending; no bundle written\n");
		else
			printf("wrote %s: %d item%s signed by %s\n", out, res.n,
			    res.n == 1 ? "" : "s", cb_reviewer(cb));
		rc = 0;
		break;
	case CB_EXP_READ:
		rv_err(cmd, "cannot read the casebook");
		break;
	case CB_EXP_CREATE:
		rv_err(cmd, "cannot create %s: %s", out,
		    res.errnum == EEXIST ? "it exists; choose a new name"
					 : bundle_strerror(res.bundle_rc));
		break;
	case CB_EXP_TAMPERED:
		rv_err(cmd, "an outbox item was changed outside candour-review; nothing"
			    " written or marked as sent");
		break;
	case CB_EXP_WRITE:
		rv_err(cmd, "cannot write %s: %s; nothing marked as sent", out,
		    bundle_strerror(res.bundle_rc));
		break;
	case CB_EXP_MARK:
		rv_err(cmd,
		    "wrote %s but could not mark its items sent; they will be sent again"
		    " (the intake ignores repeats)",
		    out);
		break;
	default:
		rv_err(cmd, "cannot write the reply bundle; nothing marked as sent");
	}
	cb_close(cb);
	return rc;
}
