/* check_httpc_families.c: the HTTP checks against a fake web device on
 * loopback (check_httpc_fake.h), issue 12: a login confirmed after the
 * redirect that follows authentication (lighttpd's 301 /admin -> /admin/),
 * an undeclared 401 admin path found by probing, a redirect to a login
 * page counted as a refusal, and HTTPS spoken to a port declared
 * `tls: true` by default-credentials and http-auth. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/credphase_internal.h"
#include "check/credphase.h"
#include "check/ctx.h"
#include "check/http_common.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "check_httpc_fake.h"
#include "suites.h"

static struct fake_web web;
static struct tb_surface *surface; /* the run's surface given to run_case, or NULL */
static char outdir[] = "/tmp/tb-httpc-XXXXXX";

static void setup(void)
{
	strcpy(outdir, "/tmp/tb-httpc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(outdir));
	fake_web_start(&web);
}

/* Remove dir and the files in it (one level). */
static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void teardown(void)
{
	char dir[128];
	fake_web_stop(&web);
	snprintf(dir, sizeof dir, "%s/evidence/5.1-1-2", outdir);
	rm_dir(dir);
	snprintf(dir, sizeof dir, "%s/evidence", outdir);
	rm_dir(dir);
	rm_dir(outdir);
}

/* Run one case of family with params against a profile whose declarations
 * are decl; the verdict, with the reason and every note joined in text. */
static enum tb_verdict run_case(const char *family, const char *params, const char *decl, char *text,
				size_t textlen)
{
	char suite_text[2048], profile_text[2048];
	snprintf(suite_text, sizeof suite_text,
		 "suite: { id: \"a\", title: \"a\" }\n"
		 "groups:\n"
		 "  - provision: \"5.1-1\"\n"
		 "    status: \"M\"\n"
		 "    title: \"t\"\n"
		 "    cases:\n"
		 "      - id: \"5.1-1-2\"\n"
		 "        kind: \"functional\"\n"
		 "        title: \"t\"\n"
		 "        covers: { en-303-645: [\"5.1-1\"] }\n"
		 "        check: { family: \"%s\", params: { %s } }\n",
		 family, params);
	snprintf(profile_text, sizeof profile_text,
		 "profile: { id: \"fake\" }\n"
		 "dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
		 "\"127.0.0.1\" }\n"
		 "lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: true }\n"
		 "declarations:\n%s",
		 decl);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_msg(tb_suite_parse("a.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", profile_text, strlen(profile_text), &p, &d) == TB_OK,
		      "%s", d.msg);
	static const char list[] = "root\txc3511\nadmin\tadmin\n";
	struct credlist creds = { 0 };
	ck_assert_int_eq(parse_credlist(list, sizeof list - 1, &creds, &d), 0);
	struct credlist communities = { 0 };
	struct tb_cp_lists lists = { .creds = &creds, .communities = &communities };
	s->cases[0].prep = &lists;
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = outdir, .surface = surface };
	tb_net_init(&ctx.net, &p->scope, 1000, 500);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	s->cases[0].prep = NULL;
	size_t used = (size_t)snprintf(text, textlen, "%s", r.reason ? r.reason : "");
	for (size_t i = 0; i < r.nev && used < textlen; i++)
		if (r.ev[i].kind == TB_EV_NOTE)
			used += (size_t)snprintf(text + used, textlen - used, "\n%s", r.ev[i].text);
	enum tb_verdict v = r.verdict;
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	for (size_t i = 0; i < creds.n; i++) {
		free(creds.v[i].user);
		free(creds.v[i].pass);
	}
	free(creds.v);
	return v;
}

static const char dc_params[] = "services: [http], attempt-delay-ms: 0";

