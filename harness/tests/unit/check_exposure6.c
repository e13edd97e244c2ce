/* check_exposure6.c: the exposure check sweeps the device's IPv6 addresses
 * too, and a service reachable only over IPv6 is found and judged. */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/ctx.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net6.h"
#include "result/result.h"
#include "suites.h"

static const char suite_fmt[] =
	"suite: { id: \"a\", title: \"a\" }\n"
	"groups:\n"
	"  - provision: \"5.6-1\"\n"
	"    status: \"M\"\n"
	"    title: \"t\"\n"
	"    cases:\n"
	"      - id: \"5.6-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"t\"\n"
	"        covers: { en-303-645: [\"5.6-1\"] }\n"
	"        check: { family: \"exposure\", params: { ports: \"%s\", banner-timeout-ms: 50, "
	"method: \"connect\", udp-ports: \"none\", identify: false } }\n";

/* The IPv4 port is declared; the IPv6 one is not. */
static const char profile_fmt[] =
	"profile: { id: \"six\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"127.0.0.1\"%s }\n"
	"lab: { scope: [\"127.0.0.1/32\"%s], interface: \"lo\", intrusive: false }\n"
	"declarations:\n"
	"  services: [ { port: %u, transport: \"tcp\", protocol: \"x\", description: \"d\", "
	"purpose: \"p\", in-use: true } ]\n";

static int listen_on(int family, uint16_t *port)
{
	int s = socket(family, SOCK_STREAM, 0), one = 1;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		ck_assert_int_eq(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one), 0);
		len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	}
	ck_assert_int_eq(bind(s, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					 : ((struct sockaddr_in *)&ss)->sin_port);
	return s;
}

struct outcome {
	enum tb_verdict verdict;
	char reason[1024], ipv6[512];
};

/* Run the exposure check with the DUT's IPv6 addresses as the runner would
 * have found them.  v6: 0 no IPv6 in the scope; 1 ::1 in the scope and
 * found; 2 ::1 in the scope but nothing found (how says why). */
static void sweep(uint16_t declared, const char *ports, int v6, const char *how, struct outcome *out)
{
	char st[2048], pt[1024], outdir[] = "/tmp/tb-exposure6-XXXXXX";
	snprintf(st, sizeof st, suite_fmt, ports);
	snprintf(pt, sizeof pt, profile_fmt, v6 == 1 ? ", address6: [\"::1\"]" : "",
		 v6 ? ", \"::1/128\"" : "", declared);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_ptr_nonnull(mkdtemp(outdir));
	ck_assert_msg(tb_suite_parse("a.yaml", st, strlen(st), &s, &d) == TB_OK, "%s", d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", pt, strlen(pt), &p, &d) == TB_OK, "%s", d.msg);
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = outdir };
	ctx.scope = p->scope;
	tb_net_init(&ctx.net, &ctx.scope, 100000, 500);
	snprintf(ctx.dut6.how, sizeof ctx.dut6.how, "%s", how);
	for (size_t i = 0; v6 == 1 && i < p->naddress6; i++)
		ck_assert_int_eq(tb_net6_found_add(&ctx.dut6, &ctx.scope, &p->address6[i], 0), 1);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	out->verdict = r.verdict;
	snprintf(out->reason, sizeof out->reason, "%s", r.reason ? r.reason : "");
	out->ipv6[0] = '\0';
	for (size_t i = 0; i < r.nev; i++)
		if (r.ev[i].label && r.ev[i].text && strcmp(r.ev[i].label, "ipv6") == 0)
			snprintf(out->ipv6, sizeof out->ipv6, "%s", r.ev[i].text);
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(a_service_only_over_ipv6_is_found_and_fails)
{
	uint16_t p4, p6;
	int l4 = listen_on(AF_INET, &p4), l6 = listen_on(AF_INET6, &p6);
	char ports[32];
	struct outcome o;
	/* Just the two ports: a range could catch other listeners on this host. */
	snprintf(ports, sizeof ports, "%u,%u", p4 < p6 ? p4 : p6, p4 < p6 ? p6 : p4);
	sweep(p4, ports, 1, "discovered", &o);
	ck_assert_int_eq(o.verdict, TB_V_FAIL);
	char want[64];
	snprintf(want, sizeof want, "%u (undeclared, IPv6 only, at ::1)", p6);
	ck_assert_msg(strstr(o.reason, want) != NULL, "%s", o.reason);
	ck_assert_msg(strstr(o.ipv6, "1 open only over IPv6") != NULL, "%s", o.ipv6);
	/* Without IPv6 in the scope the same device passes on IPv4 alone, and
	 * the evidence says IPv6 was not swept. */
	sweep(p4, ports, 0, "not run", &o);
	ck_assert_int_eq(o.verdict, TB_V_PASS);
	ck_assert_msg(strstr(o.ipv6, "names no IPv6 prefix") != NULL, "%s", o.ipv6);
	close(l4);
	close(l6);
}
END_TEST

START_TEST(ipv6_in_scope_but_no_discovery_is_inconclusive)
{
	uint16_t p4;
	int l4 = listen_on(AF_INET, &p4);
	char ports[16];
	struct outcome o;
	snprintf(ports, sizeof ports, "%u", p4);
	/* The scope names IPv6, but discovery could not run: no PASS. */
	sweep(p4, ports, 2, "not run: no discovery socket", &o);
	ck_assert_int_eq(o.verdict, TB_V_INCONCLUSIVE);
	ck_assert_msg(strstr(o.reason, "no discovery socket") != NULL, "%s", o.reason);
	/* Discovery ran and the device answered from no IPv6 address: it has
	 * none, and IPv4 decides. */
	sweep(p4, ports, 2, "1 echo request(s) to ff02::1 on lo", &o);
	ck_assert_int_eq(o.verdict, TB_V_PASS);
	close(l4);
}
END_TEST

Suite *exposure6_suite(void)
{
	Suite *s = suite_create("exposure6");
	TCase *tc = tcase_create("ipv6");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_service_only_over_ipv6_is_found_and_fails);
	tcase_add_test(tc, ipv6_in_scope_but_no_discovery_is_inconclusive);
	suite_add_tcase(s, tc);
	return s;
}
