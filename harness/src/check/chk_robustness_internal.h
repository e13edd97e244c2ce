/* chk_robustness_internal.h: what chk_robustness.c shares with its unit
 * tests only (TB_UNITTEST in tb.h), and the types those functions take. */
#ifndef TB_CHK_ROBUSTNESS_INTERNAL_H
#define TB_CHK_ROBUSTNESS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

enum tb_rb_kind { TB_RB_HTTP, TB_RB_MQTT, TB_RB_TELNET };

/* One input as the evidence shows it. */
struct tb_rb_sent {
	uint32_t index;
	const char *what;
	const uint8_t *data;
	size_t len;
};

/* Does buf begin the answer a live service gives a valid request (an HTTP
 * status line, a CONNACK, any byte from telnet, which speaks first)?  1 yes,
 * 0 not yet (too short), -1 something else. */
TB_UNITTEST int tb_rb_answered(enum tb_rb_kind k, const uint8_t *buf, size_t len);
/* The evidence text of a batch: the seed, how inputs are made and sent,
 * the valid request and every input escaped.  Allocated; *len its length. */
TB_UNITTEST char *tb_rb_batch_text(uint64_t seed, uint16_t port, enum tb_rb_kind k,
				   const uint8_t *valid, size_t vlen, const struct tb_rb_sent *v,
				   size_t n, int input_ms, size_t *len);

#endif
