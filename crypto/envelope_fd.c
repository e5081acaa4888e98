/* File descriptor wrappers around the streaming writer and reader. They
 * read until EOF and write everything; memory is one fixed buffer. A
 * closed output pipe raises SIGPIPE as usual: callers that can see one
 * ignore the signal. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "crypto/cc_internal.h"

#define FD_BUF 65536

static int
fd_sink(void *ctx, const uint8_t *buf, size_t len)
{
	int fd = *(int *)ctx;
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads up to FD_BUF bytes; 0 at EOF, -1 on error. */
static ssize_t
fd_read(int fd, uint8_t *buf)
{
	for (;;) {
		ssize_t n = read(fd, buf, FD_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		return n;
	}
}

int
cc_env_seal_fd(int kind, const struct cc_recipient *r, size_t nr, int in, int out)
{
	struct cc_env_writer *w = NULL;
	uint8_t *buf = sodium_malloc(FD_BUF); /* holds plaintext */
	int rc;
	ssize_t n;

	if (buf == NULL)
		return CC_ERR;
	if ((rc = cc_env_writer_new(kind, r, nr, fd_sink, &out, &w)) != CC_OK)
		goto out;
	while ((n = fd_read(in, buf)) > 0)
		if ((rc = cc_env_writer_update(w, buf, (size_t)n)) != CC_OK)
			break;
	if (rc == CC_OK && n < 0)
		rc = CC_ERR;
	if (rc != CC_OK) {
		cc_env_writer_abort(w);
		goto out;
	}
	rc = cc_env_writer_finish(w);
out:
	sodium_free(buf);
	return rc;
}

int
cc_env_open_fd(const struct cc_boxkey *key, int in, int out, int *kind)
{
	struct cc_env_reader *r = NULL;
	uint8_t *buf = malloc(FD_BUF); /* ciphertext only */
	int rc;
	ssize_t n;

	if (kind)
		*kind = 0;
	if (buf == NULL)
		return CC_ERR;
	if ((rc = cc_env_reader_new(key, fd_sink, &out, &r)) != CC_OK)
		goto out;
	while ((n = fd_read(in, buf)) > 0)
		if ((rc = cc_env_reader_update(r, buf, (size_t)n)) != CC_OK)
			break;
	if (rc == CC_OK && n < 0)
		rc = CC_ERR;
	if (rc != CC_OK) {
		cc_env_reader_abort(r);
		goto out;
	}
	rc = cc_env_reader_finish(r, kind);
out:
	free(buf);
	return rc;
}
