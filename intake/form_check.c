/*
 * Validation of the fields a form brought in, and the plaintext that gets
 * sealed (util fields format, SECURITY.md "intake-http"). Text is checked
 * strictly (UTF-8, no control characters); browsers' CRLF become LF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "intake/http.h"
#include "util/util.h"

/* CRLF and lone CR become LF, in place. */
static void
unix_newlines(struct form_text *t)
{
	size_t o = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->p[i] == '\r') {
			t->p[o++] = '\n';
			if (i + 1 < t->len && t->p[i + 1] == '\n')
				i++;
		} else {
			t->p[o++] = t->p[i];
		}
	}
	t->len = o;
	t->p[o] = '\0';
}

static int
blank(const struct form_text *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->p[i] != ' ' && t->p[i] != '\n' && t->p[i] != '\t')
			return 0;
	return 1;
}

/* 1 when the field is absent/empty or valid single-line text in its limit. */
static int
line_ok(const struct form_text *t)
{
	return t->seen != 2 && (t->len == 0 || util_text_valid(t->p, t->len, 0));
}

/* 1 if t is exactly s: the length too, so that "other\0<script>" is not
 * "other" (a form value may hold a NUL; strcmp would stop at it). */
static int
is(const struct form_text *t, const char *s)
{
	return t->p != NULL && t->len == strlen(s) && memcmp(t->p, s, t->len) == 0;
}

static int
yes_no(const struct form_text *t)
{
	return is(t, "yes") || is(t, "no");
}

