/* statement_cmd.c: `trustbench statement` (verify, derive, write all or
 * nothing) and the statement line of `verify --statement` (see statement.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/datafile.h"
#include "base/sha256.h"
#include "base/text.h"
#include "report/report_load.h"
#include "result/result.h"
#include "trust/statement.h"

#define X(s) ((const xmlChar *)(s))

static void today(time_t now, char out[11])
{
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static const char *statement_xsd(void)
{
	static char buf[PATH_MAX + 64];
	return tb_data_file(TB_STATEMENT_XSD, buf, sizeof buf);
}

static void base_name(const char *path, char *out, size_t n)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	snprintf(out, n, "%s", basename(tmp));
}

/* Parse statement bytes (untrusted): no DOCTYPE, no network, root statement in our
 * namespace, valid against the statement schema. */
static enum tb_err statement_parse(const char *buf, size_t len, const char *name, xmlDocPtr *doc,
				   struct tb_diag *d)
{
	xmlDocPtr x;
	/* The reports' rule: no DOCTYPE, a bounded number of attributes per
	 * element (libxml2's check of them is quadratic), no network. */
	enum tb_err e = tb_xml_parse_untrusted(buf, len, name, TB_STATEMENT_MAX_BYTES,
					       "trustbench statement", &x, d);
	if (e)
		return e;
	xmlNodePtr root = xmlDocGetRootElement(x);
	if (!root || !root->ns || strcmp((const char *)root->ns->href, TB_STATEMENT_NS) != 0 ||
	    strcmp((const char *)root->name, "statement") != 0)
		e = tb_diag_set(d, TB_E_FORMAT, "%s is not a trustbench statement (root element)",
				name);
	else
		e = tb_report_schema_check(x, name, statement_xsd(), d);
	if (e)
		xmlFreeDoc(x);
	else
		*doc = x;
	return e;
}

/* ---- trustbench statement ---- */

struct outputs {
	char *xml, *json, *reg;
	size_t xlen, jlen, rlen;
	char digest[65];
};

/* The report must verify exactly as `verify` would say: signature, chain,
 * schema and evidence.  Returns 0, or the exit code with the reason printed. */
static int gate_verify(const struct tb_statement_opts *o, const char *sig_path)
{
	if (access(o->report, R_OK) != 0) {
		fprintf(stderr, "trustbench statement: cannot read %s: %s\n", o->report,
			strerror(errno));
		return TB_VEXIT_USAGE;
	}
	if (access(sig_path, F_OK) != 0) {
		fprintf(stderr,
			"trustbench statement: %s is not signed (no signature %s): a statement "
			"comes only from a signed report; nothing written\n",
			o->report, sig_path);
		return TB_VEXIT_BROKEN;
	}
	struct tb_verify_opts vo = { .report = o->report,
				     .sig = sig_path,
				     .ca = o->ca,
				     .evidence_dir = o->evidence_dir,
				     .schema = o->schema,
				     .now = o->now,
				     .tsa_ca = o->tsa_ca };
	char *lines = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&lines, &n);
	if (!mem)
		return TB_VEXIT_USAGE;
	int rc = tb_verify(&vo, mem);
	fclose(mem);
	if (rc != TB_VEXIT_OK)
		fprintf(stderr, "trustbench statement: %s does not verify; no statement written:\n%s",
			o->report, lines ? lines : "");
	free(lines);
	return rc == TB_VEXIT_OK ? 0 : rc == TB_VEXIT_USAGE ? TB_VEXIT_USAGE : TB_VEXIT_BROKEN;
}

/* Read the report and its signature once, and check the signature on these
 * very bytes (what the statement is derived from). */
static int read_signed(const struct tb_statement_opts *o, const char *sig_path, char **rep,
		       size_t *rlen, struct tb_sigcheck *sc)
{
	struct tb_diag d = { 0 };
	char *sig = NULL;
	size_t slen = 0;
	enum tb_err e = tb_file_read(o->report, TB_SIGN_MAX_REPORT + 1, rep, rlen, &d);
	if (!e)
		e = tb_file_read(sig_path, TB_SIGN_MAX_PEM + 1, &sig, &slen, &d);
	struct tb_sigopts so = { .ca_path = o->ca, .tsa_ca_path = o->tsa_ca, .now = o->now };
	if (!e)
		e = tb_sig_check_opts((const uint8_t *)*rep, *rlen, (const uint8_t *)sig, slen, &so, sc,
				      &d);
	free(sig);
	if (e) {
		fprintf(stderr, "trustbench statement: %s\n", d.msg);
		return TB_VEXIT_USAGE;
	}
	if (!sc->sig_ok || !sc->chain_ok || sc->ts_broken) {
		fprintf(stderr, "trustbench statement: %s changed while it was read: %s\n", o->report,
			sc->sig_ok ? sc->chain_msg : sc->sig_msg);
		return TB_VEXIT_BROKEN;
	}
	return 0;
}

