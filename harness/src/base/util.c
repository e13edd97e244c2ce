/* util.c: errors, diagnostics and allocation wrappers. */
#include "base/tb.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tb_strerror(enum tb_err e)
{
	switch (e) {
	case TB_OK: return "success";
	case TB_E_INTERNAL: return "internal error";
	case TB_E_NOMEM: return "out of memory";
	case TB_E_TRUNC: return "truncated input";
	case TB_E_FORMAT: return "malformed input";
	case TB_E_TOOBIG: return "size limit reached";
	case TB_E_TIMEOUT: return "deadline passed";
	case TB_E_IO: return "input/output error";
	case TB_E_SCOPE: return "target outside the lab scope";
	case TB_E_CONFIG: return "bad configuration";
	case TB_E_REFUSED: return "connection refused";
	}
	return "unknown error";
}

TB_PRINTF(2, 0) static void diag_vset(struct tb_diag *d, const char *fmt, va_list ap)
{
	int n = vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	if (n < 0)
		d->msg[0] = '\0';
}

void tb_diag_set_file(struct tb_diag *d, const char *file)
{
	if (d)
		snprintf(d->file, sizeof d->file, "%s", file ? file : "");
}

enum tb_err tb_diag_set(struct tb_diag *d, enum tb_err err, const char *fmt, ...)
{
	if (!d)
		return err;
	va_list ap;
	va_start(ap, fmt);
	diag_vset(d, fmt, ap);
	va_end(ap);
	d->file[0] = '\0';
	d->line = d->col = 0;
	return err;
}

enum tb_err tb_diag_at(struct tb_diag *d, enum tb_err err, const char *file, unsigned long line,
		       unsigned long col, const char *fmt, ...)
{
	if (!d)
		return err;
	va_list ap;
	va_start(ap, fmt);
	diag_vset(d, fmt, ap);
	va_end(ap);
	tb_diag_set_file(d, file);
	d->line = line;
	d->col = col;
	return err;
}

void tb_diag_format(const struct tb_diag *d, char *out, size_t outlen)
{
	int n;
	if (d->file[0] && d->line)
		n = snprintf(out, outlen, "%s:%lu:%lu: %s", d->file, d->line, d->col, d->msg);
	else if (d->file[0])
		n = snprintf(out, outlen, "%s: %s", d->file, d->msg);
	else
		n = snprintf(out, outlen, "%s", d->msg);
	if (n < 0 && outlen)
		out[0] = '\0';
}

static void oom(void)
{
	fputs("trustbench: out of memory\n", stderr);
	abort();
}

void *tb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *tb_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom();
	return p;
}

void *tb_xrealloc(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		oom();
	size_t total = n * sz;
	void *q = realloc(p, total ? total : 1);
	if (!q)
		oom();
	return q;
}

char *tb_xstrdup(const char *s)
{
	return tb_xstrndup(s, strlen(s));
}

char *tb_xstrndup(const char *s, size_t n)
{
	char *p = tb_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* YYYY-MM-DD with a real day of month. */
int tb_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

/* Open path for reading only if it is a regular file.  O_NONBLOCK keeps
 * open() from waiting for a writer on a FIFO; it is cleared again once
 * fstat() shows a regular file.  Returns the descriptor or -1 (d set). */
static int open_regular(const char *path, struct tb_diag *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tb_diag_at(d, TB_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		tb_diag_at(d, TB_E_IO, path, 0, 0,
			   "not a regular file (a FIFO, device or directory); refused");
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		close(fd);
		tb_diag_at(d, TB_E_IO, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	return fd;
}

enum tb_err tb_file_read(const char *path, size_t max, char **buf, size_t *len, struct tb_diag *d)
{
	*buf = NULL;
	*len = 0;
	int fd = open_regular(path, d);
	if (fd < 0)
		return TB_E_IO;
	char *b = tb_xmalloc(max + 1);
	size_t n = 0;
	while (n < max) {
		ssize_t got = read(fd, b + n, max - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			free(b);
			return tb_diag_at(d, TB_E_IO, path, 0, 0, "read error: %s", strerror(errno));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return TB_OK;
}
