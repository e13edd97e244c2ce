/* profile.c: load and validate a device profile (see profile.h). */
#include "load/profile.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/suite.h"
#include "load/yamlx.h"

const char *tb_pwkind_name(enum tb_pwkind k)
{
	switch (k) {
	case TB_PW_USER_DEFINED: return "user-defined";
	case TB_PW_UNIQUE: return "unique-per-device";
	case TB_PW_UNIVERSAL: return "universal-default";
	}
	return "?";
}

const char *tb_support_name(enum tb_support s)
{
	switch (s) {
	case TB_SUP_YES: return "yes";
	case TB_SUP_NO: return "no";
	case TB_SUP_NA: return "n/a";
	}
	return "?";
}

struct ploader {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	struct tb_profile *p;
};

/* Optional string: *out stays NULL when the key is absent. */
static enum tb_err opt_str(struct ploader *L, const struct tb_y_node *m, const char *key,
			   const char *what, char **out)
{
	const struct tb_y_node *n = tb_y_get(m, key);
	*out = NULL;
	if (!n)
		return TB_OK;
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, what, &v, L->d);
	if (!e)
		*out = tb_xstrdup(v);
	return e;
}

static enum tb_err req_str(struct ploader *L, const struct tb_y_node *m, const char *key,
			   const char *what, char **out)
{
	*out = NULL;
	if (!tb_y_get(m, key))
		return tb_y_errd(L->d, L->doc, m, "%s is missing", what);
	return opt_str(L, m, key, what, out);
}

/* One of choices[]; returns its index in *idx. */
static enum tb_err req_choice(struct ploader *L, const struct tb_y_node *m, const char *key,
			      const char *what, const char *const *choices, int *idx)
{
	const struct tb_y_node *n = tb_y_get(m, key);
	const char *v;
	*idx = -1;
	if (!n)
		return tb_y_errd(L->d, L->doc, m, "%s is missing", what);
	enum tb_err e = tb_y_str(L->doc, n, what, &v, L->d);
	if (e)
		return e;
	for (int i = 0; choices[i]; i++)
		if (strcmp(choices[i], v) == 0) {
			*idx = i;
			return TB_OK;
		}
	char list[160] = "";
	size_t used = 0;
	for (int i = 0; choices[i]; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", choices[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	return tb_y_errd(L->d, L->doc, n, "%s must be one of %s, not '%s'", what, list, v);
}

static enum tb_err load_ident(struct ploader *L, const struct tb_y_node *root)
{
	static const char *const preq[] = { "id", NULL };
	static const char *const popt[] = { "description", NULL };
	static const char *const dreq[] = { "manufacturer", "model",   "firmware",
					    "serial",       "address", NULL };
	static const char *const dopt[] = { "address6", "discover-ipv6", NULL };
	struct tb_profile *p = L->p;
	const struct tb_y_node *pm = tb_y_get(root, "profile"), *dm = tb_y_get(root, "dut");
	enum tb_err e = tb_y_keys(L->doc, pm, "profile", popt, preq, L->d);
	if (!e)
		e = req_str(L, pm, "id", "profile.id", &p->id);
	if (!e)
		e = opt_str(L, pm, "description", "profile.description", &p->description);
	if (!e)
		e = tb_y_keys(L->doc, dm, "dut", dopt, dreq, L->d);
	if (!e)
		e = req_str(L, dm, "manufacturer", "dut.manufacturer", &p->manufacturer);
	if (!e)
		e = req_str(L, dm, "model", "dut.model", &p->model);
	if (!e)
		e = req_str(L, dm, "firmware", "dut.firmware", &p->firmware);
	if (!e)
		e = req_str(L, dm, "serial", "dut.serial", &p->serial);
	if (!e)
		e = req_str(L, dm, "address", "dut.address", &p->address_text);
	if (!e && tb_ipv4_parse(p->address_text, &p->address) != 0)
		e = tb_y_errd(L->d, L->doc, tb_y_get(dm, "address"),
			      "dut.address '%s' is not an IPv4 address (IPv6 addresses go in "
			      "dut.address6)",
			      p->address_text);
	return e;
}

static int ifname_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 15)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static enum tb_err load_lab(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "scope", "interface", "intrusive", NULL };
	static const char *const opt[] = { "rate-limit",      "connect-timeout-ms",
					   "observe-seconds", "cloud",
					   "uplink",          NULL };
	struct tb_profile *p = L->p;
	enum tb_err e = tb_y_keys(L->doc, m, "lab", opt, req, L->d);
	if (e)
		return e;
	const struct tb_y_node *sc = tb_y_get(m, "scope");
	if ((e = tb_y_expect(L->doc, sc, TB_Y_SEQ, "lab.scope", L->d)))
		return e;
	if (sc->nkids == 0)
		return tb_y_errd(L->d, L->doc, sc, "lab.scope is empty: the harness may touch nothing");
	p->scope.v = tb_xcalloc(sc->nkids, sizeof *p->scope.v);
	p->scope.v6 = tb_xcalloc(sc->nkids, sizeof *p->scope.v6);
	for (size_t i = 0; i < sc->nkids; i++) {
		const char *v;
		struct tb_diag cd;
		if ((e = tb_y_str(L->doc, sc->kids[i], "lab.scope entry", &v, L->d)))
			return e;
		/* A colon makes it IPv6: those have their own lab ranges. */
		enum tb_err pe = strchr(v, ':') ? tb_cidr6_parse(v, &p->scope.v6[p->scope.n6++], &cd)
						: tb_cidr_parse(v, &p->scope.v[p->scope.n++], &cd);
		if (pe != TB_OK)
			return tb_y_errd(L->d, L->doc, sc->kids[i], "lab.scope[%zu]: %s", i, cd.msg);
	}
	if (!tb_scope_contains(&p->scope, p->address))
		return tb_y_errd(L->d, L->doc, sc, "dut.address %s is outside lab.scope",
				 p->address_text);
	if ((e = req_str(L, m, "interface", "lab.interface", &p->interface)))
		return e;
	if (!ifname_valid(p->interface))
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "interface"),
				 "lab.interface '%s' is not a network interface name", p->interface);
	if ((e = tb_y_bool(L->doc, tb_y_get(m, "intrusive"), "lab.intrusive", &p->intrusive, L->d)))
		return e;
	long long v = TB_DEFAULT_RATE_LIMIT;
	if (tb_y_get(m, "rate-limit") &&
	    (e = tb_y_int(L->doc, tb_y_get(m, "rate-limit"), "lab.rate-limit", 1, 1000000, &v, L->d)))
		return e;
	p->rate_limit = (long)v;
	v = TB_DEFAULT_CONNECT_TIMEOUT_MS;
	if (tb_y_get(m, "connect-timeout-ms") &&
	    (e = tb_y_int(L->doc, tb_y_get(m, "connect-timeout-ms"), "lab.connect-timeout-ms", 10,
			  60000, &v, L->d)))
		return e;
	p->connect_timeout_ms = (long)v;
	v = 0;
	if (tb_y_get(m, "observe-seconds") && (e = tb_y_int(L->doc, tb_y_get(m, "observe-seconds"),
							    "lab.observe-seconds", 0, 3600, &v, L->d)))
		return e;
	p->observe_seconds = (long)v;
	return TB_OK;
}

