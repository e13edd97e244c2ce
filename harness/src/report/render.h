/* render.h: turn a report into a document a person reads.
 *
 * HTML comes from reports/xsl/report-html.xsl applied in-process with
 * libxslt; the same XHTML carries print CSS (A4 pages, page numbers, a
 * footer with the report's SHA-256 and signature status), and the PDF is
 * that XHTML typeset by WeasyPrint, run as a child process.
 */
#ifndef TB_RENDER_H
#define TB_RENDER_H

#include <libxml/tree.h>

#include "base/tb.h"

#define TB_RENDER_XSL_REL "reports/xsl/report-html.xsl"
#define TB_RENDER_PDF_TIMEOUT_MS 120000

/* What the stylesheet is told besides the report (plain strings; they are
 * quoted for XSLT, never evaluated as expressions). */
struct tb_render_params {
	const char *report_sha256; /* hex digest of the exact report bytes */
	const char *signature;     /* one line: the signature status */
	const char *report_name;   /* the report file's name, for the title */
	const char *label_uri;     /* the trustmark label as a data: URI, or NULL */
};

/* Apply the stylesheet at xsl_path to a parsed report.  *out (free with
 * xmlFree) gets the XHTML bytes. */
TB_WUR enum tb_err tb_render_doc(xmlDocPtr report, const char *xsl_path,
				 const struct tb_render_params *p, xmlChar **out, int *outlen,
				 struct tb_diag *d);
/* Signature status for the footer: whether REPORT.p7s sits beside the
 * report.  Presence only: `trustbench verify` checks the signature. */
const char *tb_render_signature_status(const char *report_path);
/* Load the report at report_path (untrusted, see report_load.h), render it
 * and write the XHTML atomically to out_path. */
TB_WUR enum tb_err tb_render_html_file(const char *report_path, const char *xsl_path,
				       const char *out_path, struct tb_diag *d);
/* The same, with the trustmark label at label_svg (NULL: none; read with
 * tb_label_svg_data_uri, report/label.h) at the top of the first page. */
TB_WUR enum tb_err tb_render_html_file_label(const char *report_path, const char *xsl_path,
					     const char *label_svg, const char *out_path,
					     struct tb_diag *d);
/* Typeset the XHTML file html_path into pdf_path (written atomically) with
 * weasyprint, a child process with a fixed argv and no shell, killed after
 * timeout_ms. */
TB_WUR enum tb_err tb_render_pdf(const char *html_path, const char *pdf_path, int timeout_ms,
				 struct tb_diag *d);

#endif
