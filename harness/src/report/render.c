/* render.c: reports to XHTML with libxslt, and to PDF with WeasyPrint
 * (see render.h). */
#include "report/render.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/sha256.h"
#include "report/label.h"
#include "report/report_load.h"
#include "result/result.h"

#define X(s) ((const xmlChar *)(s))

/* libxml2 and libxslt report problems through a global printf-style hook;
 * keep the first message so the user sees why, not a wall of stderr. */
struct err_sink {
	char msg[400];
	size_t used;
};

static void collect_error(void *ctx, const char *fmt, ...)
{
	struct err_sink *s = ctx;
	if (s->used >= sizeof s->msg - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->msg + s->used, sizeof s->msg - s->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->used +=
			(size_t)n < sizeof s->msg - s->used ? (size_t)n : sizeof s->msg - s->used - 1;
}

static const char *first_line(struct err_sink *s)
{
	char *nl = strchr(s->msg, '\n');
	if (nl)
		*nl = '\0';
	return s->msg[0] ? s->msg : "no detail";
}

/* Forbid the stylesheet (and anything it pulls in) from writing files,
 * creating directories or touching the network.  Reading local files
 * stays allowed: xsl:include needs it. */
static xsltSecurityPrefsPtr locked_down_prefs(void)
{
	xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
	if (!sec)
		return NULL;
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
	return sec;
}

static int quote_params(xsltTransformContextPtr tc, const struct tb_render_params *p)
{
	return xsltQuoteOneUserParam(tc, X("report-sha256"),
				     X(p->report_sha256 ? p->report_sha256 : "")) ||
	       xsltQuoteOneUserParam(tc, X("signature-status"),
				     X(p->signature ? p->signature : "unknown")) ||
	       xsltQuoteOneUserParam(tc, X("report-name"), X(p->report_name ? p->report_name : "")) ||
	       xsltQuoteOneUserParam(tc, X("label-uri"), X(p->label_uri ? p->label_uri : ""));
}

static enum tb_err transform(xsltStylesheetPtr style, xmlDocPtr report,
			     const struct tb_render_params *p, xsltSecurityPrefsPtr sec, xmlChar **out,
			     int *outlen, struct err_sink *sink, struct tb_diag *d)
{
	enum tb_err e = TB_OK;
	xmlDocPtr res = NULL;
	xsltTransformContextPtr tc = xsltNewTransformContext(style, report);
	if (!tc)
		return tb_diag_set(d, TB_E_NOMEM, "cannot start the XSLT transformation");
	if (xsltSetCtxtSecurityPrefs(sec, tc) != 0 || quote_params(tc, p) != 0) {
		e = tb_diag_set(d, TB_E_INTERNAL, "cannot set up the XSLT transformation");
		goto out;
	}
	res = xsltApplyStylesheetUser(style, report, NULL, NULL, NULL, tc);
	if (!res || tc->state != XSLT_STATE_OK) {
		e = tb_diag_set(d, TB_E_FORMAT, "the stylesheet failed on this report: %s",
				first_line(sink));
		goto out;
	}
	if (xsltSaveResultToString(out, outlen, res, style) != 0 || !*out || *outlen <= 0) {
		xmlFree(*out);
		*out = NULL;
		e = tb_diag_set(d, TB_E_INTERNAL, "cannot serialise the rendered report");
	}
out:
	xmlFreeDoc(res);
	xsltFreeTransformContext(tc);
	return e;
}

enum tb_err tb_render_doc(xmlDocPtr report, const char *xsl_path, const struct tb_render_params *p,
			  xmlChar **out, int *outlen, struct tb_diag *d)
{
	*out = NULL;
	*outlen = 0;
	if (access(xsl_path, R_OK) != 0)
		return tb_diag_set(d, TB_E_CONFIG,
				   "cannot read the stylesheet %s: %s (set TRUSTBENCH_DATADIR to the "
				   "directory holding reports/xsl)",
				   xsl_path, strerror(errno));
	struct err_sink sink = { .used = 0 };
	xmlSetGenericErrorFunc(&sink, collect_error);
	xsltSetGenericErrorFunc(&sink, collect_error);
	enum tb_err e = TB_OK;
	xsltSecurityPrefsPtr sec = locked_down_prefs();
	/* Also the default, so xsl:include/import while parsing obeys it. */
	xsltSetDefaultSecurityPrefs(sec);
	xsltStylesheetPtr style = sec ? xsltParseStylesheetFile(X(xsl_path)) : NULL;
	if (!style)
		e = tb_diag_set(d, TB_E_CONFIG, "cannot load the stylesheet %s: %s", xsl_path,
				first_line(&sink));
	else
		e = transform(style, report, p, sec, out, outlen, &sink, d);
	xsltFreeStylesheet(style);
	xsltSetDefaultSecurityPrefs(NULL);
	xsltFreeSecurityPrefs(sec);
	xsltSetGenericErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	return e;
}

const char *tb_render_signature_status(const char *report_path)
{
	char sig[4096];
	snprintf(sig, sizeof sig, "%s.p7s", report_path);
	return access(sig, F_OK) == 0 ? "signature file present (verify with trustbench verify)"
				      : "unsigned";
}

enum tb_err tb_render_html_file(const char *report_path, const char *xsl_path, const char *out_path,
				struct tb_diag *d)
{
	return tb_render_html_file_label(report_path, xsl_path, NULL, out_path, d);
}

enum tb_err tb_render_html_file_label(const char *report_path, const char *xsl_path,
				      const char *label_svg, const char *out_path, struct tb_diag *d)
{
	xmlDocPtr doc;
	uint8_t sum[32];
	char *label = NULL;
	enum tb_err e = label_svg ? tb_label_svg_data_uri(label_svg, &label, d) : TB_OK;
	if (e)
		return e;
	e = tb_report_load(report_path, &doc, sum, d);
	if (e) {
		free(label);
		return e;
	}
	char hex[65], *copy = tb_xstrdup(report_path);
	tb_sha256_hex(sum, hex);
	struct tb_render_params p = { .report_sha256 = hex,
				      .signature = tb_render_signature_status(report_path),
				      .report_name = basename(copy),
				      .label_uri = label };
	xmlChar *html = NULL;
	int len = 0;
	e = tb_render_doc(doc, xsl_path, &p, &html, &len, d);
	if (!e)
		e = tb_write_atomic(out_path, html, (size_t)len, d);
	xmlFree(html);
	free(copy);
	free(label);
	xmlFreeDoc(doc);
	return e;
}

/* The child: no stdin, stdout discarded, stderr to errfd; its own process
 * group so a timeout kills whatever it started too. */
static void exec_weasyprint(const char *html_path, const char *tmp_pdf, int errfd)
{
	setpgid(0, 0);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(errfd, STDERR_FILENO);
	char *const argv[] = { "weasyprint",      "--quiet",       "--encoding",
			       "utf-8",           "--media-type",  "print",
			       (char *)html_path, (char *)tmp_pdf, NULL };
	execvp(argv[0], argv);
	dprintf(errfd, "cannot run weasyprint: %s (install the Debian package weasyprint)\n",
		strerror(errno));
	_exit(127);
}

/* Wait for pid until timeout_ms; kill its process group when late.
 * Returns the wait status, or -1 on timeout. */
static int wait_with_deadline(pid_t pid, int timeout_ms)
{
	int64_t waited = 0;
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -2;
		if (waited >= timeout_ms) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		waited += 20;
	}
}

