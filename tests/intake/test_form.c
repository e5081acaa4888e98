/* Tests for intake/form.c, form_check.c and upload.c: form bodies fed part
 * by part as libmicrohttpd's post processor delivers them, with a fake
 * store (the storec_upload_* functions below, in this test only) that
 * keeps what it is sent so the sealed attachments can be opened again. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/util.h"

/* ---- fake store ---------------------------------------------------- */
#define FAKE_MAX 64
static struct {
	uint8_t *buf;
	size_t len;
	int state; /* 0 free, 1 open, 2 ended */
} up[FAKE_MAX];
static int fail_begin, fail_data_after, data_calls, fail_code = STORE_FAIL_STORAGE;
static size_t max_piece;

int
storec_upload_begin(struct store_conn *c, uint64_t *h)
{
	(void)c;
	if (fail_begin)
		return fail_code;
	for (uint64_t i = 0; i < FAKE_MAX; i++)
		if (up[i].state == 0) {
			up[i].state = 1;
			up[i].len = 0;
			*h = i + 1000;
			return 0;
		}
	return STORE_FAIL_LIMIT;
}

int
storec_upload_data(struct store_conn *c, uint64_t h, const uint8_t *b, size_t len)
{
	(void)c;
	data_calls++;
	if (fail_data_after && data_calls > fail_data_after)
		return fail_code;
	if (h < 1000 || h >= 1000 + FAKE_MAX || up[h - 1000].state != 1 || len == 0 ||
	    len > HTTP_PIECE_MAX)
		return STORE_FAIL_BADMSG;
	if (len > max_piece)
		max_piece = len;
	up[h - 1000].buf = realloc(up[h - 1000].buf, up[h - 1000].len + len);
	memcpy(up[h - 1000].buf + up[h - 1000].len, b, len);
	up[h - 1000].len += len;
	return 0;
}

int
storec_upload_end(struct store_conn *c, uint64_t h, uint64_t *len, uint8_t hash[CC_HASH_BYTES])
{
	(void)c;
	if (h < 1000 || h >= 1000 + FAKE_MAX || up[h - 1000].state != 1)
		return STORE_FAIL_BADMSG;
	up[h - 1000].state = 2;
	*len = up[h - 1000].len;
	cc_hash(up[h - 1000].buf, up[h - 1000].len, hash);
	return 0;
}

int
storec_upload_drop(struct store_conn *c, uint64_t h)
{
	(void)c;
	if (h < 1000 || h >= 1000 + FAKE_MAX || up[h - 1000].state == 0)
		return STORE_FAIL_NOTFOUND;
	free(up[h - 1000].buf);
	up[h - 1000].buf = NULL;
	up[h - 1000].state = 0;
	up[h - 1000].len = 0;
	return 0;
}

static int
live_uploads(void)
{
	int n = 0;
	for (int i = 0; i < FAKE_MAX; i++)
		n += up[i].state != 0;
	return n;
}

/* ---- fixtures ------------------------------------------------------ */
static struct cc_seckey *rk[3];
static struct cc_pubkey pubs[3];
static char kid[3][FORM_KEYID_HEX + 1]; /* pubs[i]'s key id, as the form sends it */
static uint8_t ckey[CSRF_KEY_BYTES];
static struct web w;
static char tok[CSRF_TOKEN_LEN + 1];
#define NOW 7200

static int
setup(void **s)
{
	(void)s;
	fail_begin = fail_data_after = data_calls = 0;
	fail_code = STORE_FAIL_STORAGE;
	max_piece = 0;
	return 0;
}

static int
teardown(void **s)
{
	(void)s;
	for (uint64_t i = 0; i < FAKE_MAX; i++)
		if (up[i].state)
			storec_upload_drop(NULL, i + 1000);
	return 0;
}

/* A message form is sealed to all nrev reviewers, as if the concern had
 * gone to them all (page_message_prepare sets it in the server). */
static struct form *
newform(int kind, size_t nrev)
{
	struct form *f = calloc(1, sizeof(*f));
	struct cc_recipient r[3];
	form_init(f, kind, NULL, ckey, NOW, pubs, nrev);
	if (kind == FORM_MESSAGE) {
		for (size_t i = 0; i < nrev; i++)
			cc_recipient_of(&pubs[i], &r[i]);
		form_set_readers(f, FR_OK, r, nrev);
	}
	return f;
}

static void
endform(struct form *f)
{
	form_abort(f);
	form_free(f);
	free(f);
}

/* One text field in one call. */
static int
put(struct form *f, const char *k, const char *v)
{
	return form_part(f, k, NULL, NULL, v, 0, strlen(v));
}

/* A file in pieces of n bytes. */
static int
putfile(struct form *f, const char *name, const char *type, const uint8_t *d, size_t len, size_t n)
{
	if (len == 0)
		return form_part(f, "file", name, type, "", 0, 0);
	for (size_t off = 0; off < len; off += n) {
		size_t k = len - off < n ? len - off : n;
		if (form_part(f, "file", name, type, (const char *)d + off, off, k) != 0)
			return -1;
	}
	return 0;
}

static void expect_status(struct form *f, int rc, int status);

/* As a browser sends the form untouched: the choice marker and every
 * reviewer ticked when there is a choice, neither with one reviewer. */
static void
fill_report(struct form *f)
{
	assert_int_equal(put(f, "csrf", tok), 0);
	if (f->nreviewers >= 2)
		assert_int_equal(put(f, "choice", "1"), 0);
	for (size_t i = 0; f->nreviewers >= 2 && i < f->nreviewers; i++)
		assert_int_equal(put(f, "reviewer", kid[i]), 0);
	assert_int_equal(put(f, "category", "recording"), 0);
	assert_int_equal(put(f, "team", "Team A"), 0);
	assert_int_equal(put(f, "what", "Line one\r\nLine two"), 0);
	assert_int_equal(put(f, "when", "2024-03"), 0);
	assert_int_equal(put(f, "refs", " REF/1 \r\n\r\nPPN-2\n"), 0);
	assert_int_equal(put(f, "risk", "yes"), 0);
	assert_int_equal(put(f, "raised_before", "no"), 0);
}

