/*
 * Stage 3 of the report, HTML: one self-contained file (no script, no
 * external resource) from web/templates/governance.html, the accountability
 * statement first, then each section's tables, the bar and line charts
 * drawn as inline SVG beside the table that carries the same figures for
 * screen readers. Every word comes from the catalogue; every number is
 * made here; nothing else reaches the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/report.h"
#include "util/util.h"

/* Catalogue string key with "{1}".."{4}" replaced by args, escaped. */
static void
fmt(struct tbuf *out, const struct catalogue *cat, const char *key, const char *const *args,
    size_t nargs)
{
	const char *s = rp_str(cat, key, out);
	while (*s) {
		const char *o = strchr(s, '{');
		if (o == NULL || args == NULL || o[1] < '1' || o[1] > '4' || o[2] != '}' ||
		    (size_t)(o[1] - '1') >= nargs) {
			size_t n = o ? (size_t)(o - s) + 1 : strlen(s);
			tbuf_esc(out, s, n);
			s += n;
			continue;
		}
		tbuf_esc(out, s, (size_t)(o - s));
		tbuf_esc(out, args[o[1] - '1'], strlen(args[o[1] - '1']));
		s = o + 3;
	}
}

static void
tag_text(struct tbuf *out, const char *open, const struct catalogue *cat, const char *key,
    const char *close)
{
	const char *s = rp_str(cat, key, out);
	tbuf_puts(out, open);
	tbuf_esc(out, s, strlen(s));
	tbuf_puts(out, close);
}

static void
u64s(uint64_t v, char b[24])
{
	snprintf(b, 24, "%llu", (unsigned long long)v);
}

static void
accountability(const struct rp_doc *d, struct tbuf *o)
{
	const struct rp_account *a = d->a;
	const struct catalogue *c = d->cat;
	char n[24], h[2 * CC_HASH_BYTES + 1], m[24], x[24], y[24], cmd[96];

	util_hex(a->head, CC_HASH_BYTES, h);
	u64s(a->head_seq, n);
	if (a->missing > 0) {
		u64s(a->missing, m);
		tbuf_puts(o, "<p class=\"headline alert\"><strong>");
		fmt(o, c, "rpt.acc.missing", (const char *[]){m}, 1);
		tbuf_puts(o, "</strong></p>\n<ul class=\"missing\">");
		for (size_t i = 0; i < a->nmissing_ranges; i++) {
			u64s(a->missing_first[i], x);
			u64s(a->missing_last[i], y);
			tbuf_puts(o, "<li>");
			fmt(o, c,
			    a->missing_first[i] == a->missing_last[i] ? "rpt.acc.range1"
								      : "rpt.acc.range",
			    (const char *[]){x, y}, 2);
			tbuf_puts(o, "</li>");
		}
		tbuf_puts(o, "</ul>\n<p>");
		snprintf(cmd, sizeof(cmd),
		    "candour-intake export --db intake.db --since %llu --out bundle",
		    (unsigned long long)a->head_seq);
		fmt(o, c, "rpt.acc.export", NULL, 0);
		tbuf_puts(o, " <code>");
		tbuf_esc(o, cmd, strlen(cmd));
		tbuf_puts(o, "</code></p>\n");
	} else if (a->head_check == RP_HEAD_MATCH) {
		tbuf_puts(o, "<p class=\"headline\"><strong>");
		fmt(o, c, "rpt.acc.complete", (const char *[]){n}, 1);
		tbuf_puts(o, "</strong></p>\n");
	} else if (a->head_check == RP_HEAD_BEYOND) {
		/* the normal case: the casebook was imported after the intake
		 * published its head (as of the end of the previous day) */
		u64s(a->intake_count, x);
		u64s(a->head_seq - a->intake_count, y);
		tbuf_puts(o, "<p class=\"headline\"><strong>");
		if (a->intake_date[0])
			fmt(o, c, "rpt.acc.complete_beyond", (const char *[]){x, a->intake_date, y},
			    3);
		else
			fmt(o, c, "rpt.acc.complete_beyond_nodate", (const char *[]){x, y}, 2);
		tbuf_puts(o, "</strong></p>\n");
	}
	tbuf_puts(o, "<p>");
	if (a->head_check != RP_HEAD_NOT_GIVEN) {
		u64s(a->intake_count, x);
		if (a->intake_date[0])
			fmt(o, c, "rpt.acc.intake",
			    (const char *[]){x, a->intake_head, a->intake_date}, 3);
		else
			fmt(o, c, "rpt.acc.intake_nodate", (const char *[]){x, a->intake_head}, 2);
		tbuf_puts(o, " ");
	} else
		fmt(o, c, "rpt.acc.no_intake", NULL, 0);
	tbuf_puts(o, "</p>\n<p>");
	fmt(o, c, a->head_seq ? "rpt.acc.held" : "rpt.acc.empty", (const char *[]){n, h}, 2);
	if (a->head_check == RP_HEAD_BEYOND) {
		tbuf_puts(o, " ");
		fmt(o, c, "rpt.acc.beyond", NULL, 0);
	}
	tbuf_puts(o, "</p>\n<table class=\"recon\"><caption>");
	fmt(o, c, "rpt.acc.recon", NULL, 0);
	tbuf_puts(o, "</caption><tbody>\n");
	const struct {
		const char *key;
		uint64_t v;
	} rows[] = {{"rpt.acc.records", a->held}, {"rpt.acc.concerns", a->concerns},
	    {"rpt.acc.followups", a->followups}, {"rpt.acc.readable", a->readable},
	    {"rpt.acc.sealed", a->sealed_others}, {"rpt.acc.open", a->open},
	    {"rpt.acc.closed", a->closed}};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		u64s(rows[i].v, x);
		tag_text(o, "<tr><th scope=\"row\">", c, rows[i].key, "</th>");
		tbuf_puts(o, "<td>");
		tbuf_puts(o, x);
		tbuf_puts(o, "</td></tr>\n");
	}
	tbuf_puts(o, "</tbody></table>\n<p>");
	fmt(o, c, "rpt.acc.asof", (const char *[]){a->last_import[0] ? a->last_import : "-"}, 1);
	tbuf_puts(o, "</p>\n");
}

