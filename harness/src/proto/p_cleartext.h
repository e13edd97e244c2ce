/* p_cleartext.h: credentials in cleartext application protocols.
 *
 * - HTTP requests: method, path, Host, the Authorization header (Basic
 *   decoded into user and password; any other scheme kept as a token), a
 *   header whose name says it carries a token or key, and a query parameter
 *   whose name says so (?token=, ?api_key=, ?password=, ...), each kept
 *   apart so that one never hides another.
 * - FTP commands: USER and PASS.
 * - Telnet logins: a small per-connection state machine fed each direction's
 *   bytes; the line typed while the server's last, still open line ends with
 *   "login:" (also "username:", "user:") is the user name, with "password:"
 *   the password.  A finished line or a "Last login: ..." banner is no prompt.
 * All pure and bounded; values are copied into fixed buffers (truncated).
 */
#ifndef TB_P_CLEARTEXT_H
#define TB_P_CLEARTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_CT_VALUE_MAX 256

/* An HTTP request seen in the capture (not one trustbench sends: that is
 * struct tb_http_req in net/httpc.h).  It holds the credentials the device
 * sent in the clear, so it is evidence to handle with care. */
struct tb_http_sniffed {
	char method[16];
	char path[128];
	char host[128];
	int has_basic; /* Authorization: Basic, decoded */
	uint8_t user[TB_CT_VALUE_MAX];
	size_t user_len;
	uint8_t secret[TB_CT_VALUE_MAX]; /* the Basic password */
	size_t secret_len;
	int has_token;         /* another Authorization scheme, or a header named for a token */
	char token_header[48]; /* the header that carried it */
	uint8_t token[TB_CT_VALUE_MAX];
	size_t token_len;
	int has_query_token;  /* a query parameter named for a token, key or password */
	char query_param[48]; /* its name */
	uint8_t qtoken[TB_CT_VALUE_MAX];
	size_t qtoken_len;
};

/* Parse the request line and headers at the start of p.  TB_E_FORMAT when
 * it is not an HTTP request; TB_E_TRUNC when the header block is cut short
 * (the fields found so far are filled). */
TB_WUR enum tb_err tb_p_http_request(const uint8_t *p, size_t n, struct tb_http_sniffed *r);

/* An FTP command line: verb (upper-cased, up to 4 letters) and argument.
 * TB_E_FORMAT when not a command, TB_E_TRUNC without the line end. */
TB_WUR enum tb_err tb_p_ftp_command(const uint8_t *p, size_t n, char verb[5], uint8_t *arg,
				    size_t argcap, size_t *arglen);

enum tb_tl_expect { TB_TL_IDLE, TB_TL_USER, TB_TL_PASS };

struct tb_telnet_login {
	enum tb_tl_expect expect;
	int iac;            /* inside an IAC sequence: bytes still to skip, -1 in SB */
	uint8_t prompt[16]; /* last bytes the server sent (lower-cased) */
	size_t promptlen;
	uint8_t line[TB_CT_VALUE_MAX]; /* the client's line being typed */
	size_t linelen;
};

enum tb_telnet_login_event { TB_TL_NONE, TB_TL_GOT_USER, TB_TL_GOT_PASS };

void tb_p_telnet_login_init(struct tb_telnet_login *s);
/* Feed bytes from the server (from_server = 1) or the client.  Returns the
 * first completed login line in these bytes (its value in s->line,
 * s->linelen) or TB_TL_NONE; *used says how many bytes were consumed, so
 * the caller feeds the rest again. */
enum tb_telnet_login_event tb_p_telnet_login_feed(struct tb_telnet_login *s, int from_server,
						  const uint8_t *p, size_t n, size_t *used);

#endif
