/* check_p_mutate.c: the seeded mutator is pure (same seed, same bytes),
 * bounded (never past the cap), reaches every mutation, and lies in MQTT
 * length fields the way it says; the evidence escape is exact and never
 * splits an escape. */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "proto/p_mqttclient.h"
#include "proto/p_mutate.h"
#include "suites.h"

static const char http_req[] = "GET / HTTP/1.1\r\nHost: 198.18.1.10\r\nConnection: close\r\n\r\n";
#define HTTP_REQ ((const uint8_t *)http_req), (sizeof http_req - 1)
/* The digest of the default campaign's first 200 inputs per service. */
#define PINNED_DIGEST "0670f18010d9b047b5ee40631d4be5dc6e13ec768f04f5671468892d9c46bbb3"

static size_t connect_pkt(uint8_t *out, size_t cap)
{
	size_t n = tb_mqtt_build_connect(out, cap, "tb-robustness", 30, NULL, NULL);
	ck_assert_uint_gt(n, 12);
	return n;
}

static uint8_t a[TB_MUT_MAX], b[TB_MUT_MAX];

static const uint8_t telnet_opening[] = { 255, 253, 1,   255, 253, 3,    255, 252,
					  24,  'r', 'o', 'o', 't', '\r', '\n' };

/* CON GET /.well-known/core, message ID 0x1234, token "tbrb". */
static const uint8_t coap_get[] = { 0x44, 0x01, 0x12, 0x34, 't', 'b', 'r', 'b', 0xbb,
				    '.',  'w',  'e',  'l',  'l', '-', 'k', 'n', 'o',
				    'w',  'n',  0x04, 'c',  'o', 'r', 'e' };

static const char soap_req[] =
	"POST /ctl/cds HTTP/1.1\r\nHost: 198.18.1.10:5000\r\n"
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"
	"SOAPAction: \"urn:schemas-upnp-org:service:ContentDirectory:1#GetSystemUpdateID\"\r\n"
	"Connection: close\r\nContent-Length: 216\r\n\r\n"
	"<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	"<s:Body><u:GetSystemUpdateID xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\">"
	"</u:GetSystemUpdateID></s:Body></s:Envelope>";
#define SOAP_REQ ((const uint8_t *)soap_req), (sizeof soap_req - 1)

enum which { HTTP, MQTT, TELNET, COAP, SOAP };

/* One mutation of the valid input of that kind. */
static size_t mutate(enum which w, uint64_t seed, uint8_t *out, size_t cap, char what[TB_MUT_WHAT])
{
	uint8_t pkt[64];
	if (w == HTTP)
		return tb_mut_http(HTTP_REQ, seed, out, cap, what);
	if (w == TELNET)
		return tb_mut_telnet(telnet_opening, sizeof telnet_opening, seed, out, cap, what);
	if (w == COAP)
		return tb_mut_coap(coap_get, sizeof coap_get, seed, out, cap, what);
	if (w == SOAP)
		return tb_mut_soap(SOAP_REQ, seed, out, cap, what);
	return tb_mut_mqtt(pkt, connect_pkt(pkt, sizeof pkt), seed, out, cap, what);
}

START_TEST(same_seed_same_bytes)
{
	for (enum which w = HTTP; w <= SOAP; w++)
		for (uint64_t seed = 0; seed < 500; seed++) {
			char wa[TB_MUT_WHAT], wb[TB_MUT_WHAT];
			size_t na = mutate(w, seed, a, sizeof a, wa);
			size_t nb = mutate(w, seed, b, sizeof b, wb);
			ck_assert_uint_eq(na, nb);
			ck_assert(memcmp(a, b, na) == 0);
			ck_assert_str_eq(wa, wb);
		}
}
END_TEST

/* Reproducing a campaign from a report's seed needs the mutator to stay the
 * same: a change to it must change this digest on purpose (and say so). */
START_TEST(campaign_bytes_are_pinned)
{
	uint8_t pkt[64];
	size_t plen = connect_pkt(pkt, sizeof pkt);
	static uint8_t sums[400][32]; /* the digest of each input, in order */
	for (uint32_t i = 0; i < 200; i++) {
		char w[TB_MUT_WHAT];
		size_t n = tb_mut_http(HTTP_REQ, tb_mut_input_seed(303645, 80, i), a, sizeof a, w);
		tb_sha256_mem(a, n, sums[2 * i]);
		n = tb_mut_mqtt(pkt, plen, tb_mut_input_seed(303645, 1883, i), a, sizeof a, w);
		tb_sha256_mem(a, n, sums[2 * i + 1]);
	}
	uint8_t sum[32];
	char hex[65];
	tb_sha256_mem(sums, sizeof sums, sum);
	tb_sha256_hex(sum, hex);
	ck_assert_str_eq(hex, PINNED_DIGEST);
}
END_TEST

