/* p_sshkex.c: SSH identification line, binary packet and KEXINIT (RFC 4253
 * sections 4.2, 6 and 7.1; name-lists from RFC 4251 section 5). */
#include "proto/p_sshkex.h"

#include <string.h>

#include "base/rd.h"

/* Split "SSH-proto-software[ comments]" (without CR LF). */
static enum tb_err split_ident(const uint8_t *l, size_t n, struct tb_ssh_ident *out)
{
	size_t i = 4, dash;

	for (size_t k = 0; k < n; k++)
		if (l[k] < 0x20 || l[k] == 0x7f)
			return TB_E_FORMAT;
	while (i < n && l[i] != '-' && l[i] != ' ')
		i++;
	if (i == 4 || i >= n || l[i] != '-')
		return TB_E_FORMAT;
	dash = i;
	out->proto = l + 4;
	out->proto_len = dash - 4;
	i = dash + 1;
	while (i < n && l[i] != ' ')
		i++;
	if (i == dash + 1)
		return TB_E_FORMAT;
	out->software = l + dash + 1;
	out->software_len = i - dash - 1;
	if (i < n) {
		out->comments = l + i + 1;
		out->comments_len = n - i - 1;
	}
	return TB_OK;
}

enum tb_err tb_p_ssh_ident(const uint8_t *buf, size_t len, struct tb_ssh_ident *out)
{
	size_t start = 0;

	memset(out, 0, sizeof *out);
	if (!buf)
		return TB_E_TRUNC;
	for (;;) {
		const uint8_t *nl = memchr(buf + start, '\n', len - start);
		size_t avail = len - start;
		int is_ssh = avail >= 4 ? memcmp(buf + start, "SSH-", 4) == 0
					: memcmp(buf + start, "SSH-", avail) == 0;
		size_t linelen = nl ? (size_t)(nl - (buf + start)) + 1 : avail;

		if (is_ssh && linelen > TB_SSH_IDENT_MAX)
			return TB_E_FORMAT;
		if (!is_ssh && start + linelen > TB_SSH_PREAMBLE_MAX)
			return TB_E_TOOBIG;
		if (memchr(buf + start, '\0', linelen))
			return TB_E_FORMAT;
		if (!nl)
			return TB_E_TRUNC;
		if (is_ssh) {
			size_t n = linelen - 1;

			if (n && buf[start + n - 1] == '\r')
				n--;
			out->consumed = start + linelen;
			return split_ident(buf + start, n, out);
		}
		out->preamble_lines++;
		start += linelen;
	}
}

enum tb_err tb_p_ssh_packet(const uint8_t *buf, size_t len, const uint8_t **payload, size_t *plen,
			    size_t *consumed)
{
	struct tb_rd r;
	uint32_t plen32;
	uint8_t pad;

	*payload = NULL;
	*plen = 0;
	*consumed = 0;
	tb_rd_init(&r, buf, len);
	plen32 = tb_rd_be32(&r);
	if (r.trunc)
		return TB_E_TRUNC;
	if (plen32 > TB_SSH_PACKET_MAX)
		return TB_E_TOOBIG;
	if (plen32 < 6) /* padding byte, one payload byte, 4 bytes of padding */
		return TB_E_FORMAT;
	pad = tb_rd_u8(&r);
	if (r.trunc)
		return TB_E_TRUNC;
	if (pad < 4 || (uint32_t)pad + 1 >= plen32)
		return TB_E_FORMAT;
	if (!tb_rd_avail(&r, plen32 - 1))
		return TB_E_TRUNC;
	*payload = buf + 5;
	*plen = plen32 - 1 - pad;
	*consumed = 4 + (size_t)plen32;
	return TB_OK;
}

static int name_list_valid(const uint8_t *l, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		if (l[i] == ',') {
			if (run == 0)
				return 0;
			run = 0;
		} else if (l[i] <= 0x20 || l[i] >= 0x7f || ++run > TB_SSH_NAME_MAX) {
			return 0;
		}
	}
	return n == 0 || run > 0;
}

enum tb_err tb_p_ssh_kexinit(const uint8_t *payload, size_t len, struct tb_ssh_kexinit *out)
{
	struct tb_rd r;

	memset(out, 0, sizeof *out);
	tb_rd_init(&r, payload, len);
	uint8_t msg = tb_rd_u8(&r);
	if (!r.trunc && msg != TB_SSH_MSG_KEXINIT)
		return TB_E_FORMAT;
	tb_rd_skip(&r, 16);
	for (int i = 0; i < TB_SSH_NLISTS; i++) {
		uint32_t n = tb_rd_be32(&r);
		const uint8_t *p;

		tb_rd_bytes(&r, n, &p);
		if (r.trunc)
			return TB_E_TRUNC;
		if (!name_list_valid(p, n))
			return TB_E_FORMAT;
		out->list[i] = p;
		out->list_len[i] = n;
	}
	out->first_kex_follows = tb_rd_u8(&r) != 0;
	(void)tb_rd_be32(&r);
	return r.trunc ? TB_E_TRUNC : TB_OK;
}

int tb_p_ssh_name_next(const uint8_t *list, size_t len, size_t *pos, const uint8_t **name, size_t *nlen)
{
	if (*pos >= len)
		return 0;
	const uint8_t *s = list + *pos;
	const uint8_t *c = memchr(s, ',', len - *pos);
	size_t n = c ? (size_t)(c - s) : len - *pos;

	*name = s;
	*nlen = n;
	*pos += n + 1;
	return 1;
}

int tb_p_ssh_list_has(const uint8_t *list, size_t len, const char *name)
{
	size_t pos = 0, nlen, want = strlen(name);
	const uint8_t *n;

	while (tb_p_ssh_name_next(list, len, &pos, &n, &nlen))
		if (nlen == want && memcmp(n, name, want) == 0)
			return 1;
	return 0;
}
