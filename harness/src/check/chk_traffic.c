/* chk_traffic.c: judge what the device sent on the wire, from the run's
 * capture (EN 303 645 5.5-1, 5.5-7, 5.8-1, 5.8-2; UK CoP 5 and 8).
 *
 * The capture writer runs beside the harness (capture.h).  The runner
 * keeps these cases for last (TB_FAM_AFTER_ACTIVE): after every other test
 * case and both observation windows.  The check then asks the writer to
 * flush and reads the whole capture offline with the same analyzers as
 * `trustbench analyze`, so it judges everything the device did in the run,
 * and its verdict agrees with the report's traffic section.
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
 * seen, connections whose initiator cannot be told and that are not
 * plainly protected) is INCONCLUSIVE with the reason.  So is a would-be
 * PASS over a capture that lost information (kernel drops, a corrupt or
 * cut-short file, connections the analyzer could not keep, payloads cut by
 * the snap length): tb_analysis_loss_describe() lists what was lost.  Each
 * connection is judged alone (analyze.h); the reason names the frames.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "capture/analyze.h"
#include "capture/capture.h"
#include "check/family.h"
#include "check/chk_traffic_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "proto/p_tls.h"
#include "result/result.h"

#define SYNC_TIMEOUT_MS 3000
#define TLS_1_2 0x0303

static const char *const rules[] = { "outbound-encrypted", "no-cleartext-secrets", NULL };

static const struct tb_param_def params[] = {
	{ .name = "rule",
	  .type = TB_P_STR,
	  .required = 1,
	  .choices = rules,
	  .help = "outbound-encrypted | no-cleartext-secrets" },
};

/* What the DUT's own connections look like, in connections. */
struct tally {
	uint64_t flows, clear, weak, unknown, tls_ok, undetermined;
	char clear_list[700], weak_list[400], unknown_list[500], ok_list[600], undet_list[400];
};

static void append(char *buf, size_t cap, const char *item)
{
	size_t n = strlen(buf);
	if (n + 8 >= cap)
		return;
	snprintf(buf + n, cap - n, "%s%s", n ? "; " : "", item);
}

/* "N connections, frames A-B" with a note when the initiator was inferred. */
static void span(const struct tb_flow *f, uint64_t n, char *out, size_t cap)
{
	snprintf(out, cap, "%llu connection%s, frames %llu-%llu%s", (unsigned long long)n,
		 n == 1 ? "" : "s", (unsigned long long)f->first_frame,
		 (unsigned long long)f->last_frame,
		 f->inferred ? ", initiator inferred from well-known ports" : "");
}

/* A group whose initiator could not be told: it matters only when it is
 * not plainly protected, for then it may be the DUT's. */
static void tally_undetermined(const struct tb_analysis *a, const struct tb_flow *f, struct tally *t)
{
	char label[128], item[320], sp[128];
	if (f->k.app == TB_APP_TLS && f->tls_ok == f->connections)
		return;
	tb_analysis_flow_label(a, &f->k, label, sizeof label);
	span(f, f->connections, sp, sizeof sp);
	snprintf(item, sizeof item, "%s %s (%s; whether the DUT started them is not known)",
		 tb_app_name((enum tb_app)f->k.app), label, sp);
	t->undetermined += f->connections;
	append(t->undet_list, sizeof t->undet_list, item);
}

static void tally_tls(const struct tb_flow *f, const char *label, struct tally *t)
{
	char item[320], sp[128], v[8];
	tb_p_tls_version_name(f->tls_lowest, v);
	if (f->tls_weak) {
		t->weak += f->tls_weak;
		span(f, f->tls_weak, sp, sizeof sp);
		snprintf(item, sizeof item, "%s with %s (ServerHello at frame %llu; %s)", label, v,
			 (unsigned long long)f->tls_lowest_frame, sp);
		append(t->weak_list, sizeof t->weak_list, item);
	}
	if (f->tls_incomplete) {
		t->unknown += f->tls_incomplete;
		span(f, f->tls_incomplete, sp, sizeof sp);
		snprintf(item, sizeof item, "%s TLS without a complete handshake in the capture (%s)",
			 label, sp);
		append(t->unknown_list, sizeof t->unknown_list, item);
	}
	if (f->tls_ok) {
		t->tls_ok += f->tls_ok;
		span(f, f->tls_ok, sp, sizeof sp);
		/* The lowest version chosen names these connections only when no
		 * connection of the group fell below TLS 1.2. */
		snprintf(item, sizeof item, "%s %s%s%s (first ServerHello at frame %llu; %s)", label,
			 f->tls_weak ? "TLS1.2 or later" : v, f->sni[0] ? " SNI " : "", f->sni,
			 (unsigned long long)f->tls_server_frame, sp);
		append(t->ok_list, sizeof t->ok_list, item);
	}
}

