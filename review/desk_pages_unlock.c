/* The passphrase page: the key file is opened with the passphrase typed
 * (Argon2id, as every command does) and the casebook with the key; both
 * live in sodium_malloc'd memory until the desk ends. */
#include <string.h>

#include "review/desk.h"

void
desk_page_unlock(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	struct tvars v = {0};

	(void)r;
	if (d->cb != NULL) {
		desk_redirect(o, "/");
		return;
	}
	tv_text(&v, "error", d->unlock_err[0] ? desk_t(d, d->unlock_err) : "");
	tv_text(&v, "key", d->o.key);
	d->unlock_err[0] = '\0';
	desk_render(d, o, "unlock", "desk_unlock_title", &v);
}

void
desk_page_unlock_post(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *pass = desk_arg(r, "passphrase");
	struct cc_seckey *sk = NULL;
	size_t n;

	if (d->cb != NULL) {
		desk_redirect(o, "/");
		return;
	}
	if (pass == NULL || (n = strlen(pass)) == 0 || n > RV_PASS_MAX) {
		snprintf(d->unlock_err, sizeof(d->unlock_err), "desk_unlock_empty");
		desk_redirect(o, "/unlock");
		return;
	}
	(void)rv_test_kdf();
	if (cc_seckey_open(d->keyfile, d->keyfile_len, pass, n, &sk) != CC_OK) {
		snprintf(d->unlock_err, sizeof(d->unlock_err), "desk_unlock_wrong");
		desk_redirect(o, "/unlock");
		return;
	}
	if (desk_unlock_with(d, sk) != 0) {
		desk_redirect(o, "/unlock");
		return;
	}
	desk_redirect(o, "/");
}
