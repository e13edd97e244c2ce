/* fuzz_text.c: libFuzzer target for tb_text_clean and the one escaper
 * (tb_text_escape, tb_text_escape_with).  The escape of any bytes must be
 * clean text; clean text escapes to itself; the ASCII transcript form walks
 * the input byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* TB_ESC_ASCII | TB_ESC_DROP_CR: printable ASCII, TAB and LF copied, CR
 * gone, every other byte exactly "\xNN" with its own value. */
static void check_ascii_transcript(const uint8_t *data, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	char *esc = tb_text_escape_with(data, size, TB_ESC_ASCII | TB_ESC_DROP_CR);
	size_t o = 0;
	for (size_t i = 0; i < size; i++) {
		uint8_t c = data[i];
		if (c == '\r')
			continue;
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			if ((uint8_t)esc[o++] != c)
				abort();
		} else if (esc[o] != '\\' || esc[o + 1] != 'x' || esc[o + 2] != hex[c >> 4] ||
			   esc[o + 3] != hex[c & 15]) {
			abort();
		} else {
			o += 4;
		}
	}
	if (esc[o] != '\0')
		abort();
	free(esc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int clean = tb_text_clean(data, size);
	if (clean != 0 && clean != 1)
		abort();
	char *esc = tb_text_escape(data, size);
	size_t n = strlen(esc);
	if (n < size || n > size * 4)
		abort();
	if (!tb_text_clean((const uint8_t *)esc, n))
		abort();
	if (clean && (n != size || memcmp(esc, data, size) != 0))
		abort();
	if (!clean && n == size && memcmp(esc, data, size) == 0)
		abort();
	/* A prefix of clean text that ends on a character boundary is clean. */
	if (clean && size && (data[size - 1] & 0x80) == 0 && !tb_text_clean(data, size - 1))
		abort();
	free(esc);
	check_ascii_transcript(data, size);
	return 0;
}
