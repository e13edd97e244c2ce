/* label.h: the printable trustmark label drawn from a conformance statement.
 *
 * A statement (urn:trustbench:statement:1, written by `trustbench statement`)
 * may come from anyone, so it is read under the report reader's rule (size
 * cap, no network, no entities, no DTD; report_load.h).  The label shows the
 * scheme, the level or result, the device, the end of its support period,
 * the statement's expiry, and a QR code of the label URL: the statement's
 * url-template with {statement-sha256} replaced by the SHA-256 of the
 * statement file's exact bytes.  Nothing is ever fetched from that URL.
 */
#ifndef TB_LABEL_H
#define TB_LABEL_H

#include <stddef.h>

#include "base/tb.h"

#define TB_STATEMENT_NS "urn:trustbench:statement:1"
#define TB_LABEL_MAX_INPUT (4u << 20) /* a statement or a label SVG: a few KiB */
#define TB_LABEL_FIELD_MAX 256        /* bytes of one statement attribute we keep */
#define TB_LABEL_URL_MAX 512          /* the QR code stays small and scannable */
#define TB_LABEL_REASONS_MAX 16384
#define TB_LABEL_URL_PLACEHOLDER "{statement-sha256}"
#define TB_LABEL_SVG_MAX_BYTES (1u << 20) /* a label SVG handed to render */
#define TB_LABEL_QR_QUIET 4               /* quiet zone, in modules (ISO/IEC 18004) */
#define TB_LABEL_PNG_SCALE 8              /* pixels per module in the PNG */

/* What the label shows, read from a statement. */
struct tb_label {
	char scheme_id[TB_LABEL_FIELD_MAX], scheme_name[TB_LABEL_FIELD_MAX];
	char scheme_version[TB_LABEL_FIELD_MAX];
	int levelled;
	char result[TB_LABEL_FIELD_MAX]; /* pass | fail | incomplete */
	char level[TB_LABEL_FIELD_MAX], level_name[TB_LABEL_FIELD_MAX];
	int qualifies;                      /* qualifies-for-label="true" */
	char reasons[TB_LABEL_REASONS_MAX]; /* one per line, when it does not */
	char manufacturer[TB_LABEL_FIELD_MAX], model[TB_LABEL_FIELD_MAX];
	char firmware[TB_LABEL_FIELD_MAX];
	char support_end[TB_LABEL_FIELD_MAX]; /* "" when the statement has none */
	char issued[TB_LABEL_FIELD_MAX], expires[TB_LABEL_FIELD_MAX];
	char statement_sha256[65];
	char url[TB_LABEL_URL_MAX]; /* the template, filled in */
};

/* Parse statement bytes (name is used in messages).  TB_OK with
 * lbl->qualifies 0 means a well-formed statement that earns no label
 * (lbl->reasons says why); only then may the label fields be empty.
 * TB_E_FORMAT (or TB_E_TOOBIG) when the statement is malformed. */
TB_WUR enum tb_err tb_label_parse(const char *buf, size_t len, const char *name, struct tb_label *lbl,
				  struct tb_diag *d);
/* Read the statement file at path and parse it (see tb_label_parse). */
TB_WUR enum tb_err tb_label_load(const char *path, struct tb_label *lbl, struct tb_diag *d);

/* The label as SVG (every statement string XML-escaped); *out is a new
 * NUL-terminated buffer (free it), *len its length. */
TB_WUR enum tb_err tb_label_svg(const struct tb_label *lbl, char **out, size_t *len, struct tb_diag *d);
/* The label's QR code alone as a 1-bit greyscale PNG, TB_LABEL_PNG_SCALE
 * pixels per module with the quiet zone: the part of the label a phone
 * scans (the text is in the SVG).  *out is a new buffer (free it). */
TB_WUR enum tb_err tb_label_png(const struct tb_label *lbl, unsigned char **out, size_t *len,
				struct tb_diag *d);

/* Read a label SVG for a report's first page: at most
 * TB_LABEL_SVG_MAX_BYTES, parsed under the same rule, and only the elements
 * and attributes a trustbench label uses (no links, scripts, styles or
 * processing instructions, so the typesetter fetches nothing).  *uri gets a
 * new "data:image/svg+xml;base64,..." string (free it). */
TB_WUR enum tb_err tb_label_svg_data_uri(const char *path, char **uri, struct tb_diag *d);

#endif
