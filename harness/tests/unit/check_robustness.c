/* check_robustness.c: the robustness family (5.13-1) against fake devices on
 * loopback.  A web server that stops on a negative Content-Length FAILs,
 * with the batch (escaped) and the last input (raw) in the evidence and the
 * seed recorded; one that survives PASSes with the count of inputs and the
 * "presence of faults, never their absence" caveat; one that never answers
 * a valid request is INCONCLUSIVE; an address outside the scope is never
 * connected to.  The same for CoAP over UDP: a fake CoAP server that goes
 * silent after the reserved nibble 15 FAILs, with the summary table; a
 * robust one PASSes; an out-of-scope one gets no datagram.  Plus the
 * liveness answer classifiers, the evidence text, the CoAP GET and the
 * reboot judgement of two uptime readings. */
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

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "check/chk_robustness_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "suites.h"

extern const struct tb_check_family tb_check_robustness;

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

enum fake { FAKE_ROBUST, FAKE_FRAGILE, FAKE_MUTE, FAKE_LOSSY };

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

/* ---- a fake HTTPS device on loopback ---- */

static SSL_CTX *fake_tls_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *crt = X509_new();
	ck_assert(ctx && key && crt);
	ASN1_INTEGER_set(X509_get_serialNumber(crt), 1);
	X509_gmtime_adj(X509_getm_notBefore(crt), 0);
	X509_gmtime_adj(X509_getm_notAfter(crt), 3600);
	X509_set_pubkey(crt, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(crt), "CN", MBSTRING_ASC,
				   (const unsigned char *)"fake TEST ONLY", -1, -1, 0);
	X509_set_issuer_name(crt, X509_get_subject_name(crt));
	ck_assert(X509_sign(crt, key, EVP_sha256()) > 0);
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, crt), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(crt);
	EVP_PKEY_free(key);
	return ctx;
}

/* Like fake_serve, inside TLS: the head, or the input up to its
 * close_notify, then 400; the fragile one stops on a negative
 * Content-Length. */
static void fake_tls_serve(SSL_CTX *ctx, int ls, int c, enum fake how)
{
	static char in[20000];
	size_t n = 0;
	int r;
	struct timeval tv = { 1, 0 };
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	SSL *ssl = SSL_new(ctx);
	SSL_set_fd(ssl, c);
	if (SSL_accept(ssl) == 1) {
		while (n < sizeof in - 1 && (r = SSL_read(ssl, in + n, (int)(sizeof in - 1 - n))) > 0) {
			n += (size_t)r;
			if (memmem(in, n, "\r\n\r\n", 4))
				break;
		}
		if (how == FAKE_FRAGILE && memmem(in, n, "Content-Length: -", 17)) {
			close(ls);
			close(c);
			_exit(0);
		}
		static const char ans[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
		(void)SSL_write(ssl, ans, sizeof ans - 1);
	}
	SSL_free(ssl);
	close(c);
}

static pid_t fake_tls_device(enum fake how, uint16_t *port)
{
	int ls = listen_any(port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		SSL_CTX *ctx = fake_tls_ctx();
		for (;;) {
			int c = accept(ls, NULL, NULL);
			if (c >= 0)
				fake_tls_serve(ctx, ls, c, how);
		}
	}
	close(ls);
	return pid;
}

/* ---- a fake CoAP device on loopback UDP ---- */

/* Does the datagram carry an option with the reserved nibble 15 (walking
 * options after the token; the payload marker 0xff is no option)? */
static int reserved_nibble(const uint8_t *d, size_t n)
{
	size_t tkl = n ? d[0] & 15u : 0, i = 4 + tkl;
	if (n < 4 || tkl > 8)
		return 0;
	while (i < n && d[i] != 0xff) {
		size_t f[2] = { d[i] >> 4, d[i] & 15u };
		i++;
		for (int k = 0; k < 2; k++) {
			if (f[k] == 15)
				return 1;
			if (f[k] == 13)
				f[k] = i < n ? 13 + d[i++] : 100000;
			else if (f[k] == 14)
				f[k] = i + 1 < n ? (i += 2, 269 + ((size_t)d[i - 2] << 8 | d[i - 1]))
						 : 100000;
		}
		if (f[1] > n - i)
			return 0;
		i += f[1];
	}
	return 0;
}

/* Answers every CON with an ACK 2.05 echoing the token; the fragile one
 * stops answering for good after a reserved nibble; the lossy one loses
 * every other datagram. */
static pid_t fake_coap(enum fake how, uint16_t *port)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid)
		return close(s), pid;
	int wedged = 0;
	for (unsigned k = 0;; k++) {
		uint8_t in[20000], out[64];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t r = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &fl);
		if (r < 4 || (how == FAKE_LOSSY && k % 2 == 0))
			continue;
		wedged |= how == FAKE_FRAGILE && reserved_nibble(in, (size_t)r);
		size_t tkl = in[0] & 15u;
		if (wedged || how == FAKE_MUTE || in[0] >> 4 != 4 || tkl > 8 || (size_t)r < 4 + tkl)
			continue; /* only well-formed CONs get an answer */
		out[0] = (uint8_t)(0x60 | tkl);
		out[1] = 0x45;
		memcpy(out + 2, in + 2, 2 + tkl);
		(void)!sendto(s, out, 4 + tkl, 0, (struct sockaddr *)&from, fl);
	}
}

