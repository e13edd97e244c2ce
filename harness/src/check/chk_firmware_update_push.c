/* chk_firmware_update_push.c: push updates to the device's own update
 * endpoint and see which it installs (EN 303 645 5.3-2, 5.3-9, 5.3-10).
 *
 * In this order, reading the device's firmware version back after each:
 *   1. the vendor's correctly signed newer update: must be accepted;
 *   2. the same with one image byte flipped: must be refused;
 *   3. the newer image with a manifest we wrote (version bumped) and no
 *      signature: must be refused;
 *   4. the vendor's correctly signed older update (rollback): must be refused.
 * Accepted means a 2xx answer or the version read back changing to the
 * pushed one.  Needs lab.intrusive (it changes the device's firmware).
 *
 * Wire format (POST, application/octet-stream), also in fixtures/firmware/README.md:
 *   u32 BE manifest length | manifest | u32 BE signature length | signature | image
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "check/family.h"
#include "check/chk_firmware_update_push_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "trust/fwverify.h"
#include "net/httpc.h"
#include "result/result.h"

#define PUSH_IMAGE_MAX (64u * 1024 * 1024)
#define NSTEPS 4

static const struct tb_param_def params[] = {
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 1000,
	  .max = 600000,
	  .help = "deadline for each push and its answer",
	  .dflt = "15000" },
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The framed request body. */
TB_UNITTEST struct blob fw_frame(const struct blob *man, const struct blob *sig, const struct blob *img)
{
	struct blob b;
	b.len = 8 + man->len + sig->len + img->len;
	b.p = tb_xmalloc(b.len);
	uint8_t *p = b.p;
	put_be32(p, (uint32_t)man->len);
	if (man->len)
		memcpy(p + 4, man->p, man->len);
	p += 4 + man->len;
	put_be32(p, (uint32_t)sig->len);
	if (sig->len) /* the unsigned push has none */
		memcpy(p + 4, sig->p, sig->len);
	p += 4 + sig->len;
	if (img->len)
		memcpy(p, img->p, img->len);
	return b;
}

static enum tb_err load(const char *path, size_t max, struct blob *b, struct tb_diag *d)
{
	char *buf = NULL;
	if (!path)
		return tb_diag_set(d, TB_E_CONFIG, "an artefact file is not declared");
	enum tb_err e = tb_file_read(path, max + 1, &buf, &b->len, d);
	if (!e && b->len > max)
		e = tb_diag_set(d, TB_E_TOOBIG, "too large to push");
	if (e) {
		free(buf);
		return e;
	}
	b->p = (uint8_t *)buf;
	return TB_OK;
}

struct push_ctx {
	struct tb_ctx *ctx;
	struct tb_result *res;
	const struct tb_update_decl *u;
	int timeout_ms;
	struct tb_fw_version ver; /* last version read back */
	int have_ver;
};

/* GET the version path; 0 with pc->ver set, -1 with the reason noted. */
static int read_version(struct push_ctx *pc, const char *when)
{
	struct tb_http_req rq = { .addr = pc->ctx->profile->address,
				  .port = (uint16_t)pc->u->port,
				  .path = pc->u->version_path,
				  .timeout_ms = pc->timeout_ms };
	struct tb_http_exchange hr;
	char label[96];
	struct tb_diag d = { .msg = "" };
	tb_http_get(&pc->ctx->net, &rq, &hr);
	snprintf(label, sizeof label, "version %s", when);
	tb_ev_exchange(pc->res, label, hr.request, hr.reqlen, hr.raw, hr.rawlen);
	pc->have_ver = 0;
	if (hr.err || hr.resp.status != 200) {
		tb_ev_note(pc->res, label, "no version: %s",
			   hr.err ? hr.why : "the version path did not answer 200");
	} else {
		size_t n = hr.bodylen;
		while (n && (hr.body[n - 1] == '\n' || hr.body[n - 1] == '\r' || hr.body[n - 1] == ' '))
			n--;
		if (tb_p_fw_version((const char *)hr.body, n, &pc->ver, &d) == TB_OK) {
			pc->have_ver = 1;
			tb_ev_note(pc->res, label, "the device reports firmware %s", pc->ver.text);
		} else {
			tb_ev_note(pc->res, label, "unusable version answer: %s", d.msg);
		}
	}
	tb_http_exchange_free(&hr);
	return pc->have_ver ? 0 : -1;
}

enum outcome { O_ACCEPTED, O_REFUSED, O_UNKNOWN };

struct step {
	const char *name;
	int must_accept;
	struct blob body;
	struct tb_fw_version pushed; /* the version the pushed manifest names */
	enum outcome out;
	char what[300];
};