static void read_tail(int fd, char *buf, size_t len)
{
	buf[0] = '\0';
	off_t end = lseek(fd, 0, SEEK_END);
	if (end <= 0)
		return;
	off_t from = end > (off_t)len - 1 ? end - (off_t)len + 1 : 0;
	ssize_t n = pread(fd, buf, len - 1, from);
	buf[n > 0 ? n : 0] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
}

enum tb_err tb_render_pdf(const char *html_path, const char *pdf_path, int timeout_ms,
			  struct tb_diag *d)
{
	char tmp[4096], errlog[] = "/tmp/trustbench-weasyprint-XXXXXX";
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", pdf_path, (long)getpid()) >= (int)sizeof tmp)
		return tb_diag_set(d, TB_E_TOOBIG, "path too long: %s", pdf_path);
	int errfd = mkstemp(errlog);
	if (errfd < 0)
		return tb_diag_set(d, TB_E_IO, "cannot create a temporary file: %s", strerror(errno));
	unlink(errlog);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(errfd);
		return tb_diag_set(d, TB_E_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0)
		exec_weasyprint(html_path, tmp, errfd);
	int st = wait_with_deadline(pid, timeout_ms);
	char why[300];
	read_tail(errfd, why, sizeof why);
	close(errfd);
	enum tb_err e = TB_OK;
	if (st == -1)
		e = tb_diag_set(d, TB_E_TIMEOUT, "weasyprint took longer than %d s: stopped",
				timeout_ms / 1000);
	else if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		e = tb_diag_set(d, TB_E_IO, "weasyprint failed (status %d): %s",
				st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1,
				why[0] ? why : "no message");
	else if (rename(tmp, pdf_path) != 0)
		e = tb_diag_set(d, TB_E_IO, "cannot rename %s to %s: %s", tmp, pdf_path,
				strerror(errno));
	if (e)
		unlink(tmp);
	return e;
}