static void tally_flows(const struct tb_analysis *a, struct tb_result *res, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i];
		char label[128], item[320], sp[128];
		if (f->k.init == TB_INIT_PEER || tb_app_infrastructure((enum tb_app)f->k.app))
			continue;
		if (f->k.init == TB_INIT_UNKNOWN) {
			tally_undetermined(a, f, t);
			continue;
		}
		tb_analysis_flow_label(a, &f->k, label, sizeof label);
		span(f, f->connections, sp, sizeof sp);
		t->flows += f->connections;
		if (tb_app_cleartext((enum tb_app)f->k.app)) {
			t->clear += f->connections;
			snprintf(item, sizeof item, "%s to %s (%s)", tb_app_name((enum tb_app)f->k.app),
				 label, sp);
			append(t->clear_list, sizeof t->clear_list, item);
		} else if (f->k.app == TB_APP_TLS) {
			tally_tls(f, label, t);
		} else {
			t->unknown += f->connections;
			snprintf(item, sizeof item, "%s %s (%s)", label,
				 f->k.app == TB_APP_SSH
					 ? "SSH: encrypted, but this rule judges TLS only"
					 : "unrecognised protocol",
				 sp);
			append(t->unknown_list, sizeof t->unknown_list, item);
		}
		tb_ev_note(res, "dut-connections",
			   "%s %s: %s; %llu packets/%llu bytes out, %llu/%llu in",
			   tb_app_name((enum tb_app)f->k.app), label, sp,
			   (unsigned long long)f->pkts_out, (unsigned long long)f->bytes_out,
			   (unsigned long long)f->pkts_in, (unsigned long long)f->bytes_in);
	}
}

/* No PASS on a capture that lost information: returns 1 (and sets an
 * INCONCLUSIVE verdict) when the would-be PASS cannot stand. */
static int pass_blocked(const char *loss, size_t nloss, const char *pass_text, struct tb_result *res)
{
	if (!nloss)
		return 0;
	tb_result_set(res, TB_V_INCONCLUSIVE,
		      "%s, but the analysis lost information that could hide a finding: %s", pass_text,
		      loss);
	return 1;
}

static void outbound_encrypted(const struct tally *t, const char *loss, size_t nloss,
			       struct tb_result *res)
{
	char pass[800];
	if (t->clear || t->weak) {
		tb_result_set(res, TB_V_FAIL,
			      "the DUT's communication with its services is not protected:%s%s%s%s",
			      t->clear ? " in clear: " : "", t->clear_list,
			      t->weak ? "; TLS below 1.2: " : "", t->weak_list);
	} else if (t->unknown || t->undetermined) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "cannot tell whether these connections of the DUT are protected: %s%s%s",
			      t->unknown_list, t->unknown && t->undetermined ? "; " : "",
			      t->undet_list);
	} else {
		snprintf(pass, sizeof pass,
			 "all %llu connections the DUT made to its services used TLS 1.2 or later: %s",
			 (unsigned long long)t->tls_ok, t->ok_list);
		if (!pass_blocked(loss, nloss, pass, res))
			tb_result_set(res, TB_V_PASS, "%s", pass);
	}
}

