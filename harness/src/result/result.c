/* result.c: results, bounded evidence, atomic files (see result.h). */
#include "result/result.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "check/ctx.h"
#include "load/suite.h"
#include "load/tree.h"

static char *vfmt(const char *fmt, va_list ap)
{
	char *buf = tb_xmalloc(TB_REASON_MAX);
	int n = vsnprintf(buf, TB_REASON_MAX, fmt, ap);
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

void tb_result_set(struct tb_result *r, enum tb_verdict v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(r->reason);
	r->reason = vfmt(fmt, ap);
	va_end(ap);
	r->verdict = v;
}

static struct tb_ev_item *ev_new(struct tb_result *r, enum tb_ev_kind kind, const char *label)
{
	if (r->nev >= TB_EV_MAX_ITEMS) {
		r->ev_dropped++;
		return NULL;
	}
	if (r->nev == r->capev) {
		r->capev = r->capev ? r->capev * 2 : 8;
		r->ev = tb_xrealloc(r->ev, r->capev, sizeof *r->ev);
	}
	struct tb_ev_item *it = &r->ev[r->nev++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->label = tb_xstrdup(label ? label : "");
	return it;
}

void tb_ev_note(struct tb_result *r, const char *label, const char *fmt, ...)
{
	struct tb_ev_item *it = ev_new(r, TB_EV_NOTE, label);
	if (!it)
		return;
	va_list ap;
	va_start(ap, fmt);
	it->text = vfmt(fmt, ap);
	va_end(ap);
}

static uint8_t *bounded_copy(const void *p, size_t len, size_t *kept)
{
	*kept = len < TB_EV_INLINE_MAX ? len : TB_EV_INLINE_MAX;
	uint8_t *c = tb_xmalloc(*kept + 1);
	if (*kept)
		memcpy(c, p, *kept);
	return c;
}

void tb_ev_exchange(struct tb_result *r, const char *label, const void *sent, size_t sentlen,
		    const void *recv, size_t recvlen)
{
	struct tb_ev_item *it = ev_new(r, TB_EV_EXCHANGE, label);
	if (!it)
		return;
	it->sent = bounded_copy(sent, sent ? sentlen : 0, &it->sentlen);
	it->recv = bounded_copy(recv, recv ? recvlen : 0, &it->recvlen);
	it->sent_total = sent ? sentlen : 0;
	it->recv_total = recv ? recvlen : 0;
}

static int name_plain(const char *name)
{
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) > 128)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static enum tb_err mkdir_p(const char *path)
{
	char tmp[4096];
	int n = snprintf(tmp, sizeof tmp, "%s", path);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return TB_E_TOOBIG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return TB_E_IO;
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return TB_E_IO;
	return TB_OK;
}

enum tb_err tb_ev_file(struct tb_ctx *ctx, struct tb_result *r, const char *name, const void *data,
		       size_t len)
{
	char rel[512], full[4096];
	struct tb_diag d;
	if (!name_plain(name) || !name_plain(r->tc->id))
		return TB_E_INTERNAL;
	int n = snprintf(rel, sizeof rel, "evidence/%s/%s", r->tc->id, name);
	int m = snprintf(full, sizeof full, "%s/%s", ctx->outdir, rel);
	if (n < 0 || (size_t)n >= sizeof rel || m < 0 || (size_t)m >= sizeof full)
		return TB_E_TOOBIG;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/evidence/%s", ctx->outdir, r->tc->id);
	enum tb_err e = mkdir_p(dir);
	if (!e)
		e = tb_write_atomic(full, data, len, &d);
	if (e)
		return e;
	struct tb_ev_item *it = ev_new(r, TB_EV_FILE, name);
	if (!it)
		return TB_OK;
	uint8_t sum[32];
	tb_sha256_mem(data, len, sum);
	tb_sha256_hex(sum, it->sha256);
	it->path = tb_xstrdup(rel);
	it->size = len;
	return TB_OK;
}

/* A bounded copy of a caller's string (NULL stays NULL). */
static char *text_copy(const char *s)
{
	return s ? tb_xstrndup(s, strnlen(s, TB_EV_TEXT_MAX)) : NULL;
}

void tb_ev_summary(struct tb_result *r, const char *label, const struct tb_ev_fact *facts, size_t n)
{
	struct tb_ev_item *it = ev_new(r, TB_EV_SUMMARY, label);
	if (!it)
		return;
	struct tb_ev_summary_data *s = tb_xmalloc(sizeof *s);
	size_t keep = facts ? (n < TB_EV_MAX_FACTS ? n : TB_EV_MAX_FACTS) : 0;
	s->n = keep;
	s->dropped = facts ? n - keep : 0;
	s->name = tb_xrealloc(NULL, keep ? keep : 1, sizeof *s->name);
	s->value = tb_xrealloc(NULL, keep ? keep : 1, sizeof *s->value);
	for (size_t i = 0; i < keep; i++) {
		s->name[i] = text_copy(facts[i].name ? facts[i].name : "");
		s->value[i] = text_copy(facts[i].value ? facts[i].value : "");
	}
	it->summary = s;
}

/* Copy the first TB_EV_MAX_SPANS of the n spans (owning each what) into a
 * new array; *dropped counts the rest.  events_copy: the same for events. */
static struct tb_tl_span *spans_copy(const struct tb_tl_span *src, size_t n, size_t *kept,
				     size_t *dropped)
{
	size_t keep = src ? (n < TB_EV_MAX_SPANS ? n : TB_EV_MAX_SPANS) : 0;
	struct tb_tl_span *c = tb_xrealloc(NULL, keep ? keep : 1, sizeof *c);
	for (size_t i = 0; i < keep; i++) {
		c[i] = src[i];
		c[i].what = text_copy(src[i].what ? src[i].what : "");
	}
	*kept = keep;
	*dropped = src ? n - keep : 0;
	return c;
}

static struct tb_tl_event *events_copy(const struct tb_tl_event *src, size_t n, size_t *kept,
				       size_t *dropped)
{
	size_t keep = src ? (n < TB_EV_MAX_EVENTS ? n : TB_EV_MAX_EVENTS) : 0;
	struct tb_tl_event *c = tb_xrealloc(NULL, keep ? keep : 1, sizeof *c);
	for (size_t i = 0; i < keep; i++) {
		c[i] = src[i];
		c[i].what = text_copy(src[i].what);
	}
	*kept = keep;
	*dropped = src ? n - keep : 0;
	return c;
}

void tb_ev_timeline(struct tb_result *r, const char *label, const char *started, int64_t end_ms,
		    const struct tb_tl_span *spans, size_t nspans, const struct tb_tl_event *ev,
		    size_t nev)
{
	struct tb_ev_item *it = ev_new(r, TB_EV_TIMELINE, label);
	if (!it)
		return;
	struct tb_ev_timeline_data *t = tb_xmalloc(sizeof *t);
	t->started = text_copy(started ? started : "");
	t->end_ms = end_ms;
	t->spans = spans_copy(spans, nspans, &t->nspans, &t->spans_dropped);
	t->events = events_copy(ev, nev, &t->nevents, &t->events_dropped);
	it->timeline = t;
}

const char *tb_tl_kind_name(enum tb_tl_kind k)
{
	switch (k) {
	case TB_TL_ATTEMPT: return "attempt";
	case TB_TL_CONNECTED: return "connected";
	case TB_TL_PROBE_OK: return "probe-ok";
	case TB_TL_PROBE_FAIL: return "probe-fail";
	case TB_TL_MARK: break;
	}
	return "mark"; /* TB_TL_MARK, and anything out of range */
}

/* The kept strings are ours: the const in the public structs is for callers. */
static void owned_free(const char *p)
{
	free((void *)(uintptr_t)p);
}

static void summary_free(struct tb_ev_summary_data *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->name[i]);
		free(s->value[i]);
	}
	free(s->name);
	free(s->value);
	free(s);
}

