/*
 * The telephone numbers a reporter who says a child is at risk now is
 * shown. They belong to the deployment, not to the catalogue: a council
 * writes its own out-of-hours line in a contacts file ("key = value",
 * serve --contacts, default contacts.txt beside --db), and serve refuses
 * to start without one, or with the shipped placeholder, unless --demo.
 * The numbers join the catalogue as site.KEY (as written) and site.KEY_tel
 * (what a phone dials), for the templates' {{t.site...}}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/util.h"

static const struct {
	const char *key;
	const char *fallback; /* NULL: the file must give it */
} contacts_keys[] = {
    {"out_of_hours", NULL},
    {"police", CONTACTS_POLICE_DEFAULT},
    {"police_non", CONTACTS_POLICE_NON_DEFAULT},
};
#define CONTACTS_NKEYS (sizeof(contacts_keys) / sizeof(contacts_keys[0]))

/* A number as people write it: digits and single spaces, an optional
 * leading '+'. Writes the digits (and the '+') to tel. */
static int
number_valid(const char *s, char tel[CONTACTS_NUMBER_MAX + 1])
{
	size_t n = strlen(s), t = 0, digits = 0;

	if (n == 0 || n > CONTACTS_NUMBER_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+' && i == 0)
			tel[t++] = '+';
		else if (s[i] >= '0' && s[i] <= '9') {
			tel[t++] = s[i];
			digits++;
		} else if (s[i] != ' ' || i == 0 || s[i - 1] == ' ')
			return 0;
	}
	tel[t] = '\0';
	return digits >= 3;
}

int
contacts_load(struct web *w, const char *path, int demo, const char **why)
{
	struct catalogue file = {0};
	uint8_t *buf = NULL;
	size_t len;
	int ret = -1, have_file = 0;

	/* path NULL: no file (the poster's --demo) */
	if (path != NULL && util_read_file(path, WEB_FILE_MAX, &buf, &len) == 0) {
		have_file = 1;
		if (catalogue_parse((const char *)buf, len, &file) != 0) {
			*why = "the contacts file is not \"key = value\" lines of text";
			goto out;
		}
	} else if (path != NULL && errno != ENOENT) {
		*why = "cannot read the contacts file";
		goto out;
	} else if (!demo) {
		*why = "no contacts file: write your out-of-hours number in it (README, "
		       "\"Numbers for reporters at risk\"), or name it with --contacts FILE";
		goto out;
	}
	for (size_t i = 0; i < file.n; i++) {
		size_t k = 0;
		while (k < CONTACTS_NKEYS && strcmp(file.e[i].key, contacts_keys[k].key) != 0)
			k++;
		if (k == CONTACTS_NKEYS) {
			*why = "the contacts file has a key other than out_of_hours, police, "
			       "police_non";
			goto out;
		}
	}
	for (size_t k = 0; k < CONTACTS_NKEYS; k++) {
		char key[64], tel[CONTACTS_NUMBER_MAX + 1];
		const char *v = catalogue_get(&file, contacts_keys[k].key);
		if (v == NULL)
			v = contacts_keys[k].fallback;
		if (v == NULL && demo && !have_file)
			v = CONTACTS_PLACEHOLDER;
		if (v == NULL) {
			*why = "the contacts file has no out_of_hours number";
			goto out;
		}
		if (!number_valid(v, tel)) {
			*why = "a number in the contacts file is not digits and spaces (a leading "
			       "+ allowed, at most 24 characters)";
			goto out;
		}
		if (strcmp(tel, CONTACTS_PLACEHOLDER_TEL) == 0 && !demo) {
			*why = "the contacts file still holds the placeholder number 0300 000 "
			       "0000: write your own out-of-hours number";
			goto out;
		}
		/* shown with no-break spaces: a number never wraps mid-way */
		char shown[3 * CONTACTS_NUMBER_MAX + 1];
		size_t sl = 0;
		for (const char *p = v; *p; p++) {
			if (*p == ' ') {
				memcpy(shown + sl, "\xc2\xa0", 2);
				sl += 2;
			} else {
				shown[sl++] = *p;
			}
		}
		shown[sl] = '\0';
		snprintf(key, sizeof(key), "site.%s", contacts_keys[k].key);
		if (catalogue_add(&w->cat, key, shown) != 0)
			goto full;
		snprintf(key, sizeof(key), "site.%s_tel", contacts_keys[k].key);
		if (catalogue_add(&w->cat, key, tel) != 0)
			goto full;
	}
	ret = 0;
	goto out;
full:
	*why = "cannot add the contacts to the catalogue (full, or it already has site.*)";
out:
	catalogue_free(&file);
	free(buf);
	return ret;
}
