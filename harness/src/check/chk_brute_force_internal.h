/* chk_brute_force_internal.h: what chk_brute_force.c shares with its unit
 * tests only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_BRUTE_FORCE_INTERNAL_H
#define TB_CHK_BRUTE_FORCE_INTERNAL_H

#include <stddef.h>

#include "base/tb.h"
#include "check/credphase.h"

/* Judge one interface's timed attempts against the bar (most wrong guesses
 * evaluated in 60 s) and growth factor.  recheck_outcome: the login outcome
 * seen after the burst, -1 if none was tried.  Returns 1 fail, 0 pass,
 * -1 inconclusive, 2 not measurable (left out); the one-line reason in item. */
TB_UNITTEST int tb_bf_judge(const struct tb_cp_iface *f, int bar, int growth, int recheck_outcome,
			    char *item, size_t cap);

#endif
