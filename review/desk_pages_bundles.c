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
			/* the casebook's reason, as the CLI gives it, is English: the
			 * page says it failed and names nothing from the bundle */
			desk_flash(d, 1, "desk_import_failed", NULL);
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
