/* chk_default_credentials_internal.h: what chk_default_credentials.c shares
 * with its unit tests only (the credential list; TB_UNITTEST in tb.h). */
#ifndef TB_CHK_DEFAULT_CREDENTIALS_INTERNAL_H
#define TB_CHK_DEFAULT_CREDENTIALS_INTERNAL_H

#include <stddef.h>

#include "base/tb.h"

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
TB_UNITTEST int parse_credlist(const char *text, size_t len, struct credlist *out, struct tb_diag *d);

#endif
