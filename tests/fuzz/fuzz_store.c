/*
 * The store protocol's frames, as a compromised http process could send
 * them (intake/store_serve.c, store_proto.c, store_ops.c), against the
 * real store loop on a real intake.db. At start the harness commits one
 * concern (lookup L0) sealed to reviewers A and B, so that follow-ups to
 * it reach the follow-up reader check.
 * Input: operations, each an op byte then its bytes:
 *   0 a raw datagram                 1 upload bytes (BEGIN, DATA.., END)
 *   2 upload a prepared envelope (byte: which; byte: position to flip, or
 *     none when past the header)     3 commit (see commit())
 *   4 fetch by L0 or by input bytes; a reply by seq/index/offset
 *   5 drop a handle, stats, params
 * Properties: every answer is one well-formed frame; a follow-up to L0 is
 * accepted only when each of its envelopes is of the right kind and names
 * only A and/or B (never C, whom the reporter left out); a commit
 * referring to a handle not ended is refused.
 */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "intake/store_int.h"
#include "tests/fuzz/fuzz.h"

#define NPREP 6
#define MAXH 40

static struct store_db *db;
static struct cc_recipient ra, rb, rc;
static uint8_t l0[CC_HASH_BYTES];
static uint8_t *prep[NPREP];
static size_t prep_len[NPREP];
static int sv[2];
static uint8_t rbuf[STORE_HDR_BYTES + STORE_MSG_MAX];

/* What the harness uploaded under a handle: the first bytes, to check the
 * store's decisions against cc_env_recipients here. */
struct up {
	uint64_t handle;
	uint8_t head[CC_ENV_MAX_HEADER];
	size_t len;
};
static struct up ups[MAXH];
static size_t nups;
/* Every handle the store opened for this input, by any op (handles are
 * random, so they cannot be walked from a counter): dropped at its end. */
#define MAXOPEN 4096
static uint64_t opened[MAXOPEN];
static size_t nopened;

static void *
loop(void *arg)
{
	(void)arg;
	(void)store_loop(sv[1], db);
	return NULL;
}

/* Sends one datagram and reads the answer; returns its type, body in
 * rbuf + 8, *blen bytes. Aborts on a malformed answer. */
static int
xact(const uint8_t *msg, size_t len, size_t *blen)
{
	ssize_t n;

	if (send(sv[0], msg, len, MSG_NOSIGNAL) != (ssize_t)len)
		abort();
	n = recv(sv[0], rbuf, sizeof(rbuf), 0);
	if (n < STORE_HDR_BYTES || rbuf[1] || rbuf[2] || rbuf[3] ||
	    sp_get32(rbuf + 4) != (size_t)n - STORE_HDR_BYTES)
		abort();
	*blen = (size_t)n - STORE_HDR_BYTES;
	if (rbuf[0] == STORE_FAIL) {
		uint32_t why = *blen == 4 ? sp_get32(rbuf + STORE_HDR_BYTES) : 0;
		if (why < STORE_FAIL_BADMSG || why > STORE_FAIL_FULL || why == STORE_FAIL_IO)
			abort();
	} else if (rbuf[0] != STORE_OK) {
		abort();
	} else if (len >= STORE_HDR_BYTES && msg[0] == STORE_UPLOAD_BEGIN &&
		   *blen == 8) {
		if (nopened == MAXOPEN)
			abort(); /* raise MAXOPEN: an input opened more than it can */
		opened[nopened++] = sp_get64(rbuf + STORE_HDR_BYTES);
	}
	return rbuf[0];
}

static int
req(int type, const uint8_t *body, size_t len, size_t *blen)
{
	static uint8_t m[STORE_HDR_BYTES + STORE_MSG_MAX];

	m[0] = (uint8_t)type;
	m[1] = m[2] = m[3] = 0;
	sp_put32(m + 4, (uint32_t)len);
	if (len)
		memcpy(m + STORE_HDR_BYTES, body, len);
	return xact(m, STORE_HDR_BYTES + len, blen);
}

static void
upload(const uint8_t *p, size_t len)
{
	uint8_t b[8 + STORE_CHUNK_MAX];
	size_t blen;
	uint64_t h;

	if (req(STORE_UPLOAD_BEGIN, NULL, 0, &blen) != STORE_OK || blen != 8)
		return;
	h = sp_get64(rbuf + STORE_HDR_BYTES);
	sp_put64(b, h);
	for (size_t off = 0; off < len;) {
		size_t n = len - off < STORE_CHUNK_MAX ? len - off : STORE_CHUNK_MAX;
		memcpy(b + 8, p + off, n);
		if (req(STORE_UPLOAD_DATA, b, 8 + n, &blen) != STORE_OK)
			return;
		off += n;
	}
	if (req(STORE_UPLOAD_END, b, 8, &blen) != STORE_OK || blen != SP_END_BYTES ||
	    sp_get64(rbuf + STORE_HDR_BYTES) != len)
		return;
	if (nups < MAXH) {
		ups[nups].handle = h;
		ups[nups].len = len < CC_ENV_MAX_HEADER ? len : CC_ENV_MAX_HEADER;
		memcpy(ups[nups].head, p, ups[nups].len);
		nups++;
	}
}