START_TEST(output_never_exceeds_cap)
{
	static const size_t caps[] = { 0, 1, 2, 5, 17, 64, 100, 1000 };
	for (enum which w = HTTP; w <= SOAP; w++) {
		for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
			for (uint64_t seed = 0; seed < 300; seed++) {
				char what[TB_MUT_WHAT];
				memset(a, 0xAA, sizeof a);
				ck_assert_uint_le(mutate(w, seed, a, caps[c], what), caps[c]);
				ck_assert_uint_eq(a[caps[c]], 0xAA); /* nothing written past the cap */
			}
		}
		for (uint64_t seed = 0; seed < 300; seed++) {
			char what[TB_MUT_WHAT];
			ck_assert_uint_le(mutate(w, seed, a, sizeof a, what), TB_MUT_MAX);
		}
	}
}
END_TEST

/* How many distinct mutation names seeds 0..n-1 reach. */
static size_t distinct_kinds(enum which which, uint64_t n)
{
	char seen[32][TB_MUT_WHAT];
	size_t ns = 0;
	for (uint64_t seed = 0; seed < n; seed++) {
		char w[TB_MUT_WHAT];
		mutate(which, seed, a, sizeof a, w);
		w[strcspn(w, "(")] = '\0'; /* the name without its size */
		size_t i = 0;
		while (i < ns && strcmp(seen[i], w) != 0)
			i++;
		if (i == ns && ns < 32)
			snprintf(seen[ns++], TB_MUT_WHAT, "%s", w);
	}
	return ns;
}

START_TEST(every_mutation_is_reached)
{
	ck_assert_uint_eq(distinct_kinds(HTTP, 2000), 15);
	ck_assert_uint_eq(distinct_kinds(MQTT, 2000), 14);
	ck_assert_uint_eq(distinct_kinds(TELNET, 2000), 11);
	ck_assert_uint_eq(distinct_kinds(COAP, 2000), 17);
	ck_assert_uint_eq(distinct_kinds(SOAP, 2000), 12);
}
END_TEST

START_TEST(mutations_differ_from_the_valid_request)
{
	unsigned same = 0;
	for (uint64_t seed = 0; seed < 1000; seed++) {
		char w[TB_MUT_WHAT];
		size_t n = tb_mut_http(HTTP_REQ, seed, a, sizeof a, w);
		same += n == sizeof http_req - 1 && memcmp(a, http_req, n) == 0;
	}
	ck_assert_uint_lt(same, 5); /* a bit flipped twice back, at most */
}
END_TEST

/* The first seed whose mutation's name starts with prefix. */
static size_t find_mutation(enum which which, const char *prefix, uint8_t *out, char w[TB_MUT_WHAT])
{
	for (uint64_t seed = 0; seed < 5000; seed++) {
		size_t n = mutate(which, seed, out, TB_MUT_MAX, w);
		if (strncmp(w, prefix, strlen(prefix)) == 0)
			return n;
	}
	ck_abort_msg("no seed gives %s", prefix);
	return 0;
}

START_TEST(http_length_lies)
{
	char w[TB_MUT_WHAT];
	size_t n = find_mutation(HTTP, "negative Content-Length", a, w);
	ck_assert_ptr_nonnull(memmem(a, n, "\r\nContent-Length: -", 19));
	n = find_mutation(HTTP, "huge Content-Length", a, w);
	ck_assert_ptr_nonnull(memmem(a, n, "\r\nContent-Length: ", 18));
	n = find_mutation(HTTP, "oversized header value", a, w);
	ck_assert_uint_gt(n, 1024);
	ck_assert_ptr_nonnull(memmem(a, n, "\r\nX-Tb-Long: BBBB", 17));
	/* Still a head: the mutation sits between request line and blank line. */
	ck_assert(memcmp(a + n - 4, "\r\n\r\n", 4) == 0);
	n = find_mutation(HTTP, "bare LF", a, w);
	ck_assert_ptr_null(memchr(a, '\r', n));
}
END_TEST