struct outcome {
	enum tb_verdict v;
	char text[16384]; /* reason and notes */
	char dir[64];     /* the output directory */
	unsigned long connects, refusals;
	char facts[4096]; /* the summary table: "name=value" lines */
};

/* Run a robustness case against port (protocol over transport);
 * scope_other: the run's scope holds another address than the device's. */
static void run_case_on(const char *transport, const char *protocol, uint16_t port, uint16_t extra,
			int scope_other, struct outcome *o)
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
		 "    - { port: %u, transport: \"%s\", protocol: \"%s\", description: \"web\", "
		 "in-use: true%s }\n%s",
		 port, transport, protocol, strcmp(protocol, "https") == 0 ? ", tls: true" : "",
		 extra_line);
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
	size_t fu = 0;
	o->facts[0] = '\0';
	for (size_t i = 0; i < r.nev && used < sizeof o->text; i++) {
		used += (size_t)snprintf(o->text + used, sizeof o->text - used, "\n%s: %s",
					 r.ev[i].label, r.ev[i].text ? r.ev[i].text : "");
		for (size_t k = 0;
		     r.ev[i].kind == TB_EV_SUMMARY && k < r.ev[i].summary->n && fu < sizeof o->facts;
		     k++)
			fu += (size_t)snprintf(o->facts + fu, sizeof o->facts - fu, "%s=%s\n",
					       r.ev[i].summary->name[k], r.ev[i].summary->value[k]);
	}
	o->v = r.verdict;
	o->connects = ctx.net.connects;
	o->refusals = ctx.net.scope_refusals;
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
}