static uint8_t *
open_upload(uint64_t h, const struct cc_seckey *k, size_t *len, int *rc)
{
	uint8_t *pt = NULL;
	int kind;
	*rc = cc_env_open(&k->box, up[h - 1000].buf, up[h - 1000].len, &pt, len, &kind);
	if (*rc == CC_OK)
		assert_int_equal(kind, CC_KIND_ATTACHMENT);
	return pt;
}

/* ---- positive ------------------------------------------------------- */

static void
test_report_roundtrip(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	uint8_t *pt;
	size_t len, n, off;
	struct field fl[FIELDS_MAX];

	fill_report(f);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	assert_int_equal(form_encode(f, &pt, &len), 0);
	assert_int_equal(fields_decode(pt, len, FIELDS_CONCERN, fl, FIELDS_MAX, &n, &off), 0);
	assert_int_equal(off, len);
	const char *want[][2] = {{"category", "recording"}, {"team", "Team A"},
	    {"what", "Line one\nLine two"}, {"when", "2024-03"}, {"ref", "REF/1"}, {"ref", "PPN-2"},
	    {"risk", "yes"}, {"raised_before", "no"}, {"raised_with", ""}};
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(fl[i].name, want[i][0]);
		assert_int_equal(fl[i].len, strlen(want[i][1]));
		assert_memory_equal(fl[i].val, want[i][1], fl[i].len);
	}
	free(pt);
	endform(f);
}

static void
test_attachment_sealed_in_pieces(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	size_t flen = 300000, len, n, off;
	uint8_t *file = malloc(flen), *pt;
	int rc;
	struct field fl[4];

	for (size_t i = 0; i < flen; i++)
		file[i] = (uint8_t)(i * 7);
	fill_report(f);
	assert_int_equal(
	    putfile(f, "C:\\Users\\me\\minutes.pdf", "application/pdf; x=1", file, flen, 777), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->nfiles, 1);
	assert_true(f->files[0].size > flen); /* the fields header is sealed with it */
	assert_true(max_piece <= HTTP_PIECE_MAX);
	for (int r = 0; r < 2; r++) {
		pt = open_upload(f->files[0].handle, rk[r], &len, &rc);
		assert_int_equal(rc, CC_OK);
		assert_int_equal(fields_decode(pt, len, FIELDS_ATTACHMENT, fl, 4, &n, &off), 0);
		assert_int_equal(n, 2);
		assert_memory_equal(fl[0].val, "minutes.pdf", fl[0].len);
		assert_memory_equal(fl[1].val, "application/pdf", fl[1].len);
		assert_int_equal(len - off, flen);
		assert_memory_equal(pt + off, file, flen);
		cc_free_wipe(pt, len);
	}
	free(file);
	endform(f);
	assert_int_equal(live_uploads(), 0); /* abort dropped it */
}

/* Issue 14: the concern's body is sealed through the form's own struct
 * upload (page_commit), not a block of its own. Once the files are sealed
 * it is free: the body goes to a new upload that both reviewers open, and
 * the file stays as it was. While a file is still being sealed it is
 * refused, and the file's upload is left open and goes on whole. */
static void
test_body_through_form_upload(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	struct cc_recipient r[3];
	uint8_t file[40000], *pt;
	const uint8_t body[] = "the body of the concern";
	size_t nr, len;
	uint64_t h;
	int kind, rc;

	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 13);
	fill_report(f);
	/* half a file: its upload is open */
	assert_int_equal(form_part(f, "file", "a.bin", "application/octet-stream",
			     (const char *)file, 0, sizeof(file) / 2),
	    0);
	assert_true(f->up.open);
	nr = form_recipients(f, r);
	assert_int_equal(nr, 2);
	assert_int_equal(upload_small(&f->up, NULL, CC_KIND_CONCERN, r, nr, body, sizeof(body), &h),
	    STORE_FAIL_STORAGE);
	assert_true(f->up.open);
	assert_int_equal(live_uploads(), 1);
	assert_int_equal(
	    form_part(f, "file", "a.bin", "application/octet-stream",
		(const char *)file + sizeof(file) / 2, sizeof(file) / 2, sizeof(file) / 2),
	    0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->nfiles, 1);
	/* the files sealed: the body goes through the same struct */
	assert_int_equal(
	    upload_small(&f->up, NULL, CC_KIND_CONCERN, r, nr, body, sizeof(body), &h), 0);
	assert_true(h != f->files[0].handle);
	assert_false(f->up.open); /* the handle is the caller's now */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(
		    cc_env_open(&rk[k]->box, up[h - 1000].buf, up[h - 1000].len, &pt, &len, &kind),
		    CC_OK);
		assert_int_equal(kind, CC_KIND_CONCERN);
		assert_int_equal(len, sizeof(body));
		assert_memory_equal(pt, body, sizeof(body));
		cc_free_wipe(pt, len);
		pt = open_upload(f->files[0].handle, rk[k], &len, &rc);
		assert_int_equal(rc, CC_OK);
		assert_memory_equal(pt + len - sizeof(file), file, sizeof(file));
		cc_free_wipe(pt, len);
	}
	endform(f); /* drops the file; the body is the caller's to drop */
	assert_int_equal(live_uploads(), 1);
	assert_int_equal(storec_upload_drop(NULL, h), 0);
}

/* Any non-empty set of the reviewers: here one of three (which "leave one
 * out" could not say), then two of three in the order ticked. Only those
 * chosen can open the file; the others get CC_ENOTRECIPIENT. */
static void
test_chosen_reviewers_only(void **s)
{
	(void)s;
	static const int sets[][3] = {{1, -1, -1}, {2, 0, -1}};
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	size_t len;
	int rc;
	uint8_t *pt;

	for (size_t k = 0; k < 2; k++) {
		struct form *f = newform(FORM_REPORT, 3);
		int in[3] = {0, 0, 0};
		size_t n = 0;
		assert_int_equal(put(f, "csrf", tok), 0);
		for (size_t j = 0; j < 3 && sets[k][j] >= 0; j++, n++) {
			assert_int_equal(put(f, "reviewer", kid[sets[k][j]]), 0);
			in[sets[k][j]] = 1;
		}
		assert_int_equal(
		    putfile(f, "a.txt", "text/plain", (const uint8_t *)"abc", 3, 3), 0);
		assert_int_equal(form_end(f), 0);
		for (int i = 0; i < 3; i++) {
			pt = open_upload(f->files[0].handle, rk[i], &len, &rc);
			assert_int_equal(rc, in[i] ? CC_OK : CC_ENOTRECIPIENT);
			if (pt != NULL)
				cc_free_wipe(pt, len);
		}
		assert_int_equal(form_recipients(f, r), n);
		for (size_t j = 0; j < n; j++)
			assert_memory_equal(r[j].keyid, pubs[sets[k][j]].keyid, CC_KEYID_BYTES);
		endform(f);
	}
}

