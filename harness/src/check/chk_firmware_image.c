/* chk_firmware_image.c: verify the vendor's update artefact against the
 * trust anchor declared in the profile (declarations.update, IXIT
 * 7-UpdMech): signature, digest, algorithm and key size, certificate chain,
 * no rollback and TLS delivery (EN 303 645 5.3-7; see fwverify.h).  It
 * touches no device: the artefact is what the supplier hands the lab.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "trust/fwverify.h"
#include "result/result.h"

static const struct tb_param_def params[] = {
	{ .name = "artefact",
	  .type = TB_P_STR,
	  .choices = (const char *const[]){ "newer", NULL },
	  .help = "which declared test update to verify (newer: the current release)",
	  .dflt = "newer" },
};

/* Keep the small signed files as evidence (the image is named by digest). */
static void keep_file(struct tb_ctx *ctx, struct tb_result *res, const char *path, const char *name)
{
	char *buf;
	size_t n;
	struct tb_diag d = { 0 };
	if (!path || tb_file_read(path, TB_FW_SIG_MAX + 1, &buf, &n, &d) != TB_OK)
		return;
	if (n <= TB_FW_SIG_MAX && tb_ev_file(ctx, res, name, buf, n) != TB_OK)
		tb_ev_note(res, "evidence", "could not store %s", name);
	free(buf);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_update_decl *u = &ctx->profile->update;
	struct tb_fw_input in;
	struct tb_fw_report *rep;
	(void)tc;
	if (!u->present) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the profile declares no update mechanism "
			      "(declarations.update, IXIT 7-UpdMech): nothing to verify");
		return;
	}
	if (!u->newer.present) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "declarations.update names no update artefact "
			      "(test-updates.newer) to verify");
		return;
	}
	tb_fw_input_from_profile(ctx->profile, &u->newer, &in);
	rep = tb_xcalloc(1, sizeof *rep);
	tb_fw_verify(&in, rep);
	tb_ev_note(res, "artefact",
		   "image %s (%llu bytes, SHA-256 %s), %s format, signature %s%s%s, "
		   "anchor %s",
		   in.image, (unsigned long long)rep->image_size,
		   rep->image_sha256[0] ? rep->image_sha256 : "not computed", rep->format, in.sig,
		   in.manifest ? ", manifest " : "", in.manifest ? in.manifest : "", in.anchor);
	for (unsigned i = 0; i < rep->n; i++)
		tb_ev_note(res, rep->f[i].what, "%s: %s", tb_verdict_name(rep->f[i].v), rep->f[i].text);
	keep_file(ctx, res, in.sig, rep->format[0] == 'c' ? "update.p7s" : "update.sig");
	keep_file(ctx, res, in.manifest, "update.manifest");
	keep_file(ctx, res, in.anchor, "trust-anchor.pem");
	tb_result_set(res, rep->verdict, "%s", rep->reason);
	free(rep);
}

const struct tb_check_family tb_check_firmware_image = {
	.name = "firmware-image",
	.summary =
		"verifies the declared update artefact: signature, digest, algorithm, chain, "
		"no rollback, TLS delivery",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_CONCEPTUAL,
	.run = run,
};
