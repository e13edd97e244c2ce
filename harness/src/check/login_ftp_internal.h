/* login_ftp_internal.h: the pure parts of the FTP login driver
 * (login_ftp.c), for its unit tests (TB_UNITTEST in tb.h). */
#ifndef TB_LOGIN_FTP_INTERNAL_H
#define TB_LOGIN_FTP_INTERNAL_H

#include <stddef.h>

#include "base/tb.h"
#include "check/login.h"

struct tb_ftp_reply;

/* The steps of an FTP login, in order. */
enum ftp_step { FTP_GREETING, FTP_PWD_BEFORE, FTP_USER, FTP_PASS, FTP_PWD };

/* What the final reply r to step st means: (enum tb_login_outcome)-1 to go
 * on, else the outcome with the reason in detail.  pwd_before_login: PWD
 * answered 257 before USER (then a 257 after the login proves nothing). */
TB_UNITTEST enum tb_login_outcome ftp_judge(enum ftp_step st, const struct tb_ftp_reply *r,
					    int pwd_before_login, char *detail, size_t dl);
/* "anonymous" or "ftp", any case. */
TB_UNITTEST int ftp_is_anonymous(const char *user);
/* A user or password we may put on a command line: at most 256 bytes, no
 * CR or LF (which would smuggle in another command). */
TB_UNITTEST int ftp_arg_ok(const char *s);

#endif
