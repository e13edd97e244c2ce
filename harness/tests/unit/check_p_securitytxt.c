/* check_p_securitytxt.c: unit tests for the security.txt parser and judge. */
#include <check.h>
#include <string.h>

#include "proto/p_securitytxt.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static int view_is(struct tb_view v, const char *want)
{
	return v.p && v.len == strlen(want) && memcmp(v.p, want, v.len) == 0;
}

static enum tb_err parse(const char *s, struct tb_sectxt *t)
{
	return tb_p_securitytxt((const uint8_t *)s, strlen(s), t);
}

/* A vendor's file as served from /.well-known/security.txt. */
static const char good[] =
	"# Security contact for Acme IP cameras\r\n"
	"# \xc3\x89quipe s\xc3\xa9"
	"curit\xc3\xa9 \xe2\x80\x94 we read every report\r\n"
	"Contact: mailto:security@example.com\r\n"
	"Contact: https://example.com/security/report\r\n"
	"Contact: tel:+1-201-555-0123\r\n"
	"Expires: 2030-01-01T00:00:00.000Z\r\n"
	"Encryption: https://example.com/.well-known/pgp-key.txt\r\n"
	"Acknowledgments: https://example.com/hall-of-fame\r\n"
	"Preferred-Languages: en, de, fr\r\n"
	"Canonical: https://example.com/.well-known/security.txt\r\n"
	"Policy: https://example.com/disclosure-policy\r\n"
	"Hiring: https://example.com/jobs\r\n";

#define T2030 1893456000LL

