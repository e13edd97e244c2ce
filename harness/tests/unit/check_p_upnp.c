/* check_p_upnp.c: unit tests for the UPnP device description scanner
 * (proto/p_upnp.c), which reads what an SSDP LOCATION leads to. */
#include <check.h>
#include <string.h>

#include "proto/p_upnp.h"
#include "suites.h"

static const char desc[] =
	"<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
	"<specVersion><major>1</major><minor>0</minor></specVersion><device>"
	"<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
	"<friendlyName>RD-1 Camera (lab)</friendlyName><manufacturer>Trustbench</manufacturer>"
	"<modelName>RD-1</modelName><modelNumber>1.0.3</modelNumber>"
	"<serialNumber>RD1-000123</serialNumber><UDN>uuid:1234-5678</UDN>"
	"<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3:1</serviceType>"
	"</service></serviceList></device></root>";

static const char *find(const struct tb_upnp_item *it, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].key, key) == 0)
			return it[i].value;
	return NULL;
}

START_TEST(upnp_identifying_elements)
{
	struct tb_upnp_item it[16];
	int more;
	size_t n = tb_p_upnp_desc_items((const uint8_t *)desc, strlen(desc), it, 16, &more);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(more, 0);
	ck_assert_str_eq(find(it, n, "serialNumber"), "RD1-000123");
	ck_assert_str_eq(find(it, n, "modelNumber"), "1.0.3");
	ck_assert_str_eq(find(it, n, "friendlyName"), "RD-1 Camera (lab)");
	ck_assert_str_eq(find(it, n, "serviceType"), "urn:schemas-upnp-org:service:Layer3:1");
	ck_assert_ptr_null(find(it, n, "deviceType")); /* not identifying */
	ck_assert_ptr_null(find(it, n, "major"));
}
END_TEST

START_TEST(upnp_hostile_bytes)
{
	struct tb_upnp_item it[2];
	int more;
	/* Cut short inside the text, a prefix, control bytes, more than fit. */
	static const char cut[] = "<serialNumber>RD1-0001";
	ck_assert_uint_eq(tb_p_upnp_desc_items((const uint8_t *)cut, strlen(cut), it, 2, &more), 0);
	static const char pfx[] = "<d:serialNumber>A\x01\xff  B</d:serialNumber>";
	ck_assert_uint_eq(tb_p_upnp_desc_items((const uint8_t *)pfx, strlen(pfx), it, 2, &more), 1);
	ck_assert_str_eq(it[0].value, "A?? B");
	ck_assert_uint_eq(tb_p_upnp_desc_items((const uint8_t *)desc, strlen(desc), it, 2, &more), 2);
	ck_assert_int_eq(more, 1);
	ck_assert_uint_eq(tb_p_upnp_desc_items(NULL, 10, it, 2, &more), 0);
	/* Attributes and nested elements are not leaf text. */
	static const char attr[] = "<serialNumber a=\"1\">X</serialNumber><UDN><x/></UDN>";
	ck_assert_uint_eq(tb_p_upnp_desc_items((const uint8_t *)attr, strlen(attr), it, 2, &more), 0);
	/* A value longer than the buffer is cut, and stays terminated. */
	char big[600] = "<modelName>";
	memset(big + 11, 'M', 400);
	memcpy(big + 411, "</modelName>", 13);
	ck_assert_uint_eq(tb_p_upnp_desc_items((const uint8_t *)big, strlen(big), it, 2, &more), 1);
	ck_assert_uint_eq(strlen(it[0].value), TB_UPNP_VAL - 1);
}
END_TEST

Suite *p_upnp_suite(void)
{
	Suite *s = suite_create("p_upnp");
	TCase *tc = tcase_create("upnp");
	tcase_add_test(tc, upnp_identifying_elements);
	tcase_add_test(tc, upnp_hostile_bytes);
	suite_add_tcase(s, tc);
	return s;
}
