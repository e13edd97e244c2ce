/* fuzz_cloudlog.c: libFuzzer target for the lab cloud's control-channel
 * answers (proto/p_cloudlog.h): a LOG listing, one EV line and an OK/ERR
 * line, each from the same bytes; checks the bounds the check relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_cloudlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			abort();
}

static void check_event(const struct tb_clog_event *ev)
{
	if (ev->port == 0 || ev->datalen > TB_CLOG_DATA_MAX || ev->datalen > ev->appbytes ||
	    (ev->result == TB_CLOG_REFUSED && ev->appbytes) ||
	    (ev->result != TB_CLOG_REFUSED && ev->result != TB_CLOG_ACCEPTED))
		abort();
	check_text(ev->sni, sizeof ev->sni);
	check_text(ev->detail, sizeof ev->detail);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tb_clog log;
	struct tb_clog_event ev;
	size_t bad = 0;
	uint64_t epoch;
	char why[64];

	enum tb_err e = tb_p_cloudlog(data, size, &log, &bad);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	if (log.n > TB_CLOG_MAX_EVENTS || (e == TB_E_FORMAT) != (bad != 0))
		abort();
	for (size_t i = 0; i < log.n; i++)
		check_event(&log.ev[i]);
	e = tb_p_cloudlog_line(data, size, &ev);
	if (e == TB_OK)
		check_event(&ev);
	else if (e != TB_E_FORMAT)
		abort();
	e = tb_p_cloud_answer(data, size, &epoch, why, sizeof why);
	if (e != TB_OK && e != TB_E_REFUSED && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	if (strnlen(why, sizeof why) == sizeof why)
		abort();
	return 0;
}