/* An empty set, an id not held, one ticked twice, a value cut or padded:
 * FE_READERS (the form goes back), and no file is sealed to anyone. */
static void
test_bad_reviewer_choice(void **s)
{
	(void)s;
	char upper[FORM_KEYID_HEX + 1], longer[FORM_KEYID_HEX + 2];
	memcpy(upper, kid[0], sizeof(upper));
	for (char *c = upper; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 32);
	snprintf(longer, sizeof(longer), "%s0", kid[0]);
	const char *const bad[][2] = {
	    {NULL, NULL},		/* nothing ticked */
	    {"0011223344556677", NULL}, /* not a reviewer here */
	    {kid[0], kid[0]},		/* twice */
	    {kid[1], "zz"},		/* one good, one not hex */
	    {"", NULL},			/* empty value */
	    {longer, NULL},		/* a valid id with more after it */
	    {upper, NULL},		/* what we never send */
	    {kid[2], NULL},		/* held by neither of the two here */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct form *f = newform(FORM_REPORT, 2);
		assert_int_equal(put(f, "csrf", tok), 0);
		assert_int_equal(put(f, "choice", "1"), 0);
		for (size_t j = 0; j < 2 && bad[i][j] != NULL; j++)
			assert_int_equal(put(f, "reviewer", bad[i][j]), 0);
		assert_int_equal(put(f, "category", "recording"), 0);
		assert_int_equal(put(f, "what", "x"), 0);
		assert_int_equal(put(f, "risk", "no"), 0);
		assert_int_equal(put(f, "raised_before", "no"), 0);
		assert_int_equal(
		    putfile(f, "a.txt", "text/plain", (const uint8_t *)"abc", 3, 3), 0);
		assert_int_equal(form_end(f), 0);
		if (form_validate(f, &w) != -1 || f->errors != FE_READERS)
			fail_msg("case %zu: errors %#x", i, f->errors);
		struct cc_recipient r[INTAKE_MAX_REVIEWERS];
		assert_int_equal(form_recipients(f, r), 0);
		assert_int_equal(f->nfiles, 0);
		assert_int_equal(live_uploads(), 0); /* the file was read and dropped */
		endform(f);
	}
	/* the marker's only value is "1" */
	struct form *g = newform(FORM_REPORT, 2);
	assert_int_equal(put(g, "csrf", tok), 0);
	assert_int_equal(put(g, "choice", "0"), 0);
	assert_int_equal(put(g, "reviewer", kid[0]), 0);
	assert_int_equal(put(g, "category", "recording"), 0);
	assert_int_equal(put(g, "what", "x"), 0);
	assert_int_equal(put(g, "risk", "no"), 0);
	assert_int_equal(put(g, "raised_before", "no"), 0);
	assert_int_equal(form_end(g), 0);
	assert_int_equal(form_validate(g, &w), -1);
	assert_int_equal(g->errors, FE_READERS);
	endform(g);
	/* a client that offers no choice (no marker, no reviewer: a script)
	 * gets what the untouched form sends: every reviewer */
	g = newform(FORM_REPORT, 3);
	assert_int_equal(put(g, "csrf", tok), 0);
	assert_int_equal(put(g, "category", "recording"), 0);
	assert_int_equal(put(g, "what", "x"), 0);
	assert_int_equal(put(g, "risk", "no"), 0);
	assert_int_equal(put(g, "raised_before", "no"), 0);
	assert_int_equal(form_end(g), 0);
	assert_int_equal(form_validate(g, &w), 0);
	struct cc_recipient all[INTAKE_MAX_REVIEWERS];
	assert_int_equal(form_recipients(g, all), 3);
	endform(g);
	/* more reviewer fields than there can be reviewers: not a browser */
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	int rc = 0;
	for (int i = 0; i <= INTAKE_MAX_REVIEWERS && rc == 0; i++)
		rc = put(f, "reviewer", kid[i % 2]);
	expect_status(f, rc, 400);
}

static void
test_empty_file_input_ignored(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	fill_report(f);
	assert_int_equal(form_part(f, "file", "", "application/octet-stream", "", 0, 0), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->nfiles, 0);
	assert_int_equal(live_uploads(), 0);
	assert_int_equal(form_validate(f, &w), 0);
	endform(f);
}

static void
test_value_in_pieces(void **s)
{
	(void)s;
	struct form *f = newform(FORM_RECEIPT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(form_part(f, "receipt", NULL, NULL, "ABCD-", 0, 5), 0);
	assert_int_equal(form_part(f, "receipt", NULL, NULL, "EFGH", 5, 4), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	assert_string_equal(f->receipt.p, "ABCD-EFGH");
	endform(f);
}

/* ---- negative ------------------------------------------------------- */

static void
expect_status(struct form *f, int rc, int status)
{
	assert_int_equal(rc, -1);
	assert_int_equal(f->status, status);
	/* once failed, every later part is refused */
	assert_int_equal(put(f, "team", "x"), -1);
	endform(f);
	assert_int_equal(live_uploads(), 0);
}

static void
test_unknown_field(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	expect_status(f, put(f, "evil", "1"), 400);
}

static void
test_field_of_another_form(void **s)
{
	(void)s;
	struct form *f = newform(FORM_RECEIPT, 2);
	expect_status(f, put(f, "what", "x"), 400);
	f = newform(FORM_MESSAGE, 2);
	expect_status(f, put(f, "category", "recording"), 400);
}

static void
test_field_twice(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "what", "a"), 0);
	expect_status(f, put(f, "what", "b"), 400);
}

static void
test_null_key(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	expect_status(f, form_part(f, NULL, NULL, NULL, "x", 0, 1), 400);
}

