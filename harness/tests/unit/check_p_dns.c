/* check_p_dns.c: DNS answers, cut at every offset, compression loops. */
#include <check.h>
#include <string.h>

#include "proto/p_dns.h"
#include "suites.h"

static const uint8_t answer[] = {
	0x12, 0x34, 0x85, 0x80, 0,   1,   0,   1, 0, 0,   0,  0, 5,    'c',  'l',
	'o',  'u',  'd',  3,    'l', 'a', 'b', 0, 0, 1,   0,  1, 0xc0, 0x0c, 0,
	1,    0,    1,    0,    0,   0,   60,  0, 4, 198, 18, 9, 1,
};

START_TEST(a_record_named_by_question)
{
	struct tb_dns_a a[4];
	size_t n;
	ck_assert_int_eq(tb_p_dns_answers(answer, sizeof answer, a, 4, &n), TB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(a[0].name, "cloud.lab");
	ck_assert_uint_eq(a[0].addr, 0xc6120901);
}
END_TEST

START_TEST(every_truncation)
{
	for (size_t i = 0; i < sizeof answer; i++) {
		struct tb_dns_a a[4];
		size_t n;
		ck_assert_int_eq(tb_p_dns_answers(answer, i, a, 4, &n), TB_E_TRUNC);
	}
}
END_TEST

START_TEST(queries_and_pointer_loops_refused)
{
	uint8_t m[sizeof answer];
	struct tb_dns_a a[4];
	size_t n;
	memcpy(m, answer, sizeof m);
	m[2] = 0x01; /* a query */
	ck_assert_int_eq(tb_p_dns_answers(m, sizeof m, a, 4, &n), TB_E_FORMAT);
	memcpy(m, answer, sizeof m);
	m[27] = 0xc0;
	m[28] = 27; /* the answer name points at itself */
	ck_assert_int_eq(tb_p_dns_answers(m, sizeof m, a, 4, &n), TB_E_FORMAT);
	memcpy(m, answer, sizeof m);
	m[37] = 0;
	m[38] = 40; /* rdlength past the end */
	ck_assert_int_eq(tb_p_dns_answers(m, sizeof m, a, 4, &n), TB_E_TRUNC);
}
END_TEST

Suite *p_dns_suite(void)
{
	Suite *s = suite_create("p_dns");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, a_record_named_by_question);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, queries_and_pointer_loops_refused);
	suite_add_tcase(s, tc);
	return s;
}
