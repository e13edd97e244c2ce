/* run_unit.c: one runner for every Check suite in tests/unit/check_*.c.
 * The Makefile generates suites.inc with a TB_SUITE(name) line for each
 * `Suite *name_suite(void)` it finds, so a new test file needs no edit here. */
#include <check.h>
#include <stdlib.h>

#define TB_SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef TB_SUITE

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define TB_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.inc"
#undef TB_SUITE
	const char *xml = getenv("TB_CHECK_XML");
	if (xml && *xml)
		srunner_set_xml(sr, xml);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
