/* p_location.h: the Location header of an HTTP redirect sent by a device
 * under test, read as a target trustbench may follow.
 *
 * Only two forms are followed: a path on the same target ("/x"), or
 * http://<dotted IPv4>[:port][/path].  Host names, https, scheme-relative
 * ("//host") and relative ("x.htm") references are refused with the reason.
 * Whether the address lies inside the lab scope is not decided here: the
 * one connect path (net/net.c) refuses it.  Pure: no I/O, no allocation.
 */
#ifndef TB_P_LOCATION_H
#define TB_P_LOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Longest Location value looked at; a longer one is refused. */
#define TB_LOCATION_MAX 599

/* Parse loc[0..len) (device bytes, not NUL-terminated).  On TB_OK, path
 * (pathlen bytes) holds the path to request, starting with '/', and *addr,
 * *port the target: unchanged for a path on the same target, else the
 * address and port (default 80) of the URL.  On TB_E_FORMAT nothing but
 * d->msg is written; it says why the redirect is not followed.  A path
 * that does not fit in pathlen is refused, never cut. */
TB_WUR enum tb_err tb_p_location(const uint8_t *loc, size_t len, uint32_t *addr, uint16_t *port,
				 char *path, size_t pathlen, struct tb_diag *d);

#endif
