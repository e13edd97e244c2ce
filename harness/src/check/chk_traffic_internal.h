/* chk_traffic_internal.h: what chk_traffic.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_TRAFFIC_INTERNAL_H
#define TB_CHK_TRAFFIC_INTERNAL_H

#include <stdint.h>

#include "base/tb.h"
#include "capture/analyze.h"
#include "result/result.h"

/* Judge an analysed capture by rule; kernel_dropped: the capture's drops. */
TB_UNITTEST void traffic_judge(const struct tb_analysis *a, const char *rule, uint64_t kernel_dropped,
			       struct tb_result *res);

#endif
