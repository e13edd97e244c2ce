/* fuzz_p_fwmanifest.c: libFuzzer target for the firmware manifest, version
 * and signature framing parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_fwmanifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_fw_manifest m;
	struct tb_fw_version v;
	struct tb_diag why;
	memset(&why, 0, sizeof why);
	enum tb_err e = tb_p_fwmanifest(data, size, &m, &why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT && e != TB_E_TOOBIG)
		abort();
	if (memchr(why.msg, '\0', sizeof why.msg) == NULL ||
	    (e != TB_OK && (!why.msg[0] || m.version.nparts)))
		abort();
	if (e == TB_OK && (m.version.nparts == 0 || tb_fw_version_cmp(&m.version, &m.version) != 0))
		abort();
	if (tb_p_fw_version((const char *)data, size, &v, &why) == TB_OK &&
	    (v.nparts == 0 || strlen(v.text) != size))
		abort();
	e = tb_p_fwsig_ecdsa_der(data, size, &why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	e = tb_p_fwsig_cms_outer(data, size, &why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	return 0;
}