/* The label of a cell's breakdown. */
static void
breakdown(const struct rp_doc *d, const struct rp_item *it, struct tbuf *o)
{
	char key[96];
	if (strncmp(it->breakdown, "cat.", 4) == 0)
		snprintf(key, sizeof(key), "%s", it->breakdown);
	else if (strcmp(it->measure, "received_by_month") == 0) {
		snprintf(key, sizeof(key), "rpt.mon.%s", it->breakdown + 5);
		const char *s = rp_str(d->cat, key, o);
		tbuf_esc(o, s, strlen(s));
		tbuf_puts(o, " ");
		tbuf_put(o, it->breakdown, 4);
		return;
	} else
		snprintf(key, sizeof(key), "rpt.b.%s", it->breakdown);
	const char *s = rp_str(d->cat, key, o);
	tbuf_esc(o, s, strlen(s));
}

static void
value(const struct rp_doc *d, const struct rp_item *it, struct tbuf *o)
{
	char b[48];
	if (it->withheld) {
		tbuf_puts(o, "<abbr title=\"");
		tbuf_esc(o, rp_str(d->cat, "rpt.withheld", o),
		    strlen(rp_str(d->cat, "rpt.withheld", o)));
		tbuf_puts(o, "\">c</abbr>");
		return;
	}
	if (it->none) {
		tag_text(o, "", d->cat, "rpt.none", "");
		return;
	}
	if (it->kind == RP_COUNT)
		snprintf(b, sizeof(b), "%llu", (unsigned long long)it->n);
	else if (it->kind == RP_SHARE)
		snprintf(b, sizeof(b), "%.1f%%", it->x);
	else
		snprintf(b, sizeof(b), "%.1f", it->x);
	tbuf_puts(o, b);
}

/* The label of a bar: the breakdown's catalogue string, whole. */
static const char *
label_of(const struct rp_doc *d, const struct rp_item *it, struct tbuf *o)
{
	char key[96];
	snprintf(key, sizeof(key), "%s%s", strncmp(it->breakdown, "cat.", 4) ? "rpt.b." : "",
	    it->breakdown);
	return rp_str(d->cat, key, o);
}

/* A bar's row: 26px for one line of label, RP_LABEL_LINE_PX more a line. */
static size_t
row_height(size_t lines)
{
	return 26 + (lines > 1 ? (lines - 1) * RP_LABEL_LINE_PX : 0);
}

