/* check_result.c: unit tests for results, bounded evidence and atomic files. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"
#include "check/ctx.h"
#include "load/suite.h"
#include "result/result.h"
#include "suites.h"

#define B(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static char tmpdir[64];

static void setup(void)
{
	strcpy(tmpdir, "/tmp/tb-result-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

START_TEST(text_clean)
{
	ck_assert(tb_text_clean(B("")));
	ck_assert(tb_text_clean(B("plain ASCII ~!@#$%^&*()")));
	ck_assert(tb_text_clean(B("tab\tcr\rlf\n")));
	ck_assert(tb_text_clean(B("caf\xc3\xa9")));      /* U+00E9 */
	ck_assert(tb_text_clean(B("\xc2\x80")));         /* U+0080, smallest 2-byte */
	ck_assert(tb_text_clean(B("\xdf\xbf")));         /* U+07FF */
	ck_assert(tb_text_clean(B("\xe0\xa0\x80")));     /* U+0800, smallest 3-byte */
	ck_assert(tb_text_clean(B("\xe2\x82\xac")));     /* EURO SIGN */
	ck_assert(tb_text_clean(B("\xed\x9f\xbf")));     /* U+D7FF, below surrogates */
	ck_assert(tb_text_clean(B("\xee\x80\x80")));     /* U+E000, above surrogates */
	ck_assert(tb_text_clean(B("\xef\xbf\xbd")));     /* U+FFFD */
	ck_assert(tb_text_clean(B("\xf0\x90\x80\x80"))); /* U+10000 */
	ck_assert(tb_text_clean(B("\xf0\x9f\x98\x80"))); /* emoji */
	ck_assert(tb_text_clean(B("\xf4\x8f\xbf\xbf"))); /* U+10FFFF */

	ck_assert(!tb_text_clean(B("\xff")));
	ck_assert(!tb_text_clean(B("\xfe")));
	ck_assert(!tb_text_clean(B("\x80"))); /* lone continuation */
	ck_assert(!tb_text_clean(B("a\xbf")));
	ck_assert(!tb_text_clean(B("\xc0\x80")));         /* overlong NUL */
	ck_assert(!tb_text_clean(B("\xc1\xbf")));         /* overlong 2-byte */
	ck_assert(!tb_text_clean(B("\xe0\x80\xaf")));     /* overlong '/' */
	ck_assert(!tb_text_clean(B("\xe0\x9f\xbf")));     /* overlong U+07FF */
	ck_assert(!tb_text_clean(B("\xf0\x8f\xbf\xbf"))); /* overlong U+FFFF */
	ck_assert(!tb_text_clean(B("\xed\xa0\x80")));     /* U+D800 */
	ck_assert(!tb_text_clean(B("\xed\xbf\xbf")));     /* U+DFFF */
	ck_assert(!tb_text_clean(B("\xf4\x90\x80\x80"))); /* U+110000 */
	ck_assert(!tb_text_clean(B("\xf5\x80\x80\x80")));
	ck_assert(!tb_text_clean(B("\xf8\x88\x80\x80\x80"))); /* 5-byte form */
	ck_assert(!tb_text_clean(B("\xef\xbf\xbe")));         /* U+FFFE: not XML */
	ck_assert(!tb_text_clean(B("\xef\xbf\xbf")));         /* U+FFFF: not XML */
	ck_assert(!tb_text_clean(B("\xc3")));                 /* truncated */
	ck_assert(!tb_text_clean(B("ok\xe2\x82")));           /* truncated */
	ck_assert(!tb_text_clean(B("\xf0\x9f\x98")));         /* truncated */
	ck_assert(!tb_text_clean(B("\xc3(")));                /* bad continuation */
	ck_assert(!tb_text_clean(B("\xe2\x28\xa1")));
	ck_assert(!tb_text_clean(B("a\0b")));
	ck_assert(!tb_text_clean(B("\x01")));
	ck_assert(!tb_text_clean(B("bell\x07")));
	ck_assert(!tb_text_clean(B("\x1b[31m"))); /* ANSI escape */
	ck_assert(!tb_text_clean(B("\x0b")));
	ck_assert(!tb_text_clean(B("\x0c")));
	ck_assert(!tb_text_clean(B("\x1f")));
	ck_assert(!tb_text_clean(B("del\x7f")));
	/* Only len bytes are looked at. */
	ck_assert(tb_text_clean((const uint8_t *)"ab\xff", 2));
}
END_TEST