static int
month_ok(const struct form_text *t)
{
	if (t->len == 0)
		return 1;
	if (t->len != 7 || t->p[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (t->p[i] < '0' || t->p[i] > '9'))
			return 0;
	int y = atoi(t->p), m = atoi(t->p + 5);
	return y >= 1990 && y <= 2100 && m >= 1 && m <= 12;
}

/* Calls fn on each non-empty trimmed line of refs; -1 if fn fails. */
static int
each_ref(const struct form_text *t, int (*fn)(void *, const char *, size_t), void *ctx)
{
	size_t i = 0;
	while (i < t->len) {
		size_t e = i;
		while (e < t->len && t->p[e] != '\n')
			e++;
		size_t a = i, b = e;
		while (a < b && (t->p[a] == ' ' || t->p[a] == '\t'))
			a++;
		while (b > a && (t->p[b - 1] == ' ' || t->p[b - 1] == '\t'))
			b--;
		if (b > a && fn(ctx, t->p + a, b - a) != 0)
			return -1;
		i = e + 1;
	}
	return 0;
}

static int
count_ref(void *ctx, const char *s, size_t len)
{
	size_t *n = ctx;
	if (len > FORM_REF_MAX || ++*n > FORM_REFS_MAX)
		return -1;
	(void)s;
	return 0;
}

int
form_validate(struct form *f, const struct web *w)
{
	struct form_text *multi[] = {&f->what, &f->refs, &f->text};

	for (size_t i = 0; i < sizeof(multi) / sizeof(multi[0]); i++)
		if (multi[i]->seen)
			unix_newlines(multi[i]);
	if (!f->csrf_ok)
		f->errors |= FE_CSRF;
	switch (f->kind) {
	case FORM_REPORT: {
		int cat = 0;
		for (size_t i = 0; i < w->ncategories; i++)
			if (is(&f->category, w->categories[i]))
				cat = 1;
		if (!cat)
			f->errors |= FE_CATEGORY;
		if (!line_ok(&f->team))
			f->errors |= FE_TEAM;
		if (f->what.seen != 1 || blank(&f->what) ||
		    !util_text_valid(f->what.p, f->what.len, 1))
			f->errors |= FE_WHAT;
		if (!month_ok(&f->when))
			f->errors |= FE_WHEN;
		size_t nrefs = 0;
		if (f->refs.seen == 2 ||
		    (f->refs.len > 0 && (!util_text_valid(f->refs.p, f->refs.len, 1) ||
					    each_ref(&f->refs, count_ref, &nrefs) != 0)))
			f->errors |= FE_REFS;
		if (!yes_no(&f->risk))
			f->errors |= FE_RISK;
		if (!yes_no(&f->raised))
			f->errors |= FE_RAISED;
		if (!line_ok(&f->raised_with))
			f->errors |= FE_RAISED_WITH;
		/* at least one reader when the form offered the choice */
		if ((f->nchosen == 0 && !form_choice_default(f)) ||
		    (f->choice.seen && !is(&f->choice, "1")))
			f->errors |= FE_READERS;
		break;
	}
	case FORM_MESSAGE: {
		int answered = 0;
		for (int q = 0; q < VOICE_QUESTIONS; q++) {
			const struct form_text *t = &f->voice[q];
			if (t->seen == 2 || (t->len > 0 && voice_parse(q, (const uint8_t *)t->p,
								t->len) < 0))
				f->errors |= FE_VOICE;
			else if (t->len > 0)
				answered = 1;
		}
		/* answers alone are a message: a reporter may come back only
		 * to say how it went */
		if (f->text.seen == 2 ||
		    (f->text.len > 0 && !util_text_valid(f->text.p, f->text.len, 1)) ||
		    (blank(&f->text) && f->nfiles == 0 && !answered))
			f->errors |= FE_TEXT;
		break;
	}
	case FORM_RECEIPT:
		if (f->receipt.len == 0 || f->receipt.seen == 2 ||
		    !util_text_valid(f->receipt.p, f->receipt.len, 0))
			f->errors |= FE_RECEIPT;
		break;
	default:
		break;
	}
	return f->errors ? -1 : 0;
}

struct fl {
	struct field f[FIELDS_MAX];
	size_t n;
};

static int
add(struct fl *l, const char *name, const char *s, size_t len)
{
	if (l->n >= FIELDS_MAX)
		return -1;
	snprintf(l->f[l->n].name, sizeof(l->f[l->n].name), "%s", name);
	l->f[l->n].val = (const uint8_t *)s;
	l->f[l->n].len = len;
	l->n++;
	return 0;
}

static int
add_ref(void *ctx, const char *s, size_t len)
{
	return add(ctx, "ref", s, len);
}

static int
addt(struct fl *l, const char *name, const struct form_text *t)
{
	return add(l, name, t->p ? t->p : "", t->len);
}

int
form_encode(const struct form *f, uint8_t **out, size_t *len)
{
	struct fl l = {.n = 0};
	int r = 0;

	if (f->kind == FORM_REPORT) {
		r |= addt(&l, "category", &f->category);
		r |= addt(&l, "team", &f->team);
		r |= addt(&l, "what", &f->what);
		r |= addt(&l, "when", &f->when);
		r |= each_ref(&f->refs, add_ref, &l);
		r |= addt(&l, "risk", &f->risk);
		r |= addt(&l, "raised_before", &f->raised);
		r |= addt(&l, "raised_with", &f->raised_with);
		if (r != 0)
			return -1;
		return fields_encode(FIELDS_CONCERN, l.f, l.n, out, len);
	}
	if (f->kind == FORM_MESSAGE) {
		if (addt(&l, "text", &f->text) != 0)
			return -1;
		for (int q = 0; q < VOICE_QUESTIONS; q++)
			if (f->voice[q].len > 0 && addt(&l, voice_field(q), &f->voice[q]) != 0)
				return -1;
		return fields_encode(FIELDS_MESSAGE, l.f, l.n, out, len);
	}
	return -1;
}

static void
text_free(struct form_text *t)
{
	if (t->p != NULL) {
		/* the whole allocation: bytes past len still hold what the
		 * reporter wrote (CRLF folded to LF, a cut at the limit) */
		sodium_memzero(t->p, t->cap > t->len ? t->cap : t->len);
		free(t->p);
	}
	memset(t, 0, sizeof(*t));
}

void
form_abort(struct form *f)
{
	if (f->cur_open && f->cur_file && f->cur_started && !f->cur_skip)
		upload_abort(&f->up);
	form_clean_free(f);
	f->cur_skip = 0;
	f->cur_open = 0;
	for (size_t i = 0; i < f->nfiles; i++)
		(void)storec_upload_drop(f->store, f->files[i].handle);
	f->nfiles = 0;
}

static int
form_too_much_why(int why)
{
	return why == FORM_REFUSE_OVER || why == FORM_REFUSE_MANY;
}

void
form_refuse(struct form *f, int why)
{
	/* full says the most (sending again will not help), then too large
	 * or too many files (what to change), then busy */
	if (f->refuse == 0 || why == FORM_REFUSE_FULL ||
	    (why == FORM_REFUSE_OVER && f->refuse == FORM_REFUSE_MANY) ||
	    (form_too_much_why(why) && f->refuse == FORM_REFUSE_BUSY))
		f->refuse = why;
	if (f->cur_open && f->cur_file && f->cur_started && !f->cur_skip) {
		upload_abort(&f->up);
		f->cur_skip = 1; /* the rest of this file is read and dropped */
	}
	for (size_t i = 0; i < f->nfiles; i++)
		(void)storec_upload_drop(f->store, f->files[i].handle);
	f->nfiles = 0;
}

int
form_too_much(const struct form *f)
{
	return form_too_much_why(f->refuse);
}

void
form_over(struct form *f)
{
	if (f->over_name[0] == '\0' && f->cur_open && f->cur_file)
		memcpy(f->over_name, f->cur_name, sizeof(f->over_name));
	form_refuse(f, FORM_REFUSE_OVER);
}

void
form_free(struct form *f)
{
	struct form_text *all[] = {&f->category, &f->team, &f->what, &f->when, &f->refs, &f->risk,
	    &f->raised, &f->raised_with, &f->receipt, &f->text, &f->rv, &f->choice, &f->csrf,
	    &f->voice[VOICE_DETRIMENT], &f->voice[VOICE_AGAIN]};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		text_free(all[i]);
	form_clean_free(f);
	sodium_memzero(f->up.piece, sizeof(f->up.piece));
}
