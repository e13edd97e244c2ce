/* check_cloud_identity.c: unit tests for the cloud-identity check's pure
 * parts (the judge, every branch; the tally; the secret masker) and its
 * control channel (the scope holding only the cloud's /32, bounded reads). */
#define _GNU_SOURCE /* nftw */
#include <arpa/inet.h>
#include <check.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/chk_cloud_identity_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "result/result.h"
#include "suites.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void add_port(struct tb_ci_phase *ph, uint16_t port, unsigned tried, unsigned accepted,
		     unsigned with_data, uint64_t bytes)
{
	ph->ran = 1;
	ph->ports[ph->nports++] = (struct tb_ci_port){ port, tried, accepted, with_data, bytes };
	ph->events += tried;
	ph->accepted += accepted;
	ph->with_data += with_data;
}

/* A device that refuses every forged certificate on 443 and 8883 and talks
 * to the genuine cloud on both: PASS with a trusted CA. */
static void conforming(struct tb_ci_facts *f)
{
	memset(f, 0, sizeof *f);
	for (int k = 0; k < TB_CI_NFORGED; k++) {
		add_port(&f->forged[k], 443, 2, 0, 0, 0);
		add_port(&f->forged[k], 8883, 1, 0, 0, 0);
	}
	add_port(&f->genuine, 443, 3, 3, 3, 300);
	add_port(&f->genuine, 8883, 1, 1, 1, 40);
	f->trusted_ca = 1;
}

static enum tb_verdict judge(const struct tb_ci_facts *f, char *why)
{
	return tb_ci_judge(f, why, 1024);
}

#define HAS(why, s) ck_assert_msg(strstr(why, s) != NULL, "no '%s' in: %s", s, why)

START_TEST(judge_pass)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	ck_assert_int_eq(judge(&f, why), TB_V_PASS);
	HAS(why, "refused all four");
	HAS(why, "tcp/443, tcp/8883");
}
END_TEST

START_TEST(judge_fail_with_data_names_certificate_port_and_bytes)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	/* expired: a handshake, no data, on 443; untrusted CA: data on 8883. */
	f.forged[TB_CI_EXPIRED].ports[0].accepted = 1;
	f.forged[TB_CI_EXPIRED].accepted = 1;
	f.forged[TB_CI_UNTRUSTED_CA].ports[1] = (struct tb_ci_port){ 8883, 1, 1, 1, 57 };
	f.forged[TB_CI_UNTRUSTED_CA].accepted = 1;
	f.forged[TB_CI_UNTRUSTED_CA].with_data = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_FAIL);
	HAS(why, "(untrusted CA)");
	HAS(why, "tcp/8883: 57 bytes");
	ck_assert_ptr_null(strstr(why, "expired")); /* a silent handshake is no acceptance */
	/* Data over a second forged certificate is named too. */
	f.forged[TB_CI_SELF_SIGNED].ports[0] = (struct tb_ci_port){ 443, 2, 1, 1, 9 };
	f.forged[TB_CI_SELF_SIGNED].accepted = f.forged[TB_CI_SELF_SIGNED].with_data = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_FAIL);
	HAS(why, "(self-signed)");
	HAS(why, "it also sent data over: untrusted CA");
}
END_TEST

/* Regression (found with real curl, real-clients.sh): a client that
 * verifies the chain in the handshake but the name only after it completes
 * the handshake over the wrong-name certificate, then sends nothing.  That
 * was judged a FAIL; it is a refusal when the device does send data to the
 * genuine cloud on that port, and undecidable when it does not. */
START_TEST(judge_a_silent_handshake_is_a_refusal_only_beside_genuine_data)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	f.forged[TB_CI_WRONG_NAME].ports[1].accepted = 1;
	f.forged[TB_CI_WRONG_NAME].accepted = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_PASS);
	HAS(why, "refused all four");
	HAS(why, "1 of the refusals came after a completed handshake");
	f.genuine.ports[1].with_data = 0;
	f.genuine.with_data = 3;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "over a forged certificate (another name) on tcp/8883 and sent nothing");
	HAS(why, "cannot be told");
}
END_TEST

START_TEST(judge_fail_stands_without_trusted_ca_and_without_genuine)
{
	struct tb_ci_facts f;
	char why[1024];
	memset(&f, 0, sizeof f);
	add_port(&f.forged[TB_CI_WRONG_NAME], 443, 1, 1, 1, 10);
	ck_assert_int_eq(judge(&f, why), TB_V_FAIL); /* accepting is proof enough */
	HAS(why, "(another name)");
}
END_TEST

