/*
 * Kept blocks of sodium_malloc'd memory, one pool per kind of block (a
 * file's cleaner, a form, a KDF job). sodium_malloc maps each block with
 * guard pages, locks it and fills it, and sodium_free wipes, unlocks and
 * unmaps it, which stops every core to flush its TLB: for a submission
 * that was five maps and unmaps, a sixth of the http process's work
 * (issue 14). A block given back is wiped whole at once, as sodium_free
 * would, and kept, up to the pool's max, for the next request; its guard
 * pages and its lock stay. Past the max it is freed as before.
 */
#include <sodium.h>

#include "intake/http.h"

void *
spool_get(struct spool *p)
{
	void *b = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->n > 0)
		b = p->kept[--p->n];
	pthread_mutex_unlock(&p->mu);
	return b != NULL ? b : sodium_malloc(p->size);
}

void
spool_put(struct spool *p, void *b)
{
	if (b == NULL)
		return;
	sodium_memzero(b, p->size); /* it held a reporter's words or file */
	pthread_mutex_lock(&p->mu);
	if (p->n < p->max && p->n < SPOOL_CAP) {
		p->kept[p->n++] = b;
		b = NULL;
	}
	pthread_mutex_unlock(&p->mu);
	if (b != NULL)
		sodium_free(b);
}
