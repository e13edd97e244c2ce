/* chk_tls_internal.h: what chk_tls.c shares with its unit tests only (the
 * rule table, one endpoint's facts and the judge; TB_UNITTEST in tb.h). */
#ifndef TB_CHK_TLS_INTERNAL_H
#define TB_CHK_TLS_INTERNAL_H

#include <stdint.h>

#include "base/tb.h"
#include "net/tls.h"
#include "result/result.h"

#define MAX_SUITES 64 /* per version: bounds the elimination loop */

/* The rule table; -1 means the suite sets no rule for that fact. */
struct tls_rules {
	int min_version;        /* enum tb_tls_ver */
	int allowed[TB_TLSG_N]; /* -1 when allowed-groups is absent */
	long min_rsa, min_ec;
	int weak_sig_ok, need_dates, self_signed_ok, need_san, compression_ok, insecure_reneg_ok;
};

/* What one endpoint showed. */
struct tls_ep {
	uint16_t port;
	enum tb_tls_outcome ver[TB_TLS_NVER];
	char ver_why[TB_TLS_NVER][128];
	char suites[TB_TLS_NVER][MAX_SUITES][64];
	enum tb_tls_group suite_group[TB_TLS_NVER][MAX_SUITES];
	int nsuites[TB_TLS_NVER];
	int suites_complete[TB_TLS_NVER];
	int have_cert;
	struct tb_tls_cert cert;
	int reneg_known, secure_reneg, compression, compression_offered;
};

/* Rules broken, facts without a rule, facts noted. */
struct tally {
	unsigned broken, undetermined, facts;
};

/* Judge one endpoint's facts against the rules; returns the tally. */
TB_UNITTEST struct tally tls_judge(const struct tls_ep *ep, const struct tls_rules *r, int64_t now,
				   struct tb_result *res, const char *label);

#endif
