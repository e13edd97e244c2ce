/* fuzz_robustness_reply.c: what a device sends the robustness campaign,
 * through the campaign's own readers (chk_robustness_coap.c,
 * chk_robustness_soap.c).  data[0] even: a CoAP datagram against the
 * answer test (the next 2 bytes are the message ID and the 4 after them the
 * token it must match), which answers only 1, 0 or -1; odd: a UPnP
 * description, from which a control URL and service type come out bounded,
 * NUL-terminated, starting with '/', without quotes or markup, and build a
 * request that fits its buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/chk_robustness_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void coap(const uint8_t *d, size_t n)
{
	if (n < 2 + TB_RB_COAP_TKL)
		return;
	uint16_t mid = (uint16_t)(d[0] << 8 | d[1]);
	int a = tb_rb_coap_answered(d + 2 + TB_RB_COAP_TKL, n - 2 - TB_RB_COAP_TKL, mid, d + 2);
	if (a < -1 || a > 1)
		abort();
}

static void description(const uint8_t *d, size_t n)
{
	char path[64], stype[48];
	uint8_t req[1024];
	memset(path, 0x5a, sizeof path);
	memset(stype, 0x5a, sizeof stype);
	if (!tb_rb_control_url(d, n, path, sizeof path, stype, sizeof stype))
		return;
	if (!memchr(path, '\0', sizeof path) || !memchr(stype, '\0', sizeof stype) || path[0] != '/' ||
	    strpbrk(path, "\"<>& ") || strpbrk(stype, "\"<>& "))
		abort();
	size_t len = tb_rb_soap_request("198.18.1.10", 5000, path, stype, req, sizeof req);
	if (len >= sizeof req || (len && memcmp(req, "POST /", 6) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		description(data + 1, size - 1);
	else
		coap(data + 1, size - 1);
	return 0;
}
