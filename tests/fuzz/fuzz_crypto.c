/*
 * crypto/'s parsers of outside bytes. The first input byte picks one:
 *   0 envelope stream reader, input fed in two pieces at a chosen cut
 *   1 envelope buffer reader (cc_env_open) and cc_env_recipients
 *   2 round trip: the input sealed to the fuzz key opens to itself
 *   3 public key line and signing public key line (and their round trip)
 *   4 secret key file: the header checks of cc_seckey_open (no KDF), and
 *     the unpacking after decryption: the input is the plaintext, sealed
 *     here with a fixed key so the AEAD lets it through ("re-sealed")
 *   5 intake signing secret file
 *   6 receipt parsing (canonical form re-parses to itself)
 * Envelopes are read with a key derived from a fixed label, so the seeds
 * (sealed to it) reach the chunk reader.
 */
#include "crypto/cc_internal.h"
#include "tests/fuzz/fuzz.h"

static struct cc_boxkey key;
static struct cc_recipient rcpt;
static uint8_t filekey[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];

static int
null_sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static void
seed_env(const char *name, int kind, const char *text, size_t reps)
{
	struct fzw *w = calloc(1, sizeof(*w));
	uint8_t *pt = malloc(strlen(text) * reps + 1), *ct = NULL;
	size_t ctlen = 0;

	if (w == NULL || pt == NULL)
		abort();
	for (size_t i = 0; i < reps; i++)
		memcpy(pt + i * strlen(text), text, strlen(text));
	if (cc_env_seal(kind, &rcpt, 1, pt, strlen(text) * reps, &ct, &ctlen) != CC_OK)
		abort();
	for (uint8_t which = 0; which < 2; which++) {
		char n[64];
		w->n = 0;
		fz_put8(w, which);
		fz_put8(w, 0x80);
		for (size_t i = 0; i < ctlen; i++)
			fz_put8(w, ct[i]);
		snprintf(n, sizeof(n), "%s-%u", name, which);
		fz_seed(n, w->b, w->n);
	}
	free(ct);
	free(pt);
	free(w);
}

static void
make_seeds(void)
{
	struct cc_seckey *k;
	char line[CC_PUBLINE_MAX + 2], rc[CC_RCPT_CHARS + 1], grouped[CC_RCPT_GROUPED + 2];
	uint8_t spk[CC_SIGN_PK], ssk[CC_SIGN_SK], ss[CC_SS_FILE + 1];
	size_t sslen;

	if (getenv("CANDOUR_FUZZ_SEEDS") == NULL)
		return;
	seed_env("env-concern", CC_KIND_CONCERN, "candour-concern-v1\n--\n", 1);
	seed_env("env-long", CC_KIND_ATTACHMENT, "0123456789abcdef", 1100); /* two chunks */
	seed_env("env-empty", CC_KIND_REPLY, "", 0);
	line[0] = 2;
	if (cc_keypair_generate("alice", &k) != CC_OK ||
	    cc_pubkey_format(&k->pub, line + 1, sizeof(line) - 1) != CC_OK)
		abort();
	fz_seed("pubkey", line, strlen(line + 1) + 1);
	line[0] = 3;
	fz_signkey("intake", spk, ssk);
	if (cc_signpub_format(spk, line + 1, sizeof(line) - 1) != CC_OK)
		abort();
	fz_seed("signpub", line, strlen(line + 1) + 1);
	ss[0] = 5;
	if (cc_signsec_encode(ssk, ss + 1, sizeof(ss) - 1, &sslen) != CC_OK)
		abort();
	fz_seed("signsec", ss, sslen + 1);
	cc_seckey_free(k);
	grouped[0] = 6;
	if (cc_rcpt_generate(rc) != CC_OK)
		abort();
	cc_rcpt_group(rc, grouped + 1);
	fz_seed("receipt", grouped, strlen(grouped));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_init();
	fz_recipient("fuzz-reader", &rcpt, &key);
	memset(filekey, 0x5a, sizeof(filekey));
	make_seeds();
	return 0;
}

static void
env_stream(const uint8_t *data, size_t size)
{
	struct cc_env_reader *r;
	size_t cut;

	if (size < 1)
		return;
	cut = (size_t)data[0] * (size - 1) / 255; /* pieces of any size */
	data++;
	size--;
	if (cc_env_reader_new(&key, null_sink, NULL, &r) != CC_OK)
		abort();
	if (cc_env_reader_update(r, data, cut) != CC_OK ||
	    cc_env_reader_update(r, data + cut, size - cut) != CC_OK) {
		cc_env_reader_abort(r);
		return;
	}
	(void)cc_env_reader_finish(r, NULL);
}