static const struct up *
up_of(uint64_t h)
{
	for (size_t i = 0; i < nups; i++)
		if (ups[i].handle == h)
			return &ups[i];
	return NULL;
}

/* The store said yes to a follow-up of L0: check it had to. */
static void
check_followup(const struct store_commit *c)
{
	for (uint32_t i = 0; i < c->nhandles; i++) {
		const struct up *u = up_of(c->handles[i]);
		uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
		size_t n;
		int kind;

		if (u == NULL || cc_env_recipients(u->head, u->len, ids, &n, &kind) != CC_OK ||
		    kind != (i == 0 ? CC_KIND_MESSAGE : CC_KIND_ATTACHMENT))
			abort();
		for (size_t k = 0; k < n; k++)
			if (memcmp(ids[k], ra.keyid, CC_KEYID_BYTES) != 0 &&
			    memcmp(ids[k], rb.keyid, CC_KEYID_BYTES) != 0)
				abort(); /* sealed to someone the reporter left out */
	}
}

/* Commit: byte flags (bit0 follow-up, bit1 parent from input, bit2 wrong
 * receipt parameters), byte handle count, byte first handle index, then
 * 32 bytes (lookup or parent). */
static void
commit(struct fz *z)
{
	struct store_commit c;
	uint8_t flags = fz_u8(z), body[SP_COMMIT_FIXED + 8 * (INTAKE_MAX_ATTACHMENTS + 1)];
	uint8_t other[CC_HASH_BYTES] = {0};
	size_t n = 1 + fz_u8(z) % (INTAKE_MAX_ATTACHMENTS + 1), first = fz_u8(z), len, blen;
	const uint8_t *p = fz_bytes(z, &len);

	memcpy(other, p, len < CC_HASH_BYTES ? len : CC_HASH_BYTES);
	if (nups == 0)
		return; /* raw frames (op 0) commit handles of their own */
	memset(&c, 0, sizeof(c));
	c.nhandles = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		c.handles[i] = ups[(first + i) % nups].handle;
	if (flags & 1) {
		c.parent_lookup = flags & 2 ? other : l0;
	} else {
		memset(c.reporter_pk, 9, CC_BOX_PK);
		memcpy(c.lookup, other, CC_HASH_BYTES);
		if (sodium_is_zero(c.lookup, CC_HASH_BYTES))
			c.lookup[0] = 1;
		c.rcpt_ops = db->params.opslimit + ((flags & 4) != 0);
		c.rcpt_mem = db->params.memlimit;
	}
	if ((len = sp_commit_encode(&c, body, sizeof(body))) == 0)
		return;
	if (req(STORE_COMMIT, body, len, &blen) == STORE_OK) {
		if (blen != SP_COMMIT_REPLY)
			abort();
		for (size_t i = 0; i < n; i++)
			if (up_of(c.handles[i]) == NULL)
				abort(); /* a handle never ended was committed */
		if (c.parent_lookup == l0)
			check_followup(&c);
	}
}

static void
make_seeds(void)
{
	struct fzw *w = calloc(1, sizeof(*w));

	if (w == NULL)
		abort();
	for (uint8_t e = 0; e < NPREP; e++) {
		char name[32];
		w->n = 0;
		fz_put8(w, 2); /* a prepared message envelope ... */
		fz_put8(w, e);
		fz_put8(w, 0xff);
		fz_put8(w, 2); /* ... an attachment */
		fz_put8(w, 3);
		fz_put8(w, 0xff);
		fz_put8(w, 3); /* follow-up of L0 with both */
		fz_put8(w, 1);
		fz_put8(w, 1);
		fz_put8(w, 0);
		fz_put_str(w, "");
		fz_put8(w, 4);
		fz_put8(w, 0);
		fz_put_str(w, "");
		snprintf(name, sizeof(name), "followup-%u", e);
		fz_seed(name, w->b, w->n);
	}
	w->n = 0;
	fz_put8(w, 1);
	fz_put_bytes(w, prep[5], prep_len[5]);
	fz_put8(w, 3);
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put_str(w, "a new concern's lookup tag.....");
	fz_put8(w, 5);
	fz_put8(w, 1);
	fz_seed("concern", w->b, w->n);
	w->n = 0;
	fz_put8(w, 0);
	fz_put_bytes(w, "\x08\0\0\0\0\0\0\0", 8);
	fz_put8(w, 0);
	fz_put_bytes(w, "\x05\0\0\0\x10\0\0\0short", 13);
	fz_seed("raw", w->b, w->n);
	free(w);
}

static void
seal(int i, int kind, const struct cc_recipient *a, const struct cc_recipient *b)
{
	struct cc_recipient r[2] = {*a, b ? *b : *a};
	if (cc_env_seal(kind, r, b ? 2 : 1, (const uint8_t *)"x", 1, &prep[i], &prep_len[i]) !=
	    CC_OK)
		abort();
}

static char tmpdir[256];

