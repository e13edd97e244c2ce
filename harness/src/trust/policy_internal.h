/* policy_internal.h: what policy.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_POLICY_INTERNAL_H
#define TB_POLICY_INTERNAL_H

#include <time.h>

#include "base/tb.h"
#include "trust/policy.h"

/* An item is justified n/a when every test case behind it that is n/a
 * gives a reason, and that reason is not the runner's "no justification". */
TB_UNITTEST int item_justified_na(const struct tb_facts *f, const struct tb_fitem *it);

/* A report's UTC date, exactly "YYYY-MM-DDTHH:MM:SSZ", to time_t; -1 otherwise. */
TB_UNITTEST time_t utc_parse(const char *s);

#endif
