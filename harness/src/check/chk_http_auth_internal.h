/* chk_http_auth_internal.h: what chk_http_auth.c shares with its unit tests
 * only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_HTTP_AUTH_INTERNAL_H
#define TB_CHK_HTTP_AUTH_INTERNAL_H

#include "base/tb.h"

/* Classify one unauthenticated answer by its status (enum outcome). */
TB_UNITTEST int http_auth_classify(int status);

#endif
