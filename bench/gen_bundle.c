/*
 * Writes a signed intake export bundle directly (no serve, no intake.db):
 * N concerns (and optionally follow-ups) as `candour-intake export` would
 * write them, for the casebook import benchmark and its self-test. Not a
 * tool for real data.
 *
 *   gen_bundle --out BUNDLE --intake-pub FILE --pub NAME.pub [--pub ...]
 *       --concerns N [--seed S] [--from YYYY-MM] [--months M]
 *       [--followups-every K] [--refs-range R] [--damage SEQ:flip|cut]
 *
 * Each record is what the intake stores: the concern's fields
 * (FIELDS_CONCERN, as form_encode writes them) sealed with the project's
 * envelope (cc_env_seal, the same writer upload_small streams through) to
 * every --pub reviewer, a reporter X25519 public key, a lookup hash and the
 * production receipt KDF parameters; records are chained from genesis
 * (cc_chain_next over brec_hash) and the bundle is written and signed by
 * bundle/ (bundle_w_*) with an Ed25519 intake key derived from the seed,
 * whose public line (candour-intake-pub-v1) goes to --intake-pub for
 * `candour-review init --intake-key`. The content (categories, dates,
 * text, references, answers, reporter keys) comes from a splitmix64 seeded
 * by --seed: the same seed gives the same records. The envelopes' content
 * keys and ephemeral keys come from randombytes, so the bytes of two runs
 * differ (as two exports of one intake would not, but as two intakes
 * would); what an import has to do does not.
 *
 * The reporter's key and lookup are not derived from a receipt (Argon2id,
 * ~50 ms each, would take 14 hours at 1M): they are a real X25519 public
 * key from a seeded seed and 32 seeded bytes, indistinguishable to import.
 * References are "REF/YYYY/NNNNN" as bench_ref's register writes them,
 * drawn from its first --refs-range rows (default 1,000,000).
 *
 * --damage SEQ:flip|cut writes record SEQ's envelope with one ciphertext
 * byte flipped, or without its final chunk, before it is hashed into the
 * chain: the bundle verifies (signature, chain, envelope hashes) and only
 * opening that envelope shows it, as with a compromised intake. For the
 * tests that import must refuse such a record wherever it sits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle/bundle.h"
#include "review/ref.h"
#include "review/report.h"
#include "tests/report/gen_rng.h" /* splitmix64: rng(), below() */
#include "util/util.h"

#define GEN_MAX_PUBS 8
#define GEN_MAX_CONCERNS 9000000ull /* under BUNDLE_MAX_RECORDS with follow-ups */
#define GEN_TEXT_MAX 4096
#define GEN_RCPT_OPS 3u /* the intake's production receipt KDF */
#define GEN_RCPT_MEM (32u << 20)

static void
fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng();
}

static const char *const cats[] = {"referral-not-actioned", "closed-without-child-seen",
    "strategy-meeting-delayed", "recording", "caseload-capacity", "other"};
static const char *const teams[] = {"North", "South", "East duty", "West", "Disabled children"};
static const char *const words[] = {"the", "referral", "was", "closed", "without", "anyone",
    "seeing", "child", "strategy", "meeting", "never", "held", "police", "told", "us", "to", "bin",
    "it", "manager", "said", "caseload", "visit", "school", "nurse", "raised", "again", "and",
    "nothing", "happened", "record", "shows", "a", "decision", "that", "no", "one", "made",
    "family", "worried", "week", "after", "duty", "team", "file"};

struct text {
	char b[GEN_TEXT_MAX];
	size_t n;
};

static void
put(struct text *t, const char *s)
{
	size_t l = strlen(s);

	if (t->n + l < sizeof(t->b)) {
		memcpy(t->b + t->n, s, l);
		t->n += l;
	}
}

static void
ref_text(char *out, size_t len, unsigned long range)
{
	unsigned long i = (unsigned long)(rng() % range);

	snprintf(out, len, "REF/%04lu/%05lu", 2015 + i / 100000, i % 100000);
}

/* One concern's plaintext as form_encode writes it; *out malloc'd. */
static int
concern_fields(unsigned long range, uint8_t **out, size_t *len)
{
	struct text what = {.n = 0};
	struct field f[FIELDS_MAX];
	char refs[3][32], when[8];
	size_t n = 0;
	unsigned nref = 1 + below(3), words_n = 40 + below(200);

	for (unsigned i = 0; i < nref; i++)
		ref_text(refs[i], sizeof(refs[i]), range);
	for (unsigned w = 0; w < words_n; w++) {
		put(&what, w == 0 ? "" : " ");
		if (w == words_n / 2 && nref > 0) /* one reference in the text too */
			put(&what, refs[0]);
		else
			put(&what, words[below(sizeof(words) / sizeof(words[0]))]);
	}
	put(&what, ".");
	snprintf(when, sizeof(when), "20%02u-%02u", 20 + below(7), 1 + below(12));
#define ADD(nm, v, l)                                                                              \
	do {                                                                                       \
		snprintf(f[n].name, sizeof(f[n].name), "%s", nm);                                  \
		f[n].val = (const uint8_t *)(v);                                                   \
		f[n].len = (l);                                                                    \
		n++;                                                                               \
	} while (0)
	const char *cat = cats[below(6)], *team = teams[below(5)];
	const char *risk = below(3) ? "no" : "yes", *raised = below(2) ? "yes" : "no";
	ADD("category", cat, strlen(cat));
	ADD("team", team, strlen(team));
	ADD("what", what.b, what.n);
	ADD("when", when, strlen(when));
	for (unsigned i = 0; i < nref; i++)
		ADD("ref", refs[i], strlen(refs[i]));
	ADD("risk", risk, strlen(risk));
	ADD("raised_before", raised, strlen(raised));
	ADD("raised_with", raised[0] == 'y' ? "my manager" : "", raised[0] == 'y' ? 10u : 0u);
#undef ADD
	return fields_encode(FIELDS_CONCERN, f, n, out, len);
}

