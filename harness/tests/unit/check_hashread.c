/* check_hashread.c: the one-pass read that hashes in a second thread gives
 * the file's bytes in order and the file's SHA-256, however much of the
 * stream the parser consumed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sha256.h"
#include "capture/analyze.h"
#include "capture/hashread.h"
#include "suites.h"

#define DUT 0xc612010a

/* A file of n pseudo-random bytes (several ring turns when large). */
static void make_file(char *path, size_t n)
{
	strcpy(path, "/tmp/tb-hashread-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, f);
	}
	fclose(f);
}

/* Read the stream in odd-sized pieces, stopping after stop bytes. */
static void check_file(size_t n, size_t stop)
{
	char path[32];
	make_file(path, n);
	uint8_t want[32], got[32], piece[1000];
	uint64_t wbytes, gbytes;
	ck_assert_int_eq(tb_file_sha256(path, want, &wbytes), TB_OK);
	FILE *ref = fopen(path, "rb");
	struct tb_hashread *h;
	FILE *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_hashread_open(path, &h, &s, &d), TB_OK);
	size_t seen = 0, k;
	while (seen < stop && (k = fread(piece, 1, sizeof piece - seen % 7, s)) > 0) {
		uint8_t exp[1000];
		ck_assert_uint_eq(fread(exp, 1, k, ref), k);
		ck_assert_msg(memcmp(piece, exp, k) == 0, "bytes differ at %zu", seen);
		seen += k;
	}
	if (stop >= n)
		ck_assert_uint_eq(seen, n);
	fclose(s);
	ck_assert_int_eq(tb_hashread_finish(h, got, &gbytes), TB_OK);
	ck_assert_uint_eq(gbytes, n);
	ck_assert_uint_eq(wbytes, n);
	ck_assert(memcmp(want, got, 32) == 0);
	fclose(ref);
	unlink(path);
}

START_TEST(whole_files_of_any_size)
{
	static const size_t sizes[] = { 0, 1, 131071, 131072, 131073, 3 * 1024 * 1024 + 17 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		check_file(sizes[i], sizes[i]);
}
END_TEST

START_TEST(parser_stopping_early_still_hashes_all)
{
	check_file(2 * 1024 * 1024 + 5, 0);
	check_file(2 * 1024 * 1024 + 5, 300000);
}
END_TEST

START_TEST(missing_file)
{
	struct tb_hashread *h;
	FILE *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_hashread_open("/nonexistent/x.pcap", &h, &s, &d), TB_E_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "/nonexistent/x.pcap"));
}
END_TEST

/* The analysis with the digest equals the analysis without, and the digest
 * is the file's, also for a capture cut short inside a record. */
START_TEST(analysis_with_and_without_digest_agree)
{
	static const char *const files[] = { "fixtures/pcaps/legacy.pcap", "fixtures/pcaps/edge.pcap" };
	for (size_t i = 0; i < 2; i++) {
		struct tb_diag d = { 0 };
		uint8_t want[32], got[32];
		uint64_t wb, gb;
		struct tb_analysis *a = tb_analysis_new(DUT), *b = tb_analysis_new(DUT);
		ck_assert_int_eq(tb_analysis_read_file(a, files[i], &d), TB_OK);
		ck_assert_int_eq(tb_analysis_read_file_sha256(b, files[i], got, &gb, &d), TB_OK);
		ck_assert_int_eq(tb_file_sha256(files[i], want, &wb), TB_OK);
		ck_assert(memcmp(want, got, 32) == 0);
		ck_assert_uint_eq(wb, gb);
		ck_assert_uint_eq(a->frames, b->frames);
		ck_assert_uint_eq(a->nflows, b->nflows);
		ck_assert_uint_eq(a->nsecrets, b->nsecrets);
		ck_assert_int_eq(a->loss.cut_short, b->loss.cut_short);
		tb_analysis_free(a);
		tb_analysis_free(b);
	}
	/* cut short: the tail after the last whole record still counts */
	char path[32];
	strcpy(path, "/tmp/tb-hashread-XXXXXX");
	int fd = mkstemp(path);
	char *buf = NULL;
	size_t len;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_file_read("fixtures/pcaps/legacy.pcap", 1 << 20, &buf, &len, &d), TB_OK);
	ck_assert_int_eq(write(fd, buf, len - 7), (ssize_t)(len - 7));
	close(fd);
	free(buf);
	uint8_t want[32], got[32];
	uint64_t wb, gb;
	struct tb_analysis *a = tb_analysis_new(DUT);
	ck_assert_int_eq(tb_analysis_read_file_sha256(a, path, got, &gb, &d), TB_OK);
	ck_assert_int_eq(tb_file_sha256(path, want, &wb), TB_OK);
	ck_assert(a->loss.cut_short);
	ck_assert_uint_eq(gb, len - 7);
	ck_assert(memcmp(want, got, 32) == 0);
	tb_analysis_free(a);
	unlink(path);
}
END_TEST

Suite *hashread_suite(void)
{
	Suite *s = suite_create("hashread");
	TCase *t = tcase_create("hashread");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, whole_files_of_any_size);
	tcase_add_test(t, parser_stopping_early_still_hashes_all);
	tcase_add_test(t, missing_file);
	tcase_add_test(t, analysis_with_and_without_digest_agree);
	suite_add_tcase(s, t);
	return s;
}