START_TEST(judge_never_called_home)
{
	struct tb_ci_facts f;
	char why[1024];
	memset(&f, 0, sizeof f);
	for (int k = 0; k < TB_CI_NFORGED; k++)
		f.forged[k].ran = 1;
	f.genuine.ran = 1;
	f.trusted_ca = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "never called its cloud");
}
END_TEST

START_TEST(judge_a_forged_phase_without_attempts)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	memset(&f.forged[TB_CI_EXPIRED], 0, sizeof f.forged[0]);
	f.forged[TB_CI_EXPIRED].ran = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "while the expired certificate was presented");
	conforming(&f);
	f.forged[TB_CI_WRONG_NAME].ran = 0; /* never logged (the control channel failed) */
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "another name certificate");
}
END_TEST

START_TEST(judge_genuine_refused_too)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	f.genuine.ports[1].accepted = 0; /* 8883 refused the genuine cloud as well */
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "genuine cloud on tcp/8883 either");
	conforming(&f);
	memset(&f.genuine, 0, sizeof f.genuine);
	f.genuine.ran = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "genuine cloud on tcp/443 either");
}
END_TEST

START_TEST(judge_a_port_not_tried_in_one_phase)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	f.forged[TB_CI_UNTRUSTED_CA].nports = 1; /* only 443 tried */
	f.forged[TB_CI_UNTRUSTED_CA].events = 2;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "did not try tcp/8883 while the untrusted CA certificate");
}
END_TEST

START_TEST(judge_lost_events_and_too_many_ports)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	f.lost = 3;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "3 connection event(s) were lost");
	conforming(&f);
	f.forged[TB_CI_SELF_SIGNED].ports_dropped = 1;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "more than");
}
END_TEST

START_TEST(judge_without_trusted_ca_cannot_pass)
{
	struct tb_ci_facts f;
	char why[1024];
	conforming(&f);
	f.trusted_ca = 0;
	ck_assert_int_eq(judge(&f, why), TB_V_INCONCLUSIVE);
	HAS(why, "name and expiry checks were not tested independently");
}
END_TEST

START_TEST(tally_by_epoch_culprit_prefers_data)
{
	struct tb_clog_event ev[5] = {
		{ .seq = 1, .epoch = 4, .port = 443, .result = TB_CLOG_REFUSED },
		{ .seq = 2, .epoch = 5, .port = 443, .result = TB_CLOG_ACCEPTED },
		{ .seq = 3, .epoch = 5, .port = 8883, .result = TB_CLOG_ACCEPTED, .appbytes = 20 },
		{ .seq = 4, .epoch = 5, .port = 443, .result = TB_CLOG_REFUSED },
		{ .seq = 5, .epoch = 6, .port = 443, .result = TB_CLOG_ACCEPTED, .appbytes = 9 },
	};
	struct tb_ci_phase ph = { .ran = 1, .epoch = 5, .events = 99 };
	tb_ci_tally(&ph, ev, 5);
	ck_assert_int_eq(ph.ran, 1);
	ck_assert_uint_eq(ph.events, 3);
	ck_assert_uint_eq(ph.accepted, 2);
	ck_assert_uint_eq(ph.with_data, 1);
	ck_assert_int_eq(ph.culprit, 2);
	ck_assert_uint_eq(ph.nports, 2);
	ck_assert_uint_eq(ph.ports[0].tried, 2);
	ck_assert_uint_eq(ph.ports[1].appbytes, 20);
	ph.epoch = 4;
	tb_ci_tally(&ph, ev, 5);
	ck_assert_int_eq(ph.culprit, -1);
	ck_assert_uint_eq(ph.events, 1);
}
END_TEST

START_TEST(tally_ports_beyond_the_table)
{
	struct tb_clog_event ev[TB_CI_MAX_PORTS + 2];
	memset(ev, 0, sizeof ev);
	for (size_t i = 0; i < TB_CI_MAX_PORTS + 2; i++)
		ev[i] = (struct tb_clog_event){ .epoch = 1, .port = (uint16_t)(1000 + i) };
	struct tb_ci_phase ph = { .epoch = 1 };
	tb_ci_tally(&ph, ev, TB_CI_MAX_PORTS + 2);
	ck_assert_uint_eq(ph.nports, TB_CI_MAX_PORTS);
	ck_assert_uint_eq(ph.ports_dropped, 2);
}
END_TEST

