/*
 * Follow-up: the reporter enters the receipt, gets a short session (a
 * random cookie; the derived key stays in locked memory here), reads the
 * status and the replies decrypted with the key from the receipt, and can
 * add a message or files. The derivation runs on kdf.c's workers; wrong
 * receipts past a global burst slow the follow-up lane for everyone (kdf.c)
 * without refusing anyone, so guessing is slow without tracking anyone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium/utils.h>

#include "bundle/bundle.h"
#include "intake/http.h"
#include "util/util.h"

/* The receipt form; msg_key names a message shown above it, or NULL;
 * typed (escaped) goes back into the field so that a slip can be
 * corrected rather than typed again; kept (escaped) is a message that
 * could not be sent (its session ended), given back with what to do, so
 * a refusal never loses what the reporter wrote. */
static int
enter_form_kept(struct http_app *app, struct MHD_Connection *c, unsigned status,
    const char *msg_key, const char *cookie, const char *typed, size_t typed_len, const char *kept)
{
	struct tvars v = {.n = 0};
	char tok[CSRF_TOKEN_LEN + 1];

	page_csrf(app, &v, tok);
	tv_text(&v, "message", msg_key ? web_str(http_web(app), msg_key) : "");
	tv_textn(&v, "typed", typed ? typed : "", typed ? typed_len : 0);
	tv_text(&v, "kept", kept ? kept : "");
	return page_send(app, c, status, WT_ENTER, &v, "enter.title", cookie);
}

static int
enter_form_typed(struct http_app *app, struct MHD_Connection *c, unsigned status,
    const char *msg_key, const char *cookie, const char *typed, size_t typed_len)
{
	return enter_form_kept(app, c, status, msg_key, cookie, typed, typed_len, NULL);
}

static int
enter_form(struct http_app *app, struct MHD_Connection *c, unsigned status, const char *msg_key,
    const char *cookie)
{
	return enter_form_typed(app, c, status, msg_key, cookie, NULL, 0);
}

/* Session of this request into d (caller wipes), or -1. */
static int
session_of(struct http_app *app, struct MHD_Connection *c, struct session_data *d)
{
	const char *id = http_cookie(c);
	if (id == NULL)
		return -1;
	return session_get(app->sessions, id, strlen(id), http_now_s(), d);
}

/* Who reads a follow-up: the reviewers held here whose key ids the
 * concern's body was sealed to (never anyone the reporter left out), or
 * every reviewer held here for a concern stored before the store kept
 * that list. idx[] indexes rs, a copy of the reviewers held now; dropped
 * counts readers of the concern that are no longer held here. */
struct readers {
	size_t idx[INTAKE_MAX_REVIEWERS];
	size_t n;
	int legacy;
	size_t dropped;
};

static void
readers_of(const struct revset *rs, const struct store_view *sv, struct readers *rd)
{
	memset(rd, 0, sizeof(*rd));
	if (sv->nrecipients == 0) {
		rd->legacy = 1;
		for (size_t i = 0; i < rs->n; i++)
			rd->idx[rd->n++] = i;
		return;
	}
	for (size_t k = 0; k < sv->nrecipients && k < CC_MAX_RECIPIENTS; k++) {
		size_t i = 0;
		while (i < rs->n &&
		       sodium_memcmp(rs->k[i].keyid, sv->recipients[k], CC_KEYID_BYTES) != 0)
			i++;
		if (i == rs->n)
			rd->dropped++;
		else
			rd->idx[rd->n++] = i;
	}
}

void
page_message_prepare(struct http_app *app, struct MHD_Connection *c, struct form *f)
{
	struct session_data *d = sodium_malloc(sizeof(*d));
	struct revset *rs = malloc(sizeof(*rs));
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	struct store_view sv;
	struct readers rd;

	if (d == NULL || rs == NULL) {
		form_set_readers(f, FR_FAIL, NULL, 0);
		sodium_free(d);
		free(rs);
		return;
	}
	http_revs_get(app, rs);
	if (session_of(app, c, d) != 0) {
		form_set_readers(f, FR_UNSET, NULL, 0); /* page_message_submit refuses */
	} else if (storec_fetch(app->store, d->lookup, &sv) != 0) {
		form_set_readers(f, FR_FAIL, NULL, 0);
	} else {
		readers_of(rs, &sv, &rd);
		for (size_t i = 0; i < rd.n; i++)
			cc_recipient_of(&rs->k[rd.idx[i]], &r[i]);
		form_set_readers(f, rd.n > 0 ? FR_OK : FR_NONE, r, rd.n);
	}
	sodium_free(d);
	free(rs);
}