static void run_case(uint16_t port, uint16_t extra, int scope_other, struct outcome *o)
{
	run_case_on("tcp", "http", port, extra, scope_other, o);
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

/* A web server that speaks only TLS (declared tls: true) gets its inputs
 * inside TLS: the fragile one is found, the robust one survives (the
 * campaign once left every TLS service alone). */
START_TEST(tls_services_get_their_inputs_inside_tls)
{
	uint16_t port;
	static struct outcome o;
	pid_t pid = fake_tls_device(FAKE_FRAGILE, &port);
	run_case_on("tcp", "https", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_FAIL, "%s", o.text);
	ck_assert_msg(strstr(o.text, "(http over TLS) stopped answering"), "%s", o.text);
	remove_dir(o.dir);
	pid = fake_tls_device(FAKE_ROBUST, &port);
	run_case_on("tcp", "https", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_PASS, "%s", o.text);
	ck_assert_msg(strstr(o.text, "(http over TLS) 60 inputs"), "%s", o.text);
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

START_TEST(fragile_coap_fails_with_the_summary)
{
	uint16_t port;
	pid_t pid = fake_coap(FAKE_FRAGILE, &port);
	static struct outcome o;
	run_case_on("udp", "coap", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_FAIL, "%s", o.text);
	ck_assert_msg(strstr(o.text,
			     " (coap) stopped answering (no answer to a valid GET within 500 "
			     "ms, sent 3 times (a hang))"),
		      "%s", o.text);
	/* The batch file holds the input that did it. */
	char path[256], name[64];
	const char *f = strstr(o.text, "robustness-udp");
	ck_assert_ptr_nonnull(f);
	snprintf(name, sizeof name, "%.*s", (int)strcspn(f, " ;\n"), f);
	snprintf(path, sizeof path, "%s/evidence/5.13-1-2/%s", o.dir, name);
	size_t len;
	const char *text = slurp(path, &len);
	ck_assert_msg(strstr(text, "sent as one datagram of its own"), "%s", text);
	ck_assert_msg(strstr(text, "of the reserved nibble 15"), "%s", text);
	ck_assert_msg(strstr(o.facts, "seed=7\n"), "%s", o.facts);
	ck_assert_msg(strstr(o.facts, "stopped early=yes: a service stopped answering"), "%s", o.facts);
	ck_assert_msg(strstr(o.facts, "uptime=not exposed: no SNMP agent"), "%s", o.facts);
	ck_assert_msg(strstr(o.facts,
			     "note=robustness testing shows the presence of faults, never "
			     "their absence"),
		      "%s", o.facts);
	ck_assert_msg(strstr(o.facts, " (coap)="), "%s", o.facts); /* inputs to udp/P (coap) */
	remove_dir(o.dir);
}
END_TEST

START_TEST(robust_coap_passes)
{
	uint16_t port;
	pid_t pid = fake_coap(FAKE_ROBUST, &port);
	static struct outcome o;
	run_case_on("udp", "coap", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_PASS, "%s", o.text);
	ck_assert_msg(strstr(o.text, "survived 60 malformed inputs"), "%s", o.text);
	ck_assert_msg(strstr(o.facts, "inputs in all=60\n"), "%s", o.facts);
	ck_assert_msg(strstr(o.facts, "batches=6 (up to 10 inputs each)"), "%s", o.facts);
	ck_assert_msg(strstr(o.facts, "liveness probes=7 "), "%s", o.facts); /* baseline + 6 */
	ck_assert_msg(strstr(o.facts, "stopped early=no: every input was sent"), "%s", o.facts);
	remove_dir(o.dir);
}
END_TEST

/* One lost datagram is not a dead service: the probe's GET is sent again
 * within its deadline. */
START_TEST(lossy_coap_is_not_taken_for_dead)
{
	uint16_t port;
	pid_t pid = fake_coap(FAKE_LOSSY, &port);
	static struct outcome o;
	run_case_on("udp", "coap", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_PASS, "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

/* The CoAP device's address outside the run's scope: not one datagram. */
START_TEST(out_of_scope_coap_gets_no_datagram)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	static struct outcome o;
	run_case_on("udp", "coap", ntohs(sa.sin_port), 0, 1, &o);
	ck_assert_msg(o.v == TB_V_INCONCLUSIVE, "%s", o.text);
	ck_assert_msg(strstr(o.text, "refused by the lab scope check"), "%s", o.text);
	ck_assert_uint_gt(o.refusals, 0);
	uint8_t b[64];
	ck_assert_int_lt(recv(s, b, sizeof b, MSG_DONTWAIT), 0); /* nothing arrived */
	ck_assert_int_eq(errno, EAGAIN);
	close(s);
	remove_dir(o.dir);
}
END_TEST

START_TEST(coap_get_and_its_answers)
{
	static const uint8_t tok[4] = { 't', 'b', 0, 1 }, other[4] = { 't', 'b', 0, 2 };
	uint8_t m[64];
	size_t n = tb_rb_coap_get(0x1234, tok, m, sizeof m);
	ck_assert_uint_eq(n, 25);
	ck_assert(memcmp(m,
			 "\x44\x01\x12\x34tb\x00\x01\xbb.well-known\x04"
			 "core",
			 25) == 0);
	ck_assert_uint_eq(tb_rb_coap_get(1, tok, m, 24), 0); /* too small: nothing */
	/* piggybacked ACK 2.05 / 4.04, separate NON 2.05 with the token: answers */
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x45\x12\x34tb\x00\x01"), 0x1234, tok), 1);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x84\x12\x34tb\x00\x01\xff!"), 0x1234, tok), 1);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x54\x45\x99\x99tb\x00\x01"), 0x1234, tok), 1);
	/* a reset of the GET */
	ck_assert_int_eq(tb_rb_coap_answered(B("\x70\x00\x12\x34"), 0x1234, tok), -1);
	/* not answers: another token, another MID, an empty ACK, too short,
	 * version 2, a request, the token cut off */
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x45\x12\x34tb\x00\x01"), 0x1234, other), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x45\x12\x35tb\x00\x01"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x70\x00\x12\x35"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x60\x00\x12\x34"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x45\x12"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\xa4\x45\x12\x34tb\x00\x01"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x44\x01\x12\x34tb\x00\x01"), 0x1234, tok), 0);
	ck_assert_int_eq(tb_rb_coap_answered(B("\x64\x45\x12\x34tb"), 0x1234, tok), 0);
}
END_TEST

