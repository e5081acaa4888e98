/*
 * The command-line programs' words: every line candour-review and
 * candour-intake print for a person comes from the same catalogues as the
 * pages (web/locale/LANG.txt, keys cli.*), in the language chosen by
 * --lang or else by the environment as gettext reads it.
 *
 * Where the words come from, in order:
 *   1. LANG.txt of the web/ directory the programs already use: --web when
 *      the command has it, else beside the binary (build/../web,
 *      PREFIX/share/candour/web), CANDOUR_WEB_DIR, ./web;
 *   2. the English catalogue built into the program: web/locale/en.txt as
 *      it was at build time (.incbin below; the Makefile makes this object
 *      depend on en.txt, so it cannot drift from the file);
 *   3. the key itself (a key no catalogue has: tests/lint/cli-words.sh
 *      fails the build's lint before that can ship).
 * So a program moved away from its web/ still prints usable English, and
 * a key an older installed catalogue lacks is said in English.
 *
 * Values reach a line only through {1}..{9} in the catalogue text, never
 * as a printf format: a translator's text cannot read the stack.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpl/tmpl.h"

#ifndef CANDOUR_WEB_DIR
#define CANDOUR_WEB_DIR "/usr/local/share/candour/web"
#endif

/* web/locale/en.txt, NUL-ended, from the source tree the program was
 * built in (the compiler runs in the tree's root: see the Makefile). */
extern const char cli_builtin_en[];
__asm__(".pushsection .rodata\n"
	".balign 16\n"
	".type cli_builtin_en, @object\n"
	"cli_builtin_en:\n"
	".incbin \"web/locale/en.txt\"\n"
	".byte 0\n"
	".size cli_builtin_en, . - cli_builtin_en\n"
	".popsection\n");

struct said {
	struct said *next;
	char kv[];
};

static struct {
	const char *lang_set; /* --lang */
	const char *web_set;  /* --web */
	int loaded;
	char *text;	     /* LANG.txt from web/ (malloc'd), or NULL */
	struct said *said; /* the lines looked up, "key\0value" each */
} cli;

int
cli_lang_set(const char *lang)
{
	if (lang == NULL || (strcmp(lang, "en") != 0 && strcmp(lang, "cy") != 0))
		return -1;
	if (cli.loaded && (cli.lang_set == NULL || strcmp(cli.lang_set, lang) != 0))
		cli_text_free(); /* reloaded in the new language at the next line */
	cli.lang_set = lang;
	return 0;
}

void
cli_web_set(const char *dir)
{
	if (cli.loaded)
		cli_text_free();
	cli.web_set = dir;
}

static int
is_cy(const char *v)
{
	return v != NULL && v[0] == 'c' && v[1] == 'y' &&
	       (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '@' || v[2] == ':');
}

const char *
cli_lang_from(const char *language, const char *lc_all, const char *lc_messages, const char *lang)
{
	const char *loc = lc_all && *lc_all		? lc_all
			  : lc_messages && *lc_messages ? lc_messages
			  : lang && *lang		? lang
							: NULL;

	/* gettext: LANGUAGE, a list in order of preference, is honoured
	 * unless the locale is C (POSIX); its first language we have wins. */
	if (language != NULL && *language != '\0' && loc != NULL && strcmp(loc, "C") != 0 &&
	    strcmp(loc, "POSIX") != 0) {
		for (const char *p = language; *p != '\0';) {
			size_t n = strcspn(p, ":");
			if (n >= 2 && p[0] == 'c' && p[1] == 'y' &&
			    (n == 2 || !(p[2] >= 'a' && p[2] <= 'z')))
				return "cy";
			if (n >= 2 && p[0] == 'e' && p[1] == 'n' &&
			    (n == 2 || !(p[2] >= 'a' && p[2] <= 'z')))
				return "en";
			p += n + (p[n] == ':');
		}
	}
	return is_cy(loc) ? "cy" : "en";
}

