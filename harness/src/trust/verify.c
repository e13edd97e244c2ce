/* verify.c: check a signed report, its evidence and a policy (see verify.h). */
#include "trust/verify.h"
#include "trust/verify_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/text.h"
#include "report/report.h"
#include "report/report_load.h"
#include "trust/sign.h"

#define X(s) ((const xmlChar *)(s))
/* At most this many problem lines per check; the rest are counted. */
#define MAX_DETAIL_LINES 10

/* A file the report names by digest: an evidence file, or the capture. */
struct evfile {
	char *path, *sha256;
	unsigned long long bytes;
	int is_capture;
};

struct rdoc {
	struct tb_facts f;
	struct evfile *ev;
	size_t nev, capev;
	/* <capture status="recorded"> without a sha256: not bound to the report. */
	int capture_undigested;
};

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, TB_REPORT_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* An attribute as a new string, or NULL when absent. */
static char *prop(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, X(name));
	char *s = v ? tb_xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static char *prop_or_empty(const xmlNode *n, const char *name)
{
	char *s = prop(n, name);
	return s ? s : tb_xstrdup("");
}

static unsigned long prop_ul(const xmlNode *n, const char *name)
{
	char *s = prop(n, name), *end = NULL;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	free(s);
	return v;
}

/* Record the path, sha256 and bytes attributes of n as a file to check. */
static void add_digested(struct rdoc *r, const xmlNode *n, int is_capture)
{
	if (r->nev == r->capev) {
		r->capev = r->capev ? r->capev * 2 : 16;
		r->ev = tb_xrealloc(r->ev, r->capev, sizeof *r->ev);
	}
	struct evfile *e = &r->ev[r->nev++];
	char *b = prop(n, "bytes");
	e->path = prop_or_empty(n, "path");
	e->sha256 = prop_or_empty(n, "sha256");
	e->bytes = b ? strtoull(b, NULL, 10) : 0;
	e->is_capture = is_capture;
	free(b);
}

static void read_evidence(struct rdoc *r, const xmlNode *evn)
{
	for (const xmlNode *k = evn->children; k; k = k->next)
		if (is_el(k, "file"))
			add_digested(r, k, 0);
}

/* <traffic><capture sha256 bytes path>: the run's capture is evidence too. */
static void read_traffic(struct rdoc *r, const xmlNode *tn)
{
	for (const xmlNode *c = tn->children; c; c = c->next) {
		if (!is_el(c, "capture"))
			continue;
		xmlChar *sha = xmlGetNoNsProp(c, X("sha256"));
		char *status = prop_or_empty(c, "status");
		if (sha)
			add_digested(r, c, 1);
		else if (strcmp(status, "recorded") == 0)
			r->capture_undigested = 1;
		xmlFree(sha);
		free(status);
	}
}

static void read_result(struct rdoc *r, const xmlNode *rn)
{
	struct tb_facts *f = &r->f;
	f->results = tb_xrealloc(f->results, f->nresults + 1, sizeof *f->results);
	struct tb_fresult *res = &f->results[f->nresults++];
	res->id = prop_or_empty(rn, "id");
	res->verdict = prop_or_empty(rn, "verdict");
	res->reason = NULL;
	for (const xmlNode *k = rn->children; k; k = k->next) {
		if (is_el(k, "reason") && !res->reason) {
			xmlChar *t = xmlNodeGetContent(k);
			res->reason = tb_xstrdup(t ? (const char *)t : "");
			xmlFree(t);
		} else if (is_el(k, "evidence")) {
			read_evidence(r, k);
		}
	}
}

static void read_summary(struct tb_facts *f, const xmlNode *sn)
{
	for (const xmlNode *fw = sn->children; fw; fw = fw->next) {
		if (!is_el(fw, "framework"))
			continue;
		for (const xmlNode *it = fw->children; it; it = it->next) {
			if (!is_el(it, "item"))
				continue;
			f->items = tb_xrealloc(f->items, f->nitems + 1, sizeof *f->items);
			struct tb_fitem *i = &f->items[f->nitems++];
			i->framework = prop_or_empty(fw, "id");
			i->ref = prop_or_empty(it, "ref");
			i->status = prop(it, "status");
			i->verdict = prop_or_empty(it, "verdict");
			i->cases = prop_or_empty(it, "cases");
			i->authority = prop(it, "authority");
		}
	}
}