static void
test_continuation_of_other_key(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "what", "a"), 0);
	expect_status(f, form_part(f, "team", NULL, NULL, "b", 1, 1), 400);
	f = newform(FORM_REPORT, 2);
	expect_status(f, form_part(f, "team", NULL, NULL, "b", 5, 1), 400);
}

static void
test_text_field_with_filename(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	expect_status(f, form_part(f, "what", "x.txt", "text/plain", "a", 0, 1), 400);
}

static void
test_file_without_filename(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	expect_status(f, form_part(f, "file", NULL, NULL, "a", 0, 1), 400);
}

static void
test_file_in_receipt_form(void **s)
{
	(void)s;
	struct form *f = newform(FORM_RECEIPT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	expect_status(f, putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 400);
}

static void
test_file_before_token(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	expect_status(f, putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 403);
}

static void
test_file_with_bad_token(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", "0000000000000002.00000000000000000000000000000000"), 0);
	expect_status(f, putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 403);
}

static void
test_reviewer_choice_after_file(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 0);
	expect_status(f, put(f, "reviewer", kid[0]), 400);
}

static void expect_refused(struct form *f, int why);

/* Puts n one-byte files named f0, f1, ...; 0 when every call took them. */
static int
putfiles(struct form *f, int n)
{
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%d", i);
		if (putfile(f, name, "text/plain", (const uint8_t *)"x", 1, 1) != 0)
			return -1;
	}
	return 0;
}

/* INTAKE_MAX_ATTACHMENTS files are taken; one more is not a failed
 * request (a plain 413 lost the reporter's text) but a refusal: every
 * file is dropped at once and the text, before and after, is kept. */
static void
test_too_many_files(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(putfiles(f, INTAKE_MAX_ATTACHMENTS), 0);
	assert_int_equal(put(f, "team", "between the files"), 0); /* ends the last file */
	assert_int_equal(f->status, 0);
	assert_int_equal(f->refuse, 0);
	assert_int_equal(f->nfiles, INTAKE_MAX_ATTACHMENTS);
	assert_int_equal(live_uploads(), INTAKE_MAX_ATTACHMENTS);
	assert_false(form_too_much(f));
	assert_int_equal(putfile(f, "one-too-many", "text/plain", (const uint8_t *)"x", 1, 1), 0);
	assert_true(form_too_much(f));
	assert_string_equal(f->team.p, "between the files");
	expect_refused(f, FORM_REFUSE_MANY);
}

/* The same in a follow-up message, with its text written before the
 * files; an empty 33rd file counts too (it would be stored). */
static void
test_too_many_files_message(void **s)
{
	(void)s;
	struct form *f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "text", "written first"), 0);
	assert_int_equal(putfiles(f, INTAKE_MAX_ATTACHMENTS), 0);
	assert_int_equal(live_uploads(), INTAKE_MAX_ATTACHMENTS);
	assert_int_equal(putfile(f, "empty", "text/plain", (const uint8_t *)"", 0, 1), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->refuse, FORM_REFUSE_MANY);
	assert_int_equal(live_uploads(), 0);
	assert_int_equal(f->nfiles, 0);
	assert_string_equal(f->text.p, "written first");
	endform(f);
}

/* What the page says when both happen: too large (it names the file)
 * over too many, too many over busy, full over both. */
static void
test_too_many_ranks(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	form_refuse(f, FORM_REFUSE_BUSY);
	form_refuse(f, FORM_REFUSE_MANY);
	assert_int_equal(f->refuse, FORM_REFUSE_MANY);
	form_refuse(f, FORM_REFUSE_BUSY);
	assert_int_equal(f->refuse, FORM_REFUSE_MANY);
	form_over(f);
	assert_int_equal(f->refuse, FORM_REFUSE_OVER);
	form_refuse(f, FORM_REFUSE_MANY);
	assert_int_equal(f->refuse, FORM_REFUSE_OVER);
	form_refuse(f, FORM_REFUSE_FULL);
	assert_int_equal(f->refuse, FORM_REFUSE_FULL);
	assert_false(form_too_much(f));
	form_refuse(f, FORM_REFUSE_MANY);
	assert_int_equal(f->refuse, FORM_REFUSE_FULL);
	endform(f);
}

/* The store refuses: the request is not failed but refused, so the form
 * can go back with the text (issue 9: a 503 never loses what was typed).
 * Every upload is dropped at once, later files are read and dropped, and
 * text fields after them are still taken. */
static void
expect_refused(struct form *f, int why)
{
	assert_int_equal(f->status, 0);
	assert_int_equal(f->refuse, why);
	assert_int_equal(live_uploads(), 0);
	assert_int_equal(f->nfiles, 0);
	/* a file after the refusal reaches nothing */
	assert_int_equal(putfile(f, "late", "text/plain", (const uint8_t *)"late", 4, 2), 0);
	assert_int_equal(put(f, "what", "kept after the refusal"), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(live_uploads(), 0);
	assert_int_equal(f->nfiles, 0);
	assert_string_equal(f->what.p, "kept after the refusal");
	endform(f);
}

/* Over --max-upload (issue 12): http.c calls form_over mid-file; that
 * file is named, every upload dropped, later files read and dropped, the
 * text kept; a busy refusal gives way to "too large", a full one does not;
 * outside a file no name is made up. */
static void
test_over_limit(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	static uint8_t big[100000];
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "team", "Team A"), 0);
	assert_int_equal(putfile(f, "first.pdf", "application/pdf", big, 5000, 4096), 0);
	assert_int_equal(putfile(f, "video.mp4", "video/mp4", big, 40000, 4096), 0);
	/* the limit passes inside video.mp4 (its part is still open) */
	assert_int_equal(live_uploads(), 2);
	form_refuse(f, FORM_REFUSE_BUSY);
	form_over(f);
	assert_string_equal(f->over_name, "video.mp4");
	form_over(f); /* again: the first name stays */
	assert_string_equal(f->over_name, "video.mp4");
	assert_string_equal(f->team.p, "Team A");
	expect_refused(f, FORM_REFUSE_OVER);

	f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "team", "text"), 0);
	form_refuse(f, FORM_REFUSE_FULL);
	form_over(f);
	assert_string_equal(f->over_name, ""); /* in a text field: no file to name */
	expect_refused(f, FORM_REFUSE_FULL);
}

