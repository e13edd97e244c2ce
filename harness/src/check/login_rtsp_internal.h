/* login_rtsp_internal.h: the pure parts of the RTSP login driver
 * (login_rtsp.c), for its unit tests (TB_UNITTEST in tb.h). */
#ifndef TB_LOGIN_RTSP_INTERNAL_H
#define TB_LOGIN_RTSP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "check/login.h"

struct tb_rtsp_resp;

/* The DESCRIBE request for rtsp://addr:port path with CSeq cseq and, when
 * not NULL, the Authorization value, into out.  Its length, or 0 when the
 * path is not a clean absolute path (starts with '/', no spaces or control
 * bytes, at most 512 bytes) or the request does not fit. */
TB_UNITTEST size_t rtsp_describe(char *out, size_t cap, uint32_t addr, uint16_t port, const char *path,
				 unsigned cseq, const char *authorization);
/* The request as the log may show it: the Authorization value withheld. */
TB_UNITTEST void rtsp_shown(const char *req, size_t n, char *out, size_t cap);
/* What the answer to the credentialed DESCRIBE means, given that the same
 * resource answered 401 without credentials: the outcome, reason in detail,
 * *retry_after_s when throttled (-1: not said). */
TB_UNITTEST enum tb_login_outcome rtsp_judge(const struct tb_rtsp_resp *r, char *detail, size_t dl,
					     int *retry_after_s);

#endif