/* One dut.address6 entry: an IPv6 address (no zone) inside lab.scope. */
static enum tb_err load_address6(struct ploader *L, const struct tb_y_node *n, size_t i)
{
	struct tb_profile *p = L->p;
	const char *v;
	struct tb_addr a;
	enum tb_err e = tb_y_str(L->doc, n, "dut.address6 entry", &v, L->d);
	if (e)
		return e;
	if (strchr(v, '%'))
		return tb_y_errd(L->d, L->doc, n,
				 "dut.address6[%zu] '%s': write it without a zone (a link-local "
				 "address's zone is lab.interface)",
				 i, v);
	if (tb_addr_parse(v, &a) != 0 || !strchr(v, ':'))
		return tb_y_errd(L->d, L->doc, n, "dut.address6[%zu] '%s' is not an IPv6 address", i,
				 v);
	if (a.family != AF_INET6)
		return tb_y_errd(L->d, L->doc, n,
				 "dut.address6[%zu] '%s' is IPv4-mapped: the IPv4 address belongs in "
				 "dut.address",
				 i, v);
	if (!tb_scope_covers_v6(&p->scope, a.u.v6))
		return tb_y_errd(L->d, L->doc, n,
				 "dut.address6[%zu] %s is outside lab.scope: the harness may not "
				 "touch it",
				 i, v);
	for (size_t j = 0; j < p->naddress6; j++)
		if (tb_addr_equal(&p->address6[j], &a))
			return tb_y_errd(L->d, L->doc, n, "dut.address6[%zu] %s is listed twice", i, v);
	p->address6[p->naddress6++] = a;
	return TB_OK;
}

