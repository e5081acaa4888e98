/*
 * A network probe preloaded (LD_PRELOAD) into a process by
 * tests/e2e/38-review-desk.sh: a thread, started before main(), waits for
 * the file $PROBE_GO, then tries to open a TCP connection to
 * 127.0.0.1:$PROBE_PORT and writes CONNECTED or BLOCKED <errno> to
 * $PROBE_OUT. Preloaded into `sleep` it connects (the probe works);
 * preloaded into the desk it must not (the filter covers every thread,
 * even one started before the filter was installed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void *
probe(void *arg)
{
	const char *go = getenv("PROBE_GO"), *out = getenv("PROBE_OUT"),
		   *port = getenv("PROBE_PORT");
	struct sockaddr_in sa;
	FILE *f;
	int fd, err = 0;

	(void)arg;
	for (int i = 0; i < 600 && access(go, F_OK) != 0; i++)
		usleep(50000);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(port));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		err = errno;
	if ((f = fopen(out, "w")) != NULL) {
		if (err == 0)
			fprintf(f, "CONNECTED\n");
		else
			fprintf(f, "BLOCKED %d\n", err);
		fclose(f);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

__attribute__((constructor)) static void
start(void)
{
	pthread_t t;

	if (getenv("PROBE_GO") && getenv("PROBE_OUT") && getenv("PROBE_PORT") &&
	    pthread_create(&t, NULL, probe, NULL) == 0)
		pthread_detach(t);
}