static void timeline_free(struct tb_ev_timeline_data *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nspans; i++)
		owned_free(t->spans[i].what);
	for (size_t i = 0; i < t->nevents; i++)
		owned_free(t->events[i].what);
	free(t->spans);
	free(t->events);
	free(t->started);
	free(t);
}

void tb_result_cleanup(struct tb_result *r)
{
	for (size_t i = 0; i < r->nev; i++) {
		struct tb_ev_item *it = &r->ev[i];
		free(it->label);
		free(it->text);
		free(it->sent);
		free(it->recv);
		free(it->path);
		summary_free(it->summary);
		timeline_free(it->timeline);
	}
	free(r->ev);
	free(r->reason);
	free(r->examiner);
	free(r->decided_on);
	free(r->rationale);
	tb_walks_free(r->walks);
	memset(r, 0, sizeof *r);
}

/* See result.h: temporary file, fsync, rename, fsync of the directory. */
enum tb_err tb_write_atomic(const char *path, const void *data, size_t len, struct tb_diag *d)
{
	char tmp[4096];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp)
		return tb_diag_set(d, TB_E_TOOBIG, "path too long: %s", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return tb_diag_set(d, TB_E_IO, "%s: %s", tmp, strerror(errno));
	const uint8_t *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int err = errno;
			close(fd);
			unlink(tmp);
			return tb_diag_set(d, TB_E_IO, "%s: %s", tmp, strerror(err));
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		unlink(tmp);
		return tb_diag_set(d, TB_E_IO, "%s: %s", tmp, strerror(errno));
	}
	if (rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return tb_diag_set(d, TB_E_IO, "rename to %s: %s", path, strerror(err));
	}
	char dcopy[4096];
	snprintf(dcopy, sizeof dcopy, "%s", path);
	int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return TB_OK;
}