/* Adds the list "readers" of {name, fpr} and the conditions can_send,
 * readers_legacy and readers_dropped; pr is caller storage. */
static void
readers_vars(
    struct http_app *app, const struct store_view *sv, struct tvars *v, struct page_revs *pr)
{
	struct readers rd;

	http_revs_get(app, &pr->rs);
	readers_of(&pr->rs, sv, &rd);
	for (size_t i = 0; i < rd.n; i++) {
		const struct cc_pubkey *k = &pr->rs.k[rd.idx[i]];
		cc_fingerprint(k, pr->fpr[i]);
		pr->items[i].n = 0;
		tv_text(&pr->items[i], "name", k->name);
		tv_text(&pr->items[i], "fpr", pr->fpr[i]);
	}
	tv_list(v, "readers", pr->items, rd.n);
	tv_text(v, "can_send", rd.n > 0 ? "1" : "");
	tv_text(v, "readers_legacy", rd.legacy ? "1" : "");
	tv_text(v, "readers_dropped", rd.dropped > 0 && rd.n > 0 ? "1" : "");
}

/* Reply i decrypted into a text scope; "" when it cannot be opened. */
static void
reply_text(struct http_app *app, const struct session_data *d, uint64_t seq, uint32_t i,
    struct tvars *item, uint8_t **keep, size_t *keeplen, size_t *budget)
{
	uint8_t *env = NULL, *pt = NULL;
	size_t envlen = 0, ptlen = 0, n = 0, off;
	int kind;
	struct field f[FIELDS_MAX];

	*keep = NULL;
	*keeplen = 0;
	if (storec_fetch_reply(app->store, seq, i, &env, &envlen) != 0 || envlen > HTTP_REPLY_MAX ||
	    cc_env_open(&d->key, env, envlen, &pt, &ptlen, &kind) != CC_OK ||
	    kind != CC_KIND_REPLY ||
	    fields_decode(pt, ptlen, FIELDS_REPLY, f, FIELDS_MAX, &n, &off) != 0) {
		tv_text(item, "text", web_str(http_web(app), "followup.unreadable"));
		tv_text(item, "summary", "");
		goto out;
	}
	const struct field *t = fields_get(f, n, "text"), *k = fields_get(f, n, "kind");
	if (t == NULL || !util_text_valid((const char *)t->val, t->len, 1)) {
		tv_text(item, "text", web_str(http_web(app), "followup.unreadable"));
		tv_text(item, "summary", "");
		goto out;
	}
	size_t cost = t->len; /* as escaped on the page */
	for (size_t j = 0; j < t->len; j++)
		if (strchr("&<>\"'", t->val[j]) != NULL && t->val[j] != '\0')
			cost += 5;
	if (cost > *budget) { /* the page has no room left: say so */
		tv_text(item, "text", web_str(http_web(app), "followup.toolong"));
		tv_text(item, "summary", "");
		goto out;
	}
	*budget -= cost;
	tv_textn(item, "text", (const char *)t->val, t->len);
	tv_text(item, "summary", k && k->len == 7 && memcmp(k->val, "outcome", 7) == 0 ? "1" : "");
	*keep = pt; /* the scope points into it */
	*keeplen = ptlen;
	pt = NULL;
out:
	free(env);
	if (pt != NULL)
		cc_free_wipe(pt, ptlen);
}

/* The two optional questions (util/voice.c): "detriment_yes" and the
 * like are set for the answer f (a form sent back) already holds, so a
 * slip elsewhere does not lose it. */
static void
voice_vars(struct tvars *v, const struct form *f)
{
	static const char *const keys[VOICE_QUESTIONS][VOICE_ANSWERS] = {
	    {"detriment_yes", "detriment_no", "detriment_unsaid"},
	    {"again_yes", "again_no", "again_unsure"}};
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		int a = f && f->voice[q].p ? voice_parse(q, (const uint8_t *)f->voice[q].p,
						 f->voice[q].len)
					   : -1;
		for (int i = 0; i < VOICE_ANSWERS; i++)
			tv_text(v, keys[q][i], a == i + 1 ? "1" : "");
	}
}

