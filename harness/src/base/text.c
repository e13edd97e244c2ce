/* text.c: device bytes made safe as text (see text.h). */
#define _GNU_SOURCE
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#include "base/tb.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is invalid,
 * overlong, a surrogate, beyond U+10FFFF or a character XML 1.0 forbids. */
static size_t utf8_seq(const uint8_t *p, size_t left)
{
	uint8_t c = p[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* Characters XML 1.0 forbids. */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

int tb_text_clean(const uint8_t *buf, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint8_t c = buf[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return 0;
		size_t n = utf8_seq(buf + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Length of the clean character starting at buf (1..4 bytes), 0 if none. */
static size_t clean_run(const uint8_t *buf, size_t left, unsigned flags)
{
	if (flags & TB_ESC_ASCII) {
		uint8_t c = buf[0];
		return c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f);
	}
	for (size_t n = 1; n <= 4 && n <= left; n++)
		if (tb_text_clean(buf, n))
			return n;
	return 0;
}

char *tb_text_escape_with(const uint8_t *buf, size_t len, unsigned flags)
{
	char *out = tb_xmalloc(len * 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (buf[i] == '\r' && (flags & TB_ESC_DROP_CR)) {
			i++;
			continue;
		}
		size_t n = clean_run(buf + i, len - i, flags);
		if (n) {
			memcpy(out + o, buf + i, n);
			o += n;
			i += n;
		} else {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", buf[i]);
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

char *tb_text_escape(const uint8_t *buf, size_t len)
{
	return tb_text_escape_with(buf, len, 0);
}

void tb_hex_encode(const uint8_t *buf, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 15];
	}
	out[2 * len] = '\0';
}

size_t tb_mask_secret(uint8_t *buf, size_t len, const void *secret, size_t k)
{
	size_t masked = 0;
	uint8_t *p = buf, *end = buf + len;
	while (k && (size_t)(end - p) >= k) {
		uint8_t *hit = memmem(p, (size_t)(end - p), secret, k);
		if (!hit)
			break;
		memset(hit, '*', k);
		masked++;
		p = hit + k;
	}
	return masked;
}