static void read_root(struct rdoc *r, const xmlNode *root)
{
	struct tb_facts *f = &r->f;
	f->status = prop_or_empty(root, "status");
	f->total_cases = prop_ul(root, "total-cases");
	f->completed_cases = prop_ul(root, "completed-cases");
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (is_el(n, "run")) {
			f->started = prop(n, "started");
			f->finished = prop(n, "finished");
			/* A --only run counts its selected cases in total-cases; the
			 * policy's full-suite rule needs the suite's count. */
			if (prop_ul(n, "suite-cases") > f->total_cases)
				f->total_cases = prop_ul(n, "suite-cases");
		} else if (is_el(n, "assessor")) {
			f->assessor_role = prop(n, "role");
			f->assessor_name = prop(n, "name");
		} else if (is_el(n, "results")) {
			for (const xmlNode *k = n->children; k; k = k->next)
				if (is_el(k, "result"))
					read_result(r, k);
		} else if (is_el(n, "summary")) {
			read_summary(f, n);
		} else if (is_el(n, "traffic")) {
			read_traffic(r, n);
		}
	}
}

/* Parse report bytes through the one report reader (report_load.c: no
 * network, no entities, no DOCTYPE, bounded attributes) and read the facts
 * and the files it names by digest.  *doc stays open for the schema check. */
static enum tb_err read_report(const char *name, const void *buf, size_t len, struct rdoc *r,
			       xmlDocPtr *doc, struct tb_diag *d)
{
	memset(r, 0, sizeof *r);
	enum tb_err e = tb_report_parse(buf, len, name, doc, d);
	if (!e)
		read_root(r, xmlDocGetRootElement(*doc));
	return e;
}

static void rdoc_cleanup(struct rdoc *r)
{
	for (size_t i = 0; i < r->nev; i++) {
		free(r->ev[i].path);
		free(r->ev[i].sha256);
	}
	free(r->ev);
	tb_facts_cleanup(&r->f);
}

enum tb_err tb_facts_read(const char *name, const void *buf, size_t len, struct tb_facts *f,
			  struct tb_diag *d)
{
	struct rdoc r;
	xmlDocPtr doc = NULL;
	enum tb_err e = read_report(name, buf, len, &r, &doc, d);
	xmlFreeDoc(doc);
	if (e) {
		rdoc_cleanup(&r);
		memset(f, 0, sizeof *f);
		return e;
	}
	*f = r.f;
	memset(&r.f, 0, sizeof r.f);
	rdoc_cleanup(&r);
	return TB_OK;
}

/* ---- Evidence ---- */

/* A path the report names must stay below the evidence directory: relative,
 * no empty, "." or ".." components. */
