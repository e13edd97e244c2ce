/* statement.h: conformance statements derived from a signed report (issue 14).
 *
 * `trustbench statement REPORT.xml --scheme S --out FILE` writes a small
 * document (namespace urn:trustbench:statement:1, schema
 * reports/schema/trustbench-statement.xsd) that says, for one scheme
 * (load/scheme.h), the verdict per scheme item, the level reached, the
 * device, its declared support period and disclosure contact, the report's
 * digest and signer, and the issue and expiry dates.  Only a complete report
 * whose signature, chain, schema and evidence verify (trust/verify.h) gives
 * one.  The statement's own SHA-256 (of its exact bytes) names it in the
 * label URL and the registry record.
 *
 * `verify --statement` derives the statement again from the report and
 * requires the very same bytes: a changed level, item, date or digest is a
 * mismatch (exit 4).
 */
#ifndef TB_STATEMENT_H
#define TB_STATEMENT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "base/tb.h"
#include "load/scheme.h"
#include "trust/policy.h"
#include "trust/sign.h"
#include "trust/verify.h"

#define TB_STATEMENT_NS "urn:trustbench:statement:1"
#define TB_STATEMENT_XSD "reports/schema/trustbench-statement.xsd"
#define TB_STATEMENT_MAX_BYTES (1u << 20)
#define TB_STATEMENT_MAX_REASONS 32

struct tb_stmt_item {
	const struct tb_scheme_item *si;
	enum tb_sresult result;
	char *report_verdict; /* the report's verdict for the item; NULL when absent */
	char *cases;          /* the report's test cases behind it; NULL when absent */
	const char *note;     /* why it is not judged (static or the scheme's text), or NULL */
};

struct tb_statement {
	const struct tb_scheme *scheme;
	const char *result; /* pass | fail | incomplete */
	long level;         /* levelled schemes: the highest level reached, 0 for none */
	int qualifies;      /* qualifies-for-label */
	char *reasons[TB_STATEMENT_MAX_REASONS];
	size_t nreasons;
	char *manufacturer, *model, *firmware;
	char firmware_sha256[65]; /* "" unless the run verified this firmware's image */
	char *support_end;        /* YYYY-MM-DD as declared, or NULL */
	char *disclosure;         /* the declared contact, or NULL */
	char *assessor;           /* vendor | lab | unspecified */
	char report_sha256[65];
	char *report_file;
	char signer[512], signer_sha256[65], signed_at[32];
	char timestamped_at[32]; /* "" without a timestamp verified against --tsa-ca */
	char issued[11], expires[11];
	struct tb_stmt_item *items;
	size_t nitems;
};

/* Derive a statement from report bytes (already verified by the caller)
 * under the scheme: sc gives the signer, report_file the name recorded,
 * issued the issue date (YYYY-MM-DD).  A partial report is refused
 * (TB_E_FORMAT, with the reason in d). */
TB_WUR enum tb_err tb_statement_derive(const struct tb_scheme *s, const char *report, size_t len,
				       const struct tb_sigcheck *sc, const char *report_file,
				       const char *issued, struct tb_statement *st, struct tb_diag *d);
void tb_statement_cleanup(struct tb_statement *st);

/* The statement as XML bytes (what `statement --out` writes) and as JSON
 * (with the statement's digest and label URL, which only exist once the
 * XML bytes do).  New buffers. */
char *tb_statement_xml(const struct tb_statement *st, size_t *len);
char *tb_statement_json(const struct tb_statement *st, const char *statement_sha256, size_t *len);
/* The registry record: the statement (embedded), its digest, the signed
 * report's digest and signer, and the label URL. */
char *tb_statement_registry_json(const struct tb_statement *st, const char *statement_sha256,
				 const char *statement_file, size_t *len);
/* The label URL: the scheme's template with the digest filled in (new string). */
char *tb_statement_label_url(const struct tb_scheme *s, const char *statement_sha256);

/* "YYYY-MM-DD" plus months (the day clamped to the month's length). */
TB_WUR int tb_date_add_months(const char *date, long months, char out[11]);

struct tb_statement_opts {
	const char *report, *sig, *ca, *tsa_ca, *evidence_dir, *schema;
	const char *scheme, *out, *json, *registry;
	time_t now;
};

/* `trustbench statement`: verify the report (as `verify` does), derive,
 * and write the files, all or nothing.  Returns the exit code (0 written,
 * 1 usage or unreadable or partial, 4 unsigned, broken or tampered). */
int tb_statement_make(const struct tb_statement_opts *o, FILE *out);

/* verify --statement: check the statement at path against the report and
 * its signature; print the statement line; fill f's statement facts for
 * the policy (f may be NULL when the report cannot be read).  Returns 1
 * when the statement does not match (or cannot be checked). */
int tb_statement_step(const char *path, const char *report, size_t rlen, const char *sig, size_t siglen,
		      const struct tb_verify_opts *o, struct tb_facts *f, FILE *out);

#endif
