/* check_login_snmp.c: the SNMP community driver: how a read is judged,
 * what the transcript shows (never a declared community), and the whole
 * attempt against a scripted agent on loopback (a forked child): v2c and
 * v1 asked together, silence as refusal, the write test's set-and-restore,
 * and its loud report when the restore fails.  The real net-snmp snmpd
 * answers are in check_p_snmpmsg.c. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_snmp.h"
#include "proto/p_snmpmsg.h"
#include "suites.h"

static const uint32_t sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t syscontact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };
#define NARC(a) (sizeof(a) / sizeof((a)[0]))
#define LOOP 0x7f000001u

static struct tb_snmp_pdu_msg m;

/* Where needle[0..k) first occurs in b[0..n), or NULL (memmem is a GNU extension). */
static const void *has_bytes(const void *b, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp((const uint8_t *)b + i, needle, k) == 0)
			return (const uint8_t *)b + i;
	return NULL;
}

/* A Response (built as a Set, then retagged) with one OCTET STRING varbind. */
static size_t response(int version, const char *comm, int32_t reqid, int64_t err, const uint32_t *oid,
		       size_t noid, const char *val, uint8_t *b, size_t cap)
{
	size_t n = tb_snmp_build_set_octets(version, comm, reqid, oid, noid, (const uint8_t *)val,
					    strlen(val), b, cap);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	size_t q = m.community_off + m.community_total;
	b[q++] = TB_SNMP_PDU_RESPONSE;
	q += (b[q] & 0x80) ? 1 + (b[q] & 0x7f) : 1; /* the PDU's length */
	q += 2 + b[q + 1];                          /* request-id */
	b[q + 2] = (uint8_t)err;                    /* error-status */
	b[q + 5] = err ? 1 : 0;                     /* error-index */
	return n;
}

