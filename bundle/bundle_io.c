/* Whole-buffer positional I/O and the prefix hash both bundle sides use. */
#include <errno.h>
#include <unistd.h>

#include "bundle/bundle_fmt.h"

int
bfmt_pread(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n, off += (uint64_t)n;
	}
	return 0;
}

int
bfmt_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n, off += (uint64_t)n;
	}
	return 0;
}

int
bfmt_hash_prefix(int fd, uint64_t end, uint8_t out[CC_HASH_BYTES])
{
	static const size_t chunk = BFMT_IO_CHUNK;
	uint8_t buf[BFMT_IO_CHUNK];
	struct cc_hasher h;
	uint64_t off = 0;

	cc_hasher_init(&h);
	while (off < end) {
		size_t n = end - off < chunk ? (size_t)(end - off) : chunk;
		if (bfmt_pread(fd, buf, n, off) != 0)
			return -1;
		cc_hasher_update(&h, buf, n);
		off += n;
	}
	cc_hasher_final(&h, out);
	return 0;
}
