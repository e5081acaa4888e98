/*
 * Rendered pages that are the same for every visitor (the home page and
 * the empty report form), kept per view so a page load is a copy, not a
 * template render with a hundred catalogue look-ups and ~200 KiB of
 * variable scopes allocated and freed (issue 14: the form served at a
 * tenth of the rate of a server returning the same bytes).
 *
 * Nothing a visitor sent or was given is kept: the form's anti-forgery
 * token is the one per-request part, and its places in the page are
 * remembered so each copy gets the token made for that request (the
 * token is fixed-length hex, so the page, its padding and its length are
 * exactly what a fresh render would give). An entry is good for the
 * reviewer set it was rendered with (http_revs_gen); a reload renders it
 * again on the next visit.
 */
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"

struct pcache_ent {
	char *p; /* NULL: empty */
	size_t len;
	uint64_t gen;
	size_t tok[PCACHE_TOKENS]; /* offsets of the token in p */
	size_t ntok;
};

struct pcache {
	pthread_mutex_t mu;
	struct pcache_ent e[PC_PAGES][PCACHE_VIEWS];
};

int
pcache_new(struct pcache **out)
{
	struct pcache *pc = calloc(1, sizeof(*pc));

	if (pc == NULL)
		return -1;
	if (pthread_mutex_init(&pc->mu, NULL) != 0) {
		free(pc);
		return -1;
	}
	*out = pc;
	return 0;
}

void
pcache_free(struct pcache *pc)
{
	if (pc == NULL)
		return;
	for (int i = 0; i < PC_PAGES; i++)
		for (int j = 0; j < PCACHE_VIEWS; j++)
			free(pc->e[i][j].p);
	pthread_mutex_destroy(&pc->mu);
	free(pc);
}

static struct pcache_ent *
ent(struct pcache *pc, int page, int view)
{
	if (pc == NULL || page < 0 || page >= PC_PAGES || view < 0 || view >= PCACHE_VIEWS)
		return NULL;
	return &pc->e[page][view];
}

int
pcache_get(struct pcache *pc, int page, int view, uint64_t gen, const char *tok, struct tbuf *out)
{
	struct pcache_ent *e = ent(pc, page, view);
	int hit = 0;

	if (e == NULL)
		return 0;
	pthread_mutex_lock(&pc->mu);
	/* a page with token places is only served with a token, and one
	 * without only without: never an old token, never a hole */
	if (e->p != NULL && e->gen == gen && (e->ntok > 0) == (tok != NULL)) {
		tbuf_put(out, e->p, e->len);
		hit = !out->err;
		for (size_t i = 0; hit && i < e->ntok; i++)
			memcpy(out->p + e->tok[i], tok, CSRF_TOKEN_LEN);
	}
	pthread_mutex_unlock(&pc->mu);
	return hit;
}

int
pcache_put(
    struct pcache *pc, int page, int view, uint64_t gen, const struct tbuf *pg, const char *tok)
{
	struct pcache_ent *e = ent(pc, page, view), n = {.gen = gen, .len = pg->len};

	if (e == NULL || pg->err || pg->len == 0 || pg->len > PCACHE_PAGE_MAX)
		return -1;
	if (tok != NULL) {
		/* every place the token is, so none keeps this window's */
		for (const char *p = pg->p, *end = pg->p + pg->len;
		     (p = memmem(p, (size_t)(end - p), tok, CSRF_TOKEN_LEN)) != NULL;
		     p += CSRF_TOKEN_LEN) {
			if (n.ntok == PCACHE_TOKENS)
				return -1;
			n.tok[n.ntok++] = (size_t)(p - pg->p);
		}
		if (n.ntok == 0)
			return -1; /* a form without its token: not this cache's page */
	}
	if ((n.p = malloc(pg->len)) == NULL)
		return -1;
	memcpy(n.p, pg->p, pg->len);
	pthread_mutex_lock(&pc->mu);
	char *old = e->p;
	*e = n;
	pthread_mutex_unlock(&pc->mu);
	free(old);
	return 0;
}