START_TEST(judge_read_accepts_any_response_and_refuses_noaccess)
{
	uint8_t b[512];
	char detail[320];
	size_t n = response(TB_SNMP_V2C, "public", 7, 0, sysdescr, 9, "RD-1 \"cam\"\x01", b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(tb_snmp_judge_read(&m, detail, sizeof detail), TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(detail, "v2c GetResponse: read sysDescr.0 = \"RD-1 \"cam\"\\x01\"");

	n = response(TB_SNMP_V1, "public", 7, TB_SNMP_E_NOSUCHNAME, sysdescr, 9, "", b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(tb_snmp_judge_read(&m, detail, sizeof detail), TB_LOGIN_ACCEPTED);
	ck_assert_ptr_nonnull(strstr(detail, "v1 Response with error-status noSuchName"));

	n = response(TB_SNMP_V2C, "x", 7, TB_SNMP_E_NOACCESS, sysdescr, 9, "", b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(tb_snmp_judge_read(&m, detail, sizeof detail), TB_LOGIN_REJECTED);
	n = response(TB_SNMP_V2C, "x", 7, TB_SNMP_E_AUTHORIZATION, sysdescr, 9, "", b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(tb_snmp_judge_read(&m, detail, sizeof detail), TB_LOGIN_REJECTED);
	ck_assert_ptr_nonnull(strstr(detail, "authorizationError"));
}
END_TEST

START_TEST(long_sysdescr_is_cut_in_the_detail)
{
	uint8_t b[1024];
	char val[301], detail[320];
	memset(val, 'A', 300);
	val[300] = '\0';
	size_t n = response(TB_SNMP_V2C, "public", 7, 0, sysdescr, 9, val, b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(tb_snmp_judge_read(&m, detail, sizeof detail), TB_LOGIN_ACCEPTED);
	ck_assert_ptr_nonnull(strstr(detail, "AAA...\""));
	ck_assert_uint_lt(strlen(detail), 200);
}
END_TEST

START_TEST(describe_withholds_a_declared_community)
{
	uint8_t b[512];
	char line[600];
	size_t n = tb_snmp_build_get(TB_SNMP_V1, "s3cret", 42, sysdescr, 9, b, sizeof b);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	tb_snmp_describe(&m, 0, line, sizeof line);
	ck_assert_str_eq(line,
			 "v1 GetRequest, community 's3cret', request-id 42: "
			 "1.3.6.1.2.1.1.1.0 = NULL");
	tb_snmp_describe(&m, 1, line, sizeof line);
	ck_assert_ptr_null(strstr(line, "s3cret"));
	tb_snmp_redact_community(b, n);
	ck_assert_ptr_null(has_bytes(b, n, "s3cret", 6));
	ck_assert_ptr_nonnull(has_bytes(b, n, "******", 6));
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK); /* still a message */
	/* A tiny buffer is cut, never overrun. */
	char tiny[8];
	tb_snmp_describe(&m, 0, tiny, sizeof tiny);
	ck_assert_uint_eq(strlen(tiny), 7);
}
END_TEST

/* ------------------------------------------------- a scripted agent */

enum agent_mode {
	AGENT_RW,        /* public read-only, private read-write (sysContact) */
	AGENT_V1_ONLY,   /* as RW, but drops every v2c message */
	AGENT_NORESTORE, /* private: the first SET works, every later one fails */
	AGENT_LIAR,      /* private: SET says noError, changes nothing */
	AGENT_SET_MUTE,  /* private: SETs are applied but never answered */
	AGENT_FIXED,     /* private: sysContact.0 is notWritable (set in the config) */
	AGENT_ECHO,      /* sysDescr.0 repeats the community it was asked with */
};

static char contact[256];

static void agent_answer(int s, enum agent_mode mode, const uint8_t *req, size_t n,
			 const struct sockaddr_in *from, int *sets)
{
	uint8_t b[1024];
	if (tb_snmp_parse(req, n, &m) != TB_OK || m.nvb != 1)
		return;
	if (mode == AGENT_V1_ONLY && m.version != TB_SNMP_V1)
		return;
	int rw = m.community_total == 7 && memcmp(m.community, "private", 7) == 0;
	int ro = m.community_total == 6 && memcmp(m.community, "public", 6) == 0;
	if (!rw && !ro)
		return; /* a wrong community: silence, as real agents do */
	char comm[8] = "";
	memcpy(comm, m.community, m.community_total);
	int64_t err = 0;
	int contact_oid = tb_snmp_oid_is(&m.vb[0], syscontact, NARC(syscontact));
	const char *val = contact_oid ? contact : mode == AGENT_ECHO ? comm : "scripted agent";
	char setval[TB_SNMP_VALUE_MAX + 1] = "";
	if (m.pdu == TB_SNMP_PDU_SET) {
		memcpy(setval, m.vb[0].value, m.vb[0].value_len);
		val = setval;
		(*sets)++;
		if (!rw) /* what net-snmp answers, v1 and v2c */
			err = m.version == TB_SNMP_V1 ? TB_SNMP_E_NOSUCHNAME : TB_SNMP_E_NOACCESS;
		else if (!contact_oid || mode == AGENT_FIXED)
			err = m.version == TB_SNMP_V1 ? TB_SNMP_E_NOSUCHNAME : TB_SNMP_E_NOTWRITABLE;
		else if (mode == AGENT_NORESTORE && *sets > 1)
			err = 5; /* genErr */
		else if (mode != AGENT_LIAR)
			snprintf(contact, sizeof contact, "%s", setval);
		if (mode == AGENT_SET_MUTE)
			return;
	}
	size_t len = response(m.version, comm, (int32_t)m.request_id, err, m.vb[0].oid, m.vb[0].oid_len,
			      val, b, sizeof b);
	(void)!sendto(s, b, len, 0, (const struct sockaddr *)from, sizeof *from);
}

/* Fork an agent on 127.0.0.1; *port gets its port. */
static pid_t agent_start(enum agent_mode mode, uint16_t *port)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LOOP) };
	socklen_t sl = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0) {
		close(s);
		return pid;
	}
	alarm(30);
	snprintf(contact, sizeof contact, "ops@example.invalid");
	int sets = 0;
	for (;;) {
		uint8_t req[2048];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(s, req, sizeof req, 0, (struct sockaddr *)&from, &fl);
		if (n > 0)
			agent_answer(s, mode, req, (size_t)n, &from, &sets);
	}
}

/* What the agent's sysContact.0 holds now, read with a plain socket. */
static void agent_contact(uint16_t port, char *out, size_t cap)
{
	uint8_t b[1024];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(LOOP) };
	struct timeval tv = { .tv_sec = 2 };
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
	size_t n =
		tb_snmp_build_get(TB_SNMP_V2C, "public", 99, syscontact, NARC(syscontact), b, sizeof b);
	ck_assert_int_eq(sendto(s, b, n, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)n);
	ssize_t got = recv(s, b, sizeof b, 0);
	close(s);
	ck_assert_int_gt(got, 0);
	ck_assert_int_eq(tb_snmp_parse(b, (size_t)got, &m), TB_OK);
	ck_assert_uint_lt(m.vb[0].value_len, cap);
	memcpy(out, m.vb[0].value, m.vb[0].value_len);
	out[m.vb[0].value_len] = '\0';
}

