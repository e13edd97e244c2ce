/* label.c: the trustmark label from a conformance statement (see label.h). */
#include "report/label.h"

#include <libxml/parser.h>
#include <openssl/evp.h>
#include <png.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/sha256.h"
#include "base/text.h"
#include "report/report_load.h"

#define SVG_NS "http://www.w3.org/2000/svg"

/* ---- A growing output buffer ---- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_grow(struct sbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->p = tb_xrealloc(b->p, cap, 1);
	b->cap = cap;
}

static void sb_add(struct sbuf *b, const char *fmt, ...) TB_PRINTF(2, 3);
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void sb_bytes(struct sbuf *b, const void *data, size_t len)
{
	sb_grow(b, len);
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
}

/* ---- Reading the statement ---- */

static int is_st(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, TB_STATEMENT_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The one child element name of parent; NULL (with a message) when it is
 * missing and required, or when there is more than one. */
static xmlNodePtr only_child(xmlNodePtr parent, const char *name, int required, const char *file,
			     enum tb_err *e, struct tb_diag *d)
{
	xmlNodePtr found = NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if (!is_st(c, name))
			continue;
		if (found) {
			*e = tb_diag_at(d, TB_E_FORMAT, file, (unsigned long)xmlGetLineNo(c), 0,
					"more than one <%s> in the statement", name);
			return NULL;
		}
		found = c;
	}
	if (!found && required)
		*e = tb_diag_at(d, TB_E_FORMAT, file, 0, 0, "the statement has no <%s>", name);
	return found;
}

/* Copy attribute name of n into out (TB_LABEL_FIELD_MAX bytes).  Absent:
 * "" when optional, an error when required (so is an empty value). */
static enum tb_err get_attr(xmlNodePtr n, const char *name, int required, char *out, const char *file,
			    struct tb_diag *d)
{
	out[0] = '\0';
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	unsigned long line = (unsigned long)xmlGetLineNo(n);
	enum tb_err e = TB_OK;
	if (!v || !v[0]) {
		if (required)
			e = tb_diag_at(d, TB_E_FORMAT, file, line, 0, "<%s> has no %s", n->name, name);
	} else if (strlen((const char *)v) >= TB_LABEL_FIELD_MAX) {
		e = tb_diag_at(d, TB_E_FORMAT, file, line, 0,
			       "<%s> %s is longer than %d bytes: refused", n->name, name,
			       TB_LABEL_FIELD_MAX - 1);
	} else {
		snprintf(out, TB_LABEL_FIELD_MAX, "%s", (const char *)v);
	}
	xmlFree(v);
	return e;
}

static enum tb_err get_date(xmlNodePtr n, const char *name, int required, char *out, const char *file,
			    struct tb_diag *d)
{
	enum tb_err e = get_attr(n, name, required, out, file, d);
	if (!e && out[0] && !tb_date_valid(out))
		e = tb_diag_at(d, TB_E_FORMAT, file, (unsigned long)xmlGetLineNo(n), 0,
			       "<%s> %s is not a date YYYY-MM-DD", n->name, name);
	return e;
}

/* Is c the UTF-8 of a bidirectional formatting character (U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069)?  They can make printed text read in
 * another order than it is stored. */
static int bidi_control(const unsigned char *c)
{
	if (c[0] != 0xe2 || !c[1] || !c[2])
		return 0;
	return (c[1] == 0x80 && (c[2] == 0x8e || c[2] == 0x8f || (c[2] >= 0xaa && c[2] <= 0xae))) ||
	       (c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9);
}

/* Statement text made safe for a terminal or a label: invalid UTF-8 and
 * control characters become \xNN, tabs and line ends become spaces, and
 * bidirectional overrides become U+FFFD (the same three bytes long). */
static char *safe_text(const char *s)
{
	char *t = tb_text_escape((const uint8_t *)s, strlen(s));
	for (unsigned char *c = (unsigned char *)t; *c; c++) {
		if (*c == '\t' || *c == '\r' || *c == '\n')
			*c = ' ';
		else if (bidi_control(c))
			memcpy(c, "\xef\xbf\xbd", 3);
	}
	return t;
}

