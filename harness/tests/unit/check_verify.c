/* check_verify.c: unit tests for verify's evidence check (every file named by digest). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "report/report.h"
#include "trust/verify.h"
#include "trust/verify_internal.h"
#include "suites.h"

static const char ev_bytes[] = "open ports: 22\n";
static const char cap_bytes[] = "\xd4\xc3\xb2\xa1 a capture's bytes";
static char dir[] = "/tmp/tb-verify-XXXXXX";
static char report[4096];
static char outbuf[8192];

static void put(const char *rel, const char *bytes, size_t len)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

static void hex_of(const char *bytes, size_t len, char hex[65])
{
	uint8_t sum[32];
	tb_sha256_mem(bytes, len, sum);
	tb_sha256_hex(sum, hex);
}

/* A report naming one evidence file and the capture, both written under dir. */
static void setup(void)
{
	strcpy(dir, "/tmp/tb-verify-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p[256], evh[65], caph[65];
	snprintf(p, sizeof p, "%s/evidence", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/evidence/5.6-1-2", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	put("evidence/5.6-1-2/open-ports.tsv", ev_bytes, sizeof ev_bytes - 1);
	put("evidence/capture.pcap", cap_bytes, sizeof cap_bytes - 1);
	hex_of(ev_bytes, sizeof ev_bytes - 1, evh);
	hex_of(cap_bytes, sizeof cap_bytes - 1, caph);
	snprintf(report, sizeof report,
		 "<report xmlns=\"%s\" status=\"complete\"><results><result id=\"5.6-1-2\" "
		 "verdict=\"pass\"><evidence><file label=\"ports\" "
		 "path=\"evidence/5.6-1-2/open-ports.tsv\" sha256=\"%s\" bytes=\"%zu\"/>"
		 "</evidence></result></results><traffic><capture status=\"recorded\" "
		 "path=\"evidence/capture.pcap\" sha256=\"%s\" bytes=\"%zu\"/></traffic></report>",
		 TB_REPORT_NS, evh, sizeof ev_bytes - 1, caph, sizeof cap_bytes - 1);
}

static void rm(const char *rel)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	unlink(p);
	rmdir(p);
}

static void teardown(void)
{
	rm("evidence/5.6-1-2/open-ports.tsv");
	rm("evidence/5.6-1-2");
	rm("evidence/capture.pcap");
	rm("evidence");
	rmdir(dir);
}

/* Check the evidence of report under d; the output lands in outbuf. */
static int check_under(const char *xml, const char *d)
{
	FILE *out = fmemopen(outbuf, sizeof outbuf, "w");
	ck_assert_ptr_nonnull(out);
	int rc = tb_verify_evidence_for_tests("r.xml", xml, strlen(xml), d, out);
	fclose(out);
	return rc;
}

static int check(void)
{
	return check_under(report, dir);
}

#define OUT_HAS(s) ck_assert_msg(strstr(outbuf, s) != NULL, "'%s' not in:\n%s", s, outbuf)

START_TEST(intact_evidence_and_capture_pass)
{
	ck_assert_int_eq(check(), 0);
	OUT_HAS("evidence:  OK: all 2 files (1 evidence file and the capture)");
}
END_TEST

/* The capture is checked like any evidence file: a flipped byte, a
 * truncation or its deletion breaks integrity and names the file. */
START_TEST(capture_flip_truncate_delete_break)
{
	char flipped[sizeof cap_bytes];
	memcpy(flipped, cap_bytes, sizeof cap_bytes);
	flipped[7] ^= 1;
	put("evidence/capture.pcap", flipped, sizeof cap_bytes - 1);
	ck_assert_int_eq(check(), 1);
	OUT_HAS("evidence:  BROKEN: 1 of the 2 files");
	OUT_HAS("evidence/capture.pcap (the capture): SHA-256");

	put("evidence/capture.pcap", cap_bytes, 5);
	ck_assert_int_eq(check(), 1);
	OUT_HAS("evidence/capture.pcap (the capture): truncated: 5 bytes");

	rm("evidence/capture.pcap");
	ck_assert_int_eq(check(), 1);
	OUT_HAS("evidence/capture.pcap (the capture): missing");
}
END_TEST

/* Missing evidence is broken evidence, never "not present, so not
 * checked": a deleted file, a deleted folder, a directory that is not there. */
START_TEST(missing_evidence_breaks)
{
	rm("evidence/5.6-1-2/open-ports.tsv");
	ck_assert_int_eq(check(), 1);
	OUT_HAS("evidence/5.6-1-2/open-ports.tsv: missing");
	rm("evidence/5.6-1-2");
	rm("evidence/capture.pcap");
	rm("evidence");
	ck_assert_int_eq(check(), 1);
	OUT_HAS("BROKEN: 2 of the 2 files");
	ck_assert_int_eq(check_under(report, "/nonexistent"), 1);
	OUT_HAS("BROKEN: cannot open the evidence directory /nonexistent");
	OUT_HAS("none could be checked");
}
END_TEST

/* A report that names no file needs no directory; a capture said to be
 * recorded but without a digest is pointed out. */
START_TEST(no_digests_nothing_to_check)
{
	char xml[512];
	snprintf(xml, sizeof xml,
		 "<report xmlns=\"%s\"><traffic><capture status=\"recorded\" "
		 "path=\"evidence/capture.pcap\"/></traffic></report>",
		 TB_REPORT_NS);
	ck_assert_int_eq(check_under(xml, "/nonexistent"), 0);
	OUT_HAS("the report names no files by digest");
	OUT_HAS("gives no SHA-256, so the capture is not bound to the report");
}
END_TEST

/* A capture digest without a path cannot be checked: broken. */
START_TEST(capture_digest_without_path_breaks)
{
	char xml[512];
	snprintf(xml, sizeof xml,
		 "<report xmlns=\"%s\"><traffic><capture status=\"recorded\" sha256=\"%064d\" "
		 "bytes=\"1\"/></traffic></report>",
		 TB_REPORT_NS, 0);
	ck_assert_int_eq(check_under(xml, dir), 1);
	OUT_HAS("(the capture): the report records no path");
}
END_TEST

Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("evidence");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, intact_evidence_and_capture_pass);
	tcase_add_test(tc, capture_flip_truncate_delete_break);
	tcase_add_test(tc, missing_evidence_breaks);
	tcase_add_test(tc, no_digests_nothing_to_check);
	tcase_add_test(tc, capture_digest_without_path_breaks);
	suite_add_tcase(s, tc);
	return s;
}
