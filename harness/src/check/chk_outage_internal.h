/* chk_outage_internal.h: the outage check's pure parts (the attempt pattern's
 * measures and the rule table's judge), shared with its unit tests. */
#ifndef TB_CHK_OUTAGE_INTERNAL_H
#define TB_CHK_OUTAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "result/verdict.h"

/* The intervals "grow" when the last is at least this many times the
 * first and the second half's mean is above the first half's.  Last
 * against first, not half against half: a device's fixed cost per attempt
 * (a DNS look-up that times out, ARP) adds the same to every interval and
 * flattens the halves' ratio (hardened's 1-2-4 s back-off measured 2.1,
 * 3.5, ~5 s), while +-25% jitter around a constant interval almost never
 * makes the last 1.5 times the first. */
#define TB_OG_GROWTH 1.5
/* Growth is judged from this many intervals (4 attempts) on. */
#define TB_OG_MIN_INTERVALS 3

/* The attempts to one cloud port during the outage. */
struct tb_og_series {
	uint16_t port;
	size_t n;                    /* attempts */
	size_t nint;                 /* intervals (n - 1, or 0) */
	double min_s, max_s, mean_s; /* intervals */
	double jitter_s;             /* their standard deviation */
	double first_s, last_s;      /* the first and the last interval */
	double early_s, late_s;      /* mean of the first and the second half of the intervals */
	int growth_known;            /* nint >= TB_OG_MIN_INTERVALS */
	int grows;                   /* last_s >= TB_OG_GROWTH * first_s and late_s > early_s */
	unsigned peak1;              /* most attempts in any 1 s window [t, t + 1) */
	unsigned peakw;              /* most attempts in any window of window_s seconds */
	double peak_rate;            /* peakw / window_s: the rate the rule judges */
};

/* Measure the attempts at times t[0..n) (seconds, ascending); the peak
 * rate over windows of window_s seconds (>= 1).  Why not 1 s alone: a
 * back-off that starts at 1 s with +-25% jitter puts two attempts 0.75 s
 * apart, 2 in a 1 s window, though it never exceeds one a second over any
 * longer stretch; a device hammering at 5/s shows 5/s over any window. */
void tb_og_series_stats(const double *t, size_t n, double window_s, struct tb_og_series *s);

struct tb_og_rules {
	long max_peak;            /* max-peak-attempts-per-s */
	long window_s;            /* peak-window-s */
	int must_grow;            /* intervals-must-grow */
	long max_recovery_s;      /* max-recovery-s */
	int services_must_answer; /* local-services-must-answer */
};

struct tb_og_facts {
	int interrupted;                   /* the run was stopped mid-case */
	int baseline_connected;            /* the device connected to its cloud before the cut */
	const struct tb_og_series *series; /* one per cloud port attempted during the outage */
	size_t nseries;
	int reconnected;                 /* a connection within the recovery window */
	double recovery_s;               /* restore -> first connection */
	long window_s;                   /* the recovery window */
	unsigned services;               /* local TCP services that answered before the cut */
	unsigned probes, probes_failed;  /* during the outage */
	const char *first_probe_failure; /* "tcp/80 at +4.1 s: connection refused", or NULL */
	/* Once the recovery is over (the device back in its declared state). */
	unsigned after_probes, after_failed;
	const char *first_after_failure; /* "first: tcp/80: connection refused", or NULL */
	/* Packets the kernel dropped from the capture during the case: the
	 * attempts seen are then a lower bound. */
	unsigned long long capture_lost;
};

/* The verdict and its reason: INCONCLUSIVE when the device never called
 * home, the run was interrupted, or a rule could not be judged (no local
 * service to probe, or packets lost from the capture could hide attempts)
 * and none broke; FAIL naming every broken rule with its numbers; PASS
 * listing every rule met. */
enum tb_verdict tb_og_judge(const struct tb_og_rules *r, const struct tb_og_facts *f, char *why,
			    size_t cap);

#endif
