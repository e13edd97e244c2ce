/* chk_http_auth_internal.h: what chk_http_auth.c shares with its unit tests
 * only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_HTTP_AUTH_INTERNAL_H
#define TB_CHK_HTTP_AUTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Classify one unauthenticated answer by its status (enum outcome). */
TB_UNITTEST int http_auth_classify(int status);
/* Classify a 2xx answer by its page body: OUT_PROTECTED for a login form and
 * nothing else, OUT_OPEN for any other page, OUT_UNDECIDED when the page
 * cannot be judged; why gets a short description for the evidence. */
TB_UNITTEST int http_auth_classify_page(const uint8_t *body, size_t len, char *why, size_t cap);

#endif