static void agent_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static struct tb_cidr loop_only = { .net = LOOP, .prefix = 32 };
static struct tb_scope scope = { .v = &loop_only, .n = 1 };
static struct tb_ctx ctx;
static struct tb_login_iface ifc;
static struct tb_login_log lg;

static enum tb_login_outcome try_community(struct tb_login_try *t, uint16_t port, const char *comm,
					   int write)
{
	tb_net_init(&ctx.net, &scope, 100000, 500);
	free(ifc.state);
	ifc = (struct tb_login_iface){ .drv = &tb_login_snmp, .addr = LOOP, .port = port };
	tb_login_log_free(&lg);
	*t = (struct tb_login_try){ .ctx = &ctx,
				    .ifc = &ifc,
				    .user = "",
				    .pass = comm,
				    .deadline_ms = tb_now_ms() + 10000,
				    .intrusive_write = write,
				    .log = &lg,
				    .retry_after_s = -1 };
	return tb_login_snmp.attempt(t);
}

static struct tb_login_try t;

START_TEST(read_only_and_read_write_communities)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_RW, &port);
	ck_assert_int_eq(try_community(&t, port, "public", 1), TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(t.detail, "v2c GetResponse: read sysDescr.0 = \"scripted agent\"");
	ck_assert_int_eq(t.can_write, 0);
	ck_assert_str_eq(t.finding,
			 "community 'public' is read-only: SET of sysContact.0 refused (noAccess)");
	ck_assert_uint_gt(t.sentlen, 0);
	ck_assert_uint_gt(t.gotlen, 0);

	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(t.can_write, 1);
	ck_assert_ptr_nonnull(strstr(t.finding,
				     "community 'private' can write: sysContact set to "
				     "trustbench-write-test-"));
	ck_assert_ptr_nonnull(strstr(t.finding, " and restored"));
	char now[256];
	agent_contact(port, now, sizeof now);
	ck_assert_str_eq(now, "ops@example.invalid");
	ck_assert_ptr_nonnull(strstr(lg.buf, "SetRequest"));
	/* Without lab.intrusive nothing is written. */
	ck_assert_int_eq(try_community(&t, port, "private", 0), TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(t.finding, "");
	ck_assert_ptr_null(strstr(lg.buf, "SetRequest"));
	agent_stop(pid);
}
END_TEST

START_TEST(declared_community_stays_out_of_everything)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_RW, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 0), TB_LOGIN_ACCEPTED);
	t.secret = 1;
	ck_assert_int_eq(tb_login_snmp.attempt(&t), TB_LOGIN_ACCEPTED);
	ck_assert_ptr_null(has_bytes(t.sent, t.sentlen, "private", 7));
	ck_assert_ptr_null(has_bytes(t.got, t.gotlen, "private", 7));
	ck_assert_ptr_null(strstr(t.detail, "private"));
	/* The transcript of this attempt (after the first one's lines). */
	const char *second = strstr(lg.buf, "<declared>");
	ck_assert_ptr_nonnull(second);
	ck_assert_ptr_null(strstr(second, "private"));
	agent_stop(pid);
}
END_TEST

