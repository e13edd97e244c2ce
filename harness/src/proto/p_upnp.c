/* p_upnp.c: UPnP device descriptions (see p_upnp.h).
 *
 * The description is scanned, not parsed as XML: only the text content of
 * a few leaf elements is wanted, and a scanner that never recurses, never
 * resolves entities and never allocates cannot be turned against the
 * harness by a hostile document.  An element counts when "<name>" (no
 * attributes, optional namespace prefix) is followed by text and "</".
 */
#include "proto/p_upnp.h"

#include <stdio.h>
#include <string.h>

static const char *const wanted[] = {
	"friendlyName",     "manufacturer",    "modelName", "modelNumber",
	"modelDescription", "serialNumber",    "UDN",       "presentationURL",
	"serviceType",      "manufacturerURL", "modelURL",  NULL
};

/* The wanted element whose name is p[0..n), or NULL. */
static const char *wanted_name(const uint8_t *p, size_t n)
{
	for (const char *const *w = wanted; *w; w++)
		if (strlen(*w) == n && memcmp(p, *w, n) == 0)
			return *w;
	return NULL;
}

/* Copy text into a printable, NUL-terminated value; whitespace runs
 * become one space, other bytes outside 0x20..0x7e become '?'. */
static void printable(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	size_t o = 0;
	int space = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		uint8_t c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < cap)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[o] = '\0';
}

/* At p[i] == '<': the element name of an opening tag without attributes
 * (after an optional "prefix:"), its length in *nl, the text start in *ts.
 * Returns the name or NULL. */
static const uint8_t *open_tag(const uint8_t *p, size_t n, size_t i, size_t *nl, size_t *ts)
{
	size_t j = i + 1, start = j;
	while (j < n && j - i < 64 && p[j] != '>' && p[j] != ' ' && p[j] != '/' && p[j] != '<') {
		if (p[j] == ':')
			start = j + 1;
		j++;
	}
	if (j >= n || p[j] != '>' || j == start)
		return NULL;
	*nl = j - start;
	*ts = j + 1;
	return p + start;
}

size_t tb_p_upnp_desc_items(const uint8_t *xml, size_t n, struct tb_upnp_item *out, size_t max,
			    int *more)
{
	size_t got = 0;
	*more = 0;
	if (!xml)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (xml[i] != '<')
			continue;
		size_t nl, ts;
		const uint8_t *name = open_tag(xml, n, i, &nl, &ts);
		const char *w = name ? wanted_name(name, nl) : NULL;
		if (!w)
			continue;
		const uint8_t *end = memchr(xml + ts, '<', n - ts);
		if (!end || (size_t)(end - xml) + 1 >= n || end[1] != '/')
			continue; /* not a leaf with text, or cut short */
		size_t tl = (size_t)(end - (xml + ts));
		if (tl == 0)
			continue;
		if (got == max) {
			*more = 1;
			break;
		}
		snprintf(out[got].key, sizeof out[got].key, "%s", w);
		printable(out[got].value, sizeof out[got].value, xml + ts, tl);
		got++;
		i = (size_t)(end - xml);
	}
	return got;
}
