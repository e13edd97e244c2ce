/* p_tls.h: TLS ClientHello and ServerHello at the start of a TCP payload.
 *
 * Gives the versions a client offers (supported_versions, else the legacy
 * version), the version a server chooses, and the SNI host name.  Pure and
 * bounded: every length is checked against its enclosing length and the
 * captured bytes.  A hello split over several TCP segments is TB_E_TRUNC.
 */
#ifndef TB_P_TLS_H
#define TB_P_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_TLS_MAX_VERSIONS 8
#define TB_TLS_SNI_MAX 256

struct tb_tls_hello {
	int type;                               /* 1 ClientHello, 2 ServerHello */
	uint16_t versions[TB_TLS_MAX_VERSIONS]; /* offered (client) or chosen (server, one) */
	size_t nversions;
	char sni[TB_TLS_SNI_MAX]; /* "" when absent; printable ASCII */
};

/* Does the payload start like a TLS handshake record? */
int tb_p_tls_looks_like(const uint8_t *p, size_t n);
/* Parse a hello.  TB_E_FORMAT for other records or messages. */
TB_WUR enum tb_err tb_p_tls_hello(const uint8_t *p, size_t n, struct tb_tls_hello *h);
/* "TLS1.2", "SSL3.0", ... or "0xNNNN". out needs 8 bytes. */
void tb_p_tls_version_name(uint16_t v, char out[8]);

#endif
