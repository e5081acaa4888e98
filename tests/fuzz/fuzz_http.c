/*
 * The intake end to end from the bytes a client sends: each input is the
 * raw bytes of one connection (request lines, headers, cookies,
 * urlencoded and multipart bodies, chunked or not, pipelined requests),
 * parsed by libmicrohttpd itself and answered by the intake's own handler
 * (intake/http.c: routing, limits, the post processor, forms, pages,
 * templates, sessions, the receipt KDF), against the real store loop on a
 * real intake.db in a temporary directory (tmpfs), its KDF the tests'
 * cheapest ("min").
 *
 * The harness (the daemon, the markers, the checks of every answer) is in
 * fuzz_intake.h.
 */
#include "tests/fuzz/fuzz_intake.h"

static void
seed(const char *name, const char *head, const char *ctype, const char *body)
{
	struct tbuf t = {0};

	req_of(&t, head, ctype, body);
	fz_seed(name, t.p, t.len);
	tbuf_free(&t);
}

#define MP "multipart/form-data; boundary=XyZ"
#define PART(name) "--XyZ\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n"
#define FILE_PART(fn, head)                                                                \
	"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" fn "\"\r\n" head \
	"\r\n"

/* A chunked POST of the parts body1 and body2 (two chunks, their sizes
 * those of the parts once expanded). */
static void
seed_chunked(const char *name, const char *head, const char *body1, const char *body2)
{
	struct tbuf t = {0};
	char n[32];

	tbuf_puts(&t, head);
	tbuf_puts(&t, "Host: intake\r\nTransfer-Encoding: chunked\r\n"
		      "Content-Type: application/x-www-form-urlencoded\r\n\r\n");
	snprintf(n, sizeof(n), "%zx\r\n", expanded_len(body1));
	tbuf_puts(&t, n);
	tbuf_puts(&t, body1);
	snprintf(n, sizeof(n), "\r\n%zx;ext=1\r\n", expanded_len(body2));
	tbuf_puts(&t, n);
	tbuf_puts(&t, body2);
	tbuf_puts(&t, "\r\n0\r\nX-Trailer: t\r\n\r\n");
	if (t.err)
		abort();
	fz_seed(name, t.p, t.len);
	tbuf_free(&t);
}

static void
make_seeds(void)
{
	static const char pipelined[] = "GET / HTTP/1.1\r\nHost: intake\r\n\r\n"
					"HEAD /report HTTP/1.1\r\nHost: intake\r\n\r\n"
					"GET /transparency HTTP/1.1\r\nHost: intake\r\n\r\n"
					"GET /static/style.css HTTP/1.1\r\nHost: intake\r\n\r\n";
	static const char multipart[] =
	    PART("csrf") "@C@\r\n" PART("category") "recording\r\n" PART("what") "Words.\r\n"
	    PART("risk") "no\r\n" PART("raised_before") "yes\r\n" PART("raised_with") "A lead\r\n"
	    FILE_PART("a.txt", "Content-Type: text/plain\r\n") "file bytes\r\n"
	    FILE_PART("b.png", "Content-Type: image/png\r\n") "\x89PNG\r\n\x1a\n\r\n"
	    "--XyZ--\r\n";
	static const char message[] = PART("csrf") "@C@\r\n" PART("text") "More.\r\n"
	    FILE_PART("c.txt", "") "more bytes\r\n--XyZ--\r\n";
	char *over = malloc(FH_MAX_UPLOAD + 64);

	if (over == NULL)
		abort();
	seed("home", "GET / HTTP/1.1\r\nAccept-Language: cy-GB;q=0.9, en;q=0.1\r\n", NULL, "");
	seed("report-form", "GET /en/report HTTP/1.0\r\nCookie: a=b; " HTTP_COOKIE "=zz\r\n",
	    NULL, "");
	seed("report", "POST /report HTTP/1.1\r\nSec-Fetch-Site: same-origin\r\n",
	    "application/x-www-form-urlencoded", report_body);
	seed("report-bad", "POST /report HTTP/1.1\r\nOrigin: http://intake\r\n",
	    "application/x-www-form-urlencoded",
	    "csrf=@C@&category=nope&what=&when=31-02-2025&refs=x&risk=maybe");
	seed("report-multipart", "POST /cy/report HTTP/1.1\r\n", MP, multipart);
	seed_chunked("report-chunked", "POST /cy/report HTTP/1.1\r\n", "csrf=@C@&category=other&",
	    "what=Chunked+text+%C3%A9&when=&risk=no&raised_before=no");
	seed("receipt", "POST /followup HTTP/1.1\r\n", "application/x-www-form-urlencoded",
	    "csrf=@C@&receipt=@R@");
	seed("receipt-wrong", "POST /followup HTTP/1.1\r\n", "application/x-www-form-urlencoded",
	    "csrf=@C@&receipt=abcd-efgh-jkmn-pqrs-tv12");
	seed("followup", "GET /followup HTTP/1.1\r\nCookie: " HTTP_COOKIE "=@S@\r\n", NULL, "");
	seed("message", "POST /followup/message HTTP/1.1\r\nCookie: " HTTP_COOKIE "=@S@\r\n", MP,
	    message);
	seed("leave", "GET /cy/leave HTTP/1.1\r\nCookie: " HTTP_COOKIE "=@S@\r\n", NULL, "");
	/* past --max-upload: the form goes back with its text */
	snprintf(over, FH_MAX_UPLOAD + 64, "csrf=@C@&category=other&risk=no&what=");
	memset(over + strlen(over), 'a', FH_MAX_UPLOAD);
	over[FH_MAX_UPLOAD + 40] = '\0';
	seed("over", "POST /report HTTP/1.1\r\n", "application/x-www-form-urlencoded", over);
	free(over);
	seed("method", "PUT /report HTTP/1.1\r\n", "text/plain", "x");
	seed("cross-site", "POST /followup HTTP/1.1\r\nSec-Fetch-Site: cross-site\r\n",
	    "application/x-www-form-urlencoded", "csrf=@C@&receipt=@R@");
	fz_seed("pipelined", pipelined, sizeof(pipelined) - 1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fi_start("fuzz_http");
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tbuf out = {0};

	run(data, size, &out);
	tbuf_free(&out);
	return 0;
}
