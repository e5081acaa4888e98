/*
 * Referral configuration: register fields, reference patterns, column
 * maps, bank holidays and timescale thresholds. The config file is plain
 * text, one setting a line ("#" starts a comment); SECURITY.md and
 * `candour-review referrals --help` list the keywords.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"
#include "tmpl/tmpl.h"

static const char *const field_names[RF_COUNT] = {
    "reference",
    "received",
    "source",
    "team",
    "decision",
    "decision_date",
    "strategy_date",
    "s47_date",
    "icpc_date",
    "status",
    "closed_date",
    "closure_reason",
    "assessment_date",
};

const char *
ref_field_name(int f)
{
	return f >= 0 && f < RF_COUNT ? field_names[f] : "?";
}

int
ref_field_parse(const char *s)
{
	char buf[32];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = s[i] == '-' ? '_' : (char)tolower((unsigned char)s[i]);
	if (s[i] != '\0')
		return -1;
	buf[i] = '\0';
	for (int f = 0; f < RF_COUNT; f++)
		if (strcmp(buf, field_names[f]) == 0)
			return f;
	return -1;
}

int
ref_field_is_date(int f)
{
	return f == RF_RECEIVED || f == RF_DECISION_DATE || f == RF_STRATEGY_DATE ||
	       f == RF_S47_DATE || f == RF_ICPC_DATE || f == RF_CLOSED_DATE ||
	       f == RF_ASSESSMENT_DATE;
}

static int
is_pat_sep(char c)
{
	return c == '/' || c == '-' || c == '.' || c == '_' || c == ':' || c == ' ';
}

static int
add_token(struct ref_pattern *p, int kind, const char *s, size_t n, const char **why)
{
	if (p->ntok == REF_PAT_TOKENS_MAX) {
		*why = "cli.why.ref.pat_parts";
		return -1;
	}
	p->tok[p->ntok].kind = kind;
	p->tok[p->ntok].n = n;
	p->tok[p->ntok].sep = 0;
	p->tok[p->ntok].lit[0] = '\0';
	if (kind == REF_TOK_LIT) {
		for (size_t i = 0; i < n; i++)
			p->tok[p->ntok].lit[i] = (char)toupper((unsigned char)s[i]);
		p->tok[p->ntok].lit[n] = '\0';
	}
	p->ntok++;
	return 0;
}

/* One run of non-separators: all Y/N -> digit classes (YYYY, NNNNN, or
 * YYNNNN), 'quoted' or anything else -> a literal of letters and digits. */
static int
add_word(struct ref_pattern *p, const char *s, size_t n, const char **why)
{
	size_t i, j;
	int quoted = n >= 2 && s[0] == '\'' && s[n - 1] == '\'';
	int classes = !quoted;

	if (quoted) {
		s++;
		n -= 2;
	}
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i])) {
			*why = "cli.why.ref.pat_char";
			return -1;
		}
		if (s[i] != 'Y' && s[i] != 'N')
			classes = 0;
	}
	if (n == 0) {
		*why = "cli.why.ref.pat_empty";
		return -1;
	}
	if (!classes)
		return add_token(p, REF_TOK_LIT, s, n, why);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && s[j] == s[i]; j++)
			;
		if (j - i > 12) {
			*why = "cli.why.ref.pat_run";
			return -1;
		}
		if (add_token(p, s[i] == 'Y' ? REF_TOK_YEAR : REF_TOK_NUM, NULL, j - i, why) < 0)
			return -1;
	}
	return 0;
}

int
ref_pattern_compile(const char *text, struct ref_pattern *out, const char **why)
{
	size_t len = strlen(text), i = 0, j, digits = 0;
	int has_num = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > REF_PATTERN_MAX) {
		*why = "cli.why.ref.pat_length";
		return -1;
	}
	memcpy(out->text, text, len + 1);
	while (i < len) {
		if (is_pat_sep(text[i])) {
			if (out->ntok == 0) {
				*why = "cli.why.ref.pat_sep_start";
				return -1;
			}
			if (out->tok[out->ntok - 1].sep == 0)
				out->tok[out->ntok - 1].sep = text[i] == ' ' ? '/' : text[i];
			i++;
			continue;
		}
		for (j = i; j < len && !is_pat_sep(text[j]); j++)
			;
		if (add_word(out, text + i, j - i, why) < 0)
			return -1;
		i = j;
	}
	if (out->ntok > 0)
		out->tok[out->ntok - 1].sep = 0;
	for (i = 0; i < out->ntok; i++) {
		if (out->tok[i].kind == REF_TOK_LIT)
			out->anchored = 1;
		else {
			has_num = 1;
			digits += out->tok[i].n;
		}
		if (out->tok[i].kind == REF_TOK_YEAR && out->tok[i].n != 2 && out->tok[i].n != 4) {
			*why = "cli.why.ref.pat_year";
			return -1;
		}
	}
	if (!has_num) {
		*why = "cli.why.ref.pat_no_digit";
		return -1;
	}
	if (!out->anchored && digits < 6) {
		*why = "cli.why.ref.pat_six";
		return -1;
	}
	return 0;
}