static void
env_buffer(const uint8_t *data, size_t size)
{
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], *pt = NULL;
	size_t n = 0, ptlen;
	int kind;

	if (size > 0) {
		data++; /* the cut byte of mode 0: both modes share seeds */
		size--;
	}
	if (cc_env_recipients(data, size, ids, &n, &kind) == CC_OK &&
	    (n < 1 || n > CC_MAX_RECIPIENTS))
		abort();
	if (cc_env_open(&key, data, size, &pt, &ptlen, &kind) == CC_OK)
		cc_free_wipe(pt, ptlen);
}

static void
env_roundtrip(const uint8_t *data, size_t size)
{
	uint8_t *ct = NULL, *pt = NULL;
	size_t ctlen, ptlen;
	int kind;

	if (cc_env_seal(CC_KIND_MESSAGE, &rcpt, 1, data, size, &ct, &ctlen) != CC_OK)
		abort();
	if (cc_env_open(&key, ct, ctlen, &pt, &ptlen, &kind) != CC_OK || kind != CC_KIND_MESSAGE ||
	    ptlen != size || (size > 0 && memcmp(pt, data, size) != 0))
		abort();
	free(ct);
	cc_free_wipe(pt, ptlen);
}

static void
key_lines(const uint8_t *data, size_t size)
{
	struct cc_pubkey p, q;
	uint8_t pk[CC_SIGN_PK], pk2[CC_SIGN_PK];
	char line[CC_PUBFILE_MAX + 1];

	if (cc_pubkey_parse((const char *)data, size, &p) == CC_OK) {
		if (cc_pubkey_format(&p, line, sizeof(line)) != CC_OK ||
		    cc_pubkey_parse(line, strlen(line), &q) != CC_OK || memcmp(&p, &q, sizeof(p)) != 0)
			abort();
	}
	if (cc_signpub_parse((const char *)data, size, pk) == CC_OK) {
		if (cc_signpub_format(pk, line, sizeof(line)) != CC_OK ||
		    cc_signpub_parse(line, strlen(line), pk2) != CC_OK ||
		    memcmp(pk, pk2, sizeof(pk)) != 0)
			abort();
	}
}

static void
key_file(const uint8_t *data, size_t size)
{
	struct cc_seckey *k = NULL;
	uint8_t file[CC_SK_FILE];

	/* Format checks only: no passphrase, so no Argon2id is run. */
	if (cc_seckey_open(data, size, NULL, 0, &k) == CC_OK)
		abort();
	/* The unpacking behind the AEAD: the input is the plaintext. */
	memset(file, 0, sizeof(file));
	memcpy(file, CC_SK_MAGIC, 4);
	file[4] = CC_SK_VERSION;
	file[5] = CC_SK_KDF_ARGON2ID13;
	memcpy(file + CC_SK_HEADER, data, size < CC_SK_PLAIN ? size : CC_SK_PLAIN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(file + CC_SK_HEADER, NULL, file + CC_SK_HEADER,
	    CC_SK_PLAIN, file, CC_SK_HEADER, NULL, file + 40, filekey);
	if (keyfile_decrypt(file, filekey, &k) == CC_OK) {
		if (!cc_name_valid(k->pub.name))
			abort();
		cc_seckey_free(k);
	}
}

static void
sign_file(const uint8_t *data, size_t size)
{
	uint8_t pk[CC_SIGN_PK], *sk = sodium_malloc(CC_SIGN_SK);

	if (sk == NULL)
		abort();
	(void)cc_signsec_decode(data, size, pk, sk);
	sodium_free(sk);
}

static void
receipt(const uint8_t *data, size_t size)
{
	char out[CC_RCPT_CHARS + 1], again[CC_RCPT_CHARS + 1], grouped[CC_RCPT_GROUPED + 1];

	if (cc_rcpt_parse((const char *)data, size, out) != CC_OK)
		return;
	cc_rcpt_group(out, grouped);
	if (strlen(out) != CC_RCPT_CHARS || cc_rcpt_parse(grouped, strlen(grouped), again) != CC_OK ||
	    strcmp(out, again) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 7) {
	case 0:
		env_stream(data + 1, size - 1);
		break;
	case 1:
		env_buffer(data + 1, size - 1);
		break;
	case 2:
		env_roundtrip(data + 1, size - 1);
		break;
	case 3:
		key_lines(data + 1, size - 1);
		break;
	case 4:
		key_file(data + 1, size - 1);
		break;
	case 5:
		sign_file(data + 1, size - 1);
		break;
	default:
		receipt(data + 1, size - 1);
		break;
	}
	return 0;
}
