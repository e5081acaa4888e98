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
		if (util_read_file(file, CB_TEXT_MAX, &buf, &len) != 0) {
			rv_err(cmd, "cannot read %s: %s", file,
			    errno == EFBIG ? "over the size limit" : strerror(errno));
			return 1;
		}
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		goto out;
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

/* 1 if this reviewer may sign an item for concern cid at seq: the concern
 * is here, at that seq, not purged, and sealed to this reviewer (they hold
 * its concern key). Anyone who can write the casebook file and holds the
 * casebook key can add a well-tagged outbox row; without this check they
 * could have a reviewer the reporter chose sign it, or the reviewer left
 * out sign an answer for a concern they were never given. */
static int
may_sign(struct casebook *cb, const char *cid, uint64_t seq)
{
	struct cb_concern c;

	return cid != NULL && cb_concern_load(cb, cid, &c) == 0 && c.seq == seq && c.readable &&
	       !c.purged;
}

/* Marks the exported items sent (ids: n x BUNDLE_ITEM_ID_BYTES). */
static int
mark_sent(struct casebook *cb, const uint8_t *ids, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(cb_db(cb), "UPDATE outbox SET exported=1 WHERE item_id=?", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_blob(
		    st, 1, ids + i * BUNDLE_ITEM_ID_BYTES, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
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
	struct bundle_w *w = NULL;
	sqlite3_stmt *st = NULL;
	const char *pos[1];
	char detail[64];
	uint8_t *ids = NULL;
	size_t cap = 0;
	int r, rc = 1, n = 0, skipped = 0;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (out == NULL) {
		rv_err(cmd, "--out BUNDLE is required");
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0 || sqlite3_prepare_v2(cb_db(cb),
				     "SELECT item_id, target_seq, type, state, outcome, date, env,"
				     " concern_id, tag FROM outbox WHERE exported=0 ORDER BY rowid",
				     -1, &st, NULL) != SQLITE_OK) {
		rv_err(cmd, "cannot read the casebook");
		goto done;
	}
	r = bundle_w_create(out, BUNDLE_REPLIES, 0, NULL, cb_intake_pk(cb), &w);
	if (r != 0) {
		rv_err(cmd, "cannot create %s: %s", out,
		    errno == EEXIST ? "it exists; choose a new name" : bundle_strerror(r));
		goto done;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct bitem it;
		const uint8_t *env = sqlite3_column_blob(st, 6);
		size_t envlen = (size_t)sqlite3_column_bytes(st, 6);
		const char *date = (const char *)sqlite3_column_text(st, 5);

		memset(&it, 0, sizeof(it));
		if (sqlite3_column_bytes(st, 0) != BUNDLE_ITEM_ID_BYTES || date == NULL ||
		    strlen(date) != BUNDLE_DATE_LEN)
			goto bad;
		/* sign only rows this tool wrote: a row added or changed in the
		 * file (a forged reply to the reporter) fails its sealed tag */
		if (cb_outbox_check(cb, sqlite3_column_blob(st, 0),
			(const char *)sqlite3_column_text(st, 7),
			(uint64_t)sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
			sqlite3_column_int(st, 3), sqlite3_column_int(st, 4), date,
			sqlite3_column_type(st, 6) == SQLITE_BLOB ? env : NULL, envlen,
			sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8)) != 0) {
			rv_err(cmd, "an outbox item was changed outside candour-review; nothing"
				    " written or marked as sent");
			goto done;
		}
		const char *cid = (const char *)sqlite3_column_text(st, 7);
		if (!may_sign(cb, cid, (uint64_t)sqlite3_column_int64(st, 1))) {
			/* cid is printed only if it has an id's shape: a row tagged
			 * by someone holding the casebook key may carry anything */
			rv_err(cmd,
			    "left out an item for concern %s: you cannot read it, so you do not"
			    " sign for it; it stays pending for a reviewer who can",
			    cid != NULL && cb_id_valid(cid) ? cid : "(not a concern id)");
			skipped++;
			continue;
		}
		if ((size_t)n == cap) {
			uint8_t *more;
			cap = cap ? cap * 2 : 16;
			if ((more = realloc(ids, cap * BUNDLE_ITEM_ID_BYTES)) == NULL)
				goto bad;
			ids = more;
		}
		memcpy(ids + (size_t)n * BUNDLE_ITEM_ID_BYTES, sqlite3_column_blob(st, 0),
		    BUNDLE_ITEM_ID_BYTES);
		memcpy(it.id, sqlite3_column_blob(st, 0), BUNDLE_ITEM_ID_BYTES);
		it.target_seq = (uint64_t)sqlite3_column_int64(st, 1);
		it.type = (uint8_t)sqlite3_column_int(st, 2);
		it.state = (uint8_t)sqlite3_column_int(st, 3);
		it.outcome = (uint8_t)sqlite3_column_int(st, 4);
		memcpy(it.date, date, BUNDLE_DATE_LEN + 1);
		if (sqlite3_column_type(st, 6) == SQLITE_BLOB) {
			it.has_env = 1;
			it.env.len = envlen;
			cc_hash(env, envlen, it.env.hash);
		} else
			env = NULL, envlen = 0;
		if (bundle_w_item(w, &it, env, envlen) != 0)
			goto bad;
		n++;
	}
	if (r != SQLITE_DONE)
		goto bad;
	sqlite3_finalize(st);
	st = NULL;
	if (n == 0) {
		bundle_w_abort(w);
		w = NULL;
		printf(skipped ? "nothing pending that you can sign; no bundle written\n"
			       : "nothing pending; no bundle written\n");
		rc = 0;
		goto done;
	}
	r = bundle_w_commit(w, cb_seckey(cb)->sign_sk, cb_seckey(cb)->pub.sign_pk);
	w = NULL;
	if (r != 0) {
		rv_err(cmd, "cannot write %s: %s; nothing marked as sent", out, bundle_strerror(r));
		goto done;
	}
	/* the file is in place: mark the same items sent in the same transaction */
	snprintf(detail, sizeof(detail), "%d items", n);
	if (mark_sent(cb, ids, (size_t)n) != 0 ||
	    cb_audit(cb, "export-replies", NULL, detail) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd,
		    "wrote %s but could not mark its items sent; they will be sent again"
		    " (the intake ignores repeats)",
		    out);
		goto done;
	}
	printf("wrote %s: %d item%s signed by %s\n", out, n, n == 1 ? "" : "s", cb_reviewer(cb));
	rc = 0;
	goto done;
bad:
	rv_err(cmd, "cannot write the reply bundle; nothing marked as sent");
done:
	if (w != NULL)
		bundle_w_abort(w);
	sqlite3_finalize(st);
	free(ids);
	cb_close(cb);
	return rc;
}