static void push(struct push_ctx *pc, int i, struct step *s)
{
	struct tb_http_req rq = { .addr = pc->ctx->profile->address,
				  .port = (uint16_t)pc->u->port,
				  .path = pc->u->path,
				  .timeout_ms = pc->timeout_ms };
	struct tb_http_memsrc src;
	struct tb_http_body body;
	tb_http_body_mem(&body, &src, "application/octet-stream", s->body.p, s->body.len);
	struct tb_http_exchange hr;
	char name[64];
	struct tb_fw_version before = pc->ver;
	int had = pc->have_ver;
	snprintf(name, sizeof name, "%d-%s.body", i + 1, s->name);
	if (tb_ev_file(pc->ctx, pc->res, name, s->body.p, s->body.len) != TB_OK)
		tb_ev_note(pc->res, "evidence", "could not store %s", name);
	tb_http_post(&pc->ctx->net, &rq, &body, &hr);
	tb_ev_exchange(pc->res, name, hr.request, hr.reqlen, hr.raw, hr.rawlen);
	snprintf(name, sizeof name, "%d-%s.response", i + 1, s->name);
	if (hr.rawlen && tb_ev_file(pc->ctx, pc->res, name, hr.raw, hr.rawlen) != TB_OK)
		tb_ev_note(pc->res, "evidence", "could not store %s", name);
	int status = hr.err ? 0 : hr.resp.status;
	if (hr.err)
		snprintf(s->what, sizeof s->what, "no answer (%s) after %llu of %zu bytes", hr.why,
			 (unsigned long long)body.sent, s->body.len);
	else
		snprintf(s->what, sizeof s->what, "HTTP %d", status);
	tb_http_exchange_free(&hr);
	int changed = read_version(pc, name) == 0 && had && tb_fw_version_cmp(&pc->ver, &before) != 0;
	int now_pushed = pc->have_ver && tb_fw_version_cmp(&pc->ver, &s->pushed) == 0;
	size_t wl = strlen(s->what);
	if (pc->have_ver)
		snprintf(s->what + wl, sizeof s->what - wl, ", version now %s", pc->ver.text);
	if ((status >= 200 && status < 300) || changed)
		s->out = O_ACCEPTED;
	else if (status >= 400 && !changed)
		s->out = O_REFUSED;
	else
		s->out = O_UNKNOWN;
	if (s->must_accept && s->out == O_ACCEPTED && pc->have_ver && !now_pushed)
		s->out = O_UNKNOWN; /* answered 2xx yet runs something else */
}

/* The unsigned variant: our own manifest for the newer image, version bumped. */
static int unsigned_manifest(const struct tb_fw_manifest *m, struct blob *out, struct tb_fw_version *v)
{
	char text[TB_FWV_MAX_LEN + 16], hex[65], buf[TB_FWM_MAX_BYTES];
	size_t used = 0;
	*v = m->version;
	v->part[v->nparts - 1]++;
	for (unsigned i = 0; i < v->nparts; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%u", i ? "." : "",
					 v->part[i]);
	if (used > TB_FWV_MAX_LEN)
		return -1;
	snprintf(v->text, sizeof v->text, "%s", text);
	tb_sha256_hex(m->sha256, hex);
	int n = snprintf(buf, sizeof buf,
			 "trustbench-firmware-manifest: 1\nversion: %s\n"
			 "image-sha256: %s\nimage-size: %llu\n",
			 text, hex, (unsigned long long)m->size);
	out->p = (uint8_t *)tb_xstrndup(buf, (size_t)n);
	out->len = (size_t)n;
	return 0;
}

struct art {
	struct blob man, sig, img;
	struct tb_fw_manifest m;
};

static enum tb_err load_art(const struct tb_fw_artefact *a, struct art *x, struct tb_diag *d)
{
	struct tb_diag md = { .msg = "" };
	enum tb_err e;
	if (!a->present || !a->manifest)
		return tb_diag_set(d, TB_E_CONFIG,
				   "the push test needs manifest-format test updates "
				   "(newer and older)");
	if ((e = load(a->manifest, TB_FWM_MAX_BYTES, &x->man, d)) ||
	    (e = load(a->signature, 4096, &x->sig, d)) ||
	    (e = load(a->image, PUSH_IMAGE_MAX, &x->img, d)))
		return e;
	if ((e = tb_p_fwmanifest(x->man.p, x->man.len, &x->m, &md)) != TB_OK)
		return tb_diag_set(d, e, "declared manifest %s: %s", a->manifest, md.msg);
	return TB_OK;
}

static void free_art(struct art *x)
{
	free(x->man.p);
	free(x->sig.p);
	free(x->img.p);
}

