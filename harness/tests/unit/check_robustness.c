/* check_robustness.c: the robustness family (5.13-1) against fake devices on
 * loopback.  A web server that stops on a negative Content-Length FAILs,
 * with the batch (escaped) and the last input (raw) in the evidence and the
 * seed recorded; one that survives PASSes with the count of inputs and the
 * "presence of faults, never their absence" caveat; one that never answers
 * a valid request is INCONCLUSIVE; an address outside the scope is never
 * connected to.  Plus the liveness answer classifier and the evidence text. */
#define _GNU_SOURCE /* memmem, mkdtemp */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/chk_robustness_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "suites.h"

extern const struct tb_check_family tb_check_robustness;

enum fake { FAKE_ROBUST, FAKE_FRAGILE, FAKE_MUTE };

static int listen_any(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 64), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* One connection: read the head (or until EOF / 1 s), then answer 400.  The
 * fragile server stops listening on a negative Content-Length. */
static void fake_serve(int ls, int c, enum fake how)
{
	static char in[20000];
	size_t n = 0;
	ssize_t r;
	struct timeval tv = { 1, 0 };
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (n < sizeof in - 1 && (r = read(c, in + n, sizeof in - 1 - n)) > 0) {
		n += (size_t)r;
		if (memmem(in, n, "\r\n\r\n", 4))
			break;
	}
	if (how == FAKE_MUTE) {
		close(c);
		return;
	}
	if (how == FAKE_FRAGILE && memmem(in, n, "Content-Length: -", 17)) {
		close(ls);
		close(c);
		_exit(0);
	}
	static const char ans[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
	(void)!write(c, ans, sizeof ans - 1);
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
				fake_serve(ls, c, how);
		}
	}
	close(ls);
	return pid;
}

struct outcome {
	enum tb_verdict v;
	char text[16384]; /* reason and notes */
	char dir[64];     /* the output directory */
	unsigned long connects, refusals;
};

/* Run a robustness case against port; scope_other: the run's scope holds
 * another address than the device's. */
