/*
 * The template engine and the catalogue loader, shared by the intake's
 * pages and the review tool's governance report (DESIGN.md, "Layout"):
 * one HTML-escaping path, one template language, one catalogue format.
 * Functions return 0 / -1 unless said.
 */
#ifndef CANDOUR_TMPL_H
#define CANDOUR_TMPL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- limits ------------------------------------------------------------ */
#define TMPL_OUT_MAX ((size_t)4 << 20)	 /* rendered text ceiling (one buffer) */
#define WEB_FILE_MAX ((size_t)256 << 10) /* one template / css / catalogue */
#define WEB_CATALOGUE_MAX 2048		 /* catalogue entries (pages and cli.*) */
#define WEB_CATALOGUE_SLOTS 4096	 /* its hash index: a power of two, 2 x MAX */
#define WEB_CATEGORIES_MAX 32
#define WEB_SLUG_MAX 64	 /* a category slug */
#define TMPL_VARS_MAX 48 /* variables in one scope */
#define TMPL_DEPTH_MAX 8 /* nested sections */

/* ---- growing text buffer and the ONE html-escaping path (tmpl.c) ------ */
struct tbuf {
	char *p;
	size_t len, cap;
	int err; /* sticky: allocation failed or TMPL_OUT_MAX passed */
};
void tbuf_put(struct tbuf *, const char *s, size_t len);
void tbuf_puts(struct tbuf *, const char *s);
/* Escapes & < > " ' as entities. Every byte of reporter, reviewer or
 * catalogue text reaches a page through this function. */
void tbuf_esc(struct tbuf *, const char *s, size_t len);
void tbuf_free(struct tbuf *); /* wipes: pages may hold reporter text */

/* ---- templates (tmpl.c) -------------------------------------------------
 * {{name}} escaped text; {{&name}} HTML made by the renderer or qr_svg
 * (a TV_HTML variable only; text is refused); {{t.key}} catalogue string,
 * escaped; {{#name}}..{{/name}} a list (once per item) or a condition
 * (text not empty and not "0"); {{^name}}..{{/name}} the inverse. An
 * unknown {{name}} or catalogue key fails the render (no silent holes). */
enum tvar_type { TV_TEXT = 1, TV_HTML = 2, TV_LIST = 3 };
struct tvars;
struct tvar {
	const char *name;
	int type;
	const char *s;
	size_t len;
	const struct tvars *items;
	size_t nitems;
};
struct tvars {
	struct tvar v[TMPL_VARS_MAX];
	size_t n;
	int err;
	const struct tvars *parent; /* set by the renderer for list items */
};
void tv_text(struct tvars *, const char *name, const char *s);
void tv_textn(struct tvars *, const char *name, const char *s, size_t len);
void tv_html(struct tvars *, const char *name, const struct tbuf *html);
void tv_list(struct tvars *, const char *name, const struct tvars *items, size_t n);

struct catalogue;
int tmpl_render(
    const char *tmpl, size_t len, const struct catalogue *, const struct tvars *, struct tbuf *out);

/* ---- catalogue of strings and the category list (catalogue.c) ---------- */
struct catalogue {
	size_t n;
	struct {
		char *key;
		char *val;
	} e[WEB_CATALOGUE_MAX];
	/* e's index + 1 by the key's hash (0: free), open addressing: a
	 * catalogue of ~1,500 keys was looked up by a strcmp of each, and
	 * parsed by one of each against those before it (~1.1 million a
	 * catalogue, ~10 ms of CPU at each serve start). Entries are added
	 * by catalogue_parse and catalogue_add only. */
	uint16_t slot[WEB_CATALOGUE_SLOTS];
};
/* "key = value" lines, '#' comments; NULL when missing. */
int catalogue_parse(const char *text, size_t len, struct catalogue *);
const char *catalogue_get(const struct catalogue *, const char *key);
/* Adds copies of key and val; -1 (nothing added) when key is there
 * already, the catalogue is full or memory ran out. */
int catalogue_add(struct catalogue *, const char *key, const char *val);
void catalogue_free(struct catalogue *);

