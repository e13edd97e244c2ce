/* fuzz_p_loginform.c: libFuzzer target for the login-form page classifier
 * (any bytes: a kind in range, counts that add up, the same answer twice). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_loginform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_page_facts f, g;
	enum tb_page_kind k = tb_p_login_page(data, size, &f);
	if (k != TB_PAGE_LOGIN_FORM && k != TB_PAGE_CONTENT && k != TB_PAGE_MIXED &&
	    k != TB_PAGE_UNJUDGED)
		abort();
	if (k == TB_PAGE_LOGIN_FORM && (f.login_forms != 1 || f.other_controls != 0))
		abort();
	if (f.tags > TB_LOGINFORM_MAX_TAGS + 1 || f.login_forms > f.forms + 1)
		abort();
	if (tb_p_login_page(data, size, &g) != k || memcmp(&f, &g, sizeof f) != 0)
		abort();
	return 0;
}
