/*
 * Where a program's web/ directory is: the first of tmpl_web_candidates
 * (beside the binary, the install prefix, CANDOUR_WEB_DIR, ./web) that
 * holds the file the program needs. One search for the intake's pages, the
 * report's templates and the desk's, so that a binary run from anywhere
 * finds the tree it was built in, and a failure names every place looked.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpl/tmpl.h"

int
tmpl_web_has(const char *dir, const char *marker)
{
	char p[PATH_MAX];
	struct stat st;
	return snprintf(p, sizeof(p), "%s/%s", dir, marker) < (int)sizeof(p) && stat(p, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

int
tmpl_find_web(const char *marker, char *out, size_t outlen, char *tried, size_t triedlen)
{
	char cand[WEB_DIR_CANDIDATES][PATH_MAX], real[WEB_DIR_CANDIDATES][PATH_MAX];
	size_t n = tmpl_web_candidates(cand), tl = 0;

	tried[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *shown = realpath(cand[i], real[i]) != NULL ? real[i] : cand[i];
		if (shown == cand[i])
			snprintf(real[i], PATH_MAX, "%s", cand[i]);
		if (tmpl_web_has(cand[i], marker)) {
			if (snprintf(out, outlen, "%s", shown) >= (int)outlen)
				return -1;
			return 0;
		}
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(real[j], real[i]) == 0; /* one directory, two names */
		if (seen)
			continue;
		int w = snprintf(tried + tl, triedlen - tl, "%s%s", tl ? ", " : "", shown);
		if (w < 0 || (size_t)w >= triedlen - tl)
			break;
		tl += (size_t)w;
	}
	return -1;
}
