/* check_profile.c: unit tests for the device profile loader (profile.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/profile.h"
#include "load/suite.h"
#include "suites.h"

#define NAME "profiles/mini.yaml"

/* A small valid profile; each negative test changes one fragment of it. */
static const char base[] =
	"profile:\n"
	"  id: \"mini\"\n"
	"dut:\n"
	"  manufacturer: \"Acme\"\n"
	"  model: \"Cam 1\"\n"
	"  firmware: \"1.0\"\n"
	"  serial: \"S-1\"\n"
	"  address: \"198.18.1.10\"\n"
	"lab:\n"
	"  scope: [\"198.18.1.0/24\"]\n"
	"  interface: \"tb-lab0\"\n"
	"  intrusive: false\n"
	"declarations:\n"
	"  features:\n"
	"    passwords-used: true\n"
	"    telemetry: false\n"
	"  ics:\n"
	"    \"5.3-14\": { support: \"n/a\", justification: \"updatable\" }\n"
	"    \"5.6-1\": { support: \"yes\" }\n"
	"  services:\n"
	"    - { port: 80, transport: \"tcp\", protocol: \"http\", description: \"web\" }\n"
	"    - { port: 53, transport: \"udp\", protocol: \"dns\", in-use: false }\n"
	"  authentication:\n"
	"    - name: \"web\"\n"
	"      protocol: \"http-basic\"\n"
	"      port: 80\n"
	"      path: \"/admin\"\n"
	"      password: \"unique-per-device\"\n"
	"      test-credential: { username: \"admin\", password: \"\" }\n"
	"  support-period:\n"
	"    end: \"2028-02-29\"\n";

static char *subst_in(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "fragment '%s' not in the text", from);
	size_t pre = (size_t)(at - text), fl = strlen(from), tl = strlen(to);
	char *out = malloc(strlen(text) - fl + tl + 1);
	memcpy(out, text, pre);
	memcpy(out + pre, to, tl);
	strcpy(out + pre + tl, at + fl);
	return out;
}

static char *subst(const char *from, const char *to)
{
	return subst_in(base, from, to);
}

static void pos_of(const char *text, const char *needle, unsigned long *line, unsigned long *col)
{
	const char *at = strstr(text, needle);
	ck_assert_msg(at != NULL, "needle '%s' not found", needle);
	*line = 1;
	const char *bol = text;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	*col = (unsigned long)(at - bol) + 1;
}

/* Expect a load error at (the first occurrence of needle) + off columns. */
static void expect_err(int caller, char *text, const char *needle, unsigned long off,
		       const char *phrase)
{
	struct tb_profile *p = (struct tb_profile *)1;
	struct tb_diag d = { 0 };
	unsigned long line, col;
	pos_of(text, needle, &line, &col);
	col += off;
	enum tb_err e = tb_profile_parse(NAME, text, strlen(text), &p, &d);
	ck_assert_msg(e == TB_E_CONFIG, "line %d: expected TB_E_CONFIG, got %d", caller, e);
	ck_assert_msg(p == NULL, "line %d: *out not NULL", caller);
	/* d.file: see diag_file_after_semantic_error. */
	ck_assert_msg(d.line == line && d.col == col, "line %d: expected %lu:%lu, got %lu:%lu (%s)",
		      caller, line, col, d.line, d.col, d.msg);
	ck_assert_msg(strstr(d.msg, phrase) != NULL, "line %d: '%s' not in '%s'", caller, phrase,
		      d.msg);
	free(text);
}
#define EXPECT_ERR(text, needle, phrase) expect_err(__LINE__, text, needle, 0, phrase)
#define EXPECT_ERR_OFF(text, needle, off, phrase) expect_err(__LINE__, text, needle, off, phrase)

static struct tb_profile *load_ok(const char *text)
{
	struct tb_profile *p = NULL;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_profile_parse(NAME, text, strlen(text), &p, &d);
	ck_assert_msg(e == TB_OK, "parse failed: %lu:%lu %s", d.line, d.col, d.msg);
	return p;
}