/* The <reason> lines of a withheld outcome, one per line, bounded. */
static void collect_reasons(xmlNodePtr outcome, struct tb_label *lbl)
{
	static const char more[] = "\n(more reasons in the statement)";
	size_t room = sizeof lbl->reasons - sizeof more, used = 0;
	for (xmlNodePtr c = outcome->children; c; c = c->next) {
		if (!is_st(c, "reason"))
			continue;
		xmlChar *v = xmlNodeGetContent(c);
		char *t = safe_text(v ? (const char *)v : "");
		int n = snprintf(lbl->reasons + used, room - used, "%s%s", used ? "\n" : "", t);
		free(t);
		xmlFree(v);
		if (n < 0 || (size_t)n >= room - used) {
			/* Say so on a line of its own rather than cut one short. */
			snprintf(lbl->reasons + used, sizeof lbl->reasons - used, "%s",
				 used ? more : more + 1);
			return;
		}
		used += (size_t)n;
	}
	if (!used)
		snprintf(lbl->reasons, sizeof lbl->reasons, "the statement gives no reason");
}

static enum tb_err read_outcome(xmlNodePtr root, struct tb_label *lbl, const char *file,
				struct tb_diag *d)
{
	enum tb_err e = TB_OK;
	xmlNodePtr o = only_child(root, "outcome", 1, file, &e, d);
	char q[TB_LABEL_FIELD_MAX];
	if (!o || (e = get_attr(o, "result", 1, lbl->result, file, d)) ||
	    (e = get_attr(o, "qualifies-for-label", 1, q, file, d)) ||
	    (e = get_attr(o, "level", 0, lbl->level, file, d)) ||
	    (e = get_attr(o, "level-name", 0, lbl->level_name, file, d)))
		return e;
	unsigned long line = (unsigned long)xmlGetLineNo(o);
	if (strcmp(lbl->result, "pass") && strcmp(lbl->result, "fail") &&
	    strcmp(lbl->result, "incomplete"))
		return tb_diag_at(d, TB_E_FORMAT, file, line, 0,
				  "<outcome> result must be pass, fail or incomplete");
	if (strcmp(q, "true") && strcmp(q, "false"))
		return tb_diag_at(d, TB_E_FORMAT, file, line, 0,
				  "<outcome> qualifies-for-label must be true or false");
	lbl->qualifies = strcmp(q, "true") == 0;
	/* A label says the device earned it: refuse a statement that claims
	 * one for anything but a pass rather than print a misleading label. */
	if (lbl->qualifies && strcmp(lbl->result, "pass"))
		return tb_diag_at(d, TB_E_FORMAT, file, line, 0,
				  "<outcome> qualifies for a label with result %s: a label is "
				  "only for a pass",
				  lbl->result);
	if (!lbl->qualifies)
		collect_reasons(o, lbl);
	return TB_OK;
}

/* Is host a reserved example name (RFC 2606/6761: *.example, *.test)? */
static int reserved_host(const char *host, size_t n)
{
	static const char *const tlds[] = { ".example", ".test" };
	for (size_t i = 0; i < sizeof tlds / sizeof tlds[0]; i++) {
		size_t t = strlen(tlds[i]);
		if (n > t && strncasecmp(host + n - t, tlds[i], t) == 0)
			return 1;
	}
	return 0;
}

/* Characters a URL template may hold: printable ASCII that needs no
 * quoting in XML or a terminal (the braces only in the placeholder). */
static int url_char_ok(char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"'<>\\^`|{}", c);
}