static int build_outputs(const struct tb_statement *st, const struct tb_statement_opts *o,
			 struct outputs *w)
{
	struct tb_diag d = { 0 };
	uint8_t sum[32];
	char name[256];
	xmlDocPtr doc;
	w->xml = tb_statement_xml(st, &w->xlen);
	if (statement_parse(w->xml, w->xlen, o->out, &doc, &d) != TB_OK) {
		fprintf(stderr,
			"trustbench statement: internal error: the statement does not "
			"pass its own schema: %s\n",
			d.msg);
		return TB_VEXIT_USAGE;
	}
	xmlFreeDoc(doc);
	tb_sha256_mem(w->xml, w->xlen, sum);
	tb_sha256_hex(sum, w->digest);
	base_name(o->out, name, sizeof name);
	if (o->json)
		w->json = tb_statement_json(st, w->digest, &w->jlen);
	if (o->registry)
		w->reg = tb_statement_registry_json(st, w->digest, name, &w->rlen);
	return 0;
}

/* All or nothing: each file atomically, and the earlier ones removed
 * again when a later one cannot be written. */
static int write_outputs(const struct tb_statement_opts *o, const struct outputs *w)
{
	const char *paths[3] = { o->out, o->json, o->registry };
	const char *bufs[3] = { w->xml, w->json, w->reg };
	const size_t lens[3] = { w->xlen, w->jlen, w->rlen };
	for (int i = 0; i < 3; i++) {
		struct tb_diag d = { 0 };
		if (!paths[i] || tb_write_atomic(paths[i], bufs[i], lens[i], &d) == TB_OK)
			continue;
		fprintf(stderr, "trustbench statement: %s: %s; nothing written\n", paths[i], d.msg);
		while (i-- > 0)
			if (paths[i])
				unlink(paths[i]);
		return TB_VEXIT_USAGE;
	}
	return 0;
}

static void print_summary(const struct tb_statement *st, const struct outputs *w,
			  const struct tb_statement_opts *o, FILE *out)
{
	const struct tb_scheme *s = st->scheme;
	char *url = tb_statement_label_url(s, w->digest);
	fprintf(out, "statement: %s (sha256 %s)\n", o->out, w->digest);
	fprintf(out, "scheme:    %s %s (%s)\n", s->id, s->version, s->name);
	fprintf(out, "outcome:   %s", st->result);
	if (s->levelled)
		fprintf(out, ", level %ld%s%s", st->level, st->level ? ": " : " (none reached)",
			st->level ? s->levels[st->level - 1].name : "");
	fprintf(out, "\nlabel:     %s\n",
		st->qualifies ? "qualifies" : "WITHHELD: the outcome does not earn a label");
	for (size_t i = 0; !st->qualifies && i < st->nreasons; i++)
		fprintf(out, "  - %s\n", st->reasons[i]);
	fprintf(out, "expires:   %s (issued %s)\nlabel-url: %s\n", st->expires, st->issued, url);
	free(url);
}

int tb_statement_make(const struct tb_statement_opts *o, FILE *out)
{
	char sig_path[PATH_MAX], issued[11], file[256];
	struct tb_diag d = { 0 };
	struct tb_scheme *s = NULL;
	snprintf(sig_path, sizeof sig_path, "%s%s", o->sig ? o->sig : o->report, o->sig ? "" : ".p7s");
	if (tb_scheme_find(o->scheme, &s, &d) != TB_OK) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench statement: %s\n", msg);
		return TB_VEXIT_USAGE;
	}
	int rc = gate_verify(o, sig_path);
	char *rep = NULL;
	size_t rlen = 0;
	struct tb_sigcheck *sc = tb_xcalloc(1, sizeof *sc);
	struct tb_statement st = { 0 };
	struct outputs w = { 0 };
	if (!rc)
		rc = read_signed(o, sig_path, &rep, &rlen, sc);
	today(o->now, issued);
	base_name(o->report, file, sizeof file);
	if (!rc && tb_statement_derive(s, rep, rlen, sc, file, issued, &st, &d) != TB_OK) {
		fprintf(stderr, "trustbench statement: %s; nothing written\n", d.msg);
		rc = TB_VEXIT_USAGE;
	}
	if (!rc)
		rc = build_outputs(&st, o, &w);
	if (!rc)
		rc = write_outputs(o, &w);
	if (!rc)
		print_summary(&st, &w, o, out);
	free(w.xml);
	free(w.json);
	free(w.reg);
	tb_statement_cleanup(&st);
	free(sc);
	free(rep);
	tb_scheme_free(s);
	return rc;
}