START_TEST(minimal_valid)
{
	struct tb_profile *p = load_ok(base);
	ck_assert_str_eq(p->path, NAME);
	ck_assert_str_eq(p->id, "mini");
	ck_assert_ptr_null(p->description);
	ck_assert_str_eq(p->manufacturer, "Acme");
	ck_assert_str_eq(p->model, "Cam 1");
	ck_assert_str_eq(p->serial, "S-1");
	ck_assert_str_eq(p->address_text, "198.18.1.10");
	ck_assert_uint_eq(p->address, (198u << 24) | (18u << 16) | (1u << 8) | 10u);
	ck_assert_uint_eq(p->scope.n, 1);
	ck_assert_uint_eq(p->scope.v[0].prefix, 24);
	ck_assert_str_eq(p->interface, "tb-lab0");
	ck_assert_int_eq(p->intrusive, 0);
	ck_assert_int_eq(p->rate_limit, TB_DEFAULT_RATE_LIMIT);
	ck_assert_int_eq(p->connect_timeout_ms, TB_DEFAULT_CONNECT_TIMEOUT_MS);
	ck_assert_uint_eq(p->nfeatures, 2);
	ck_assert_int_eq(p->ics_declared, 1);
	ck_assert_uint_eq(p->nics, 2);
	ck_assert_uint_eq(p->nservices, 2);
	ck_assert_str_eq(p->services[1].transport, "udp");
	ck_assert_int_eq(p->services[1].in_use, 0);
	ck_assert_int_eq(p->services[0].in_use, 1);
	ck_assert_ptr_null(p->services[0].purpose);
	ck_assert_uint_eq(p->nauths, 1);
	ck_assert_str_eq(p->auths[0].protocol, "http-basic");
	ck_assert_int_eq(p->auths[0].port, 80);
	ck_assert_str_eq(p->auths[0].path, "/admin");
	ck_assert_int_eq(p->auths[0].password, TB_PW_UNIQUE);
	ck_assert_int_eq(p->vdp.present, 0);
	ck_assert_int_eq(p->support.present, 1);
	ck_assert_str_eq(p->support.end, "2028-02-29");
	uint8_t sum[32];
	tb_sha256_mem(base, strlen(base), sum);
	ck_assert_mem_eq(p->sha256, sum, 32);
	tb_profile_free(p);
	tb_profile_free(NULL);
}
END_TEST

START_TEST(test_credential_empty_password)
{
	struct tb_profile *p = load_ok(base);
	ck_assert_str_eq(p->auths[0].test_user, "admin");
	ck_assert_ptr_nonnull(p->auths[0].test_pass);
	ck_assert_str_eq(p->auths[0].test_pass, "");
	tb_profile_free(p);
	/* An empty plain password is also the empty string. */
	char *t = subst("password: \"\" }", "password: }");
	p = load_ok(t);
	ck_assert_str_eq(p->auths[0].test_pass, "");
	tb_profile_free(p);
	free(t);
	/* But the username may not be empty. */
	EXPECT_ERR(subst("username: \"admin\"", "username: \"\""), "\"\", password",
		   "test-credential username must not be empty");
	EXPECT_ERR(subst("password: \"\" }", "password: [x] }"), "[x]",
		   "test-credential password must be a scalar");
}
END_TEST

START_TEST(optional_lab_values)
{
	char *t = subst("  intrusive: false\n",
			"  intrusive: true\n  rate-limit: 1\n  connect-timeout-ms: 60000\n");
	struct tb_profile *p = load_ok(t);
	ck_assert_int_eq(p->intrusive, 1);
	ck_assert_int_eq(p->rate_limit, 1);
	ck_assert_int_eq(p->connect_timeout_ms, 60000);
	tb_profile_free(p);
	free(t);
	EXPECT_ERR_OFF(subst("  intrusive: false\n", "  intrusive: false\n  rate-limit: 0\n"),
		       "rate-limit: 0", 12, "lab.rate-limit must be between 1 and 1000000, not 0");
	EXPECT_ERR_OFF(subst("  intrusive: false\n", "  intrusive: false\n  rate-limit: \"5\"\n"),
		       "rate-limit: ", 12, "not a quoted string");
	EXPECT_ERR_OFF(subst("  intrusive: false\n", "  intrusive: false\n  connect-timeout-ms: 5\n"),
		       "connect-timeout-ms: 5", 20, "between 10 and 60000");
	EXPECT_ERR_OFF(subst("  intrusive: false\n", "  intrusive: \"false\"\n"), "intrusive: ", 11,
		       "lab.intrusive must be true or false");
}
END_TEST

START_TEST(address_outside_scope)
{
	/* Reported at lab.scope. */
	char *t = subst("address: \"198.18.1.10\"", "address: \"198.18.2.10\"");
	EXPECT_ERR(t, "[\"198.18.1.0/24\"]", "dut.address 198.18.2.10 is outside lab.scope");
	EXPECT_ERR(subst("address: \"198.18.1.10\"", "address: \"198.18.0.255\""),
		   "[\"198.18.1.0/24\"]", "outside lab.scope");
	/* First and last addresses of the /24 are inside. */
	t = subst("address: \"198.18.1.10\"", "address: \"198.18.1.255\"");
	struct tb_profile *p = load_ok(t);
	tb_profile_free(p);
	free(t);
	t = subst("address: \"198.18.1.10\"", "address: \"198.18.1.0\"");
	p = load_ok(t);
	tb_profile_free(p);
	free(t);
	/* Several scope entries: any of them will do. */
	t = subst("[\"198.18.1.0/24\"]", "[\"198.18.7.7\", \"198.18.1.10/32\"]");
	p = load_ok(t);
	ck_assert_uint_eq(p->scope.n, 2);
	ck_assert_uint_eq(p->scope.v[0].prefix, 32);
	tb_profile_free(p);
	free(t);
}
END_TEST