static enum tb_err fill_url(const char *tmpl, const char *hex, char *out, size_t outlen,
			    struct tb_diag *d)
{
	const char *ph = strstr(tmpl, TB_LABEL_URL_PLACEHOLDER);
	size_t phlen = strlen(TB_LABEL_URL_PLACEHOLDER);
	if (!ph || strstr(ph + phlen, TB_LABEL_URL_PLACEHOLDER))
		return tb_diag_set(d, TB_E_FORMAT, "url-template must hold %s exactly once",
				   TB_LABEL_URL_PLACEHOLDER);
	for (const char *c = tmpl; *c; c++)
		if ((c < ph || c >= ph + phlen) && !url_char_ok(*c))
			return tb_diag_set(d, TB_E_FORMAT,
					   "url-template has a character a URL may not hold "
					   "(byte 0x%02x)",
					   (unsigned char)*c);
	const char *host = !strncmp(tmpl, "https://", 8)  ? tmpl + 8
			   : !strncmp(tmpl, "http://", 7) ? tmpl + 7
							  : NULL;
	if (!host)
		return tb_diag_set(d, TB_E_FORMAT, "url-template must start with https:// or http://");
	size_t authority = strcspn(host, "/?#");
	size_t hostlen = strcspn(host, ":/?#");
	if (memchr(host, '@', authority) || !reserved_host(host, hostlen) || host + hostlen > ph)
		return tb_diag_set(d, TB_E_FORMAT,
				   "url-template's host is not a reserved example name "
				   "(*.example, *.test): refused, nothing is ever published there");
	int n = snprintf(out, outlen, "%.*s%s%s", (int)(ph - tmpl), tmpl, hex, ph + phlen);
	if (n < 0 || (size_t)n >= outlen)
		return tb_diag_set(d, TB_E_FORMAT, "label URL longer than %zu bytes: refused",
				   outlen - 1);
	return TB_OK;
}

static enum tb_err read_label_fields(xmlNodePtr root, struct tb_label *lbl, const char *file,
				     struct tb_diag *d)
{
	enum tb_err e = TB_OK;
	char levelled[TB_LABEL_FIELD_MAX], tmpl[TB_LABEL_FIELD_MAX];
	xmlNodePtr scheme = only_child(root, "scheme", 1, file, &e, d);
	if (!scheme || (e = get_attr(scheme, "id", 1, lbl->scheme_id, file, d)) ||
	    (e = get_attr(scheme, "name", 1, lbl->scheme_name, file, d)) ||
	    (e = get_attr(scheme, "version", 0, lbl->scheme_version, file, d)) ||
	    (e = get_attr(scheme, "levelled", 0, levelled, file, d)))
		return e;
	if (levelled[0] && strcmp(levelled, "true") && strcmp(levelled, "false"))
		return tb_diag_at(d, TB_E_FORMAT, file, (unsigned long)xmlGetLineNo(scheme), 0,
				  "<scheme> levelled must be true or false");
	lbl->levelled = strcmp(levelled, "true") == 0;
	if (lbl->levelled && !lbl->level[0] && !lbl->level_name[0])
		return tb_diag_at(d, TB_E_FORMAT, file, 0, 0,
				  "a levelled scheme's label needs the <outcome> level");
	xmlNodePtr dev = only_child(root, "device", 1, file, &e, d);
	if (!dev || (e = get_attr(dev, "manufacturer", 1, lbl->manufacturer, file, d)) ||
	    (e = get_attr(dev, "model", 1, lbl->model, file, d)) ||
	    (e = get_attr(dev, "firmware-version", 1, lbl->firmware, file, d)))
		return e;
	xmlNodePtr support = only_child(root, "support-period", 0, file, &e, d);
	if (e || (support && (e = get_date(support, "end", 1, lbl->support_end, file, d))))
		return e;
	xmlNodePtr issued = only_child(root, "issued", 1, file, &e, d);
	if (!issued || (e = get_date(issued, "date", 1, lbl->issued, file, d)) ||
	    (e = get_date(issued, "expires", 1, lbl->expires, file, d)))
		return e;
	if (strcmp(lbl->expires, lbl->issued) <= 0)
		return tb_diag_at(d, TB_E_FORMAT, file, (unsigned long)xmlGetLineNo(issued), 0,
				  "<issued> expires %s is not after its date %s", lbl->expires,
				  lbl->issued);
	xmlNodePtr label = only_child(root, "label", 1, file, &e, d);
	if (!label || (e = get_attr(label, "url-template", 1, tmpl, file, d)))
		return e;
	struct tb_diag why = { 0 };
	if ((e = fill_url(tmpl, lbl->statement_sha256, lbl->url, sizeof lbl->url, &why)))
		return tb_diag_at(d, e, file, (unsigned long)xmlGetLineNo(label), 0, "<label> %s",
				  why.msg);
	return TB_OK;
}