/* ---- verify --statement ---- */

/* The part of line [start, ...) of s around byte i: from a little before
 * i to the end of the line, at most 160 bytes; an escaped new string. */
static char *excerpt(const char *s, size_t len, size_t start, size_t i)
{
	size_t from = i > start + 40 ? i - 40 : start, end = from;
	while (end < len && s[end] != '\n' && end - from < 160)
		end++;
	return tb_text_escape((const uint8_t *)s + from, end - from);
}

/* Where a (derived) and b (the statement) first differ: the line, and
 * each side's text around the first differing byte. */
static void first_difference(const char *a, size_t alen, const char *b, size_t blen, char *out,
			     size_t outlen)
{
	size_t i = 0, line = 1, start = 0;
	for (; i < alen && i < blen && a[i] == b[i]; i++)
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
	char *exp = excerpt(a, alen, start, i), *got = excerpt(b, blen, start, i);
	snprintf(out, outlen,
		 "line %zu: derived from the report \"%.300s\", the statement says \"%.300s\"", line,
		 exp, got);
	free(exp);
	free(got);
}

/* The statement's own claims verify --statement needs to derive it again. */
struct claims {
	char *scheme, *issued, *file;
};

static void read_claims(xmlDocPtr doc, struct claims *c)
{
	for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		xmlChar *v = NULL;
		char **dst = NULL;
		if (strcmp(name, "scheme") == 0)
			v = xmlGetNoNsProp(n, X("id")), dst = &c->scheme;
		else if (strcmp(name, "issued") == 0)
			v = xmlGetNoNsProp(n, X("date")), dst = &c->issued;
		else if (strcmp(name, "report") == 0)
			v = xmlGetNoNsProp(n, X("file")), dst = &c->file;
		if (dst && v && !*dst)
			*dst = tb_xstrdup((const char *)v);
		xmlFree(v);
	}
}

/* Derive the statement again and compare bytes; 0 when they are equal,
 * else 1 with why. */
static int rederive(const char *stmt, size_t slen, const struct claims *c, const char *report,
		    size_t rlen, const struct tb_sigcheck *sc, struct tb_statement *st, char *why,
		    size_t whylen)
{
	struct tb_diag d = { 0 };
	struct tb_scheme *s = NULL;
	size_t n = strlen(c->scheme);
	if (strchr(c->scheme, '/') || (n > 5 && strcmp(c->scheme + n - 5, ".yaml") == 0) ||
	    tb_scheme_find(c->scheme, &s, &d) != TB_OK) {
		snprintf(why, whylen, "its scheme '%.64s' cannot be loaded: %s", c->scheme, d.msg);
		return 1;
	}
	if (tb_statement_derive(s, report, rlen, sc, c->file, c->issued, st, &d) != TB_OK) {
		snprintf(why, whylen, "no statement can be derived from the report: %s", d.msg);
		tb_scheme_free(s);
		return 1;
	}
	size_t xlen;
	char *xml = tb_statement_xml(st, &xlen);
	int differ = xlen != slen || memcmp(xml, stmt, xlen) != 0;
	if (differ)
		first_difference(xml, xlen, stmt, slen, why, whylen);
	free(xml);
	/* The caller reads only st's result, level and label, none of which
	 * points into the scheme. */
	st->scheme = NULL;
	tb_scheme_free(s);
	return differ;
}

static void set_facts(struct tb_facts *f, const struct claims *c, const struct tb_statement *st)
{
	if (!f)
		return;
	f->statement_ok = 1;
	snprintf(f->statement_scheme, sizeof f->statement_scheme, "%s", c->scheme);
	f->statement_level = st->level;
	f->statement_qualifies = st->qualifies;
}