/* dut.address6 and dut.discover-ipv6: read after lab.scope, which judges them. */
static enum tb_err load_dut_ipv6(struct ploader *L, const struct tb_y_node *dm)
{
	struct tb_profile *p = L->p;
	const struct tb_y_node *list = tb_y_get(dm, "address6"), *disc = tb_y_get(dm, "discover-ipv6");
	enum tb_err e;
	if (list) {
		if ((e = tb_y_expect(L->doc, list, TB_Y_SEQ, "dut.address6", L->d)))
			return e;
		if (list->nkids > TB_PROFILE_MAX_ADDRESS6)
			return tb_y_errd(L->d, L->doc, list,
					 "dut.address6 lists more than %d addresses",
					 TB_PROFILE_MAX_ADDRESS6);
		p->address6 = tb_xcalloc(list->nkids + 1, sizeof *p->address6);
		for (size_t i = 0; i < list->nkids; i++)
			if ((e = load_address6(L, list->kids[i], i)))
				return e;
	}
	p->discover_ipv6 = tb_scope_has_v6(&p->scope);
	if (!disc)
		return TB_OK;
	if ((e = tb_y_bool(L->doc, disc, "dut.discover-ipv6", &p->discover_ipv6, L->d)))
		return e;
	if (p->discover_ipv6 && !tb_scope_has_v6(&p->scope))
		return tb_y_errd(L->d, L->doc, disc,
				 "dut.discover-ipv6 is true but lab.scope has no IPv6 prefix");
	return TB_OK;
}

static enum tb_err load_features(struct ploader *L, const struct tb_y_node *m)
{
	struct tb_profile *p = L->p;
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "declarations.features", L->d);
	if (e)
		return e;
	p->features = tb_xcalloc(m->nkids / 2 + 1, sizeof *p->features);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		const struct tb_y_node *k = m->kids[i];
		if (!tb_feature_known(k->str))
			return tb_y_errd(L->d, L->doc, k, "declarations.features: unknown feature '%s'",
					 k->str);
		int v;
		if ((e = tb_y_bool(L->doc, m->kids[i + 1], k->str, &v, L->d)))
			return e;
		p->features[p->nfeatures].name = tb_xstrdup(k->str);
		p->features[p->nfeatures++].value = v;
	}
	return TB_OK;
}

static enum tb_err load_ics(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "support", NULL };
	static const char *const opt[] = { "justification", NULL };
	static const char *const support[] = { "yes", "no", "n/a", NULL };
	struct tb_profile *p = L->p;
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "declarations.ics", L->d);
	if (e)
		return e;
	p->ics = tb_xcalloc(m->nkids / 2 + 1, sizeof *p->ics);
	p->ics_declared = 1;
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		const struct tb_y_node *k = m->kids[i], *v = m->kids[i + 1];
		if (!tb_provision_id_valid(k->str))
			return tb_y_errd(L->d, L->doc, k,
					 "declarations.ics: '%s' is not a provision id", k->str);
		if ((e = tb_y_keys(L->doc, v, "an ICS entry", opt, req, L->d)))
			return e;
		struct tb_ics *ic = &p->ics[p->nics];
		int idx;
		if ((e = req_choice(L, v, "support", "ics support", support, &idx)))
			return e;
		ic->support = (enum tb_support)idx;
		if ((e = opt_str(L, v, "justification", "ics justification", &ic->justification)))
			return e;
		ic->provision = tb_xstrdup(k->str);
		p->nics++;
	}
	return TB_OK;
}

/* services[].discloses: a list of kinds (proto/p_disclose.h). */
static enum tb_err load_discloses(struct ploader *L, const struct tb_y_node *n, unsigned *out)
{
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_SEQ, "service discloses", L->d);
	for (size_t i = 0; !e && i < n->nkids; i++) {
		const char *v;
		e = tb_y_str(L->doc, n->kids[i], "service discloses", &v, L->d);
		enum tb_disc_kind k = e ? TB_DISC_COUNT : tb_disc_kind_parse(v);
		if (!e && k == TB_DISC_COUNT)
			return tb_y_errd(L->d, L->doc, n->kids[i],
					 "service discloses: unknown kind '%s' (version, serial, mac, "
					 "model, hostname, contact, location, identifier, resources)",
					 v);
		if (!e)
			*out |= 1u << k;
	}
	return e;
}