START_TEST(declared_community_echoed_in_a_value_is_masked)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_ECHO, &port);
	tb_login_log_free(&lg);
	ck_assert_int_eq(try_community(&t, port, "private", 0), TB_LOGIN_ACCEPTED);
	ck_assert_ptr_nonnull(strstr(t.detail, "\"private\"")); /* not secret: shown */
	tb_login_log_free(&lg);
	t.secret = 1;
	ck_assert_int_eq(tb_login_snmp.attempt(&t), TB_LOGIN_ACCEPTED);
	ck_assert_ptr_null(strstr(t.detail, "private"));
	ck_assert_ptr_null(strstr(lg.buf, "private"));
	ck_assert_ptr_null(has_bytes(t.got, t.gotlen, "private", 7));
	agent_stop(pid);
}
END_TEST

START_TEST(wrong_community_silence_is_rejected)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_RW, &port);
	int64_t t0 = tb_now_ms();
	ck_assert_int_eq(try_community(&t, port, "wrong", 1), TB_LOGIN_REJECTED);
	ck_assert_ptr_nonnull(strstr(t.detail, "drops a wrong community"));
	ck_assert_int_lt(tb_now_ms() - t0, 3000); /* one wait for both versions, twice */
	ck_assert_uint_eq(t.sentlen, 0);
	agent_stop(pid);
}
END_TEST

/* A wrong community is heard only as silence, so its wait is what a wrong
 * guess costs: once the agent has answered (in a millisecond here), the
 * wait is ten times its slowest answer, at least SNMP_WAIT_FLOOR_MS, not
 * the full second of an agent not yet measured. */
START_TEST(wrong_community_after_a_measured_answer_waits_less)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_RW, &port);
	ck_assert_int_eq(try_community(&t, port, "public", 0), TB_LOGIN_ACCEPTED);
	struct tb_login_snmp_state *st = ifc.state;
	ck_assert_ptr_nonnull(st);
	ck_assert_int_lt(st->rtt_ms, 100);
	t.pass = "wrong";
	t.deadline_ms = tb_now_ms() + 10000;
	int64_t t0 = tb_now_ms();
	ck_assert_int_eq(tb_login_snmp.attempt(&t), TB_LOGIN_REJECTED);
	int64_t took = tb_now_ms() - t0;
	ck_assert_int_ge(took, 2 * SNMP_WAIT_FLOOR_MS - 20);
	ck_assert_int_lt(took, 2 * SNMP_WAIT_FLOOR_MS + 400);
	agent_stop(pid);
}
END_TEST

START_TEST(v1_only_agent_is_heard)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_V1_ONLY, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(t.detail, "v1 GetResponse: read sysDescr.0 = \"scripted agent\"");
	ck_assert_int_eq(t.can_write, 1);
	ck_assert_ptr_nonnull(strstr(t.finding, " and restored"));
	ck_assert_int_eq(try_community(&t, port, "public", 1), TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(t.finding,
			 "community 'public' is read-only: SET of sysContact.0 refused (noSuchName)");
	agent_stop(pid);
}
END_TEST

START_TEST(failed_restore_is_reported_loudly)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_NORESTORE, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(t.can_write, 1);
	ck_assert_ptr_nonnull(strstr(t.finding,
				     "NOT restored: original was "
				     "\"ops@example.invalid\" (genErr)"));
	agent_stop(pid);
}
END_TEST

START_TEST(noerror_without_a_change_is_not_write_access)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_LIAR, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(t.can_write, 0);
	ck_assert_str_eq(t.finding,
			 "community 'private' is read-only: SET of sysContact.0 answered "
			 "noError, and it still reads the original");
	agent_stop(pid);
}
END_TEST

