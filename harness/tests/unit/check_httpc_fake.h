/* check_httpc_fake.h: a fake web "device" on loopback for the HTTP client
 * and HTTP check tests (check_httpc*.c): plain HTTP on two ports and,
 * optionally, HTTPS with a throw-away self-signed key made at test time.
 *
 * Routes (admin:admin is the good credential):
 *   /admin       401 without it; with it 301 -> /admin/ (like lighttpd)
 *   /admin/      401 without it; 200 with it
 *   /portal      401 without any credential; with any, 301 -> /login.html
 *   /login.html  200 (a login form, served to anyone)
 *   /loop        302 -> /loop, for ever
 *   /out         302 -> http://198.51.100.7/x (outside the scope)
 *   /https       302 -> https://127.0.0.1/x (a form not followed)
 *   /port        302 -> http://127.0.0.1:<second port>/echo
 *   /same        301 -> /echo
 *   /to-login    302 -> /formlogin
 *   /echo        200 "auth=yes" or "auth=no" (was an Authorization sent?)
 *   /formlogin   200 to anyone: an HTML login form (user, password, submit)
 *   /open-settings 200 to anyone: an HTML settings form (no password field)
 *   /digest      401 with a Digest (SHA-256, qop auth) challenge; with a
 *                valid Digest for admin:admin, 301 -> /digest/
 *   /digest/     the same check; 200 with it
 *   anything else 404
 */
#ifndef CHECK_HTTPC_FAKE_H
#define CHECK_HTTPC_FAKE_H

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/httpc.h"

struct fake_web {
	uint16_t port, port2, tls_port;
	pid_t pid;
};