/* Anyone holding the signed report can derive a statement, so the issue
 * date is only as good as its bounds: not before the report was signed,
 * not after today. */
static int issue_date_plausible(const char *issued, const char *signed_at, time_t now, char *why,
				size_t whylen)
{
	char today_s[11];
	today(now, today_s);
	if (signed_at[0] && strncmp(issued, signed_at, 10) < 0)
		snprintf(why, whylen,
			 "it says it was issued on %.10s, before the report was signed (%s)", issued,
			 signed_at);
	else if (strcmp(issued, today_s) > 0)
		snprintf(why, whylen, "it says it was issued on %.10s, after today (%s)", issued,
			 today_s);
	else
		return 1;
	return 0;
}

/* The statement line for a match; an expired statement matches but gives
 * a policy nothing (no facts). */
static void print_match(const char *path, const char *buf, size_t len, const struct claims *c,
			const struct tb_statement *st, time_t now, struct tb_facts *f, FILE *out)
{
	uint8_t sum[32];
	char hex[65], today_s[11];
	tb_sha256_mem(buf, len, sum);
	tb_sha256_hex(sum, hex);
	today(now, today_s);
	int expired = strcmp(st->expires, today_s) < 0;
	fprintf(out,
		"statement: %s: %s matches the report and its signer (scheme %s, result %s, level "
		"%ld, label %s%s%s); sha256 %s\n",
		expired ? "EXPIRED" : "OK", path, c->scheme, st->result, st->level,
		st->qualifies ? "qualifies" : "withheld", expired ? "; expired on " : "",
		expired ? st->expires : "", hex);
	if (!expired)
		set_facts(f, c, st);
}

int tb_statement_step(const char *path, const char *report, size_t rlen, const char *sig, size_t siglen,
		      const struct tb_verify_opts *o, struct tb_facts *f, FILE *out)
{
	struct tb_diag d = { 0 };
	char *buf = NULL, why[768] = "";
	size_t len = 0;
	xmlDocPtr doc = NULL;
	struct claims c = { 0 };
	struct tb_statement st = { 0 };
	struct tb_sigcheck *sc = tb_xcalloc(1, sizeof *sc);
	int bad = 1;
	enum tb_err e = tb_file_read(path, TB_STATEMENT_MAX_BYTES + 1, &buf, &len, &d);
	if (!e && len > TB_STATEMENT_MAX_BYTES)
		e = tb_diag_set(&d, TB_E_TOOBIG, "%s: larger than %u bytes", path,
				TB_STATEMENT_MAX_BYTES);
	if (!e)
		e = statement_parse(buf, len, path, &doc, &d);
	if (!e)
		read_claims(doc, &c);
	struct tb_sigopts so = { .ca_path = o->ca, .tsa_ca_path = o->tsa_ca, .now = o->now };
	if (!e)
		e = tb_sig_check_opts((const uint8_t *)report, rlen, (const uint8_t *)sig, siglen, &so,
				      sc, &d);
	if (e) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		snprintf(why, sizeof why, "%s", msg);
	} else if (!sc->sig_ok || sc->ts_broken) {
		snprintf(why, sizeof why,
			 "the report's signature does not verify, so nothing "
			 "can be matched to it");
	} else if (!c.scheme || !c.issued || !c.file) {
		snprintf(why, sizeof why, "the statement names no scheme, issue date or report");
	} else if (!issue_date_plausible(c.issued, sc->signing_time, o->now, why, sizeof why)) {
		bad = 1;
	} else {
		bad = rederive(buf, len, &c, report, rlen, sc, &st, why, sizeof why);
		/* A statement made with a checked timestamp names its time: without
		 * --tsa-ca here, nothing vouches for that time, so it cannot match. */
		if (bad && !sc->ts_ok && memmem(buf, len, "timestamped-at=", 15)) {
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n,
				 " (the statement names a timestamped time: give --tsa-ca so "
				 "that the report's timestamp token can vouch for it)");
		}
	}
	if (bad)
		fprintf(out, "statement: BROKEN: %s does not match the report: %s\n", path, why);
	else
		print_match(path, buf, len, &c, &st, o->now, f, out);
	tb_statement_cleanup(&st);
	free(c.scheme);
	free(c.issued);
	free(c.file);
	xmlFreeDoc(doc);
	free(sc);
	free(buf);
	return bad;
}