static enum tb_err load_service(struct ploader *L, const struct tb_y_node *m, struct tb_service *s)
{
	static const char *const req[] = { "port", "transport", "protocol", NULL };
	static const char *const opt[] = {
		"description", "purpose", "in-use", "tls", "discloses", NULL
	};
	static const char *const transports[] = { "tcp", "udp", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "a declared service", opt, req, L->d);
	long long port;
	int idx;
	s->in_use = 1;
	if (!e)
		e = tb_y_int(L->doc, tb_y_get(m, "port"), "service port", 1, 65535, &port, L->d);
	if (!e)
		e = req_choice(L, m, "transport", "service transport", transports, &idx);
	if (e)
		return e;
	s->port = (long)port;
	s->transport = tb_xstrdup(transports[idx]);
	e = req_str(L, m, "protocol", "service protocol", &s->protocol);
	if (!e)
		e = opt_str(L, m, "description", "service description", &s->description);
	if (!e)
		e = opt_str(L, m, "purpose", "service purpose", &s->purpose);
	if (!e && tb_y_get(m, "in-use"))
		e = tb_y_bool(L->doc, tb_y_get(m, "in-use"), "service in-use", &s->in_use, L->d);
	if (!e && tb_y_get(m, "tls"))
		e = tb_y_bool(L->doc, tb_y_get(m, "tls"), "service tls", &s->tls, L->d);
	if (!e && tb_y_get(m, "discloses"))
		e = load_discloses(L, tb_y_get(m, "discloses"), &s->discloses);
	return e;
}

static enum tb_err load_services(struct ploader *L, const struct tb_y_node *m)
{
	struct tb_profile *p = L->p;
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_SEQ, "declarations.services", L->d);
	if (e)
		return e;
	p->services = tb_xcalloc(m->nkids + 1, sizeof *p->services);
	for (size_t i = 0; i < m->nkids; i++) {
		struct tb_service *s = &p->services[p->nservices];
		e = load_service(L, m->kids[i], s);
		p->nservices++;
		if (e)
			return e;
		for (size_t j = 0; j + 1 < p->nservices; j++)
			if (p->services[j].port == s->port &&
			    strcmp(p->services[j].transport, s->transport) == 0)
				return tb_y_errd(L->d, L->doc, m->kids[i],
						 "declarations.services: %s port %ld is declared twice",
						 s->transport, s->port);
	}
	return TB_OK;
}

static enum tb_err load_test_credential(struct ploader *L, const struct tb_y_node *m, struct tb_auth *a)
{
	static const char *const req[] = { "username", "password", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "test-credential", NULL, req, L->d);
	if (!e)
		e = req_str(L, m, "username", "test-credential username", &a->test_user);
	/* An empty password is a legitimate (bad) credential: allow "". */
	const struct tb_y_node *pw = tb_y_get(m, "password");
	if (!e && (e = tb_y_expect(L->doc, pw, TB_Y_SCALAR, "test-credential password", L->d)) == TB_OK)
		a->test_pass = tb_xstrdup(pw->str);
	return e;
}

/* A form field name we send as is: letters, digits and -_.~[]: only. */
static int form_name_ok(const char *v)
{
	if (!*v)
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr("-_.~[]:", *v))
			return 0;
	return 1;
}

/* Fixed fields, already form-encoded: name=value pairs joined by '&'. */
static int form_extra_ok(const char *v)
{
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
				return 0;
			p += 2;
		} else if (!isalnum(c) && !strchr("-_.~[]:+=&", c)) {
			return 0;
		}
	}
	return *v && *v != '&' && v[strlen(v) - 1] != '&' && strchr(v, '=');
}

/* form: { user-field, password-field, protected-path, extra } of an
 * http-form login. */
static enum tb_err load_form(struct ploader *L, const struct tb_y_node *m, struct tb_auth *a)
{
	static const char *const req[] = { "user-field", "password-field", "protected-path", NULL };
	static const char *const opt[] = { "extra", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "authentication form", opt, req, L->d);
	if (!e)
		e = req_str(L, m, "user-field", "form user-field", &a->form_user_field);
	if (!e)
		e = req_str(L, m, "password-field", "form password-field", &a->form_pass_field);
	if (!e)
		e = req_str(L, m, "protected-path", "form protected-path", &a->form_protected);
	if (!e)
		e = opt_str(L, m, "extra", "form extra", &a->form_extra);
	if (e)
		return e;
	if (!form_name_ok(a->form_user_field) || !form_name_ok(a->form_pass_field))
		return tb_y_errd(L->d, L->doc, m,
				 "authentication '%s': form %s must be a field name (letters, digits "
				 "and -_.~[]: only)",
				 a->name,
				 form_name_ok(a->form_user_field) ? "password-field" : "user-field");
	if (strcmp(a->form_user_field, a->form_pass_field) == 0)
		return tb_y_errd(L->d, L->doc, m,
				 "authentication '%s': form user-field and password-field are the same",
				 a->name);
	if (a->form_protected[0] != '/' || strlen(a->form_protected) > 512 ||
	    strpbrk(a->form_protected, " \t\r\n"))
		return tb_y_errd(L->d, L->doc, m,
				 "authentication '%s': form protected-path must be a path starting "
				 "with / (no spaces)",
				 a->name);
	if (a->form_extra && !form_extra_ok(a->form_extra))
		return tb_y_errd(
			L->d, L->doc, m,
			"authentication '%s': form extra must be form-encoded name=value pairs "
			"joined by & (e.g. \"submit=Login\")",
			a->name);
	return TB_OK;
}