static void
words_set(char w[][REF_WORD_MAX + 1], size_t *n, const char *const *list)
{
	*n = 0;
	for (; *list != NULL; list++)
		snprintf(w[(*n)++], REF_WORD_MAX + 1, "%s", *list);
}

void
ref_config_default(struct ref_config *c)
{
	static const char *const cp[] = {"strategy", "s47", "section 47", "child protection", NULL};
	static const char *const nfa[] = {"nfa", "no further action", NULL};
	static const char *const closed[] = {"closed", NULL};
	const char *why;

	memset(c, 0, sizeof(*c));
	(void)ref_pattern_compile("REF/YYYY/NNNNN", &c->pat[c->npat++], &why);
	(void)ref_pattern_compile("PPN-NNNNNN", &c->pat[c->npat++], &why);
	ref_days_default(&c->days);
	c->decision_days = 1;
	c->strategy_days = 3;
	c->icpc_days = 15;
	c->assessment_days = 45;
	c->nfa_days = 10;
	words_set(c->cp_words, &c->ncp, cp);
	words_set(c->nfa_words, &c->nnfa, nfa);
	words_set(c->closed_words, &c->nclosed, closed);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* required: a missing column is an error (--map); a config file's maps
 * describe the exports it may meet and are skipped when absent. */
static int
map_set(struct ref_config *c, const char *spec, int required, char *why, size_t whylen)
{
	char buf[REF_COLUMN_MAX + 40];
	char *eq, *col, *fld;
	int f;

	if (strlen(spec) >= sizeof(buf)) {
		CLI_FILL(why, whylen, "cli.why.ref.map_long");
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	eq = strrchr(buf, '=');
	if (eq == NULL) {
		CLI_FILL(why, whylen, "cli.why.ref.map_form");
		return -1;
	}
	*eq = '\0';
	col = trim(buf);
	fld = trim(eq + 1);
	if ((f = ref_field_parse(fld)) < 0) {
		CLI_FILL(why, whylen, "cli.why.ref.map_field", cli_head(fld, 40));
		return -1;
	}
	if (*col == '\0' || strlen(col) > REF_COLUMN_MAX) {
		CLI_FILL(why, whylen, "cli.why.ref.map_column", CLI_NUM(REF_COLUMN_MAX));
		return -1;
	}
	for (size_t i = 0; i < c->nmap; i++) {
		if (c->map[i].field == f || strcasecmp(c->map[i].column, col) == 0) {
			c->map[i].field = f; /* a later map replaces an earlier one */
			c->map[i].required = required;
			snprintf(c->map[i].column, sizeof(c->map[i].column), "%s", col);
			return 0;
		}
	}
	if (c->nmap == REF_MAPS_MAX) {
		CLI_FILL(why, whylen, "cli.why.ref.map_many", CLI_NUM(REF_MAPS_MAX));
		return -1;
	}
	snprintf(c->map[c->nmap].column, sizeof(c->map[c->nmap].column), "%s", col);
	c->map[c->nmap].field = f;
	c->map[c->nmap].required = required;
	c->nmap++;
	return 0;
}

int
ref_config_map(struct ref_config *c, const char *spec, char *why, size_t whylen)
{
	return map_set(c, spec, 1, why, whylen);
}

static int
word_add(char w[][REF_WORD_MAX + 1], size_t *n, const char *v, char *why, size_t whylen)
{
	if (strcmp(v, "none") == 0) {
		*n = 0;
		return 0;
	}
	if (*n == REF_WORDS_MAX || strlen(v) == 0 || strlen(v) > REF_WORD_MAX) {
		CLI_FILL(why, whylen, "cli.why.ref.words", CLI_NUM(REF_WORD_MAX));
		return -1;
	}
	snprintf(w[(*n)++], REF_WORD_MAX + 1, "%s", v);
	return 0;
}

static int
setting(
    struct ref_config *c, const char *key, char *val, int *pattern_seen, char *why, size_t whylen)
{
	const char *pwhy;
	int32_t day;
	char *end;
	long n;

	if (strcmp(key, "pattern") == 0) {
		if (!*pattern_seen) {
			c->npat = 0; /* a config's patterns replace the defaults */
			*pattern_seen = 1;
		}
		if (c->npat == REF_PATTERNS_MAX) {
			CLI_FILL(why, whylen, "cli.why.ref.pat_many", CLI_NUM(REF_PATTERNS_MAX));
			return -1;
		}
		if (ref_pattern_compile(val, &c->pat[c->npat], &pwhy) < 0) {
			CLI_FILL(why, whylen, "cli.why.ref.pattern", CLI_T(pwhy));
			return -1;
		}
		c->npat++;
		return 0;
	}
	if (strcmp(key, "map") == 0)
		return map_set(c, val, 0, why, whylen);
	if (strcmp(key, "holiday") == 0) {
		if (ref_date_parse(val, strlen(val), &day) < 0) {
			CLI_FILL(why, whylen, "cli.why.ref.holiday_date");
			return -1;
		}
		if (ref_days_add(&c->days, day) < 0) {
			CLI_FILL(why, whylen, "cli.why.ref.holiday_many", CLI_NUM(REF_HOLIDAYS_MAX));
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "holidays") == 0) {
		if (strcmp(val, "none") == 0)
			ref_days_clear(&c->days);
		else if (strcmp(val, "england-and-wales") == 0)
			ref_days_default(&c->days);
		else {
			CLI_FILL(why, whylen, "cli.why.ref.holidays");
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "cp_decision") == 0)
		return word_add(c->cp_words, &c->ncp, val, why, whylen);
	if (strcmp(key, "nfa_word") == 0)
		return word_add(c->nfa_words, &c->nnfa, val, why, whylen);
	if (strcmp(key, "closed_status") == 0)
		return word_add(c->closed_words, &c->nclosed, val, why, whylen);

	int *slot = strcmp(key, "decision_days") == 0	? &c->decision_days
		    : strcmp(key, "strategy_days") == 0 ? &c->strategy_days
		    : strcmp(key, "icpc_days") == 0	? &c->icpc_days
		    : strcmp(key, "assessment_days") == 0 ? &c->assessment_days
		    : strcmp(key, "nfa_days") == 0	? &c->nfa_days
							: NULL;
	if (slot == NULL) {
		CLI_FILL(why, whylen, "cli.why.ref.setting", cli_head(key, 40));
		return -1;
	}
	n = strtol(val, &end, 10);
	if (*val == '\0' || *end != '\0' || n < 0 || n > 365) {
		CLI_FILL(why, whylen, "cli.why.ref.days", key);
		return -1;
	}
	*slot = (int)n;
	return 0;
}

int
ref_config_parse(struct ref_config *c, const char *text, size_t len, char *why, size_t whylen)
{
	char line[512], inner[400];
	size_t i = 0, lineno = 0;
	int pattern_seen = 0;

	if (len > REF_CONFIG_MAX || memchr(text, '\0', len) != NULL) {
		CLI_FILL(why, whylen, "cli.why.ref.config_big", CLI_UNUM(REF_CONFIG_MAX));
		return -1;
	}
	while (i < len) {
		size_t e = i;
		char *s, *key, *val;

		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		if (e - i >= sizeof(line)) {
			CLI_FILL(why, whylen, "cli.why.ref.line_long", CLI_UNUM(lineno));
			return -1;
		}
		memcpy(line, text + i, e - i);
		line[e - i] = '\0';
		i = e + 1;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		key = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '\0')
			*s++ = '\0';
		val = trim(s);
		if (*val == '\0') {
			CLI_FILL(why, whylen, "cli.why.ref.line_value", CLI_UNUM(lineno), cli_head(key, 40));
			return -1;
		}
		if (setting(c, key, val, &pattern_seen, inner, sizeof(inner)) < 0) {
			CLI_FILL(why, whylen, "cli.why.ref.line", CLI_UNUM(lineno), inner);
			return -1;
		}
	}
	return 0;
}