START_TEST(scope_errors)
{
	EXPECT_ERR(subst("\"198.18.1.0/24\"", "\"198.18.0.0/15\""), "\"198.18.0.0/15\"",
		   "lab.scope[0]: '198.18.0.0/15' is wider than /16");
	EXPECT_ERR(subst("\"198.18.1.0/24\"", "\"0.0.0.0/0\""), "\"0.0.0.0/0\"", "wider than /16");
	EXPECT_ERR(subst("[\"198.18.1.0/24\"]", "[\"198.18.1.0/24\", \"198.18.1.1/24\"]"),
		   "\"198.18.1.1/24\"", "lab.scope[1]: '198.18.1.1/24' has host bits set beyond /24");
	EXPECT_ERR(subst("\"198.18.1.0/24\"", "\"198.18.1.0/33\""), "\"198.18.1.0/33\"",
		   "prefix length must be 0..32");
	EXPECT_ERR(subst("\"198.18.1.0/24\"", "\"198.18.1.0/24x\""), "\"198.18.1.0/24x\"",
		   "prefix length must be 0..32");
	EXPECT_ERR(subst("[\"198.18.1.0/24\"]", "[]"), "[]", "lab.scope is empty");
	EXPECT_ERR(subst("[\"198.18.1.0/24\"]", "\"198.18.1.0/24\""), "\"198.18.1.0/24\"",
		   "lab.scope must be a list, not a scalar");
}
END_TEST

START_TEST(bad_address)
{
	EXPECT_ERR(subst("\"198.18.1.10\"", "\"fd00::10\""), "\"fd00::10\"",
		   "dut.address 'fd00::10' is not an IPv4 address (IPv6 addresses go in dut.address6)");
	EXPECT_ERR(subst("\"198.18.1.10\"", "\"198.18.01.10\""), "\"198.18.01.10\"",
		   "is not an IPv4 address");
	/* Missing dut key: reported at the dut mapping. */
	EXPECT_ERR(subst("  serial: \"S-1\"\n", ""),
		   "manufacturer:", "dut lacks required key 'serial'");
	EXPECT_ERR(subst("  id: \"mini\"\n", "  id: \"mini\"\n  owner: \"x\"\n"), "owner",
		   "unknown key 'owner' in profile");
}
END_TEST

/* lab.cloud and lab.uplink (issue 15): the cloud only in the lab range and
 * never the DUT; the uplink never the lab interface itself. */
START_TEST(lab_cloud_and_uplink)
{
	static const char lab[] = "  intrusive: false\n";
	char *t = subst(lab,
			"  intrusive: true\n"
			"  cloud:\n"
			"    address: \"198.18.9.1\"\n"
			"    name: \"cloud.trustbench.lab\"\n"
			"    control-port: 7070\n"
			"    trusted-ca: { certificate: \"ca.pem\", key: \"ca.key\" }\n"
			"  uplink: { interface: \"tb-cld0\" }\n");
	struct tb_profile *p = load_ok(t);
	ck_assert_int_eq(p->cloud.present, 1);
	ck_assert_uint_eq(p->cloud.address, 0xc6120901u);
	ck_assert_str_eq(p->cloud.name, "cloud.trustbench.lab");
	ck_assert_int_eq(p->cloud.control_port, 7070);
	ck_assert_ptr_nonnull(strstr(p->cloud.ca_cert, "ca.pem"));
	ck_assert_ptr_nonnull(strstr(p->cloud.ca_key, "ca.key"));
	ck_assert_int_eq(p->uplink.present, 1);
	ck_assert_str_eq(p->uplink.interface, "tb-cld0");
	tb_profile_free(p);
	free(t);
	/* Both are optional. */
	p = load_ok(base);
	ck_assert_int_eq(p->cloud.present, 0);
	ck_assert_int_eq(p->uplink.present, 0);
	tb_profile_free(p);
	/* Without trusted-ca the paths stay NULL. */
	t = subst(lab,
		  "  intrusive: false\n  cloud: { address: \"198.19.0.1\", name: \"c.lab\", "
		  "control-port: 1 }\n");
	p = load_ok(t);
	ck_assert_ptr_null(p->cloud.ca_cert);
	ck_assert_ptr_null(p->cloud.ca_key);
	tb_profile_free(p);
	free(t);
	EXPECT_ERR(subst(lab,
			 "  intrusive: false\n  cloud: { address: \"192.0.2.1\", name: \"c\", "
			 "control-port: 7070 }\n"),
		   "\"192.0.2.1\"", "not an IPv4 address in the lab range 198.18.0.0/15");
	EXPECT_ERR(subst(lab,
			 "  intrusive: false\n  cloud: { address: \"198.18.1.10\", name: \"c\", "
			 "control-port: 7070 }\n"),
		   "\"198.18.1.10\", name", "the DUT's own address");
	EXPECT_ERR(subst(lab,
			 "  intrusive: false\n  cloud: { address: \"198.18.9.1\", name: \"a b\", "
			 "control-port: 7070 }\n"),
		   "\"a b\"", "lab.cloud.name 'a b' is not a host name");
	EXPECT_ERR(subst(lab,
			 "  intrusive: false\n  cloud: { address: \"198.18.9.1\", name: \"c\", "
			 "control-port: 0 }\n"),
		   "0 }", "lab.cloud.control-port must be between 1 and 65535");
	EXPECT_ERR(subst(lab,
			 "  intrusive: false\n  cloud: { address: \"198.18.9.1\", name: \"c\" }\n"),
		   "{ address", "control-port");
	EXPECT_ERR(subst(lab, "  intrusive: false\n  uplink: { interface: \"tb-lab0\" }\n"),
		   "\"tb-lab0\" }", "cutting it would cut the harness off the device");
	EXPECT_ERR(subst(lab, "  intrusive: false\n  uplink: { interface: \"a;b\" }\n"), "\"a;b\"",
		   "lab.uplink.interface 'a;b' is not a network interface name");
}
END_TEST