static enum tb_err load_auth(struct ploader *L, const struct tb_y_node *m, struct tb_auth *a)
{
	static const char *const req[] = { "name", "protocol", "password", NULL };
	static const char *const opt[] = {
		"port", "path", "generation", "test-credential", "form", NULL
	};
	static const char *const protocols[] = { "http-basic", "http-digest", "http-form", "telnet",
						 "ssh",        "mqtt",        "ftp",       "snmp",
						 "rtsp",       "other",       NULL };
	static const char *const kinds[] = { "user-defined", "unique-per-device", "universal-default",
					     NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "an authentication mechanism", opt, req, L->d);
	int idx;
	if (!e)
		e = req_str(L, m, "name", "authentication name", &a->name);
	if (!e)
		e = req_choice(L, m, "protocol", "authentication protocol", protocols, &idx);
	if (e)
		return e;
	a->protocol = tb_xstrdup(protocols[idx]);
	if ((e = req_choice(L, m, "password", "authentication password", kinds, &idx)))
		return e;
	a->password = (enum tb_pwkind)idx;
	long long port = 0;
	if (tb_y_get(m, "port") &&
	    (e = tb_y_int(L->doc, tb_y_get(m, "port"), "authentication port", 1, 65535, &port, L->d)))
		return e;
	a->port = (long)port;
	if ((e = opt_str(L, m, "path", "authentication path", &a->path)) ||
	    (e = opt_str(L, m, "generation", "authentication generation", &a->generation)))
		return e;
	int http = strcmp(a->protocol, "http-basic") == 0 || strcmp(a->protocol, "http-digest") == 0;
	int form = strcmp(a->protocol, "http-form") == 0;
	if ((http || form) && (!a->path || a->path[0] != '/' || !a->port))
		return tb_y_errd(L->d, L->doc, m,
				 "authentication '%s': %s needs a port and a path starting with /%s",
				 a->name, a->protocol, form ? " (the form's action)" : "");
	if (form && !tb_y_get(m, "form"))
		return tb_y_errd(L->d, L->doc, m,
				 "authentication '%s': http-form needs a form mapping (user-field, "
				 "password-field, protected-path)",
				 a->name);
	if (!form && tb_y_get(m, "form"))
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "form"),
				 "authentication '%s': form is only for protocol http-form", a->name);
	if (form && (e = load_form(L, tb_y_get(m, "form"), a)))
		return e;
	if (tb_y_get(m, "test-credential"))
		e = load_test_credential(L, tb_y_get(m, "test-credential"), a);
	return e;
}

static enum tb_err load_auths(struct ploader *L, const struct tb_y_node *m)
{
	struct tb_profile *p = L->p;
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_SEQ, "declarations.authentication", L->d);
	if (e)
		return e;
	p->auths = tb_xcalloc(m->nkids + 1, sizeof *p->auths);
	for (size_t i = 0; !e && i < m->nkids; i++)
		e = load_auth(L, m->kids[i], &p->auths[p->nauths++]);
	return e;
}

static enum tb_err load_vdp(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const opt[] = { "policy-url", "contact", "acknowledgement", "status-updates",
					   NULL };
	struct tb_vdp *v = &L->p->vdp;
	enum tb_err e = tb_y_keys(L->doc, m, "declarations.vulnerability-disclosure", opt, NULL, L->d);
	v->present = 1;
	if (!e)
		e = opt_str(L, m, "policy-url", "vulnerability-disclosure.policy-url", &v->policy_url);
	if (!e)
		e = opt_str(L, m, "contact", "vulnerability-disclosure.contact", &v->contact);
	if (!e)
		e = opt_str(L, m, "acknowledgement", "vulnerability-disclosure.acknowledgement",
			    &v->acknowledgement);
	if (!e)
		e = opt_str(L, m, "status-updates", "vulnerability-disclosure.status-updates",
			    &v->status_updates);
	return e;
}

static enum tb_err load_support(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "end", NULL };
	static const char *const opt[] = { "published-at", NULL };
	struct tb_support_period *s = &L->p->support;
	enum tb_err e = tb_y_keys(L->doc, m, "declarations.support-period", opt, req, L->d);
	s->present = 1;
	if (!e)
		e = req_str(L, m, "end", "support-period.end", &s->end);
	if (!e && !tb_date_valid(s->end))
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "end"),
			      "support-period.end '%s' is not a date YYYY-MM-DD", s->end);
	if (!e)
		e = opt_str(L, m, "published-at", "support-period.published-at", &s->published_at);
	return e;
}

