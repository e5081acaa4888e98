/*
 * Kept struct cleans for the files of uploads (spool.c). One is 512 KiB of
 * locked memory (the input held and its cleaned copy); mapping, filling,
 * wiping and unmapping it for each file of each report was a quarter of
 * the http process's work on a 1 MiB upload (issue 14).
 */
#include "intake/clean.h"
#include "intake/http.h"

static struct spool cpool = SPOOL_INIT(sizeof(struct clean), CPOOL_MAX);

struct clean *
cpool_get(void)
{
	return spool_get(&cpool);
}

void
cpool_put(struct clean *c)
{
	spool_put(&cpool, c);
}