size_t
rp_label_lines(const char *s, size_t cols, struct rp_span *line, size_t max)
{
	size_t n = 0, i = 0, len = strlen(s);

	while (n < max) {
		while (i < len && s[i] == ' ')
			i++;
		if (i >= len)
			break;
		/* whole words while they fit in cols characters (UTF-8
		 * continuation bytes are not characters); a word longer than
		 * cols has a line of its own; the last line allowed takes the
		 * rest, so nothing of a label is ever lost */
		size_t end = i, chars = 0;
		while (end < len) {
			size_t w = end, wc = 0;
			while (w < len && s[w] == ' ')
				w++;
			if (w == len)
				break;
			while (w < len && s[w] != ' ')
				wc += ((unsigned char)s[w++] & 0xC0) != 0x80;
			if (end > i && chars + 1 + wc > cols && n + 1 < max)
				break;
			chars += (end > i) + wc;
			end = w;
		}
		line[n].off = i;
		line[n].len = end - i;
		n++;
		i = end;
	}
	return n;
}

/* Horizontal bars for the rows of one measure (Total left out). Each
 * label is wrapped onto lines of at most RP_LABEL_COLS characters, which
 * fit the label column at 12px (RP_LABEL_PX a character, wider than the
 * widest Welsh words need), and its row is as tall as its lines: until
 * 2026-12-06 labels were cut at 40 bytes and ran under the bars. */
static void
bars(const struct rp_doc *d, const struct rp_item *it, size_t n, struct tbuf *o)
{
	uint64_t max = 1;
	size_t h = 8;
	char b[256];
	struct rp_span ln[RP_LABEL_LINES];

	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].breakdown, "total") != 0) {
			if (!it[i].withheld && it[i].n > max)
				max = it[i].n;
			h += row_height(rp_label_lines(label_of(d, &it[i], o), RP_LABEL_COLS, ln,
			    RP_LABEL_LINES));
		}
	snprintf(b, sizeof(b),
	    "<svg class=\"chart\" viewBox=\"0 0 640 %zu\" width=\"640\" height=\"%zu\""
	    " aria-hidden=\"true\" focusable=\"false\">",
	    h, h);
	tbuf_puts(o, b);
	size_t y = 4;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(it[i].breakdown, "total") == 0)
			continue;
		const char *lbl = label_of(d, &it[i], o);
		size_t nl = rp_label_lines(lbl, RP_LABEL_COLS, ln, RP_LABEL_LINES);
		size_t rh = row_height(nl);
		/* the lines centred on the bar, which is centred in the row */
		size_t bar = y + (rh - 18) / 2;
		snprintf(b, sizeof(b), "<text x=\"0\" y=\"%zu\" class=\"lbl\">",
		    bar + 13 - (nl - 1) * RP_LABEL_LINE_PX / 2);
		tbuf_puts(o, b);
		for (size_t k = 0; k < nl; k++) {
			snprintf(b, sizeof(b), "<tspan x=\"0\" dy=\"%d\">", k ? RP_LABEL_LINE_PX : 0);
			tbuf_puts(o, b);
			tbuf_esc(o, lbl + ln[k].off, ln[k].len);
			/* a space between lines, so the label's text is whole */
			tbuf_puts(o, k + 1 < nl ? " </tspan>" : "</tspan>");
		}
		tbuf_puts(o, "</text>");
		unsigned w = it[i].withheld ? 0 : (unsigned)(RP_BAR_PX * (double)it[i].n / (double)max);
		snprintf(b, sizeof(b),
		    "<rect x=\"%d\" y=\"%zu\" width=\"%u\" height=\"18\" class=\"bar\"/>"
		    "<text x=\"%u\" y=\"%zu\" class=\"val\">",
		    RP_BAR_X, bar, w, RP_BAR_X + 6 + w, bar + 14);
		tbuf_puts(o, b);
		if (it[i].withheld)
			tbuf_puts(o, "c");
		else {
			snprintf(b, sizeof(b), "%llu", (unsigned long long)it[i].n);
			tbuf_puts(o, b);
		}
		tbuf_puts(o, "</text>");
		y += rh;
	}
	tbuf_puts(o, "</svg>\n");
}

