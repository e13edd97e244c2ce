/* clock.h: the harness's clocks (monotonic deadlines, wall time for records). */
#ifndef TB_CLOCK_H
#define TB_CLOCK_H

#include <stdint.h>

/* Monotonic clock for deadlines and durations; never jumps with the wall clock. */
int64_t tb_now_us(void);
int64_t tb_now_ms(void);
/* Wall clock: epoch seconds with microseconds (capture windows, timestamps). */
double tb_wall_now(void);
/* Current UTC time as RFC 3339 ("2026-11-23T17:03:00Z"). */
void tb_utc_now(char out[32]);

#endif
