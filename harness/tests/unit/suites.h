/* suites.h: the prototype of every unit-test suite, from the suites.inc the
 * Makefile generates (one TB_SUITE(name) per `Suite *name_suite(void)` in
 * check_*.c); each test file includes it so its suite is defined against a
 * declaration (-Wmissing-prototypes). */
#ifndef TB_SUITES_H
#define TB_SUITES_H

#include <check.h>

#define TB_SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef TB_SUITE

#endif
