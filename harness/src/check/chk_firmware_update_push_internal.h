/* chk_firmware_update_push_internal.h: what chk_firmware_update_push.c
 * shares with its unit tests only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_FIRMWARE_UPDATE_PUSH_INTERNAL_H
#define TB_CHK_FIRMWARE_UPDATE_PUSH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

struct blob {
	uint8_t *p;
	size_t len;
};

/* The framed request body: manifest, signature and image, each but the
 * image behind a 4-byte big-endian length. */
TB_UNITTEST struct blob fw_frame(const struct blob *man, const struct blob *sig,
				 const struct blob *img);

#endif
