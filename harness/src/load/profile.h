/* profile.h: device profiles (YAML files in profiles/) as plain data.
 *
 * A profile describes one device under test: its identity and lab address,
 * the lab scope the harness may touch, consent to intrusive tests, and the
 * supplier's declarations (the ICS and IXIT of ETSI TS 103 701).
 */
#ifndef TB_PROFILE_H
#define TB_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "net/scope.h"
#include "proto/p_disclose.h"
#include "base/tb.h"

enum tb_pwkind { TB_PW_USER_DEFINED, TB_PW_UNIQUE, TB_PW_UNIVERSAL };
const char *tb_pwkind_name(enum tb_pwkind k);

enum tb_support { TB_SUP_YES, TB_SUP_NO, TB_SUP_NA };
const char *tb_support_name(enum tb_support s);

struct tb_feature {
	char *name;
	int value;
};

struct tb_ics {
	char *provision;
	enum tb_support support;
	char *justification; /* NULL when none given */
};

struct tb_service {
	long port;
	char *transport, *protocol, *description, *purpose; /* purpose may be NULL */
	int in_use;
	int tls;            /* the service speaks TLS (optional `tls: true`) */
	unsigned discloses; /* 1u << TB_DISC_*: what it declares it reveals before authentication */
};

struct tb_auth {
	char *name;
	char *protocol; /* http-basic | http-digest | http-form | telnet | ssh | mqtt | ftp | snmp |
			   rtsp | other */
	long port;      /* 0 when not given */
	char *path;     /* http-basic/http-digest resource (needed), rtsp (optional),
			   http-form: the form's action (needed), else NULL */
	/* http-form only (else NULL): the form's field names, the page a login
	 * opens, and fixed fields sent too (already form-encoded, may be NULL). */
	char *form_user_field, *form_pass_field, *form_protected, *form_extra;
	enum tb_pwkind password;
	char *generation;            /* may be NULL */
	char *test_user, *test_pass; /* NULL when no test credential */
};

struct tb_vdp {
	int present;
	char *policy_url, *contact, *acknowledgement, *status_updates; /* each may be NULL */
};

struct tb_support_period {
	int present;
	char *end;          /* YYYY-MM-DD, validated */
	char *published_at; /* may be NULL */
};

/* One vendor-supplied update artefact (paths resolved against the profile's
 * directory).  manifest NULL: signature is a detached CMS over the image. */
struct tb_fw_artefact {
	int present;
	char *image, *manifest, *signature;
};

/* declarations.update (IXIT 7-UpdMech). */
struct tb_update_decl {
	int present;
	char *trust_anchor;    /* PEM public key or CA certificate(s), resolved path */
	char *update_url;      /* may be NULL */
	char *delivery;        /* https | http | other, or NULL */
	char *current_version; /* may be NULL: dut.firmware is used */
	long port;             /* update endpoint for the push test; 0 when none */
	char *path, *version_path;
	struct tb_fw_artefact newer, older; /* vendor test updates (signed) */
};

/* A fact the supplier declares (EN 18031 decision-node answers and product
 * facts): a plain true/false, or a text (e.g. an implementation category). */
struct tb_fact {
	char *name;
	char *text;  /* as written */
	int is_bool; /* plain true or false */
	int value;   /* is_bool: the value */
};

/* One declared asset, mechanism or interface (declarations.assets,
 * .mechanisms, .interfaces; profile_items.c) that decision trees iterate over. */
struct tb_decl_item {
	char *id, *kind, *description;
	char *category; /* mechanisms: the implementation category, may be NULL */
	struct tb_fact *facts;
	size_t nfacts;
	struct tb_fact *justifications; /* name -> text: why a tree leaf is not applicable */
	size_t njustifications;
};

struct tb_decl_items {
	struct tb_decl_item *v;
	size_t n;
};