static int fake_listen(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 16), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* The value of Digest parameter name in the request's Authorization line. */
static int digest_param(const char *line, const char *name, char *out, size_t cap)
{
	char key[40];
	snprintf(key, sizeof key, " %s=", name);
	const char *p = strstr(line, key);
	if (!p)
		return 0;
	p += strlen(key);
	int quoted = *p == '"';
	p += quoted;
	size_t n = quoted ? strcspn(p, "\"") : strcspn(p, ",\r");
	if (n >= cap)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

/* Is the request's Digest Authorization right for admin:admin? */
static int digest_ok(const char *head)
{
	const char *line = strstr(head, "\r\nAuthorization: Digest ");
	char uri[256], cnonce[64], nc[16], resp[80], want[1200], wresp[90];
	if (!line || !digest_param(line, "uri", uri, sizeof uri) ||
	    !digest_param(line, "cnonce", cnonce, sizeof cnonce) ||
	    !digest_param(line, "nc", nc, sizeof nc) ||
	    !digest_param(line, "response", resp, sizeof resp))
		return 0;
	struct tb_http_digest d = { .realm = "fake",
				    .nonce = "n0nce",
				    .sha256 = 1,
				    .qop_auth = 1,
				    .user = "admin",
				    .pass = "admin" };
	d.nc = (unsigned)strtoul(nc, NULL, 16) - 1;
	if (tb_http_digest_auth(&d, "GET", uri, cnonce, want, sizeof want))
		return 0;
	snprintf(wresp, sizeof wresp, "response=\"%s\"", resp);
	return strstr(want, wresp) != NULL;
}

/* The answer to one request head. */
static void fake_answer(const char *head, uint16_t port2, char *out, size_t cap)
{
	char path[256] = "", body[512] = "", extra[160] = "";
	int good = strstr(head, "Authorization: Basic YWRtaW46YWRtaW4=\r\n") != NULL;
	int any = strstr(head, "Authorization:") != NULL;
	const char *status = "404 Not Found";
	if (sscanf(head, "GET %255s ", path) != 1)
		path[0] = '\0';
	if (!strcmp(path, "/digest") || !strcmp(path, "/digest/")) {
		if (!digest_ok(head)) {
			status = "401 Unauthorized";
			snprintf(extra, sizeof extra,
				 "WWW-Authenticate: Digest realm=\"fake\", qop=\"auth\", "
				 "algorithm=SHA-256, nonce=\"n0nce\", opaque=\"op\"\r\n");
		} else if (!strcmp(path, "/digest")) {
			status = "301 Moved Permanently";
			snprintf(extra, sizeof extra, "Location: /digest/\r\n");
		} else {
			status = "200 OK";
			snprintf(body, sizeof body, "digest page");
		}
	} else if (!strcmp(path, "/admin") || !strcmp(path, "/admin/") || !strcmp(path, "/portal")) {
		int ok = !strcmp(path, "/portal") ? any : good;
		if (!ok) {
			status = "401 Unauthorized";
			snprintf(extra, sizeof extra, "WWW-Authenticate: Basic realm=\"fake\"\r\n");
		} else if (!strcmp(path, "/admin/")) {
			status = "200 OK";
			snprintf(body, sizeof body, "admin page");
		} else {
			status = "301 Moved Permanently";
			snprintf(extra, sizeof extra, "Location: %s\r\n",
				 !strcmp(path, "/admin") ? "/admin/" : "/login.html");
		}
	} else if (!strcmp(path, "/login.html") || !strcmp(path, "/")) {
		status = "200 OK";
		snprintf(body, sizeof body, "login form");
	} else if (!strcmp(path, "/formlogin") || !strcmp(path, "/open-settings")) {
		/* 200 to anyone: a login form page (asks for authentication), or a
		 * settings page (an admin function served unauthenticated). */
		status = "200 OK";
		snprintf(body, sizeof body, "%s",
			 !strcmp(path, "/formlogin")
				 ? "<html><body><form method=\"post\" action=\"/login.cgi\">"
				   "<input type=\"text\" name=\"user\"><input type=\"password\" "
				   "name=\"pass\"><input type=\"submit\" value=\"Log in\"></form>"
				   "</body></html>"
				 : "<html><body><form method=\"post\" action=\"/apply.cgi\">"
				   "Hostname <input name=\"hostname\" value=\"cam\"><select "
				   "name=\"tz\"><option>UTC</option></select><input type=\"submit\">"
				   "</form></body></html>");
	} else if (!strcmp(path, "/echo")) {
		status = "200 OK";
		snprintf(body, sizeof body, "auth=%s", any ? "yes" : "no");
	} else if (!strcmp(path, "/loop") || !strcmp(path, "/out") || !strcmp(path, "/https") ||
		   !strcmp(path, "/port") || !strcmp(path, "/same") || !strcmp(path, "/to-login")) {
		status = "302 Found";
		if (!strcmp(path, "/port"))
			snprintf(extra, sizeof extra, "Location: http://127.0.0.1:%u/echo\r\n", port2);
		else
			snprintf(extra, sizeof extra, "Location: %s\r\n",
				 !strcmp(path, "/loop")       ? "/loop"
				 : !strcmp(path, "/out")      ? "http://198.51.100.7/x"
				 : !strcmp(path, "/https")    ? "https://127.0.0.1/x"
				 : !strcmp(path, "/to-login") ? "/formlogin"
							      : "/echo");
	}
	snprintf(out, cap, "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 status, extra, strlen(body), body);
}

/* Read a request head through rd (plain read or SSL_read). */
static size_t fake_read_head(int fd, SSL *ssl, char *head, size_t cap)
{
	size_t have = 0;
	head[0] = '\0';
	while (have < cap - 1 && !strstr(head, "\r\n\r\n")) {
		int n = ssl ? SSL_read(ssl, head + have, (int)(cap - 1 - have))
			    : (int)read(fd, head + have, cap - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		head[have] = '\0';
	}
	return have;
}

static void fake_serve(int c, SSL_CTX *tls, uint16_t port2)
{
	char head[4096], out[1024];
	SSL *ssl = NULL;
	if (tls) {
		ssl = SSL_new(tls);
		SSL_set_fd(ssl, c);
		if (SSL_accept(ssl) != 1) {
			SSL_free(ssl);
			close(c);
			return;
		}
	}
	fake_read_head(c, ssl, head, sizeof head);
	fake_answer(head, port2, out, sizeof out);
	if (ssl) {
		SSL_write(ssl, out, (int)strlen(out));
		SSL_shutdown(ssl);
		SSL_free(ssl);
	} else {
		(void)!write(c, out, strlen(out));
	}
	close(c);
}

/* A server context with a fresh P-256 key and a self-signed certificate:
 * made here, for this test only, never written anywhere. */
static SSL_CTX *fake_tls_ctx(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	ck_assert_ptr_nonnull(k);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"test-only", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	ck_assert_int_gt(X509_sign(x, k, EVP_sha256()), 0);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, k), 1);
	X509_free(x);
	EVP_PKEY_free(k);
	return ctx;
}

static void fake_web_start(struct fake_web *w)
{
	int ls[3];
	ls[0] = fake_listen(&w->port);
	ls[1] = fake_listen(&w->port2);
	ls[2] = fake_listen(&w->tls_port);
	SSL_CTX *tls = fake_tls_ctx();
	w->pid = fork();
	ck_assert_int_ge(w->pid, 0);
	if (w->pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		for (;;) {
			struct pollfd p[3];
			for (int i = 0; i < 3; i++)
				p[i] = (struct pollfd){ .fd = ls[i], .events = POLLIN };
			if (poll(p, 3, 1000) <= 0)
				continue;
			for (int i = 0; i < 3; i++) {
				if (!(p[i].revents & POLLIN))
					continue;
				int c = accept(ls[i], NULL, NULL);
				if (c >= 0)
					fake_serve(c, i == 2 ? tls : NULL, w->port2);
			}
		}
	}
	SSL_CTX_free(tls);
	for (int i = 0; i < 3; i++)
		close(ls[i]);
}

static void fake_web_stop(struct fake_web *w)
{
	kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
}

#endif
