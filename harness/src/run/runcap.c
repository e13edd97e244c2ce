/* runcap.c: capture, privilege drop and observation windows of a run. */
#include "run/runcap.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "base/clock.h"
#include "base/sha256.h"
#include "capture/priv.h"
#include "net/httpc.h"
#include "load/suite.h"

/* The declared test credentials, as the credential phase puts them on the
 * wire: the password itself (telnet, FTP, MQTT), "user:password" in base64
 * (HTTP and RTSP Basic) and the password URL-encoded (form logins). */
static void redact_declared(const struct tb_profile *p)
{
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		if (!a->test_user || !a->test_pass)
			continue;
		char basic[800], enc[800];
		size_t n = 0;
		(void)tb_capture_redact(a->test_pass, strlen(a->test_pass));
		tb_http_basic_auth(a->test_user, a->test_pass, basic, sizeof basic);
		if (strncmp(basic, "Basic ", 6) == 0)
			(void)tb_capture_redact(basic + 6, strlen(basic + 6));
		for (const char *c = a->test_pass; *c && n + 4 < sizeof enc; c++) {
			int plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
				    (*c >= '0' && *c <= '9') || strchr("-._~", *c);
			n += (size_t)snprintf(enc + n, sizeof enc - n, plain ? "%c" : "%%%02X",
					      (unsigned char)*c);
		}
		(void)tb_capture_redact(enc, n);
	}
}

int tb_runcap_begin(struct tb_runcap *rc, const struct tb_profile *p, const char *outdir,
		    const char *user, int quiet)
{
	char ev[4200];
	struct tb_diag d = { 0 };
	memset(rc, 0, sizeof *rc);
	rc->dut = p->address;
	rc->profile = p;
	rc->observe_s = p->observe_seconds;
	rc->info.interface = p->interface;
	redact_declared(p);
	rc->info.masked_secrets = tb_capture_redactions();
	if (tb_capture_start(&rc->cap, p->interface, p->address, outdir, user) == TB_OK) {
		rc->info.status = "recorded";
		rc->info.path = TB_CAPTURE_REL;
	} else {
		rc->info.status = "missing";
		rc->info.reason = rc->cap.reason;
		if (!quiet)
			fprintf(stderr, "trustbench: warning: no capture: %s\n", rc->cap.reason);
	}
	rc->info.filter = rc->cap.filter;
	snprintf(ev, sizeof ev, "%s/evidence", outdir);
	const char *own[] = { outdir, ev, rc->cap.active ? rc->cap.path : NULL, NULL };
	if (tb_priv_drop(user, own, rc->privileges, sizeof rc->privileges, &d) != TB_OK) {
		fprintf(stderr, "trustbench: refusing to test the device with privileges: %s\n", d.msg);
		tb_capture_stop(&rc->cap);
		return -1;
	}
	rc->info.privileges = rc->privileges;
	rc->info.privileges_dropped = 1;
	return 0;
}

void tb_runcap_observe(struct tb_runcap *rc, int which, volatile sig_atomic_t *stop, int quiet)
{
	if (rc->observe_s <= 0)
		return;
	if (!quiet)
		fprintf(stderr, "observing the idle device for %lds (%s the tests)\n", rc->observe_s,
			which ? "after" : "before");
	rc->win_start[which] = tb_wall_now();
	double end = rc->win_start[which] + (double)rc->observe_s;
	while (!*stop && tb_wall_now() < end) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	rc->win_end[which] = tb_wall_now();
}

/* The DUT's IPv6 addresses: those in found (discovered and declared, see
 * net6.h) when the runner gave them, else p's declared ones.  The traffic
 * check takes the same (ctx->dut6), so both judge the same frames. */
static void add_dut6(struct tb_analysis *a, const struct tb_net6_found *found,
		     const struct tb_profile *p)
{
	const struct tb_addr *v = found ? found->addr : p ? p->address6 : NULL;
	size_t n = found ? found->n : p ? p->naddress6 : 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].family == AF_INET6)
			(void)tb_analysis_add_dut6(a, v[i].u.v6);
}

static void hash_file(struct tb_runcap *rc)
{
	if (tb_file_sha256(rc->cap.path, rc->info.sha256, &rc->info.bytes) == TB_OK)
		rc->info.have_sha = 1;
}

void tb_runcap_end(struct tb_runcap *rc)
{
	struct tb_diag d = { 0 };
	if (!rc->cap.active)
		return;
	tb_capture_stop(&rc->cap);
	rc->info.have_stats = rc->cap.have_stats;
	rc->info.received = rc->cap.received;
	rc->info.dropped = rc->cap.dropped;
	rc->an = tb_analysis_new(rc->dut);
	add_dut6(rc->an, rc->found6, rc->profile);
	static const char *const labels[2] = { "idle-before", "idle-after" };
	for (int i = 0; i < 2; i++)
		if (rc->win_start[i] > 0)
			tb_analysis_add_window(rc->an, labels[i], rc->win_start[i], rc->win_end[i]);
	/* One pass: the digest covers exactly the bytes analysed. */
	if (tb_analysis_read_file_sha256(rc->an, rc->cap.path, rc->info.sha256, &rc->info.bytes, &d) ==
	    TB_OK) {
		rc->info.have_sha = 1;
	} else {
		hash_file(rc); /* the file's digest still belongs in the report */
		snprintf(rc->cap.reason, sizeof rc->cap.reason, "the capture could not be analyzed: %s",
			 d.msg);
		rc->info.reason = rc->cap.reason;
		tb_analysis_free(rc->an);
		rc->an = NULL;
	}
}

void tb_runcap_free(struct tb_runcap *rc)
{
	tb_capture_stop(&rc->cap);
	tb_analysis_free(rc->an);
	rc->an = NULL;
}
