/* sshc.h: every libssh call the harness makes lives in sshc.c.
 *
 * One probe is one SSH client session on a socket from tb_net_connect()
 * (scope-checked, rate-limited): libssh is handed the descriptor and never
 * opens a connection, reads no configuration file, and never reads or
 * writes a known_hosts file (the host key is recorded, not verified).  The
 * probe completes key exchange, sends a userauth "none" request (RFC 4252
 * 5.2) and reads the methods the server says can continue.  It never sends
 * a password or any other credential.
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
