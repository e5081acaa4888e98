/*
 * Kept struct cleans for the files of uploads. One is 512 KiB of locked
 * memory (the input held and its cleaned copy): sodium_malloc maps it with
 * guard pages, locks it and fills it, and sodium_free wipes, unlocks and
 * unmaps it, which stops every core to flush its TLB. For each file of
 * each report that was a quarter of the http process's work on a 1 MiB
 * upload (issue 14). A clean given back is wiped whole at once, as
 * sodium_free would, and kept, up to CPOOL_MAX, for the next file; the
 * guard pages and the lock stay.
 */
#include <pthread.h>

#include <sodium.h>

#include "intake/clean.h"
#include "intake/http.h"

static pthread_mutex_t cpool_mu = PTHREAD_MUTEX_INITIALIZER;
static struct clean *cpool[CPOOL_MAX];
static size_t cpool_n;

struct clean *
cpool_get(void)
{
	struct clean *c = NULL;

	pthread_mutex_lock(&cpool_mu);
	if (cpool_n > 0)
		c = cpool[--cpool_n];
	pthread_mutex_unlock(&cpool_mu);
	return c != NULL ? c : sodium_malloc(sizeof(*c));
}

void
cpool_put(struct clean *c)
{
	if (c == NULL)
		return;
	sodium_memzero(c, sizeof(*c)); /* it held a reporter's file */
	pthread_mutex_lock(&cpool_mu);
	if (cpool_n < CPOOL_MAX) {
		cpool[cpool_n++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&cpool_mu);
	if (c != NULL)
		sodium_free(c);
}
