/*
 * Form bodies, fed part by part from libmicrohttpd's post processor
 * (urlencoded or multipart). Text fields are kept in memory up to their
 * limit; files are sealed as they arrive (upload.c) to the reviewers the
 * reporter chose, so the reviewer choice and the anti-forgery token must
 * come before the first file, as they do in our forms. Anything else a
 * browser would not send is a malformed request (400).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "intake/clean.h"
#include "intake/http.h"
#include "util/util.h"

struct fdef {
	const char *key;
	size_t off; /* of the struct form_text in struct form */
	size_t max;
	unsigned kinds; /* bit (1 << kind) */
};

#define K(k) (1u << (k))
#define FT(name) offsetof(struct form, name)
static const struct fdef fdefs[] = {
    {"csrf", FT(csrf), FORM_TOKEN_MAX,
	K(FORM_REPORT) | K(FORM_MESSAGE) | K(FORM_RECEIPT) | K(FORM_NONE)},
    {"category", FT(category), FORM_CATEGORY_MAX, K(FORM_REPORT)},
    {"team", FT(team), FORM_TEAM_MAX, K(FORM_REPORT)},
    {"what", FT(what), FORM_WHAT_MAX, K(FORM_REPORT)},
    {"when", FT(when), 16, K(FORM_REPORT)},
    {"refs", FT(refs), FORM_REFS_TEXT_MAX, K(FORM_REPORT)},
    {"risk", FT(risk), 8, K(FORM_REPORT)},
    {"raised_before", FT(raised), 8, K(FORM_REPORT)},
    {"raised_with", FT(raised_with), FORM_RAISED_WITH_MAX, K(FORM_REPORT)},
    /* one part per reviewer chosen; a message goes to the concern's
     * readers: no choice to make */
    {"reviewer", FT(rv), FORM_KEYID_HEX, K(FORM_REPORT)},
    /* "1": the form offered the choice, so no reviewer means none ticked */
    {"choice", FT(choice), 1, K(FORM_REPORT)},
    {"receipt", FT(receipt), CC_RCPT_INPUT_MAX, K(FORM_RECEIPT)},
    {"text", FT(text), FORM_WHAT_MAX, K(FORM_MESSAGE)},
    {"detriment", FT(voice[VOICE_DETRIMENT]), VOICE_VALUE_MAX, K(FORM_MESSAGE)},
    {"again", FT(voice[VOICE_AGAIN]), VOICE_VALUE_MAX, K(FORM_MESSAGE)},
};
#define FILE_KINDS (K(FORM_REPORT) | K(FORM_MESSAGE))

void
form_init(struct form *f, int kind, struct store_conn *st, const uint8_t *csrf_key, uint64_t now_s,
    const struct cc_pubkey *reviewers, size_t nreviewers)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->store = st;
	f->csrf_key = csrf_key;
	f->now_s = now_s;
	if (nreviewers > INTAKE_MAX_REVIEWERS || reviewers == NULL)
		nreviewers = 0; /* cannot happen: the set is checked when loaded */
	if (nreviewers > 0) /* memcpy from NULL is undefined even for 0 bytes */
		memcpy(f->reviewers, reviewers, nreviewers * sizeof(*reviewers));
	f->nreviewers = nreviewers;
}

static int
fail(struct form *f, int status)
{
	if (f->status == 0)
		f->status = status;
	return -1;
}

/* Index of the reviewer whose key id is hex (2*CC_KEYID_BYTES), or -1. */
static int
reviewer_by_hex(const struct form *f, const char *hex, size_t len)
{
	char want[FORM_KEYID_HEX + 1];
	for (size_t i = 0; i < f->nreviewers; i++) {
		util_hex(f->reviewers[i].keyid, CC_KEYID_BYTES, want);
		if (len == FORM_KEYID_HEX && memcmp(want, hex, len) == 0)
			return (int)i;
	}
	return -1;
}

int
form_choice_default(const struct form *f)
{
	return f->nreviewers == 1 || !f->choice.seen;
}

