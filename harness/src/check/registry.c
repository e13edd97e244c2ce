/* registry.c: the table of check families, expanded from checks.def. */
#include <string.h>

#include "check/family.h"

#define TB_CHECK(name) extern const struct tb_check_family tb_check_##name;
#include "check/checks.def"
#undef TB_CHECK

#define TB_CHECK(name) &tb_check_##name,
const struct tb_check_family *const tb_families[] = {
#include "check/checks.def"
};
#undef TB_CHECK

const size_t tb_nfamilies = sizeof tb_families / sizeof tb_families[0];

const struct tb_check_family *tb_family_find(const char *name)
{
	for (size_t i = 0; i < tb_nfamilies; i++)
		if (strcmp(tb_families[i]->name, name) == 0)
			return tb_families[i];
	return NULL;
}
