/* verify_internal.h: what verify.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_VERIFY_INTERNAL_H
#define TB_VERIFY_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "base/tb.h"

/* A path the report names must stay below the evidence directory: relative,
 * no empty, "." or ".." components. */
TB_UNITTEST int evidence_path_safe(const char *p);

#ifdef TB_UNITTESTS
/* Parse report bytes and check their evidence under dir (as verify does). */
int tb_verify_evidence_for_tests(const char *name, const void *buf, size_t len, const char *dir,
				 FILE *out);
#endif

#endif
