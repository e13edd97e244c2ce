/* credphase_internal.h: what the credential phase's files
 * (credphase.c, login_http.c) share with each other and their unit tests:
 * the credential list and the HTTP login rule (TB_UNITTEST in tb.h). */
#ifndef TB_CREDPHASE_INTERNAL_H
#define TB_CREDPHASE_INTERNAL_H

#include <stddef.h>

#include "base/tb.h"
#include "check/login.h"

struct tb_http_exchange;
struct tb_http_digest;

struct cred {
	char *user, *pass;
	int control; /* the profile's declared test credential: kept secret */
};

struct credlist {
	struct cred *v;
	size_t n;
};

/* Parse "user<TAB>password[<TAB>weight]" lines; '#' starts a comment line;
 * a header line "username<TAB>password..." is skipped; duplicates dropped.
 * Returns 0, or -1 with the line number in d's message. */
int parse_credlist(const char *text, size_t len, struct credlist *out, struct tb_diag *d);

/* What one credentialed HTTP attempt came to, after following redirects
 * within the scope (net/httpc.h). */
struct http_chain {
	int stopped;       /* a redirect was refused or there were too many */
	int err;           /* no complete final response (enum tb_err) */
	int noconnect;     /* nothing listened on the first request */
	int status;        /* final status */
	int auth_on_final; /* the final request carried the credential */
	int moved;         /* the final resource is not the one that asked (or it with '/') */
	int unauth_status; /* when moved: the final resource's status without credentials */
	const char *final; /* the final URL, for the detail */
};

/* A login counts only when the resource that answered 401 without
 * credentials answers 2xx with them, directly or via redirects to itself
 * ("/admin" -> "/admin/") or to a resource that also refuses without
 * credentials.  A redirect that ends on a page served without credentials
 * (a login form) or at a 401 is a refusal. */
enum tb_login_outcome http_confirm(const struct http_chain *c, char *detail, size_t dl);

/* Which scheme a 401 offers: 0 Basic, 1 Digest (MD5 or SHA-256; dg gets
 * the challenge), -1 neither (why says what it offered). */
int tb_login_http_scheme(const struct tb_http_exchange *hr, struct tb_http_digest *dg,
			 struct tb_diag *why);

void credlist_free(struct credlist *l);

#endif
