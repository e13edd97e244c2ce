/* login_rtsp.h: finding an RTSP login, for the credential phase
 * (check/credphase.c); the guessing itself is tb_login_rtsp (check/login.h). */
#ifndef TB_LOGIN_RTSP_H
#define TB_LOGIN_RTSP_H

#include <stddef.h>
#include <stdint.h>

struct tb_ctx;

/* Send DESCRIBE rtsp://addr:port<path> without credentials (one scoped
 * connection, its own 5 s deadline).  Returns 0 when the port answered
 * RTSP: *needs_auth is 1 when that was 401, and then *digest is 1 when the
 * 401 offered Digest but not Basic.  -1 when nothing answered, or not in
 * RTSP.  why (wl bytes, may be NULL) says what happened, either way, e.g.
 * "RTSP 401, Digest only" or "RTSP 200: served without credentials". */
int tb_login_rtsp_probe(struct tb_ctx *ctx, uint32_t addr, uint16_t port, const char *path,
			int *needs_auth, int *digest, char *why, size_t wl);

#endif