/* lab.cloud: the lab's stand-in for the vendor's cloud (fixtures/refdevice/
 * cloud.c), whose certificate the harness may change through its control
 * channel (chk_cloud_identity.c).  The harness talks to it only through a
 * scope holding exactly this address. */
struct tb_lab_cloud {
	int present;
	char *address_text;
	uint32_t address; /* host byte order; inside 198.18.0.0/15, not the DUT */
	char *name;       /* the name the device calls */
	long control_port;
	/* lab.cloud.trusted-ca: a CA the DUT trusts, for tests only (resolved
	 * paths); both NULL when the profile names none. */
	char *ca_cert, *ca_key;
};

/* lab.uplink: the harness-side interface that carries the DUT's traffic to
 * its cloud, and only that (chk_outage.c cuts it). */
struct tb_lab_uplink {
	int present;
	char *interface;
};

struct tb_profile {
	char *path;
	uint8_t sha256[32];
	char *id, *description;
	char *manufacturer, *model, *firmware, *serial;
	char *address_text;
	uint32_t address; /* host byte order */
	/* dut.address6: declared IPv6 addresses, each inside the scope.  A
	 * link-local one has scope_id 0 here: its zone is lab.interface,
	 * bound at run time. */
	struct tb_addr *address6;
	size_t naddress6;
	/* dut.discover-ipv6: look for the DUT's IPv6 addresses on the lab link
	 * (default: true when lab.scope has an IPv6 prefix). */
	int discover_ipv6;
	struct tb_scope scope;
	char *interface;
	int intrusive;
	long rate_limit; /* new connections per second */
	long connect_timeout_ms;
	long observe_seconds; /* idle observation before and after the tests */
	struct tb_lab_cloud cloud;
	struct tb_lab_uplink uplink;
	struct tb_feature *features;
	size_t nfeatures;
	struct tb_ics *ics;
	size_t nics;
	int ics_declared; /* the profile has an ics section (possibly empty) */
	struct tb_service *services;
	size_t nservices;
	struct tb_auth *auths;
	size_t nauths;
	struct tb_vdp vdp;
	struct tb_support_period support;
	struct tb_update_decl update;
	/* EN 18031 declarations (profile_items.c): product facts, and the
	 * items decision trees walk, each with its facts and justifications. */
	struct tb_decl_item product; /* id "device"; its facts and justifications */
	struct tb_decl_items assets, mechanisms, interfaces;
};

#define TB_DEFAULT_RATE_LIMIT 20000
#define TB_DEFAULT_CONNECT_TIMEOUT_MS 1000
#define TB_PROFILE_MAX_ADDRESS6 16

TB_WUR enum tb_err tb_profile_load(const char *path, struct tb_profile **out, struct tb_diag *d);
TB_WUR enum tb_err tb_profile_parse(const char *name, const void *buf, size_t len,
				    struct tb_profile **out, struct tb_diag *d);
void tb_profile_free(struct tb_profile *p);

/* Declared value of a feature: 1 true, 0 false, -1 not declared. */
int tb_profile_feature(const struct tb_profile *p, const char *name);
/* ICS statement for a provision, or NULL. */
const struct tb_ics *tb_profile_ics(const struct tb_profile *p, const char *provision);
/* A declared fact of an item (or of the product), or NULL. */
const struct tb_fact *tb_fact_find(const struct tb_fact *v, size_t n, const char *name);
/* Parse declarations.product / .assets / .mechanisms / .interfaces
 * (profile_items.c; key is one of those four). */
struct tb_y_doc;
struct tb_y_node;
TB_WUR enum tb_err tb_profile_items_load(const struct tb_y_doc *doc, const struct tb_y_node *n,
					 const char *key, struct tb_profile *p, struct tb_diag *d);
void tb_profile_items_free(struct tb_profile *p);
/* Is a TCP port among the declared services? */
int tb_profile_declares_port(const struct tb_profile *p, long port);

#endif
