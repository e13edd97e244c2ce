/* fuzz_p_mutate.c: the mutators on any input and seed: the output stays
 * within the cap, the same seed gives the same bytes, and the evidence
 * escape of it is exact.  The first 8 bytes are the seed, the next one picks
 * the cap, the rest is the "valid" request. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t a[TB_MUT_MAX + 1], b[TB_MUT_MAX + 1];
static char esc[4 * TB_MUT_MAX + 1];

/* kind 0 HTTP, 1 MQTT, 2 telnet, 3 CoAP, 4 UPnP SOAP */
static size_t mutate(int kind, const uint8_t *req, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		     char what[TB_MUT_WHAT])
{
	if (kind == 0)
		return tb_mut_http(req, len, seed, out, cap, what);
	if (kind == 1)
		return tb_mut_mqtt(req, len, seed, out, cap, what);
	if (kind == 3)
		return tb_mut_coap(req, len, seed, out, cap, what);
	if (kind == 4)
		return tb_mut_soap(req, len, seed, out, cap, what);
	return tb_mut_telnet(req, len, seed, out, cap, what);
}

static void one(int kind, const uint8_t *req, size_t len, uint64_t seed, size_t cap)
{
	char wa[TB_MUT_WHAT], wb[TB_MUT_WHAT];
	a[cap] = 0xa5;
	size_t na = mutate(kind, req, len, seed, a, cap, wa);
	size_t nb = mutate(kind, req, len, seed, b, cap, wb);
	if (na > cap || na > TB_MUT_MAX || a[cap] != 0xa5 || na != nb || memcmp(a, b, na) != 0 ||
	    strcmp(wa, wb) != 0)
		abort();
	size_t need = tb_mut_escape(a, na, esc, sizeof esc);
	if (need >= sizeof esc || strlen(esc) != need)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9)
		return 0;
	uint64_t seed = 0;
	for (int i = 0; i < 8; i++)
		seed = seed << 8 | data[i];
	size_t cap = data[8] == 0xff ? TB_MUT_MAX : (size_t)data[8] * 61;
	for (int kind = 0; kind < 5; kind++)
		one(kind, data + 9, size - 9, seed, cap);
	return 0;
}
