/*
 * The operator's configuration files: categories.txt (read by the intake's
 * web_load, the desk's desk_web_load and the report, all through
 * tmpl_load_file and tmpl_categories_parse) and the contacts file (serve
 * --contacts: intake/contacts.c's contacts_load, its "key = value" lines
 * through catalogue_parse, its numbers checked and joined to the
 * catalogue). Byte 0 picks the file (bit 0), --demo (bit 1) and, for the
 * contacts, a catalogue that already holds site.police (bit 2: the file's
 * numbers cannot join it); the rest is the file, written to a temporary
 * directory and read as the product reads it (an empty rest: no file).
 *
 * Properties: no crash, leak or sanitizer report; categories read are
 * 1..WEB_CATEGORIES_MAX distinct slugs of [a-z0-9-], each a line of the
 * file; contacts that load put exactly the six site.* keys in the
 * catalogue, each number shown as digits, no-break spaces and a leading
 * '+' only (no markup: the pages print them), its _tel form '+' and three
 * or more digits, the placeholder only with --demo; a refusal says why
 * (serve then stops: what it added to the catalogue is not used).
 */
#include "intake/http.h"
#include "tests/fuzz/fuzz.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

static char dir[256], cpath[300], catpath[300];

static void
cleanup(void)
{
	(void)unlink(cpath);
	(void)unlink(catpath);
	(void)rmdir(dir);
}

/* slug is a line of text (len bytes), blanks and tabs around it and a CR
 * after it aside. */
static int
a_line(const uint8_t *text, size_t len, const char *slug)
{
	size_t k = strlen(slug), i = 0;

	while (i < len) {
		size_t e = i, a, b;
		while (e < len && text[e] != '\n')
			e++;
		for (a = i; a < e && (text[a] == ' ' || text[a] == '\t'); a++)
			;
		for (b = e;
		     b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r');
		     b--)
			;
		if (b - a == k && memcmp(text + a, slug, k) == 0)
			return 1;
		i = e + 1;
	}
	return 0;
}

static void
categories(const uint8_t *data, size_t size)
{
	char *text = NULL, *cats[WEB_CATEGORIES_MAX];
	size_t len, n = 0;

	if (util_write_file(catpath, data, size, 0600, 0) != 0)
		abort();
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0)
		return;
	if (len != size)
		abort(); /* read, yet not all of it */
	if (tmpl_categories_parse(text, cats, &n) == 0) {
		if (n < 1 || n > WEB_CATEGORIES_MAX)
			abort();
		for (size_t i = 0; i < n; i++) {
			if (cats[i][0] == '\0' || strlen(cats[i]) > WEB_SLUG_MAX ||
			    strspn(cats[i], "abcdefghijklmnopqrstuvwxyz0123456789-") !=
				strlen(cats[i]))
				abort(); /* not a slug */
			for (size_t j = 0; j < i; j++)
				if (strcmp(cats[i], cats[j]) == 0)
					abort(); /* a repeat */
			if (!a_line(data, size, cats[i]))
				abort(); /* not the file's */
		}
	} else if (n > WEB_CATEGORIES_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		free(cats[i]);
	free(text);
}

/* A number as shown: digits, a leading '+', no-break spaces (C2 A0). */
static int
shown_ok(const char *s)
{
	size_t digits = 0;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '+' && i == 0)
			;
		else if ((unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] == 0xa0)
			i++;
		else
			return 0;
	}
	return digits >= 3;
}

static void
contacts(uint8_t how, const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"site.out_of_hours", "site.police", "site.police_non"};
	struct web w;
	const char *why = NULL;
	int demo = (how & 2) != 0, pre = (how & 4) != 0;
	size_t before;

	memset(&w, 0, sizeof(w));
	if (pre && catalogue_add(&w.cat, "site.police", "999") != 0)
		abort();
	before = w.cat.n;
	(void)unlink(cpath);
	if (size > 0 && util_write_file(cpath, data, size, 0600, 0) != 0)
		abort();
	if (contacts_load(&w, cpath, demo, &why) == 0) {
		if (pre || w.cat.n != 6)
			abort(); /* joined a catalogue that had site.police */
		for (size_t k = 0; k < 3; k++) {
			char tk[64];
			const char *v = catalogue_get(&w.cat, keys[k]), *t;
			snprintf(tk, sizeof(tk), "%s_tel", keys[k]);
			t = catalogue_get(&w.cat, tk);
			if (v == NULL || t == NULL || !shown_ok(v) ||
			    !util_text_valid(v, strlen(v), 0) ||
			    strspn(t + (t[0] == '+'), "0123456789") != strlen(t) - (t[0] == '+') ||
			    strlen(t) < 3 || (!demo && strcmp(t, CONTACTS_PLACEHOLDER_TEL) == 0))
				abort();
		}
	} else if (why == NULL)
		abort(); /* refused without a reason */
	else if (w.cat.n < before)
		abort();
	catalogue_free(&w.cat);
}

static void
make_seeds(void)
{
	static const struct {
		const char *name, *text;
		uint8_t how;
	} s[] = {
	    {"categories", "# the deployment's\nsafety\nfraud\n\nother-thing\n", 0},
	    {"categories-repeat", "safety\nSafety\nsafety\n", 0},
	    {"categories-not-slugs", "  safety\t\nOut of <b>hours</b>\n", 0},
	    {"contacts", "# ours\nout_of_hours = 0300 123 4567\npolice_non = +44 101\n", 1},
	    {"contacts-placeholder", "out_of_hours = 0300 000 0000\n", 1},
	    {"contacts-demo", "out_of_hours = 0300 000 0000\n", 3},
	    {"contacts-markup", "out_of_hours = <b>0300</b>\npolice = 9 9 9\n", 1},
	    {"contacts-full", "out_of_hours = 0300 123 4567\n", 5},
	};
	struct fzw *w = calloc(1, sizeof(*w));

	if (w == NULL)
		abort();
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		w->n = 0;
		fz_put8(w, s[i].how);
		for (const char *p = s[i].text; *p; p++)
			fz_put8(w, (uint8_t)*p);
		fz_seed(s[i].name, w->b, w->n);
	}
	free(w);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_init();
	fz_tmpdir(dir, sizeof(dir), "candour-fuzz-config", cleanup);
	snprintf(cpath, sizeof(cpath), "%s/contacts.txt", dir);
	snprintf(catpath, sizeof(catpath), "%s/categories.txt", dir);
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		contacts(data[0], data + 1, size - 1);
	else
		categories(data + 1, size - 1);
	return 0;
}