const char *
cli_lang(void)
{
	if (cli.lang_set != NULL)
		return cli.lang_set;
	return cli_lang_from(
	    getenv("LANGUAGE"), getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"));
}

/* The web/ directories the programs look in, in serve's order; n found. */
size_t
tmpl_web_candidates(char cand[WEB_DIR_CANDIDATES][PATH_MAX])
{
	char exe[PATH_MAX];
	size_t n = 0;
	ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	/* Beside the binary first: build/candour-intake finds the tree it
	 * was built in (build/../web), PREFIX/bin/candour-intake the
	 * installed copy (PREFIX/share/candour/web), wherever they moved. */
	if (l > 0) {
		exe[l] = '\0';
		char *slash = strrchr(exe, '/'); /* .../bin/candour-intake */
		if (slash != NULL)
			*slash = '\0';
		slash = strrchr(exe, '/'); /* .../bin */
		if (slash != NULL && slash - exe < PATH_MAX - 32) {
			*slash = '\0';
			if (snprintf(cand[n], PATH_MAX, "%s/web", exe) < PATH_MAX)
				n++;
			if (snprintf(cand[n], PATH_MAX, "%s/share/candour/web", exe) < PATH_MAX)
				n++;
		}
	}
	snprintf(cand[n++], PATH_MAX, "%s", CANDOUR_WEB_DIR);
	if (getcwd(exe, sizeof(exe)) != NULL &&
	    snprintf(cand[n], PATH_MAX, "%s/web", exe) < PATH_MAX)
		n++;
	return n;
}

/* The value of key in a catalogue text ("key = value" lines, '#'
 * comments; the format catalogue_parse reads), *n its length; NULL when
 * the text has no such line. Looked up, not parsed: a command says a few
 * lines, and parsing both catalogues (catalogue_parse checks each key
 * against those before it) cost ~5 ms of CPU a run. */
static const char *
find(const char *text, const char *key, size_t *n)
{
	size_t kl = strlen(key);

	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *eol = strchr(p, '\n'), *q = p, *end = eol ? eol : p + strlen(p);
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if ((size_t)(end - q) > kl && strncmp(q, key, kl) == 0) {
			const char *v = q + kl;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			if (v < end && *v == '=') {
				v++;
				while (v < end && (*v == ' ' || *v == '\t'))
					v++;
				while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
					end--;
				*n = (size_t)(end - v);
				return v;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/* Loads once, at the first line said: LANG.txt of the first web/ that has
 * it. One that cannot be read is passed over: the built-in English says
 * the line. */
static void
load(void)
{
	char cand[WEB_DIR_CANDIDATES][PATH_MAX], rel[32];
	size_t n = 0, len = 0;

	cli.loaded = 1;
	snprintf(rel, sizeof(rel), "locale/%s.txt", cli_lang());
	if (cli.web_set != NULL)
		snprintf(cand[n++], PATH_MAX, "%s", cli.web_set);
	else
		n = tmpl_web_candidates(cand);
	for (size_t i = 0; i < n; i++)
		if (tmpl_web_has(cand[i], rel)) {
			if (tmpl_load_file(cand[i], rel, &cli.text, &len) != 0)
				cli.text = NULL;
			break;
		}
}

void
cli_text_free(void)
{
	while (cli.said != NULL) {
		struct said *s = cli.said;
		cli.said = s->next;
		free(s);
	}
	free(cli.text);
	cli.text = NULL;
	cli.loaded = 0;
}

/* One lock over the loading and the said list: the register import's
 * reader thread (review/ref_import.c) says its reasons while the main
 * thread says the progress line. */
static pthread_mutex_t cli_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *
text_locked(const char *key)
{
	const char *v = NULL;
	size_t n = 0, kl = strlen(key);
	struct said *s;

	if (!cli.loaded)
		load();
	for (s = cli.said; s != NULL; s = s->next)
		if (strcmp(s->kv, key) == 0)
			return s->kv + kl + 1;
	if (cli.text != NULL)
		v = find(cli.text, key, &n);
	if (v == NULL)
		v = find(cli_builtin_en, key, &n);
	/* kept until cli_text_free: the caller holds the pointer */
	if (v == NULL || (s = malloc(sizeof(*s) + kl + n + 2)) == NULL)
		return key;
	memcpy(s->kv, key, kl + 1);
	memcpy(s->kv + kl + 1, v, n);
	s->kv[kl + 1 + n] = '\0';
	s->next = cli.said;
	cli.said = s;
	return s->kv + kl + 1;
}

const char *
cli_text(const char *key)
{
	const char *v;

	pthread_mutex_lock(&cli_mu);
	v = text_locked(key);
	pthread_mutex_unlock(&cli_mu);
	return v;
}

const char *
cli_phrase(const char *english)
{
	static const char pre[] = "cli.why.";
	size_t el;

	if (english == NULL)
		return "";
	el = strlen(english);
	for (const char *p = strstr(cli_builtin_en, "\ncli.why."); p != NULL;
	     p = strstr(p + 1, "\ncli.why.")) {
		char key[101];
		size_t kl = strcspn(p + 1, " \t="), n = 0;
		const char *v;
		if (kl >= sizeof(key) || kl <= sizeof(pre) - 1)
			continue;
		memcpy(key, p + 1, kl);
		key[kl] = '\0';
		if ((v = find(p + 1, key, &n)) != NULL && n == el && memcmp(v, english, el) == 0)
			return cli_text(key);
	}
	return english;
}

const char *
cli_num(char b[CLI_NUM_CHARS], long long v)
{
	snprintf(b, CLI_NUM_CHARS, "%lld", v);
	return b;
}

const char *
cli_unum(char b[CLI_NUM_CHARS], unsigned long long v)
{
	snprintf(b, CLI_NUM_CHARS, "%llu", v);
	return b;
}

const char *
cli_headb(char b[CLI_HEAD_MAX + 1], const char *s, size_t n)
{
	snprintf(b, CLI_HEAD_MAX + 1, "%.*s", (int)(n < CLI_HEAD_MAX ? n : CLI_HEAD_MAX), s);
	return b;
}

/* Calls put(arg, piece, len) for each piece of kv[0]'s text with {N}
 * replaced by kv[N] and \n by a newline; a {N} with no value stays. */
static void
fill(const char *const *kv, void (*put)(void *, const char *, size_t), void *arg)
{
	const char *s = cli_text(kv[0]);
	size_t nargs = 0;

	while (kv[nargs + 1] != NULL)
		nargs++;
	while (*s != '\0') {
		size_t run = strcspn(s, "{\\");
		if (run > 0) {
			put(arg, s, run);
			s += run;
			continue;
		}
		if (s[0] == '\\' && s[1] == 'n') {
			put(arg, "\n", 1);
			s += 2;
		} else if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}' &&
			   (size_t)(s[1] - '0') <= nargs) {
			const char *a = kv[s[1] - '0'];
			put(arg, a, strlen(a));
			s += 3;
		} else {
			put(arg, s, 1);
			s++;
		}
	}
}

static void
put_file(void *f, const char *s, size_t n)
{
	fwrite(s, 1, n, (FILE *)f);
}

void
cli_puta(FILE *f, const char *const *kv)
{
	fill(kv, put_file, f);
}

struct fillbuf {
	char *p;
	size_t len, cap;
};

static void
put_buf(void *arg, const char *s, size_t n)
{
	struct fillbuf *b = arg;
	size_t room = b->cap - 1 - b->len;

	if (n > room)
		n = room;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

const char *
cli_filla(char *out, size_t outlen, const char *const *kv)
{
	struct fillbuf b = {out, 0, outlen};

	if (outlen == 0)
		return out;
	out[0] = '\0';
	fill(kv, put_buf, &b);
	return out;
}

int
cli_commands(FILE *f, const char *head, const struct cli_cmd *cmds, size_t n,
    const char *const *tail)
{
	CLI_PUT(f, head);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-15s ", cmds[i].name);
		CLI_PUT(f, cmds[i].what);
		fputc('\n', f);
	}
	for (; *tail != NULL; tail++)
		CLI_PUT(f, *tail);
	return f == stdout ? 0 : 2;
}
