/*
 * The intake's Ed25519 signing key, beside the database: DB.sign.key
 * (cc_signsec format, mode 0600, refused when group or others can read it)
 * and DB.sign.pub (the one-line public key reviewers pin). Made on first
 * start of serve; export only loads it. The key can sign exports and
 * nothing else: it cannot open a concern.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intake/intake.h"
#include "util/util.h"

int
intake_signkey_path(const char *db, int pub, char *buf, size_t buflen)
{
	int n = snprintf(buf, buflen, "%s%s", db, pub ? ".sign.pub" : ".sign.key");

	if (n < 0 || (size_t)n >= buflen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Reads the secret file into sodium memory and decodes it. */
static int
read_secret(const char *path, uint8_t pk[CC_SIGN_PK], uint8_t *sk)
{
	uint8_t *buf = NULL;
	struct stat st;
	ssize_t n = -1;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > CC_SECFILE_MAX) {
		errno = EINVAL;
		goto out;
	}
	if (st.st_mode & 077) {
		errno = EPERM; /* a signing key others can read is not trusted */
		goto out;
	}
	if ((buf = sodium_malloc(CC_SECFILE_MAX)) == NULL)
		goto out;
	do
		n = read(fd, buf, CC_SECFILE_MAX);
	while (n < 0 && errno == EINTR);
	if (n != st.st_size || cc_signsec_decode(buf, (size_t)n, pk, sk) != CC_OK) {
		errno = EINVAL;
		goto out;
	}
	rc = 0;
out:
	sodium_free(buf);
	close(fd);
	return rc;
}

static int
write_pub(const char *path, const uint8_t pk[CC_SIGN_PK])
{
	char line[CC_PUBLINE_MAX];

	if (cc_signpub_format(pk, line, sizeof(line)) != CC_OK)
		return -1;
	return util_write_file(path, line, strlen(line), 0644, 1);
}

static int
check_pub(const char *path, const uint8_t pk[CC_SIGN_PK])
{
	uint8_t *buf, got[CC_SIGN_PK];
	size_t len;
	int rc;

	if (util_read_file(path, CC_PUBLINE_MAX, &buf, &len) != 0)
		return -1;
	rc = cc_signpub_parse((const char *)buf, len, got) == CC_OK &&
		     sodium_memcmp(got, pk, CC_SIGN_PK) == 0
		 ? 0
		 : -1;
	free(buf);
	if (rc != 0)
		errno = EINVAL;
	return rc;
}

/* DB.sign.key.new: a first start's key until its database exists. It
 * does not end in .sign.key, so it never marks a directory as holding an
 * intake (serve_check_new) and is never loaded as the key. */
static int
staged_path(const char *db, char *buf, size_t buflen)
{
	int n = snprintf(buf, buflen, "%s.sign.key.new", db);

	if (n < 0 || (size_t)n >= buflen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* A new key pair, its secret half written to path (mode 0600). */
static int
generate(const char *path, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int excl)
{
	uint8_t *enc = NULL;
	size_t len;
	int rc = -1;

	if ((enc = sodium_malloc(CC_SECFILE_MAX)) == NULL)
		return -1;
	if (cc_signkey_generate(pk, sk) != CC_OK ||
	    cc_signsec_encode(sk, enc, CC_SECFILE_MAX, &len) != CC_OK ||
	    util_write_file(path, enc, len, 0600, excl) != 0)
		goto out;
	rc = 0;
out:
	sodium_free(enc);
	if (rc != 0)
		sodium_memzero(sk, CC_SIGN_SK);
	return rc;
}

/* The key, its public line and the staged key of db (bufs of 4096). */
static int
all_paths(const char *db, char *kpath, char *ppath, char *spath)
{
	if (intake_signkey_path(db, 0, kpath, 4096) != 0 ||
	    intake_signkey_path(db, 1, ppath, 4096) != 0 || staged_path(db, spath, 4096) != 0)
		return -1;
	return 0;
}

/* Puts DB.sign.key.new in place as DB.sign.key (never over an existing
 * key: link, not rename), then writes DB.sign.pub. A crash between the
 * steps leaves either the staged key (finished at the next start) or a
 * secret without its public line (written at the next start). */
int
intake_signkey_commit(const char *db, const uint8_t pk[CC_SIGN_PK])
{
	char kpath[4096], ppath[4096], spath[4096];

	if (all_paths(db, kpath, ppath, spath) != 0)
		return -1;
	if (link(spath, kpath) != 0 || unlink(spath) != 0)
		return -1;
	return write_pub(ppath, pk);
}

int
intake_signkey_finish(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int *done)
{
	char kpath[4096], spath[4096];

	*done = 0;
	if (intake_signkey_path(db, 0, kpath, sizeof(kpath)) != 0 ||
	    staged_path(db, spath, sizeof(spath)) != 0)
		return -1;
	if (access(kpath, F_OK) == 0 || errno != ENOENT)
		return 0; /* a key in place: the staged one (if any) is not used */
	if (access(spath, F_OK) != 0)
		return errno == ENOENT ? 0 : -1;
	if (read_secret(spath, pk, sk) != 0 || intake_signkey_commit(db, pk) != 0) {
		sodium_memzero(sk, CC_SIGN_SK);
		return -1;
	}
	*done = 1;
	return 0;
}

void
intake_signkey_unstage(const char *db)
{
	char spath[4096];

	if (staged_path(db, spath, sizeof(spath)) == 0)
		(void)unlink(spath);
}

int
intake_signkey_stage(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int *stale)
{
	char kpath[4096], ppath[4096], spath[4096];

	if (all_paths(db, kpath, ppath, spath) != 0)
		return -1;
	/* a key or public line in place belongs to an intake: never replaced */
	if (access(kpath, F_OK) == 0 || access(ppath, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	*stale = access(spath, F_OK) == 0;
	return generate(spath, pk, sk, 0);
}

int
intake_signkey_load(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int create)
{
	char kpath[4096], ppath[4096];

	if (intake_signkey_path(db, 0, kpath, sizeof(kpath)) != 0 ||
	    intake_signkey_path(db, 1, ppath, sizeof(ppath)) != 0)
		return -1;
	if (read_secret(kpath, pk, sk) == 0) {
		if (access(ppath, F_OK) != 0 && errno == ENOENT && create)
			return write_pub(ppath, pk);
		return check_pub(ppath, pk);
	}
	if (errno != ENOENT || !create)
		return -1;
	/* A public key without its secret half is an identity reviewers have
	 * pinned: never replace it silently with a new one. */
	if (access(ppath, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	/* Secret first: a crash between the two leaves a secret without its
	 * public line, which the next start writes again. */
	if (generate(kpath, pk, sk, 1) != 0 || write_pub(ppath, pk) != 0) {
		sodium_memzero(sk, CC_SIGN_SK);
		return -1;
	}
	return 0;
}
