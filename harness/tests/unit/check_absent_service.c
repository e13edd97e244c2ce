/* check_absent_service.c: a device that does not run the one protocol a
 * check knows (no MQTT broker) must not make the provision "not applicable":
 * the other interfaces still need judging, so the verdict is needs-examiner.
 * The same holds for a device without an SSH server.
 * The "device" is loopback with nothing listening on the probed port. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/ctx.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "suites.h"

static const char profile_text[] =
	"profile: { id: \"absent\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"127.0.0.1\" }\n"
	"lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: false }\n"
	"declarations: {}\n";

/* A loopback port that nothing listens on (bound, then closed). */
static long unused_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	close(s);
	return ntohs(sa.sin_port);
}

/* Run a one-case suite (family with params) against the loopback "device"
 * and return the verdict; *reason gets a copy of the reason. */
static enum tb_verdict run_family(const char *provision, const char *family, const char *params,
				  char *reason, size_t reasonlen)
{
	char suite_text[1024];
	snprintf(suite_text, sizeof suite_text,
		 "suite: { id: \"a\", title: \"a\" }\n"
		 "groups:\n"
		 "  - provision: \"%s\"\n"
		 "    status: \"M\"\n"
		 "    title: \"t\"\n"
		 "    cases:\n"
		 "      - id: \"%s-2\"\n"
		 "        kind: \"functional\"\n"
		 "        title: \"t\"\n"
		 "        covers: { en-303-645: [\"%s\"] }\n"
		 "        check: { family: \"%s\", params: %s }\n",
		 provision, provision, provision, family, params);
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
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	enum tb_verdict v = r.verdict;
	snprintf(reason, reasonlen, "%s", r.reason ? r.reason : "");
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	return v;
}

START_TEST(no_mqtt_broker_needs_an_examiner)
{
	char params[128], reason[512];
	snprintf(params, sizeof params, "{ ports: [%ld], tls-ports: [%ld] }", unused_port(),
		 unused_port());
	ck_assert_int_eq(run_family("5.5-4", "mqtt", params, reason, sizeof reason), TB_V_EXAMINER);
	ck_assert_ptr_nonnull(strstr(reason, "examiner"));
}
END_TEST

START_TEST(no_ssh_server_needs_an_examiner)
{
	char params[128], reason[512];
	snprintf(params, sizeof params, "{ ports: [%ld] }", unused_port());
	ck_assert_int_eq(run_family("5.1-3", "ssh", params, reason, sizeof reason), TB_V_EXAMINER);
	ck_assert_ptr_nonnull(strstr(reason, "examiner"));
}
END_TEST

Suite *absent_service_suite(void)
{
	Suite *s = suite_create("absent_service");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, no_mqtt_broker_needs_an_examiner);
	tcase_add_test(tc, no_ssh_server_needs_an_examiner);
	suite_add_tcase(s, tc);
	return s;
}