/* A path relative to the profile file's directory (absolute paths kept). */
static char *profile_relative(const char *profile_path, const char *rel)
{
	if (rel[0] == '/')
		return tb_xstrdup(rel);
	const char *slash = strrchr(profile_path, '/');
	size_t dl = slash ? (size_t)(slash - profile_path) + 1 : 0;
	size_t rl = strlen(rel);
	char *out = tb_xmalloc(dl + rl + 1);
	memcpy(out, profile_path, dl);
	memcpy(out + dl, rel, rl + 1);
	return out;
}

static enum tb_err opt_path(struct ploader *L, const struct tb_y_node *m, const char *key,
			    const char *what, char **out)
{
	char *v;
	enum tb_err e = opt_str(L, m, key, what, &v);
	*out = NULL;
	if (!e && v) {
		*out = profile_relative(L->doc->name, v);
		free(v);
	}
	return e;
}

/* IPv4 benchmarking range 198.18.0.0/15: the only addresses a lab cloud
 * may have. */
static int in_lab_range(uint32_t a)
{
	return (a & 0xfffe0000u) == 0xc6120000u;
}

static enum tb_err load_lab_trusted_ca(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "certificate", "key", NULL };
	struct tb_lab_cloud *c = &L->p->cloud;
	enum tb_err e = tb_y_keys(L->doc, m, "lab.cloud.trusted-ca", NULL, req, L->d);
	if (!e)
		e = opt_path(L, m, "certificate", "lab.cloud.trusted-ca.certificate", &c->ca_cert);
	if (!e)
		e = opt_path(L, m, "key", "lab.cloud.trusted-ca.key", &c->ca_key);
	return e;
}

static enum tb_err load_lab_cloud(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "address", "name", "control-port", NULL };
	static const char *const opt[] = { "trusted-ca", NULL };
	struct tb_lab_cloud *c = &L->p->cloud;
	long long port;
	enum tb_err e = tb_y_keys(L->doc, m, "lab.cloud", opt, req, L->d);
	c->present = 1;
	if (!e)
		e = req_str(L, m, "address", "lab.cloud.address", &c->address_text);
	if (e)
		return e;
	if (tb_ipv4_parse(c->address_text, &c->address) != 0 || !in_lab_range(c->address))
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "address"),
				 "lab.cloud.address '%s' is not an IPv4 address in the lab range "
				 "198.18.0.0/15",
				 c->address_text);
	if (c->address == L->p->address)
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "address"),
				 "lab.cloud.address is the DUT's own address");
	if ((e = req_str(L, m, "name", "lab.cloud.name", &c->name)))
		return e;
	if (!c->name[0] || strlen(c->name) > 253 ||
	    strspn(c->name,
		   "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789.-") != strlen(c->name))
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "name"),
				 "lab.cloud.name '%s' is not a host name", c->name);
	if ((e = tb_y_int(L->doc, tb_y_get(m, "control-port"), "lab.cloud.control-port", 1, 65535,
			  &port, L->d)))
		return e;
	c->control_port = (long)port;
	if (tb_y_get(m, "trusted-ca"))
		return load_lab_trusted_ca(L, tb_y_get(m, "trusted-ca"));
	return TB_OK;
}

static enum tb_err load_lab_uplink(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "interface", NULL };
	struct tb_lab_uplink *u = &L->p->uplink;
	enum tb_err e = tb_y_keys(L->doc, m, "lab.uplink", NULL, req, L->d);
	u->present = 1;
	if (!e)
		e = req_str(L, m, "interface", "lab.uplink.interface", &u->interface);
	if (e)
		return e;
	if (!ifname_valid(u->interface))
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "interface"),
				 "lab.uplink.interface '%s' is not a network interface name",
				 u->interface);
	if (strcmp(u->interface, L->p->interface) == 0)
		return tb_y_errd(L->d, L->doc, tb_y_get(m, "interface"),
				 "lab.uplink.interface is lab.interface: cutting it would cut the "
				 "harness off the device, not the device off its cloud");
	return TB_OK;
}

/* lab.cloud and lab.uplink (optional; after load_lab: they check against
 * the DUT's address and lab.interface). */
static enum tb_err load_lab_cloud_uplink(struct ploader *L, const struct tb_y_node *lab)
{
	enum tb_err e = TB_OK;
	if (tb_y_get(lab, "cloud"))
		e = load_lab_cloud(L, tb_y_get(lab, "cloud"));
	if (!e && tb_y_get(lab, "uplink"))
		e = load_lab_uplink(L, tb_y_get(lab, "uplink"));
	return e;
}