static void run_case(uint16_t port, uint16_t extra, int scope_other, struct outcome *o)
{
	char suite_text[1024], profile_text[1024];
	snprintf(suite_text, sizeof suite_text,
		 "suite: { id: \"a\", title: \"a\" }\n"
		 "groups:\n"
		 "  - provision: \"5.13-1\"\n"
		 "    status: \"M\"\n"
		 "    title: \"t\"\n"
		 "    cases:\n"
		 "      - id: \"5.13-1-2\"\n"
		 "        kind: \"functional\"\n"
		 "        title: \"t\"\n"
		 "        covers: { en-303-645: [\"5.13-1\"] }\n"
		 "        check: { family: \"robustness\", params: { seed: 7, inputs-per-service: 60, "
		 "batch-size: 10, input-timeout-ms: 200, liveness-timeout-ms: 500, time-budget-s: 60 } "
		 "}\n");
	char extra_line[160] = "";
	if (extra)
		snprintf(extra_line, sizeof extra_line,
			 "    - { port: %u, transport: \"tcp\", protocol: \"ssh\", description: "
			 "\"shell\", in-use: true }\n",
			 extra);
	snprintf(profile_text, sizeof profile_text,
		 "profile: { id: \"fake\" }\n"
		 "dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
		 "\"127.0.0.1\" }\n"
		 "lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: true }\n"
		 "declarations:\n"
		 "  services:\n"
		 "    - { port: %u, transport: \"tcp\", protocol: \"http\", description: \"web\", "
		 "in-use: true }\n%s",
		 port, extra_line);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_msg(tb_suite_parse("a.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", profile_text, strlen(profile_text), &p, &d) == TB_OK,
		      "%s", d.msg);
	snprintf(o->dir, sizeof o->dir, "/tmp/tb-robustness-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(o->dir));
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = o->dir };
	struct tb_cidr other = { .net = 0x7f000002, .prefix = 32 };
	struct tb_scope elsewhere = { .v = &other, .n = 1 };
	tb_net_init(&ctx.net, scope_other ? &elsewhere : &p->scope, 10000, 500);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	size_t used = (size_t)snprintf(o->text, sizeof o->text, "%s", r.reason ? r.reason : "");
	for (size_t i = 0; i < r.nev && used < sizeof o->text; i++)
		used += (size_t)snprintf(o->text + used, sizeof o->text - used, "\n%s: %s",
					 r.ev[i].label, r.ev[i].text ? r.ev[i].text : "");
	o->v = r.verdict;
	o->connects = ctx.net.connects;
	o->refusals = ctx.net.scope_refusals;
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

/* Remove a run's output directory. */
static void remove_dir(const char *dir)
{
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[1 << 20];
	*len = fread(buf, 1, sizeof buf - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

START_TEST(fragile_server_fails_with_the_inputs)
{
	uint16_t port;
	pid_t pid = fake_device(FAKE_FRAGILE, &port);
	static struct outcome o;
	run_case(port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_FAIL, "%s", o.text);
	ck_assert_msg(strstr(o.text, "stopped answering (connection refused)"), "%s", o.text);
	ck_assert_msg(strstr(o.text, "of seed 7"), "%s", o.text);
	/* The batch as text, with the seed and the input that did it. */
	char path[256], name[64];
	const char *f = strstr(o.text, "robustness-tcp");
	ck_assert_ptr_nonnull(f);
	snprintf(name, sizeof name, "%.*s", (int)strcspn(f, " ;\n"), f);
	snprintf(path, sizeof path, "%s/evidence/5.13-1-2/%s", o.dir, name);
	size_t len;
	const char *text = slurp(path, &len);
	ck_assert_msg(strstr(text, "seed 7"), "%s", text);
	ck_assert_msg(strstr(text, "\\r\\nContent-Length: -"), "%s", text);
	ck_assert_msg(strstr(o.text, "negative Content-Length"), "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

/* The whole device goes: the web server and the other declared port. */
START_TEST(device_down_on_every_port)
{
	uint16_t port, extra;
	int other = listen_any(&extra);
	pid_t pid = fake_device(FAKE_FRAGILE, &port);
	close(other); /* the child holds it open until it exits */
	static struct outcome o;
	run_case(port, extra, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_FAIL, "%s", o.text);
	ck_assert_msg(strstr(o.text,
			     "the device stopped answering on every port (1 exercised, 1 "
			     "other declared TCP port(s): a crash or a reboot)"),
		      "%s", o.text);
	ck_assert_msg(strstr(o.text, "not exercised: connection refused"), "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

START_TEST(robust_server_passes_with_the_count)
{
	uint16_t port;
	pid_t pid = fake_device(FAKE_ROBUST, &port);
	static struct outcome o;
	run_case(port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_PASS, "%s", o.text);
	ck_assert_msg(strstr(o.text, "survived 60 malformed inputs"), "%s", o.text);
	ck_assert_msg(strstr(o.text, "seed 7"), "%s", o.text);
	ck_assert_msg(strstr(o.text, "presence of faults, never their absence"), "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

START_TEST(mute_server_is_inconclusive)
{
	uint16_t port;
	pid_t pid = fake_device(FAKE_MUTE, &port);
	static struct outcome o;
	run_case(port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_INCONCLUSIVE, "%s", o.text);
	ck_assert_msg(strstr(o.text, "did not answer a valid request"), "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

/* The device's address outside the run's scope: no connection is made. */
START_TEST(out_of_scope_device_is_never_touched)
{
	uint16_t port;
	int ls = listen_any(&port);
	static struct outcome o;
	run_case(port, 0, 1, &o);
	ck_assert_msg(o.v == TB_V_INCONCLUSIVE, "%s", o.text);
	ck_assert_msg(strstr(o.text, "refused by the lab scope check"), "%s", o.text);
	ck_assert_uint_gt(o.refusals, 0);
	fcntl(ls, F_SETFL, O_NONBLOCK);
	ck_assert_int_lt(accept(ls, NULL, NULL), 0); /* nobody knocked */
	ck_assert_int_eq(errno, EAGAIN);
	close(ls);
	remove_dir(o.dir);
}
END_TEST

START_TEST(family_is_intrusive)
{
	ck_assert(tb_check_robustness.flags & TB_FAM_INTRUSIVE);
	ck_assert_ptr_eq(tb_family_find("robustness"), &tb_check_robustness);
}
END_TEST

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

START_TEST(answers_are_classified)
{
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("HTTP/1.1 400 Bad")), 1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("HTTP/1.0 200")), 1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("HTTP/1.1 2")), 0);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("HTT")), 0);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("")), 0);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("SSH-2.0-x")), -1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_HTTP, B("HTTP/1.1 abc")), -1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_MQTT, B("\x20\x02\x00\x05")), 1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_MQTT, B("\x20\x02")), 0);
	ck_assert_int_eq(tb_rb_answered(TB_RB_MQTT, B("\x30\x02")), -1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_MQTT, B("\x20\x05")), -1);
	ck_assert_int_eq(tb_rb_answered(TB_RB_TELNET, B("")), 0);
	ck_assert_int_eq(tb_rb_answered(TB_RB_TELNET, B("\xff\xfb\x01")), 1);
}
END_TEST

START_TEST(batch_text_escapes_every_input)
{
	static const uint8_t in1[] = { 'G', 'E', 'T', 0x00, 0xff, '\r', '\n' };
	struct tb_rb_sent v[2] = { { 40, "invalid bytes", in1, sizeof in1 },
				   { 41, "truncated request", in1, 2 } };
	size_t len;
	char *t = tb_rb_batch_text(99, 80, TB_RB_HTTP, B("GET / HTTP/1.1\r\n\r\n"), v, 2, 500, &len);
	ck_assert_uint_eq(len, strlen(t));
	ck_assert_msg(strstr(t, "seed 99"), "%s", t);
	ck_assert_msg(strstr(t, "tb_mut_input_seed(99, P, i)"), "%s", t);
	ck_assert_msg(strstr(t, "valid request (18 bytes): GET / HTTP/1.1\\r\\n\\r\\n"), "%s", t);
	ck_assert_msg(strstr(t, "input 40: invalid bytes, 7 bytes\nGET\\x00\\xff\\r\\n\n"), "%s", t);
	ck_assert_msg(strstr(t, "input 41: truncated request, 2 bytes\nGE\n"), "%s", t);
	free(t);
}
END_TEST

Suite *robustness_suite(void)
{
	Suite *s = suite_create("robustness");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fragile_server_fails_with_the_inputs);
	tcase_add_test(tc, device_down_on_every_port);
	tcase_add_test(tc, robust_server_passes_with_the_count);
	tcase_add_test(tc, mute_server_is_inconclusive);
	tcase_add_test(tc, out_of_scope_device_is_never_touched);
	tcase_add_test(tc, family_is_intrusive);
	tcase_add_test(tc, answers_are_classified);
	tcase_add_test(tc, batch_text_escapes_every_input);
	suite_add_tcase(s, tc);
	return s;
}
