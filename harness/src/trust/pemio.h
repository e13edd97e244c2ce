/* pemio.h: PEM files and OpenSSL text helpers shared by sign.c and tsa.c.
 *
 * Files are read whole with a size cap; keys are never decrypted (no
 * prompt: an encrypted key fails) and their bytes are wiped after use.
 */
#ifndef TB_PEMIO_H
#define TB_PEMIO_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

#include "base/tb.h"

/* A PEM file larger than this is refused (TB_SIGN_MAX_PEM in sign.h). */
#define TB_PEM_MAX (1024u * 1024)

/* OpenSSL passphrase callback that never prompts. */
int tb_pem_no_passphrase(char *buf, int size, int rwflag, void *u);
/* Every PEM certificate in the file at path, in order; NULL (and d set,
 * naming the file as `what`) on error or when it holds none. */
STACK_OF(X509) * tb_pem_certs(const char *path, const char *what, struct tb_diag *d);
/* An unencrypted PEM private key; NULL and d set otherwise. */
EVP_PKEY *tb_pem_key(const char *path, struct tb_diag *d);
/* The most recent OpenSSL error as text (and the queue emptied). */
void tb_ossl_reason(char *out, size_t outlen);
/* A certificate name as RFC 2253 text ("" when it cannot be printed). */
void tb_x509_name_text(const X509_NAME *n, char *out, size_t outlen);

#endif