/* Parse untrusted XML (a statement, or a label SVG for render) under the
 * report reader's rule; the caller checks the root.  *doc, when set, is
 * the caller's to free. */
static enum tb_err parse_untrusted(const char *buf, size_t len, const char *name, xmlDocPtr *doc,
				   struct tb_diag *d)
{
	return tb_xml_parse_untrusted(buf, len, name, TB_LABEL_MAX_INPUT,
				      "trustbench statement or label", doc, d);
}

enum tb_err tb_label_parse(const char *buf, size_t len, const char *name, struct tb_label *lbl,
			   struct tb_diag *d)
{
	memset(lbl, 0, sizeof *lbl);
	uint8_t sum[32];
	tb_sha256_mem(buf, len, sum);
	tb_sha256_hex(sum, lbl->statement_sha256);
	xmlDocPtr doc;
	enum tb_err e = parse_untrusted(buf, len, name, &doc, d);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlChar *format = root ? xmlGetNoNsProp(root, (const xmlChar *)"format") : NULL;
	if (!e && !is_st(root, "statement"))
		e = tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
			       "not a trustbench statement (root element is not statement in %s)",
			       TB_STATEMENT_NS);
	else if (!e && (!format || strcmp((const char *)format, "1")))
		e = tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
			       "statement format is not 1 (this trustbench reads format 1)");
	if (!e)
		e = read_outcome(root, lbl, name, d);
	if (!e && lbl->qualifies)
		e = read_label_fields(root, lbl, name, d);
	xmlFree(format);
	xmlFreeDoc(doc);
	return e;
}

enum tb_err tb_label_load(const char *path, struct tb_label *lbl, struct tb_diag *d)
{
	char *buf;
	size_t len;
	memset(lbl, 0, sizeof *lbl);
	enum tb_err e = tb_file_read(path, TB_LABEL_MAX_INPUT + 1, &buf, &len, d);
	if (e)
		return e;
	e = tb_label_parse(buf, len, path, lbl, d);
	free(buf);
	return e;
}

/* ---- The QR code ---- */

/* Error correction M (15 %): the URL stays a small, easily scanned code. */
static QRcode *encode_qr(const char *url, struct tb_diag *d)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		tb_diag_set(d, TB_E_INTERNAL, "libqrencode cannot encode the label URL");
	return qr;
}

static int dark(const QRcode *qr, int x, int y)
{
	return qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1;
}

/* The modules as rects in module units, each row's dark runs merged,
 * inside a white square that includes the quiet zone. */
static void svg_qr(struct sbuf *b, const QRcode *qr, double x, double y, double size)
{
	int n = qr->width + 2 * TB_LABEL_QR_QUIET;
	sb_add(b,
	       "<g transform=\"translate(%.2f %.2f) scale(%.4f)\" shape-rendering=\"crispEdges\">\n"
	       "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
	       "<g fill=\"#000000\">\n",
	       x, y, size / n, n, n);
	for (int row = 0; row < qr->width; row++)
		for (int col = 0; col < qr->width;) {
			if (!dark(qr, col, row)) {
				col++;
				continue;
			}
			int start = col;
			while (col < qr->width && dark(qr, col, row))
				col++;
			sb_add(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\"/>\n",
			       start + TB_LABEL_QR_QUIET, row + TB_LABEL_QR_QUIET, col - start);
		}
	sb_add(b, "</g>\n</g>\n");
}

/* ---- The SVG ---- */

/* s as XML text: made safe (safe_text), cut to max characters with an
 * ellipsis, and & < > " ' escaped. */
static void svg_text(struct sbuf *b, const char *s, size_t max)
{
	char *t = safe_text(s);
	size_t chars = 0;
	for (const unsigned char *c = (const unsigned char *)t; *c; c++) {
		if ((*c & 0xc0) != 0x80 && ++chars > max) {
			sb_add(b, "\xe2\x80\xa6"); /* U+2026, the ellipsis */
			break;
		}
		switch (*c) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		case '\'': sb_add(b, "&apos;"); break;
		default: sb_bytes(b, c, 1);
		}
	}
	free(t);
}