/* One history row as a list item: the day, what happened, and for a
 * reply its text (decrypted into keep, which the caller wipes). */
static void
event_vars(struct http_app *app, const struct session_data *d, uint64_t seq,
    const struct store_event_row *e, struct tvars *item, char nf[16], char sk[32], char ok[32],
    uint8_t **keep, size_t *keeplen, size_t *budget)
{
	item->n = 0;
	tv_text(item, "date", e->date);
	tv_text(item, "concern", e->kind == SEV_CONCERN ? "1" : "");
	tv_text(item, "status", e->kind == SEV_STATUS ? "1" : "");
	tv_text(item, "reply", e->kind == SEV_REPLY ? "1" : "");
	tv_text(item, "message", e->kind == SEV_MESSAGE ? "1" : "");
	snprintf(nf, 16, "%u", e->nfiles);
	tv_text(item, "nfiles", e->nfiles ? nf : "");
	snprintf(sk, 32, "state.%u", e->state);
	snprintf(ok, 32, "outcome.%u", e->outcome);
	tv_text(item, "state", e->kind == SEV_STATUS ? web_str(http_web(app), sk) : "");
	tv_text(item, "outcome",
	    e->kind == SEV_STATUS && e->outcome != BOUT_NONE ? web_str(http_web(app), ok) : "");
	if (e->kind != SEV_REPLY) {
		tv_text(item, "text", "");
		tv_text(item, "summary", "");
	} else if (e->reply >= HTTP_REPLIES_SHOWN) {
		tv_text(item, "text", web_str(http_web(app), "followup.toolong"));
		tv_text(item, "summary", "");
	} else {
		reply_text(app, d, seq, e->reply, item, keep, keeplen, budget);
	}
}

/* The status page; f (or NULL) is a message form that needs fixing. */
/* The store could not be asked for the page: 503. After a commit that
 * got no answer (the store stopped) the message may be stored, so the
 * page must not say "nothing was stored". */
static int
store_gone(struct http_app *app, struct MHD_Connection *c, const struct form *f)
{
	return f != NULL && f->refuse == FORM_REFUSE_UNSURE
		   ? page_error_msg(app, c, 503, "followup.maybe_stored")
		   : page_error(app, c, 503);
}