START_TEST(phase_ends_when_every_known_port_was_tried)
{
	const uint16_t known[] = { 443, 8883 };
	struct tb_clog_event ev[3] = {
		{ .epoch = 2, .port = 443, .result = TB_CLOG_REFUSED },
		{ .epoch = 1, .port = 8883, .result = TB_CLOG_ACCEPTED },
		{ .epoch = 2, .port = 8883, .result = TB_CLOG_REFUSED },
	};
	ck_assert_int_eq(tb_ci_phase_done(known, 0, ev, 3, 2, 0), 0); /* nothing known yet */
	ck_assert_int_eq(tb_ci_phase_done(known, 2, ev, 2, 2, 0), 0); /* 8883 only in epoch 1 */
	ck_assert_int_eq(tb_ci_phase_done(known, 2, ev, 3, 2, 0), 1);
	ck_assert_int_eq(tb_ci_phase_done(known, 2, ev, 3, 2, 1),
			 0); /* genuine: refusals do not count */
	ev[0].result = ev[2].result = TB_CLOG_ACCEPTED;
	ck_assert_int_eq(tb_ci_phase_done(known, 2, ev, 3, 2, 1), 1);
}
END_TEST

static size_t mask(char *s)
{
	return tb_ci_mask_secrets((uint8_t *)s, strlen(s));
}

START_TEST(mask_http_headers_and_query)
{
	char req[] =
		"POST /v1/telemetry?device=cam1&token=s3cr3t HTTP/1.1\r\n"
		"Host: cloud.trustbench.lab\r\n"
		"Authorization: Basic dXNlcjpwYXNz\r\n"
		"X-Device-Token: LEG-0001-abcdef\r\n"
		"Cookie: sid=42\r\n"
		"Content-Length: 9\r\n"
		"\r\n"
		"token: no"; /* the body is not a header */
	ck_assert_uint_eq(mask(req), 4);
	HAS(req, "?device=cam1&token=****** HTTP/1.1\r\n");
	HAS(req, "Host: cloud.trustbench.lab\r\n");
	HAS(req, "Authorization: Basic ************\r\n");
	HAS(req, "X-Device-Token: ***************\r\n");
	HAS(req, "Cookie: ******\r\n");
	HAS(req, "\r\n\r\ntoken: no");
	ck_assert_ptr_null(strstr(req, "s3cr3t"));
	ck_assert_ptr_null(strstr(req, "dXNlcjpwYXNz"));
}
END_TEST

START_TEST(mask_http_cut_short)
{
	char req[] = "GET / HTTP/1.1\r\nX-Api-Key: abcdefgh"; /* cut inside the value */
	ck_assert_uint_eq(mask(req), 1);
	ck_assert_str_eq(req, "GET / HTTP/1.1\r\nX-Api-Key: ********");
}
END_TEST

START_TEST(mask_mqtt_password)
{
	/* CONNECT 3.1.1, flags user+password, client "cam", user "dev", password "hunter22" */
	uint8_t p[] = { 0x10, 30, 0, 4,   'M', 'Q', 'T', 'T', 4,   0xc2, 0,   60,  0,   3,   'c', 'a',
			'm',  0,  3, 'd', 'e', 'v', 0,   8,   'h', 'u',  'n', 't', 'e', 'r', '2', '2' };
	ck_assert_uint_eq(tb_ci_mask_secrets(p, sizeof p), 1);
	ck_assert_mem_eq(p + sizeof p - 8, "********", 8);
	ck_assert_mem_eq(p + 19, "dev", 3); /* the user name stays */
	/* Cut short inside the password: everything after the protocol name goes. */
	uint8_t q[] = { 0x10, 30,  0,   4,   'M', 'Q', 'T', 'T', 4,   0xc2, 0, 60,  0,
			3,    'c', 'a', 'm', 0,   3,   'd', 'e', 'v', 0,    8, 'h', 'u' };
	ck_assert_uint_eq(tb_ci_mask_secrets(q, sizeof q), 1);
	ck_assert_mem_eq(q, "\x10\x1e\x00\x04MQTT", 8);
	for (size_t i = 8; i < sizeof q; i++)
		ck_assert_int_eq(q[i], '*');
}
END_TEST

START_TEST(mask_leaves_other_bytes_alone)
{
	char other[] = "\x16\x03\x01 not a request token=abc";
	char copy[sizeof other];
	memcpy(copy, other, sizeof other);
	ck_assert_uint_eq(mask(other), 0);
	ck_assert_mem_eq(other, copy, sizeof other);
	ck_assert_uint_eq(tb_ci_mask_secrets(NULL, 0), 0);
}
END_TEST

