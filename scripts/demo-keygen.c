/*
 * demo-keygen: makes a reviewer key pair for demos and tests only, where
 * `candour-review keygen` is not at hand. Writes DIR/NAME.pub and, with a
 * passphrase file, DIR/NAME.sec (Argon2id INTERACTIVE: weaker than the
 * real keygen's default, fine for a demo, NEVER for real concerns).
 * Built by scripts/demo-run.sh and the e2e tests against the crypto library:
 *   cc -I. scripts/demo-keygen.c BUILD/libcandour_crypto.a -lsodium
 * usage: demo-keygen NAME DIR [PASSPHRASE-FILE]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/candour_crypto.h"

static int
write_new(const char *path, const void *buf, size_t len, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	int ok = write(fd, buf, len) == (ssize_t)len && fsync(fd) == 0;
	return close(fd) == 0 && ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct cc_seckey *sk = NULL;
	struct cc_kdf kdf;
	char line[CC_PUBLINE_MAX + 1], path[4096], pass[1024];
	uint8_t *sec = NULL;
	size_t seclen, plen = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: demo-keygen NAME DIR [PASSPHRASE-FILE]\n");
		return 2;
	}
	umask(077);
	if (cc_init() != CC_OK || cc_keypair_generate(argv[1], &sk) != CC_OK ||
	    cc_pubkey_format(&sk->pub, line, sizeof(line)) != CC_OK) {
		fprintf(stderr, "demo-keygen: cannot make a key pair named %s\n", argv[1]);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s.pub", argv[2], argv[1]);
	if (write_new(path, line, strlen(line), 0644) != 0) {
		fprintf(stderr, "demo-keygen: cannot write %s (exists?)\n", path);
		return 1;
	}
	if (argc == 4) {
		FILE *f = fopen(argv[3], "r");
		if (f == NULL || (plen = fread(pass, 1, sizeof(pass) - 1, f)) == 0) {
			fprintf(stderr, "demo-keygen: cannot read the passphrase file\n");
			return 1;
		}
		fclose(f);
		while (plen > 0 && (pass[plen - 1] == '\n' || pass[plen - 1] == '\r'))
			plen--;
		cc_kdf_interactive(&kdf);
		snprintf(path, sizeof(path), "%s/%s.sec", argv[2], argv[1]);
		if (cc_seckey_seal(sk, pass, plen, &kdf, &sec, &seclen) != CC_OK ||
		    write_new(path, sec, seclen, 0600) != 0) {
			fprintf(stderr, "demo-keygen: cannot write %s\n", path);
			return 1;
		}
		free(sec);
	}
	cc_seckey_free(sk);
	printf("%s", line);
	return 0;
}