START_TEST(bad_interface)
{
	static const char *const bad[] = { "eth0/1", "tb lab", "a-very-long-ifname", "eth0;rm", NULL };
	for (int i = 0; bad[i]; i++) {
		char to[64], phrase[96];
		snprintf(to, sizeof to, "interface: \"%s\"", bad[i]);
		snprintf(phrase, sizeof phrase, "lab.interface '%s' is not a network interface name",
			 bad[i]);
		EXPECT_ERR_OFF(subst("interface: \"tb-lab0\"", to), to, 11, phrase);
	}
	EXPECT_ERR_OFF(subst("interface: \"tb-lab0\"", "interface: \"\""), "interface: ", 11,
		       "lab.interface must not be empty");
	/* 15 characters is the kernel's limit and accepted. */
	char *t = subst("interface: \"tb-lab0\"", "interface: \"abcdefghij_1.2-\"");
	struct tb_profile *p = load_ok(t);
	ck_assert_str_eq(p->interface, "abcdefghij_1.2-");
	tb_profile_free(p);
	free(t);
}
END_TEST

START_TEST(unknown_feature)
{
	EXPECT_ERR(subst("    telemetry: false\n", "    wifi: false\n"), "wifi",
		   "declarations.features: unknown feature 'wifi'");
	EXPECT_ERR_OFF(subst("    telemetry: false\n", "    telemetry: no\n"), "telemetry: no", 11,
		       "telemetry must be true or false, not 'no'");
}
END_TEST

START_TEST(ics_errors)
{
	EXPECT_ERR(subst("\"5.6-1\": {", "\"5.6\": {"), "\"5.6\"",
		   "declarations.ics: '5.6' is not a provision id");
	EXPECT_ERR_OFF(subst("support: \"yes\"", "support: \"maybe\""), "support: \"maybe\"", 9,
		       "ics support must be one of yes, no, n/a, not 'maybe'");
	EXPECT_ERR(subst("{ support: \"yes\" }", "{ status: \"yes\" }"), "status",
		   "unknown key 'status' in an ICS entry");
	EXPECT_ERR(subst("{ support: \"yes\" }", "\"yes\""), "\"yes\"",
		   "an ICS entry must be a mapping");
	/* Duplicate provision keys are YAML duplicates. */
	EXPECT_ERR(subst("\"5.6-1\": {", "\"5.3-14\": {"), "\"5.3-14\": { support: \"yes\"",
		   "duplicate key '5.3-14'");
}
END_TEST

START_TEST(services_errors)
{
	/* Reported at the second declaration. */
	EXPECT_ERR(subst("{ port: 53, transport: \"udp\"", "{ port: 80, transport: \"tcp\""),
		   "{ port: 80, transport: \"tcp\", protocol: \"dns\"",
		   "declarations.services: tcp port 80 is declared twice");
	EXPECT_ERR_OFF(subst("port: 53,", "port: 0,"), "port: 0,", 6,
		       "service port must be between 1 and 65535, not 0");
	EXPECT_ERR_OFF(subst("transport: \"udp\"", "transport: \"sctp\""), "transport: \"sctp\"", 11,
		       "service transport must be one of tcp, udp, not 'sctp'");
	EXPECT_ERR(subst("{ port: 53, transport: \"udp\", protocol: \"dns\", in-use: false }",
			 "{ port: 53, transport: \"udp\", in-use: false }"),
		   "{ port: 53", "a declared service lacks required key 'protocol'");
	/* The same port number over UDP and TCP is two services. */
	char *t = subst("port: 53,", "port: 80,");
	struct tb_profile *p = load_ok(t);
	ck_assert_uint_eq(p->nservices, 2);
	tb_profile_free(p);
	free(t);
	/* What a service declares it discloses before authentication. */
	t = subst("protocol: \"dns\",", "protocol: \"dns\", discloses: [\"version\", \"mac\"],");
	p = load_ok(t);
	ck_assert_uint_eq(p->services[1].discloses, (1u << TB_DISC_VERSION) | (1u << TB_DISC_MAC));
	ck_assert_uint_eq(p->services[0].discloses, 0);
	tb_profile_free(p);
	free(t);
	EXPECT_ERR(subst("protocol: \"dns\",",
			 "protocol: \"dns\", discloses: [\"model\", \"firmware\"],"),
		   "\"firmware\"", "service discloses: unknown kind 'firmware'");
	EXPECT_ERR(subst("protocol: \"dns\",", "protocol: \"dns\", discloses: \"version\","),
		   "\"version\"", "service discloses");
}
END_TEST