/* The remaining length a packet claims, and where its body starts. */
static size_t claimed(const uint8_t *p, size_t n, size_t *body)
{
	size_t rem = 0, i;
	for (i = 1; i < n && i < 5; i++) {
		rem |= (size_t)(p[i] & 0x7f) << (7 * (i - 1));
		if (!(p[i] & 0x80))
			break;
	}
	*body = i + 1;
	return rem;
}

START_TEST(mqtt_length_lies)
{
	char w[TB_MUT_WHAT];
	size_t body, n = find_mutation(MQTT, "remaining length larger", a, w);
	ck_assert_uint_gt(claimed(a, n, &body), n - body);
	n = find_mutation(MQTT, "remaining length smaller", a, w);
	ck_assert_uint_lt(claimed(a, n, &body), n - body);
	n = find_mutation(MQTT, "remaining length of five", a, w);
	ck_assert(memcmp(a + 1, "\xff\xff\xff\xff\x7f", 5) == 0);
	n = find_mutation(MQTT, "oversized client identifier", a, w);
	/* An honest packet with a long identifier: lengths agree. */
	ck_assert_uint_eq(claimed(a, n, &body), n - body);
	ck_assert_uint_gt(n, 1000);
	n = find_mutation(MQTT, "client identifier length beyond", a, w);
	ck_assert_uint_eq(a[n - 15], 0xff); /* the id field of "tb-robustness" */
	ck_assert_uint_eq(a[n - 14], 0xff);
}
END_TEST

START_TEST(telnet_negotiation_breaks)
{
	char w[TB_MUT_WHAT];
	size_t n = find_mutation(TELNET, "subnegotiation never closed", a, w);
	ck_assert_uint_gt(n, 1024);
	ck_assert_ptr_nonnull(memmem(a, n, "\xff\xfa", 2));
	ck_assert_ptr_null(memmem(a, n, "\xff\xf0", 2)); /* no IAC SE */
	n = find_mutation(TELNET, "oversized subnegotiation", a, w);
	ck_assert(memcmp(a + n - 2, "\xff\xf0", 2) == 0);
	n = find_mutation(TELNET, "IAC cut off", a, w);
	ck_assert(a[n - 1] == 0xff || a[n - 2] == 0xff);
}
END_TEST

/* The option mutations keep the valid message and break what follows it,
 * each the way its name says. */
START_TEST(coap_options_break)
{
	char w[TB_MUT_WHAT];
	const size_t v = sizeof coap_get;
	size_t n = find_mutation(COAP, "option delta of the reserved nibble 15", a, w);
	ck_assert(memcmp(a, coap_get, v) == 0);
	ck_assert_uint_eq(a[v] >> 4, 15);
	ck_assert_uint_lt(a[v] & 15, 15); /* not the payload marker */
	n = find_mutation(COAP, "option length of the reserved nibble 15", a, w);
	ck_assert(memcmp(a, coap_get, v) == 0);
	ck_assert_uint_lt(a[v] >> 4, 15);
	ck_assert_uint_eq(a[v] & 15, 15);
	n = find_mutation(COAP, "token length over 8", a, w);
	ck_assert_uint_gt(a[0] & 15, 8);
	ck_assert_uint_eq(n, v);
	n = find_mutation(COAP, "token length beyond", a, w);
	ck_assert_uint_eq(a[0] & 15, 8);
	ck_assert_uint_lt(n, 4 + 8);
	n = find_mutation(COAP, "payload marker without payload", a, w);
	ck_assert_uint_eq(n, v + 1);
	ck_assert_uint_eq(a[v], 0xff);
	n = find_mutation(COAP, "13 extension byte cut off", a, w);
	ck_assert_uint_eq(n, v + 1);
	ck_assert(a[v] == 0xd0 || a[v] == 0x0d);
	n = find_mutation(COAP, "14 extension bytes cut off", a, w);
	ck_assert_uint_eq(n, v + 2);
	ck_assert(a[v] == 0xe0 || a[v] == 0x0e);
	n = find_mutation(COAP, "option number past 65535", a, w);
	ck_assert(memcmp(a + v, "\xe0\xff\xff", 3) == 0); /* delta 65804 */
	n = find_mutation(COAP, "extended option length beyond", a, w);
	ck_assert_uint_eq(a[v], 0x0e);
	ck_assert_uint_gt((size_t)(a[v + 1] << 8 | a[v + 2]) + 269, n - v - 3);
	n = find_mutation(COAP, "oversized option value", a, w);
	ck_assert_uint_eq(n, v + 3 + ((size_t)(a[v + 1] << 8 | a[v + 2]) + 269)); /* honest */
}
END_TEST

