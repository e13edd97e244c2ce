/* p_fwmanifest.h: firmware update manifest, version numbers and detached
 * signature framing (pure parsers of untrusted bytes; no allocation).
 *
 * Manifest (exactly four LF-terminated lines, in this order, ASCII, at most
 * TB_FWM_MAX_BYTES; no CR, no trailing spaces, no other lines):
 *
 *   trustbench-firmware-manifest: 1
 *   version: 2.5.0
 *   image-sha256: <64 lower-case hex digits>
 *   image-size: <decimal bytes, no leading zeros>
 *
 * The vendor signs the manifest bytes exactly as stored; the manifest binds
 * the image by its SHA-256 and size.
 *
 * Version: 1 to 4 dot-separated decimal components, each 1 to 9 digits
 * without leading zeros ("0" itself is fine).  Versions compare numerically
 * component by component; missing components count as 0 (2.5 == 2.5.0).
 */
#ifndef TB_P_FWMANIFEST_H
#define TB_P_FWMANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_FWM_MAX_BYTES 1024
#define TB_FWV_MAX_PARTS 4
#define TB_FWV_MAX_LEN 39

struct tb_fw_version {
	uint32_t part[TB_FWV_MAX_PARTS];
	unsigned nparts;
	char text[TB_FWV_MAX_LEN + 1];
};

struct tb_fw_manifest {
	struct tb_fw_version version;
	uint8_t sha256[32];
	uint64_t size;
};

/* Parse a version string of len bytes.  TB_E_FORMAT with d's message set. */
TB_WUR enum tb_err tb_p_fw_version(const char *s, size_t len, struct tb_fw_version *v,
				   struct tb_diag *d);
/* <0, 0, >0 as a is older than, equal to or newer than b. */
int tb_fw_version_cmp(const struct tb_fw_version *a, const struct tb_fw_version *b);

/* Parse a manifest.  TB_E_TRUNC when buf is a proper prefix of what could be
 * a valid manifest, TB_E_FORMAT otherwise, TB_E_TOOBIG over the size limit;
 * d's message says which line and what is wrong (d may be NULL). */
TB_WUR enum tb_err tb_p_fwmanifest(const uint8_t *buf, size_t len, struct tb_fw_manifest *m,
				   struct tb_diag *d);

/* Signature files.  An ECDSA signature is DER SEQUENCE { INTEGER r, INTEGER s }
 * with minimal lengths, positive integers of at most 66 bytes (P-521) and
 * nothing after it. */
TB_WUR enum tb_err tb_p_fwsig_ecdsa_der(const uint8_t *buf, size_t len, struct tb_diag *d);
/* A CMS ContentInfo: DER SEQUENCE spanning exactly len bytes whose content
 * type is id-signedData (OID arcs 1 2 840 113549 1 7 2).  Only the outer framing is
 * checked here; OpenSSL decodes the rest. */
TB_WUR enum tb_err tb_p_fwsig_cms_outer(const uint8_t *buf, size_t len, struct tb_diag *d);

#endif
