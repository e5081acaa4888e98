/*
 * The template engine and the string catalogue (tmpl/tmpl.c, catalogue.c).
 * Input: catalogue text, a NUL byte, then a template (no NUL: the input is
 * a template and the catalogue is empty). The
 * variables are fixed: text holding markup, an HTML variable, a list.
 * Property: text from a variable reaches the page only escaped (see
 * check_escaped).
 */
#include "tmpl/tmpl.h"
#include "tests/fuzz/fuzz.h"

static struct tvars v, items[3];
static struct tbuf html;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[] = {"a<script>", "b&\"'", "c"};
	static const char seed[] = "home.title = Report <safely>\nerr.x = Error: {{y}}\n"
				   "\0<h1>{{t.home.title}}</h1>{{name}}{{&html}}"
				   "{{#list}}<li>{{x}} {{name}}</li>{{/list}}{{^no}}none{{/no}}"
				   "{{#yes}}{{t.err.x}}{{/yes}}";
	(void)argc;
	(void)argv;
	fz_init();
	tbuf_puts(&html, "<b>made by the renderer</b>");
	if (html.err)
		abort();
	for (size_t i = 0; i < 3; i++)
		tv_text(&items[i], "x", names[i]);
	tv_text(&v, "name", "<script>alert(1)</script>");
	tv_html(&v, "html", &html);
	tv_list(&v, "list", items, 3);
	tv_text(&v, "yes", "1");
	tv_text(&v, "no", "0");
	tv_text(&v, "empty", "");
	if (v.err)
		abort();
	fz_seed("page", seed, sizeof(seed) - 1);
	return 0;
}

/* A markup character the page holds that neither the template nor the
 * catalogue holds (and no {{&html}}) can only come from a variable that
 * went out unescaped. */
static void
check_escaped(const uint8_t *in, size_t inlen, const struct tbuf *out)
{
	static const char markup[] = "<>\"'";

	if (out->len == 0 || (inlen >= 3 && memmem(in, inlen, "{{&", 3) != NULL))
		return;
	for (size_t i = 0; i < sizeof(markup) - 1; i++)
		if (memchr(in, markup[i], inlen) == NULL && memchr(out->p, markup[i], out->len) != NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct catalogue *cat = calloc(1, sizeof(*cat));
	struct tbuf out = {0};
	const char *t = (const char *)data;
	size_t tlen = size;

	if (cat == NULL)
		abort();
	if (nul != NULL) {
		if (catalogue_parse((const char *)data, (size_t)(nul - data), cat) != 0)
			catalogue_free(cat);
		t = (const char *)nul + 1;
		tlen = size - (size_t)(nul - data) - 1;
	}
	for (size_t i = 0; i < cat->n; i++)
		if (catalogue_get(cat, cat->e[i].key) == NULL)
			abort();
	if (tmpl_render(t, tlen, cat, &v, &out) == 0 && !out.err)
		check_escaped(data, size, &out);
	tbuf_free(&out);
	catalogue_free(cat);
	free(cat);
	return 0;
}