static int
followup_page(struct http_app *app, struct MHD_Connection *c, const struct session_data *d,
    const struct form *f)
{
	struct page_revs *revs = NULL;
	struct store_view sv;
	struct store_event_row *rows = NULL;
	struct tvars *v = NULL, *items = NULL;
	uint8_t **keep = NULL;
	size_t *keeplen = NULL, n = 0, budget = HTTP_REPLIES_TEXT_MAX;
	char sk[32], ok[32], tok[CSRF_TOKEN_LEN + 1], nm[16], over[FORM_FILENAME_MAX + 512];
	char limit[512];
	char(*evk)[3][32] = NULL;
	int ret, s;

	if ((s = storec_fetch(app->store, d->lookup, &sv)) != 0)
		return s == STORE_FAIL_NOTFOUND ? enter_form(app, c, 200, "enter.notfound", NULL)
						: store_gone(app, c, f);
	rows = calloc(STORE_HISTORY_MAX, sizeof(*rows));
	v = calloc(1, sizeof(*v));
	items = calloc(STORE_HISTORY_MAX, sizeof(*items));
	keep = calloc(STORE_HISTORY_MAX, sizeof(*keep));
	keeplen = calloc(STORE_HISTORY_MAX, sizeof(*keeplen));
	evk = calloc(STORE_HISTORY_MAX, sizeof(*evk));
	revs = calloc(1, sizeof(*revs));
	if (!rows || !v || !items || !keep || !keeplen || !evk || !revs ||
	    storec_history(app->store, sv.seq, rows, STORE_HISTORY_MAX, &n) != 0) {
		ret = store_gone(app, c, f);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		event_vars(app, d, sv.seq, &rows[i], &items[i], evk[i][0], evk[i][1], evk[i][2],
		    &keep[i], &keeplen[i], &budget);
	snprintf(sk, sizeof(sk), "state.%u", sv.state);
	snprintf(ok, sizeof(ok), "outcome.%u", sv.outcome);
	snprintf(nm, sizeof(nm), "%u", sv.nmessages);
	tv_text(v, "date", sv.date);
	tv_text(v, "state", web_str(http_web(app), sk));
	tv_text(v, "closed", sv.state == BSTATE_CLOSED ? "1" : "");
	tv_text(v, "outcome", sv.outcome != BOUT_NONE ? web_str(http_web(app), ok) : "");
	tv_text(v, "nmessages", nm);
	tv_text(v, "noreplies", sv.nreplies == 0 ? "1" : "");
	tv_list(v, "events", items, n);
	size_t nfiles = 0;
	for (size_t i = 0; i < n; i++)
		nfiles += rows[i].nfiles;
	tv_text(v, "files_added", nfiles ? "1" : "");
	page_csrf(app, v, tok);
	readers_vars(app, &sv, v, revs);
	tv_text(v, "text", f && f->text.p ? f->text.p : "");
	voice_vars(v, f);
	page_files_max(app, v, limit, sizeof(limit));
	if (f != NULL && form_too_much(f))
		page_over_text(app, f, over, sizeof(over));
	/* a bad answer is said beside the questions, not the message */
	int ev = f != NULL && !f->refuse && f->readers != FR_NONE && !(f->errors & FE_CSRF) &&
		 (f->errors & FE_VOICE);
	tv_text(v, "error",
	    !f || ev				 ? ""
	    : form_too_much(f)			 ? over
	    : web_str(http_web(app), f->refuse == FORM_REFUSE_FULL ? "followup.full"
				: f->refuse == FORM_REFUSE_UNSURE ? "followup.maybe_stored"
				: f->refuse		  ? "followup.busy"
				: f->readers == FR_NONE	  ? "followup.noreaders_sent"
				: (f->errors & FE_CSRF)	  ? "err.csrf"
							  : "err.text"));
	tv_text(v, "err_voice", ev ? web_str(app->web, "err.voice") : "");
	ret = page_send(app, c,
	    !f				    ? 200
	    : form_too_much(f)		    ? 413
	    : f->refuse			    ? 503
	    : f->readers == FR_NONE ? 409
				    : 400,
	    WT_FOLLOWUP, v, "followup.title", NULL);
out:
	for (size_t i = 0; keep && i < n; i++)
		if (keep[i])
			cc_free_wipe(keep[i], keeplen[i]);
	free(keep);
	free(keeplen);
	free(items);
	free(evk);
	free(rows);
	free(v);
	free(revs);
	return ret;
}

int
page_followup(struct http_app *app, struct MHD_Connection *c)
{
	struct session_data *d = sodium_malloc(sizeof(*d));
	int ret;

	if (d == NULL)
		return page_error(app, c, 503);
	if (session_of(app, c, d) != 0)
		ret = enter_form(app, c, 200, NULL, NULL);
	else
		ret = followup_page(app, c, d, NULL);
	sodium_free(d);
	return ret;
}

int
page_receipt_submit(
    struct http_app *app, struct MHD_Connection *c, struct form *f, struct kdf_job **jobp)
{
	char cookie[256], id[SESSION_ID_HEX + 1];
	struct session_data *d = NULL;
	struct kdf_job *j = *jobp;
	int ret, r;

	if (j == NULL) {
		/* First call: check, then queue the derivation. */
		char canon[CC_RCPT_CHARS + 1];
		if (form_validate(f, http_web(app)) != 0)
			return enter_form(app, c, (f->errors & FE_CSRF) ? 403 : 400,
			    (f->errors & FE_CSRF) ? "err.csrf" : "enter.empty", NULL);
		r = cc_rcpt_parse(f->receipt.p, f->receipt.len, canon);
		/* "one character is wrong" only when one character would fix it */
		if (r == CC_ETYPO)
			return enter_form_typed(app, c, 400,
			    cc_rcpt_near(f->receipt.p, f->receipt.len) ? "enter.typo"
								       : "enter.notours",
			    NULL, f->receipt.p, f->receipt.len);
		if (r != CC_OK)
			return enter_form_typed(
			    app, c, 400, "enter.format", NULL, f->receipt.p, f->receipt.len);
		/* One receipt (a concern) gets a bounded share of the KDF, so
		 * re-posting it from many places cannot fill the queue. */
		if (!rcptlim_take(app->rcpt, canon, strlen(canon), mono_ms()) ||
		    (j = http_job_get()) == NULL) {
			sodium_memzero(canon, sizeof(canon));
			return enter_form(app, c, 503, "enter.busy", NULL);
		}
		memset(j, 0, sizeof(*j));
		j->lane = KDF_RECEIPT;
		memcpy(j->canon, canon, sizeof(canon));
		sodium_memzero(canon, sizeof(canon));
		*jobp = j;
		return http_kdf_queue(app, c, j) == 0 ? MHD_YES : MHD_NO;
	}
	if (j->result == KDF_PENDING)
		return MHD_YES; /* not resumed by the worker: cannot happen */
	if (j->result == KDF_NOTFOUND)
		return enter_form(app, c, 404, "enter.notfound", NULL);
	if (j->result != KDF_OK || (d = sodium_malloc(sizeof(*d))) == NULL)
		return enter_form(app, c, 503, "enter.busy", NULL);
	memcpy(d->lookup, j->lookup, CC_HASH_BYTES);
	d->key = j->key;
	if (session_create(app->sessions, d, http_now_s(), id) != 0) {
		ret = enter_form(app, c, 503, "enter.busy", NULL);
		goto out;
	}
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    HTTP_COOKIE, id, HTTP_SESSION_TTL, app->tls ? "; Secure" : "");
	char loc[32]; /* the language prefix the visit chose, kept */
	snprintf(loc, sizeof(loc), "%s/followup", http_view.base ? http_view.base : "");
	struct http_resp rs = {.status = 303, .location = loc, .cookie = cookie};
	ret = http_send(c, &rs);
	sodium_memzero(cookie, sizeof(cookie));
	sodium_memzero(id, sizeof(id));
out:
	sodium_free(d);
	return ret;
}

