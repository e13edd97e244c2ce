/* check_mqtt_hangup.c: the mqtt check PASSes only on positive evidence that
 * an MQTT broker refused (issue 9).  A fake "device" on loopback accepts and
 * then closes or resets every connection without an MQTT byte: that is
 * INCONCLUSIVE.  A broker that closes anonymous CONNECTs without CONNACK but
 * answers a CONNECT of unsupported protocol level with CONNACK 1 is shown to
 * be a broker: PASS.  A CONNACK 5 is a PASS as before. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "suites.h"

enum fake { FAKE_CLOSE, FAKE_RESET, FAKE_CLOSING_BROKER, FAKE_REFUSING_BROKER };

static const char profile_text[] =
	"profile: { id: \"fake\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"127.0.0.1\" }\n"
	"lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: false }\n"
	"declarations: {}\n";

static int listen_any(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* One connection of the fake device. */
static void fake_serve(int c, enum fake how)
{
	uint8_t in[256];
	ssize_t n = read(c, in, sizeof in); /* the CONNECT (fits in one read on loopback) */
	if (how == FAKE_RESET) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	} else if (how == FAKE_REFUSING_BROKER) {
		static const uint8_t connack5[] = { 0x20, 0x02, 0x00, 0x05 };
		(void)!write(c, connack5, sizeof connack5);
	} else if (how == FAKE_CLOSING_BROKER && n > 8 && in[8] != 4) {
		/* 3.1.2.2: unsupported protocol level -> CONNACK 1, then close. */
		static const uint8_t connack1[] = { 0x20, 0x02, 0x00, 0x01 };
		(void)!write(c, connack1, sizeof connack1);
	}
	close(c);
}

static pid_t fake_device(enum fake how, uint16_t *port)
{
	int ls = listen_any(port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (;;) {
			int c = accept(ls, NULL, NULL);
			if (c >= 0)
				fake_serve(c, how);
		}
	}
	close(ls);
	return pid;
}

static long unused_port(void)
{
	uint16_t port;
	close(listen_any(&port));
	return port;
}

/* Run the suite's mqtt case against the fake device; the verdict, with the
 * reason and every note joined in text. */
static enum tb_verdict run_mqtt(enum fake how, char *text, size_t textlen)
{
	uint16_t port;
	pid_t pid = fake_device(how, &port);
	char suite_text[1024];
	snprintf(suite_text, sizeof suite_text,
		 "suite: { id: \"a\", title: \"a\" }\n"
		 "groups:\n"
		 "  - provision: \"5.5-4\"\n"
		 "    status: \"M\"\n"
		 "    title: \"t\"\n"
		 "    cases:\n"
		 "      - id: \"5.5-4-2\"\n"
		 "        kind: \"functional\"\n"
		 "        title: \"t\"\n"
		 "        covers: { en-303-645: [\"5.5-4\"] }\n"
		 "        check: { family: \"mqtt\", params: { ports: [%u], tls-ports: [%ld], "
		 "timeout-ms: 1000 } }\n",
		 port, unused_port());
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_msg(tb_suite_parse("a.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_int_eq(tb_profile_parse("p.yaml", profile_text, sizeof profile_text - 1, &p, &d),
			 TB_OK);
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = "/tmp" };
	tb_net_init(&ctx.net, &p->scope, 1000, 500);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	int64_t t0 = tb_now_ms();
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	ck_assert_int_lt(tb_now_ms() - t0, 5000);
	size_t used = (size_t)snprintf(text, textlen, "%s", r.reason ? r.reason : "");
	for (size_t i = 0; i < r.nev && used < textlen; i++)
		if (r.ev[i].kind == TB_EV_NOTE)
			used += (size_t)snprintf(text + used, textlen - used, "\n%s", r.ev[i].text);
	enum tb_verdict v = r.verdict;
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return v;
}

START_TEST(accept_and_close_is_not_a_refusal)
{
	char text[8192];
	ck_assert_int_eq(run_mqtt(FAKE_CLOSE, text, sizeof text), TB_V_INCONCLUSIVE);
	ck_assert_msg(strstr(text, "nothing shows that an MQTT broker refused"), "%s", text);
}
END_TEST

START_TEST(accept_and_reset_is_not_a_refusal)
{
	char text[8192];
	ck_assert_int_eq(run_mqtt(FAKE_RESET, text, sizeof text), TB_V_INCONCLUSIVE);
	ck_assert_msg(strstr(text, "connection reset"), "%s", text);
}
END_TEST

START_TEST(closing_broker_identified_by_its_connack_passes)
{
	char text[8192];
	ck_assert_int_eq(run_mqtt(FAKE_CLOSING_BROKER, text, sizeof text), TB_V_PASS);
	ck_assert_msg(strstr(text, "identified as an MQTT broker"), "%s", text);
}
END_TEST

START_TEST(connack_refusal_passes)
{
	char text[8192];
	ck_assert_int_eq(run_mqtt(FAKE_REFUSING_BROKER, text, sizeof text), TB_V_PASS);
	ck_assert_msg(strstr(text, "CONNACK return code 5 (refused)"), "%s", text);
}
END_TEST

Suite *mqtt_hangup_suite(void)
{
	Suite *s = suite_create("mqtt_hangup");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, accept_and_close_is_not_a_refusal);
	tcase_add_test(tc, accept_and_reset_is_not_a_refusal);
	tcase_add_test(tc, closing_broker_identified_by_its_connack_passes);
	tcase_add_test(tc, connack_refusal_passes);
	suite_add_tcase(s, tc);
	return s;
}