START_TEST(real_file)
{
	struct tb_sectxt t;
	char warn[256];
	struct tb_diag why = { .msg = "" };

	ck_assert_int_eq(parse(good, &t), TB_OK);
	ck_assert_uint_eq(t.ncontact, 3);
	ck_assert(view_is(t.contact[0], "mailto:security@example.com"));
	ck_assert(view_is(t.contact[1], "https://example.com/security/report"));
	ck_assert(view_is(t.contact[2], "tel:+1-201-555-0123"));
	/* Views point into the input, not into a copy. */
	ck_assert_ptr_eq(t.contact[0].p, (const uint8_t *)strstr(good, "mailto:"));
	ck_assert_uint_eq(t.nexpires, 1);
	ck_assert_int_eq(t.expires_valid, 1);
	ck_assert(t.expires_epoch == T2030);
	ck_assert(view_is(t.encryption, "https://example.com/.well-known/pgp-key.txt"));
	ck_assert(view_is(t.preferred_languages, "en, de, fr"));
	ck_assert(view_is(t.canonical, "https://example.com/.well-known/security.txt"));
	ck_assert(view_is(t.policy, "https://example.com/disclosure-policy"));
	ck_assert_int_eq(t.pgp_signed, 0);
	ck_assert_uint_eq(t.nunknown, 0);
	ck_assert_uint_eq(t.nbad_lines, 0);
	ck_assert_uint_eq(t.first_bad_line, 0);

	/* 2029-07-30: valid, less than a year ahead, no notes. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1880000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(why.msg, "conforms to RFC 9116");
	ck_assert_str_eq(warn, "");
	/* 2023-11-14: valid but far ahead. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1700000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(warn, "Expires is more than a year ahead (RFC 9116 recommends less)");
	/* The diagnostic and warn are optional. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1700000000LL, NULL, NULL, 0), 1);
}
END_TEST

START_TEST(expired_file)
{
	struct tb_sectxt t;
	char warn[128];
	struct tb_diag why = { .msg = "" };

	ck_assert_int_eq(parse("Contact: mailto:psirt@example.net\n"
			       "Expires: 2024-01-01T00:00:00Z\n",
			       &t),
			 TB_OK);
	ck_assert(t.expires_epoch == 1704067200LL);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "expired on 2024-01-01T00:00:00Z");
	/* The same instant written with an offset is reported in UTC. */
	ck_assert_int_eq(parse("Contact: mailto:psirt@example.net\n"
			       "Expires: 2023-12-31T19:00:00-05:00\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "expired on 2024-01-01T00:00:00Z");
	/* Expiring exactly now is expired. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1704067200LL, &why, NULL, 0), 0);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1704067199LL, &why, NULL, 0), 1);
	/* Without a diagnostic the verdict is the same; the reason is about the
	 * content, so it names no file. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, NULL, NULL, 0), 0);
	ck_assert_str_eq(why.file, "");
}
END_TEST

static const char signed_txt[] =
	"-----BEGIN PGP SIGNED MESSAGE-----\n"
	"Hash: SHA512\n"
	"\n"
	"# Canonical URI\n"
	"Canonical: https://example.com/.well-known/security.txt\n"
	"Contact: mailto:security@example.com\n"
	"Expires: 2031-06-30T23:59:59+02:00\n"
	"- Policy: https://example.com/policy\n"
	"-----BEGIN PGP SIGNATURE-----\n"
	"\n"
	"iHUEARYKAB0WIQRx6Gk3fBjMpvZq3Yn0cQkLuT0yZwUCZZ8KXQAKCRD0cQkLuT0y\n"
	"Contact: mailto:attacker@evil.example\n"
	"=Zx1c\n"
	"-----END PGP SIGNATURE-----\n";

START_TEST(pgp_signed_file)
{
	struct tb_sectxt t;
	char warn[256];
	struct tb_diag why = { .msg = "" };

	ck_assert_int_eq(parse(signed_txt, &t), TB_OK);
	ck_assert_int_eq(t.pgp_signed, 1);
	ck_assert_uint_eq(t.ncontact, 1);
	ck_assert(view_is(t.contact[0], "mailto:security@example.com"));
	ck_assert(view_is(t.policy, "https://example.com/policy"));
	ck_assert_int_eq(t.expires_valid, 1);
	ck_assert(t.expires_epoch == 1940623199LL);
	ck_assert_uint_eq(t.nbad_lines, 0);
	ck_assert_uint_eq(t.nunknown, 0);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1920000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(warn, "");

	/* Signed without Canonical: a note. */
	ck_assert_int_eq(parse("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n"
			       "Contact: https://example.com/vdp\r\n"
			       "Expires: 2031-01-01T00:00:00Z\r\n"
			       "-----BEGIN PGP SIGNATURE-----\r\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(t.pgp_signed, 1);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1920000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(warn, "signed but no Canonical field (RFC 9116 recommends one)");
}
END_TEST

START_TEST(judge_reasons)
{
	struct tb_sectxt t;
	char warn[256];
	struct tb_diag why = { .msg = "" };
	const long long now = 1750000000LL;

	ck_assert_int_eq(parse("# nothing here\nExpires: 2030-01-01T00:00:00Z\n", &t), TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "no Contact field");

	ck_assert_int_eq(parse("Contact: http://example.com/report\n"
			       "Expires: 2030-01-01T00:00:00Z\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "Contact uses http:// (RFC 9116 requires https)");

	ck_assert_int_eq(parse("Contact: security@example.com\n"
			       "Expires: 2030-01-01T00:00:00Z\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "no Contact uses a mailto:, https:// or tel: URI");

	ck_assert_int_eq(parse("Contact: mailto:a@example.com\n", &t), TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "Expires missing");

	ck_assert_int_eq(parse("Contact: mailto:a@example.com\nExpires: 2030-01-01T00:00:00Z\n"
			       "Expires: 2031-01-01T00:00:00Z\n",
			       &t),
			 TB_OK);
	ck_assert_uint_eq(t.nexpires, 2);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "Expires appears 2 times");

	ck_assert_int_eq(parse("Contact: mailto:a@example.com\n"
			       "Expires: Wed, 01 Jan 2030 00:00:00 GMT\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, now, &why, warn, sizeof(warn)), 0);
	ck_assert_str_eq(why.msg, "Expires is not an RFC 3339 date-time");

	ck_assert_int_eq(tb_sectxt_judge(NULL, now, &why, warn, sizeof(warn)), 0);
}
END_TEST

START_TEST(judge_notes)
{
	struct tb_sectxt t;
	char warn[256], tiny[12];
	struct tb_diag why = { .msg = "" };

	ck_assert_int_eq(parse("Contact: http://example.com/old\n"
			       "Contact: HTTPS://example.com/new\n"
			       "Expires: 2026-01-01T00:00:00Z\n"
			       "this line is junk\n",
			       &t),
			 TB_OK);
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(warn,
			 "a Contact uses http:// (RFC 9116 requires https); "
			 "1 malformed line (first at line 4)");
	/* A short warn buffer is truncated, still terminated. */
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, &why, tiny, sizeof(tiny)), 1);
	ck_assert_uint_eq(strlen(tiny), sizeof(tiny) - 1);
}
END_TEST

START_TEST(many_contacts)
{
	struct tb_sectxt t;
	char buf[1024] = "", warn[256];
	struct tb_diag why = { .msg = "" };

	for (int i = 0; i < 10; i++)
		strcat(buf, "Contact: mailto:a@example.com\n");
	strcat(buf, "Expires: 2026-01-01T00:00:00Z\n");
	ck_assert_int_eq(parse(buf, &t), TB_OK);
	ck_assert_uint_eq(t.ncontact, 10);
	ck_assert(view_is(t.contact[TB_SECTXT_MAX_CONTACTS - 1], "mailto:a@example.com"));
	ck_assert_int_eq(tb_sectxt_judge(&t, 1750000000LL, &why, warn, sizeof(warn)), 1);
	ck_assert_str_eq(warn, "10 Contact fields, only the first 8 were checked");
}
END_TEST

START_TEST(lines_and_names)
{
	struct tb_sectxt t;

	ck_assert_int_eq(parse("\xef\xbb\xbf"
			       "CONTACT:   mailto:a@example.com \t\r\n"
			       "this is not a field\n"
			       "  # indented comment\n"
			       "Contact:\n"
			       ": no name\n"
			       "Contact : mailto:b@example.com\n"
			       "X-Custom: 1\n"
			       "Acknowledgements: misspelled\n"
			       "hiring: https://example.com/jobs\n"
			       "\t\n"
			       "expires:2030-01-01t00:00:00z",
			       &t),
			 TB_OK);
	ck_assert_uint_eq(t.ncontact, 1);
	ck_assert(view_is(t.contact[0], "mailto:a@example.com"));
	ck_assert_uint_eq(t.nbad_lines, 4);
	ck_assert_uint_eq(t.first_bad_line, 2);
	ck_assert_uint_eq(t.nunknown, 2);
	ck_assert_uint_eq(t.nexpires, 1);
	ck_assert_int_eq(t.expires_valid, 1);
	ck_assert(t.expires_epoch == T2030);
	ck_assert_ptr_null(t.policy.p);
	ck_assert_ptr_null(t.canonical.p);

	ck_assert_int_eq(tb_p_securitytxt(NULL, 0, &t), TB_OK);
	ck_assert_uint_eq(t.ncontact, 0);
	ck_assert_int_eq(parse("Policy: https://a.example/1\nPolicy: https://a.example/2\n", &t),
			 TB_OK);
	ck_assert(view_is(t.policy, "https://a.example/1"));
}
END_TEST

START_TEST(encoding_errors)
{
	struct tb_sectxt t;
	static const char *const bad[] = {
		"Contact: mailto:a@b\xc0\xaf\n",         /* overlong '/' */
		"Contact: mailto:a@b\xed\xa0\x80\n",     /* surrogate */
		"Contact: mailto:a@b\xf5\x80\x80\x80\n", /* past U+10FFFF */
		"Contact: mailto:a@b\xf4\x90\x80\x80\n", /* past U+10FFFF */
		"Contact: mailto:a@b\xe2\x82\n",         /* cut short */
		"Contact: mailto:a@b\x80\n",             /* lone continuation */
		"Contact: mailto:a@b\xe0\x80\xaf\n",     /* overlong 3-byte */
		"Contact: mailto:a@b\xf0\x80\x80\xaf\n", /* overlong 4-byte */
		"Contact: mailto:a@b\xe2\x82",           /* cut at the end */
		("\xff\xfe"
		 "C\0"), /* UTF-16 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &t) == TB_E_FORMAT, "accepted #%zu", i);
	ck_assert_int_eq(tb_p_securitytxt(S("Contact: mailto:a@b\n\0\n"), &t), TB_E_FORMAT);
	ck_assert_uint_eq(t.ncontact, 0);
	/* The largest scalar values are fine. */
	ck_assert_int_eq(parse("# \xf4\x8f\xbf\xbf \xef\xbf\xbd \xf0\x9f\x94\x92 \xed\x9f\xbf\n", &t),
			 TB_OK);
}
END_TEST

static int expires(const char *v, long long *epoch)
{
	char buf[128] = "Expires: ";
	struct tb_sectxt t;

	strcat(buf, v);
	ck_assert_int_eq(parse(buf, &t), TB_OK);
	*epoch = t.expires_epoch;
	return t.expires_valid;
}

START_TEST(rfc3339_valid)
{
	long long e;

	ck_assert(expires("1970-01-01T00:00:00Z", &e) && e == 0);
	ck_assert(expires("1969-12-31T23:59:59Z", &e) && e == -1);
	ck_assert(expires("2000-03-01T00:00:00Z", &e) && e == 951868800LL);
	ck_assert(expires("2024-02-29T12:00:00Z", &e) && e == 1709208000LL);
	ck_assert(expires("2000-02-29T00:00:00Z", &e));
	ck_assert(expires("2030-01-01T05:30:00+05:30", &e) && e == T2030);
	ck_assert(expires("2029-12-31T18:30:00-05:30", &e) && e == T2030);
	ck_assert(expires("2030-01-01T00:00:00-00:00", &e) && e == T2030);
	ck_assert(expires("2030-01-01t00:00:00.123456789z", &e) && e == T2030);
	ck_assert(expires("2016-12-31T23:59:60Z", &e) && e == 1483228800LL);
	ck_assert(expires("9999-12-31T23:59:59Z", &e) && e == 253402300799LL);
	ck_assert(expires("0000-01-01T00:00:00Z", &e) && e == -62167219200LL);
}
END_TEST

START_TEST(rfc3339_invalid)
{
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z",      "1900-02-29T00:00:00Z",
		"2030-04-31T00:00:00Z",      "2030-00-01T00:00:00Z",
		"2030-13-01T00:00:00Z",      "2030-01-00T00:00:00Z",
		"2030-01-32T00:00:00Z",      "2030-01-01T24:00:00Z",
		"2030-01-01T23:60:00Z",      "2030-01-01T23:59:61Z",
		"2030-01-01 00:00:00Z",      "2030-01-01T00:00:00",
		"2030-01-01T00:00:00.Z",     "2030-01-01T00:00:00+24:00",
		"2030-01-01T00:00:00+01:60", "2030-01-01T00:00:00+0100",
		"2030-01-01T00:00:00Zjunk",  "2030-1-01T00:00:00Z",
		"30-01-01T00:00:00Z",        "2030-01-01",
		"2030-01-01T00:00Z",         "+2030-01-01T00:00:00Z",
		"2030-01-01T00:00:00UTC",    "2030-01-01T0:00:00Z",
		"２０３０-01-01T00:00:00Z",
	};
	long long e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!expires(bad[i], &e), "accepted %s", bad[i]);
}
END_TEST

/* Every prefix parses without error unless it cuts a UTF-8 sequence. */
START_TEST(truncated_everywhere)
{
	static uint8_t copy[sizeof(good)];
	struct tb_sectxt t;
	char warn[256];
	struct tb_diag why = { .msg = "" };
	size_t n = (size_t)_i, o = 0;
	int cut = 0;
	enum tb_err err;

	while (o < n) {
		uint8_t c = (uint8_t)good[o];
		size_t k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (o + k > n)
			cut = 1;
		o += k;
	}
	memcpy(copy, good, n);
	err = tb_p_securitytxt(n ? copy : NULL, n, &t);
	ck_assert_int_eq(err, cut ? TB_E_FORMAT : TB_OK);
	if (err == TB_OK) {
		int ok = tb_sectxt_judge(&t, 1880000000LL, &why, warn, sizeof(warn));

		ck_assert_uint_le(t.ncontact, 3);
		/* Conforming needs a Contact and all of the Expires line. */
		ck_assert_int_eq(ok, t.ncontact > 0 && t.expires_valid);
	}
}
END_TEST

Suite *p_securitytxt_suite(void)
{
	Suite *s = suite_create("p_securitytxt");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, real_file);
	tcase_add_test(tc, expired_file);
	tcase_add_test(tc, pgp_signed_file);
	tcase_add_test(tc, lines_and_names);
	tcase_add_test(tc, encoding_errors);
	tcase_add_test(tc, rfc3339_valid);
	tcase_add_test(tc, rfc3339_invalid);
	tcase_add_loop_test(tc, truncated_everywhere, 0, (int)sizeof(good) - 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("judge");
	tcase_add_test(tc, judge_reasons);
	tcase_add_test(tc, judge_notes);
	tcase_add_test(tc, many_contacts);
	suite_add_tcase(s, tc);
	return s;
}
