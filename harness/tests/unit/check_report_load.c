/* check_report_load.c: unit tests for the one untrusted-report reader (report_load.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_load.h"
#include "suites.h"

#define XSD "reports/schema/trustbench-report.xsd"
#define ROOT_OPEN "<report xmlns=\"" TB_REPORT_NS "\""

/* A <report> root carrying n attributes a0="v=0" a1=... */
static char *root_with_attrs(unsigned n, size_t *len)
{
	size_t cap = 128 + (size_t)n * 24;
	char *x = malloc(cap);
	size_t k = (size_t)snprintf(x, cap, "<?xml version=\"1.0\"?>\n" ROOT_OPEN);
	for (unsigned i = 0; i + 1 < n; i++) /* the xmlns declaration is one */
		k += (size_t)snprintf(x + k, cap - k, " a%u=\"v=%u\"", i, i);
	k += (size_t)snprintf(x + k, cap - k, "/>\n");
	*len = k;
	return x;
}

static enum tb_err parse_buf(const char *x, size_t len, struct tb_diag *d)
{
	xmlDocPtr doc = (xmlDocPtr)1;
	memset(d, 0, sizeof *d);
	enum tb_err e = tb_report_parse(x, len, "r.xml", &doc, d);
	ck_assert(e == TB_OK ? doc != NULL : doc == NULL);
	xmlFreeDoc(e == TB_OK ? doc : NULL);
	return e;
}

static enum tb_err parse_str(const char *x, struct tb_diag *d)
{
	return parse_buf(x, strlen(x), d);
}

/* 100k attributes on one element (2 MB) made libxml2 run for minutes: its
 * duplicate-attribute check is quadratic.  The scan refuses it before
 * libxml2 starts (well under a second; not timed here). */
START_TEST(many_attributes_refused_before_parsing)
{
	size_t len;
	char *x = root_with_attrs(100000, &len);
	struct tb_diag d;
	ck_assert_int_eq(parse_buf(x, len, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "more than 64 attributes"), "%s", d.msg);
	ck_assert_uint_eq(d.line, 2);
	free(x);
	/* The bound is exact: 64 pass the scan, 65 do not. */
	x = root_with_attrs(TB_REPORT_MAX_ATTRS, &len);
	ck_assert_int_eq(parse_buf(x, len, &d), TB_OK);
	free(x);
	x = root_with_attrs(TB_REPORT_MAX_ATTRS + 1, &len);
	ck_assert_int_eq(parse_buf(x, len, &d), TB_E_FORMAT);
	free(x);
}
END_TEST

/* The scan counts attributes of start tags only: '=' in values, text,
 * comments, CDATA and processing instructions does not count, and the bound
 * is per element.  Its line is the line of the tag. */
START_TEST(attribute_scan_reads_markup_correctly)
{
	char x[16384];
	size_t k = (size_t)snprintf(x, sizeof x,
				    "<?xml version=\"1.0\"?>\n<?pi a=1 b=2?>\n" ROOT_OPEN
				    " v='a=b\"c=d'>\n<!-- ");
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(x + k, sizeof x - k, "x=%d ", i);
	k += (size_t)snprintf(x + k, sizeof x - k, "--><notes><![CDATA[");
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(x + k, sizeof x - k, "<y a=%d>", i);
	k += (size_t)snprintf(x + k, sizeof x - k, "]]>");
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(x + k, sizeof x - k, "a=b <n k=\"%d\" l='>'/>", i);
	k += (size_t)snprintf(x + k, sizeof x - k, "</notes>\n<!-- <!DOCTYPE x> -->\n<big");
	for (int i = 0; i < 65; i++)
		k += (size_t)snprintf(x + k, sizeof x - k, "\n a%d='%d'", i, i);
	snprintf(x + k, sizeof x - k, "/></report>\n");
	struct tb_diag d;
	ck_assert_int_eq(parse_str(x, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "more than 64 attributes"), "%s", d.msg);
	ck_assert_uint_eq(d.line, 6); /* the line where <big starts */
	/* One attribute fewer and the document is fine. */
	char *last = strstr(x, "\n a64=");
	memmove(last, last + strlen("\n a64='64'"), strlen(last + strlen("\n a64='64'")) + 1);
	ck_assert_int_eq(parse_str(x, &d), TB_OK);
}
END_TEST

/* A DOCTYPE is refused by the scan, before libxml2 reads any internal
 * subset, and says so in words both old messages used. */
START_TEST(doctype_refused_early)
{
	static const char *const bad[] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE report [<!ENTITY x \"y\">]>\n" ROOT_OPEN "/>",
		"<!-- c -->\n\n<!DOCTYPE report SYSTEM \"http://198.18.0.1/x.dtd\">" ROOT_OPEN "/>",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		struct tb_diag d;
		ck_assert_int_eq(parse_str(bad[i], &d), TB_E_FORMAT);
		ck_assert_msg(strstr(d.msg, "DOCTYPE") && strstr(d.msg, "DTD"), "%s", d.msg);
		ck_assert_uint_eq(d.line, i == 0 ? 2 : 3);
	}
}
END_TEST

static void make_fifo(char *dir, char *fifo, size_t fifolen)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, fifolen, "%s/report.xml", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
}

/* A FIFO as the report path is refused at once, never waited on.  The
 * alarm makes a regression fail instead of hang. */
START_TEST(fifo_refused_not_waited_on)
{
	char dir[] = "/tmp/tb-rload-XXXXXX", fifo[64];
	make_fifo(dir, fifo, sizeof fifo);
	xmlDocPtr doc;
	struct tb_diag d = { 0 };
	alarm(10);
	ck_assert_int_eq(tb_report_load(fifo, &doc, NULL, &d), TB_E_IO);
	ck_assert_int_eq(tb_report_load_validate(fifo, XSD, &d), TB_E_IO);
	alarm(0);
	ck_assert_ptr_null(doc);
	ck_assert_msg(strstr(d.msg, "not a regular file"), "%s", d.msg);
	unlink(fifo);
	rmdir(dir);
}
END_TEST

/* validate goes through the same reader: it refuses what render, diff and
 * verify refuse, and still reports schema errors with their line. */
START_TEST(validate_uses_the_one_reader)
{
	char dir[] = "/tmp/tb-rload-XXXXXX", path[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.xml", dir);
	FILE *f = fopen(path, "w");
	fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE report>\n" ROOT_OPEN "/>\n", f);
	fclose(f);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_load_validate(path, XSD, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "DOCTYPE"), "%s", d.msg);
	f = fopen(path, "w");
	fputs("<?xml version=\"1.0\"?>\n" ROOT_OPEN ">\n<nonsense/></report>\n", f);
	fclose(f);
	ck_assert_int_eq(tb_report_load_validate(path, XSD, &d), TB_E_FORMAT);
	ck_assert_str_eq(d.file, path);
	/* The first schema error, at its line, naming what is wrong (the root lacks its
	 * schema-version). */
	ck_assert_uint_ge(d.line, 2);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_msg(strstr(d.msg, "schema-version") != NULL, "%s", d.msg);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *report_load_suite(void)
{
	Suite *s = suite_create("report_load");
	TCase *tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, many_attributes_refused_before_parsing);
	tcase_add_test(tc, attribute_scan_reads_markup_correctly);
	tcase_add_test(tc, doctype_refused_early);
	tcase_add_test(tc, fifo_refused_not_waited_on);
	tcase_add_test(tc, validate_uses_the_one_reader);
	suite_add_tcase(s, tc);
	return s;
}
