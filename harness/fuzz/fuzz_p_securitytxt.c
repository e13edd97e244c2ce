/* fuzz_p_securitytxt.c: libFuzzer target for the security.txt parser and
 * judge (at a fixed "now", 2025-06-15T17:46:40Z). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_securitytxt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_view(struct tb_view v, const uint8_t *data, size_t size)
{
	if (v.p && (v.p < data || v.len > size || (size_t)(v.p - data) > size - v.len || v.len == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_sectxt t;
	struct tb_diag why;
	char warn[160], tiny[5];
	enum tb_err e;
	int ok;

	e = tb_p_securitytxt(data, size, &t);
	if (e != TB_OK && e != TB_E_FORMAT)
		abort();
	if (e == TB_OK) {
		for (unsigned i = 0; i < t.ncontact && i < TB_SECTXT_MAX_CONTACTS; i++)
			check_view(t.contact[i], data, size);
		check_view(t.policy, data, size);
		check_view(t.encryption, data, size);
		check_view(t.canonical, data, size);
		check_view(t.preferred_languages, data, size);
		if ((t.nbad_lines == 0) != (t.first_bad_line == 0))
			abort();
	}
	memset(&why, 0, sizeof why);
	ok = tb_sectxt_judge(&t, 1750000000LL, &why, warn, sizeof(warn));
	if ((ok != 0 && ok != 1) || memchr(why.msg, '\0', sizeof(why.msg)) == NULL || !why.msg[0] ||
	    strlen(warn) >= sizeof(warn))
		abort();
	if (tb_sectxt_judge(&t, 1750000000LL, NULL, tiny, sizeof(tiny)) != ok)
		abort();
	(void)tb_sectxt_judge(&t, t.expires_epoch, NULL, NULL, 0);
	return 0;
}