void
form_set_readers(struct form *f, int readers, const struct cc_recipient *r, size_t n)
{
	f->readers = readers;
	f->nfixed = 0;
	for (size_t i = 0; readers == FR_OK && i < n && i < INTAKE_MAX_REVIEWERS; i++)
		f->fixed[f->nfixed++] = r[i];
}

size_t
form_recipients(const struct form *f, struct cc_recipient *r)
{
	size_t n = 0;
	if (f->kind == FORM_MESSAGE) {
		for (; f->readers == FR_OK && n < f->nfixed; n++)
			r[n] = f->fixed[n];
		return n;
	}
	if (f->errors & FE_READERS)
		return 0; /* a bad choice seals to nobody: the form goes back */
	if (f->nchosen == 0 && form_choice_default(f))
		for (; n < f->nreviewers; n++)
			cc_recipient_of(&f->reviewers[n], &r[n]);
	for (size_t i = 0; i < f->nchosen; i++)
		r[n++] = f->chosen[i];
	return n;
}

/* Keeps the longest valid UTF-8 prefix of a text cut at its limit. */
static void
utf8_trim(struct form_text *t)
{
	size_t n = t->len, back = 0;
	while (n > 0 && back < 4 && ((unsigned char)t->p[n - 1] & 0xC0) == 0x80) {
		n--;
		back++;
	}
	if (n > 0 && ((unsigned char)t->p[n - 1] & 0x80)) {
		unsigned char c = (unsigned char)t->p[n - 1];
		size_t need = (c & 0xE0) == 0xC0   ? 1
			      : (c & 0xF0) == 0xE0 ? 2
			      : (c & 0xF8) == 0xF0 ? 3
						   : 0;
		if (need != back)
			t->len = n - 1;
	}
	t->p[t->len] = '\0';
}

static void
part_end_text(struct form *f)
{
	struct form_text *t = f->cur_text;

	if (t->len > f->cur_max) { /* remember it was too long */
		t->len = f->cur_max;
		utf8_trim(t);
		t->seen = 2;
	}
	if (t == &f->csrf)
		f->csrf_ok = csrf_check(f->csrf_key, f->now_s, t->p, t->len);
	else if (t == &f->rv) {
		/* An id not held here (a key removed since the form was shown,
		 * or made up), one chosen twice, or more after a valid id:
		 * the form goes back with the choice to make again. */
		int i = t->seen == 2 ? -1 : reviewer_by_hex(f, t->p, t->len);
		for (size_t k = 0; i >= 0 && k < f->nchosen; k++)
			if (sodium_memcmp(
				f->chosen[k].keyid, f->reviewers[i].keyid, CC_KEYID_BYTES) == 0)
				i = -1;
		if (i < 0 || f->nchosen >= INTAKE_MAX_REVIEWERS)
			f->errors |= FE_READERS;
		else
			cc_recipient_of(&f->reviewers[i], &f->chosen[f->nchosen++]);
		t->seen = 0; /* the next "reviewer" part is another choice */
	}
}

static void
clean_name(const char *in, char out[FORM_FILENAME_MAX + 1], size_t nth)
{
	const char *b = in ? in : "";
	for (const char *p = b; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	size_t n = strlen(b);
	if (n == 0 || n > FORM_FILENAME_MAX || !util_text_valid(b, n, 0) || b[0] == '.')
		snprintf(out, FORM_FILENAME_MAX + 1, "attachment-%zu", nth);
	else
		memcpy(out, b, n + 1);
}

static void
clean_type(const char *in, char out[FORM_CTYPE_MAX + 1])
{
	size_t n = 0;
	if (in != NULL)
		for (; in[n] && in[n] != ';' && n < FORM_CTYPE_MAX; n++) {
			char c = in[n];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || strchr("!#$&^_.+-/", c) != NULL))
				break;
		}
	if (n == 0 || (in[n] && in[n] != ';') || memchr(in, '/', n) == NULL) {
		snprintf(out, FORM_CTYPE_MAX + 1, "application/octet-stream");
		return;
	}
	memcpy(out, in, n);
	out[n] = '\0';
}

