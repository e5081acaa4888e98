/*
 * The referral register's reader (review/ref_csv.c, ref_map.c, ref_days.c,
 * ref_config.c, ref_flags.c). Input: a config text, a NUL byte, then the
 * CSV (no NUL: the CSV alone, default config). Every record is mapped and
 * its flags evaluated. Properties: a field is valid UTF-8 of its stated
 * length; a parsed date formats and re-parses to the same day.
 */
#include "review/ref.h"
#include "tests/fuzz/fuzz.h"
#include "util/util.h"

static struct ref_config base, cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char csv[] =
	    "reference,received,source,team,decision,decision_date,status,closed_date\r\n"
	    "REF/2024/00012,2024-03-01,school,North,Section 47,04/03/2024,open,\r\n"
	    "\"PPN-123456\",1/2/2024,\"police, \"\"night\"\"\",South,NFA,2024-02-02,closed,2024-02-09\n";
	static const char conf[] = "pattern REF/YYYY/NNNNN\nholiday 2024-12-27\nmap team=team\n"
				   "decision_days 2\nnfa_word nfa\n";
	char buf[1024];

	(void)argc;
	(void)argv;
	fz_init();
	ref_config_default(&base);
	fz_seed("csv", csv, sizeof(csv) - 1);
	memcpy(buf, conf, sizeof(conf)); /* the NUL ends the config */
	memcpy(buf + sizeof(conf), csv, sizeof(csv) - 1);
	fz_seed("config-csv", buf, sizeof(conf) + sizeof(csv) - 1);
	fz_seed("dates", "\0received\n29/02/2024\n31/12/2199\n1900-01-01\n", 43);
	return 0;
}

static void
check_date(const char *s, size_t len)
{
	int32_t d, e;
	char out[11];

	if (ref_date_parse(s, len, &d) != 0)
		return;
	ref_date_format(d, out);
	if (ref_date_parse(out, 10, &e) != 0 || e != d || ref_weekday(d) < 0 || ref_weekday(d) > 6)
		abort();
	(void)ref_days_after(&cfg.days, d, (int)(len % 20));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct ref_csv *c = NULL;
	struct ref_csv_row row;
	struct ref_map m;
	struct ref_record r;
	char why[256];
	FILE *fp;
	int rc, have_map = 0;

	cfg = base;
	if (nul != NULL) {
		if (ref_config_parse(&cfg, (const char *)data, (size_t)(nul - data), why,
			sizeof(why)) != 0)
			cfg = base;
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	if (ref_csv_new(fp, &c) != 0)
		abort();
	while ((rc = ref_csv_next(c, &row)) == 1) {
		if (row.n > REF_CSV_COLS_MAX)
			abort();
		for (size_t i = 0; i < row.n; i++) {
			if (strlen(row.f[i]) != row.len[i] || row.len[i] > REF_CSV_FIELD_MAX ||
			    !util_text_valid(row.f[i], row.len[i], 1))
				abort();
			check_date(row.f[i], row.len[i]);
		}
		if (!have_map) {
			have_map = ref_map_header(&cfg, &row, &m, why, sizeof(why)) == 0;
			continue;
		}
		if (ref_map_record(&cfg, &m, &row, &r, why, sizeof(why)) == 0) {
			struct ref_facts f = {
			    .decision = r.v[RF_DECISION] ? r.v[RF_DECISION] : "",
			    .status = r.v[RF_STATUS] ? r.v[RF_STATUS] : "",
			    .closure_reason = r.v[RF_CLOSURE_REASON] ? r.v[RF_CLOSURE_REASON] : "",
			    .received = r.day[RF_RECEIVED],
			    .decision_date = r.day[RF_DECISION_DATE],
			    .strategy = r.day[RF_STRATEGY_DATE],
			    .s47 = r.day[RF_S47_DATE],
			    .icpc = r.day[RF_ICPC_DATE],
			    .closed = r.day[RF_CLOSED_DATE],
			    .assessment = r.day[RF_ASSESSMENT_DATE],
			};
			if (strlen(r.ref) == 0 || strlen(r.ref) > REF_REF_MAX)
				abort();
			(void)ref_flags_eval(&cfg, &f, 20000);
		}
	}
	if (rc < 0 && ref_csv_error(c) == NULL)
		abort();
	ref_csv_free(c);
	fclose(fp);
	return 0;
}