/* The body after the head's blank line, and the Content-Length it claims. */
static const uint8_t *soap_split(const uint8_t *m, size_t n, size_t *body_len, long *cl)
{
	const uint8_t *end = memmem(m, n, "\r\n\r\n", 4);
	ck_assert_ptr_nonnull(end);
	const char *h = memmem(m, (size_t)(end - m), "\r\nContent-Length: ", 18);
	ck_assert_ptr_nonnull(h);
	*cl = strtol(h + 18, NULL, 10);
	*body_len = n - (size_t)(end + 4 - m);
	return end + 4;
}

START_TEST(soap_bodies_break)
{
	char w[TB_MUT_WHAT];
	size_t bl;
	long cl;
	size_t n = find_mutation(SOAP, "deeply nested", a, w);
	const uint8_t *body = soap_split(a, n, &bl, &cl);
	ck_assert_int_eq(cl, (long)bl); /* honest framing: the XML is the attack */
	ck_assert_ptr_nonnull(memmem(body, bl, "<s:Body><a><a><a><a>", 20));
	ck_assert(memcmp(a, "POST /ctl/cds HTTP/1.1\r\n", 24) == 0);
	n = find_mutation(SOAP, "nested entity", a, w);
	body = soap_split(a, n, &bl, &cl);
	ck_assert_int_eq(cl, (long)bl);
	ck_assert_ptr_nonnull(memmem(body, bl, "<!ENTITY g", 10));
	ck_assert_ptr_nonnull(memmem(body, bl, "<s:Body>&g;", 11));
	n = find_mutation(SOAP, "no SOAPAction", a, w);
	ck_assert_ptr_null(memmem(a, n, "SOAPAction", 10));
	n = find_mutation(SOAP, "wrong or malformed SOAPAction", a, w);
	const uint8_t *sa = memmem(a, n, "SOAPAction: ", 12);
	ck_assert_ptr_nonnull(sa);
	ck_assert_ptr_null(memmem(sa + 1, n - (size_t)(sa + 1 - a), "SOAPAction: ", 12)); /* one only */
	ck_assert_ptr_null(memmem(a, n, "1#GetSystemUpdateID\"\r\n", 22));
	n = find_mutation(SOAP, "Content-Length shorter", a, w);
	soap_split(a, n, &bl, &cl);
	ck_assert_int_lt(cl, (long)bl);
	n = find_mutation(SOAP, "Content-Length longer", a, w);
	soap_split(a, n, &bl, &cl);
	ck_assert_int_gt(cl, (long)bl);
	n = find_mutation(SOAP, "XML body cut off", a, w);
	body = soap_split(a, n, &bl, &cl);
	ck_assert_int_eq(cl, (long)bl);
	ck_assert_uint_lt(bl, 216);
	n = find_mutation(SOAP, "oversized argument", a, w);
	body = soap_split(a, n, &bl, &cl);
	ck_assert_int_eq(cl, (long)bl);
	ck_assert_ptr_nonnull(memmem(body, bl, "\"><ObjectID>AAAA", 16));
	/* Exactly one Content-Length, whatever the mutation. */
	for (uint64_t seed = 0; seed < 300; seed++) {
		n = mutate(SOAP, seed, a, sizeof a, w);
		const uint8_t *h = memmem(a, n, "Content-Length: ", 16);
		ck_assert_ptr_nonnull(h);
		ck_assert_ptr_null(memmem(h + 1, n - (size_t)(h + 1 - a), "Content-Length: ", 16));
	}
}
END_TEST

START_TEST(coap_mutator_takes_any_bytes)
{
	static const uint8_t junk[] = { 0x4f, 0x01 }; /* too short, token length 15 */
	for (uint64_t seed = 0; seed < 500; seed++) {
		char w[TB_MUT_WHAT];
		ck_assert_uint_le(tb_mut_coap(junk, sizeof junk, seed, a, sizeof a, w), sizeof junk);
		ck_assert_uint_eq(tb_mut_coap(junk, 0, seed, a, sizeof a, w), 0);
	}
}
END_TEST

