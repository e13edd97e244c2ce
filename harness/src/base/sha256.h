/* sha256.h: SHA-256 of a buffer or a file, and its lower-case hex form. */
#ifndef TB_SHA256_H
#define TB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* The 64 lower-case hex digits of sum, NUL-terminated. */
void tb_sha256_hex(const uint8_t sum[32], char hex[65]);
/* SHA-256 of len bytes at buf (all zero if libcrypto fails). */
void tb_sha256_mem(const void *buf, size_t len, uint8_t out[32]);
/* SHA-256 and size of a file, read in fixed-size chunks (memory stays flat). */
TB_WUR enum tb_err tb_file_sha256(const char *path, uint8_t sum[32], uint64_t *bytes);

#endif
