/*
 * The reporter's voice: two optional answers a follow-up message may
 * carry (SECURITY.md, "Envelope plaintexts"). The intake checks them as
 * they arrive from the form and the review tool again as it opens the
 * message, with this one table, so the two can never disagree about what
 * a valid answer is.
 */
#include <string.h>

#include "util/util.h"

static const char *const voice_values[VOICE_QUESTIONS][VOICE_ANSWERS] = {
    [VOICE_DETRIMENT] = {"yes", "no", "unsaid"},
    [VOICE_AGAIN] = {"yes", "no", "unsure"},
};
static const char *const voice_names[VOICE_QUESTIONS] = {"detriment", "again"};

const char *
voice_field(int q)
{
	return q >= 0 && q < VOICE_QUESTIONS ? voice_names[q] : NULL;
}

const char *
voice_value(int q, int a)
{
	if (q < 0 || q >= VOICE_QUESTIONS || a < VOICE_YES || a > VOICE_ANSWERS)
		return NULL;
	return voice_values[q][a - 1];
}

/* Exact match, the length too: "yes\0x" is not "yes". */
int
voice_parse(int q, const uint8_t *v, size_t len)
{
	if (q < 0 || q >= VOICE_QUESTIONS)
		return -1;
	for (int a = 0; a < VOICE_ANSWERS; a++) {
		const char *s = voice_values[q][a];
		if (v != NULL && len == strlen(s) && memcmp(v, s, len) == 0)
			return a + 1;
	}
	return -1;
}