START_TEST(control_url_from_the_description)
{
	char path[64], st[64];
	static const char rel[] =
		"<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:"
		"ContentDirectory:1</serviceType><serviceId>x</serviceId><controlURL>/ctl/cds"
		"</controlURL></service></serviceList></device></root>";
	ck_assert_int_eq(tb_rb_control_url(B(rel), path, sizeof path, st, sizeof st), 1);
	ck_assert_str_eq(path, "/ctl/cds");
	ck_assert_str_eq(st, "urn:schemas-upnp-org:service:ContentDirectory:1");
	/* an absolute URL gives its path */
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:a:1</serviceType><controlURL>"
					     "http://198.18.1.10:5000/up/ctl</controlURL>"),
					   path, sizeof path, st, sizeof st),
			 1);
	ck_assert_str_eq(path, "/up/ctl");
	/* refused: no control URL, one that is cut off, too long, with a quote
	 * or markup (it goes into our XML), relative without '/', empty */
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:a:1</serviceType>"), path, sizeof path,
					   st, sizeof st),
			 0);
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:a:1</serviceType><controlURL>/x"), path,
					   sizeof path, st, sizeof st),
			 0);
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:a:1</serviceType><controlURL>/"
					     "0123456789</controlURL>"),
					   path, 8, st, sizeof st),
			 0);
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:\"a</serviceType><controlURL>/x"
					     "</controlURL>"),
					   path, sizeof path, st, sizeof st),
			 0);
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType>urn:a</serviceType><controlURL>ctl"
					     "</controlURL>"),
					   path, sizeof path, st, sizeof st),
			 0);
	ck_assert_int_eq(tb_rb_control_url(B("<serviceType></serviceType><controlURL>/x"
					     "</controlURL>"),
					   path, sizeof path, st, sizeof st),
			 0);
	/* the request: a POST of GetSystemUpdateID with an honest length */
	uint8_t req[1024];
	size_t n = tb_rb_soap_request("198.18.1.10", 5000, "/ctl/cds", "urn:a:1", req, sizeof req);
	ck_assert_uint_gt(n, 0);
	req[n] = '\0';
	const char *t = (const char *)req;
	ck_assert_msg(strncmp(t, "POST /ctl/cds HTTP/1.1\r\nHost: 198.18.1.10:5000\r\n", 46) == 0, "%s",
		      t);
	ck_assert_msg(strstr(t, "\r\nSOAPAction: \"urn:a:1#GetSystemUpdateID\"\r\n"), "%s", t);
	const char *body = strstr(t, "\r\n\r\n") + 4;
	ck_assert_int_eq(atoi(strstr(t, "Content-Length: ") + 16), (int)strlen(body));
	ck_assert_msg(strstr(body, "<u:GetSystemUpdateID xmlns:u=\"urn:a:1\">"), "%s", body);
	ck_assert_uint_eq(tb_rb_soap_request("198.18.1.10", 5000, "/ctl/cds", "urn:a:1", req, 100), 0);
}
END_TEST

/* A UPnP service whose description gives no control URL: its HTTP server
 * is exercised instead, and the evidence says so. */