/* One line of text: the label's fixed style (size, weight, colour) and
 * a statement string cut to max characters after a fixed prefix. */
static void svg_line(struct sbuf *b, int x, int y, int size, const char *style, const char *prefix,
		     const char *value, size_t max)
{
	sb_add(b, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" %s>%s", x, y, size, style, prefix);
	svg_text(b, value, max);
	sb_add(b, "</text>\n");
}

/* The big line: the level a levelled scheme gave, else the result; and
 * the level's name below it when it says more. */
static void headline(const struct tb_label *lbl, char *big, char *sub, size_t len)
{
	sub[0] = '\0';
	if (lbl->levelled && lbl->level[0])
		snprintf(big, len, "Level %s", lbl->level);
	else if (lbl->levelled)
		snprintf(big, len, "%s", lbl->level_name);
	else
		snprintf(big, len, "%s", strcmp(lbl->result, "pass") == 0 ? "PASS" : lbl->result);
	if (lbl->level_name[0] && strcmp(lbl->level_name, big))
		snprintf(sub, len, "%s", lbl->level_name);
}

/* Where a long s breaks into two lines of at most max characters: the
 * byte offset of the last space that keeps the first line short enough
 * (or of character max when there is none); 0 when s fits on one line. */
static size_t line_break(const char *s, size_t one_line, size_t max)
{
	size_t chars = 0, space = 0, cut = 0, i;
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == max)
			cut = i;
		if (s[i] == ' ' && chars <= max)
			space = i;
		chars++;
	}
	if (chars <= one_line)
		return 0;
	return space ? space : cut ? cut : i;
}

/* The scheme's name in the header band: one line, or two smaller ones. */
static void svg_scheme_name(struct sbuf *b, const char *name)
{
	static const char style[] = "font-weight=\"bold\" fill=\"#ffffff\"";
	size_t brk = line_break(name, 46, 64);
	if (!brk) {
		svg_line(b, 24, 40, 20, style, "", name, 46);
		return;
	}
	char *first = tb_xstrndup(name, brk);
	svg_line(b, 24, 28, 15, style, "", first, 64);
	svg_line(b, 24, 49, 15, style, "", name + brk + (name[brk] == ' '), 64);
	free(first);
}

/* The URL's host, for the caption under the QR code. */
static void url_host(const char *url, char *out, size_t len)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	snprintf(out, len, "%.*s", (int)strcspn(h, "/?#"), h);
}

#define GREY "fill=\"#4a4a4a\""
#define INK "fill=\"#1b1b1b\""
#define BOLD "font-weight=\"bold\" fill=\"#1b1b1b\""

static void svg_fields(struct sbuf *b, const struct tb_label *lbl)
{
	char big[TB_LABEL_FIELD_MAX + 16], sub[TB_LABEL_FIELD_MAX + 16];
	char ver[TB_LABEL_FIELD_MAX * 2 + 32];
	headline(lbl, big, sub, sizeof big);
	snprintf(ver, sizeof ver, "%s%s", lbl->scheme_version[0] ? "scheme version " : "",
		 lbl->scheme_version);
	svg_scheme_name(b, lbl->scheme_name);
	svg_line(b, 24, 84, 13, GREY, "", ver[0] ? ver : lbl->scheme_id, 44);
	svg_line(b, 24, 128, 38, BOLD, "", big, 14);
	svg_line(b, 24, 150, 14, INK, "", sub, 42);
	svg_line(b, 24, 176, 12, GREY, "Device", "", 0);
	svg_line(b, 24, 196, 15, INK, "", lbl->manufacturer, 40);
	svg_line(b, 24, 217, 17, BOLD, "", lbl->model, 30);
	svg_line(b, 24, 238, 15, INK, "Firmware ", lbl->firmware, 24);
	svg_line(b, 24, 270, 15, INK, "Security updates until ",
		 lbl->support_end[0] ? lbl->support_end : "not declared", 12);
	svg_line(b, 24, 294, 15, BOLD, "Label valid until ", lbl->expires, 10);
	svg_line(b, 24, 318, 13, GREY, "Issued ", lbl->issued, 10);
	sb_add(b,
	       "<text x=\"24\" y=\"342\" font-size=\"11\" font-family=\"DejaVu Sans Mono, "
	       "monospace\" " GREY ">statement SHA-256 %.16s\xe2\x80\xa6</text>\n",
	       lbl->statement_sha256);
}