static int build_steps(const struct art *nw, const struct art *old, struct step st[NSTEPS],
		       struct blob *unsig_man)
{
	struct blob none = { 0 };
	st[0] = (struct step){ .name = "signed-newer", .must_accept = 1, .pushed = nw->m.version };
	st[0].body = fw_frame(&nw->man, &nw->sig, &nw->img);
	st[1] = (struct step){ .name = "byte-flipped", .pushed = nw->m.version };
	st[1].body = fw_frame(&nw->man, &nw->sig, &nw->img);
	if (nw->img.len)
		st[1].body.p[st[1].body.len - nw->img.len + nw->img.len / 2] ^= 0x01;
	st[2] = (struct step){ .name = "unsigned" };
	if (unsigned_manifest(&nw->m, unsig_man, &st[2].pushed))
		return -1;
	st[2].body = fw_frame(unsig_man, &none, &nw->img);
	st[3] = (struct step){ .name = "signed-older", .pushed = old->m.version };
	st[3].body = fw_frame(&old->man, &old->sig, &old->img);
	return 0;
}

static void judge(struct tb_result *res, struct step st[NSTEPS])
{
	char bad[600] = "";
	size_t bl = 0;
	int unknown = 0;
	for (int i = 0; i < NSTEPS; i++) {
		tb_ev_note(res, st[i].name, "push %d (%s, must be %s): %s -> %s", i + 1, st[i].name,
			   st[i].must_accept ? "accepted" : "refused", st[i].what,
			   st[i].out == O_ACCEPTED  ? "accepted"
			   : st[i].out == O_REFUSED ? "refused"
						    : "unclear");
		if (!st[i].must_accept && st[i].out == O_ACCEPTED)
			bl += (size_t)snprintf(bad + bl, sizeof bad - bl, "%s%s (%s)", bl ? ", " : "",
					       st[i].name, st[i].what);
		if (st[i].out == O_UNKNOWN || (st[i].must_accept && st[i].out != O_ACCEPTED))
			unknown = 1;
		if (bl >= sizeof bad)
			bl = sizeof bad - 1;
	}
	if (bad[0])
		tb_result_set(res, TB_V_FAIL, "the device installed updates it must refuse: %s", bad);
	else if (st[0].out != O_ACCEPTED)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the vendor's correctly signed newer update was not "
			      "accepted (%s): without that positive control the refusals prove nothing",
			      st[0].what);
	else if (unknown)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "some pushes got no clear answer within the "
			      "deadline (see the evidence); none was installed");
	else
		tb_result_set(res, TB_V_PASS,
			      "the device installed the signed newer update %s and "
			      "refused the byte-flipped, the unsigned and the signed older (rollback) "
			      "updates",
			      st[0].pushed.text);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_update_decl *u = &ctx->profile->update;
	struct art nw = { 0 }, old = { 0 };
	struct step st[NSTEPS] = { 0 };
	struct blob unsig = { 0 };
	struct tb_diag d = { .msg = "" };
	struct push_ctx pc = { .ctx = ctx,
			       .res = res,
			       .u = u,
			       .timeout_ms = (int)tb_param_int(&tc->params, "timeout-ms") };
	if (!u->present || !u->port) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the profile declares no update endpoint "
			      "(declarations.update.endpoint): nothing to push to");
		return;
	}
	if (load_art(&u->newer, &nw, &d) || load_art(&u->older, &old, &d)) {
		tb_result_set(res, TB_V_ERROR, "cannot prepare the test updates: %s", d.msg);
		goto out;
	}
	if (build_steps(&nw, &old, st, &unsig)) {
		tb_result_set(res, TB_V_ERROR,
			      "the newer version cannot be bumped for the unsigned push");
		goto out;
	}
	if (read_version(&pc, "before") != 0)
		tb_ev_note(res, "version",
			   "the device's version cannot be read back: acceptance rests "
			   "on its HTTP answers alone");
	for (int i = 0; i < NSTEPS; i++) {
		if (tb_net_stop_requested()) { /* SIGINT/SIGTERM: no new push */
			st[i].out = O_UNKNOWN;
			snprintf(st[i].what, sizeof st[i].what, "not pushed: the run was interrupted");
			continue;
		}
		push(&pc, i, &st[i]);
	}
	judge(res, st);
out:
	for (int i = 0; i < NSTEPS; i++)
		free(st[i].body.p);
	free(unsig.p);
	free_art(&nw);
	free_art(&old);
}

const struct tb_check_family tb_check_firmware_update_push = {
	.name = "firmware-update-push",
	.summary =
		"pushes signed, byte-flipped, unsigned and older updates to the device's update "
		"endpoint; only the first may be installed",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
};
