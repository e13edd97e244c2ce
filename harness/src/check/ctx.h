/* ctx.h: the run context every check family receives (struct tb_ctx). */
#ifndef TB_CTX_H
#define TB_CTX_H

#include <time.h>

#include "net/net.h"

struct tb_suite;
struct tb_profile;
struct tb_capture;

/* Built once by the runner; families read it and reach the device only
 * through net (the one scoped, rate-limited connect path). */
struct tb_ctx {
	const struct tb_suite *suite;
	const struct tb_profile *profile;
	struct tb_net net;
	const char *outdir;
	time_t now;                 /* wall-clock time at the start of the run */
	struct tb_capture *capture; /* the run's live capture, NULL when none */
};

#endif
