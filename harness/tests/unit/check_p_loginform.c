/* check_p_loginform.c: the login-form page classifier (proto/p_loginform.h)
 * on pages shaped like those embedded web servers really serve (uhttpd/LuCI
 * and lighttpd login pages, busybox httpd CGI settings pages, status pages),
 * and on hostile input: unterminated tags, comments and quotes, huge pages. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check/chk_http_auth_internal.h"
#include "proto/p_loginform.h"
#include "suites.h"

static enum tb_page_kind kind(const char *page, struct tb_page_facts *f)
{
	return tb_p_login_page((const uint8_t *)page, strlen(page), f);
}

/* A LuCI-style login page (OpenWrt on uhttpd or lighttpd): a token, user
 * name and password, a script that writes markup, a language link. */
static const char luci_login[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<title>Router - LuCI</title><link rel=\"stylesheet\" "
	"href=\"/luci-static/bootstrap/cascade.css\">\n"
	"<style>.cbi-input-password { width: 12em }</style>\n"
	"<script>document.write('<input type=\"password\" id=\"x\">');</script></head>\n"
	"<body class=\"lang_en\"><header><a class=\"brand\" href=\"/\">Router</a></header>\n"
	"<div id=\"maincontent\"><form method=\"post\">\n"
	"<input type=\"hidden\" name=\"token\" value=\"a1b2\">\n"
	"<div class=\"cbi-map\"><h2 name=\"content\">Authorization Required</h2>\n"
	"<div class=\"cbi-value\"><label class=\"cbi-value-title\">Username</label>\n"
	"<input class=\"cbi-input-text\" type=\"text\" name=\"luci_username\" value=\"root\" /></div>\n"
	"<div class=\"cbi-value\"><label class=\"cbi-value-title\">Password</label>\n"
	"<input class=\"cbi-input-text\" type=\"password\" name=\"luci_password\" /></div></div>\n"
	"<div class=\"cbi-page-actions\"><input type=\"submit\" value=\"Login\" class=\"btn\" />\n"
	"<input type=\"reset\" value=\"Reset\" class=\"btn\" /></div></form>\n"
	"<!-- <input type=\"text\" name=\"debug\"> -->\n"
	"<footer><a href=\"https://openwrt.org/\">Powered by LuCI</a></footer></div></body></html>\n";

/* An old camera's login page, upper-case and unquoted, with remember-me. */
static const char camera_login[] =
	"<HTML><HEAD><TITLE>IPCAM</TITLE></HEAD><BODY BGCOLOR=#FFFFFF>\n"
	"<FORM ACTION=/cgi-bin/login.cgi METHOD=POST NAME=f1>\n"
	"<TABLE><TR><TD>User<TD><INPUT NAME=user SIZE=16>\n"
	"<TR><TD>Password<TD><INPUT TYPE=PASSWORD NAME=pwd SIZE=16>\n"
	"<TR><TD><INPUT TYPE=CHECKBOX NAME=remember> Remember me\n"
	"<TR><TD><INPUT TYPE=SUBMIT VALUE=\"Log in\"></TABLE></FORM></BODY></HTML>\n";

/* A busybox httpd CGI page: the device's settings, served to anyone. */
static const char busybox_settings[] =
	"<html><head><title>Camera setup</title></head><body>\n"
	"<h1>Network</h1><form action=\"/cgi-bin/admin.cgi\" method=\"post\">\n"
	"Hostname: <input type=\"text\" name=\"hostname\" value=\"cam-01\"><br>\n"
	"DHCP: <input type=\"checkbox\" name=\"dhcp\" checked><br>\n"
	"Time zone: <select name=\"tz\"><option>UTC</option><option>CET</option></select><br>\n"
	"NTP server: <input name=\"ntp\" value=\"pool.ntp.org\"><br>\n"
	"<input type=\"submit\" value=\"Apply\"></form>\n"
	"<form action=\"/cgi-bin/reboot.cgi\" method=\"post\"><input type=\"submit\" "
	"value=\"Reboot\"></form></body></html>\n";

/* A lighttpd-served status page: no form at all. */
static const char lighttpd_status[] =
	"<html><head><title>Status</title></head><body><h1>Device status</h1>\n"
	"<table><tr><td>Firmware</td><td>2.4.1</td></tr><tr><td>Uptime</td><td>3 days</td></tr>\n"
	"<tr><td>MAC</td><td>00:11:22:33:44:55</td></tr></table>\n"
	"<a href=\"/cgi-bin/admin.cgi\">Settings</a></body></html>\n";

/* Change the admin password: password fields, but no login. */
static const char change_password[] =
	"<html><body><h2>Administrator password</h2><form method=post action=/cgi-bin/pw.cgi>\n"
	"New password <input type=password name=new1><br>\n"
	"Repeat <input type=password name=new2><br>\n"
	"<input type=submit value=Save></form></body></html>\n";

/* A login form beside a Wi-Fi settings form. */
static const char login_and_settings[] =
	"<html><body><form action=/login method=post><input name=u><input type=password name=p>"
	"<input type=submit></form>\n<form action=/wifi method=post>SSID <input name=ssid value=home>"
	"<select name=ch><option>6</option></select><input type=submit></form></body></html>\n";

/* A scripted login without a <form> element. */
static const char formless_login[] =
	"<html><body><div id=login><input id=user type=text placeholder=User>"
	"<input id=pass type='password' placeholder='Password'>"
	"<button onclick='login()'>Sign in</button></div><script src=/app.js></script>"
	"</body></html>\n";

START_TEST(login_pages_are_login_forms)
{
	struct tb_page_facts f;
	ck_assert_int_eq(kind(luci_login, &f), TB_PAGE_LOGIN_FORM);
	ck_assert_uint_eq(f.forms, 1);
	ck_assert_uint_eq(f.password_fields, 1); /* not the script's, not the comment's */
	ck_assert_uint_eq(f.login_forms, 1);
	ck_assert_uint_eq(f.other_controls, 0);
	ck_assert_int_eq(kind(camera_login, &f), TB_PAGE_LOGIN_FORM);
	ck_assert_int_eq(kind(formless_login, &f), TB_PAGE_LOGIN_FORM);
}
END_TEST

START_TEST(admin_pages_are_content)
{
	struct tb_page_facts f;
	ck_assert_int_eq(kind(busybox_settings, &f), TB_PAGE_CONTENT);
	ck_assert_uint_eq(f.forms, 2);
	ck_assert_uint_eq(f.other_controls, 4); /* hostname, dhcp, tz, ntp */
	ck_assert_int_eq(kind(lighttpd_status, &f), TB_PAGE_CONTENT);
	ck_assert_uint_eq(f.forms, 0);
	ck_assert_int_eq(kind(change_password, &f), TB_PAGE_CONTENT);
	ck_assert_uint_eq(f.password_fields, 2);
	ck_assert_int_eq(kind("", &f), TB_PAGE_CONTENT);
	ck_assert_int_eq(kind("{\"password\":\"x\",\"type\":\"password\"}", &f), TB_PAGE_CONTENT);
}
END_TEST

START_TEST(a_login_form_beside_settings_is_mixed)
{
	struct tb_page_facts f;
	ck_assert_int_eq(kind(login_and_settings, &f), TB_PAGE_MIXED);
	ck_assert_uint_eq(f.login_forms, 1);
	ck_assert_uint_eq(f.other_controls, 2);
	/* two login forms: which one grants what is not for the page to say */
	ck_assert_int_eq(kind("<form><input type=password></form><form><input type=password></form>",
			      &f),
			 TB_PAGE_MIXED);
}
END_TEST

START_TEST(hidden_markup_is_not_counted)
{
	struct tb_page_facts f;
	ck_assert_int_eq(kind("<!-- <form><input type=password></form> -->", &f), TB_PAGE_CONTENT);
	ck_assert_int_eq(kind("<style>input[type=password]{}</style><script>var s='<form><input "
			      "type=password>';</script>",
			      &f),
			 TB_PAGE_CONTENT);
	ck_assert_uint_eq(f.password_fields, 0);
	ck_assert_int_eq(
		kind("<form><textarea><input type=password></textarea><input type=password></form>",
		     &f),
		TB_PAGE_CONTENT); /* the textarea is a control, so no login form; its text is not markup
				   */
	ck_assert_uint_eq(f.password_fields, 1);
}
END_TEST

START_TEST(hostile_pages_stay_in_bounds)
{
	static const char *const pages[] = {
		"<",
		"<!",
		"<!--",
		"<!-- -",
		"</",
		"<form",
		"<form ",
		"<input type=",
		"<input type=\"password",
		"<input type='password' name=",
		"<form><input type=password",
		"<script>",
		"<SCRIPT>never closed",
		"<textarea",
		"< form>",
		"<1>",
		"<a b c d=>",
		"<input ===type=password>",
		"<input type = password>",
		"<input typetypetypetypetypetype=password>",
		"<input type=passwordpasswordpasswordpassword>",
	};
	struct tb_page_facts f;
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		enum tb_page_kind k = kind(pages[i], &f);
		ck_assert(k == TB_PAGE_LOGIN_FORM || k == TB_PAGE_CONTENT || k == TB_PAGE_MIXED);
		ck_assert_uint_le(f.tags, 8);
	}
	ck_assert_int_eq(kind("<input type = password>", &f), TB_PAGE_LOGIN_FORM);
	ck_assert_int_eq(kind("<input type=passwordpasswordpasswordpassword>", &f), TB_PAGE_CONTENT);
	ck_assert_int_eq(tb_p_login_page(NULL, 0, &f), TB_PAGE_CONTENT);
	ck_assert_int_eq(tb_p_login_page(NULL, 5, NULL), TB_PAGE_UNJUDGED);
}
END_TEST

