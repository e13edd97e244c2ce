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
	char why[128];
	enum tb_err e = tb_p_fwmanifest(data, size, &m, why, sizeof why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT && e != TB_E_TOOBIG)
		abort();
	if (strlen(why) >= sizeof why || (e != TB_OK && (!why[0] || m.version.nparts)))
		abort();
	if (e == TB_OK && (m.version.nparts == 0 || tb_fw_version_cmp(&m.version, &m.version) != 0))
		abort();
	if (tb_p_fw_version((const char *)data, size, &v, why, sizeof why) == TB_OK &&
	    (v.nparts == 0 || strlen(v.text) != size))
		abort();
	e = tb_p_fwsig_ecdsa_der(data, size, why, sizeof why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	e = tb_p_fwsig_cms_outer(data, size, why, sizeof why);
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT)
		abort();
	return 0;
}
