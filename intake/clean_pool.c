/*
 * Kept struct cleans for the files of uploads (cc_pool, crypto/pool.c).
 * One is 512 KiB of locked memory (the input held and its cleaned copy);
 * mapping, filling, wiping and unmapping it for each file of each report
 * was a quarter of the http process's work on a 1 MiB upload (issue 14).
 */
#include "intake/clean.h"
#include "intake/http.h"

static struct cc_pool cpool = CC_POOL_INIT(sizeof(struct clean), CPOOL_MAX);

struct clean *
cpool_get(void)
{
	return cc_pool_get(&cpool);
}

void
cpool_put(struct clean *c)
{
	cc_pool_put(&cpool, c);
}