START_TEST(result_set_and_notes)
{
	struct tb_result r = { 0 };
	tb_result_set(&r, TB_V_FAIL, "port %d open", 23);
	ck_assert_int_eq(r.verdict, TB_V_FAIL);
	ck_assert_str_eq(r.reason, "port 23 open");
	tb_result_set(&r, TB_V_PASS, "%s", "replaced");
	ck_assert_str_eq(r.reason, "replaced");
	char big[TB_REASON_MAX * 2];
	memset(big, 'r', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tb_result_set(&r, TB_V_PASS, "%s", big);
	ck_assert_uint_eq(strlen(r.reason), TB_REASON_MAX - 1);
	tb_ev_note(&r, "lbl", "n=%d", 5);
	tb_ev_note(&r, NULL, "x");
	ck_assert_uint_eq(r.nev, 2);
	ck_assert_int_eq(r.ev[0].kind, TB_EV_NOTE);
	ck_assert_str_eq(r.ev[0].label, "lbl");
	ck_assert_str_eq(r.ev[0].text, "n=5");
	ck_assert_str_eq(r.ev[1].label, "");
	tb_result_cleanup(&r);
	ck_assert_ptr_null(r.reason);
	ck_assert_uint_eq(r.nev, 0);
}
END_TEST

START_TEST(exchange_bounded)
{
	struct tb_result r = { 0 };
	size_t big = TB_EV_INLINE_MAX * 3 + 17;
	uint8_t *buf = malloc(big);
	for (size_t i = 0; i < big; i++)
		buf[i] = (uint8_t)i;
	tb_ev_exchange(&r, "x", buf, big, "ok", 2);
	const struct tb_ev_item *it = &r.ev[0];
	ck_assert_int_eq(it->kind, TB_EV_EXCHANGE);
	ck_assert_uint_eq(it->sentlen, TB_EV_INLINE_MAX);
	ck_assert_uint_eq(it->sent_total, big);
	ck_assert_mem_eq(it->sent, buf, TB_EV_INLINE_MAX);
	ck_assert_uint_eq(it->recvlen, 2);
	ck_assert_uint_eq(it->recv_total, 2);
	ck_assert_mem_eq(it->recv, "ok", 2);
	/* Exactly the limit is kept whole. */
	tb_ev_exchange(&r, "y", buf, TB_EV_INLINE_MAX, buf, TB_EV_INLINE_MAX + 1);
	ck_assert_uint_eq(r.ev[1].sentlen, TB_EV_INLINE_MAX);
	ck_assert_uint_eq(r.ev[1].sent_total, TB_EV_INLINE_MAX);
	ck_assert_uint_eq(r.ev[1].recvlen, TB_EV_INLINE_MAX);
	ck_assert_uint_eq(r.ev[1].recv_total, TB_EV_INLINE_MAX + 1);
	/* Nothing either way. */
	tb_ev_exchange(&r, "z", NULL, 99, NULL, 5);
	ck_assert_uint_eq(r.ev[2].sentlen, 0);
	ck_assert_uint_eq(r.ev[2].sent_total, 0);
	ck_assert_uint_eq(r.ev[2].recv_total, 0);
	ck_assert_uint_eq(r.ev_dropped, 0);
	free(buf);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(items_capped)
{
	struct tb_result r = { 0 };
	for (int i = 0; i < TB_EV_MAX_ITEMS + 40; i++) {
		if (i % 2)
			tb_ev_note(&r, "n", "%d", i);
		else
			tb_ev_exchange(&r, "e", "a", 1, "b", 1);
	}
	ck_assert_uint_eq(r.nev, TB_EV_MAX_ITEMS);
	ck_assert_uint_eq(r.ev_dropped, 40);
	ck_assert_str_eq(r.ev[TB_EV_MAX_ITEMS - 1].text, "511");
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(write_atomic)
{
	char path[128];
	struct tb_diag d = { 0 };
	snprintf(path, sizeof path, "%s/out.txt", tmpdir);
	ck_assert_int_eq(tb_write_atomic(path, "first", 5, &d), TB_OK);
	ck_assert_int_eq(tb_write_atomic(path, "second!", 7, &d), TB_OK);
	size_t n;
	char *got = slurp(path, &n);
	ck_assert_uint_eq(n, 7);
	ck_assert_mem_eq(got, "second!", 7);
	free(got);
	ck_assert_uint_eq(count_entries(tmpdir), 1); /* no temp file left */
	ck_assert_int_eq(tb_write_atomic(path, "", 0, &d), TB_OK);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);

	/* Failure: the directory does not exist; nothing is left behind. */
	snprintf(path, sizeof path, "%s/missing/out.txt", tmpdir);
	ck_assert_int_eq(tb_write_atomic(path, "x", 1, &d), TB_E_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "missing"));
	/* Failure at rename: the target is a non-empty directory. */
	char sub[128], inner[160];
	snprintf(sub, sizeof sub, "%s/adir", tmpdir);
	snprintf(inner, sizeof inner, "%s/f", sub);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(tb_write_atomic(inner, "x", 1, &d), TB_OK);
	ck_assert_int_eq(tb_write_atomic(sub, "x", 1, &d), TB_E_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "rename"));
	ck_assert_uint_eq(count_entries(tmpdir), 2); /* out.txt and adir, no temp */
}
END_TEST