START_TEST(unanswered_sets_are_checked_by_reading)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_SET_MUTE, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(t.can_write, 1);
	ck_assert_ptr_nonnull(strstr(t.finding, " and restored"));
	char now[256];
	agent_contact(port, now, sizeof now);
	ck_assert_str_eq(now, "ops@example.invalid");
	agent_stop(pid);
}
END_TEST

START_TEST(not_writable_object_is_not_called_a_read_only_community)
{
	uint16_t port;
	pid_t pid = agent_start(AGENT_FIXED, &port);
	ck_assert_int_eq(try_community(&t, port, "private", 1), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(t.can_write, 0);
	ck_assert_str_eq(t.finding,
			 "community 'private' showed no write access: SET of "
			 "sysContact.0 refused (notWritable); the object itself may be "
			 "read-only on this agent, no other is tried");
	agent_stop(pid);
}
END_TEST

START_TEST(probe_finds_the_agent_and_not_a_closed_port)
{
	uint16_t port;
	char why[256];
	pid_t pid = agent_start(AGENT_RW, &port);
	tb_net_init(&ctx.net, &scope, 100000, 500);
	int64_t rtt = -1;
	ck_assert_int_eq(tb_login_snmp_probe(&ctx, LOOP, port, why, sizeof why, &rtt), 1);
	ck_assert(rtt >= 0 && rtt < 1000);
	ck_assert_ptr_nonnull(strstr(why, "community 'public'"));
	agent_stop(pid);
	/* Now nothing listens there: the kernel's port unreachable. */
	char want[64];
	snprintf(want, sizeof want, "ICMP port unreachable for udp/%u", port);
	ck_assert_int_eq(tb_login_snmp_probe(&ctx, LOOP, port, why, sizeof why, NULL), 0);
	ck_assert_str_eq(why, want);
	ck_assert_int_eq(try_community(&t, port, "public", 0), TB_LOGIN_NOCONNECT);
}
END_TEST

START_TEST(out_of_scope_device_gets_nothing)
{
	ctx = (struct tb_ctx){ 0 };
	tb_net_init(&ctx.net, &scope, 100000, 500);
	ifc = (struct tb_login_iface){ .drv = &tb_login_snmp, .addr = 0xc6120a0au, .port = 161 };
	t = (struct tb_login_try){ .ctx = &ctx,
				   .ifc = &ifc,
				   .user = "",
				   .pass = "public",
				   .deadline_ms = tb_now_ms() + 2000,
				   .retry_after_s = -1 };
	ck_assert_int_eq(tb_login_snmp.attempt(&t), TB_LOGIN_NOCONNECT);
	ck_assert_ptr_nonnull(strstr(t.detail, "not sent"));
	ck_assert_uint_eq(ctx.net.scope_refusals, 1);
}
END_TEST

Suite *login_snmp_suite(void)
{
	Suite *s = suite_create("login_snmp");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, judge_read_accepts_any_response_and_refuses_noaccess);
	tcase_add_test(tc, long_sysdescr_is_cut_in_the_detail);
	tcase_add_test(tc, describe_withholds_a_declared_community);
	tcase_add_test(tc, read_only_and_read_write_communities);
	tcase_add_test(tc, declared_community_stays_out_of_everything);
	tcase_add_test(tc, declared_community_echoed_in_a_value_is_masked);
	tcase_add_test(tc, wrong_community_silence_is_rejected);
	tcase_add_test(tc, wrong_community_after_a_measured_answer_waits_less);
	tcase_add_test(tc, v1_only_agent_is_heard);
	tcase_add_test(tc, failed_restore_is_reported_loudly);
	tcase_add_test(tc, noerror_without_a_change_is_not_write_access);
	tcase_add_test(tc, unanswered_sets_are_checked_by_reading);
	tcase_add_test(tc, not_writable_object_is_not_called_a_read_only_community);
	tcase_add_test(tc, probe_finds_the_agent_and_not_a_closed_port);
	tcase_add_test(tc, out_of_scope_device_gets_nothing);
	suite_add_tcase(s, tc);
	return s;
}
