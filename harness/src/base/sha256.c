/* sha256.c: SHA-256 of a buffer or a file, and its hex form (libcrypto). */
#include "base/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

void tb_sha256_hex(const uint8_t sum[32], char hex[65])
{
	tb_hex_encode(sum, 32, hex);
}

void tb_sha256_mem(const void *buf, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	if (!EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

enum tb_err tb_file_sha256(const char *path, uint8_t sum[32], uint64_t *bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return TB_E_IO;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	static uint8_t buf[1 << 16];
	size_t n;
	unsigned int len = 32;
	*bytes = 0;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		EVP_DigestUpdate(md, buf, n);
		*bytes += n;
	}
	int bad = ferror(f);
	EVP_DigestFinal_ex(md, sum, &len);
	EVP_MD_CTX_free(md);
	fclose(f);
	return bad ? TB_E_IO : TB_OK;
}
