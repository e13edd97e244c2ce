/* check_cloudlog.c: unit tests for the lab cloud's control-channel answers
 * (proto/p_cloudlog.h): LOG listings and OK/ERR lines, hostile bytes included. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_cloudlog.h"
#include "suites.h"

static enum tb_err line(const char *s, struct tb_clog_event *ev)
{
	return tb_p_cloudlog_line((const uint8_t *)s, strlen(s), ev);
}

static enum tb_err whole(const char *s, struct tb_clog *log, size_t *bad)
{
	return tb_p_cloudlog((const uint8_t *)s, strlen(s), log, bad);
}

START_TEST(accepted_event_with_data)
{
	struct tb_clog_event ev;
	ck_assert_int_eq(
		line("EV 12 3 8883 accepted 42 cloud.trustbench.lab ok 101000044d515454 198.18.1.10",
		     &ev),
		TB_OK);
	ck_assert_uint_eq(ev.seq, 12);
	ck_assert_uint_eq(ev.epoch, 3);
	ck_assert_uint_eq(ev.port, 8883);
	ck_assert_int_eq(ev.result, TB_CLOG_ACCEPTED);
	ck_assert_uint_eq(ev.appbytes, 42);
	ck_assert_str_eq(ev.sni, "cloud.trustbench.lab");
	ck_assert_str_eq(ev.detail, "ok");
	ck_assert_uint_eq(ev.datalen, 8);
	ck_assert_mem_eq(ev.data, "\x10\x10\x00\x04MQTT", 8);
	ck_assert_uint_eq(ev.client, 0xc612010au); /* 198.18.1.10: whose event it is */
}
END_TEST

START_TEST(refused_event_with_dashes)
{
	struct tb_clog_event ev;
	ck_assert_int_eq(line("EV 0 1 443 refused 0 - alert:unknown_ca - 198.18.1.10", &ev), TB_OK);
	ck_assert_int_eq(ev.result, TB_CLOG_REFUSED);
	ck_assert_str_eq(ev.sni, "");
	ck_assert_str_eq(ev.detail, "alert:unknown_ca");
	ck_assert_uint_eq(ev.datalen, 0);
	ck_assert_int_eq(line("EV 1 1 443 refused 0 - - - 198.18.1.10", &ev), TB_OK);
	ck_assert_str_eq(ev.detail, "");
}
END_TEST

START_TEST(device_bytes_in_text_tokens_are_neutralised)
{
	struct tb_clog_event ev;
	ck_assert_int_eq(line("EV 1 1 443 refused 0 a\x01<b>\xff eof - 198.18.1.10", &ev), TB_OK);
	ck_assert_str_eq(ev.sni, "a?<b>?");
}
END_TEST

START_TEST(bad_lines_are_refused)
{
	static const char *const bad[] = {
		"",
		"EV 198.18.1.10",
		"EV 1 1 443 refused 0 - - 198.18.1.10",         /* a field short */
		"EV 1 1 443 refused 0 - - - extra 198.18.1.10", /* a field too many */
		"EV 1 1  443 refused 0 - - - 198.18.1.10",      /* an empty token */
		"EV 1 1 443 refused 0 - - - 198.18.1.10 ",      /* a trailing space */
		"XV 1 1 443 refused 0 - - -",
		"EV 01 1 443 refused 0 - - - 198.18.1.10", /* leading zero */
		"EV -1 1 443 refused 0 - - - 198.18.1.10",
		"EV 1 1 0 refused 0 - - - 198.18.1.10", /* port 0 */
		"EV 1 1 65536 refused 0 - - - 198.18.1.10",
		"EV 99999999999999999999 1 443 refused 0 - - - 198.18.1.10", /* 20 digits */
		"EV 1 1 443 maybe 0 - - - 198.18.1.10",
		"EV 1 1 443 accepted 2 - ok 0 198.18.1.10",    /* odd hex */
		"EV 1 1 443 accepted 2 - ok 0A0B 198.18.1.10", /* upper-case hex */
		"EV 1 1 443 accepted 2 - ok 0g 198.18.1.10",
		"EV 1 1 443 accepted 1 - ok 0a0b 198.18.1.10", /* more data than appbytes */
		"EV 1 1 443 refused 5 - eof - 198.18.1.10",    /* refused, yet application data */
		"EV 1 1 443 refused 0 - eof - 198.18.1",       /* no client address */
		"EV 1 1 443 refused 0 - eof - 198.18.1.256",
		"EV 1 1 443 refused 0 - eof - ::1",
		"EV 1 1 443 refused 0 - eof - 198.18.1.10.7",
		"EV 1 1 443 refused 0 - eof - 1111111111111111111111111",
	};
	struct tb_clog_event ev;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(line(bad[i], &ev) == TB_E_FORMAT, "accepted: %s", bad[i]);
}
END_TEST

