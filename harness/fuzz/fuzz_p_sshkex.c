/* fuzz_p_sshkex.c: libFuzzer target for the SSH identification, packet and
 * KEXINIT parsers, fed the way the ssh check feeds them. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_sshkex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const uint8_t *l, size_t n)
{
	size_t pos = 0, nl;
	const uint8_t *name;

	while (tb_p_ssh_name_next(l, n, &pos, &name, &nl))
		if (nl == 0 || nl > TB_SSH_NAME_MAX || name < l || name + nl > l + n)
			abort();
	(void)tb_p_ssh_list_has(l, n, "3des-cbc");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_ssh_ident id;
	struct tb_ssh_kexinit k;
	const uint8_t *pl;
	size_t plen, used, off = 0;

	if (tb_p_ssh_ident(data, size, &id) == TB_OK) {
		if (id.consumed > size || id.software_len == 0)
			abort();
		off = id.consumed;
	}
	if (tb_p_ssh_packet(data + off, size - off, &pl, &plen, &used) == TB_OK) {
		if (used > size - off || pl + plen > data + size)
			abort();
		if (tb_p_ssh_kexinit(pl, plen, &k) == TB_OK)
			for (int i = 0; i < TB_SSH_NLISTS; i++)
				walk(k.list[i], k.list_len[i]);
	}
	/* The raw input as a KEXINIT payload too. */
	if (tb_p_ssh_kexinit(data, size, &k) == TB_OK)
		for (int i = 0; i < TB_SSH_NLISTS; i++)
			walk(k.list[i], k.list_len[i]);
	return 0;
}