START_TEST(mqtt_mutator_takes_any_bytes)
{
	static const uint8_t junk[] = { 0x10, 0xff };
	for (uint64_t seed = 0; seed < 500; seed++) {
		char w[TB_MUT_WHAT];
		size_t n = tb_mut_mqtt(junk, sizeof junk, seed, a, sizeof a, w);
		ck_assert_uint_le(n, sizeof junk + 4096);
		n = tb_mut_mqtt(junk, 0, seed, a, sizeof a, w);
		ck_assert_uint_le(n, 4096);
		n = tb_mut_http(junk, 0, seed, a, sizeof a, w);
		ck_assert_uint_le(n, TB_MUT_MAX);
	}
}
END_TEST

START_TEST(escape_is_exact)
{
	static const uint8_t in[] = { 'A', '\r', '\n', '\\', 0x00, 0xff, '\t', '"' };
	char out[64];
	size_t need = tb_mut_escape(in, sizeof in, out, sizeof out);
	ck_assert_str_eq(out, "A\\r\\n\\\\\\x00\\xff\\t\"");
	ck_assert_uint_eq(need, strlen(out));
	/* Cut short: whole escapes only, and the full length is still told. */
	for (size_t cap = 1; cap < need; cap++) {
		ck_assert_uint_eq(tb_mut_escape(in, sizeof in, out, cap), need);
		ck_assert_uint_lt(strlen(out), cap);
		ck_assert(strncmp(out, "A\\r\\n\\\\\\x00\\xff\\t\"", strlen(out)) == 0);
		size_t l = strlen(out);
		ck_assert(l == 0 || out[l - 1] != '\\' || (l >= 2 && out[l - 2] == '\\'));
	}
}
END_TEST

START_TEST(input_seeds_are_distinct)
{
	ck_assert(tb_mut_input_seed(1, 80, 0) != tb_mut_input_seed(1, 80, 1));
	ck_assert(tb_mut_input_seed(1, 80, 0) != tb_mut_input_seed(1, 1883, 0));
	ck_assert(tb_mut_input_seed(1, 80, 0) != tb_mut_input_seed(2, 80, 0));
	ck_assert(tb_mut_input_seed(1, 80, 0) == tb_mut_input_seed(1, 80, 0));
}
END_TEST

/* The same for CoAP (udp/5683) and UPnP SOAP (tcp/5000) campaigns. */
#define PINNED_DIGEST_COAP_SOAP "c728b160775d340ac090594d4860b9429582898885a3de43b66299e1a1fadae8"

START_TEST(coap_and_soap_bytes_are_pinned)
{
	static uint8_t sums[400][32];
	for (uint32_t i = 0; i < 200; i++) {
		char w[TB_MUT_WHAT];
		size_t n = tb_mut_coap(coap_get, sizeof coap_get, tb_mut_input_seed(303645, 5683, i), a,
				       sizeof a, w);
		tb_sha256_mem(a, n, sums[2 * i]);
		n = tb_mut_soap(SOAP_REQ, tb_mut_input_seed(303645, 5000, i), a, sizeof a, w);
		tb_sha256_mem(a, n, sums[2 * i + 1]);
	}
	uint8_t sum[32];
	char hex[65];
	tb_sha256_mem(sums, sizeof sums, sum);
	tb_sha256_hex(sum, hex);
	ck_assert_str_eq(hex, PINNED_DIGEST_COAP_SOAP);
}
END_TEST

Suite *p_mutate_suite(void)
{
	Suite *s = suite_create("p_mutate");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, same_seed_same_bytes);
	tcase_add_test(tc, campaign_bytes_are_pinned);
	tcase_add_test(tc, coap_and_soap_bytes_are_pinned);
	tcase_add_test(tc, output_never_exceeds_cap);
	tcase_add_test(tc, every_mutation_is_reached);
	tcase_add_test(tc, mutations_differ_from_the_valid_request);
	tcase_add_test(tc, http_length_lies);
	tcase_add_test(tc, mqtt_length_lies);
	tcase_add_test(tc, telnet_negotiation_breaks);
	tcase_add_test(tc, mqtt_mutator_takes_any_bytes);
	tcase_add_test(tc, coap_options_break);
	tcase_add_test(tc, coap_mutator_takes_any_bytes);
	tcase_add_test(tc, soap_bodies_break);
	tcase_add_test(tc, escape_is_exact);
	tcase_add_test(tc, input_seeds_are_distinct);
	suite_add_tcase(s, tc);
	return s;
}