START_TEST(auth_errors)
{
	/* Reported at the authentication entry. */
	EXPECT_ERR(subst("      path: \"/admin\"\n", ""), "name: \"web\"",
		   "authentication 'web': http-basic needs a port and a path starting with /");
	EXPECT_ERR(subst("      path: \"/admin\"\n", "      path: \"admin\"\n"), "name: \"web\"",
		   "http-basic needs a port and a path");
	EXPECT_ERR(subst("      port: 80\n", ""), "name: \"web\"", "http-basic needs a port");
	EXPECT_ERR_OFF(subst("protocol: \"http-basic\"", "protocol: \"kerberos\""),
		       "protocol: \"kerberos\"", 10,
		       "authentication protocol must be one of http-basic, http-digest, http-form, "
		       "telnet, ssh, mqtt, ftp, snmp, rtsp, other, not 'kerberos'");
	EXPECT_ERR_OFF(subst("password: \"unique-per-device\"", "password: \"secret\""),
		       "password: \"secret\"", 10, "authentication password must be one of");
	/* telnet needs no path. */
	char *t = subst("protocol: \"http-basic\"\n      port: 80\n      path: \"/admin\"\n",
			"protocol: \"telnet\"\n");
	struct tb_profile *p = load_ok(t);
	ck_assert_int_eq(p->auths[0].port, 0);
	ck_assert_ptr_null(p->auths[0].path);
	tb_profile_free(p);
	free(t);
}
END_TEST

/* Issue 12: the credential phase logs in over more than HTTP Basic and
 * telnet, so a profile may declare those logins (with a test credential as
 * the positive control); HTTP Digest, like Basic, names its resource. */
START_TEST(auth_protocols)
{
	static const char *const kinds[] = { "ssh", "mqtt", "ftp", "snmp", "rtsp", "other", NULL };
	for (int i = 0; kinds[i]; i++) {
		char to[96];
		snprintf(to, sizeof to, "protocol: \"%s\"\n      port: 80\n", kinds[i]);
		char *t =
			subst("protocol: \"http-basic\"\n      port: 80\n      path: \"/admin\"\n", to);
		struct tb_profile *p = load_ok(t);
		ck_assert_str_eq(p->auths[0].protocol, kinds[i]);
		ck_assert_ptr_null(p->auths[0].path);
		ck_assert_str_eq(p->auths[0].test_user, "admin");
		tb_profile_free(p);
		free(t);
	}
	char *t = subst("protocol: \"http-basic\"", "protocol: \"http-digest\"");
	struct tb_profile *p = load_ok(t);
	ck_assert_str_eq(p->auths[0].protocol, "http-digest");
	ck_assert_str_eq(p->auths[0].path, "/admin");
	tb_profile_free(p);
	free(t);
	t = subst_in(base, "      path: \"/admin\"\n", "");
	char *u = subst_in(t, "protocol: \"http-basic\"", "protocol: \"http-digest\"");
	EXPECT_ERR(u, "name: \"web\"",
		   "authentication 'web': http-digest needs a port and a path starting with /");
	free(t);
}
END_TEST

/* Issue 12: a form login where the profile declares the form: its action
 * (path), its field names, the page a login opens, fixed extra fields. */
#define FORM_OK \
	"protocol: \"http-form\"\n      port: 80\n      path: \"/login.cgi\"\n" \
	"      form: { user-field: \"username\", password-field: \"password\", " \
	"protected-path: \"/settings\", extra: \"submit=Log+in&lang=en\" }\n"
#define BASIC_AUTH "protocol: \"http-basic\"\n      port: 80\n      path: \"/admin\"\n"

static char *form_with(const char *form_line)
{
	char to[400];
	snprintf(to, sizeof to,
		 "protocol: \"http-form\"\n      port: 80\n      path: \"/login.cgi\"\n%s", form_line);
	return subst(BASIC_AUTH, to);
}

START_TEST(auth_http_form)
{
	char *t = subst(BASIC_AUTH, FORM_OK);
	struct tb_profile *p = load_ok(t);
	const struct tb_auth *a = &p->auths[0];
	ck_assert_str_eq(a->protocol, "http-form");
	ck_assert_str_eq(a->path, "/login.cgi");
	ck_assert_str_eq(a->form_user_field, "username");
	ck_assert_str_eq(a->form_pass_field, "password");
	ck_assert_str_eq(a->form_protected, "/settings");
	ck_assert_str_eq(a->form_extra, "submit=Log+in&lang=en");
	tb_profile_free(p);
	free(t);
	/* Without extra; and other protocols have no form fields. */
	p = load_ok(t = form_with("      form: { user-field: \"u\", password-field: \"p\", "
				  "protected-path: \"/\" }\n"));
	ck_assert_ptr_null(p->auths[0].form_extra);
	tb_profile_free(p);
	free(t);
	p = load_ok(base);
	ck_assert_ptr_null(p->auths[0].form_user_field);
	tb_profile_free(p);
}
END_TEST