START_TEST(hex_and_line_bounds)
{
	char l[1200], hex[600];
	struct tb_clog_event ev;
	memset(hex, 'a', 512);
	hex[512] = '\0';
	snprintf(l, sizeof l, "EV 1 1 443 accepted 9999 - ok %s 198.18.1.10", hex);
	ck_assert_int_eq(line(l, &ev), TB_OK);
	ck_assert_uint_eq(ev.datalen, 256);
	memset(hex, 'a', 514); /* 257 bytes: more than the cloud relays */
	hex[514] = '\0';
	snprintf(l, sizeof l, "EV 1 1 443 accepted 9999 - ok %s 198.18.1.10", hex);
	ck_assert_int_eq(line(l, &ev), TB_E_FORMAT);
	char sni[300];
	memset(sni, 'x', 256); /* longer than a DNS name */
	sni[256] = '\0';
	snprintf(l, sizeof l, "EV 1 1 443 refused 0 %s eof - 198.18.1.10", sni);
	ck_assert_int_eq(line(l, &ev), TB_E_FORMAT);
	sni[255] = '\0';
	snprintf(l, sizeof l, "EV 1 1 443 refused 0 %s eof - 198.18.1.10", sni);
	ck_assert_int_eq(line(l, &ev), TB_OK);
	ck_assert_uint_eq(strlen(ev.sni), 255);
}
END_TEST

START_TEST(whole_answer)
{
	struct tb_clog *log = malloc(sizeof *log);
	size_t bad = 9;
	ck_assert_int_eq(whole("EV 4 1 443 refused 0 - eof - 198.18.1.10\n"
			       "EV 5 1 8883 accepted 3 cloud.trustbench.lab ok 616263 198.18.1.10\n"
			       "END 6\n",
			       log, &bad),
			 TB_OK);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(log->n, 2);
	ck_assert_uint_eq(log->next_seq, 6);
	ck_assert_uint_eq(log->ev[1].port, 8883);
	ck_assert_int_eq(whole("END 0\n", log, &bad), TB_OK);
	ck_assert_uint_eq(log->n, 0);
	free(log);
}
END_TEST

START_TEST(answer_cut_short_or_malformed)
{
	struct tb_clog *log = malloc(sizeof *log);
	size_t bad = 0;
	ck_assert_int_eq(whole("", log, &bad), TB_E_TRUNC);
	ck_assert_int_eq(whole("EV 4 1 443 refused 0 - eof - 198.18.1.10\n", log, &bad), TB_E_TRUNC);
	ck_assert_int_eq(whole("EV 4 1 443 refused 0 - eof - 198.18.1.10\nEND 5", log, &bad),
			 TB_E_TRUNC);
	ck_assert_int_eq(whole("EV 4 1 443 refused 0 - eof - 198.18.1.10\nEV 5 x 198.18.1.10\nEND 6\n",
			       log, &bad),
			 TB_E_FORMAT);
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(whole("END 6\nEV 4 1 443 refused 0 - eof -\n", log, &bad), TB_E_FORMAT);
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(whole("END 6\n\n", log, &bad), TB_E_FORMAT);
	ck_assert_int_eq(whole("END x\n", log, &bad), TB_E_FORMAT);
	ck_assert_uint_eq(bad, 1);
	free(log);
}
END_TEST