enum tb_err tb_label_svg(const struct tb_label *lbl, char **out, size_t *len, struct tb_diag *d)
{
	*out = NULL;
	*len = 0;
	if (!lbl->qualifies)
		return tb_diag_set(d, TB_E_CONFIG, "the statement earns no label");
	QRcode *qr = encode_qr(lbl->url, d);
	if (!qr)
		return TB_E_INTERNAL;
	struct sbuf b = { 0 };
	char host[TB_LABEL_URL_MAX];
	url_host(lbl->url, host, sizeof host);
	sb_add(&b,
	       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<svg xmlns=\"" SVG_NS
	       "\" version=\"1.1\" width=\"96mm\" height=\"54mm\" "
	       "viewBox=\"0 0 640 360\" font-family=\"DejaVu Sans, Liberation Sans, Arial, "
	       "sans-serif\">\n<title>trustmark label: ");
	svg_text(&b, lbl->scheme_name, 80);
	sb_add(&b, ", ");
	svg_text(&b, lbl->manufacturer, 80);
	sb_add(&b, " ");
	svg_text(&b, lbl->model, 80);
	sb_add(&b,
	       "</title>\n"
	       "<rect x=\"0\" y=\"0\" width=\"640\" height=\"360\" fill=\"#ffffff\"/>\n"
	       "<rect x=\"4\" y=\"4\" width=\"632\" height=\"56\" rx=\"12\" fill=\"#1b3a5c\"/>\n"
	       "<rect x=\"4\" y=\"30\" width=\"632\" height=\"30\" fill=\"#1b3a5c\"/>\n"
	       "<rect x=\"4\" y=\"4\" width=\"632\" height=\"352\" rx=\"12\" fill=\"none\" "
	       "stroke=\"#1b1b1b\" stroke-width=\"4\"/>\n");
	svg_fields(&b, lbl);
	svg_qr(&b, qr, 392, 72, 224);
	svg_line(&b, 504, 318, 12, "text-anchor=\"middle\" " INK, "Scan to check this label", "", 0);
	svg_line(&b, 504, 338, 11, "text-anchor=\"middle\" " GREY, "", host, 36);
	sb_add(&b, "</svg>\n");
	QRcode_free(qr);
	*out = b.p;
	*len = b.len;
	return TB_OK;
}

/* ---- The PNG ---- */