TB_UNITTEST int evidence_path_safe(const char *p)
{
	size_t n = strlen(p);
	if (n == 0 || n >= PATH_MAX || p[0] == '/')
		return 0;
	for (const char *s = p; *s;) {
		size_t c = strcspn(s, "/");
		if (c == 0 || (c == 1 && s[0] == '.') || (c == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += c;
		if (*s == '/' && *++s == '\0')
			return 0; /* trailing slash: a directory */
	}
	return 1;
}

/* Hash one file the report names; stops reading past the recorded size.
 * Returns 1 when it matches; otherwise d's message says what is wrong. */
static int hash_one(int dirfd, const struct evfile *ev, struct tb_diag *d)
{
	int fd = openat(dirfd, ev->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tb_diag_set(d, TB_E_IO, "%s",
			    errno == ENOENT  ? "missing"
			    : errno == ELOOP ? "cannot open (a symbolic link)"
					     : strerror(errno));
		return 0;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		tb_diag_set(d, TB_E_IO, "not a regular file");
		return 0;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned long long total = 0;
	uint8_t buf[65536], sum[32];
	ssize_t got = 0;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while (total <= ev->bytes && (got = read(fd, buf, sizeof buf)) > 0) {
		EVP_DigestUpdate(md, buf, (size_t)got);
		total += (unsigned long long)got;
	}
	EVP_DigestFinal_ex(md, sum, NULL);
	EVP_MD_CTX_free(md);
	close(fd);
	char hex[65];
	tb_sha256_hex(sum, hex);
	if (got < 0)
		tb_diag_set(d, TB_E_IO, "read error");
	else if (total < ev->bytes)
		tb_diag_set(d, TB_E_FORMAT, "truncated: %llu bytes, the report records %llu", total,
			    ev->bytes);
	else if (total > ev->bytes)
		tb_diag_set(d, TB_E_FORMAT, "more than the %llu bytes the report records", ev->bytes);
	else if (strcmp(hex, ev->sha256) != 0)
		tb_diag_set(d, TB_E_FORMAT, "SHA-256 %s, the report records %s", hex, ev->sha256);
	else
		return 1;
	return 0;
}

/* One file: 1 when it is there and matches, else a detail line in line. */
static int check_one(int dirfd, const struct evfile *ev, char *line, size_t linelen)
{
	struct tb_diag why = { .msg = "" };
	if (!evidence_path_safe(ev->path))
		tb_diag_set(&why, TB_E_FORMAT, "%s",
			    ev->path[0] ? "unsafe path refused (absolute, '.' or '..')"
					: "the report records no path");
	else if (hash_one(dirfd, ev, &why))
		return 1;
	char *safe = tb_text_escape((const uint8_t *)ev->path, strlen(ev->path));
	/* The report's own sha256 attribute is in the reason: both are bounded. */
	snprintf(line, linelen, "%.200s%s: %.255s", safe, ev->is_capture ? " (the capture)" : "",
		 why.msg);
	free(safe);
	return 0;
}

static size_t count_capture(const struct rdoc *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nev; i++)
		n += r->ev[i].is_capture;
	return n;
}

/* "7 files (6 evidence files and the capture)" */
static void print_what(const struct rdoc *r, FILE *out)
{
	size_t cap = count_capture(r);
	fprintf(out, "%zu file%s (%zu evidence file%s%s)", r->nev, r->nev == 1 ? "" : "s", r->nev - cap,
		r->nev - cap == 1 ? "" : "s", cap ? " and the capture" : "");
}

static void note_undigested_capture(const struct rdoc *r, FILE *out)
{
	if (r->capture_undigested)
		fprintf(out,
			"  - note: the report says a capture was recorded but gives no "
			"SHA-256, so the capture is not bound to the report and was not "
			"checked\n");
}

/* Every file the report names by digest, the capture included, must be
 * under dir with its recorded size and SHA-256: a missing file is as broken
 * as an altered one.  Returns 1 when any is missing or differs. */
static int check_evidence(const char *dir, const struct rdoc *r, FILE *out)
{
	if (r->nev == 0) {
		fprintf(out, "evidence:  OK: the report names no files by digest\n");
		note_undigested_capture(r, out);
		return 0;
	}
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(out,
			"evidence:  BROKEN: cannot open the evidence directory %s (%s); "
			"the report names ",
			dir, strerror(errno));
		print_what(r, out);
		fprintf(out, " by digest and none could be checked\n");
		return 1;
	}
	size_t bad = 0;
	char lines[MAX_DETAIL_LINES][PATH_MAX / 8];
	for (size_t i = 0; i < r->nev; i++) {
		char line[sizeof lines[0]];
		if (!check_one(dirfd, &r->ev[i], line, sizeof line) && bad++ < MAX_DETAIL_LINES)
			memcpy(lines[bad - 1], line, sizeof line);
	}
	close(dirfd);
	if (bad) {
		fprintf(out, "evidence:  BROKEN: %zu of the ", bad);
		print_what(r, out);
		fprintf(out, " the report names by digest are missing or do not match, under %s\n",
			dir);
		for (size_t i = 0; i < bad && i < MAX_DETAIL_LINES; i++)
			fprintf(out, "  - %s\n", lines[i]);
		if (bad > MAX_DETAIL_LINES)
			fprintf(out, "  - ... and %zu more\n", bad - MAX_DETAIL_LINES);
	} else {
		fprintf(out, "evidence:  OK: all ");
		print_what(r, out);
		fprintf(out,
			" the report names by digest are under %s, each with its recorded "
			"SHA-256 and size\n",
			dir);
	}
	note_undigested_capture(r, out);
	return bad != 0;
}

/* --report-only: say plainly that the evidence was not looked at. */
static void print_not_examined(const struct rdoc *r, FILE *out)
{
	fprintf(out, "evidence:  NOT EXAMINED (--report-only): the ");
	print_what(r, out);
	fprintf(out,
		" the report names by digest were not checked; this run says nothing about "
		"whether they exist or are intact\n");
}

#ifdef TB_UNITTESTS
/* For the unit tests: parse report bytes and check their evidence under dir. */
int tb_verify_evidence_for_tests(const char *name, const void *buf, size_t len, const char *dir,
				 FILE *out)
{
	struct rdoc r;
	xmlDocPtr doc = NULL;
	struct tb_diag d = { 0 };
	int rc = read_report(name, buf, len, &r, &doc, &d) ? -1 : check_evidence(dir, &r, out);
	xmlFreeDoc(doc);
	rdoc_cleanup(&r);
	return rc;
}
#endif

/* ---- The checks in order ---- */

static void print_assessor(const struct tb_facts *f, FILE *out)
{
	const char *role = f->assessor_role ? f->assessor_role : "unspecified";
	char *name = f->assessor_name ? tb_text_escape((const uint8_t *)f->assessor_name,
						       strlen(f->assessor_name))
				      : NULL;
	if (strcmp(role, "unspecified") == 0)
		fprintf(out, "assessor:  unspecified: the report does not say who ran it\n");
	else
		fprintf(out,
			"assessor:  %s%s%s%s (as the report states; the signature binds it to "
			"the signer)\n",
			strcmp(role, "vendor") == 0 ? "vendor self-assessment" : "test lab",
			name ? " \"" : "", name ? name : "", name ? "\"" : "");
	free(name);
}

static int print_policy(const struct tb_policy *p, const struct tb_facts *f, time_t now, FILE *out)
{
	struct tb_pverdict *v = tb_xcalloc(1, sizeof *v);
	tb_policy_eval(p, f, now, v);
	int met = v->met;
	if (met) {
		fprintf(out, "policy:    MET: %s (%s)\n", p->id, p->path);
	} else {
		fprintf(out, "policy:    NOT MET: %s (%s): %zu reasons\n", p->id, p->path,
			v->nreasons + v->omitted);
		for (size_t i = 0; i < v->nreasons && i < MAX_DETAIL_LINES * 2; i++) {
			char *safe =
				tb_text_escape((const uint8_t *)v->reasons[i], strlen(v->reasons[i]));
			fprintf(out, "  - %s\n", safe);
			free(safe);
		}
		size_t more = v->nreasons + v->omitted;
		if (more > MAX_DETAIL_LINES * 2)
			fprintf(out, "  - ... and %zu more\n", more - MAX_DETAIL_LINES * 2);
	}
	free(v);
	return met;
}

/* The timestamp line (only when the signature carries a token); returns 1
 * when the token is broken. */
static int print_timestamp(const struct tb_sigcheck *sc, const char *tsa_ca, FILE *out)
{
	if (!sc->sig_ok || !sc->ts_present)
		return 0;
	if (sc->ts_ok)
		fprintf(out,
			"timestamp: valid, by %s, at %s (RFC 3161 token over the signature, its TSA "
			"chains to %s)\n",
			sc->ts_tsa, sc->ts_time, tsa_ca);
	else if (sc->ts_broken)
		fprintf(out, "timestamp: BROKEN: %s\n", sc->ts_msg);
	else
		fprintf(out,
			"timestamp: NOT CHECKED: a token by %s at %s is %s; give --tsa-ca to use it. "
			"The chain is judged now\n",
			sc->ts_tsa[0] ? sc->ts_tsa : "?", sc->ts_time[0] ? sc->ts_time : "?",
			sc->ts_msg);
	return sc->ts_broken;
}

static void print_chain(const struct tb_sigcheck *sc, FILE *out)
{
	if (sc->chain_ok && sc->chain_at_ts && sc->expired_now)
		fprintf(out,
			"chain:     OK: signer certificate expired %s, valid at the timestamped time "
			"%s; issued by %s, chains to the given CA; sha256 %s\n",
			sc->not_after, sc->ts_time, sc->issuer, sc->sha256);
	else if (sc->chain_ok && sc->chain_at_ts)
		fprintf(out,
			"chain:     OK: issued by %s, chains to the given CA at the timestamped time "
			"%s; certificate valid until %s; sha256 %s\n",
			sc->issuer, sc->ts_time, sc->not_after, sc->sha256);
	else if (sc->chain_ok)
		fprintf(out,
			"chain:     OK: issued by %s, chains to the given CA; certificate "
			"valid until %s; sha256 %s\n",
			sc->issuer, sc->not_after, sc->sha256);
	else if (sc->chain_at_ts)
		fprintf(out, "chain:     BROKEN: judged at the timestamped time %s: %s\n", sc->ts_time,
			sc->chain_msg);
	else
		fprintf(out, "chain:     BROKEN: %s\n", sc->chain_msg);
}

/* Signature, timestamp and chain lines; returns 1 when any is broken. */
static int print_signature(const struct tb_sigcheck *sc, const char *tsa_ca, struct tb_facts *f,
			   FILE *out)
{
	if (sc->sig_ok)
		fprintf(out, "signature: OK: matches the report's bytes; signed %s by %s\n",
			sc->signing_time[0] ? sc->signing_time : "(no signing time)", sc->subject);
	else
		fprintf(out, "signature: BROKEN: %s\n", sc->sig_msg);
	int ts_broken = print_timestamp(sc, tsa_ca, out);
	print_chain(sc, out);
	f->signer_verified = sc->sig_ok && sc->chain_ok && !ts_broken;
	if (f->signer_verified) {
		snprintf(f->signer_subject, sizeof f->signer_subject, "%s", sc->subject);
		snprintf(f->signer_sha256, sizeof f->signer_sha256, "%s", sc->sha256);
	}
	return !f->signer_verified;
}

struct vin {
	char *report, *sig;
	size_t rlen, siglen;
	struct tb_policy *policy;
};

static int load_inputs(const struct tb_verify_opts *o, const char *sig_path, struct vin *in)
{
	struct tb_diag d = { 0 };
	char msg[1024];
	enum tb_err e = tb_file_read(o->report, TB_SIGN_MAX_REPORT + 1, &in->report, &in->rlen, &d);
	if (!e && in->rlen > TB_SIGN_MAX_REPORT)
		e = tb_diag_set(&d, TB_E_TOOBIG, "%s: larger than %u bytes", o->report,
				TB_SIGN_MAX_REPORT);
	if (!e)
		e = tb_file_read(sig_path, TB_SIGN_MAX_PEM + 1, &in->sig, &in->siglen, &d);
	if (!e && o->policy)
		e = tb_policy_load(o->policy, &in->policy, &d);
	if (!e && access(o->schema, R_OK) != 0)
		e = tb_diag_set(&d, TB_E_CONFIG, "cannot read the report schema %s", o->schema);
	if (!e)
		return 0;
	tb_diag_format(&d, msg, sizeof msg);
	fprintf(stderr, "trustbench verify: %s\n", msg);
	return -1;
}

/* The schema line, checked on the very bytes the signature covers.
 * Returns 0 valid, 1 invalid or unreadable, -1 when the schema itself
 * cannot be used. */
static int check_schema(xmlDocPtr doc, enum tb_err read_err, const struct tb_diag *read_diag,
			const char *report, const char *schema, FILE *out)
{
	struct tb_diag d = { 0 };
	char msg[1024];
	enum tb_err e = read_err;
	if (e)
		d = *read_diag;
	else
		e = tb_report_schema_check(doc, report, schema, &d);
	if (e == TB_OK) {
		fprintf(out, "schema:    OK: valid against %s\n", schema);
		return 0;
	}
	tb_diag_format(&d, msg, sizeof msg);
	if (read_err)
		fprintf(out, "schema:    BROKEN: the report cannot be read: %s\n", msg);
	else
		fprintf(out, "schema:    %s: %s\n", e == TB_E_CONFIG ? "NOT CHECKED" : "BROKEN", msg);
	return e == TB_E_CONFIG ? -1 : 1;
}

/* --evidence DIR, or the report's own directory. */
static void evidence_dir(const struct tb_verify_opts *o, char *dir, size_t dirlen)
{
	if (o->evidence_dir) {
		snprintf(dir, dirlen, "%s", o->evidence_dir);
	} else {
		char tmp[PATH_MAX];
		snprintf(tmp, sizeof tmp, "%s", o->report);
		snprintf(dir, dirlen, "%s", dirname(tmp));
	}
}

/* The evidence line(s); returns 1 when broken. */
static int evidence_step(const struct tb_verify_opts *o, enum tb_err read_err, const struct rdoc *r,
			 FILE *out)
{
	char dir[PATH_MAX];
	if (read_err) {
		fprintf(out, "evidence:  NOT CHECKED: the report cannot be read\n");
		return 1;
	}
	if (o->report_only) {
		print_not_examined(r, out);
		return 0;
	}
	evidence_dir(o, dir, sizeof dir);
	return check_evidence(dir, r, out);
}

static void print_outcome(int rc, const struct tb_verify_opts *o, int has_policy, FILE *out)
{
	const char *what = rc == TB_VEXIT_BROKEN   ? "BROKEN: do not rely on this report"
			   : rc == TB_VEXIT_USAGE  ? "INCOMPLETE: the schema could not be used"
			   : rc == TB_VEXIT_POLICY ? "intact, but the policy is not met"
			   : has_policy            ? "intact, and the policy is met"
						   : "intact";
	/* Exit 0 with --report-only must not read as "everything checked". */
	const char *scope =
		o->report_only && rc != TB_VEXIT_BROKEN
			? "; report and signature only: the EVIDENCE WAS NOT EXAMINED (--report-only)"
			: "";
	fprintf(out, "verify:    %s%s (exit %d)\n", what, scope, rc);
}

int tb_verify(const struct tb_verify_opts *o, FILE *out)
{
	char sig_path[PATH_MAX];
	struct vin in = { 0 };
	struct rdoc r;
	struct tb_diag d = { 0 };
	int rc = TB_VEXIT_USAGE, broken = 0;
	snprintf(sig_path, sizeof sig_path, "%s%s", o->sig ? o->sig : o->report, o->sig ? "" : ".p7s");
	if (load_inputs(o, sig_path, &in) != 0)
		goto out_noreport;
	struct tb_sigcheck *sc = tb_xcalloc(1, sizeof *sc);
	struct tb_sigopts so = { .ca_path = o->ca, .tsa_ca_path = o->tsa_ca, .now = o->now };
	if (tb_sig_check_opts((const uint8_t *)in.report, in.rlen, (const uint8_t *)in.sig, in.siglen,
			      &so, sc, &d) != TB_OK) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench verify: %s\n", msg);
		free(sc);
		goto out_noreport;
	}
	fprintf(out, "report:    %s (signature %s)\n", o->report, sig_path);
	xmlDocPtr doc = NULL;
	enum tb_err re = read_report(o->report, in.report, in.rlen, &r, &doc, &d);
	broken |= print_signature(sc, o->tsa_ca, &r.f, out);
	free(sc);
	int schema = check_schema(doc, re, &d, o->report, o->schema, out);
	xmlFreeDoc(doc);
	broken |= schema > 0;
	broken |= evidence_step(o, re, &r, out);
	if (!re)
		print_assessor(&r.f, out);
	if (o->statement && o->statement_step) /* the statement line, and its facts for the policy */
		broken |= o->statement_step(o->statement, in.report, in.rlen, in.sig, in.siglen, o,
					    re ? NULL : &r.f, out);
	int met = 1;
	if (in.policy)
		met = re ? (fprintf(out, "policy:    NOT MET: the report cannot be read\n"), 0)
			 : print_policy(in.policy, &r.f, o->now, out);
	rc = broken       ? TB_VEXIT_BROKEN
	     : schema < 0 ? TB_VEXIT_USAGE
	     : met        ? TB_VEXIT_OK
			  : TB_VEXIT_POLICY;
	print_outcome(rc, o, in.policy != NULL, out);
	rdoc_cleanup(&r);
out_noreport:
	tb_policy_free(in.policy);
	free(in.report);
	free(in.sig);
	return rc;
}