START_TEST(more_events_than_the_cloud_keeps)
{
	struct tb_clog *log = malloc(sizeof *log);
	size_t cap = (TB_CLOG_MAX_EVENTS + 2) * 64, o = 0, bad = 0;
	char *s = malloc(cap);
	for (int i = 0; i <= TB_CLOG_MAX_EVENTS; i++)
		o += (size_t)snprintf(s + o, cap - o, "EV %d 1 443 refused 0 - eof - 198.18.1.10\n", i);
	snprintf(s + o, cap - o, "END %d\n", TB_CLOG_MAX_EVENTS + 1);
	ck_assert_int_eq(whole(s, log, &bad), TB_E_FORMAT);
	ck_assert_uint_eq(bad, TB_CLOG_MAX_EVENTS + 1);
	free(s);
	free(log);
}
END_TEST

START_TEST(overlong_line_without_newline)
{
	struct tb_clog *log = malloc(sizeof *log);
	char s[1100];
	memset(s, 'E', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	ck_assert_int_eq(whole(s, log, NULL), TB_E_FORMAT); /* never waits for more */
	free(log);
}
END_TEST

static enum tb_err answer(const char *s, uint64_t *epoch, char *why, size_t cap)
{
	return tb_p_cloud_answer((const uint8_t *)s, strlen(s), epoch, why, cap);
}

START_TEST(ok_and_err_answers)
{
	uint64_t epoch = 0;
	char why[32];
	ck_assert_int_eq(answer("OK 7\n", &epoch, why, sizeof why), TB_OK);
	ck_assert_uint_eq(epoch, 7);
	ck_assert_int_eq(answer("ERR no key in the PEM\n", &epoch, why, sizeof why), TB_E_REFUSED);
	ck_assert_str_eq(why, "no key in the PEM");
	ck_assert_int_eq(answer("ERR a\x1b[31mb\n", &epoch, why, sizeof why), TB_E_REFUSED);
	ck_assert_str_eq(why, "a?[31mb");
	ck_assert_int_eq(answer("ERR 0123456789012345678901234567890123456789\n", &epoch, why, 8),
			 TB_E_REFUSED);
	ck_assert_str_eq(why, "0123456");
	ck_assert_int_eq(answer("OK 7", &epoch, why, sizeof why), TB_E_TRUNC);
	ck_assert_int_eq(answer("OK\n", &epoch, why, sizeof why), TB_E_FORMAT);
	ck_assert_int_eq(answer("OK 7\nOK 8\n", &epoch, why, sizeof why), TB_E_FORMAT);
	ck_assert_int_eq(answer("HELLO\n", &epoch, why, sizeof why), TB_E_FORMAT);
	char big[400];
	memset(big, 'O', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(answer(big, &epoch, why, sizeof why), TB_E_FORMAT);
}
END_TEST

Suite *cloudlog_suite(void)
{
	Suite *s = suite_create("cloudlog");
	TCase *t = tcase_create("core");
	tcase_add_test(t, accepted_event_with_data);
	tcase_add_test(t, refused_event_with_dashes);
	tcase_add_test(t, device_bytes_in_text_tokens_are_neutralised);
	tcase_add_test(t, bad_lines_are_refused);
	tcase_add_test(t, hex_and_line_bounds);
	tcase_add_test(t, whole_answer);
	tcase_add_test(t, answer_cut_short_or_malformed);
	tcase_add_test(t, more_events_than_the_cloud_keeps);
	tcase_add_test(t, overlong_line_without_newline);
	tcase_add_test(t, ok_and_err_answers);
	suite_add_tcase(s, t);
	return s;
}