START_TEST(evidence_file)
{
	struct tb_case tc = { .id = "5.6-1-2" };
	struct tb_result r = { .tc = &tc };
	struct tb_ctx ctx = { .outdir = tmpdir };
	ck_assert_int_eq(tb_ev_file(&ctx, &r, "open-ports.tsv", "abc", 3), TB_OK);
	ck_assert_uint_eq(r.nev, 1);
	const struct tb_ev_item *it = &r.ev[0];
	ck_assert_int_eq(it->kind, TB_EV_FILE);
	ck_assert_str_eq(it->label, "open-ports.tsv");
	ck_assert_str_eq(it->path, "evidence/5.6-1-2/open-ports.tsv");
	ck_assert_str_eq(it->sha256,
			 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_uint_eq(it->size, 3);
	char path[256];
	snprintf(path, sizeof path, "%s/evidence/5.6-1-2/open-ports.tsv", tmpdir);
	size_t n;
	char *got = slurp(path, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_mem_eq(got, "abc", 3);
	free(got);
	snprintf(path, sizeof path, "%s/evidence/5.6-1-2", tmpdir);
	ck_assert_uint_eq(count_entries(path), 1);

	/* Empty file: SHA-256 of nothing. */
	ck_assert_int_eq(tb_ev_file(&ctx, &r, "empty.bin", "", 0), TB_OK);
	ck_assert_str_eq(r.ev[1].sha256,
			 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	static const char *const bad[] = { "a/b",         "..",   ".",      "",     "../x",
					   "/etc/passwd", "x\\y", "sp ace", "nl\n", NULL };
	for (int i = 0; bad[i]; i++) {
		ck_assert_msg(tb_ev_file(&ctx, &r, bad[i], "x", 1) != TB_OK, "'%s' accepted", bad[i]);
		ck_assert_uint_eq(r.nev, 2);
	}
	ck_assert_uint_eq(count_entries(tmpdir), 1); /* only evidence/ */
	ck_assert_uint_eq(count_entries(path), 2);
	/* A case id that is not a plain name is refused too. */
	struct tb_case evil = { .id = "../../x" };
	struct tb_result r2 = { .tc = &evil };
	ck_assert_int_ne(tb_ev_file(&ctx, &r2, "f", "x", 1), TB_OK);
	ck_assert_uint_eq(r2.nev, 0);
	tb_result_cleanup(&r);
}
END_TEST

Suite *result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_clean);
	tcase_add_test(tc, result_set_and_notes);
	tcase_add_test(tc, exchange_bounded);
	tcase_add_test(tc, items_capped);
	tcase_add_test(tc, write_atomic);
	tcase_add_test(tc, evidence_file);
	suite_add_tcase(s, tc);
	return s;
}