START_TEST(huge_pages_are_not_judged)
{
	size_t n = TB_LOGINFORM_MAX_BYTES + 1;
	uint8_t *big = malloc(n);
	struct tb_page_facts f;
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	ck_assert_int_eq(tb_p_login_page(big, n, &f), TB_PAGE_UNJUDGED);
	/* within the size but with more tags than the scan takes */
	for (size_t i = 0; i + 3 <= TB_LOGINFORM_MAX_BYTES; i += 3)
		memcpy(big + i, "<b>", 3);
	ck_assert_int_eq(tb_p_login_page(big, TB_LOGINFORM_MAX_BYTES - TB_LOGINFORM_MAX_BYTES % 3, &f),
			 TB_PAGE_UNJUDGED);
	free(big);
}
END_TEST

/* What http-auth makes of a 2xx page (the status alone used to decide). */
START_TEST(http_auth_judges_the_page_not_the_status)
{
	char why[200];
	ck_assert_int_eq(http_auth_classify_page((const uint8_t *)luci_login, strlen(luci_login), why,
						 sizeof why),
			 1 /* protected */);
	ck_assert_ptr_nonnull(strstr(why, "a login form"));
	ck_assert_int_eq(http_auth_classify_page((const uint8_t *)busybox_settings,
						 strlen(busybox_settings), why, sizeof why),
			 0 /* open */);
	ck_assert_ptr_nonnull(strstr(why, "no login form"));
	ck_assert_int_eq(http_auth_classify_page((const uint8_t *)login_and_settings,
						 strlen(login_and_settings), why, sizeof why),
			 3 /* undecided */);
}
END_TEST

Suite *p_loginform_suite(void)
{
	Suite *s = suite_create("p_loginform");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, login_pages_are_login_forms);
	tcase_add_test(tc, admin_pages_are_content);
	tcase_add_test(tc, a_login_form_beside_settings_is_mixed);
	tcase_add_test(tc, hidden_markup_is_not_counted);
	tcase_add_test(tc, hostile_pages_stay_in_bounds);
	tcase_add_test(tc, huge_pages_are_not_judged);
	tcase_add_test(tc, http_auth_judges_the_page_not_the_status);
	suite_add_tcase(s, tc);
	return s;
}
