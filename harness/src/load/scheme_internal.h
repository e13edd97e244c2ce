/* scheme_internal.h: what scheme.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_SCHEME_INTERNAL_H
#define TB_SCHEME_INTERNAL_H

#include "base/tb.h"

/* Is url https:// on a reserved example host (*.test or *.example, lower
 * case, followed by a path), so that it can never be fetched? */
TB_UNITTEST int url_host_reserved(const char *url);

#endif
