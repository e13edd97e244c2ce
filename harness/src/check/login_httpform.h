/* login_httpform.h: the HTTP form login driver (login_httpform.c) and its
 * pure parts, for the credential phase and the unit tests.  login.h lists
 * the other drivers; this one is declared here. */
#ifndef TB_LOGIN_HTTPFORM_H
#define TB_LOGIN_HTTPFORM_H

#include <stddef.h>

#include "check/login.h"

struct tb_auth;

/* service "http-form", tcp, default port 80.  The interface's path is the
 * form's action; its declared entry (required) names the fields and the
 * protected page (profile.h, struct tb_auth form_*). */
extern const struct tb_login_driver tb_login_httpform;

/* application/x-www-form-urlencoded s into out: unreserved bytes as they
 * are, space as '+', the rest %XX.  The length, or -1 when it does not fit
 * in cap (NUL included). */
long httpform_encode(const char *s, char *out, size_t cap);

/* The POST body for user/pass under the declared form (user-field=..&
 * password-field=..[&extra]) into body, and the same with the password
 * withheld into shown.  0, or -1 when either does not fit. */
int httpform_body(const struct tb_auth *a, const char *user, const char *pass, char *body,
		  size_t bodycap, char *shown, size_t showncap);

#endif