/* Reads DIR/REL (at most WEB_FILE_MAX bytes, valid UTF-8 text); *buf is
 * malloc'd and NUL-ended. */
int tmpl_load_file(const char *dir, const char *rel, char **buf, size_t *len);
/* Parses categories.txt (one slug [a-z0-9-] a line, '#' comments, no
 * repeats, at least one) into cats[0..*n) (strdup'd; text is modified).
 * On -1 the caller still frees cats[0..*n). */
int tmpl_categories_parse(char *text, char *cats[WEB_CATEGORIES_MAX], size_t *n);

/* ---- the command-line programs' words (cli_text.c) ----------------------
 * Lines from the catalogue keys cli.* in the chosen language; the head of
 * cli_text.c says where the catalogue is found and the built-in English. */
#define WEB_DIR_CANDIDATES 4 /* web/ directories looked in */
#define CLI_NUM_CHARS 24     /* a number as text */
/* "en" or "cy" (--lang): the lines from then on; -1 for anything else. */
int cli_lang_set(const char *lang);
/* A command's --web DIR: its catalogue is looked for there only. */
void cli_web_set(const char *dir);
/* "en" or "cy": --lang, else the environment as gettext reads it. */
const char *cli_lang(void);
const char *cli_lang_from(
    const char *language, const char *lc_all, const char *lc_messages, const char *lang);
/* The web/ directories to look in, in order; returns how many. */
size_t tmpl_web_candidates(char cand[WEB_DIR_CANDIDATES][PATH_MAX]);
/* The first candidate holding the file marker (relative to web/) into out;
 * -1 when none does, tried then listing every directory looked in. */
/* 1 when DIR/marker is a regular file. */
int tmpl_web_has(const char *dir, const char *marker);
#define WEB_TRIED_MAX 2048 /* the directories looked in, as one line */
int tmpl_find_web(const char *marker, char *out, size_t outlen, char *tried, size_t triedlen);
/* key's text in the language (never NULL; the key when no catalogue has it). */
const char *cli_text(const char *key);
/* A fixed English phrase of a lower layer (util_in_problem, cb_open's why)
 * said in the language when a cli.why.* key has it as its English; else
 * the phrase as given. */
const char *cli_phrase(const char *english);
/* kv: the key, then the values of {1}, {2}, ..., then NULL. The text is
 * never a format; "\n" in it is a newline. */
void cli_puta(FILE *, const char *const *kv);
const char *cli_filla(char *out, size_t outlen, const char *const *kv);
#define CLI_PUT(f, ...) cli_puta(f, (const char *const[]){__VA_ARGS__, NULL})
#define CLI_FILL(out, outlen, ...) cli_filla(out, outlen, (const char *const[]){__VA_ARGS__, NULL})
#define CLI_T(key) cli_text(key)
/* A number as text for a {N}; CLI_NUM's buffer lives to the end of the block. */
const char *cli_num(char b[CLI_NUM_CHARS], long long v);
#define CLI_NUM(v) cli_num((char[CLI_NUM_CHARS]){""}, (long long)(v))
/* The same for an unsigned one (a sequence number may pass LLONG_MAX). */
const char *cli_unum(char b[CLI_NUM_CHARS], unsigned long long v);
#define CLI_UNUM(v) cli_unum((char[CLI_NUM_CHARS]){""}, (unsigned long long)(v))
/* s cut to at most n bytes (a "%.40s" of old): a long argument stays one line. */
#define CLI_HEAD_MAX 64
const char *cli_headb(char b[CLI_HEAD_MAX + 1], const char *s, size_t n);
#define cli_head(s, n) cli_headb((char[CLI_HEAD_MAX + 1]){""}, s, n)
void cli_text_free(void);
/* A program's commands (each program keeps its own table) and its usage:
 * the head key's text, a line per command ("  NAME ", NAME padded to 15,
 * then its what key's text), then each key of tail (NULL-ended). Returns
 * 0 on stdout (--help), else 2 (the usage-error exit). */
struct cli_cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *what; /* a cli.* key */
};
int cli_commands(FILE *f, const char *head, const struct cli_cmd *cmds, size_t n,
    const char *const *tail);

#endif
