/* tcp_identify.h: what each open TCP port speaks, asked actively.
 *
 * The exposure sweep reads a banner from every open port; a service that
 * waits for the client to speak first (HTTP, TLS, MQTT, RTSP, adb, CoAP
 * over TCP) says nothing.  This step sends such ports the probes
 * proto/p_svcid.h names, one scoped connection each, under a deadline, and
 * records the identity and what the service disclosed in the run's surface
 * (check/surface.h).
 */
#ifndef TB_TCP_IDENTIFY_H
#define TB_TCP_IDENTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "proto/p_svcid.h"

struct tb_ctx;
struct tb_result;

/* Identify the service on port, starting from the banner the sweep read
 * (may be empty), with at most max_probes probes, each under timeout_ms.
 * *out always filled (protocol "unknown" when nothing parsed).  The
 * exchange that identified it goes into res as evidence. */
void tb_tcp_identify(struct tb_ctx *ctx, uint16_t port, const uint8_t *banner, size_t blen,
		     int timeout_ms, int max_probes, struct tb_svcid *out, struct tb_result *res);

/* Record an identified TCP port in the run's surface (no-op without one). */
void tb_tcp_identity_to_surface(struct tb_ctx *ctx, uint16_t port, const struct tb_svcid *id);

#endif
