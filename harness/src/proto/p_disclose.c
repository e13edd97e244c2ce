/* p_disclose.c: sorting what a device disclosed into kinds (p_disclose.h). */
#include "proto/p_disclose.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[TB_DISC_COUNT] = { "version",  "serial",     "mac",
						       "model",    "hostname",   "contact",
						       "location", "identifier", "resources" };

const char *tb_disc_kind_name(enum tb_disc_kind k)
{
	return (unsigned)k < TB_DISC_COUNT ? kind_names[k] : "?";
}

enum tb_disc_kind tb_disc_kind_parse(const char *s)
{
	unsigned k = 0;
	while (k < TB_DISC_COUNT && strcmp(s, kind_names[k]) != 0)
		k++;
	return (enum tb_disc_kind)k;
}

static int key_has(const char *key, const char *word)
{
	size_t n = strlen(word);
	for (const char *k = key; *k; k++)
		if (strncasecmp(k, word, n) == 0)
			return 1;
	return 0;
}

static int hexval(char c)
{
	return isxdigit((unsigned char)c) ? 1 : 0;
}

/* Six hex pairs joined by one separator (':' or '-'), not inside a longer run. */
static int has_mac(const char *v)
{
	for (const char *p = v; *p; p++) {
		if (p != v && (isxdigit((unsigned char)p[-1]) || p[-1] == ':'))
			continue;
		char sep = 0;
		int ok = 1;
		for (int i = 0; i < 6 && ok; i++) {
			const char *q = p + 3 * i;
			ok = hexval(q[0]) && hexval(q[1]);
			if (ok && i < 5) {
				if (!sep && (q[2] == ':' || q[2] == '-'))
					sep = q[2];
				ok = sep && q[2] == sep;
			}
		}
		if (ok && !isxdigit((unsigned char)p[17]) && p[17] != sep)
			return 1;
	}
	return 0;
}

/* An SNMP engine ID (hex text) in the RFC 3411 MAC format: the first bit
 * set, then 4 bytes of enterprise, then format 3 and 6 bytes. */
static int engine_id_mac(const char *v)
{
	size_t n = strlen(v);
	if (n != 22 || strspn(v, "0123456789abcdefABCDEF") != n)
		return 0;
	return (v[0] >= '8' || isalpha((unsigned char)v[0])) && v[8] == '0' && v[9] == '3';
}

static const char *const protocol_tokens[] = { "HTTP/", "UPnP/", "RTSP/", "SSH-", "DLNADOC/",
					       "SIP/",  "MQTT",  "CoAP/", NULL };

static int protocol_token_at(const uint8_t *p, size_t n, size_t start)
{
	for (const char *const *t = protocol_tokens; *t; t++) {
		size_t k = strlen(*t);
		if (start + k <= n && strncasecmp((const char *)p + start, *t, k) == 0)
			return 1;
	}
	return 0;
}

size_t tb_version_tokens(const uint8_t *p, size_t n, char (*out)[64], size_t max)
{
	size_t got = 0;
	for (size_t i = 0; i < n && got < max; i++) {
		/* A product token: letters, then '/', '_', ' ' or 'v', then d+.d+ */
		if (!isdigit(p[i]) || (i > 0 && (isdigit(p[i - 1]) || p[i - 1] == '.')))
			continue;
		size_t j = i, dots = 0, parts = 1;
		while (j < n && (isdigit(p[j]) || (p[j] == '.' && j + 1 < n && isdigit(p[j + 1])))) {
			if (p[j] == '.') {
				dots++;
				parts++;
			}
			j++;
		}
		if (dots == 0)
			continue;
		int is_ip = parts == 4; /* 198.18.1.10: an address, not a version */
		while (j < n && isalnum(p[j]) && j - i < 24)
			j++; /* 9.2p1 */
		size_t s = i;
		if (s > 0 && (p[s - 1] == 'v' || p[s - 1] == 'V'))
			s--;
		if (s > 0 && (p[s - 1] == '/' || p[s - 1] == '_' || p[s - 1] == ' ' || p[s - 1] == '-'))
			s--;
		size_t w = s;
		while (w > 0 && (isalnum(p[w - 1]) || p[w - 1] == '-' || p[w - 1] == '_') && s - w < 32)
			w--;
		while (w < s && !isalpha(p[w]))
			w++; /* "SSH-2.0-OpenSSH_9.2p1": the name starts at a letter */
		int named = w < s;
		if (is_ip || !named || protocol_token_at(p, n, w)) {
			i = j;
			continue;
		}
		size_t len = j - w < 63 ? j - w : 63;
		for (size_t k = 0; k < len; k++)
			out[got][k] = (p[w + k] >= 0x20 && p[w + k] < 0x7f) ? (char)p[w + k] : '?';
		out[got][len] = '\0';
		got++;
		i = j;
	}
	return got;
}

unsigned tb_disc_kinds(const char *key, const char *value)
{
	unsigned k = 0;
	char tok[1][64];
	if (has_mac(value) || (key_has(key, "engineID") && engine_id_mac(value)) || key_has(key, "mac"))
		k |= 1u << TB_DISC_MAC;
	if (key_has(key, "serial"))
		k |= 1u << TB_DISC_SERIAL;
	/* A protocol's own version (tls-version: TLS1.3) names no product. */
	int protocol_key = strncasecmp(key, "tls-", 4) == 0;
	if (!protocol_key && (key_has(key, "version") || key_has(key, "firmware") ||
			      tb_version_tokens((const uint8_t *)value, strlen(value), tok, 1)))
		k |= 1u << TB_DISC_VERSION;
	if (key_has(key, "model") || key_has(key, "sysObjectID") || key_has(key, "manufacturer"))
		k |= 1u << TB_DISC_MODEL;
	if (key_has(key, "sysName") || key_has(key, "hostname") || key_has(key, "friendlyName"))
		k |= 1u << TB_DISC_HOSTNAME;
	if (key_has(key, "contact"))
		k |= 1u << TB_DISC_CONTACT;
	if (key_has(key, "sysLocation"))
		k |= 1u << TB_DISC_LOCATION;
	if (key_has(key, "UDN") || key_has(key, "USN") || strncasecmp(value, "uuid:", 5) == 0)
		k |= 1u << TB_DISC_IDENTIFIER;
	if (key_has(key, "resource") || key_has(key, "serviceType") || key_has(key, "txt") ||
	    key_has(key, "ptr"))
		k |= 1u << TB_DISC_RESOURCES;
	return k;
}