static void
test_store_refuses_begin(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	assert_int_equal(put(f, "team", "Team A"), 0);
	fail_begin = 1;
	assert_int_equal(putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 0);
	assert_string_equal(f->team.p, "Team A");
	expect_refused(f, FORM_REFUSE_BUSY);
}

static void
test_store_fails_mid_file(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	static uint8_t big[200000];
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	assert_int_equal(putfile(f, "ok", "text/plain", (const uint8_t *)"x", 1, 1), 0);
	fail_data_after = data_calls + 1;
	assert_int_equal(putfile(f, "big", "text/plain", big, sizeof(big), 4096), 0);
	expect_refused(f, FORM_REFUSE_BUSY); /* both uploads dropped */
}

/* A store at its free-space floor says FULL: the page then says so. */
static void
test_store_full_mid_file(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	static uint8_t big[200000];
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	fail_code = STORE_FAIL_FULL;
	fail_data_after = data_calls + 2;
	assert_int_equal(putfile(f, "big", "text/plain", big, sizeof(big), 4096), 0);
	expect_refused(f, FORM_REFUSE_FULL);
}

/* The global byte budget: a file past it is not kept, and a busy refusal
 * never hides a full one. */
static void
test_byte_budget(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	static uint8_t big[100000];
	struct bucket b;
	bucket_init(&b, 50000, 0.001, mono_ms());
	f->bytes = &b;
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	assert_int_equal(putfile(f, "small", "text/plain", big, 40000, 4096), 0);
	assert_int_equal(f->refuse, 0);
	assert_int_equal(live_uploads(), 1);
	assert_int_equal(putfile(f, "big", "text/plain", big, sizeof(big), 4096), 0);
	form_refuse(f, FORM_REFUSE_FULL);
	form_refuse(f, FORM_REFUSE_BUSY);
	expect_refused(f, FORM_REFUSE_FULL);
}

static char LONGHEX[FORM_KEYID_HEX + 8];

static void
test_validation_errors(void **s)
{
	(void)s;
	/* a real key id with more after it must not match once cut */
	util_hex(pubs[0].keyid, CC_KEYID_BYTES, LONGHEX);
	memcpy(LONGHEX + FORM_KEYID_HEX, "abcdef", 7);
	static const struct {
		const char *k, *v;
		unsigned err;
	} cases[] = {
	    {"category", "nope", FE_CATEGORY},
	    {"category", "", FE_CATEGORY},
	    {"team", "two\nlines", FE_TEAM},
	    {"what", "   \n\t ", FE_WHAT},
	    {"what",
		"bad\x01"
		"byte",
		FE_WHAT},
	    {"what", "bad \xC3\x28 utf8", FE_WHAT},
	    {"what", "nul \xC0\x80 overlong", FE_WHAT},
	    {"when", "2024-13", FE_WHEN},
	    {"when", "2024-00", FE_WHEN},
	    {"when", "24-03", FE_WHEN},
	    {"when", "1989-12", FE_WHEN},
	    {"when", "2024/03", FE_WHEN},
	    {"when", "2024-3a", FE_WHEN},
	    {"risk", "maybe", FE_RISK},
	    {"risk", "", FE_RISK},
	    {"raised_before", "YES", FE_RAISED},
	    {"raised_with", "a\x7f", FE_RAISED_WITH},
	    {"reviewer", "zz", FE_READERS},
	    {"reviewer", "0011223344556677", FE_READERS},
	    {"reviewer", LONGHEX, FE_READERS},
	    {"csrf", "x", FE_CSRF},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct form *f = newform(FORM_REPORT, 2);
		const char *fields[] = {"csrf", "category", "team", "what", "when", "risk",
		    "raised_before", "reviewer"};
		const char *vals[] = {tok, "recording", "", "x", "", "no", "no", kid[1]};
		for (size_t j = 0; j < 8; j++)
			if (strcmp(fields[j], cases[i].k) != 0)
				assert_int_equal(put(f, fields[j], vals[j]), 0);
		assert_int_equal(put(f, cases[i].k, cases[i].v), 0);
		assert_int_equal(form_end(f), 0);
		assert_int_equal(form_validate(f, &w), -1);
		assert_int_equal(f->errors, cases[i].err);
		endform(f);
	}
}

/* Issue 9: a value holding a NUL or another control character is refused
 * (tab and newline only in free text), however it compares as a C string:
 * "other\0<script>" used to pass as the category "other" and be sealed. */
static void
test_nul_and_control_refused(void **s)
{
	(void)s;
	static const struct {
		const char *k, *v;
		size_t len;
		unsigned err;
	} cases[] = {
	    {"category", "other\0<script>", 14, FE_CATEGORY},
	    {"category", "other\0", 6, FE_CATEGORY},
	    {"category", "other\t", 6, FE_CATEGORY},
	    {"category", "recording\x1b[2J", 13, FE_CATEGORY},
	    {"risk", "yes\0", 4, FE_RISK},
	    {"risk", "no\0no", 5, FE_RISK},
	    {"raised_before", "no\n", 3, FE_RAISED},
	    {"team", "a\0b", 3, FE_TEAM},
	    {"team", "a\tb", 3, FE_TEAM},
	    {"what", "before\0after", 12, FE_WHAT},
	    {"what", "bell\a", 5, FE_WHAT},
	    {"when", "2024-03\0", 8, FE_WHEN},
	    {"refs", "REF/1\0", 6, FE_REFS},
	    {"raised_with", "x\0", 2, FE_RAISED_WITH},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct form *f = newform(FORM_REPORT, 2);
		const char *fields[] = {"csrf", "category", "team", "what", "when", "risk",
		    "raised_before", "reviewer"};
		const char *vals[] = {tok, "recording", "", "x", "", "no", "no", kid[1]};
		for (size_t j = 0; j < 8; j++)
			if (strcmp(fields[j], cases[i].k) != 0)
				assert_int_equal(put(f, fields[j], vals[j]), 0);
		assert_int_equal(
		    form_part(f, cases[i].k, NULL, NULL, cases[i].v, 0, cases[i].len), 0);
		assert_int_equal(form_end(f), 0);
		assert_int_equal(form_validate(f, &w), -1);
		assert_int_equal(f->errors, cases[i].err);
		endform(f);
	}
	/* free text keeps its tabs and newlines */
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	assert_int_equal(put(f, "category", "other"), 0);
	assert_int_equal(put(f, "risk", "no"), 0);
	assert_int_equal(put(f, "raised_before", "no"), 0);
	assert_int_equal(form_part(f, "what", NULL, NULL, "a\tb\nc", 0, 5), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	endform(f);
	/* a message's text and a receipt */
	static const struct {
		int kind;
		const char *k, *v;
		size_t len;
		unsigned err;
	} other[] = {
	    {FORM_MESSAGE, "text", "hi\0there", 8, FE_TEXT},
	    {FORM_RECEIPT, "receipt", "ABCD\0EFGH", 9, FE_RECEIPT},
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		f = newform(other[i].kind, 2);
		assert_int_equal(put(f, "csrf", tok), 0);
		assert_int_equal(
		    form_part(f, other[i].k, NULL, NULL, other[i].v, 0, other[i].len), 0);
		assert_int_equal(form_end(f), 0);
		assert_int_equal(form_validate(f, &w), -1);
		assert_int_equal(f->errors, other[i].err);
		endform(f);
	}
}

static void
test_missing_required(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), -1);
	assert_int_equal(f->errors, FE_CATEGORY | FE_WHAT | FE_RISK | FE_RAISED);
	endform(f);
}

