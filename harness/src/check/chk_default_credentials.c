/* chk_default_credentials.c: well-known default credentials against every
 * login interface of the device (EN 303 645 5.1-1, 5.1-2; UK CoP 1; PSTI
 * 1): telnet, HTTP(S) Basic and Digest, SSH password, MQTT, FTP (anonymous
 * too), SNMP v1/v2c communities, RTSP.
 *
 * Intrusive: runs only with lab.intrusive: true.  The guessing is the run's
 * credential phase (check/credphase.h), done once for every case that
 * judges it; this family judges its attempts.  A login counts only when
 * the interface's driver confirmed it positively (check/login.h); an
 * interface that lets a random credential in checks no password, which is
 * a finding too.  Where the profile declares a test credential for an
 * interface and it does not log in, refusals of guesses prove little and
 * the verdict is INCONCLUSIVE.  Declared credentials are never shown in
 * evidence.
 */
#include <stdio.h>
#include <string.h>

#include "check/credphase.h"
#include "check/family.h"
#include "result/result.h"

static const struct tb_param_def params[] = { TB_CP_PARAM_DEFS };

static void judge(const struct tb_credphase *p, struct tb_result *res)
{
	char guessed[1536] = "", unsure[1536] = "";
	int rejected = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct tb_cp_iface *f = &p->v[i];
		char item[400];
		item[0] = '\0';
		if (f->guessed || f->random_accepted)
			tb_cp_list_add(guessed, sizeof guessed, f->first_guess);
		else if (f->control_tried && !f->control_ok)
			snprintf(item, sizeof item,
				 "%s: the declared test credential did not log in either", f->ifc.name);
		else if (f->unconfirmed)
			snprintf(item, sizeof item, "%s: %d attempts got no clear answer", f->ifc.name,
				 f->unconfirmed);
		else if (f->stopped[0])
			snprintf(item, sizeof item, "%s: guessing stopped early (%s)", f->ifc.name,
				 f->stopped);
		if (item[0])
			tb_cp_list_add(unsure, sizeof unsure, item);
		rejected += f->rejected;
	}
	if (guessed[0])
		tb_result_set(res, TB_V_FAIL,
			      "confirmed login with a well-known default credential: %s", guessed);
	else if (p->interrupted)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the run was interrupted before every login interface was tried");
	else if (p->n == 0)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no password login to test: no telnet, SSH password, MQTT, FTP, SNMP, "
			      "RTSP or HTTP login was found on the device");
	else if (unsure[0])
		tb_result_set(res, TB_V_INCONCLUSIVE, "%s", unsure);
	else
		tb_result_set(res, TB_V_PASS,
			      "all %d guesses were explicitly refused on %zu login interfaces",
			      rejected, p->n);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	int mine;
	struct tb_credphase *p = tb_credphase_get(ctx, tc, res, &mine);
	if (!p)
		return;
	judge(p, res);
	if (mine)
		tb_credphase_free(p);
}

const struct tb_check_family tb_check_default_credentials = {
	.name = "default-credentials",
	.summary =
		"tries well-known default credentials on every login interface (telnet, HTTP(S) "
		"Basic/Digest, SSH, MQTT, FTP, SNMP, RTSP); confirmed logins fail",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
	.prepare = tb_credphase_prepare,
	.unprepare = tb_credphase_unprepare,
};