/* A line over the months; withheld months break it. */
static void
line(const struct rp_item *it, size_t n, struct tbuf *o)
{
	uint64_t max = 1;
	char b[160];
	int pen = 0;

	for (size_t i = 0; i < n; i++)
		if (!it[i].withheld && it[i].n > max)
			max = it[i].n;
	tbuf_puts(o, "<svg class=\"chart\" viewBox=\"0 0 640 220\" width=\"640\" height=\"220\""
		     " aria-hidden=\"true\" focusable=\"false\">"
		     "<line x1=\"40\" y1=\"190\" x2=\"620\" y2=\"190\" class=\"axis\"/>"
		     "<path class=\"trend\" d=\"");
	for (size_t i = 0; i < n; i++) {
		double x = 40 + (n > 1 ? 580.0 * (double)i / (double)(n - 1) : 290);
		if (it[i].withheld) {
			pen = 0;
			continue;
		}
		double y = 190 - 170.0 * (double)it[i].n / (double)max;
		snprintf(b, sizeof(b), "%s%.1f %.1f ", pen ? "L" : "M", x, y);
		tbuf_puts(o, b);
		pen = 1;
	}
	tbuf_puts(o, "\"/>");
	for (size_t i = 0; i < n; i++) {
		double x = 40 + (n > 1 ? 580.0 * (double)i / (double)(n - 1) : 290);
		snprintf(b, sizeof(b), "<text x=\"%.1f\" y=\"210\" class=\"val\">%.2s</text>",
		    x - 8, it[i].breakdown + 5);
		tbuf_puts(o, b);
		if (!it[i].withheld) {
			double y = 190 - 170.0 * (double)it[i].n / (double)max;
			snprintf(b, sizeof(b),
			    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"dot\"/>", x, y);
			tbuf_puts(o, b);
		}
	}
	tbuf_puts(o, "</svg>\n");
}

/* Section 5's headings that state one of the register's timescales:
 * {1} its number, {2} the unit (singular for 1). */
static const struct {
	const char *measure;
	int days;
	const char *one, *many;
} timed[] = {
    {"references_decision_late", RP_DAYS_DECISION, "rpt.unit.working_day", "rpt.unit.working_days"},
    {"references_icpc_late", RP_DAYS_ICPC, "rpt.unit.working_day", "rpt.unit.working_days"},
    {"references_assessment_late", RP_DAYS_ASSESSMENT, "rpt.unit.working_day",
	"rpt.unit.working_days"},
    {"references_nfa_quick", RP_DAYS_NFA, "rpt.unit.day", "rpt.unit.days"},
};

static void
heading(const struct rp_doc *d, const struct rp_item *it, const char *key, struct tbuf *o)
{
	for (size_t i = 0; i < sizeof(timed) / sizeof(timed[0]); i++) {
		if (strcmp(it->measure, timed[i].measure) != 0)
			continue;
		if (d->days == NULL) { /* a heading without its number is not said */
			o->err = 1;
			return;
		}
		char num[16];
		int n = d->days[timed[i].days];
		snprintf(num, sizeof(num), "%d", n);
		const char *unit = rp_str(d->cat, n == 1 ? timed[i].one : timed[i].many, o);
		fmt(o, d->cat, key, (const char *[]){num, unit}, 2);
		return;
	}
	const char *s = rp_str(d->cat, key, o);
	tbuf_esc(o, s, strlen(s));
}

static void
measure(const struct rp_doc *d, const struct rp_item *it, size_t n, struct tbuf *o)
{
	char key[96], id[96];

	snprintf(key, sizeof(key), "rpt.m.%s", it->measure);
	snprintf(id, sizeof(id), "m-%s", it->measure);
	tbuf_puts(o, "<div class=\"measure\"><h3 id=\"");
	tbuf_puts(o, id);
	tbuf_puts(o, "\">");
	heading(d, it, key, o);
	tbuf_puts(o, "</h3>\n");
	if (strcmp(it->measure, "received_by_month") == 0)
		line(it, n, o);
	else if (strcmp(it->measure, "received_by_category") == 0 ||
		 strcmp(it->measure, "closed_by_outcome") == 0)
		bars(d, it, n, o);
	tbuf_puts(o, "<table aria-labelledby=\"");
	tbuf_puts(o, id);
	tbuf_puts(o, "\"><thead><tr>");
	tag_text(o, "<th scope=\"col\">", d->cat, "rpt.col.breakdown", "</th>");
	tag_text(o, "<th scope=\"col\" class=\"num\">", d->cat,
	    it->kind == RP_SHARE    ? "rpt.col.share"
	    : it->kind == RP_MEDIAN ? "rpt.col.days"
				    : "rpt.col.count",
	    "</th>");
	tbuf_puts(o, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		tbuf_puts(o, strcmp(it[i].breakdown, "total") == 0
				 ? "<tr class=\"total\"><th scope=\"row\">"
				 : "<tr><th scope=\"row\">");
		breakdown(d, &it[i], o);
		tbuf_puts(o, "</th><td class=\"num\">");
		value(d, &it[i], o);
		tbuf_puts(o, "</td></tr>\n");
	}
	tbuf_puts(o, "</tbody></table></div>\n");
}