START_TEST(auth_http_form_errors)
{
	EXPECT_ERR(form_with(""), "name: \"web\"",
		   "authentication 'web': http-form needs a form mapping (user-field, "
		   "password-field, protected-path)");
	EXPECT_ERR(subst(BASIC_AUTH, "protocol: \"http-form\"\n      port: 80\n"), "name: \"web\"",
		   "http-form needs a port and a path starting with / (the form's action)");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", protected-path: \"/s\" }\n"),
		       "form: {", 6, "authentication form lacks required key 'password-field'");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"p\", "
				 "protected-path: \"/s\", colour: \"red\" }\n"),
		       "colour", 0, "colour");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"user name\", password-field: \"p\", "
				 "protected-path: \"/s\" }\n"),
		       "form: {", 6, "authentication 'web': form user-field must be a field name");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"p&x=1\", "
				 "protected-path: \"/s\" }\n"),
		       "form: {", 6, "form password-field must be a field name");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"u\", "
				 "protected-path: \"/s\" }\n"),
		       "form: {", 6, "form user-field and password-field are the same");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"p\", "
				 "protected-path: \"settings\" }\n"),
		       "form: {", 6, "form protected-path must be a path starting with /");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"p\", "
				 "protected-path: \"/s\", extra: \"submit=Log in\" }\n"),
		       "form: {", 6, "form extra must be form-encoded name=value pairs");
	EXPECT_ERR_OFF(form_with("      form: { user-field: \"u\", password-field: \"p\", "
				 "protected-path: \"/s\", extra: \"a=%zz\" }\n"),
		       "form: {", 6, "form extra must be form-encoded");
	/* A form on another protocol is a mistake, said at the form. */
	EXPECT_ERR_OFF(subst("      path: \"/admin\"\n",
			     "      path: \"/admin\"\n      form: { user-field: \"u\" }\n"),
		       "form: {", 6, "authentication 'web': form is only for protocol http-form");
}
END_TEST

START_TEST(support_period_end)
{
	static const char *const bad[] = { "2026-02-30", "2100-02-29", "2026-13-01", "2026-00-10",
					   "2026-04-31", "26-01-01",   "2026/01/01", "2026-1-01x",
					   "1969-12-31", "2026-01-1a", NULL };
	for (int i = 0; bad[i]; i++) {
		char to[64], phrase[96];
		snprintf(to, sizeof to, "end: \"%s\"", bad[i]);
		snprintf(phrase, sizeof phrase, "support-period.end '%s' is not a date YYYY-MM-DD",
			 bad[i]);
		EXPECT_ERR_OFF(subst("end: \"2028-02-29\"", to), to, 5, phrase);
	}
	static const char *const good[] = { "2000-02-29", "2026-12-31", "2024-02-29", NULL };
	for (int i = 0; good[i]; i++) {
		char to[64];
		snprintf(to, sizeof to, "end: \"%s\"", good[i]);
		char *t = subst("end: \"2028-02-29\"", to);
		struct tb_profile *p = load_ok(t);
		ck_assert_str_eq(p->support.end, good[i]);
		tb_profile_free(p);
		free(t);
	}
	EXPECT_ERR(subst("    end: \"2028-02-29\"\n", "    published-at: \"x\"\n"), "published-at",
		   "declarations.support-period lacks required key 'end'");
}
END_TEST

START_TEST(lookups)
{
	struct tb_profile *p = load_ok(base);
	ck_assert_int_eq(tb_profile_feature(p, "passwords-used"), 1);
	ck_assert_int_eq(tb_profile_feature(p, "telemetry"), 0);
	ck_assert_int_eq(tb_profile_feature(p, "debug-interface"), -1);
	const struct tb_ics *ic = tb_profile_ics(p, "5.3-14");
	ck_assert_ptr_nonnull(ic);
	ck_assert_int_eq(ic->support, TB_SUP_NA);
	ck_assert_str_eq(ic->justification, "updatable");
	ic = tb_profile_ics(p, "5.6-1");
	ck_assert_int_eq(ic->support, TB_SUP_YES);
	ck_assert_ptr_null(ic->justification);
	ck_assert_ptr_null(tb_profile_ics(p, "5.1-1"));
	ck_assert(tb_profile_declares_port(p, 80));
	ck_assert(!tb_profile_declares_port(p, 53)); /* udp only */
	ck_assert(!tb_profile_declares_port(p, 81));
	ck_assert_str_eq(tb_support_name(TB_SUP_NA), "n/a");
	ck_assert_str_eq(tb_pwkind_name(TB_PW_UNIVERSAL), "universal-default");
	tb_profile_free(p);

	/* No ics section at all. */
	char *t =
		subst("  ics:\n    \"5.3-14\": { support: \"n/a\", justification: \"updatable\" }\n"
		      "    \"5.6-1\": { support: \"yes\" }\n",
		      "");
	p = load_ok(t);
	ck_assert_int_eq(p->ics_declared, 0);
	ck_assert_ptr_null(tb_profile_ics(p, "5.3-14"));
	tb_profile_free(p);
	free(t);
}
END_TEST

