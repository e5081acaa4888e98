/*
 * Form handling (intake/form.c, form_check.c, upload.c): the parts that
 * libmicrohttpd's post processor hands over for a urlencoded or multipart
 * body, in any order, split anywhere, with any names, file names and
 * content types. Files are sealed and streamed to a fake store (a thread
 * answering the store protocol) that also checks every frame the client
 * sends is well formed.
 * Input: byte 0 the form kind, byte 1 the message readers state, then
 * parts: an op byte (low 4 bits: field name; 0x10 continue the current
 * part; 0x20 with a file name; 0x40 with a content type; 0x80 a valid
 * anti-forgery token or reviewer id instead of the data), then the file
 * name, content type and data as length-prefixed pieces.
 * Properties: a form that validates encodes to a plaintext that decodes
 * with its magic; texts are valid UTF-8 within their limits; at most
 * INTAKE_MAX_ATTACHMENTS files; nothing leaks (ASan).
 */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "intake/http.h"
#include "intake/store_int.h"
#include "tests/fuzz/fuzz.h"
#include "util/util.h"

#define NREV 3
static struct cc_pubkey revs[NREV];
static uint8_t csrf_key[CSRF_KEY_BYTES];
static struct store_conn *conn;
static struct web web;
static const uint64_t now_s = 1764000000;

static const char *const keys[16] = {"csrf", "category", "team", "what", "when", "refs",
    "risk", "raised_before", "raised_with", "reviewer", "receipt", "text", "file", "file",
    "what", "bogus"};

/* The fake store: the upload half of the protocol, frames checked. */
static void *
fake_store(void *arg)
{
	int fd = *(int *)arg;
	static uint8_t in[STORE_HDR_BYTES + STORE_MSG_MAX];
	uint64_t next = 1;

	for (;;) {
		ssize_t n = recv(fd, in, sizeof(in), 0);
		uint8_t out[STORE_HDR_BYTES + SP_END_BYTES] = {STORE_OK, 0, 0, 0};
		size_t olen = 0;

		if (n <= 0)
			return NULL;
		if (n < STORE_HDR_BYTES || in[1] || in[2] || in[3] ||
		    sp_get32(in + 4) != (size_t)n - STORE_HDR_BYTES)
			abort(); /* the client sent a malformed frame */
		switch (in[0]) {
		case STORE_UPLOAD_BEGIN:
			sp_put64(out + STORE_HDR_BYTES, next++);
			olen = 8;
			break;
		case STORE_UPLOAD_DATA:
			if (n < STORE_HDR_BYTES + 8 + 1 || n > STORE_HDR_BYTES + 8 + STORE_CHUNK_MAX)
				abort();
			break;
		case STORE_UPLOAD_END:
			olen = SP_END_BYTES;
			break;
		case STORE_UPLOAD_DROP:
			break;
		default:
			abort(); /* a form never commits or fetches by itself */
		}
		sp_put32(out + 4, (uint32_t)olen);
		if (send(fd, out, STORE_HDR_BYTES + olen, MSG_NOSIGNAL) < 0)
			return NULL;
	}
}

static void
make_seeds(void)
{
	struct fzw *w = calloc(1, sizeof(*w));
	char hex[FORM_KEYID_HEX + 1];

	if (w == NULL)
		abort();
	util_hex(revs[1].keyid, CC_KEYID_BYTES, hex);
	fz_put8(w, FORM_REPORT);
	fz_put8(w, FR_OK);
	fz_put8(w, 0x80 | 0); /* csrf, valid */
	fz_put_str(w, "");
	fz_put8(w, 1);
	fz_put_str(w, "safety");
	fz_put8(w, 2);
	fz_put_str(w, "Ops team");
	fz_put8(w, 3);
	fz_put_str(w, "What happened, in some detail.\r\nLine two: caf\xc3\xa9.");
	fz_put8(w, 0x10 | 3);
	fz_put_str(w, " More of it.");
	fz_put8(w, 4);
	fz_put_str(w, "2025-11-01");
	fz_put8(w, 5);
	fz_put_str(w, "REF/2024/00012, PPN-123456");
	fz_put8(w, 6);
	fz_put_str(w, "yes");
	fz_put8(w, 7);
	fz_put_str(w, "yes");
	fz_put8(w, 8);
	fz_put_str(w, "my manager");
	fz_put8(w, 9);
	fz_put_str(w, hex);
	fz_put8(w, 0x60 | 12);
	fz_put_str(w, "C:\\docs\\minutes.pdf");
	fz_put_str(w, "application/pdf; charset=binary");
	fz_put_str(w, "%PDF-1.4 bytes");
	fz_put8(w, 0x10 | 12);
	fz_put_str(w, "");
	fz_put_str(w, "");
	fz_put_str(w, " more bytes");
	fz_seed("report", w->b, w->n);
	w->n = 0;
	fz_put8(w, FORM_MESSAGE);
	fz_put8(w, FR_OK);
	fz_put8(w, 0x80 | 0);
	fz_put_str(w, "");
	fz_put8(w, 11);
	fz_put_str(w, "A follow-up message.");
	fz_put8(w, 0x20 | 12);
	fz_put_str(w, "note.txt");
	fz_put_str(w, "hello");
	fz_seed("message", w->b, w->n);
	w->n = 0;
	fz_put8(w, FORM_RECEIPT);
	fz_put8(w, 0);
	fz_put8(w, 0x80 | 0);
	fz_put_str(w, "");
	fz_put8(w, 10);
	fz_put_str(w, "abcd-efgh-jkmn-pqrs-tv12");
	fz_seed("receipt", w->b, w->n);
	free(w);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static int sv[2];
	pthread_t th;
	const char *dir = getenv("CANDOUR_WEB_DIR");

	(void)argc;
	(void)argv;
	fz_init();
	memset(csrf_key, 3, sizeof(csrf_key));
	fz_reviewers(revs, NREV);
	if (web_load(dir ? dir : "web", "en", &web) != 0) {
		fprintf(stderr, "fuzz_form: run from the source tree (or set CANDOUR_WEB_DIR)\n");
		abort();
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0 || storec_open(sv[0], &conn) != 0 ||
	    pthread_create(&th, NULL, fake_store, &sv[1]) != 0)
		abort();
	make_seeds();
	return 0;
}

