/* fwverify_internal.h: what fwverify.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_FWVERIFY_INTERNAL_H
#define TB_FWVERIFY_INTERNAL_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "result/verdict.h"

/* Best practice for update signing keys: RSA >= 2048 (with PSS), ECDSA on
 * P-256/P-384/P-521, Ed25519.  Returns PASS or FAIL with text. */
TB_UNITTEST enum tb_verdict fw_key_policy(EVP_PKEY *k, char *text, size_t len);
/* Verify sig over msg with key: 1 valid, 0 not. */
TB_UNITTEST int fw_raw_verify(EVP_PKEY *k, const uint8_t *msg, size_t mlen, const uint8_t *sig,
			      size_t slen);

#endif
