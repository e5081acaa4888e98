/*
 * Timescale flags of one referral (Working Together to Safeguard
 * Children defaults; every threshold configurable). A flag is a question
 * for the reviewer, not a finding: see SECURITY.md and the referrals help
 * text for exactly when each one is raised.
 */
#include <string.h>

#include "review/ref.h"

static const char *const flag_names[REF_FLAG_COUNT] = {
    "decision-late",
    "strategy-late",
    "s47-not-started",
    "icpc-late",
    "nfa-quick",
    "closed-no-decision",
    "assessment-late",
};

const char *
ref_flag_name(int i)
{
	return i >= 0 && i < REF_FLAG_COUNT ? flag_names[i] : "?";
}

int
ref_flag_parse(const char *s)
{
	for (int i = 0; i < REF_FLAG_COUNT; i++)
		if (strcmp(s, flag_names[i]) == 0)
			return 1 << i;
	return 0;
}

static int
has_word(const char (*w)[REF_WORD_MAX + 1], size_t n, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcasestr(s, w[i]) != NULL)
			return 1;
	return 0;
}

unsigned
ref_flags_eval(const struct ref_config *cc, const struct ref_facts *f, int32_t today)
{
	const struct ref_config *c = cc;
	unsigned fl = 0;
	int closed = f->closed >= 0 || has_word(c->closed_words, c->nclosed, f->status);
	int decided = (f->decision != NULL && *f->decision != '\0') || f->decision_date >= 0;
	int cp = has_word(c->cp_words, c->ncp, f->decision);
	int nfa = has_word(c->nfa_words, c->nnfa, f->decision) ||
		  has_word(c->nfa_words, c->nnfa, f->closure_reason);

	if (f->received >= 0) {
		int32_t due = ref_days_after(&c->days, f->received, c->decision_days);
		if (f->decision_date >= 0 ? f->decision_date > due
					  : (!decided && !closed && today > due))
			fl |= REF_FLAG_DECISION_LATE;
	}
	if (f->decision_date >= 0 && (cp || f->strategy >= 0)) {
		int32_t due = ref_days_after(&c->days, f->decision_date, c->strategy_days);
		if (f->strategy >= 0 ? f->strategy > due : (closed || today > due))
			fl |= REF_FLAG_STRATEGY_LATE;
	}
	if ((cp || f->icpc >= 0) && f->s47 < 0)
		fl |= REF_FLAG_S47_MISSING;
	if (f->strategy >= 0 && f->icpc >= 0 &&
	    f->icpc > ref_days_after(&c->days, f->strategy, c->icpc_days))
		fl |= REF_FLAG_ICPC_LATE;
	if (closed && nfa && f->received >= 0 && f->closed >= 0 &&
	    f->closed - f->received <= c->nfa_days)
		fl |= REF_FLAG_NFA_QUICK;
	if (closed && !decided)
		fl |= REF_FLAG_CLOSED_NO_DECISION;
	/* Working Together: an assessment concludes within 45 working days of
	 * the referral. Late when the register's date is past that; when it
	 * has none, only a referral sent down the child protection route and
	 * still open past the date (not every referral is assessed). */
	if (f->received >= 0) {
		int32_t due = ref_days_after(&c->days, f->received, c->assessment_days);
		if (f->assessment >= 0 ? f->assessment > due : (cp && !closed && today > due))
			fl |= REF_FLAG_ASSESSMENT_LATE;
	}
	return fl;
}
