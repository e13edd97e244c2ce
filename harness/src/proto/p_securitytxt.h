/* p_securitytxt.h: security.txt (RFC 9116) parser and conformance judge.
 *
 * Views point into the caller's buffer; nothing is copied or allocated.
 */
#ifndef TB_P_SECURITYTXT_H
#define TB_P_SECURITYTXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_SECTXT_MAX_CONTACTS 8

struct tb_view {
	const uint8_t *p;
	size_t len;
};

struct tb_sectxt {
	unsigned ncontact; /* all Contact fields seen (may exceed the array) */
	struct tb_view contact[TB_SECTXT_MAX_CONTACTS];
	unsigned nexpires;       /* number of Expires fields */
	int expires_valid;       /* the (first) Expires value is a valid RFC 3339
				  * date-time (Z or +hh:mm / -hh:mm offset) */
	long long expires_epoch; /* seconds since 1970 UTC, when valid */
	struct tb_view policy, encryption, canonical, preferred_languages;
	/* first occurrence; p == NULL when absent */
	int pgp_signed;               /* starts with "-----BEGIN PGP SIGNED MESSAGE-----"
				       * (the signed body is parsed with "- " dash-escaping
				       * removed; the signature block is ignored) */
	unsigned nunknown;            /* unknown field names (allowed by RFC, counted) */
	unsigned nbad_lines;          /* lines that are neither comment, blank, nor
				       * "Name: value" with a non-empty value */
	unsigned long first_bad_line; /* 1-based physical line, 0 if none */
};

/* Parse buf[0..len).  Field names are case-insensitive; lines and values are
 * trimmed of surrounding spaces and tabs; CRLF or LF; a leading UTF-8 BOM is
 * skipped.  Never fails on content it merely dislikes: counts it.
 * Returns TB_E_FORMAT only for input containing NUL bytes or not valid
 * UTF-8 (out is then zeroed); TB_OK otherwise. */
TB_WUR enum tb_err tb_p_securitytxt(const uint8_t *buf, size_t len, struct tb_sectxt *out);

/* Judge s against RFC 9116 at time now (epoch seconds).  Returns 1 if it
 * conforms (>= 1 Contact whose value starts with "mailto:", "https://" or
 * "tel:", exactly one Expires, valid, later than now), 0 otherwise.  Sets a
 * short human reason as d's message (the first problem found, Contact before
 * Expires) and writes non-fatal notes, joined by "; ", into warnbuf ("" if
 * none).  d and warnbuf may be NULL. */
int tb_sectxt_judge(const struct tb_sectxt *s, long long now, struct tb_diag *d, char *warnbuf,
		    size_t warnlen);

#endif
