/* chk_traffic.c: judge what the device sent on the wire, from the run's
 * capture (EN 303 645 5.5-1, 5.5-7, 5.8-1, 5.8-2; UK CoP 5 and 8).
 *
 * The capture writer runs beside the harness (capture.h).  The check asks
 * it to flush, then reads the capture taken so far offline with the same
 * analyzers as `trustbench analyze`.  Because the suite's earlier cases and
 * the profile's "before" observation window have run by then, the capture
 * holds the device's own connections to its associated services.
 *
 * Only connections the DUT itself started count: the harness's own probes
 * (logins it tried, pages it fetched) are traffic to the device, not the
 * device's communication with its services.  DNS and NTP look-ups are
 * infrastructure and are listed, not judged.
 *
 * Rules:
 *  outbound-encrypted    FAIL when the DUT sends application data in clear
 *                        or negotiates TLS below 1.2; PASS only when it made
 *                        at least one such connection and every one used
 *                        TLS 1.2 or later with the handshake seen.
 *  no-cleartext-secrets  FAIL when the DUT sent a credential, token or
 *                        community string in clear; PASS only when
 *                        everything it sent to its services was inside TLS.
 * Anything else (no connections seen, unknown protocols, handshakes not
 * seen) is INCONCLUSIVE with the reason.
 */
#include <stdio.h>
#include <string.h>

#include "../analyze.h"
#include "../capture.h"
#include "../proto/p_tls.h"
#include "../result.h"

#define SYNC_TIMEOUT_MS 3000
#define TLS_1_2 0x0303

static const char *const rules[] = { "outbound-encrypted", "no-cleartext-secrets", NULL };

static const struct tb_param_def params[] = {
	{ .name = "rule", .type = TB_P_STR, .required = 1, .choices = rules,
	  .help = "outbound-encrypted | no-cleartext-secrets" },
};

/* What the DUT's own connections look like. */
struct tally {
	size_t flows, clear, weak, unknown, tls_ok;
	char clear_list[600], weak_list[400], unknown_list[400], ok_list[600];
};

static void append(char *buf, size_t cap, const char *item)
{
	size_t n = strlen(buf);
	if (n + 8 >= cap)
		return;
	snprintf(buf + n, cap - n, "%s%s", n ? "; " : "", item);
}

static void tally_flows(const struct tb_an *a, struct tb_result *res, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i];
		char label[128], item[256], v[8];
		if (f->init != TB_INIT_DUT || tb_app_infrastructure((enum tb_app)f->app))
			continue;
		if (f->payload_out + f->payload_in == 0)
			continue; /* a connection attempt that carried nothing */
		tb_an_flow_label(a, f, label, sizeof label);
		t->flows++;
		if (tb_app_cleartext((enum tb_app)f->app)) {
			t->clear++;
			snprintf(item, sizeof item, "%s to %s (frames %llu-%llu)",
				 tb_app_name((enum tb_app)f->app), label,
				 (unsigned long long)f->first_frame, (unsigned long long)f->last_frame);
			append(t->clear_list, sizeof t->clear_list, item);
		} else if (f->app == TB_APP_TLS && f->tls_server_frame && f->tls_chosen < TLS_1_2) {
			t->weak++;
			tb_p_tls_version_name(f->tls_chosen, v);
			snprintf(item, sizeof item, "%s with %s (frame %llu)", label, v,
				 (unsigned long long)f->tls_server_frame);
			append(t->weak_list, sizeof t->weak_list, item);
		} else if (f->app == TB_APP_TLS && f->tls_server_frame) {
			t->tls_ok++;
			tb_p_tls_version_name(f->tls_chosen, v);
			snprintf(item, sizeof item, "%s %s%s%s (frame %llu)", label, v,
				 f->sni[0] ? " SNI " : "", f->sni, (unsigned long long)f->tls_server_frame);
			append(t->ok_list, sizeof t->ok_list, item);
		} else {
			t->unknown++;
			snprintf(item, sizeof item, "%s %s (frames %llu-%llu)", label,
				 f->app == TB_APP_TLS ? "TLS without a complete handshake in the capture"
						      : "unrecognised protocol",
				 (unsigned long long)f->first_frame, (unsigned long long)f->last_frame);
			append(t->unknown_list, sizeof t->unknown_list, item);
		}
		tb_ev_note(res, "dut-connection", "%s %s: %llu packets/%llu bytes out, %llu/%llu in, frames %llu-%llu",
			   tb_app_name((enum tb_app)f->app), label, (unsigned long long)f->pkts_out,
			   (unsigned long long)f->bytes_out, (unsigned long long)f->pkts_in,
			   (unsigned long long)f->bytes_in, (unsigned long long)f->first_frame,
			   (unsigned long long)f->last_frame);
	}
}