static int
message_fields(uint8_t **out, size_t *len)
{
	static const char *const msgs[] = {"Any news? Nothing has changed here.",
	    "The meeting still has not happened.", "I was moved to another team after this."};
	struct field f[2];
	const char *m = msgs[below(3)];

	snprintf(f[0].name, sizeof(f[0].name), "text");
	f[0].val = (const uint8_t *)m;
	f[0].len = strlen(m);
	return fields_encode(FIELDS_MESSAGE, f, 1, out, len);
}

static int
read_file(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -1;
	*len = fread(buf, 1, cap - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return *len > 0 && *len < cap - 1 ? 0 : -1;
}

static int
write_new(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t n = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* --damage: the record to damage (0 none) and how. */
static uint64_t damage_seq;
static int damage_cut;

/* Seals pt to the reviewers and adds the record, its link and envelope. */
static int
add_record(struct bundle_w *w, struct brec *rec, uint8_t link[CC_HASH_BYTES], int kind,
    const struct cc_recipient *r, size_t nr, const uint8_t *pt, size_t ptlen)
{
	uint8_t *env = NULL, rh[CC_HASH_BYTES];
	size_t envlen = 0;
	int rc = -1;

	if (cc_env_seal(kind, r, nr, pt, ptlen, &env, &envlen) != CC_OK)
		return -1;
	if (rec->seq == damage_seq && damage_cut) /* the last chunk: 16 KiB and its tag */
		envlen -= CC_CHUNK_BYTES + crypto_secretstream_xchacha20poly1305_ABYTES;
	else if (rec->seq == damage_seq)
		env[envlen - 40] ^= 0x01; /* in the last chunk's ciphertext */
	rec->nenv = 1;
	rec->env[0].len = envlen;
	cc_hash(env, envlen, rec->env[0].hash);
	if (brec_hash(rec, rh) != 0)
		goto out;
	cc_chain_next(link, rec->seq, rh, link);
	if (bundle_w_record(w, rec, link) == 0 && bundle_w_env_begin(w, rec->seq, 0, envlen) == 0 &&
	    bundle_w_env_write(w, env, envlen) == 0 && bundle_w_env_end(w) == 0)
		rc = 0;
out:
	free(env);
	return rc;
}

static int
usage(void)
{
	fprintf(stderr, "usage: gen_bundle --out BUNDLE --intake-pub FILE --pub NAME.pub "
			"[--pub ...] --concerns N [--seed S] [--from YYYY-MM] [--months M] "
			"[--followups-every K] [--refs-range R] [--damage SEQ:flip|cut]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *ipub = NULL, *from = "2024-01";
	unsigned long long n = 0, seed = 1, months = 36, every = 0, range = 1000000;
	struct cc_recipient r[GEN_MAX_PUBS];
	size_t nr = 0;
	struct bundle_w *w = NULL;
	uint8_t ipk[CC_SIGN_PK], iseed[crypto_sign_SEEDBYTES], link[CC_HASH_BYTES];
	uint8_t *isk = NULL;
	char line[CC_PUBFILE_MAX + 1], fromd[16];
	int32_t day0;
	int ret = 1;

	if (argc == 1) { /* bench/run.sh may run every program: this one is a tool */
		printf("gen_bundle: a signed intake bundle generator, used by "
		       "bench/bench_import.sh\n");
		return 0;
	}
	if (cc_init() != 0)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(o, "--help") == 0)
			return usage() == 2 ? 0 : 1;
		if (v == NULL)
			return usage();
		i++;
		if (strcmp(o, "--out") == 0)
			out = v;
		else if (strcmp(o, "--intake-pub") == 0)
			ipub = v;
		else if (strcmp(o, "--pub") == 0) {
			struct cc_pubkey pk;
			size_t len;
			if (nr == GEN_MAX_PUBS || read_file(v, line, sizeof(line), &len) != 0 ||
			    cc_pubkey_parse(line, len, &pk) != CC_OK) {
				fprintf(stderr, "gen_bundle: %s is not a reviewer public key\n", v);
				return 1;
			}
			cc_recipient_of(&pk, &r[nr++]);
		} else if (strcmp(o, "--concerns") == 0)
			n = strtoull(v, NULL, 10);
		else if (strcmp(o, "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else if (strcmp(o, "--from") == 0)
			from = v;
		else if (strcmp(o, "--months") == 0)
			months = strtoull(v, NULL, 10);
		else if (strcmp(o, "--followups-every") == 0)
			every = strtoull(v, NULL, 10);
		else if (strcmp(o, "--refs-range") == 0)
			range = strtoull(v, NULL, 10);
		else if (strcmp(o, "--damage") == 0) {
			char *end = NULL;
			damage_seq = strtoull(v, &end, 10);
			if (damage_seq == 0 || end == NULL ||
			    (strcmp(end, ":flip") != 0 && strcmp(end, ":cut") != 0))
				return usage();
			damage_cut = strcmp(end, ":cut") == 0;
		} else
			return usage();
	}
	snprintf(fromd, sizeof(fromd), "%s-01", from);
	if (out == NULL || ipub == NULL || nr == 0 || n == 0 || n > GEN_MAX_CONCERNS ||
	    months == 0 || months > 600 || range == 0 || range > 9900000 ||
	    ref_date_parse(fromd, 10, &day0) != 0)
		return usage();
	rng_state = seed * 0x9E3779B97F4A7C15ull + 0x1234567;
	/* the intake key from the seed: one seed, one intake */
	fill(iseed, sizeof(iseed));
	if ((isk = sodium_malloc(CC_SIGN_SK)) == NULL ||
	    crypto_sign_seed_keypair(ipk, isk, iseed) != 0 ||
	    cc_signpub_format(ipk, line, sizeof(line)) != CC_OK)
		goto out;
	sodium_memzero(iseed, sizeof(iseed));
	if (write_new(ipub, line) != 0) {
		fprintf(stderr, "gen_bundle: cannot create %s: %s\n", ipub, strerror(errno));
		goto out;
	}
	cc_chain_genesis(link);
	if (bundle_w_create(out, BUNDLE_EXPORT, 1, link, NULL, &w) != 0) {
		fprintf(stderr, "gen_bundle: cannot create %s: %s\n", out, strerror(errno));
		goto out;
	}
	/* --months whole months from --from, spread evenly and in order (the
	 * intake's dates only grow) */
	int32_t span = rp_month_first_day(rp_month_of_day(day0) + (int32_t)months) - day0;
	uint64_t seq = 0, last_concern = 0;
	for (unsigned long long c = 0; c < n; c++) {
		struct brec rec;
		uint8_t *pt = NULL, bseed[crypto_box_SEEDBYTES], bsk[CC_BOX_SK];
		size_t ptlen = 0;
		int32_t day = day0 + (int32_t)((uint64_t)c * (uint64_t)span / n);
		int follow = every > 0 && c > 0 && c % every == 0;

		memset(&rec, 0, sizeof(rec));
		ref_date_format(day, rec.date);
		rec.seq = ++seq;
		if (follow) { /* a follow-up to the last concern, the same day */
			rec.kind = BREC_FOLLOWUP;
			rec.parent_seq = last_concern;
			if (message_fields(&pt, &ptlen) != 0 ||
			    add_record(w, &rec, link, CC_KIND_MESSAGE, r, nr, pt, ptlen) != 0)
				goto rec_fail;
			cc_free_wipe(pt, ptlen);
			pt = NULL;
			memset(&rec, 0, sizeof(rec));
			ref_date_format(day, rec.date);
			rec.seq = ++seq;
		}
		rec.kind = BREC_CONCERN;
		rec.rcpt_ops = GEN_RCPT_OPS;
		rec.rcpt_mem = GEN_RCPT_MEM;
		fill(bseed, sizeof(bseed));
		fill(rec.lookup, sizeof(rec.lookup));
		if (crypto_box_seed_keypair(rec.reporter_pk, bsk, bseed) != 0 ||
		    concern_fields((unsigned long)range, &pt, &ptlen) != 0 ||
		    add_record(w, &rec, link, CC_KIND_CONCERN, r, nr, pt, ptlen) != 0)
			goto rec_fail;
		sodium_memzero(bsk, sizeof(bsk));
		cc_free_wipe(pt, ptlen);
		last_concern = rec.seq;
		continue;
	rec_fail:
		cc_free_wipe(pt, ptlen);
		fprintf(stderr, "gen_bundle: record %llu could not be written\n",
		    (unsigned long long)seq);
		goto out;
	}
	if (bundle_w_commit(w, isk, ipk) != 0) {
		w = NULL;
		fprintf(stderr, "gen_bundle: cannot write %s\n", out);
		goto out;
	}
	w = NULL;
	char hex[2 * CC_HASH_BYTES + 1];
	util_hex(link, CC_HASH_BYTES, hex);
	printf("gen_bundle: %llu records (%llu concerns) to %s; chain head %s\n",
	    (unsigned long long)seq, n, out, hex);
	ret = 0;
out:
	bundle_w_abort(w);
	sodium_free(isk);
	return ret;
}