static void
test_too_long_kept_short(void **s)
{
	(void)s;
	struct form *f = newform(FORM_REPORT, 2);
	char *big = malloc(FORM_WHAT_MAX + 100);
	memset(big, 'a', FORM_WHAT_MAX + 100);
	big[FORM_WHAT_MAX - 1] = (char)0xC3; /* a 2-byte character cut at the limit */
	big[FORM_WHAT_MAX] = (char)0xA9;
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "reviewer", kid[1]), 0);
	assert_int_equal(put(f, "category", "recording"), 0);
	assert_int_equal(put(f, "risk", "no"), 0);
	assert_int_equal(put(f, "raised_before", "no"), 0);
	assert_int_equal(form_part(f, "team", NULL, NULL, big, 0, FORM_TEAM_MAX + 1), 0);
	assert_int_equal(form_part(f, "what", NULL, NULL, big, 0, 1000), 0);
	assert_int_equal(
	    form_part(f, "what", NULL, NULL, big + 1000, 1000, FORM_WHAT_MAX + 100 - 1000), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), -1);
	assert_int_equal(f->errors, FE_TEAM | FE_WHAT);
	assert_true(f->what.len <= FORM_WHAT_MAX);
	assert_true(util_text_valid(f->what.p, f->what.len, 1)); /* safe to show again */
	free(big);
	endform(f);
}

static void
test_refs_limits(void **s)
{
	(void)s;
	char many[FORM_REFS_TEXT_MAX], longref[FORM_REF_MAX + 8];
	size_t n = 0;
	for (int i = 0; i < FORM_REFS_MAX + 1; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "R%d\n", i);
	memset(longref, 'x', sizeof(longref) - 1);
	longref[sizeof(longref) - 1] = '\0';
	const char *bad[] = {many, longref};
	for (size_t i = 0; i < 2; i++) {
		struct form *f = newform(FORM_REPORT, 2);
		fill_report(f);
		f->refs.seen = 0;
		free(f->refs.p);
		f->refs.p = NULL;
		assert_int_equal(put(f, "refs", bad[i]), 0);
		assert_int_equal(form_end(f), 0);
		assert_int_equal(form_validate(f, &w), -1);
		assert_int_equal(f->errors, FE_REFS);
		endform(f);
	}
}

/* The limits themselves are allowed: a reference of exactly FORM_REF_MAX
 * bytes (spaces around it are trimmed, not counted) and exactly
 * FORM_REFS_MAX references are accepted and sealed whole; one byte or
 * one reference more is refused. */
static void
test_refs_limits_exact(void **s)
{
	(void)s;
	char text[FORM_REFS_TEXT_MAX], ref[FORM_REF_MAX + 2];
	uint8_t *pt;
	size_t len, n, off, k;
	struct field fl[FIELDS_MAX];

	for (int round = 0; round < 4; round++) {
		struct form *f = newform(FORM_REPORT, 2);
		int want_ok = round % 2 == 0;
		size_t nrefs = 1;
		memset(ref, 'R', sizeof(ref));
		if (round < 2) { /* one long reference */
			size_t rl = FORM_REF_MAX + (want_ok ? 0 : 1);
			ref[rl] = '\0';
			snprintf(text, sizeof(text), "  %s\t\r\n", ref);
		} else { /* many short ones */
			nrefs = FORM_REFS_MAX + (want_ok ? 0 : 1);
			for (k = 0, n = 0; k < nrefs; k++)
				n += (size_t)snprintf(text + n, sizeof(text) - n, "REF/%zu\n", k);
		}
		fill_report(f);
		f->refs.seen = 0;
		free(f->refs.p);
		f->refs.p = NULL;
		assert_int_equal(put(f, "refs", text), 0);
		assert_int_equal(form_end(f), 0);
		if (!want_ok) {
			assert_int_equal(form_validate(f, &w), -1);
			assert_int_equal(f->errors, FE_REFS);
			endform(f);
			continue;
		}
		assert_int_equal(form_validate(f, &w), 0);
		assert_int_equal(form_encode(f, &pt, &len), 0);
		assert_int_equal(fields_decode(pt, len, FIELDS_CONCERN, fl, FIELDS_MAX, &n, &off), 0);
		size_t got = 0;
		for (k = 0; k < n; k++) {
			if (strcmp(fl[k].name, "ref") != 0)
				continue;
			if (round == 0) {
				assert_int_equal(fl[k].len, FORM_REF_MAX);
				assert_memory_equal(fl[k].val, ref, FORM_REF_MAX);
			}
			got++;
		}
		assert_int_equal(got, nrefs);
		free(pt);
		endform(f);
	}
}

/* With one reviewer there is no choice: the concern goes to them without a
 * reviewer field; naming them is harmless, naming anyone else is not. */