START_TEST(top_level_errors)
{
	EXPECT_ERR(subst("declarations:\n", "extras: 1\ndeclarations:\n"), "extras",
		   "unknown key 'extras' in the profile file");
	EXPECT_ERR(subst("  support-period:\n", "  warranty: 1\n  support-period:\n"), "warranty",
		   "unknown key 'warranty' in declarations");
	EXPECT_ERR(subst("  features:\n    passwords-used: true\n    telemetry: false\n",
			 "  features: [\"telemetry\"]\n"),
		   "[\"telemetry\"]", "declarations.features must be a mapping");
	struct tb_profile *p;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_profile_load("profiles/none.yaml", &p, &d), TB_E_IO);
	ck_assert_ptr_null(p);
}
END_TEST

/* BUG: as in the suite loader, d.file points into the freed YAML document
 * after a semantic error (ASan: heap-use-after-free). */
START_TEST(diag_file_after_semantic_error)
{
	char *t = subst("    telemetry: false\n", "    wifi: false\n");
	struct tb_profile *p;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_profile_parse(NAME, t, strlen(t), &p, &d), TB_E_CONFIG);
	char out[700];
	tb_diag_format(&d, out, sizeof out);
	ck_assert_str_eq(out, "profiles/mini.yaml:16:5: declarations.features: unknown feature 'wifi'");
	free(t);
}
END_TEST

/* base with an IPv6 scope and declared IPv6 addresses. */
static char *with_ipv6(const char *scope, const char *dut_extra)
{
	char to[512];
	snprintf(to, sizeof to, "[\"198.18.1.0/24\", %s]", scope);
	char *t = subst("[\"198.18.1.0/24\"]", to);
	if (!*dut_extra)
		return t;
	char a[512];
	snprintf(a, sizeof a, "  address: \"198.18.1.10\"\n%s", dut_extra);
	char *u = subst_in(t, "  address: \"198.18.1.10\"\n", a);
	free(t);
	return u;
}

START_TEST(ipv6_scope_and_addresses)
{
	char *t = with_ipv6("\"2001:2:0:1::/64\", \"fe80::/64\"",
			    "  address6: [\"2001:2:0:1::10\", \"fe80::10\"]\n");
	struct tb_profile *p = load_ok(t);
	ck_assert_uint_eq(p->scope.n, 1);
	ck_assert_uint_eq(p->scope.n6, 2);
	ck_assert_uint_eq(p->scope.v6[0].prefix, 64);
	ck_assert_uint_eq(p->naddress6, 2);
	char out[TB_ADDR_TEXT];
	tb_addr_format(&p->address6[0], out);
	ck_assert_str_eq(out, "2001:2:0:1::10");
	tb_addr_format(&p->address6[1], out);
	ck_assert_str_eq(out, "fe80::10");
	ck_assert_uint_eq(p->address6[1].scope_id, 0); /* bound at run time */
	ck_assert_int_eq(p->discover_ipv6, 1);         /* default with an IPv6 prefix */
	tb_profile_free(p);
	free(t);
	/* Discovery can be switched off; IPv4-only profiles do not discover. */
	t = with_ipv6("\"2001:2:0:1::/64\"", "  discover-ipv6: false\n");
	p = load_ok(t);
	ck_assert_int_eq(p->discover_ipv6, 0);
	ck_assert_uint_eq(p->naddress6, 0);
	tb_profile_free(p);
	free(t);
	p = load_ok(base);
	ck_assert_int_eq(p->discover_ipv6, 0);
	ck_assert_uint_eq(p->scope.n6, 0);
	tb_profile_free(p);
	/* The loopback, when the scope names it. */
	t = with_ipv6("\"::1\"", "  address6: [\"::1\"]\n");
	p = load_ok(t);
	ck_assert_uint_eq(p->naddress6, 1);
	tb_profile_free(p);
	free(t);
}
END_TEST

