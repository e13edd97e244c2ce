/* result.h: a test case's result and its evidence.
 *
 * Evidence is bounded: each exchange keeps at most TB_EV_INLINE_MAX bytes per
 * direction inline (the total is recorded), a result keeps at most
 * TB_EV_MAX_ITEMS items (the number dropped is recorded).  Longer material
 * goes to a file under OUT/evidence/<case>/ whose SHA-256 the report lists.
 * Structured evidence (summaries, timelines) is copied and bounded too:
 * what does not fit is counted and the report says how much was dropped.
 */
#ifndef TB_RESULT_H
#define TB_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "result/verdict.h"

#define TB_EV_INLINE_MAX 2048
#define TB_EV_MAX_ITEMS 512
#define TB_REASON_MAX 2048
#define TB_EV_MAX_FACTS 64    /* per summary */
#define TB_EV_MAX_EVENTS 4096 /* per timeline */
#define TB_EV_MAX_SPANS 16    /* per timeline */
#define TB_EV_TEXT_MAX 1024   /* bytes kept of a fact, a "what", a "started" */

struct tb_case;  /* load/suite.h */
struct tb_ctx;   /* check/ctx.h */
struct tb_walks; /* load/tree.h */

enum tb_ev_kind { TB_EV_NOTE, TB_EV_EXCHANGE, TB_EV_FILE, TB_EV_SUMMARY, TB_EV_TIMELINE };

struct tb_ev_fact {
	const char *name, *value;
};
enum tb_tl_kind { TB_TL_ATTEMPT, TB_TL_CONNECTED, TB_TL_PROBE_OK, TB_TL_PROBE_FAIL, TB_TL_MARK };
struct tb_tl_event {
	int64_t t_ms;
	enum tb_tl_kind kind;
	const char *what; /* may be NULL */
};
struct tb_tl_span {
	int64_t from_ms, to_ms;
	const char *what; /* e.g. "uplink cut" */
};

/* A summary as kept: owned copies of the facts. */
struct tb_ev_summary_data {
	char **name, **value;
	size_t n, dropped; /* kept; given beyond TB_EV_MAX_FACTS */
};
/* A timeline as kept: owned copies (each what is NULL or owned). */
struct tb_ev_timeline_data {
	char *started; /* RFC 3339 UTC, as given */
	int64_t end_ms;
	struct tb_tl_span *spans;
	struct tb_tl_event *events;
	size_t nspans, spans_dropped;   /* beyond TB_EV_MAX_SPANS */
	size_t nevents, events_dropped; /* beyond TB_EV_MAX_EVENTS */
};

struct tb_ev_item {
	enum tb_ev_kind kind;
	char *label;
	char *text;                    /* note */
	uint8_t *sent, *recv;          /* exchange: bounded copies */
	size_t sentlen, recvlen;       /* bytes kept */
	size_t sent_total, recv_total; /* bytes really exchanged */
	char *path;                    /* file: relative to the output directory */
	char sha256[65];
	uint64_t size;
	struct tb_ev_summary_data *summary;   /* summary */
	struct tb_ev_timeline_data *timeline; /* timeline */
};

struct tb_result {
	const struct tb_case *tc;
	enum tb_verdict verdict;
	char *reason;
	struct tb_ev_item *ev;
	size_t nev, capev, ev_dropped;
	char started[32]; /* UTC, RFC 3339 */
	int64_t duration_ms;
	/* Set when a human examiner decided the verdict. */
	char *examiner, *decided_on, *rationale;
	/* A decision-tree case: the walk of every item (load/tree.h), or NULL. */
	struct tb_walks *walks;
};

/* Set verdict and reason (printf style, truncated at TB_REASON_MAX). */
void tb_result_set(struct tb_result *r, enum tb_verdict v, const char *fmt, ...) TB_PRINTF(3, 4);
/* Record a free-text note. */
void tb_ev_note(struct tb_result *r, const char *label, const char *fmt, ...) TB_PRINTF(3, 4);
/* Record what was sent and what came back (either may be empty). */
void tb_ev_exchange(struct tb_result *r, const char *label, const void *sent, size_t sentlen,
		    const void *recv, size_t recvlen);
/* Write data to OUT/evidence/<case>/<name> (atomically) and record its
 * SHA-256.  name must be a plain file name. */
TB_WUR enum tb_err tb_ev_file(struct tb_ctx *ctx, struct tb_result *r, const char *name,
			      const void *data, size_t len);
/* A small table the report shows as is (e.g. a campaign summary).  The
 * facts are copied; beyond TB_EV_MAX_FACTS they are counted, not kept. */
void tb_ev_summary(struct tb_result *r, const char *label, const struct tb_ev_fact *facts, size_t n);
/* A timeline: events at ms from its start (started: RFC 3339 UTC); the
 * HTML/PDF draw it as a plot.  Spans and events are copied in the order
 * given; beyond TB_EV_MAX_SPANS / TB_EV_MAX_EVENTS they are counted, not
 * kept (give events in time order so the latest are the ones dropped). */
void tb_ev_timeline(struct tb_result *r, const char *label, const char *started, int64_t end_ms,
		    const struct tb_tl_span *spans, size_t nspans, const struct tb_tl_event *ev,
		    size_t nev);
/* The report's name of a timeline event kind ("attempt", "probe-ok", ...). */
const char *tb_tl_kind_name(enum tb_tl_kind k);
void tb_result_cleanup(struct tb_result *r);

/* Write a whole file atomically: temporary file, fsync, rename, fsync dir. */
TB_WUR enum tb_err tb_write_atomic(const char *path, const void *data, size_t len, struct tb_diag *d);

#endif
