/* p_sshkex.h: SSH transport-layer parsers (RFC 4253) for bytes received from a
 * device: the identification line, one unencrypted binary packet, and the
 * SSH_MSG_KEXINIT payload with its name-lists.
 *
 * Nothing here allocates or copies device bytes: views point into the
 * caller's buffer.
 */
#ifndef TB_P_SSHKEX_H
#define TB_P_SSHKEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_SSH_IDENT_MAX 255     /* RFC 4253 4.2: line incl. CR LF */
#define TB_SSH_PREAMBLE_MAX 8192 /* other lines the server may send first */
#define TB_SSH_PACKET_MAX 35000  /* RFC 4253 6.1: must be supported */
#define TB_SSH_NAME_MAX 64       /* RFC 4251 6: algorithm names */
#define TB_SSH_MSG_KEXINIT 20

struct tb_ssh_ident {
	const uint8_t *proto, *software, *comments; /* comments NULL if none */
	size_t proto_len, software_len, comments_len;
	size_t consumed; /* bytes up to and including the line's LF */
	unsigned preamble_lines;
};

/* Find "SSH-protoversion-softwareversion [comments]" CR LF (LF alone is
 * accepted).  Lines before it that do not start with "SSH-" are skipped,
 * at most TB_SSH_PREAMBLE_MAX bytes.  TB_E_TRUNC: no complete line yet;
 * TB_E_FORMAT: line too long, NUL byte, control byte or no software
 * version in the SSH- line; TB_E_TOOBIG: preamble too long. */
TB_WUR enum tb_err tb_p_ssh_ident(const uint8_t *buf, size_t len, struct tb_ssh_ident *out);

/* One unencrypted binary packet at buf: uint32 packet_length, byte
 * padding_length, payload, padding.  TB_E_TRUNC until the whole packet is
 * there; TB_E_FORMAT for padding < 4 or >= packet_length, or an empty
 * payload; TB_E_TOOBIG for packet_length > TB_SSH_PACKET_MAX. */
TB_WUR enum tb_err tb_p_ssh_packet(const uint8_t *buf, size_t len, const uint8_t **payload,
				   size_t *plen, size_t *consumed);

enum tb_ssh_list {
	TB_SSH_KEX,
	TB_SSH_HOSTKEY,
	TB_SSH_ENC_CS,
	TB_SSH_ENC_SC,
	TB_SSH_MAC_CS,
	TB_SSH_MAC_SC,
	TB_SSH_COMP_CS,
	TB_SSH_COMP_SC,
	TB_SSH_LANG_CS,
	TB_SSH_LANG_SC,
	TB_SSH_NLISTS
};

struct tb_ssh_kexinit {
	const uint8_t *list[TB_SSH_NLISTS];
	size_t list_len[TB_SSH_NLISTS];
	int first_kex_follows;
};

/* Parse a KEXINIT payload (message byte 20, 16-byte cookie, ten name-lists,
 * boolean, reserved uint32).  Every name-list is validated: names are
 * 1..TB_SSH_NAME_MAX printable US-ASCII bytes without ',', separated by
 * single commas.  TB_E_TRUNC when cut short, TB_E_FORMAT otherwise. */
TB_WUR enum tb_err tb_p_ssh_kexinit(const uint8_t *payload, size_t len, struct tb_ssh_kexinit *out);

/* Walk a validated name-list: returns 1 and the next name from *pos, 0 at
 * the end. */
int tb_p_ssh_name_next(const uint8_t *list, size_t len, size_t *pos, const uint8_t **name,
		       size_t *nlen);
/* Is the C string name in the name-list? */
int tb_p_ssh_list_has(const uint8_t *list, size_t len, const char *name);

#endif
