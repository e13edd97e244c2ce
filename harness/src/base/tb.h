/* tb.h: common definitions for trustbench.
 *
 * Error convention: functions that can fail return enum tb_err (0 is success,
 * negative values are errors) and put human detail in a struct tb_diag.
 */
#ifndef TB_H
#define TB_H

#include <stddef.h>
#include <stdint.h>

#define TB_VERSION "0.1.0"

#if defined(__GNUC__)
#define TB_WUR __attribute__((warn_unused_result))
#define TB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TB_WUR
#define TB_PRINTF(a, b)
#endif

/* Expose file-local functions to the unit tests. */
#ifdef TB_UNITTESTS
#define TB_UNITTEST
#else
#define TB_UNITTEST static
#endif

enum tb_err {
	TB_OK = 0,
	TB_E_INTERNAL = -1,
	TB_E_NOMEM = -2,
	TB_E_TRUNC = -3,    /* too few bytes: the message is cut short */
	TB_E_FORMAT = -4,   /* the bytes violate the protocol or file format */
	TB_E_TOOBIG = -5,   /* a size limit was reached */
	TB_E_TIMEOUT = -6,  /* a deadline passed */
	TB_E_IO = -7,       /* a system call failed */
	TB_E_SCOPE = -8,    /* target outside the profile's lab scope: refused */
	TB_E_CONFIG = -9,   /* bad suite, profile or command line */
	TB_E_REFUSED = -10, /* the peer refused or reset the connection */
};

const char *tb_strerror(enum tb_err e);

/* Human-readable detail that travels beside an error code.  Loaders fill in
 * file, line and column (1-based; 0 when unknown).  The diagnostic owns a
 * copy of the file name ("" when there is none), so it stays valid after the
 * loader frees the document it came from. */
#define TB_DIAG_FILE_MAX 4096
struct tb_diag {
	char msg[512];
	char file[TB_DIAG_FILE_MAX];
	unsigned long line, col;
};

/* Set diag's message (printf style); returns err so callers can
 * `return tb_diag_set(d, TB_E_CONFIG, "...")`. d may be NULL. */
enum tb_err tb_diag_set(struct tb_diag *d, enum tb_err err, const char *fmt, ...) TB_PRINTF(3, 4);
/* Same, with a position; file (copied, may be NULL) names the file. */
enum tb_err tb_diag_at(struct tb_diag *d, enum tb_err err, const char *file, unsigned long line,
		       unsigned long col, const char *fmt, ...) TB_PRINTF(6, 7);
/* Copy file (NULL: none) into d->file, truncated to fit.  d may be NULL. */
void tb_diag_set_file(struct tb_diag *d, const char *file);
/* "file:line:col: msg" (or just msg when there is no position) into out. */
void tb_diag_format(const struct tb_diag *d, char *out, size_t outlen);

/* Read at most max bytes of a file into a new buffer (*buf, *len); a
 * caller that passes its limit + 1 can tell a file that is too large.
 * *buf is NULL on failure.  Only a regular file is read: a FIFO, device or
 * directory is refused at once, so a path from the command line never blocks. */
TB_WUR enum tb_err tb_file_read(const char *path, size_t max, char **buf, size_t *len,
				struct tb_diag *d);

/* Is s a real calendar date YYYY-MM-DD (1970 or later)? */
int tb_date_valid(const char *s);

/* Allocation wrappers: out of memory is fatal in a lab tool. */
void *tb_xmalloc(size_t n);
void *tb_xcalloc(size_t n, size_t sz);
void *tb_xrealloc(void *p, size_t n, size_t sz); /* n*sz, overflow checked */
char *tb_xstrdup(const char *s);
char *tb_xstrndup(const char *s, size_t n);

#endif
