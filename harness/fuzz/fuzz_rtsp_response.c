/* fuzz_rtsp_response.c: libFuzzer target for the RTSP response head parser.
 *
 * Every view the parser returns must lie inside the input and inside the
 * head; a good head cut before its blank line must ask for more.
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_rtsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_view(const uint8_t *p, size_t n, const uint8_t *data, size_t end)
{
	if (p && (p < data || n > end || (size_t)(p - data) > end - n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_rtsp_resp r, again;
	enum tb_err e = tb_p_rtsp_response(data, size, &r);

	if (e == TB_E_TRUNC || e == TB_E_FORMAT || e == TB_E_TOOBIG)
		return 0;
	if (e != TB_OK)
		abort();
	if (r.header_len == 0 || r.header_len > size || r.header_len > TB_RTSP_HEAD_MAX ||
	    r.status < 100 || r.status > 999 || r.nheaders > TB_RTSP_MAX_HEADERS ||
	    r.content_length < -1 || r.content_length > 999999999 || r.cseq < -1 || r.cseq > 999999999)
		abort();
	check_view(r.digest, r.digest_len, data, r.header_len);
	check_view(r.retry_after, r.retry_after_len, data, r.header_len);
	check_view(r.server, r.server_len, data, r.header_len);
	if (tb_p_rtsp_response(data, r.header_len - 1, &again) == TB_OK)
		abort();
	return 0;
}
