/* p_disclose.h: what a piece of information a device disclosed is, pure
 * functions over its bytes (banners, headers, SNMP values, descriptions). */
#ifndef TB_P_DISCLOSE_H
#define TB_P_DISCLOSE_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of information a service may disclose before authentication.  The
 * profile declares them per service (services[].discloses, IXIT 15-Intf
 * "Disclosed Information"); the disclosure check sorts what it sees into
 * the same kinds. */
enum tb_disc_kind {
	TB_DISC_VERSION,
	TB_DISC_SERIAL,
	TB_DISC_MAC,
	TB_DISC_MODEL,
	TB_DISC_HOSTNAME,
	TB_DISC_CONTACT,
	TB_DISC_LOCATION,
	TB_DISC_IDENTIFIER,
	TB_DISC_RESOURCES,
	TB_DISC_COUNT
};

/* "version", "serial", ...; "?" out of range. */
const char *tb_disc_kind_name(enum tb_disc_kind k);
/* The kind named s, or TB_DISC_COUNT. */
enum tb_disc_kind tb_disc_kind_parse(const char *s);

/* The kinds one disclosed item carries, as a bit set of 1u << TB_DISC_*.
 * key names where it came from (an SNMP variable, a header, an element),
 * value is its printable text. */
unsigned tb_disc_kinds(const char *key, const char *value);

/* Product/version tokens ("lighttpd/1.4.69", "OpenSSH_9.2p1") in p[0..n):
 * up to max of them, each copied NUL-terminated into out[i].  Protocol
 * versions (HTTP/1.1, UPnP/1.0, SSH-2.0) and dotted quads (addresses) are
 * not product versions and are skipped. */
size_t tb_version_tokens(const uint8_t *p, size_t n, char (*out)[64], size_t max);

#endif