static void png_to_sbuf(png_structp png, png_bytep data, png_size_t len)
{
	sb_bytes(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

/* One pixel row of the code: 1 bit a pixel, set = white. */
static void png_row(const QRcode *qr, int y, unsigned char *row, size_t rowlen)
{
	int n = qr->width + 2 * TB_LABEL_QR_QUIET;
	memset(row, 0xff, rowlen);
	int my = y / TB_LABEL_PNG_SCALE - TB_LABEL_QR_QUIET;
	for (int px = 0; px < n * TB_LABEL_PNG_SCALE; px++) {
		int mx = px / TB_LABEL_PNG_SCALE - TB_LABEL_QR_QUIET;
		if (my >= 0 && my < qr->width && mx >= 0 && mx < qr->width && dark(qr, mx, my))
			row[px / 8] &= (unsigned char)~(0x80u >> (px % 8));
	}
}

/* libpng reports errors by longjmp: nothing here is changed after setjmp
 * that is read after the jump. */
static int write_png(const QRcode *qr, struct sbuf *b, unsigned char *row, size_t rowlen)
{
	png_uint_32 px = (png_uint_32)(qr->width + 2 * TB_LABEL_QR_QUIET) * TB_LABEL_PNG_SCALE;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, b, png_to_sbuf, png_flush_none);
	png_set_IHDR(png, info, px, px, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (png_uint_32 y = 0; y < px; y++) {
		png_row(qr, (int)y, row, rowlen);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

enum tb_err tb_label_png(const struct tb_label *lbl, unsigned char **out, size_t *len,
			 struct tb_diag *d)
{
	*out = NULL;
	*len = 0;
	if (!lbl->qualifies)
		return tb_diag_set(d, TB_E_CONFIG, "the statement earns no label");
	QRcode *qr = encode_qr(lbl->url, d);
	if (!qr)
		return TB_E_INTERNAL;
	size_t rowlen = ((size_t)(qr->width + 2 * TB_LABEL_QR_QUIET) * TB_LABEL_PNG_SCALE + 7) / 8;
	unsigned char *row = tb_xmalloc(rowlen);
	struct sbuf b = { 0 };
	int rc = write_png(qr, &b, row, rowlen);
	free(row);
	QRcode_free(qr);
	if (rc != 0) {
		free(b.p);
		return tb_diag_set(d, TB_E_INTERNAL, "libpng cannot write the QR code");
	}
	*out = (unsigned char *)b.p;
	*len = b.len;
	return TB_OK;
}

/* ---- A label SVG for the report's first page ---- */

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Does an attribute value hold a CSS url(...) reference? */
static int names_url(const char *v)
{
	for (; *v; v++)
		if (strncasecmp(v, "url(", 4) == 0)
			return 1;
	return 0;
}

/* Only what tb_label_svg writes: no href, no style, no event handler, and
 * no value that names a URL, so nothing can make the typesetter fetch. */
static const char *svg_refusal(xmlNodePtr n)
{
	static const char *const elems[] = { "svg", "g", "rect", "text", "title", NULL };
	static const char *const attrs[] = { "version",     "width",
					     "height",      "viewBox",
					     "x",           "y",
					     "rx",          "fill",
					     "stroke",      "stroke-width",
					     "transform",   "font-size",
					     "font-family", "font-weight",
					     "text-anchor", "shape-rendering",
					     NULL };
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE)
			continue;
		if (n->type != XML_ELEMENT_NODE)
			return "a node other than an element or text";
		if (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, SVG_NS) ||
		    !in_list((const char *)n->name, elems))
			return "an element a trustbench label does not use";
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
			int bad = a->ns || !in_list((const char *)a->name, attrs) || !v ||
				  strchr((const char *)v, ':') || names_url((const char *)v);
			xmlFree(v);
			if (bad)
				return "an attribute a trustbench label does not use";
		}
		const char *why = svg_refusal(n->children);
		if (why)
			return why;
	}
	return NULL;
}

enum tb_err tb_label_svg_data_uri(const char *path, char **uri, struct tb_diag *d)
{
	static const char prefix[] = "data:image/svg+xml;base64,";
	char *buf;
	size_t len;
	*uri = NULL;
	enum tb_err e = tb_file_read(path, TB_LABEL_SVG_MAX_BYTES + 1, &buf, &len, d);
	if (e)
		return e;
	xmlDocPtr doc = NULL;
	if (len > TB_LABEL_SVG_MAX_BYTES)
		e = tb_diag_at(d, TB_E_TOOBIG, path, 0, 0, "larger than %u KiB: not a label",
			       TB_LABEL_SVG_MAX_BYTES >> 10);
	else
		e = parse_untrusted(buf, len, path, &doc, d);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	const char *why = NULL;
	if (!e && (!root || strcmp((const char *)root->name, "svg")))
		why = "the root element is not svg";
	else if (!e)
		why = svg_refusal(doc->children); /* also a comment or PI beside the root */
	if (why)
		e = tb_diag_at(d, TB_E_FORMAT, path, 0, 0, "not a trustbench label SVG: %s", why);
	xmlFreeDoc(doc);
	if (!e) {
		*uri = tb_xmalloc(sizeof prefix + 4 * ((len + 2) / 3) + 1);
		memcpy(*uri, prefix, sizeof prefix);
		EVP_EncodeBlock((unsigned char *)*uri + sizeof prefix - 1, (const unsigned char *)buf,
				(int)len);
	}
	free(buf);
	return e;
}
