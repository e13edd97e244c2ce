/* sshc.h: every libssh call the harness makes lives in sshc.c.
 *
 * One probe is one SSH client session on a socket from tb_net_connect()
 * (scope-checked, rate-limited): libssh is handed the descriptor and never
 * opens a connection, reads no configuration file, and never reads or
 * writes a known_hosts file (the host key is recorded, not verified).  The
 * probe completes key exchange, sends a userauth "none" request (RFC 4252
 * 5.2) and reads the methods the server says can continue.  The probe
 * (tb_sshc_auth_methods) never sends a password or any other credential.
 *
 * The one exception is tb_sshc_password_login, the credential phase's SSH
 * driver (check/login_ssh.c): on the same kind of session it sends exactly
 * one password, by the "password" method (RFC 4252 8) or, when only
 * keyboard-interactive is offered, as the answer to its single echo-off
 * prompt (RFC 4256), and reports what the server said.
 */
#ifndef TB_SSHC_H
#define TB_SSHC_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Authentication methods a server may offer (bit mask). */
enum tb_sshc_method {
	TB_SSHC_M_PASSWORD = 1 << 0,
	TB_SSHC_M_KBDINT = 1 << 1, /* keyboard-interactive: usually a password prompt */
	TB_SSHC_M_PUBKEY = 1 << 2,
	TB_SSHC_M_HOSTBASED = 1 << 3,
	TB_SSHC_M_GSSAPI = 1 << 4,
};

enum tb_sshc_outcome {
	TB_SSHC_LISTED,     /* key exchange done, "none" refused, methods listed */
	TB_SSHC_NONE_OK,    /* the server let us in with no authentication at all */
	TB_SSHC_KEX_FAILED, /* no usable key exchange (why says what libssh saw) */
	TB_SSHC_TIMEOUT,    /* the deadline passed (stall, drip) */
	TB_SSHC_LOCAL,      /* a local failure (libssh setup) */
};

struct tb_sshc_auth {
	enum tb_sshc_outcome outcome;
	unsigned methods; /* enum tb_sshc_method bits, when LISTED */
	char why[256];    /* reason when not LISTED/NONE_OK */
	/* What was negotiated (empty when key exchange did not finish). */
	char kex[64], hostkey[64], cipher[64], mac[64];
	int legacy_algorithms; /* a negotiated algorithm came from the legacy fallback set */
};

/* Run one probe on the connected socket fd (which the caller still owns and
 * closes).  user is the name sent in the "none" request; host names the
 * device in libssh's messages.  Returns within deadline_ms (tb_now_ms()
 * clock); the outcome says what was established. */
void tb_sshc_auth_methods(int fd, const char *host, const char *user, int64_t deadline_ms,
			  struct tb_sshc_auth *out);

/* What one password guess established. */
enum tb_sshc_login_outcome {
	TB_SSHC_LOGIN_ACCEPTED,    /* USERAUTH_SUCCESS answered the password */
	TB_SSHC_LOGIN_NONE_OK,     /* "none" already succeeded: no password was sent */
	TB_SSHC_LOGIN_DENIED,      /* USERAUTH_FAILURE answered the password */
	TB_SSHC_LOGIN_PARTIAL,     /* the password passed, a further method is required */
	TB_SSHC_LOGIN_NO_PASSWORD, /* neither password nor keyboard-interactive offered */
	TB_SSHC_LOGIN_PROMPTS,     /* keyboard-interactive asked for something other
				      than one password (nothing was answered) */
	TB_SSHC_LOGIN_ENDED,       /* the session ended during authentication (why) */
	TB_SSHC_LOGIN_KEX_FAILED,  /* no usable key exchange */
	TB_SSHC_LOGIN_TIMEOUT,     /* the deadline passed */
	TB_SSHC_LOGIN_LOCAL,       /* a local failure (libssh setup) */
};

struct tb_sshc_login {
	enum tb_sshc_login_outcome outcome;
	/* The "none" step: its outcome, the methods listed and what was
	 * negotiated, exactly as tb_sshc_auth_methods reports them. */
	struct tb_sshc_auth probe;
	const char *method; /* "password", "keyboard-interactive" or NULL: only "none" */
	int password_sent;  /* the password went to the server */
	char ident[128];    /* the server's identification string (device text) */
	char banner[256];   /* its USERAUTH_BANNER, if any (device text) */
	char prompt[128];   /* keyboard-interactive: the prompt answered or refused */
	char why[256];      /* reason when not ACCEPTED/DENIED/NONE_OK (may hold
			       device text, e.g. a DISCONNECT message) */
};

/* Make one password guess for user on the connected socket fd (which the
 * caller still owns and closes), with the same session set-up and deadline
 * discipline as tb_sshc_auth_methods: key exchange, a "none" request, then
 * the password by the "password" method when offered, else by
 * keyboard-interactive when its only prompt is an echo-off one.  The
 * password goes nowhere but to the server: out never holds it unless the
 * device echoes it back (callers scrub device text). */
void tb_sshc_password_login(int fd, const char *host, const char *user, const char *pass,
			    int64_t deadline_ms, struct tb_sshc_login *out);
const char *tb_sshc_login_outcome_name(enum tb_sshc_login_outcome o);

/* Pure helpers (unit-tested). */
/* The methods as "password, keyboard-interactive, publickey" ("none
 * listed" when the mask is empty). */
void tb_sshc_methods_text(unsigned methods, char *out, size_t cap);
/* Methods that ask the user for a password (password, keyboard-interactive). */
int tb_sshc_password_like(unsigned methods);
/* libssh's SSH_AUTH_METHOD_* mask translated to enum tb_sshc_method bits. */
unsigned tb_sshc_from_libssh(int mask);
/* Is name one of the algorithms the probe accepts only as a fallback? */
int tb_sshc_is_legacy_algorithm(const char *name);

#endif
