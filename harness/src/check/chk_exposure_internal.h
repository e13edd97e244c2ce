/* chk_exposure_internal.h: what chk_exposure.c shares with its unit tests
 * only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_EXPOSURE_INTERNAL_H
#define TB_CHK_EXPOSURE_INTERNAL_H

#include <stdint.h>

#include "base/tb.h"

struct tb_service;

/* Does the declared service's protocol name what identification saw? */
TB_UNITTEST int tcp_protocol_matches(const struct tb_service *sv, const char *seen);

#endif