static void no_cleartext_secrets(const struct tb_analysis *a, const struct tally *t, const char *loss,
				 size_t nloss, struct tb_result *res)
{
	char list[700] = "", pass[800];
	size_t from_dut = 0, from_peer = 0;
	for (size_t i = 0; i < a->nsecrets; i++) {
		const struct tb_secret *s = &a->secrets[i];
		char label[128], item[256];
		if (!s->from_dut) {
			from_peer++;
			continue;
		}
		from_dut++;
		tb_analysis_flow_label(a, &s->k, label, sizeof label);
		snprintf(item, sizeof item, "%s %s (%zu bytes) to %s, frame %llu",
			 tb_secret_kind_name(s->kind), s->masked, s->length, label,
			 (unsigned long long)s->first_frame);
		append(list, sizeof list, item);
		tb_ev_note(res, "secret-in-clear", "%s", item);
	}
	if (from_peer)
		tb_ev_note(
			res, "not-counted",
			"%zu secrets were sent to the DUT by lab peers (e.g. the harness's own login "
			"attempts); only what the DUT sends counts here",
			from_peer);
	if (from_dut || a->loss.secrets_dropped_dut) {
		tb_result_set(res, TB_V_FAIL, "the DUT sent %zu secret%s in clear: %s%s", from_dut,
			      from_dut == 1 ? "" : "s", list,
			      a->loss.secrets_dropped_dut ? "; and more that did not fit the table"
							  : "");
		return;
	}
	if (t->clear || t->unknown || t->undetermined) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no recognised secret in clear, but the DUT sends data that is not "
			      "encrypted or not recognised; an examiner must judge it: %s%s%s%s%s",
			      t->clear_list, t->clear && t->unknown ? "; " : "", t->unknown_list,
			      (t->clear || t->unknown) && t->undetermined ? "; " : "", t->undet_list);
		return;
	}
	snprintf(pass, sizeof pass,
		 "no secret in clear: all %llu connections the DUT made to its services "
		 "were inside TLS (%s)",
		 (unsigned long long)(t->tls_ok + t->weak), t->ok_list[0] ? t->ok_list : t->weak_list);
	if (!pass_blocked(loss, nloss, pass, res))
		tb_result_set(res, TB_V_PASS, "%s", pass);
}

/* Judge an analysed capture by rule; kernel_dropped: the capture's drops. */
TB_UNITTEST void traffic_judge(const struct tb_analysis *a, const char *rule, uint64_t kernel_dropped,
			       struct tb_result *res)
{
	char loss[700];
	size_t nloss = tb_analysis_loss_describe(a, kernel_dropped, loss, sizeof loss);
	if (nloss)
		tb_ev_note(res, "information-lost", "%s", loss);
	tb_ev_note(res, "analysis",
		   "%llu connections: %zu groups with payload, %zu peers' attempts the device sent no "
		   "payload on (probes)",
		   (unsigned long long)a->connections, a->nflows, a->nprobes);
	struct tally t;
	tally_flows(a, res, &t);
	if (t.flows == 0 && !t.undetermined)
		tb_result_set(
			res, TB_V_INCONCLUSIVE,
			"the DUT opened no connection to any service during the %.1f s captured so "
			"far; lengthen lab.observe-seconds or make the device communicate%s%s",
			a->frames ? a->last_ts - a->first_ts : 0.0, nloss ? "; also: " : "", loss);
	else if (strcmp(rule, "no-cleartext-secrets") == 0)
		no_cleartext_secrets(a, &t, loss, nloss, res);
	else
		outbound_encrypted(&t, loss, nloss, res);
}

/* The kernel's drop counter as the writer saw it at its last sync. */
static uint64_t capture_dropped(const struct tb_capture *c)
{
	return c->have_stats ? c->dropped : 0;
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const char *rule = tb_param_str(&tc->params, "rule");
	struct tb_diag d = { 0 };
	if (!ctx->capture) {
		tb_result_set(
			res, TB_V_INCONCLUSIVE,
			"no capture of the device's traffic: the report's traffic section says why");
		return;
	}
	if (tb_capture_sync(ctx->capture, SYNC_TIMEOUT_MS) != TB_OK) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "the capture writer did not flush within %d ms",
			      SYNC_TIMEOUT_MS);
		return;
	}
	struct tb_analysis *a = tb_analysis_new(ctx->profile->address);
	/* The DUT's IPv6 addresses, discovered on the lab link and declared
	 * (dut.address6): the run's report analysis takes the same. */
	for (size_t i = 0; i < ctx->dut6.n; i++)
		if (ctx->dut6.addr[i].family == AF_INET6)
			(void)tb_analysis_add_dut6(a, ctx->dut6.addr[i].u.v6);
	if (tb_analysis_read_file(a, ctx->capture->path, &d) != TB_OK) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "the capture cannot be read: %s", d.msg);
		tb_analysis_free(a);
		return;
	}
	tb_ev_note(res, "capture", "%s: frames 1-%llu, %llu of them to or from the DUT, over %.1f s",
		   TB_CAPTURE_REL, (unsigned long long)a->frames, (unsigned long long)a->dut_frames,
		   a->frames ? a->last_ts - a->first_ts : 0.0);
	traffic_judge(a, rule, capture_dropped(ctx->capture), res);
	tb_analysis_free(a);
}

const struct tb_check_family tb_check_traffic = {
	.name = "traffic",
	.summary =
		"judges the DUT's own connections in the run's capture: encryption, secrets in clear",
	.params = params,
	.nparams = sizeof params / sizeof *params,
	.flags = TB_FAM_AFTER_ACTIVE,
	.run = run,
};