static enum tb_err load_fw_artefact(struct ploader *L, const struct tb_y_node *m, const char *what,
				    struct tb_fw_artefact *a)
{
	static const char *const req[] = { "image", "signature", NULL };
	static const char *const opt[] = { "manifest", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, what, opt, req, L->d);
	a->present = 1;
	if (!e)
		e = opt_path(L, m, "image", "test image", &a->image);
	if (!e)
		e = opt_path(L, m, "signature", "test image signature", &a->signature);
	if (!e)
		e = opt_path(L, m, "manifest", "test image manifest", &a->manifest);
	return e;
}

static enum tb_err load_update_endpoint(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "port", "path", "version-path", NULL };
	struct tb_update_decl *u = &L->p->update;
	long long port;
	enum tb_err e = tb_y_keys(L->doc, m, "declarations.update.endpoint", NULL, req, L->d);
	if (!e)
		e = tb_y_int(L->doc, tb_y_get(m, "port"), "update endpoint port", 1, 65535, &port,
			     L->d);
	if (!e)
		e = req_str(L, m, "path", "update endpoint path", &u->path);
	if (!e)
		e = req_str(L, m, "version-path", "update endpoint version-path", &u->version_path);
	if (e)
		return e;
	u->port = (long)port;
	if (u->path[0] != '/' || u->version_path[0] != '/')
		return tb_y_errd(L->d, L->doc, m, "update endpoint paths must start with /");
	return TB_OK;
}

/* declarations.update (IXIT 7-UpdMech): the vendor's trust anchor, how
 * updates are delivered, and signed test updates for the push test. */
static enum tb_err load_update(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "trust-anchor", NULL };
	static const char *const opt[] = { "update-url", "delivery",     "current-version",
					   "endpoint",   "test-updates", NULL };
	static const char *const deliveries[] = { "https", "http", "other", NULL };
	static const char *const treq[] = { "newer", "older", NULL };
	struct tb_update_decl *u = &L->p->update;
	enum tb_err e = tb_y_keys(L->doc, m, "declarations.update", opt, req, L->d);
	int idx;
	u->present = 1;
	if (!e)
		e = opt_path(L, m, "trust-anchor", "update trust-anchor", &u->trust_anchor);
	if (!e)
		e = opt_str(L, m, "update-url", "update-url", &u->update_url);
	if (!e && tb_y_get(m, "delivery") &&
	    !(e = req_choice(L, m, "delivery", "update delivery", deliveries, &idx)))
		u->delivery = tb_xstrdup(deliveries[idx]);
	if (!e)
		e = opt_str(L, m, "current-version", "update current-version", &u->current_version);
	if (!e && tb_y_get(m, "endpoint"))
		e = load_update_endpoint(L, tb_y_get(m, "endpoint"));
	const struct tb_y_node *t = tb_y_get(m, "test-updates");
	if (!e && t)
		e = tb_y_keys(L->doc, t, "declarations.update.test-updates", NULL, treq, L->d);
	if (!e && t)
		e = load_fw_artefact(L, tb_y_get(t, "newer"), "test-updates.newer", &u->newer);
	if (!e && t)
		e = load_fw_artefact(L, tb_y_get(t, "older"), "test-updates.older", &u->older);
	return e;
}

static enum tb_err load_declarations(struct ploader *L, const struct tb_y_node *m)
{
	static const char *const opt[] = {
		"features",       "ics",    "services", "authentication", "vulnerability-disclosure",
		"support-period", "update", "product",  "assets",         "mechanisms",
		"interfaces",     NULL
	};
	static const char *const items[] = { "product", "assets", "mechanisms", "interfaces", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "declarations", opt, NULL, L->d);
	if (!e && tb_y_get(m, "features"))
		e = load_features(L, tb_y_get(m, "features"));
	if (!e && tb_y_get(m, "ics"))
		e = load_ics(L, tb_y_get(m, "ics"));
	if (!e && tb_y_get(m, "services"))
		e = load_services(L, tb_y_get(m, "services"));
	if (!e && tb_y_get(m, "authentication"))
		e = load_auths(L, tb_y_get(m, "authentication"));
	if (!e && tb_y_get(m, "vulnerability-disclosure"))
		e = load_vdp(L, tb_y_get(m, "vulnerability-disclosure"));
	if (!e && tb_y_get(m, "support-period"))
		e = load_support(L, tb_y_get(m, "support-period"));
	if (!e && tb_y_get(m, "update"))
		e = load_update(L, tb_y_get(m, "update"));
	for (int i = 0; !e && items[i]; i++) /* EN 18031 (profile_items.c) */
		if (tb_y_get(m, items[i]))
			e = tb_profile_items_load(L->doc, tb_y_get(m, items[i]), items[i], L->p, L->d);
	return e;
}