static void
test_single_reviewer_no_choice(void **s)
{
	(void)s;
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	struct form *f = newform(FORM_REPORT, 1);
	fill_report(f);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	assert_int_equal(form_recipients(f, r), 1);
	assert_memory_equal(r[0].keyid, pubs[0].keyid, CC_KEYID_BYTES);
	endform(f);
	f = newform(FORM_REPORT, 1);
	fill_report(f);
	assert_int_equal(put(f, "reviewer", kid[0]), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	assert_int_equal(form_recipients(f, r), 1);
	endform(f);
	f = newform(FORM_REPORT, 1);
	fill_report(f);
	assert_int_equal(put(f, "reviewer", kid[1]), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), -1);
	assert_int_equal(f->errors, FE_READERS);
	assert_int_equal(form_recipients(f, r), 0);
	endform(f);
}

static void
test_message_needs_text_or_file(void **s)
{
	(void)s;
	struct form *f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "text", " \r\n "), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), -1);
	assert_int_equal(f->errors, FE_TEXT);
	endform(f);
	f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(putfile(f, "a", "text/plain", (const uint8_t *)"x", 1, 1), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), 0);
	endform(f);
}

static void
test_receipt_missing(void **s)
{
	(void)s;
	struct form *f = newform(FORM_RECEIPT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(form_validate(f, &w), -1);
	assert_int_equal(f->errors, FE_RECEIPT);
	endform(f);
}

static void
test_unsafe_file_names(void **s)
{
	(void)s;
	const char *types[] = {"not a type", "text;x=a/b", "", "image/png; name=x"};
	const char *wtypes[] = {"application/octet-stream", "application/octet-stream",
	    "application/octet-stream", "image/png"};
	for (size_t i = 0; i < 4; i++) {
		struct form *f = newform(FORM_MESSAGE, 2);
		size_t len, n, off;
		int rc;
		struct field fl[4];
		assert_int_equal(put(f, "csrf", tok), 0);
		assert_int_equal(putfile(f, "a", types[i], (const uint8_t *)"x", 1, 1), 0);
		assert_int_equal(form_end(f), 0);
		uint8_t *pt = open_upload(f->files[0].handle, rk[0], &len, &rc);
		assert_int_equal(rc, CC_OK);
		assert_int_equal(fields_decode(pt, len, FIELDS_ATTACHMENT, fl, 4, &n, &off), 0);
		assert_int_equal(fl[1].len, strlen(wtypes[i]));
		assert_memory_equal(fl[1].val, wtypes[i], fl[1].len);
		cc_free_wipe(pt, len);
		endform(f);
	}
	const char *names[] = {"../../etc/passwd", ".hidden", "a\nb", "bad\xC3\x28"};
	const char *want[] = {"passwd", "attachment-1", "attachment-1", "attachment-1"};
	for (size_t i = 0; i < 4; i++) {
		struct form *f = newform(FORM_MESSAGE, 2);
		assert_int_equal(put(f, "csrf", tok), 0);
		assert_int_equal(putfile(f, names[i], "not a type", (const uint8_t *)"x", 1, 1), 0);
		assert_int_equal(form_end(f), 0);
		assert_string_equal(f->files[0].name, want[i]);
		endform(f);
	}
}

/* ---- follow-up readers ------------------------------------------------ */

/* A message goes to exactly the concern's readers: a file in it opens
 * with the key of the one the concern went to and not with the other. */
static void
test_message_sealed_to_concern_readers(void **s)
{
	(void)s;
	struct form *f = calloc(1, sizeof(*f));
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	size_t len;
	int rc;
	uint8_t *pt;

	form_init(f, FORM_MESSAGE, NULL, ckey, NOW, pubs, 2);
	cc_recipient_of(&pubs[1], &r[0]);
	form_set_readers(f, FR_OK, r, 1);
	memset(r, 0, sizeof(r));
	assert_int_equal(form_recipients(f, r), 1);
	assert_memory_equal(r[0].keyid, pubs[1].keyid, CC_KEYID_BYTES);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(putfile(f, "a.txt", "text/plain", (const uint8_t *)"secret", 6, 2), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->nfiles, 1);
	pt = open_upload(f->files[0].handle, rk[0], &len, &rc);
	assert_int_equal(rc, CC_ENOTRECIPIENT);
	assert_null(pt);
	pt = open_upload(f->files[0].handle, rk[1], &len, &rc);
	assert_int_equal(rc, CC_OK);
	cc_free_wipe(pt, len);
	endform(f);
}

/* No readers (not prepared, none left, store failed): a file's bytes are
 * read and dropped, nothing reaches the store, no recipients come out. */
static void
test_message_without_readers_seals_nothing(void **s)
{
	(void)s;
	const int states[] = {FR_UNSET, FR_NONE, FR_FAIL};
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	for (size_t i = 0; i < 3; i++) {
		struct form *f = calloc(1, sizeof(*f));
		uint8_t big[40000];
		memset(big, 'x', sizeof(big));
		form_init(f, FORM_MESSAGE, NULL, ckey, NOW, pubs, 2);
		cc_recipient_of(&pubs[0], &r[0]);
		form_set_readers(f, states[i], r, 1); /* ignored unless FR_OK */
		assert_int_equal(form_recipients(f, r), 0);
		assert_int_equal(put(f, "csrf", tok), 0);
		assert_int_equal(putfile(f, "a.txt", "text/plain", big, sizeof(big), 1000), 0);
		assert_int_equal(putfile(f, "b.txt", "text/plain", big, 10, 10), 0);
		assert_int_equal(put(f, "text", "hello"), 0);
		assert_int_equal(form_end(f), 0);
		assert_int_equal(f->nfiles, 0);
		assert_int_equal(live_uploads(), 0);
		assert_int_equal(data_calls, 0);
		assert_string_equal(f->text.p, "hello");
		endform(f);
	}
}

/* A message form has no reviewer choice to make. */
static void
test_message_refuses_reviewer(void **s)
{
	(void)s;
	struct form *f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	expect_status(f, put(f, "reviewer", kid[0]), 400);
	f = newform(FORM_MESSAGE, 2);
	expect_status(f, put(f, "reviewer", ""), 400);
	/* the old one-left-out field is gone: a request that sends it is not ours */
	f = newform(FORM_REPORT, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	expect_status(f, put(f, "leave_out", kid[0]), 400);
}

/* A message form with the given text and voice fields (NULL: absent);
 * returns form_validate's result, the form in *fp. */
static int
voice_form(struct form **fp, const char *text, const char *det, size_t detlen,
    const char *again, size_t againlen)
{
	struct form *f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	if (text != NULL)
		assert_int_equal(put(f, "text", text), 0);
	if (det != NULL)
		assert_int_equal(form_part(f, "detriment", NULL, NULL, det, 0, detlen), 0);
	if (again != NULL)
		assert_int_equal(form_part(f, "again", NULL, NULL, again, 0, againlen), 0);
	assert_int_equal(form_end(f), 0);
	*fp = f;
	return form_validate(f, &w);
}

/* The reporter's voice (issue 12): each answer one of its own values, or
 * absent; anything else refuses the message (FE_VOICE) and nothing is
 * encoded. The values of one question are not the other's. */
static void
test_voice_refused(void **s)
{
	(void)s;
	static const struct {
		const char *det, *again;
		size_t dl, al;
	} bad[] = {
	    {"maybe", NULL, 5, 0},
	    {"YES", NULL, 3, 0},
	    {"yes ", NULL, 4, 0},
	    {"yes\0", NULL, 4, 0},
	    {"no\0no", NULL, 5, 0},
	    {"unsure", NULL, 6, 0}, /* again's value, not detriment's */
	    {NULL, "unsaid", 0, 6}, /* detriment's value, not again's */
	    {NULL, "y", 0, 1},
	    {NULL, "not sure", 0, 8},
	    {NULL, "unsure\n", 0, 7},
	    {"yes", "yesyesyesyes", 3, 12}, /* over the limit: cut, marked too long */
	    {"unsaidxxx", NULL, 9, 0},
	    {"\xc3\xa9", NULL, 2, 0},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct form *f;
		assert_int_equal(
		    voice_form(&f, "words", bad[i].det, bad[i].dl, bad[i].again, bad[i].al), -1);
		assert_true(f->errors & FE_VOICE);
		endform(f);
	}
	/* the same field twice is a malformed request */
	struct form *f = newform(FORM_MESSAGE, 2);
	assert_int_equal(put(f, "csrf", tok), 0);
	assert_int_equal(put(f, "detriment", "yes"), 0);
	expect_status(f, put(f, "detriment", "no"), 400);
	/* not a field of the concern form */
	f = newform(FORM_REPORT, 2);
	expect_status(f, put(f, "again", "yes"), 400);
	f = newform(FORM_RECEIPT, 2);
	expect_status(f, put(f, "detriment", "yes"), 400);
	/* an empty message with no answer is still refused */
	assert_int_equal(voice_form(&f, "", "", 0, "", 0), -1);
	assert_int_equal(f->errors, FE_TEXT);
	endform(f);
}

static void
test_voice_encoded(void **s)
{
	(void)s;
	static const struct {
		const char *text, *det, *again;
		const char *want_det, *want_again;
	} ok[] = {
	    {"words", "yes", "unsure", "yes", "unsure"},
	    {"words", "unsaid", NULL, "unsaid", NULL},
	    {"", NULL, "no", NULL, "no"}, /* answers alone are a message */
	    {"words", "", "", NULL, NULL}, /* empty: not answered, not encoded */
	    {"words", NULL, NULL, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct form *f;
		uint8_t *pt = NULL;
		size_t len = 0, n = 0, off = 0;
		struct field fl[FIELDS_MAX];
		assert_int_equal(voice_form(&f, ok[i].text, ok[i].det,
				     ok[i].det ? strlen(ok[i].det) : 0, ok[i].again,
				     ok[i].again ? strlen(ok[i].again) : 0),
		    0);
		assert_int_equal(form_encode(f, &pt, &len), 0);
		assert_int_equal(fields_decode(pt, len, FIELDS_MESSAGE, fl, FIELDS_MAX, &n, &off), 0);
		const char *want[2] = {ok[i].want_det, ok[i].want_again};
		for (int q = 0; q < VOICE_QUESTIONS; q++) {
			const struct field *g = fields_get(fl, n, voice_field(q));
			if (want[q] == NULL) {
				assert_null(g);
				continue;
			}
			assert_non_null(g);
			assert_int_equal(g->len, strlen(want[q]));
			assert_memory_equal(g->val, want[q], g->len);
			assert_int_equal(voice_parse(q, g->val, g->len) > 0, 1);
		}
		free(pt);
		endform(f);
	}
}

int
main(void)
{
	if (cc_init() != CC_OK || cc_keypair_generate("alice", &rk[0]) != CC_OK ||
	    cc_keypair_generate("bob", &rk[1]) != CC_OK ||
	    cc_keypair_generate("carol", &rk[2]) != CC_OK || web_load("web", "en", &w) != 0)
		return 1;
	for (int i = 0; i < 3; i++) {
		pubs[i] = rk[i]->pub;
		util_hex(pubs[i].keyid, CC_KEYID_BYTES, kid[i]);
	}
	memset(ckey, 0x42, sizeof(ckey));
	csrf_make(ckey, NOW, tok);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_report_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_attachment_sealed_in_pieces, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_body_through_form_upload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chosen_reviewers_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_reviewer_choice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_file_input_ignored, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_value_in_pieces, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_field_of_another_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_field_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_null_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_continuation_of_other_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_field_with_filename, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_without_filename, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_in_receipt_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_before_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_with_bad_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reviewer_choice_after_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_many_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_many_files_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_many_ranks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_refuses_begin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_over_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_fails_mid_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_full_mid_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_byte_budget, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_validation_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_and_control_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_voice_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_voice_encoded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_required, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_long_kept_short, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refs_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refs_limits_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_single_reviewer_no_choice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_message_needs_text_or_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_receipt_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unsafe_file_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_message_sealed_to_concern_readers, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_message_without_readers_seals_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_message_refuses_reviewer, setup, teardown),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	cc_seckey_free(rk[0]);
	cc_seckey_free(rk[1]);
	cc_seckey_free(rk[2]);
	web_free(&w);
	return r;
}