/* The cleaner's output goes into the envelope. */
static int
clean_sink(void *ctx, const uint8_t *buf, size_t len)
{
	return upload_write(ctx, buf, len);
}

void
form_clean_free(struct form *f)
{
	cpool_put(f->cl); /* wipes: it held the file */
	f->cl = NULL;
}

/* Starts sealing the current file: the recipients are fixed from here. */
static int
file_start(struct form *f)
{
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	struct field h[2];
	uint8_t *hdr = NULL;
	size_t hlen, nr;

	if (!f->csrf_ok)
		return fail(f, 403);
	/* One file too many: the others are dropped too (a concern must not
	 * go in with files silently missing) and the text goes back. */
	if (f->nfiles >= INTAKE_MAX_ATTACHMENTS)
		form_refuse(f, FORM_REFUSE_MANY);
	nr = form_recipients(f, r);
	f->recipients_fixed = 1;
	if (nr == 0 || f->refuse) {
		/* A message nobody here may read (no session, or none of the
		 * concern's readers left): drop the bytes; the page says why. */
		f->cur_skip = 1;
		f->cur_started = 1;
		return 0;
	}
	if (upload_begin(&f->up, f->store, CC_KIND_ATTACHMENT, r, nr) != 0) {
		form_refuse(f, f->up.err == STORE_FAIL_FULL ? FORM_REFUSE_FULL : FORM_REFUSE_BUSY);
		f->cur_skip = 1;
		f->cur_started = 1;
		return 0;
	}
	f->cur_started = 1;
	memset(h, 0, sizeof(h));
	snprintf(h[0].name, sizeof(h[0].name), "name");
	h[0].val = (const uint8_t *)f->cur_name;
	h[0].len = strlen(f->cur_name);
	snprintf(h[1].name, sizeof(h[1].name), "type");
	h[1].val = (const uint8_t *)f->cur_type;
	h[1].len = strlen(f->cur_type);
	if (fields_encode(FIELDS_ATTACHMENT, h, 2, &hdr, &hlen) != 0)
		return fail(f, 500);
	int r2 = upload_write(&f->up, hdr, hlen);
	free(hdr);
	if (r2 != 0) {
		form_refuse(f, f->up.err == STORE_FAIL_FULL ? FORM_REFUSE_FULL : FORM_REFUSE_BUSY);
		return 0;
	}
	if ((f->cl = cpool_get()) == NULL) {
		form_refuse(f, FORM_REFUSE_BUSY);
		return 0;
	}
	clean_init(f->cl, clean_sink, &f->up);
	f->cur_sent = 0;
	return 0;
}

static int
part_end(struct form *f)
{
	if (!f->cur_open)
		return 0;
	f->cur_open = 0;
	if (!f->cur_file) {
		part_end_text(f);
		return 0;
	}
	if (!f->cur_started) {
		if (f->cur_name[0] == '\0')
			return 0; /* the empty part of a file input left blank */
		if (file_start(f) != 0)
			return -1;
	}
	f->cur_started = 0;
	if (f->cur_skip) {
		f->cur_skip = 0;
		form_clean_free(f); /* a file refused half way had one */
		return 0;
	}
	int cr = clean_finish(f->cl), result = clean_result(f->cl);
	form_clean_free(f);
	if (cr != 0 || upload_finish(&f->up) != 0) {
		int why = f->up.err == STORE_FAIL_FULL ? FORM_REFUSE_FULL : FORM_REFUSE_BUSY;
		upload_abort(&f->up);
		form_refuse(f, why);
		return 0;
	}
	struct form_file *ff = &f->files[f->nfiles++];
	f->nlisted = f->nfiles;
	ff->handle = f->up.handle;
	ff->size = f->up.plain;
	ff->sent = f->cur_sent;
	ff->clean = result;
	memcpy(ff->name, f->cur_name, sizeof(ff->name));
	return 0;
}

