/* pemio.c: PEM files and OpenSSL text helpers for sign.c and tsa.c (see pemio.h). */
#include "trust/pemio.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Never prompt on the terminal for a passphrase: an encrypted key fails. */
int tb_pem_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return 0;
}

/* The most recent OpenSSL error as text (and the queue emptied). */
void tb_ossl_reason(char *out, size_t outlen)
{
	unsigned long e, last = 0;
	while ((e = ERR_get_error()) != 0)
		last = e;
	if (last)
		ERR_error_string_n(last, out, outlen);
	else
		snprintf(out, outlen, "no further detail");
}

static enum tb_err read_small(const char *path, const char *what, char **buf, size_t *len,
			      struct tb_diag *d)
{
	enum tb_err e = tb_file_read(path, TB_PEM_MAX + 1, buf, len, d);
	if (e)
		return e;
	if (*len > TB_PEM_MAX) {
		free(*buf);
		*buf = NULL;
		return tb_diag_set(d, TB_E_TOOBIG, "%s: the %s file is larger than %u bytes", path,
				   what, TB_PEM_MAX);
	}
	return TB_OK;
}

/* Every PEM certificate in a file, in order; NULL (and d set) on error or
 * when the file holds none. */
STACK_OF(X509) * tb_pem_certs(const char *path, const char *what, struct tb_diag *d)
{
	char *buf;
	size_t len;
	if (read_small(path, what, &buf, &len, d))
		return NULL;
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	STACK_OF(X509) *certs = sk_X509_new_null();
	X509 *x;
	while (bio && certs && (x = PEM_read_bio_X509(bio, NULL, tb_pem_no_passphrase, NULL)))
		if (!sk_X509_push(certs, x))
			X509_free(x);
	ERR_clear_error(); /* the loop ends on "no start line" */
	BIO_free(bio);
	free(buf);
	if (!certs || sk_X509_num(certs) == 0) {
		sk_X509_pop_free(certs, X509_free);
		tb_diag_set(d, TB_E_FORMAT, "%s: no PEM certificate in the %s file", path, what);
		return NULL;
	}
	return certs;
}

/* An unencrypted PEM private key; its bytes are wiped after parsing. */
EVP_PKEY *tb_pem_key(const char *path, struct tb_diag *d)
{
	char *buf;
	size_t len;
	if (read_small(path, "key", &buf, &len, d))
		return NULL;
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, tb_pem_no_passphrase, NULL) : NULL;
	BIO_free(bio);
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (!k) {
		char why[256];
		tb_ossl_reason(why, sizeof why);
		tb_diag_set(d, TB_E_FORMAT, "%s: not an unencrypted PEM private key (%s)", path, why);
	}
	return k;
}

/* A certificate name as RFC 2253 text ("" when it cannot be printed). */
void tb_x509_name_text(const X509_NAME *n, char *out, size_t outlen)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	out[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
		long len = BIO_get_mem_data(b, &p);
		snprintf(out, outlen, "%.*s", (int)(len < 0 ? 0 : len), p);
	}
	BIO_free(b);
}
