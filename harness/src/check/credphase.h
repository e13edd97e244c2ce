/* credphase.h: the run's credential phase, run once and judged by many.
 *
 * The phase finds the device's login interfaces (telnet, HTTP(S) Basic and
 * Digest, SSH password, MQTT, FTP, SNMP communities, RTSP), then guesses on
 * all of them at once: one worker thread per interface, each sequential
 * and gentle (a pause between guesses, the run's one rate limit, the
 * device's Retry-After honoured).  On each interface it first tries the
 * profile's declared test credential (a positive control: when it does not
 * log in, refusals prove little), then a random credential (a negative
 * control: when that logs in, the interface checks no password), then the
 * credential list.  Every guess is timed, so 5.1-5-2 can judge the
 * device's brute-force protection from the same attempts.
 *
 * The first case that needs it (default-credentials for 5.1-1-2 and
 * 5.1-2-2, brute-force for 5.1-5-2, http-auth for 5.5-5-2) runs it, and
 * its evidence goes there; later cases of the same run read the result and
 * say which case did the work.
 */
#ifndef TB_CREDPHASE_H
#define TB_CREDPHASE_H

#include <stddef.h>
#include <stdint.h>

#include "check/http_common.h"
#include "check/login.h"

struct tb_ctx;
struct tb_case;
struct tb_result;
struct credlist;

enum tb_cp_kind {
	TB_CP_CONTROL,  /* the declared test credential */
	TB_CP_NEGATIVE, /* a random credential */
	TB_CP_GUESS,    /* from the list */
	TB_CP_BURST,    /* 5.1-5-2's wrong guesses */
	TB_CP_RECHECK,  /* the declared credential again, after the burst */
};

/* One guess, timed. */
struct tb_cp_attempt {
	int64_t at_ms;         /* when it started, from the interface's first guess */
	int32_t took_ms;       /* until the device's answer (or the deadline) */
	uint8_t outcome;       /* enum tb_login_outcome */
	uint8_t kind;          /* enum tb_cp_kind */
	int16_t retry_after_s; /* THROTTLED: what the device asked for, -1 not said */
};

struct tb_cp_iface {
	struct tb_login_iface ifc;
	int guessed, rejected, unconfirmed, throttled;
	int control_tried, control_ok;
	int random_accepted; /* the negative control logged in: no password is checked */
	char first_guess[200];
	char finding[320]; /* what the driver established beyond the login */
	int can_write;
	char stopped[240]; /* why guessing ended before the list did, "" otherwise */
	/* The first refusal and the first unclear answer: guess and detail. */
	char first_refusal[400], first_unclear[400];
	char proof_label[240], proof_detail[320]; /* the login that proves it, and how */
	uint8_t sent[2048], got[2048];
	size_t sentlen, gotlen;
	struct tb_login_log log;
	struct tb_cp_attempt *att;
	size_t natt, capatt;
	int64_t t0_ms;
};

struct tb_credphase {
	char ran_by[32];                /* the case whose evidence holds the work */
	const struct tb_case *ran_case; /* its parameters set up the guessing */
	struct tb_cp_iface *v;
	size_t n;
	int64_t took_ms;
	int interrupted, out_of_time;
	unsigned long attempts; /* guesses made in all */
	/* how the guessing was set up (the running case's parameters) */
	int delay_ms;
	int64_t budget_end;
};

/* The credential list and the SNMP communities, prepared at load time by
 * every family that may run the phase (the prepare hook). */
struct tb_cp_lists {
	struct credlist *creds;
	struct credlist *communities; /* user "" */
};
enum tb_err tb_credphase_prepare(const struct tb_case *tc, const char *suite_dir, void **prep,
				 struct tb_diag *d);
void tb_credphase_unprepare(void *prep);

/* The run's phase: ctx->creds when an earlier case ran it (res gets a note
 * naming that case), else run now with tc's parameters and prepared lists,
 * its evidence in res.  With ctx->creds NULL (outside a run) the phase is
 * the caller's: free it with tb_credphase_free after judging.  *mine says
 * which.  NULL when the case has no prepared lists (res is then ERROR). */
struct tb_credphase *tb_credphase_get(struct tb_ctx *ctx, const struct tb_case *tc,
				      struct tb_result *res, int *mine);
void tb_credphase_free(struct tb_credphase *p);

/* Append "; item" to the bounded list buf (a verdict's reason). */
void tb_cp_list_add(char *buf, size_t cap, const char *item);

/* Make one more timed guess on interface i from the calling thread (the
 * brute-force burst, the recheck of the declared credential), honouring
 * the device's throttling up to the phase's budget; recorded like the
 * phase's own.  Returns the outcome. */
enum tb_login_outcome tb_credphase_guess(struct tb_ctx *ctx, struct tb_credphase *p,
					 struct tb_cp_iface *f, const char *user, const char *pass,
					 enum tb_cp_kind kind);

/* Parameters every family that may run the phase takes (default-credentials,
 * brute-force), as initializers of its param table: services, telnet-ports,
 * admin-paths, list, snmp-communities, max-attempts, attempt-delay-ms,
 * time-budget-s.  The phase reads them from the case that runs it. */
extern const char *const tb_credphase_services[];
#define TB_CP_PARAM_DEFS \
	{ .name = "services", \
	  .type = TB_P_STRLIST, \
	  .choices = tb_credphase_services, \
	  .help = "interfaces to try: telnet, http, ssh, mqtt, ftp, snmp, rtsp", \
	  .dflt = "[telnet, http, ssh, mqtt, ftp, snmp, rtsp]" }, \
		{ .name = "telnet-ports", \
		  .type = TB_P_INTLIST, \
		  .min = 1, \
		  .max = 65535, \
		  .help = "telnet ports to try besides declared ones", \
		  .dflt = "[23, 2323]" }, \
		{ .name = "admin-paths", \
		  .type = TB_P_STRLIST, \
		  .help = "web paths probed for an HTTP login besides the declared http-basic " \
			  "resources", \
		  .dflt = TB_HTTP_ADMIN_PATHS_DEFAULT }, \
		{ .name = "list", \
		  .type = TB_P_STR, \
		  .help = "credential list (user<TAB>password lines), relative to the suite; a lab " \
			  "may name " \
			  "its own, checked when the suite is loaded", \
		  .dflt = "data/mirai-default-credentials.tsv" }, \
		{ .name = "snmp-communities", \
		  .type = TB_P_STRLIST, \
		  .help = "SNMP v1/v2c communities to try", \
		  .dflt = "[public, private, community, admin, manager, default, snmp, monitor]" }, \
		{ .name = "max-attempts", \
		  .type = TB_P_INT, \
		  .min = 1, \
		  .max = 10000, \
		  .help = "most guesses per interface", \
		  .dflt = "100" }, \
		{ .name = "attempt-delay-ms", \
		  .type = TB_P_INT, \
		  .min = 0, \
		  .max = 60000, \
		  .help = "pause between guesses on one interface", \
		  .dflt = "50" }, \
	{ \
		.name = "time-budget-s", .type = TB_P_INT, .min = 1, .max = 86400, \
		.help = "stop guessing after this long; the verdict is then inconclusive", \
		.dflt = "300" \
	}

#endif