static void
sections(const struct rp_doc *d, struct tbuf *o)
{
	const struct rp_result *r = d->r;
	char key[32];

	for (int s = 2; s <= 5; s++) {
		snprintf(key, sizeof(key), "rpt.s%d.title", s);
		tbuf_puts(o, "<section>");
		tag_text(o, "<h2>", d->cat, key, "</h2>\n");
		snprintf(key, sizeof(key), "rpt.s%d.intro", s);
		tag_text(o, "<p>", d->cat, key, "</p>\n");
		for (size_t i = 0; i < r->nitems;) {
			size_t j = i + 1;
			while (
			    j < r->nitems && strcmp(r->items[j].measure, r->items[i].measure) == 0)
				j++;
			if (r->items[i].section == s)
				measure(d, &r->items[i], j - i, o);
			i = j;
		}
		tbuf_puts(o, "</section>\n");
	}
}

/* Where more than half the counts are withheld (a small period: most
 * counts are 1..5, and the Totals that would give them away go with
 * them), a committee reading a page of "c" is told so at once, with the
 * counts and what gives more, before the sections (rpt.mostly_withheld).
 * A report that kept earlier reports' cells says that those reports are
 * a reason too (rpt.mostly_withheld_later): until 2026-12-07 a financial
 * year made after the calendar year and its quarters, 753 concerns and
 * its received Total withheld with every category (make soak's n=1,000
 * seed 2), blamed "few concerns". Which reason weighs more is not said:
 * how many withheld counts are small is itself a fact about them.
 * Nothing otherwise: the method section says the rest. */
static void
notice(const struct rp_doc *d, struct tbuf *o)
{
	size_t n = 0, w = 0;
	char a[24], b[24];

	for (size_t i = 0; i < d->r->nitems; i++)
		if (d->r->items[i].kind == RP_COUNT) {
			n++;
			w += d->r->items[i].withheld;
		}
	if (n == 0 || 2 * w <= n)
		return;
	snprintf(a, sizeof(a), "%zu", w);
	snprintf(b, sizeof(b), "%zu", n);
	tbuf_puts(o, "<p class=\"notice\" id=\"mostly-withheld\">");
	fmt(o, d->cat, d->r->earlier ? "rpt.mostly_withheld_later" : "rpt.mostly_withheld",
	    (const char *[]){a, b}, 2);
	tbuf_puts(o, "</p>\n");
}

int
rp_render_html(const struct rp_doc *d, struct tbuf *out)
{
	struct tbuf acc = {0}, sec = {0}, css = {0}, title = {0}, meta = {0}, thr = {0}, note = {0};
	struct tvars v = {.n = 0};
	char *tmpl = NULL, t[8], plabel[64];
	size_t tlen;
	int rc = -1;

	if (tmpl_load_file(d->webdir, "templates/governance.html", &tmpl, &tlen) != 0)
		return -1;
	/* A period's words: "2026-Q3" stays as it is; the template adds the rest. */
	snprintf(plabel, sizeof(plabel), "%s", d->r->period.label);
	fmt(&title, d->cat, "rpt.title", (const char *[]){plabel}, 1);
	fmt(&meta, d->cat, "rpt.produced", (const char *[]){d->produced, plabel}, 2);
	snprintf(t, sizeof(t), "%u", d->r->threshold + 1);
	fmt(&thr, d->cat, "rpt.method.c", (const char *[]){t}, 1);
	accountability(d, &acc);
	notice(d, &note);
	sections(d, &sec);
	tbuf_puts(&css, d->css);
	tv_text(&v, "lang", d->lang);
	tv_html(&v, "title", &title);
	tv_html(&v, "produced", &meta);
	tv_html(&v, "accountability", &acc);
	tv_text(&v, "acc_class", d->a->missing > 0 ? "alert" : "ok");
	tv_html(&v, "notice", &note);
	tv_html(&v, "sections", &sec);
	tv_html(&v, "css", &css);
	tv_html(&v, "method_c", &thr);
	tv_text(&v, "pk", d->minisign_pk);
	tv_text(&v, "file", d->filename);
	if (title.err || meta.err || acc.err || sec.err || css.err || thr.err || note.err)
		goto out;
	rc = tmpl_render(tmpl, tlen, d->cat, &v, out);
out:
	free(tmpl);
	tbuf_free(&acc);
	tbuf_free(&sec);
	tbuf_free(&css);
	tbuf_free(&title);
	tbuf_free(&meta);
	tbuf_free(&thr);
	tbuf_free(&note);
	return rc;
}