START_TEST(control_channel_refuses_outside_the_clouds_32)
{
	struct tb_ci_ctl c;
	struct tb_diag d = { 0 };
	uint8_t ans[64];
	size_t got = 99;
	tb_ci_ctl_init(&c, IP(198, 18, 9, 1), 7070, 1000);
	ck_assert_ptr_eq(c.net.scope, &c.scope);
	ck_assert_uint_eq(c.scope.n, 1);
	ck_assert_uint_eq(c.scope.v[0].prefix, 32);
	/* The DUT, the harness's end of the cloud link, the next address. */
	const uint32_t outside[] = { IP(198, 18, 1, 10), IP(198, 18, 9, 2), IP(198, 18, 9, 0) };
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(tb_ci_ctl_exchange(&c, outside[i], "GENUINE\n", NULL, 0, 0, ans,
						    sizeof ans, &got, &d),
				 TB_E_SCOPE);
	ck_assert_uint_eq(got, 0);
	ck_assert_uint_eq(c.net.scope_refusals, 3);
	ck_assert_uint_eq(c.net.connects, 0);
}
END_TEST

/* A one-connection fake cloud on loopback: reads the command, answers with
 * reply (repeated `repeat` times), then closes. */
static pid_t fake_cloud(uint16_t *port, const char *reply, int repeat)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	pid_t pid = fork();
	if (pid == 0) {
		char cmd[128];
		int c = accept(fd, NULL, NULL);
		if (read(c, cmd, sizeof cmd) <= 0)
			_exit(1);
		for (int i = 0; i < repeat; i++)
			if (write(c, reply, strlen(reply)) < 0)
				break;
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

START_TEST(control_channel_reads_a_log_on_loopback)
{
	struct tb_ci_ctl c;
	struct tb_diag d = { 0 };
	uint8_t ans[256];
	size_t got = 0;
	uint16_t port;
	static const char reply[] = "EV 0 1 443 refused 0 - eof - 127.0.0.1\nEND 1\n";
	pid_t pid = fake_cloud(&port, reply, 1);
	tb_ci_ctl_init(&c, IP(127, 0, 0, 1), port, 2000);
	ck_assert_int_eq(tb_ci_ctl_exchange(&c, c.addr, "LOG 0\n", NULL, 0, 1, ans, sizeof ans, &got,
					    &d),
			 TB_OK);
	ck_assert_uint_eq(got, strlen(reply));
	ck_assert_mem_eq(ans, reply, got);
	ck_assert_uint_eq(c.net.connects, 1);
	waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(control_channel_bounds_an_endless_answer)
{
	struct tb_ci_ctl c;
	struct tb_diag d = { 0 };
	uint8_t ans[512];
	size_t got = 0;
	uint16_t port;
	pid_t pid = fake_cloud(&port, "EV 0 1 443 refused 0 - eof - 127.0.0.1\n", 1000);
	tb_ci_ctl_init(&c, IP(127, 0, 0, 1), port, 2000);
	ck_assert_int_eq(tb_ci_ctl_exchange(&c, c.addr, "LOG 0\n", NULL, 0, 1, ans, sizeof ans, &got,
					    &d),
			 TB_E_TOOBIG);
	ck_assert_uint_eq(got, sizeof ans);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

/* A scripted fake cloud on loopback: connection i gets its command line
 * written to log_fd (one line each) and answer[i] back; it stops after n. */
static pid_t scripted_cloud(uint16_t *port, const char *const *answer, int n, int log_fd)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(30);
		for (int i = 0; i < n; i++) {
			char line[80];
			size_t got = 0;
			int c = accept(fd, NULL, NULL);
			while (got < sizeof line - 1 && read(c, line + got, 1) == 1 &&
			       line[got] != '\n')
				got++;
			line[got] = '\n';
			if (write(log_fd, line, got + 1) < 0 ||
			    write(c, answer[i], strlen(answer[i])) < 0)
				_exit(1);
			shutdown(c, SHUT_WR);
			char sink[4096]; /* the PEM after PRESENT */
			while (read(c, sink, sizeof sink) > 0)
				;
			close(c);
		}
		_exit(0);
	}
	close(fd);
	return pid;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The whole check against the scripted cloud; the commands it heard in cmds. */
static void run_against(const char *const *answer, int n, struct tb_result *r, char *cmds, size_t cap)
{
	static const char suite_text[] =
		"suite: { id: \"a\", title: \"a\" }\n"
		"groups:\n"
		"  - provision: \"5.5-1\"\n"
		"    status: \"M\"\n"
		"    title: \"t\"\n"
		"    cases:\n"
		"      - id: \"5.5-1-3\"\n"
		"        kind: \"functional\"\n"
		"        title: \"t\"\n"
		"        covers: { en-303-645: [\"5.5-1\"] }\n"
		"        check: { family: \"cloud-identity\", params: { per-certificate-s: 1, "
		"genuine-s: 1 } }\n";
	static const char profile_text[] =
		"profile: { id: \"fake\" }\n"
		"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
		"\"127.0.0.1\" }\n"
		"lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: true }\n"
		"declarations: { services: [] }\n";
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	int pipefd[2];
	uint16_t port;
	char dir[] = "/tmp/tb-cloud-identity-XXXXXX";
	ck_assert_msg(tb_suite_parse("a.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", profile_text, strlen(profile_text), &p, &d) == TB_OK,
		      "%s", d.msg);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = scripted_cloud(&port, answer, n, pipefd[1]);
	close(pipefd[1]);
	/* The loader keeps lab.cloud inside 198.18.0.0/15: loopback by hand. */
	p->cloud = (struct tb_lab_cloud){ .present = 1,
					  .address_text = strdup("127.0.0.1"),
					  .address = IP(127, 0, 0, 1),
					  .name = strdup("cloud.trustbench.lab"),
					  .control_port = port };
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = dir };
	*r = (struct tb_result){ .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], r);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ssize_t got = read(pipefd[0], cmds, cap - 1);
	cmds[got > 0 ? got : 0] = '\0';
	close(pipefd[0]);
	r->tc = NULL; /* the suite goes now */
	tb_profile_free(p);
	tb_suite_free(s);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *note(const struct tb_result *r, const char *label)
{
	for (size_t i = 0; i < r->nev; i++)
		if (r->ev[i].kind == TB_EV_NOTE && strcmp(r->ev[i].label, label) == 0)
			return r->ev[i].text;
	return "";
}

START_TEST(control_failure_mid_way_is_an_error_and_ends_genuine)
{
	/* The cloud's epoch is 0 when the test starts: a connection it accepted
	 * then (under its genuine certificate) is logged during phase 1.  The
	 * second PRESENT fails: the phases never presented must not take those
	 * epoch-0 events for theirs (that was a false FAIL). */
	static const char *const answer[] = {
		"END 0\n",                                              /* LOG 0: the baseline */
		"OK 1\n",                                               /* PRESENT: self-signed */
		"EV 0 0 443 accepted 3 - ok 616263 127.0.0.1\nEND 1\n", /* LOG 0 */
		"ERR no space left\n",                                  /* PRESENT: another name */
		"OK 2\n",                                               /* GENUINE */
	};
	struct tb_result r;
	char cmds[512];
	run_against(answer, 5, &r, cmds, sizeof cmds);
	ck_assert_int_eq(r.verdict, TB_V_ERROR);
	HAS(r.reason, "control channel at 127.0.0.1:");
	HAS(r.reason, "ERR no space left");
	HAS(cmds, "LOG 0\nPRESENT ");
	ck_assert_ptr_nonnull(strstr(cmds, "\nGENUINE\n")); /* and it ends there */
	ck_assert_str_eq(strstr(cmds, "\nGENUINE\n"), "\nGENUINE\n");
	HAS(note(&r, "phase 2: another name certificate"), "not presented");
	HAS(note(&r, "other events"), "1 connection(s)");
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(whole_run_on_a_device_that_accepts)
{
	static const char *const answer[] = {
		"END 5\n",
		"OK 1\n",
		"EV 5 1 8883 accepted 4 cloud.trustbench.lab ok 10020000 127.0.0.1\nEND 6\n",
		"OK 2\n",
		"EV 6 2 8883 accepted 0 - ok - 127.0.0.1\nEND 7\n",
		"OK 3\n",
		"EV 7 3 8883 refused 0 - alert:certificate_expired - 127.0.0.1\nEND 8\n",
		"OK 4\n",
		"EV 8 4 8883 refused 0 - alert:unknown_CA - 127.0.0.1\nEND 9\n",
		"OK 5\n",
		"EV 9 5 8883 accepted 4 - ok 10020000 127.0.0.1\nEND 10\n",
	};
	struct tb_result r;
	char cmds[1024];
	run_against(answer, 11, &r, cmds, sizeof cmds);
	ck_assert_int_eq(r.verdict, TB_V_FAIL);
	HAS(r.reason, "(self-signed)");
	/* another name: a handshake without data, beside data to the genuine
	 * cloud on the same port, is a refusal after the handshake. */
	ck_assert_ptr_null(strstr(r.reason, "another name"));
	HAS(cmds, "LOG 5\nPRESENT ");
	ck_assert_str_eq(strstr(cmds, "GENUINE\nLOG 9\n"), "GENUINE\nLOG 9\n");
	HAS(note(&r, "frames"), "no capture this run");
	HAS(note(&r, "control channel"), "scope 127.0.0.1/32 only: 11 connection(s)");
	tb_result_cleanup(&r);
}
END_TEST

/* Regression: the lab cloud serves every device of the lab; another
 * device's connections (legacy accepting everything) once counted as the
 * DUT's and would have failed it. */
START_TEST(another_clients_connections_are_set_aside)
{
	static const char *const answer[] = {
		"END 5\n",
		"OK 1\n",
		"EV 5 1 8883 accepted 4 - ok 10020000 198.18.1.10\n"
		"EV 6 1 8883 refused 0 - alert:unknown_CA - 127.0.0.1\nEND 7\n",
		"OK 2\n",
		"EV 7 2 8883 accepted 4 - ok 10020000 198.18.1.10\n"
		"EV 8 2 8883 refused 0 - alert:bad_certificate - 127.0.0.1\nEND 9\n",
		"OK 3\n",
		"EV 9 3 8883 refused 0 - alert:certificate_expired - 127.0.0.1\nEND 10\n",
		"OK 4\n",
		"EV 10 4 8883 refused 0 - alert:unknown_CA - 127.0.0.1\nEND 11\n",
		"OK 5\n",
		"EV 11 5 8883 accepted 4 - ok 10020000 127.0.0.1\nEND 12\n",
	};
	struct tb_result r;
	char cmds[1024];
	run_against(answer, 11, &r, cmds, sizeof cmds);
	ck_assert_int_ne(r.verdict, TB_V_FAIL);
	HAS(note(&r, "attribution"), "2 from other clients of the lab cloud were set aside");
	tb_result_cleanup(&r);
}
END_TEST

Suite *cloud_identity_suite(void)
{
	Suite *s = suite_create("cloud_identity");
	TCase *t = tcase_create("judge");
	tcase_add_test(t, judge_pass);
	tcase_add_test(t, judge_fail_with_data_names_certificate_port_and_bytes);
	tcase_add_test(t, judge_a_silent_handshake_is_a_refusal_only_beside_genuine_data);
	tcase_add_test(t, judge_fail_stands_without_trusted_ca_and_without_genuine);
	tcase_add_test(t, judge_never_called_home);
	tcase_add_test(t, judge_a_forged_phase_without_attempts);
	tcase_add_test(t, judge_genuine_refused_too);
	tcase_add_test(t, judge_a_port_not_tried_in_one_phase);
	tcase_add_test(t, judge_lost_events_and_too_many_ports);
	tcase_add_test(t, judge_without_trusted_ca_cannot_pass);
	tcase_add_test(t, tally_by_epoch_culprit_prefers_data);
	tcase_add_test(t, tally_ports_beyond_the_table);
	tcase_add_test(t, phase_ends_when_every_known_port_was_tried);
	suite_add_tcase(s, t);
	TCase *m = tcase_create("mask");
	tcase_add_test(m, mask_http_headers_and_query);
	tcase_add_test(m, mask_http_cut_short);
	tcase_add_test(m, mask_mqtt_password);
	tcase_add_test(m, mask_leaves_other_bytes_alone);
	suite_add_tcase(s, m);
	TCase *n = tcase_create("control");
	tcase_set_timeout(n, 30); /* a whole run: five phases of 1 s */
	tcase_add_test(n, control_channel_refuses_outside_the_clouds_32);
	tcase_add_test(n, control_channel_reads_a_log_on_loopback);
	tcase_add_test(n, control_channel_bounds_an_endless_answer);
	tcase_add_test(n, control_failure_mid_way_is_an_error_and_ends_genuine);
	tcase_add_test(n, whole_run_on_a_device_that_accepts);
	tcase_add_test(n, another_clients_connections_are_set_aside);
	suite_add_tcase(s, n);
	return s;
}
