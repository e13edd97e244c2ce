/* text.h: device bytes made safe as text (UTF-8 check, the one escaper, hex). */
#ifndef TB_TEXT_H
#define TB_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Is buf valid UTF-8 with no control characters other than tab, CR, LF
 * (and none of the characters XML 1.0 forbids)?  Text that is not goes
 * into reports hex-encoded. */
int tb_text_clean(const uint8_t *buf, size_t len);

/* Flags of tb_text_escape_with. */
enum {
	TB_ESC_ASCII = 1u << 0,   /* keep printable ASCII, TAB and LF only: every other byte is \xNN */
	TB_ESC_DROP_CR = 1u << 1, /* leave CR out (CRLF line ends become LF) */
};

/* The one escaper of device bytes: clean characters (see tb_text_clean;
 * with TB_ESC_ASCII, only printable ASCII, TAB and LF) are copied, every
 * other byte becomes the four characters \xNN.  The result is always clean
 * text and at most 4 * len characters long.  Returns a new string. */
char *tb_text_escape_with(const uint8_t *buf, size_t len, unsigned flags);
/* Text safe for XML: invalid UTF-8 and control characters become \xNN
 * (tb_text_escape_with, no flags).  Returns a new string. */
char *tb_text_escape(const uint8_t *buf, size_t len);

/* Lower-case hex of len bytes into out (2 * len + 1 bytes, NUL-terminated).
 * An encoding, not an escape: the bytes can be recovered exactly. */
void tb_hex_encode(const uint8_t *buf, size_t len, char *out);
/* Overwrite every occurrence of secret[0..k) in buf[0..len) with '*' (a
 * credential kept out of evidence, even where a device echoes it back).
 * Returns how many were masked; k == 0 masks nothing. */
size_t tb_mask_secret(uint8_t *buf, size_t len, const void *secret, size_t k);

#endif
