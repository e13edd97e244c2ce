/* portlist.h: port lists in test case parameters ("1-65535", "22,80,8000-8100"). */
#ifndef TB_PORTLIST_H
#define TB_PORTLIST_H

#include <stdint.h>

#include "base/tb.h"

/* Parse spec into a 65536-bit map (bit p set: port p is in the list; the
 * map is cleared first).  Returns the number of distinct ports, or -1 with
 * the reason in d's message: an empty list, a port outside 1..65535, a
 * reversed range, a sign, or a stray or doubled comma. */
long tb_port_list_parse(const char *spec, uint8_t map[8192], struct tb_diag *d);

#endif
