/* p_mutate.h: a pure, seeded mutator of valid requests for robustness testing.
 *
 * Given a valid request (an HTTP/1.1 request head, an MQTT CONNECT, what a
 * telnet client sends first, a CoAP GET, a UPnP SOAP POST) and a 64-bit seed, returns one malformed
 * variant of it: oversized fields, missing line ends, huge or negative
 * Content-Length, invalid bytes, truncation, lying length fields, broken
 * option negotiation.  The same request and seed give the same
 * bytes on every machine (no global state, no clock, no libc random), so a
 * campaign is reproduced from its seed alone.  Nothing here allocates or
 * talks to a device; the output never exceeds the caller's cap.
 */
#ifndef TB_P_MUTATE_H
#define TB_P_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* Largest input the mutators produce (a cap below it is honoured too). */
#define TB_MUT_MAX 16384
/* Room for the one-line description of what a mutation did. */
#define TB_MUT_WHAT 96

/* A splitmix64 generator: the whole state is the one word. */
struct tb_mut_rng {
	uint64_t s;
};
uint64_t tb_mut_next(struct tb_mut_rng *r);
/* A value in [0, n) (n > 0). */
uint32_t tb_mut_below(struct tb_mut_rng *r, uint32_t n);

/* The seed of input `index` sent to `stream` (e.g. a port) in a campaign
 * with seed `campaign`: each input can be regenerated on its own. */
uint64_t tb_mut_input_seed(uint64_t campaign, uint32_t stream, uint32_t index);

/* Mutate an HTTP request head (request line, header lines, blank line).
 * Writes at most cap bytes to out and returns the length (0 is possible: a
 * truncation to nothing); what gets a short description of the mutation. */
size_t tb_mut_http(const uint8_t *req, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT]);

/* Mutate an MQTT 3.1.1 CONNECT packet, likewise.  An input that is no
 * CONNECT gets generic byte mutations only. */
size_t tb_mut_mqtt(const uint8_t *pkt, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT]);

/* Mutate what a telnet client sends first (option negotiation, a line):
 * unterminated or oversized subnegotiations, option floods, IAC before
 * bytes that are no command or at the very end, overlong lines, CR/NUL
 * mixes, likewise. */
size_t tb_mut_telnet(const uint8_t *neg, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		     char what[TB_MUT_WHAT]);

/* Mutate a CoAP message over UDP (RFC 7252: 4-byte header, token, options,
 * optional payload after the 0xff marker), likewise: token length over 8 or
 * beyond the message, options with the reserved nibble 15 in their delta
 * or length (that is no payload marker), 13/14 extensions cut off or lying
 * beyond the message, option numbers past 65535, a payload marker with no
 * payload, unknown critical options, floods of options, bad versions and
 * codes, truncation.  Every option mutation goes after the valid options,
 * so the message's own options still parse up to it. */
size_t tb_mut_coap(const uint8_t *msg, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT]);

/* Mutate a UPnP SOAP control request (an HTTP POST head, a blank line, a
 * SOAP envelope) in its body and SOAPAction, likewise: XML cut off, closing
 * tags turned into opening ones, deep nesting, nested entities, wrong or no
 * SOAPAction, the wrong envelope namespace, an oversized argument, invalid
 * bytes, Content-Length shorter or longer than the body.  Content-Length
 * is rewritten to the new body except where it is the lie. */
size_t tb_mut_soap(const uint8_t *req, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT]);

/* Escape bytes for evidence a vendor can paste into C or Python: printable
 * ASCII as is (backslash doubled), \r \n \t, everything else \xHH.  Always
 * NUL-terminates (cap > 0); returns the length the full escape needs, so a
 * return >= cap means it was cut short. */
size_t tb_mut_escape(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
