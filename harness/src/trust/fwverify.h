/* fwverify.h: verify a firmware update artefact against the vendor's trust
 * anchor (EN 303 645 5.3-2, 5.3-7, 5.3-9, 5.3-10; IXIT 7-UpdMech).
 *
 * Two formats:
 *  - raw: a manifest (proto/p_fwmanifest.h) and a detached signature over
 *    the manifest bytes, made with the anchor's key: ECDSA (P-256, P-384 or
 *    P-521; DER) with SHA-256, Ed25519 (64 bytes, over the manifest itself)
 *    or RSA-PSS (MGF1, any salt length) with SHA-256.  The image is bound by
 *    the manifest's image-sha256 and image-size.
 *  - cms: a detached CMS/PKCS#7 SignedData over the image, carrying its
 *    certificate chain; the anchor is a CA certificate.  The version then
 *    comes from an optional manifest whose digest must match the image.
 *
 * The image is hashed in one pass with 1 MiB reads (constant memory, any
 * size); the CMS content is streamed through a BIO.
 */
#ifndef TB_FWVERIFY_H
#define TB_FWVERIFY_H

#include <stdint.h>
#include <time.h>

#include "proto/p_fwmanifest.h"
#include "base/tb.h"
#include "result/verdict.h"

#define TB_FW_SIG_MAX (1024 * 1024)
#define TB_FW_MAX_FINDINGS 8

enum tb_fw_delivery { TB_FWD_UNDECLARED, TB_FWD_HTTPS, TB_FWD_HTTP, TB_FWD_OTHER };

struct tb_fw_input {
	const char *image, *sig, *manifest; /* manifest NULL: the signature is CMS */
	const char *anchor;                 /* PEM public key or certificate(s) */
	const char *current_version;        /* the device's version, or NULL */
	const char *update_url;             /* declared, or NULL */
	enum tb_fw_delivery delivery;
};

struct tb_fw_finding {
	const char *what; /* signature, digest, algorithm, chain, version, delivery */
	enum tb_verdict v;
	char text[480];
};

struct tb_fw_report {
	struct tb_fw_finding f[TB_FW_MAX_FINDINGS];
	unsigned n;
	enum tb_verdict verdict; /* the most severe finding; PASS needs all to pass */
	char reason[1024];       /* the first failing finding, or a summary */
	char image_sha256[65];
	uint64_t image_size;
	char version[TB_FWV_MAX_LEN + 1]; /* from the manifest, "" when none */
	char format[8];                   /* "raw" or "cms" */
};

void tb_fw_verify(const struct tb_fw_input *in, struct tb_fw_report *rep);

struct tb_profile;
struct tb_fw_artefact;
/* Fill in from declarations.update and one declared artefact (a may be
 * NULL: only anchor, version and delivery are filled). */
void tb_fw_input_from_profile(const struct tb_profile *p, const struct tb_fw_artefact *a,
			      struct tb_fw_input *in);

/* Hash a file with SHA-256 in one pass (1 MiB reads). */
TB_WUR enum tb_err tb_fw_sha256_file(const char *path, uint8_t out[32], uint64_t *size,
				     struct tb_diag *d);
/* Delivery from a declared URL scheme and declared delivery value. */
enum tb_fw_delivery tb_fw_delivery_parse(const char *s);
const char *tb_fw_delivery_name(enum tb_fw_delivery d);

#endif