static void
check_text(const struct form_text *t, size_t max)
{
	if (t->seen && (t->len > max + 1 || t->p[t->len] != '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data, size};
	struct form *f = malloc(sizeof(*f));
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	char tok[CSRF_TOKEN_LEN + 1], hex[FORM_KEYID_HEX + 1], name[256], ctype[256];
	const char *cur = NULL;
	uint64_t off = 0;
	int kind = 1 + fz_u8(&z) % 4, readers = fz_u8(&z) % 4;

	if (f == NULL || csrf_make(csrf_key, now_s, tok) != 0)
		abort();
	form_init(f, kind, conn, csrf_key, now_s, revs, NREV);
	if (kind == FORM_MESSAGE) {
		for (int i = 0; i < 2; i++)
			cc_recipient_of(&revs[i], &r[i]);
		form_set_readers(f, readers, r, 2);
	}
	while (z.n > 0 && f->status == 0) {
		uint8_t op = fz_u8(&z);
		const char *key = keys[op & 15];
		const uint8_t *p;
		size_t len;
		const char *fn = NULL, *ct = NULL;

		p = fz_bytes(&z, &len);
		if (op & 0x20) {
			snprintf(name, sizeof(name), "%.*s", (int)len, (const char *)p);
			fn = name;
		}
		p = fz_bytes(&z, &len);
		if (op & 0x40) {
			snprintf(ctype, sizeof(ctype), "%.*s", (int)len, (const char *)p);
			ct = ctype;
		}
		p = fz_bytes(&z, &len);
		if (op & 0x80) {
			util_hex(revs[op % NREV].keyid, CC_KEYID_BYTES, hex);
			p = (const uint8_t *)(strcmp(key, "csrf") == 0 ? tok : hex);
			len = strlen((const char *)p);
		}
		if (!((op & 0x10) && cur == key))
			off = 0;
		cur = key;
		(void)form_part(f, key, fn, ct, (const char *)p, off, len);
		off += len;
	}
	if (form_end(f) == 0 && f->status == 0) {
		check_text(&f->what, FORM_WHAT_MAX);
		check_text(&f->text, FORM_WHAT_MAX);
		check_text(&f->refs, FORM_REFS_TEXT_MAX);
		if (f->nfiles > INTAKE_MAX_ATTACHMENTS)
			abort();
		if (form_validate(f, &web) == 0 && (kind == FORM_REPORT || kind == FORM_MESSAGE)) {
			uint8_t *pt;
			size_t ptlen, n, poff;
			struct field fl[FIELDS_MAX];
			if (form_encode(f, &pt, &ptlen) != 0 ||
			    fields_decode(pt, ptlen, kind == FORM_REPORT ? FIELDS_CONCERN : FIELDS_MESSAGE,
				fl, FIELDS_MAX, &n, &poff) != 0 ||
			    poff != ptlen)
				abort();
			for (size_t i = 0; i < n; i++)
				if (!util_text_valid((const char *)fl[i].val, fl[i].len, 1))
					abort();
			cc_free_wipe(pt, ptlen);
		}
	}
	form_abort(f);
	form_free(f);
	free(f);
	return 0;
}