static void
cleanup(void)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char path[300];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(path, sizeof(path), "%s/intake.db%s", tmpdir, ext[i]);
		(void)unlink(path);
	}
	(void)rmdir(tmpdir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[256], path[300], err[256];
	const char *base = getenv("CANDOUR_FUZZ_TMP");
	struct fz z0;
	uint8_t op[8 + CC_HASH_BYTES + 4];
	pthread_t th;

	(void)argc;
	(void)argv;
	fz_init();
	/* tmpfs (run.sh sets CANDOUR_FUZZ_TMP and removes it after): every
	 * record commit fsyncs (synchronous=FULL), which on a disk would hold
	 * the target to a few executions a second */
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1); /* min is refused without it */
	fz_recipient("A", &ra, NULL);
	fz_recipient("B", &rb, NULL);
	fz_recipient("C", &rc, NULL);
	seal(0, CC_KIND_MESSAGE, &ra, &rb);
	seal(1, CC_KIND_MESSAGE, &ra, &rc); /* C was left out: refused */
	seal(2, CC_KIND_MESSAGE, &rc, NULL);
	seal(3, CC_KIND_ATTACHMENT, &rb, NULL);
	seal(4, CC_KIND_ATTACHMENT, &rb, &rc);
	seal(5, CC_KIND_CONCERN, &ra, &rb);
	snprintf(dir, sizeof(dir), "%s/candour-fuzz-store-XXXXXX", base ? base : "/dev/shm");
	if (mkdtemp(dir) == NULL || snprintf(path, sizeof(path), "%s/intake.db", dir) < 0 ||
	    store_db_open(path, 1, 0, &db, err, sizeof(err)) != 0 ||
	    store_db_exec(db, "PRAGMA synchronous = OFF") != 0) {
		fprintf(stderr, "fuzz_store: %s\n", err);
		abort();
	}
	db->relaxed = 1;
	snprintf(tmpdir, sizeof(tmpdir), "%s", dir);
	atexit(cleanup);
	/* L0: the concern sealed to A and B. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0 || pthread_create(&th, NULL, loop, NULL))
		abort();
	upload(prep[5], prep_len[5]);
	memset(l0, 0x4c, sizeof(l0));
	memset(op, 0, sizeof(op));
	op[0] = 0;
	op[1] = 0; /* one handle */
	op[2] = 0;
	op[3] = CC_HASH_BYTES;
	memcpy(op + 5, l0, CC_HASH_BYTES);
	z0.p = op;
	z0.n = 5 + CC_HASH_BYTES;
	commit(&z0);
	if (db->count != 1)
		abort();
	nups = 0;
	make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data, size};
	size_t blen, len;
	const uint8_t *p;
	uint8_t b[SP_FETCH_AT_REQ];

	nups = 0;
	nopened = 0;
	while (z.n > 0) {
		switch (fz_u8(&z) % 6) {
		case 0:
			p = fz_bytes(&z, &len);
			if (len > 0)
				(void)xact(p, len, &blen);
			break;
		case 1:
			p = fz_bytes(&z, &len);
			upload(p, len);
			break;
		case 2: {
			uint8_t e = fz_u8(&z) % NPREP, at = fz_u8(&z);
			uint8_t *copy = malloc(prep_len[e]);
			if (copy == NULL)
				abort();
			memcpy(copy, prep[e], prep_len[e]);
			if (at < 12 + 2 * 88)
				copy[at] ^= 0x01;
			upload(copy, prep_len[e]);
			free(copy);
			break;
		}
		case 3:
			commit(&z);
			break;
		case 4: {
			uint8_t which = fz_u8(&z);
			p = fz_bytes(&z, &len);
			if (which % 3 == 0) {
				(void)req(STORE_FETCH, l0, CC_HASH_BYTES, &blen);
			} else if (which % 3 == 1) {
				uint8_t lk[CC_HASH_BYTES] = {0};
				memcpy(lk, p, len < sizeof(lk) ? len : sizeof(lk));
				(void)req(STORE_FETCH, lk, CC_HASH_BYTES, &blen);
			} else {
				memset(b, 0, sizeof(b));
				memcpy(b, p, len < sizeof(b) ? len : sizeof(b));
				(void)req(which & 4 ? STORE_FETCH_REPLY_AT : STORE_FETCH_REPLY, b,
				    which & 4 ? SP_FETCH_AT_REQ : SP_FETCH_REPLY_REQ, &blen);
			}
			break;
		}
		default: {
			uint8_t which = fz_u8(&z);
			if (which % 3 == 0 && nups > 0) {
				sp_put64(b, ups[which % nups].handle);
				(void)req(STORE_UPLOAD_DROP, b, 8, &blen);
			} else {
				(void)req(which % 3 == 1 ? STORE_STATS : STORE_PARAMS, NULL, 0, &blen);
			}
			break;
		}
		}
	}
	/* One store loop serves every input (its upload table is large to
	 * make): the handles this input opened, by any op, go now. */
	for (size_t i = 0; i < nopened; i++) {
		sp_put64(b, opened[i]);
		(void)req(STORE_UPLOAD_DROP, b, 8, &blen);
	}
	return 0;
}