/* A Basic resource declared on port, at path. */
static void basic_at(char *out, size_t cap, uint16_t port, const char *path, int tls)
{
	snprintf(out, cap,
		 "  services:\n"
		 "    - { port: %u, transport: \"tcp\", protocol: \"%s\", %sdescription: \"d\", "
		 "purpose: \"p\", in-use: true }\n"
		 "  authentication:\n"
		 "    - { name: \"web\", protocol: \"http-basic\", port: %u, path: \"%s\", password: "
		 "\"user-defined\", generation: \"g\" }\n",
		 port, tls ? "https" : "http", tls ? "tls: true, " : "", port, path);
}

START_TEST(login_confirmed_after_the_redirect_that_follows_authentication)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/admin", 0);
	ck_assert_int_eq(run_case("default-credentials", dc_params, decl, text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "/admin as admin/admin"), "%s", text);
	ck_assert_msg(strstr(text, "/admin/"), "%s", text); /* where it was granted */
}
END_TEST

START_TEST(undeclared_admin_path_that_asks_for_credentials_is_guessed)
{
	char decl[1024], text[16384];
	snprintf(decl, sizeof decl,
		 "  services:\n"
		 "    - { port: %u, transport: \"tcp\", protocol: \"http\", description: \"d\", "
		 "purpose: \"p\", in-use: true }\n",
		 web.port);
	ck_assert_int_eq(run_case("default-credentials", "services: [http], attempt-delay-ms: 0", decl,
				  text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "(found by probing) as admin/admin"), "%s", text);
}
END_TEST

START_TEST(redirect_to_a_login_page_is_not_a_login)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/portal", 0);
	ck_assert_int_eq(run_case("default-credentials",
				  "services: [http], attempt-delay-ms: 0, admin-paths: [\"/portal\"]",
				  decl, text, sizeof text),
			 TB_V_PASS);
	ck_assert_msg(strstr(text, "a page, not a login"), "%s", text);
}
END_TEST

START_TEST(default_credentials_speak_tls_to_a_tls_port)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.tls_port, "/admin", 1);
	ck_assert_int_eq(run_case("default-credentials", dc_params, decl, text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "https/"), "%s", text);
}
END_TEST

START_TEST(http_auth_speaks_tls_to_a_tls_port)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.tls_port, "/admin", 1);
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/admin\", \"/nothing\"]", decl, text,
				  sizeof text),
			 TB_V_PASS);
	ck_assert_msg(strstr(text, "(over TLS): asks for authentication"), "%s", text);
}
END_TEST

/* HTTP Digest (RFC 7616, SHA-256) through the same redirect. */
START_TEST(digest_login_confirmed_after_the_redirect)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/digest", 0);
	ck_assert_int_eq(run_case("default-credentials", dc_params, decl, text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "/digest as admin/admin"), "%s", text);
	ck_assert_msg(strstr(text, "HTTP Digest (SHA-256)"), "%s", text);
	/* the random credential (negative control) and root/xc3511 */
	ck_assert_msg(strstr(text, ": 2 rejected,"), "%s", text);
}
END_TEST

/* Issue 12: a port that the run's exposure sweep identified as TLS is
 * spoken to over TLS although the profile does not declare `tls: true`. */
START_TEST(the_surface_says_tls)
{
	char decl[1024], text[16384];
	struct tb_surface sf = { 0 };
	struct tb_profile prof = { .address = 0x7f000001 };
	struct tb_ctx ctx = { .profile = &prof, .surface = &sf };
	basic_at(decl, sizeof decl, web.tls_port, "/admin", 0);
	struct tb_endpoint *e = tb_surface_endpoint(&sf, "tcp", "127.0.0.1", web.tls_port);
	snprintf(e->protocol, sizeof e->protocol, "tls");
	ck_assert(tb_http_port_tls(&ctx, web.tls_port));
	ck_assert(!tb_http_port_tls(&ctx, web.port));
	surface = &sf;
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/admin\"]", decl, text, sizeof text),
			 TB_V_PASS);
	ck_assert_msg(strstr(text, "(over TLS): asks for authentication"), "%s", text);
	ck_assert_int_eq(run_case("default-credentials", dc_params, decl, text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "https/"), "%s", text);
	surface = NULL;
	/* Another address's TLS port says nothing about the device's. */
	snprintf(e->addr, sizeof e->addr, "127.0.0.2");
	ck_assert(!tb_http_port_tls(&ctx, web.tls_port));
	tb_surface_free(&sf);
}
END_TEST

