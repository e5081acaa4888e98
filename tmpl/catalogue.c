/*
 * The catalogue loader: "key = value" string catalogues (web/locale/LANG.txt),
 * the category list (web/categories.txt) and the file reader for web/ data.
 * Shared by the intake's pages and the review tool's report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/candour_crypto.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

static char *
trim(char *s, char **end)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	if (end)
		*end = e;
	return s;
}

/* FNV-1a: the keys are the project's own, not an attacker's. */
static size_t
slot_of(const char *key)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & (WEB_CATALOGUE_SLOTS - 1);
}

/* The slot holding key, or the free slot where it would go (there is
 * always one: at most WEB_CATALOGUE_MAX of the slots are taken). */
static size_t
find_slot(const struct catalogue *c, const char *key)
{
	size_t s = slot_of(key);

	while (c->slot[s] != 0 && strcmp(c->e[c->slot[s] - 1].key, key) != 0)
		s = (s + 1) & (WEB_CATALOGUE_SLOTS - 1);
	return s;
}

int
catalogue_add(struct catalogue *c, const char *key, const char *val)
{
	size_t s = find_slot(c, key);

	if (c->n >= WEB_CATALOGUE_MAX || c->slot[s] != 0)
		return -1;
	if ((c->e[c->n].key = strdup(key)) == NULL)
		return -1;
	if ((c->e[c->n].val = strdup(val)) == NULL) {
		free(c->e[c->n].key);
		return -1;
	}
	c->slot[s] = (uint16_t)(++c->n);
	return 0;
}

int
catalogue_parse(const char *text, size_t len, struct catalogue *c)
{
	char *copy = NULL, *line, *save = NULL;

	memset(c, 0, sizeof(*c));
	if (!util_text_valid(text, len, 1))
		return -1;
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line, NULL);
		if (*l == '\0' || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (eq == NULL)
			goto fail;
		*eq = '\0';
		char *k = trim(l, NULL), *v = trim(eq + 1, NULL);
		if (*k == '\0' || strlen(k) > 100)
			goto fail;
		for (const char *p = k; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
				*p == '_' || *p == '-'))
				goto fail;
		if (catalogue_add(c, k, v) != 0) /* a key twice, too many keys */
			goto fail;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	catalogue_free(c);
	return -1;
}

const char *
catalogue_get(const struct catalogue *c, const char *key)
{
	size_t s = find_slot(c, key);

	return c->slot[s] != 0 ? c->e[c->slot[s] - 1].val : NULL;
}

void
catalogue_free(struct catalogue *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].key);
		free(c->e[i].val);
	}
	c->n = 0;
	memset(c->slot, 0, sizeof(c->slot));
}

int
tmpl_load_file(const char *dir, const char *rel, char **buf, size_t *len)
{
	char path[4096];
	uint8_t *b;
	int r = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (r < 0 || (size_t)r >= sizeof(path))
		return -1;
	if (util_read_file(path, WEB_FILE_MAX, &b, len) != 0)
		return -1;
	if (!util_text_valid((const char *)b, *len, 1)) {
		free(b);
		return -1;
	}
	*buf = (char *)b;
	return 0;
}

static int
slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > WEB_SLUG_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

int
tmpl_categories_parse(char *text, char *cats[WEB_CATEGORIES_MAX], size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line, NULL);
		if (*l == '\0' || *l == '#')
			continue;
		if (!slug_valid(l) || *n >= WEB_CATEGORIES_MAX)
			return -1;
		for (size_t i = 0; i < *n; i++)
			if (strcmp(cats[i], l) == 0)
				return -1;
		if ((cats[*n] = strdup(l)) == NULL)
			return -1;
		(*n)++;
	}
	return *n > 0 ? 0 : -1;
}
