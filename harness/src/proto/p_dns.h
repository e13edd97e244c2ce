/* p_dns.h: the A records of a DNS response, named by the question asked.
 *
 * Used to name the peers a device talks to from its own DNS answers.  Pure
 * and bounded: names are read with compression pointers followed at most
 * TB_DNS_MAX_HOPS times, never past the message.
 */
#ifndef TB_P_DNS_H
#define TB_P_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_DNS_NAME_MAX 256
#define TB_DNS_MAX_HOPS 16

struct tb_dns_a {
	char name[TB_DNS_NAME_MAX]; /* the question name, dotted, printable ASCII */
	uint32_t addr;              /* host byte order */
};

/* Parse a DNS response; up to max A answers go to out.  TB_E_FORMAT when
 * the message is a query or malformed, TB_E_TRUNC when cut short. */
TB_WUR enum tb_err tb_p_dns_answers(const uint8_t *msg, size_t len, struct tb_dns_a *out, size_t max,
				    size_t *nout);

#endif