static void outbound_encrypted(const struct tally *t, struct tb_result *res)
{
	if (t->clear || t->weak) {
		tb_result_set(res, TB_V_FAIL, "the DUT's communication with its services is not protected:%s%s%s%s",
			      t->clear ? " in clear: " : "", t->clear_list,
			      t->weak ? "; TLS below 1.2: " : "", t->weak_list);
	} else if (t->unknown) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "cannot tell whether these connections of the DUT are protected: %s",
			      t->unknown_list);
	} else {
		tb_result_set(res, TB_V_PASS,
			      "all %zu connections the DUT made to its services used TLS 1.2 or later: %s",
			      t->tls_ok, t->ok_list);
	}
}

static void no_cleartext_secrets(const struct tb_an *a, const struct tally *t, struct tb_result *res)
{
	char list[700] = "";
	size_t from_dut = 0, from_peer = 0;
	for (size_t i = 0; i < a->nsecrets; i++) {
		const struct tb_secret *s = &a->secrets[i];
		char label[128], item[256];
		if (!s->from_dut) {
			from_peer++;
			continue;
		}
		from_dut++;
		tb_an_flow_label(a, &a->flows[s->flow], label, sizeof label);
		snprintf(item, sizeof item, "%s %s (%zu bytes) to %s, frame %llu", tb_secret_kind_name(s->kind),
			 s->masked, s->length, label, (unsigned long long)s->first_frame);
		append(list, sizeof list, item);
		tb_ev_note(res, "secret-in-clear", "%s", item);
	}
	if (from_peer)
		tb_ev_note(res, "not-counted",
			   "%zu secrets were sent to the DUT by lab peers (e.g. the harness's own login "
			   "attempts); only what the DUT sends counts here", from_peer);
	if (from_dut)
		tb_result_set(res, TB_V_FAIL, "the DUT sent %zu secret%s in clear: %s", from_dut,
			      from_dut == 1 ? "" : "s", list);
	else if (t->clear || t->unknown)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no recognised secret in clear, but the DUT sends data that is not "
			      "encrypted or not recognised; an examiner must judge it: %s%s%s",
			      t->clear_list, t->clear && t->unknown ? "; " : "", t->unknown_list);
	else
		tb_result_set(res, TB_V_PASS,
			      "no secret in clear: all %zu connections the DUT made to its services "
			      "were inside TLS (%s)", t->tls_ok + t->weak, t->ok_list[0] ? t->ok_list : t->weak_list);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const char *rule = tb_param_str(&tc->params, "rule", "outbound-encrypted");
	struct tb_diag d = { 0 };
	if (!ctx->capture) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no capture of the device's traffic: the report's traffic section says why");
		return;
	}
	if (tb_capture_sync(ctx->capture, SYNC_TIMEOUT_MS) != TB_OK) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "the capture writer did not flush within %d ms",
			      SYNC_TIMEOUT_MS);
		return;
	}
	struct tb_an *a = tb_an_new(ctx->profile->address);
	if (tb_an_read_file(a, ctx->capture->path, &d) != TB_OK) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "the capture cannot be read: %s", d.msg);
		tb_an_free(a);
		return;
	}
	tb_ev_note(res, "capture", "%s: frames 1-%llu, %llu of them to or from the DUT, over %.1f s",
		   TB_CAPTURE_REL, (unsigned long long)a->frames, (unsigned long long)a->dut_frames,
		   a->frames ? a->last_ts - a->first_ts : 0.0);
	struct tally t;
	tally_flows(a, res, &t);
	if (t.flows == 0)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the DUT opened no connection to any service during the %.1f s captured so "
			      "far; lengthen lab.observe-seconds or make the device communicate",
			      a->frames ? a->last_ts - a->first_ts : 0.0);
	else if (strcmp(rule, "no-cleartext-secrets") == 0)
		no_cleartext_secrets(a, &t, res);
	else
		outbound_encrypted(&t, res);
	tb_an_free(a);
}

const struct tb_check_family tb_check_traffic = {
	.name = "traffic",
	.summary = "judges the DUT's own connections in the run's capture: encryption, secrets in clear",
	.params = params,
	.nparams = sizeof params / sizeof *params,
	.run = run,
};
