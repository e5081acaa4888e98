/*
 * Bundles: import an intake export from a path (a USB stick) and write
 * the pending replies to a path, through cb_import and cb_export_replies,
 * as `import` and `export-replies` do. Paths are typed by the reviewer on
 * their own machine; the desk reads and writes only what they name.
 */
#include <string.h>

#include "review/desk.h"
#include "util/util.h"

void
desk_page_bundles(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	struct tvars v = {0};

	(void)r;
	desk_render(d, o, "bundles", "desk_bundles_title", &v);
}

/* One line of text naming a path: not empty, no control characters. */
static int
path_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	return n > 0 && n < DESK_PATH_MAX && util_text_valid(p, n, 0);
}

/* Each refusal's catalogue key, by enum cb_import_refusal: the reason and
 * what to do, as the CLI's line says them, in the desk's language. */
static const char *const refused_key[CB_IMP_REFUSALS] = {
    [CB_IMP_READ] = "desk_import_no_read",
    [CB_IMP_SIG] = "desk_import_no_sig",
    [CB_IMP_TAMPER] = "desk_import_no_tamper",
    [CB_IMP_KIND] = "desk_import_no_kind",
    [CB_IMP_FORMAT] = "desk_import_no_format",
    [CB_IMP_GAP] = "desk_import_no_gap",
    [CB_IMP_FORK] = "desk_import_no_fork",
    [CB_IMP_LACKS] = "desk_import_no_lacks",
    [CB_IMP_RECORD] = "desk_import_no_record",
    [CB_IMP_NEWER] = "desk_import_no_newer",
    [CB_IMP_BUSY] = "desk_import_no_busy",
    [CB_IMP_DISK] = "desk_import_no_disk",
    [CB_IMP_MEMORY] = "desk_import_no_memory",
};

/* {1}: the record (or the bundle's first), {2}: the casebook's last. */
static void
import_refused(struct desk *d, const struct cb_import_res *res)
{
	char at[24], head[24];
	const char *args[2] = {at, head};

	if (res->refused <= CB_IMP_NONE || res->refused >= CB_IMP_REFUSALS) {
		desk_flash(d, 1, "desk_import_failed", NULL);
		return;
	}
	snprintf(at, sizeof(at), "%llu", (unsigned long long)res->refused_at);
	snprintf(head, sizeof(head), "%llu", (unsigned long long)res->refused_head);
	desk_flash_fmt(d, 1, refused_key[res->refused], args, 2);
}

void
desk_page_bundles_post(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *kind = desk_arg(r, "kind"), *path = desk_arg(r, "path");
	char msg[160];

	if (kind == NULL || !path_ok(path)) {
		desk_flash(d, 1, "desk_bad_path", NULL);
		desk_redirect(o, "/bundles");
		return;
	}
	if (strcmp(kind, "import") == 0) {
		struct cb_import_res res;
		char why[DESK_PATH_MAX + 512];
		if (cb_import(d->cb, path, &res, why, sizeof(why)) != 0) {
			/* why is the CLI's English line: the page says the same
			 * reason from the catalogues, naming nothing from the
			 * bundle but record numbers */
			import_refused(d, &res);
		} else {
			snprintf(msg, sizeof(msg), "%u / %u / %llu", res.readable, res.unreadable,
			    (unsigned long long)res.held);
			desk_flash(d, 0, "desk_imported", msg);
		}
	} else if (strcmp(kind, "export") == 0) {
		struct cb_export_res res;
		int rc = cb_export_replies(d->cb, path, NULL, NULL, &res);
		snprintf(msg, sizeof(msg), "%d", res.n);
		if (rc == CB_EXP_CREATE)
			desk_flash(d, 1, "desk_export_exists", NULL);
		else if (rc != CB_EXP_OK)
			desk_flash(d, 1, "desk_export_failed", NULL);
		else
			desk_flash(d, 0, res.n ? "desk_exported" : "desk_export_nothing",
			    res.n ? msg : "");
	} else {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	desk_redirect(o, "/bundles");
}