/* Issue 13: a 200 admin path is judged by what the page grants, not by its
 * status.  A login form asks for authentication; a settings form served to
 * anyone is open.  (Before, any 2xx failed.) */
START_TEST(a_login_form_page_asks_for_authentication)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/formlogin", 0);
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/nothing\"]", decl, text, sizeof text),
			 TB_V_PASS);
	ck_assert_msg(strstr(text, "HTTP 200 without credentials: asks for authentication"), "%s",
		      text);
	ck_assert_msg(strstr(text, "a login form (1 password field"), "%s", text);
}
END_TEST

START_TEST(a_settings_page_without_login_form_is_open)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/open-settings", 0);
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/formlogin\"]", decl, text, sizeof text),
			 TB_V_FAIL);
	ck_assert_msg(strstr(text, "HTTP 200 without credentials: served WITHOUT authentication"), "%s",
		      text);
	ck_assert_msg(strstr(text, "no login form"), "%s", text);
}
END_TEST

/* A redirect to another page that is no login form stays undecided. */
START_TEST(a_redirect_to_another_page_stays_undecided)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/nothing", 0);
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/same\"]", decl, text, sizeof text),
			 TB_V_INCONCLUSIVE); /* /echo: another page, no login form: undecided */
}
END_TEST

/* A redirect from an admin path to a login form page asks for
 * authentication. */
START_TEST(a_redirect_to_a_login_form_asks_for_authentication)
{
	char decl[1024], text[16384];
	basic_at(decl, sizeof decl, web.port, "/nothing", 0);
	ck_assert_int_eq(run_case("http-auth", "paths: [\"/to-login\"]", decl, text, sizeof text),
			 TB_V_PASS);
	ck_assert_msg(strstr(text, "/formlogin: asks for authentication"), "%s", text);
}
END_TEST

START_TEST(same_resource_give_or_take_a_slash)
{
	ck_assert(tb_http_same_resource("/admin", "/admin/"));
	ck_assert(tb_http_same_resource("/admin/", "/admin"));
	ck_assert(tb_http_same_resource("/admin", "/admin"));
	ck_assert(!tb_http_same_resource("/admin", "/login.html"));
	ck_assert(!tb_http_same_resource("/admin", "/admin/x"));
	ck_assert(!tb_http_same_resource("/admin", "/adm"));
}
END_TEST

Suite *httpc_families_suite(void)
{
	Suite *s = suite_create("httpc_families");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, login_confirmed_after_the_redirect_that_follows_authentication);
	tcase_add_test(tc, undeclared_admin_path_that_asks_for_credentials_is_guessed);
	tcase_add_test(tc, redirect_to_a_login_page_is_not_a_login);
	tcase_add_test(tc, default_credentials_speak_tls_to_a_tls_port);
	tcase_add_test(tc, http_auth_speaks_tls_to_a_tls_port);
	tcase_add_test(tc, the_surface_says_tls);
	tcase_add_test(tc, digest_login_confirmed_after_the_redirect);
	tcase_add_test(tc, same_resource_give_or_take_a_slash);
	tcase_add_test(tc, a_login_form_page_asks_for_authentication);
	tcase_add_test(tc, a_settings_page_without_login_form_is_open);
	tcase_add_test(tc, a_redirect_to_another_page_stays_undecided);
	tcase_add_test(tc, a_redirect_to_a_login_form_asks_for_authentication);
	suite_add_tcase(s, tc);
	return s;
}