START_TEST(ipv6_scope_refusals)
{
	/* Each refused at its scope entry, with the reason. */
	EXPECT_ERR(with_ipv6("\"2001:2::/47\"", ""), "\"2001:2::/47\"",
		   "lab.scope[1]: '2001:2::/47' is wider than /48");
	EXPECT_ERR(with_ipv6("\"2001:db8::/32\"", ""), "\"2001:db8::/32\"",
		   "lab.scope[1]: '2001:db8::/32' is outside the lab's IPv6 ranges (2001:2::/48, "
		   "fe80::/10");
	EXPECT_ERR(with_ipv6("\"2a00:1450:4001:81c::200e\"", ""), "\"2a00:1450",
		   "is outside the lab's IPv6 ranges");
	EXPECT_ERR(with_ipv6("\"fd00::/64\"", ""), "\"fd00::/64\"", "is outside the lab's IPv6 ranges");
	EXPECT_ERR(with_ipv6("\"fe80::/10\"", ""), "\"fe80::/10\"", "is wider than /64");
	EXPECT_ERR(with_ipv6("\"fe80::%tb-lab0/64\"", ""), "\"fe80::%", "names no zone");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::1/64\"", ""), "\"2001:2:0:1::1/64\"",
		   "has host bits set beyond /64");
	EXPECT_ERR(with_ipv6("\"::ffff:198.18.1.0/120\"", ""), "\"::ffff:", "write it as an IPv4 CIDR");
	/* A link-local scope needs the lab interface for its zone. */
	char *t = with_ipv6("\"fe80::/64\"", "");
	char *u = subst_in(t, "  interface: \"tb-lab0\"\n", "");
	free(t);
	EXPECT_ERR(u, "scope:", "lab lacks required key 'interface'");
}
END_TEST

START_TEST(ipv6_address_refusals)
{
	/* Each refused at its entry: which field and why. */
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"2001:2:0:2::10\"]\n"),
		   "\"2001:2:0:2::10\"",
		   "dut.address6[0] 2001:2:0:2::10 is outside lab.scope: the harness may not touch it");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"",
			     "  address6: [\"2001:2:0:1::10\", \"2001:db8::10\"]\n"),
		   "\"2001:db8::10\"", "dut.address6[1] 2001:db8::10 is outside lab.scope");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"fe80::10\"]\n"), "\"fe80::10\"",
		   "dut.address6[0] fe80::10 is outside lab.scope");
	EXPECT_ERR(with_ipv6("\"fe80::/64\"", "  address6: [\"fe80::10%tb-lab0\"]\n"), "\"fe80::10%",
		   "write it without a zone");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"::ffff:198.18.1.10\"]\n"),
		   "\"::ffff:", "is IPv4-mapped: the IPv4 address belongs in dut.address");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"198.18.1.10\"]\n"),
		   "\"198.18.1.10\"]", "dut.address6[0] '198.18.1.10' is not an IPv6 address");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"2001:2:0:1::10/64\"]\n"),
		   "\"2001:2:0:1::10/64\"", "is not an IPv6 address");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"",
			     "  address6: [\"2001:2:0:1::10\", \"2001:2:0:1:0::10\"]\n"),
		   "\"2001:2:0:1:0::10\"", "dut.address6[1] 2001:2:0:1:0::10 is listed twice");
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: \"2001:2:0:1::10\"\n"),
		   "\"2001:2:0:1::10\"", "dut.address6 must be a list");
	/* ::1 only when the scope names it. */
	EXPECT_ERR(with_ipv6("\"2001:2:0:1::/64\"", "  address6: [\"::1\"]\n"), "\"::1\"",
		   "dut.address6[0] ::1 is outside lab.scope");
	/* IPv6 addresses with no IPv6 scope at all. */
	char *t = subst("  address: \"198.18.1.10\"\n",
			"  address: \"198.18.1.10\"\n  address6: [\"2001:2:0:1::10\"]\n");
	EXPECT_ERR(t, "\"2001:2:0:1::10\"", "is outside lab.scope");
	t = subst("  address: \"198.18.1.10\"\n",
		  "  address: \"198.18.1.10\"\n  discover-ipv6: true\n");
	EXPECT_ERR_OFF(t, "discover-ipv6: true", 15,
		       "dut.discover-ipv6 is true but lab.scope has no IPv6 prefix");
	EXPECT_ERR_OFF(with_ipv6("\"2001:2:0:1::/64\"", "  discover-ipv6: \"yes\"\n"),
		       "discover-ipv6: ", 15, "dut.discover-ipv6 must be true or false");
}
END_TEST

Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("loader");
	tcase_add_test(tc, minimal_valid);
	tcase_add_test(tc, test_credential_empty_password);
	tcase_add_test(tc, optional_lab_values);
	tcase_add_test(tc, address_outside_scope);
	tcase_add_test(tc, scope_errors);
	tcase_add_test(tc, bad_address);
	tcase_add_test(tc, bad_interface);
	tcase_add_test(tc, unknown_feature);
	tcase_add_test(tc, ics_errors);
	tcase_add_test(tc, services_errors);
	tcase_add_test(tc, auth_errors);
	tcase_add_test(tc, auth_protocols);
	tcase_add_test(tc, support_period_end);
	tcase_add_test(tc, lookups);
	tcase_add_test(tc, ipv6_scope_and_addresses);
	tcase_add_test(tc, ipv6_scope_refusals);
	tcase_add_test(tc, ipv6_address_refusals);
	tcase_add_test(tc, top_level_errors);
	tcase_add_test(tc, diag_file_after_semantic_error);
	tcase_add_test(tc, auth_http_form);
	tcase_add_test(tc, auth_http_form_errors);
	tcase_add_test(tc, lab_cloud_and_uplink);
	suite_add_tcase(s, tc);
	return s;
}