static int
part_begin(struct form *f, const char *key, const char *filename, const char *ctype)
{
	if (key == NULL)
		return fail(f, 400);
	if (strcmp(key, "file") == 0) {
		if (!(FILE_KINDS & K(f->kind)) || filename == NULL)
			return fail(f, 400);
		f->cur_file = 1;
		f->cur_started = 0;
		f->cur_name[0] = '\0';
		if (filename[0] != '\0') {
			clean_name(filename, f->cur_name, f->nfiles + 1);
			f->files_chosen = 1;
		}
		clean_type(ctype, f->cur_type);
		f->cur_open = 1;
		snprintf(f->cur_key, sizeof(f->cur_key), "file");
		return 0;
	}
	for (size_t i = 0; i < sizeof(fdefs) / sizeof(fdefs[0]); i++) {
		if (strcmp(key, fdefs[i].key) != 0)
			continue;
		if (!(fdefs[i].kinds & K(f->kind)) || filename != NULL)
			return fail(f, 400);
		struct form_text *t = (struct form_text *)((char *)f + fdefs[i].off);
		if (t->seen)
			return fail(f, 400); /* a field twice */
		if (t == &f->rv && f->recipients_fixed)
			return fail(f, 400); /* reviewer choice after a file */
		if (t == &f->rv && ++f->nrvparts > INTAKE_MAX_REVIEWERS)
			return fail(f, 400); /* more choices than there can be reviewers */
		/* One byte more than allowed marks "too long" without holding more;
		 * the reviewer part's buffer serves each of its parts in turn. */
		if (t->p == NULL && (t->p = malloc(fdefs[i].max + 2)) == NULL)
			return fail(f, 500);
		t->cap = fdefs[i].max + 2;
		t->p[0] = '\0';
		t->len = 0;
		t->seen = 1;
		f->cur_text = t;
		f->cur_max = fdefs[i].max;
		f->cur_file = 0;
		f->cur_open = 1;
		snprintf(f->cur_key, sizeof(f->cur_key), "%s", key);
		return 0;
	}
	return fail(f, 400);
}

int
form_part(struct form *f, const char *key, const char *filename, const char *ctype,
    const char *data, uint64_t off, size_t size)
{
	if (f->status)
		return -1;
	if (off == 0) {
		/* A new part, unless this continues one that has had no data
		 * yet under the same key (MHD may announce a part empty first). */
		int cont = f->cur_open && key != NULL && strcmp(key, f->cur_key) == 0;
		if (cont && f->cur_file) {
			char name[FORM_FILENAME_MAX + 1] = "";
			if (filename != NULL && filename[0] != '\0')
				clean_name(filename, name, f->nfiles + 1);
			cont = !f->cur_started && strcmp(name, f->cur_name) == 0;
		} else if (cont) {
			cont = f->cur_text->len == 0;
		}
		if (!cont && (part_end(f) != 0 || part_begin(f, key, filename, ctype) != 0))
			return -1;
	} else if (!f->cur_open || key == NULL || strcmp(key, f->cur_key) != 0) {
		return fail(f, 400);
	}
	if (size == 0)
		return 0;
	if (!f->cur_file) {
		struct form_text *t = f->cur_text;
		size_t room = f->cur_max + 1 - t->len; /* keep at most max + 1 */
		size_t n = size < room ? size : room;
		memcpy(t->p + t->len, data, n);
		t->len += n;
		t->p[t->len] = '\0';
		return 0;
	}
	if (!f->cur_started && file_start(f) != 0)
		return -1;
	if (f->cur_skip)
		return 0;
	/* The global byte budget: past it, files are no longer kept. */
	if (f->bytes != NULL && !bucket_take_n(f->bytes, (double)size, mono_ms())) {
		form_refuse(f, FORM_REFUSE_BUSY);
		return 0;
	}
	f->cur_sent += size;
	if (clean_write(f->cl, (const uint8_t *)data, size) != 0)
		form_refuse(f, f->up.err == STORE_FAIL_FULL ? FORM_REFUSE_FULL : FORM_REFUSE_BUSY);
	return 0;
}

int
form_end(struct form *f)
{
	if (f->status)
		return -1;
	return part_end(f);
}