static enum tb_err load_profile_doc(struct ploader *L)
{
	static const char *const req[] = { "profile", "dut", "lab", "declarations", NULL };
	const struct tb_y_node *root = L->doc->root;
	enum tb_err e = tb_y_keys(L->doc, root, "the profile file", NULL, req, L->d);
	if (!e)
		e = load_ident(L, root);
	if (!e)
		e = load_lab(L, tb_y_get(root, "lab"));
	if (!e)
		e = load_lab_cloud_uplink(L, tb_y_get(root, "lab"));
	if (!e)
		e = load_dut_ipv6(L, tb_y_get(root, "dut"));
	if (!e)
		e = load_declarations(L, tb_y_get(root, "declarations"));
	return e;
}

enum tb_err tb_profile_parse(const char *name, const void *buf, size_t len, struct tb_profile **out,
			     struct tb_diag *d)
{
	*out = NULL;
	struct tb_y_doc *doc;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_profile *p = tb_xcalloc(1, sizeof *p);
	struct ploader L = { .doc = doc, .d = d, .p = p };
	e = load_profile_doc(&L);
	tb_y_free(doc);
	if (e) {
		tb_profile_free(p);
		return e;
	}
	p->path = tb_xstrdup(name);
	tb_sha256_mem(buf, len, p->sha256);
	*out = p;
	return TB_OK;
}

enum tb_err tb_profile_load(const char *path, struct tb_profile **out, struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_profile_parse(path, buf, n, out, d);
	free(buf);
	return e;
}

static void fw_artefact_free(struct tb_fw_artefact *a)
{
	free(a->image);
	free(a->manifest);
	free(a->signature);
}

static void tb_update_decl_free(struct tb_update_decl *u)
{
	free(u->trust_anchor);
	free(u->update_url);
	free(u->delivery);
	free(u->current_version);
	free(u->path);
	free(u->version_path);
	fw_artefact_free(&u->newer);
	fw_artefact_free(&u->older);
}

void tb_profile_free(struct tb_profile *p)
{
	if (!p)
		return;
	free(p->cloud.address_text);
	free(p->cloud.name);
	free(p->cloud.ca_cert);
	free(p->cloud.ca_key);
	free(p->uplink.interface);
	for (size_t i = 0; i < p->nfeatures; i++)
		free(p->features[i].name);
	for (size_t i = 0; i < p->nics; i++) {
		free(p->ics[i].provision);
		free(p->ics[i].justification);
	}
	for (size_t i = 0; i < p->nservices; i++) {
		struct tb_service *s = &p->services[i];
		free(s->transport);
		free(s->protocol);
		free(s->description);
		free(s->purpose);
	}
	for (size_t i = 0; i < p->nauths; i++) {
		struct tb_auth *a = &p->auths[i];
		free(a->name);
		free(a->protocol);
		free(a->path);
		free(a->form_user_field);
		free(a->form_pass_field);
		free(a->form_protected);
		free(a->form_extra);
		free(a->generation);
		free(a->test_user);
		if (a->test_pass)
			memset(a->test_pass, 0, strlen(a->test_pass));
		free(a->test_pass);
	}
	free(p->features);
	free(p->ics);
	free(p->services);
	free(p->auths);
	free(p->vdp.policy_url);
	free(p->vdp.contact);
	free(p->vdp.acknowledgement);
	free(p->vdp.status_updates);
	free(p->support.end);
	free(p->support.published_at);
	tb_update_decl_free(&p->update);
	tb_profile_items_free(p);
	free(p->scope.v);
	free(p->scope.v6);
	free(p->address6);
	free(p->path);
	free(p->id);
	free(p->description);
	free(p->manufacturer);
	free(p->model);
	free(p->firmware);
	free(p->serial);
	free(p->address_text);
	free(p->interface);
	free(p);
}

int tb_profile_feature(const struct tb_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nfeatures; i++)
		if (strcmp(p->features[i].name, name) == 0)
			return p->features[i].value;
	return -1;
}

const struct tb_ics *tb_profile_ics(const struct tb_profile *p, const char *provision)
{
	for (size_t i = 0; i < p->nics; i++)
		if (strcmp(p->ics[i].provision, provision) == 0)
			return &p->ics[i];
	return NULL;
}

int tb_profile_declares_port(const struct tb_profile *p, long port)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port == port && strcmp(p->services[i].transport, "tcp") == 0)
			return 1;
	return 0;
}