/* "Received", with the files the message brought and what became of
 * their hidden details (page_files.c). */
static int
sent_page(struct http_app *app, struct MHD_Connection *c, const struct form *f)
{
	struct tvars v = {.n = 0};
	struct page_files *pf = calloc(1, sizeof(*pf));
	int ret;

	if (pf == NULL)
		return page_error(app, c, 503);
	page_files(app, &v, f, pf);
	ret = page_send(app, c, 200, WT_SENT, &v, "sent.title", NULL);
	free(pf);
	return ret;
}

int
page_message_submit(struct http_app *app, struct MHD_Connection *c, struct form *f)
{
	struct session_data *d = sodium_malloc(sizeof(*d));
	struct store_commit *sc = calloc(1, sizeof(*sc));
	int ret;

	if (d == NULL || sc == NULL) {
		ret = page_error(app, c, 503);
		goto out;
	}
	if (session_of(app, c, d) != 0) {
		form_abort(f);
		ret = enter_form_kept(
		    app, c, 403, "enter.expired", NULL, NULL, 0, f->text.p ? f->text.p : "");
		goto out;
	}
	if (f->readers == FR_FAIL || f->readers == FR_UNSET) {
		form_refuse(f, FORM_REFUSE_BUSY); /* the page keeps the text */
		ret = followup_page(app, c, d, f);
		goto out;
	}
	/* Nobody left who may read it: refuse, and say so, before anything
	 * is sealed (no file was: form.c dropped their bytes). */
	if (f->readers == FR_NONE || form_validate(f, http_web(app)) != 0) {
		form_abort(f);
		ret = followup_page(app, c, d, f);
		goto out;
	}
	sc->parent_lookup = d->lookup;
	if (f->refuse || !bucket_take(&app->budget, mono_ms()) ||
	    page_commit(app, f, CC_KIND_MESSAGE, sc) != 0) {
		form_refuse(f, f->refuse ? f->refuse : FORM_REFUSE_BUSY);
		ret = followup_page(app, c, d, f); /* 503 with the text */
		goto out;
	}
	ret = sent_page(app, c, f);
out:
	if (d != NULL)
		sodium_free(d);
	free(sc);
	return ret;
}