START_TEST(upnp_without_control_url_is_exercised_as_http)
{
	uint16_t port;
	pid_t pid = fake_device(FAKE_ROBUST, &port);
	static struct outcome o;
	run_case_on("tcp", "upnp", port, 0, 0, &o);
	stop(pid);
	ck_assert_msg(o.v == TB_V_PASS, "%s", o.text);
	ck_assert_msg(strstr(o.text,
			     "no SOAP control URL in GET /rootDesc.xml (the usual path, not a "
			     "2xx answer): exercised as plain HTTP"),
		      "%s", o.text);
	ck_assert_msg(strstr(o.text, " (http) 60 inputs"), "%s", o.text);
	remove_dir(o.dir);
}
END_TEST

START_TEST(reboot_is_judged_from_the_uptime)
{
	char why[400];
	/* 12.00 s then 42.00 s, 30 s apart: steady */
	ck_assert_int_eq(tb_rb_reboot_judge(1200, 4200, 30000, why, sizeof why), TB_RB_UP_STEADY);
	ck_assert_msg(strstr(why, "no reboot"), "%s", why);
	/* backwards: a reboot */
	ck_assert_int_eq(tb_rb_reboot_judge(500000, 800, 30000, why, sizeof why), TB_RB_UP_REBOOTED);
	ck_assert_msg(strstr(why, "went backwards, from 5000.00 s to 8.00 s"), "%s", why);
	/* forward, but 10 s in 60 s: it started again 10 s ago */
	ck_assert_int_eq(tb_rb_reboot_judge(1000, 2000, 60000, why, sizeof why), TB_RB_UP_REBOOTED);
	ck_assert_msg(strstr(why, "less than the time that passed"), "%s", why);
	/* within the slack (2 s + 10%): steady either way */
	ck_assert_int_eq(tb_rb_reboot_judge(1000, 1000 + 2900 - 450, 29000, why, sizeof why),
			 TB_RB_UP_STEADY);
	ck_assert_int_eq(tb_rb_reboot_judge(1000, 1000 + 2900 + 450, 29000, why, sizeof why),
			 TB_RB_UP_STEADY);
	/* the 2^32 wrap of TimeTicks is no reboot */
	ck_assert_int_eq(tb_rb_reboot_judge(UINT32_MAX - 999, 2000, 30000, why, sizeof why),
			 TB_RB_UP_STEADY);
	ck_assert_msg(strstr(why, "wrap"), "%s", why);
	/* far ahead of the clock: nothing to say */
	ck_assert_int_eq(tb_rb_reboot_judge(1000, 900000, 30000, why, sizeof why), TB_RB_UP_UNKNOWN);
	/* no time at all and the same value: steady */
	ck_assert_int_eq(tb_rb_reboot_judge(7, 7, 0, why, sizeof why), TB_RB_UP_STEADY);
	ck_assert_int_eq(tb_rb_reboot_judge(7, 7, -5, why, sizeof why), TB_RB_UP_STEADY);
}
END_TEST

START_TEST(family_is_intrusive)
{
	ck_assert(tb_check_robustness.flags & TB_FAM_INTRUSIVE);
	ck_assert_ptr_eq(tb_family_find("robustness"), &tb_check_robustness);
}
END_TEST

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
	tcase_add_test(tc, tls_services_get_their_inputs_inside_tls);
	tcase_add_test(tc, mute_server_is_inconclusive);
	tcase_add_test(tc, out_of_scope_device_is_never_touched);
	tcase_add_test(tc, family_is_intrusive);
	tcase_add_test(tc, answers_are_classified);
	tcase_add_test(tc, batch_text_escapes_every_input);
	tcase_add_test(tc, fragile_coap_fails_with_the_summary);
	tcase_add_test(tc, robust_coap_passes);
	tcase_add_test(tc, lossy_coap_is_not_taken_for_dead);
	tcase_add_test(tc, out_of_scope_coap_gets_no_datagram);
	tcase_add_test(tc, coap_get_and_its_answers);
	tcase_add_test(tc, reboot_is_judged_from_the_uptime);
	tcase_add_test(tc, control_url_from_the_description);
	tcase_add_test(tc, upnp_without_control_url_is_exercised_as_http);
	suite_add_tcase(s, tc);
	return s;
}
