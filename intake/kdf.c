/*
 * The receipt KDF (Argon2id) off libmicrohttpd's threads. A request that
 * needs a derivation queues a job, its connection is suspended, and one of
 * HTTP_KDF_CONCURRENCY worker threads derives, then resumes it: the
 * threads serving sockets never wait for a KDF, and memory stays bounded
 * by the workers x the KDF memlimit.
 *
 * Two lanes, and new concerns first: the first HTTP_KDF_RESERVED workers
 * derive receipts for new concerns only; the others take a new concern
 * when one waits and a receipt entry (follow-up) otherwise. Follow-ups can
 * therefore never starve a submission, however many arrive. A job that
 * waited past its deadline is answered KDF_BUSY without being derived.
 *
 * Receipt entries are looked up at the store by the worker. A receipt that
 * matches nothing takes a token from the global wrong-receipt bucket; when
 * the bucket is empty the follow-up lane pauses HTTP_RCPT_SLOW_MS after
 * that answer: guessing slows for everyone, but no receipt is ever
 * refused because of it - a right one waits its turn in the queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/http.h"

struct kdfq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kdfq_conf conf;
	struct kdf_job *head[2], *tail[2];
	size_t n[2];
	int stop;
	size_t nthreads;
	pthread_t th[HTTP_KDF_CONCURRENCY];
	struct kdf_worker {
		struct kdfq *q;
		int any; /* may take receipt entries */
	} w[HTTP_KDF_CONCURRENCY];
};

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static struct kdf_job *
pop(struct kdfq *q, int lane)
{
	struct kdf_job *j = q->head[lane];
	if (j != NULL) {
		q->head[lane] = j->next;
		if (q->head[lane] == NULL)
			q->tail[lane] = NULL;
		q->n[lane]--;
		j->next = NULL;
	}
	return j;
}

/* Sets the result and hands the job back: the job may be freed as soon as
 * done() returns, so nothing touches it afterwards. */
static void
finish(struct kdf_job *j, int result)
{
	void (*done)(void *) = j->done;
	void *arg = j->arg;
	j->result = result;
	done(arg);
}

/* One derivation with the worker's Argon2 memory kept resident
 * (kdf_arena.c); the output is libsodium's either way. */
static int
derive(const struct kdfq_conf *c, struct kdf_job *j)
{
	int armed = kdf_arena_arm(c->params->memlimit) == 0;
	int r = cc_rcpt_derive(j->canon, c->params, j->tag, &j->key);
	if (armed)
		kdf_arena_disarm();
	return r;
}

static int
run(struct kdfq *q, struct kdf_job *j)
{
	const struct kdfq_conf *c = &q->conf;
	int r;

	if (mono_ms() > j->deadline_ms)
		return KDF_BUSY;
	if (j->lane == KDF_NEW) {
		if (cc_rcpt_generate(j->canon) != CC_OK || derive(c, j) != CC_OK)
			return KDF_FAIL;
		cc_rcpt_lookup(j->tag, j->lookup);
		return KDF_OK;
	}
	if (derive(c, j) != CC_OK)
		return KDF_FAIL;
	cc_rcpt_lookup(j->tag, j->lookup);
	r = storec_fetch(c->store, j->lookup, &j->view);
	if (r == STORE_FAIL_NOTFOUND)
		return KDF_NOTFOUND;
	return r == 0 ? KDF_OK : KDF_FAIL;
}

/* Under q->mu: nothing for this worker to take. */
static int
idle(const struct kdfq *q, const struct kdf_worker *w)
{
	return !q->stop && q->head[KDF_NEW] == NULL && (!w->any || q->head[KDF_RECEIPT] == NULL);
}

static void *
worker(void *arg)
{
	struct kdf_worker *w = arg;
	struct kdfq *q = w->q;

	for (;;) {
		struct kdf_job *j;
		pthread_mutex_lock(&q->mu);
		if (idle(q, w)) {
			/* Nothing waits: give the Argon2 memory back, so an intake at
			 * rest holds none (the upload bound of 64 MiB a process); it is
			 * kept only while derivations follow each other. */
			pthread_mutex_unlock(&q->mu);
			kdf_arena_release();
			pthread_mutex_lock(&q->mu);
		}
		while (idle(q, w))
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->stop) {
			pthread_mutex_unlock(&q->mu);
			kdf_arena_release();
			return NULL;
		}
		if ((j = pop(q, KDF_NEW)) == NULL)
			j = pop(q, KDF_RECEIPT);
		pthread_mutex_unlock(&q->mu);
		int r = run(q, j);
		int lane = j->lane;
		finish(j, r);
		if (lane == KDF_RECEIPT && r == KDF_NOTFOUND &&
		    !bucket_take(q->conf.wrong, mono_ms()))
			sleep_ms(q->conf.slow_ms);
	}
}

int
kdfq_start(struct kdfq **out, const struct kdfq_conf *conf)
{
	struct kdfq *q;
	pthread_attr_t a;

	*out = NULL;
	if (conf->workers == 0 || conf->workers > HTTP_KDF_CONCURRENCY ||
	    conf->reserved >= conf->workers)
		return -1;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->conf = *conf;
	if (pthread_mutex_init(&q->mu, NULL) != 0 || pthread_cond_init(&q->cv, NULL) != 0 ||
	    pthread_attr_init(&a) != 0) {
		free(q);
		return -1;
	}
	pthread_attr_setstacksize(&a, HTTP_THREAD_STACK);
	for (size_t i = 0; i < conf->workers; i++) {
		q->w[i].q = q;
		q->w[i].any = i >= conf->reserved;
		if (pthread_create(&q->th[i], &a, worker, &q->w[i]) != 0)
			break;
		q->nthreads++;
	}
	pthread_attr_destroy(&a);
	if (q->nthreads != conf->workers) {
		kdfq_free(q);
		return -1;
	}
	*out = q;
	return 0;
}

int
kdfq_push(struct kdfq *q, struct kdf_job *j)
{
	int lane = j->lane == KDF_NEW ? KDF_NEW : KDF_RECEIPT;
	int ok = 0;

	j->next = NULL;
	j->result = KDF_PENDING;
	pthread_mutex_lock(&q->mu);
	if (!q->stop && q->n[lane] < q->conf.queue_max) {
		if (q->tail[lane] != NULL)
			q->tail[lane]->next = j;
		else
			q->head[lane] = j;
		q->tail[lane] = j;
		q->n[lane]++;
		ok = 1;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return ok ? 0 : -1;
}

void
kdfq_stop(struct kdfq *q)
{
	struct kdf_job *j;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (size_t i = 0; i < q->nthreads; i++)
		pthread_join(q->th[i], NULL);
	/* what still waits is answered busy, so no connection stays suspended */
	pthread_mutex_lock(&q->mu);
	for (int lane = 0; lane < 2; lane++)
		while ((j = pop(q, lane)) != NULL)
			finish(j, KDF_BUSY);
	q->nthreads = 0;
	pthread_mutex_unlock(&q->mu);
}

void
kdfq_free(struct kdfq *q)
{
	if (q == NULL)
		return;
	kdfq_stop(q);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
