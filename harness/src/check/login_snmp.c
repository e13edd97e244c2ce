/* login_snmp.c: the SNMP v1/v2c community driver (login.h) and its
 * discovery probe (login_snmp.h).
 *
 * One attempt reads sysDescr.0 with the community, as a v2c and a v1
 * GetRequest sent together (each retransmitted once): a v1-only agent
 * drops a v2c message without a word (RFC 1157 discards a bad version),
 * a bilingual agent answers both and the first answer wins, and since most
 * guesses are wrong and a wrong community is only ever heard as silence,
 * asking both at once costs one wait instead of two.  With lab.intrusive
 * an accepted community is also tried for write access on sysContact.0,
 * which is always put back.
 */
#include "check/login_snmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login_mask.h"
#include "net/udp.h"
#include "proto/p_udpprobe.h"

static const uint32_t oid_sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t oid_syscontact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };
#define NARC(a) (sizeof(a) / sizeof((a)[0]))

/* Longest wait for an answer before the one retransmission (and after it). */
#define SNMP_WAIT_MS 1000
/* Shorter than this per wait and a step is not worth starting. */
#define SNMP_WAIT_MIN_MS 150
/* The write test's requests: GET, SET marker, GET, SET back, GET. */
#define SNMP_WRITE_STEPS 5
/* sysDescr bytes shown in the detail. */
#define SNMP_SHOW_MAX 120

/* ------------------------------------------------------------ text */

static void vb_oid_text(const struct tb_snmp_varbind *vb, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < vb->oid_len && o < cap; i++) {
		int k = snprintf(out + o, cap - o, i ? ".%u" : "%u", (unsigned)vb->oid[i]);
		if (k < 0)
			return;
		o += (size_t)k;
	}
}

void tb_snmp_value_text(const struct tb_snmp_varbind *vb, size_t max, char *out, size_t cap)
{
	int64_t v = 0;
	switch (vb->type) {
	case TB_SNMP_T_OCTETS: {
		size_t n = vb->value_len < max ? vb->value_len : max;
		char esc[4 * 256 + 8];
		if (n > 256)
			n = 256;
		tb_udp_printable(esc, sizeof esc, vb->value, n);
		snprintf(out, cap, "\"%s%s\"", esc, vb->value_total > n ? "..." : "");
		return;
	}
	case TB_SNMP_T_INTEGER:
		if (vb->value_len < 1 || vb->value_len > 8 || vb->value_total != vb->value_len)
			break;
		v = (vb->value[0] & 0x80) ? -1 : 0;
		for (size_t i = 0; i < vb->value_len; i++)
			v = (int64_t)((uint64_t)v << 8 | vb->value[i]);
		snprintf(out, cap, "INTEGER %lld", (long long)v);
		return;
	case TB_SNMP_T_NULL: snprintf(out, cap, "NULL"); return;
	case TB_SNMP_T_NOSUCHOBJECT: snprintf(out, cap, "noSuchObject"); return;
	case TB_SNMP_T_NOSUCHINSTANCE: snprintf(out, cap, "noSuchInstance"); return;
	case TB_SNMP_T_ENDOFMIBVIEW: snprintf(out, cap, "endOfMibView"); return;
	default: break;
	}
	snprintf(out, cap, "type 0x%02x, %zu bytes", vb->type, vb->value_total);
}

static const char *pdu_name(uint8_t pdu)
{
	switch (pdu) {
	case 0xa0: return "GetRequest";
	case 0xa1: return "GetNextRequest";
	case 0xa2: return "Response";
	case 0xa3: return "SetRequest";
	case 0xa5: return "GetBulkRequest";
	case 0xa6: return "InformRequest";
	case 0xa7: return "SNMPv2-Trap";
	case 0xa8: return "Report";
	default: return "PDU";
	}
}

static const char *version_name(int v)
{
	return v == TB_SNMP_V1 ? "v1" : "v2c";
}

void tb_snmp_describe(const struct tb_snmp_pdu_msg *m, int secret, char *out, size_t cap)
{
	char comm[4 * 64 + 8] = "<declared>", oid[TB_SNMP_OID_MAX * 11], val[600];
	if (!secret) {
		char esc[4 * 64 + 4];
		size_t n = m->community_len < 64 ? m->community_len : 64;
		tb_udp_printable(esc, sizeof esc, m->community, n);
		snprintf(comm, sizeof comm, "'%s%s'", esc, m->community_total > n ? "..." : "");
	}
	int o = snprintf(out, cap, "%s %s, community %s, request-id %lld", version_name(m->version),
			 pdu_name(m->pdu), comm, (long long)m->request_id);
	if (o < 0 || (size_t)o >= cap)
		return;
	if (m->pdu == TB_SNMP_PDU_RESPONSE) {
		int k = snprintf(out + o, cap - (size_t)o, ", error-status %s (%lld) index %lld",
				 tb_snmp_error_name(m->error_status), (long long)m->error_status,
				 (long long)m->error_index);
		if (k < 0 || (size_t)k >= cap - (size_t)o)
			return;
		o += k;
	}
	for (size_t i = 0; i < m->nvb && (size_t)o < cap; i++) {
		vb_oid_text(&m->vb[i], oid, sizeof oid);
		tb_snmp_value_text(&m->vb[i], SNMP_SHOW_MAX, val, sizeof val);
		int k = snprintf(out + o, cap - (size_t)o, "%s %s = %s", i ? ";" : ":", oid, val);
		if (k < 0)
			return;
		o += k;
	}
	if (m->nvb_total > m->nvb && (size_t)o < cap)
		snprintf(out + o, cap - (size_t)o, " (+%zu varbinds)", m->nvb_total - m->nvb);
}

void tb_snmp_redact_community(uint8_t *buf, size_t len)
{
	struct tb_snmp_pdu_msg *m = malloc(sizeof *m);
	if (!m)
		return;
	if (tb_snmp_parse(buf, len, m) == TB_OK && m->community_off + m->community_total <= len)
		memset(buf + m->community_off, '*', m->community_total);
	free(m);
}

enum tb_login_outcome tb_snmp_judge_read(const struct tb_snmp_pdu_msg *m, char *detail, size_t dl)
{
	const char *v = version_name(m->version);
	if (m->error_status == TB_SNMP_E_NOACCESS || m->error_status == TB_SNMP_E_AUTHORIZATION) {
		snprintf(detail, dl, "%s Response with error-status %s: the agent refused the read", v,
			 tb_snmp_error_name(m->error_status));
		return TB_LOGIN_REJECTED;
	}
	if (m->error_status != TB_SNMP_E_NOERROR) {
		snprintf(
			detail, dl,
			"%s Response with error-status %s (%lld): an agent answers only a community it "
			"accepts",
			v, tb_snmp_error_name(m->error_status), (long long)m->error_status);
		return TB_LOGIN_ACCEPTED;
	}
	if (m->nvb == 0) {
		snprintf(detail, dl,
			 "%s Response (noError) without a varbind: an agent answers only a "
			 "community it accepts",
			 v);
		return TB_LOGIN_ACCEPTED;
	}
	char oid[TB_SNMP_OID_MAX * 11], val[600];
	vb_oid_text(&m->vb[0], oid, sizeof oid);
	tb_snmp_value_text(&m->vb[0], SNMP_SHOW_MAX, val, sizeof val);
	const char *name =
		tb_snmp_oid_is(&m->vb[0], oid_sysdescr, NARC(oid_sysdescr)) ? "sysDescr.0" : oid;
	snprintf(detail, dl, "%s GetResponse: read %s = %s", v, name, val);
	return TB_LOGIN_ACCEPTED;
}

/* ------------------------------------------------------------ exchange */

struct snmp_req {
	int version;
	int32_t reqid;
	uint8_t buf[TB_SNMP_BUILD_VALUE_MAX + 512];
	size_t len;
};

struct snmp_sess {
	struct tb_login_try *t;
	struct tb_udp u;
	uint16_t port;
	const char *community;
	struct snmp_req req[2];
	struct tb_snmp_pdu_msg resp; /* the last matching Response */
	size_t matched;              /* which request it answers */
	uint8_t rx[TB_UDP_DGRAM_MAX];
	size_t rxlen;
	char why[256]; /* why an exchange failed (X_FAIL) */
};

enum xres { X_ANSWER, X_SILENT, X_UNREACH, X_FAIL };

/* A transcript line; a declared community is masked even where a hostile
 * agent echoed it inside a value. */
static void log_line(struct tb_login_try *t, const char *dir, const char *text)
{
	char line[1200];
	if (!t->log)
		return;
	snprintf(line, sizeof line, "%s", text);
	if (t->secret)
		tb_login_mask(line, strlen(line), t->pass);
	tb_login_log_add(t->log, dir, line, strlen(line));
}

static void log_msg(struct snmp_sess *s, const char *dir, const uint8_t *p, size_t n)
{
	struct tb_snmp_pdu_msg *m = malloc(sizeof *m);
	char line[1200];
	if (!m)
		return;
	if (tb_snmp_parse(p, n, m) == TB_OK)
		tb_snmp_describe(m, s->t->secret, line, sizeof line);
	else
		snprintf(line, sizeof line, "%zu bytes that are not an SNMP v1/v2c message", n);
	free(m);
	log_line(s->t, dir, line);
}

static int32_t random_reqid(void)
{
	uint32_t r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)tb_now_us() * 2654435761u; /* a request id need not be secret */
	return (int32_t)(r & 0x7fffffff);
}

/* Is the datagram in s->rx a Response to one of the n requests? */
static int answers(struct snmp_sess *s, size_t n)
{
	if (tb_snmp_parse(s->rx, s->rxlen, &s->resp) != TB_OK || s->resp.pdu != TB_SNMP_PDU_RESPONSE)
		return 0;
	size_t clen = strlen(s->community);
	if (s->resp.community_total != clen ||
	    memcmp(s->resp.community, s->community,
		   clen < TB_SNMP_COMMUNITY_MAX ? clen : TB_SNMP_COMMUNITY_MAX))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s->resp.request_id == s->req[i].reqid && s->resp.version == s->req[i].version) {
			s->matched = i;
			return 1;
		}
	}
	return 0;
}

static int send_all(struct snmp_sess *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct tb_diag d = { .msg = "" };
		enum tb_err e = tb_udp_send(&s->u, s->port, s->req[i].buf, s->req[i].len, &d);
		if (e != TB_OK) {
			snprintf(s->why, sizeof s->why, "not sent: %s",
				 d.msg[0] ? d.msg : tb_strerror(e));
			return 0;
		}
		log_msg(s, ">>", s->req[i].buf, s->req[i].len);
	}
	return 1;
}

static struct tb_login_snmp_state *state_of(struct tb_login_try *t)
{
	if (!t->ifc->state)
		t->ifc->state = calloc(1, sizeof(struct tb_login_snmp_state));
	return t->ifc->state;
}

static void note_rtt(struct tb_login_try *t, int64_t rtt)
{
	struct tb_login_snmp_state *st = state_of(t);
	if (rtt < 1)
		rtt = 1; /* measured, if under a millisecond */
	if (st && rtt > st->rtt_ms)
		st->rtt_ms = rtt;
}

/* How long to wait for the answer to a read (login.h's rule above). */
static int64_t answer_wait(struct tb_login_try *t)
{
	struct tb_login_snmp_state *st = state_of(t);
	if (!st || st->rtt_ms <= 0)
		return SNMP_WAIT_MS;
	int64_t w = 10 * st->rtt_ms;
	return w < SNMP_WAIT_FLOOR_MS ? SNMP_WAIT_FLOOR_MS : w > SNMP_WAIT_MS ? SNMP_WAIT_MS : w;
}

/* Send requests req[0..n) together and wait up to wait_ms for a Response
 * to any of them; when none came, send them once more and wait again.  The
 * waits never pass the attempt's deadline. */
static enum xres exchange(struct snmp_sess *s, size_t n, int64_t wait_ms)
{
	for (int round = 0; round < 2; round++) {
		if (tb_net_deadline_passed(s->t->deadline_ms))
			break;
		if (round)
			log_line(s->t, "--", "no answer yet: sending again");
		if (!send_all(s, n))
			return X_FAIL;
		int64_t sent_at = tb_now_ms();
		int64_t until = sent_at + wait_ms;
		if (until > s->t->deadline_ms)
			until = s->t->deadline_ms;
		struct tb_udp_event ev;
		while (tb_udp_next(&s->u, s->rx, sizeof s->rx, &ev, until) == TB_OK) {
			if (ev.kind == TB_UDP_EV_UNREACH) {
				log_line(s->t, "<<", "ICMP port unreachable");
				return X_UNREACH;
			}
			s->rxlen = ev.len;
			log_msg(s, "<<", s->rx, ev.len);
			if (ev.total == ev.len && answers(s, n)) {
				note_rtt(s->t, tb_now_ms() - sent_at);
				return X_ANSWER;
			}
			log_line(s->t, "--", "not a Response to this request: ignored");
		}
	}
	return X_SILENT;
}

/* The per-wait time when steps exchanges (two waits each) must still fit. */
static int64_t step_wait(const struct snmp_sess *s, int steps)
{
	int64_t left = s->t->deadline_ms - tb_now_ms();
	int64_t w = left / (2 * steps);
	return w > SNMP_WAIT_MS ? SNMP_WAIT_MS : w;
}

/* One request of version v: a GET of oid, or a SET of it to val[0..vlen). */
static int prepare(struct snmp_sess *s, size_t slot, int v, const uint32_t *oid, size_t noid, int set,
		   const uint8_t *val, size_t vlen)
{
	struct snmp_req *r = &s->req[slot];
	r->version = v;
	r->reqid = random_reqid();
	r->len = set ? tb_snmp_build_set_octets(v, s->community, r->reqid, oid, noid, val, vlen, r->buf,
						sizeof r->buf)
		     : tb_snmp_build_get(v, s->community, r->reqid, oid, noid, r->buf, sizeof r->buf);
	return r->len != 0;
}

/* ------------------------------------------------------------ write test */

struct snmp_read {
	int ok;         /* noError with an OCTET STRING for the OID */
	uint8_t v[256]; /* the value (a DisplayString is at most 255 bytes) */
	size_t n;
	char why[160]; /* when not ok */
};

/* GET sysContact.0 with version v. */
static void read_contact(struct snmp_sess *s, int v, int64_t wait, struct snmp_read *r)
{
	memset(r, 0, sizeof *r);
	if (!prepare(s, 0, v, oid_syscontact, NARC(oid_syscontact), 0, NULL, 0)) {
		snprintf(r->why, sizeof r->why, "the request could not be built");
		return;
	}
	enum xres x = exchange(s, 1, wait);
	if (x != X_ANSWER) {
		snprintf(r->why, sizeof r->why, "%s",
			 x == X_SILENT    ? "no answer"
			 : x == X_UNREACH ? "ICMP port unreachable"
					  : s->why);
		return;
	}
	const struct tb_snmp_pdu_msg *m = &s->resp;
	if (m->error_status != TB_SNMP_E_NOERROR || m->nvb != 1 ||
	    !tb_snmp_oid_is(&m->vb[0], oid_syscontact, NARC(oid_syscontact))) {
		snprintf(r->why, sizeof r->why, "error-status %s", tb_snmp_error_name(m->error_status));
		return;
	}
	const struct tb_snmp_varbind *vb = &m->vb[0];
	if (vb->type != TB_SNMP_T_OCTETS || vb->value_total > sizeof r->v) {
		tb_snmp_value_text(vb, 40, r->why, sizeof r->why);
		return;
	}
	memcpy(r->v, vb->value, vb->value_total);
	r->n = vb->value_total;
	r->ok = 1;
}

/* SET sysContact.0 to val: 1 noError, 0 refused (why says how), -1 no
 * answer (it may or may not have been applied). */
static int write_contact(struct snmp_sess *s, int v, int64_t wait, const uint8_t *val, size_t n,
			 char *why, size_t wl)
{
	if (!prepare(s, 0, v, oid_syscontact, NARC(oid_syscontact), 1, val, n)) {
		snprintf(why, wl, "the request could not be built");
		return -1;
	}
	enum xres x = exchange(s, 1, wait);
	if (x != X_ANSWER) {
		snprintf(why, wl, "%s",
			 x == X_SILENT    ? "no answer"
			 : x == X_UNREACH ? "ICMP port unreachable"
					  : s->why);
		return -1;
	}
	if (s->resp.error_status != TB_SNMP_E_NOERROR) {
		snprintf(why, wl, "%s", tb_snmp_error_name(s->resp.error_status));
		return 0;
	}
	return 1;
}

/* A SET refusal that is about the community's access, not the object:
 * noAccess, readOnly, authorizationError, and v1's catch-all noSuchName
 * (RFC 2576 maps v2 noAccess and notWritable to it). */
static int refusal_is_access(int v, int64_t err)
{
	return err == TB_SNMP_E_NOACCESS || err == TB_SNMP_E_READONLY ||
	       err == TB_SNMP_E_AUTHORIZATION || (v == TB_SNMP_V1 && err == TB_SNMP_E_NOSUCHNAME);
}

static int same(const struct snmp_read *r, const uint8_t *v, size_t n)
{
	return r->ok && r->n == n && (n == 0 || memcmp(r->v, v, n) == 0);
}

static void community_label(const struct tb_login_try *t, char *out, size_t cap)
{
	if (t->secret) {
		snprintf(out, cap, "the declared community");
		return;
	}
	char esc[4 * 64 + 4];
	size_t n = strlen(t->pass);
	tb_udp_printable(esc, sizeof esc, (const uint8_t *)t->pass, n < 64 ? n : 64);
	snprintf(out, cap, "community '%s%s'", esc, n > 64 ? "..." : "");
}

/* Put the original back (two tries) and check it reads back. */
static int restore_contact(struct snmp_sess *s, int v, int64_t wait, const struct snmp_read *orig,
			   char *why, size_t wl)
{
	struct snmp_read now;
	for (int i = 0; i < 2; i++) {
		if (i && step_wait(s, 2) < SNMP_WAIT_MIN_MS)
			break;
		int w = write_contact(s, v, wait, orig->v, orig->n, why, wl);
		read_contact(s, v, wait, &now);
		if (same(&now, orig->v, orig->n))
			return 1;
		if (w == 1)
			snprintf(why, wl, "the SET was answered noError but sysContact.0 reads %s",
				 now.ok ? "something else" : now.why);
	}
	return 0;
}

/* The write test of the issue: sysContact.0 only, always restored. */
static void write_test(struct snmp_sess *s, int v)
{
	struct tb_login_try *t = s->t;
	char who[300], why[160] = "", shown[600];
	community_label(t, who, sizeof who);
	int64_t wait = step_wait(s, SNMP_WRITE_STEPS);
	if (wait < SNMP_WAIT_MIN_MS) {
		snprintf(t->finding, sizeof t->finding,
			 "write access not tested: too little time left in the attempt");
		return;
	}
	log_line(t, "--", "write test (lab.intrusive): sysContact.0 is set to a marker and put back");
	struct snmp_read orig, now;
	read_contact(s, v, wait, &orig);
	if (!orig.ok) {
		snprintf(t->finding, sizeof t->finding,
			 "write access not tested: sysContact.0 could not be read (%s)", orig.why);
		return;
	}
	uint8_t rnd[4] = { 0 };
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		memcpy(rnd, &(int32_t){ random_reqid() }, sizeof rnd);
	char marker[64];
	snprintf(marker, sizeof marker, "trustbench-write-test-%02x%02x%02x%02x", rnd[0], rnd[1],
		 rnd[2], rnd[3]);
	int w = write_contact(s, v, wait, (const uint8_t *)marker, strlen(marker), why, sizeof why);
	if (w == 0) { /* a refused SET changes nothing (SNMP sets are atomic) */
		if (refusal_is_access(v, s->resp.error_status))
			snprintf(t->finding, sizeof t->finding,
				 "%s is read-only: SET of sysContact.0 refused (%s)", who, why);
		else
			snprintf(t->finding, sizeof t->finding,
				 "%s showed no write access: SET of sysContact.0 refused (%s); the "
				 "object itself may be read-only on this agent, no other is tried",
				 who, why);
		return;
	}
	read_contact(s, v, wait, &now);
	int written = same(&now, (const uint8_t *)marker, strlen(marker));
	if (!written && same(&now, orig.v, orig.n)) {
		snprintf(t->finding, sizeof t->finding,
			 "%s is read-only: SET of sysContact.0 %s, and it still reads the original",
			 who, w == 1 ? "answered noError" : "got no answer");
		return;
	}
	/* Written, or unknown (no answer): put the original back either way. */
	char rwhy[160] = "";
	int restored = restore_contact(s, v, wait, &orig, rwhy, sizeof rwhy);
	struct tb_snmp_varbind ov = { .type = TB_SNMP_T_OCTETS };
	memcpy(ov.value, orig.v, orig.n);
	ov.value_len = ov.value_total = orig.n;
	tb_snmp_value_text(&ov, 100, shown, sizeof shown);
	if (written)
		t->can_write = 1;
	if (written && restored)
		snprintf(t->finding, sizeof t->finding,
			 "%s can write: sysContact set to %s and restored", who, marker);
	else if (written)
		snprintf(t->finding, sizeof t->finding,
			 "%s can write: sysContact set to %s and NOT restored: original was %s (%s)",
			 who, marker, shown, rwhy);
	else if (!restored)
		snprintf(t->finding, sizeof t->finding,
			 "write access unknown, and sysContact.0 NOT confirmed restored: SET to %s %s, "
			 "original was %s (%s)",
			 marker, w == 1 ? "answered noError" : "got no answer", shown, rwhy);
	else
		snprintf(t->finding, sizeof t->finding,
			 "write access not shown: SET of sysContact.0 %s%s%s, then sysContact.0 "
			 "read %s; the original was written back to be sure",
			 w == 1 ? "answered noError" : "got no answer (", w == 1 ? "" : why,
			 w == 1 ? "" : ")", now.ok ? "neither marker nor original" : now.why);
}

/* ------------------------------------------------------------ attempt */

static enum tb_login_outcome read_sysdescr(struct snmp_sess *s)
{
	struct tb_login_try *t = s->t;
	if (!prepare(s, 0, TB_SNMP_V2C, oid_sysdescr, NARC(oid_sysdescr), 0, NULL, 0) ||
	    !prepare(s, 1, TB_SNMP_V1, oid_sysdescr, NARC(oid_sysdescr), 0, NULL, 0)) {
		snprintf(t->detail, sizeof t->detail, "the GetRequest could not be built");
		return TB_LOGIN_UNCONFIRMED;
	}
	int64_t wait = step_wait(s, 1), usual = answer_wait(t);
	if (wait > usual)
		wait = usual;
	if (wait < SNMP_WAIT_MIN_MS) {
		snprintf(t->detail, sizeof t->detail, "no time left in the attempt: nothing sent");
		return TB_LOGIN_UNCONFIRMED;
	}
	switch (exchange(s, 2, wait)) {
	case X_ANSWER: break;
	case X_UNREACH:
		snprintf(t->detail, sizeof t->detail,
			 "ICMP port unreachable for udp/%u: no SNMP agent listens there now", s->port);
		return TB_LOGIN_NOCONNECT;
	case X_FAIL: snprintf(t->detail, sizeof t->detail, "%s", s->why); return TB_LOGIN_NOCONNECT;
	case X_SILENT:
	default:
		snprintf(t->detail, sizeof t->detail,
			 "no answer to a v2c and a v1 GetRequest, each sent twice: an SNMP agent drops "
			 "a wrong community without a word");
		return TB_LOGIN_REJECTED;
	}
	enum tb_login_outcome o = tb_snmp_judge_read(&s->resp, t->detail, sizeof t->detail);
	if (o == TB_LOGIN_ACCEPTED) {
		struct snmp_req *r = &s->req[s->matched];
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, r->buf, r->len);
		tb_login_keep(t->got, &t->gotlen, sizeof t->got, s->rx, s->rxlen);
		if (t->secret) {
			tb_snmp_redact_community(t->sent, t->sentlen);
			tb_snmp_redact_community(t->got, t->gotlen);
		}
	}
	return o;
}

static enum tb_login_outcome snmp_attempt(struct tb_login_try *t)
{
	t->detail[0] = t->finding[0] = '\0';
	t->retry_after_s = -1;
	t->can_write = 0;
	t->sentlen = t->gotlen = 0;
	if (strlen(t->pass) > TB_SNMP_BUILD_COMMUNITY_MAX) {
		snprintf(t->detail, sizeof t->detail, "community longer than %d bytes: not sent",
			 TB_SNMP_BUILD_COMMUNITY_MAX);
		return TB_LOGIN_UNCONFIRMED;
	}
	struct snmp_sess *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(t->detail, sizeof t->detail, "out of memory");
		return TB_LOGIN_UNCONFIRMED;
	}
	s->t = t;
	s->port = t->ifc->port;
	s->community = t->pass;
	struct tb_diag d = { .msg = "" };
	if (tb_udp_open(&s->u, &t->ctx->net, t->ifc->addr, &d) != TB_OK) {
		snprintf(t->detail, sizeof t->detail, "no UDP socket: %s", d.msg);
		free(s);
		return TB_LOGIN_UNCONFIRMED;
	}
	enum tb_login_outcome o = read_sysdescr(s);
	if (o == TB_LOGIN_ACCEPTED && t->intrusive_write)
		write_test(s, s->req[s->matched].version);
	if (t->finding[0])
		log_line(t, "--", t->finding);
	if (t->secret) { /* an agent may echo the community anywhere */
		tb_login_mask(t->detail, strlen(t->detail), t->pass);
		tb_login_mask(t->finding, strlen(t->finding), t->pass);
		tb_login_mask(t->sent, t->sentlen, t->pass);
		tb_login_mask(t->got, t->gotlen, t->pass);
	}
	tb_udp_close(&s->u);
	free(s);
	return o;
}

const struct tb_login_driver tb_login_snmp = {
	.service = "snmp",
	.transport = "udp",
	.default_port = 161,
	.attempt = snmp_attempt,
};

/* ------------------------------------------------------------ probe */

struct snmp_probe {
	struct tb_udp u;
	uint8_t rx[TB_UDP_DGRAM_MAX];
	struct tb_udp_ident id;
};

static const enum tb_udp_proto probe_kinds[] = { TB_UDP_SNMP3, TB_UDP_SNMP2C, TB_UDP_SNMP1 };
#define NPROBE (sizeof probe_kinds / sizeof probe_kinds[0])

static int probe_send(struct snmp_probe *p, uint16_t port, const uint32_t *txid, char *why, size_t wl)
{
	for (size_t i = 0; i < NPROBE; i++) {
		uint8_t req[1500];
		struct tb_diag d = { .msg = "" };
		size_t n = tb_udp_probe_build(probe_kinds[i], TB_UDP_IDENTIFY, txid[i], NULL, req,
					      sizeof req);
		if (n == 0 || tb_udp_send(&p->u, port, req, n, &d) != TB_OK) {
			snprintf(why, wl, "SNMP probe not sent: %s", n ? d.msg : "could not build it");
			return 0;
		}
	}
	return 1;
}

/* 1 when the datagram in p->rx (len bytes) is SNMP answering one probe. */
static int probe_heard(struct snmp_probe *p, size_t len, const uint32_t *txid, char *why, size_t wl)
{
	for (size_t i = 0; i < NPROBE; i++) {
		if (!tb_udp_identify(probe_kinds[i], txid[i], p->rx, len, &p->id) ||
		    strcmp(p->id.protocol, "snmp") != 0)
			continue;
		const struct tb_udp_probe_info *info = tb_udp_probe_info(probe_kinds[i]);
		if (p->id.snmp_version == 3)
			snprintf(why, wl, "an SNMP agent answered the %s engine discovery (%s)",
				 info->name, p->id.needs_auth ? "a Report" : "a Response");
		else
			snprintf(why, wl,
				 "an SNMP agent answered the %s GetRequest with community "
				 "'public'",
				 info->name);
		return 1;
	}
	return 0;
}

int tb_login_snmp_probe(struct tb_ctx *ctx, uint32_t addr, uint16_t port, char *why, size_t wl,
			int64_t *rtt_ms)
{
	struct snmp_probe *p = calloc(1, sizeof *p);
	struct tb_diag d = { .msg = "" };
	uint32_t txid[NPROBE];
	int found = 0, other = 0, unreach = 0;
	snprintf(why, wl, "no answer to an SNMPv3 discovery nor a v2c/v1 GetRequest (sent twice)");
	if (!p) {
		snprintf(why, wl, "out of memory");
		return 0;
	}
	if (tb_udp_open(&p->u, &ctx->net, addr, &d) != TB_OK) {
		snprintf(why, wl, "no UDP socket: %s", d.msg);
		free(p);
		return 0;
	}
	for (size_t i = 0; i < NPROBE; i++)
		txid[i] = (uint32_t)random_reqid();
	for (int round = 0; round < 2 && !found && !unreach; round++) {
		if (!probe_send(p, port, txid, why, wl))
			break;
		struct tb_udp_event ev;
		int64_t sent_at = tb_now_ms(), until = sent_at + SNMP_WAIT_MS;
		while (!found && tb_udp_next(&p->u, p->rx, sizeof p->rx, &ev, until) == TB_OK) {
			if (ev.kind == TB_UDP_EV_UNREACH) {
				snprintf(why, wl, "ICMP port unreachable for udp/%u", port);
				unreach = 1;
				break;
			}
			found = probe_heard(p, ev.len, txid, why, wl);
			if (found && rtt_ms)
				*rtt_ms = tb_now_ms() - sent_at;
			other += !found;
		}
	}
	if (!found && !unreach && other)
		snprintf(why, wl, "%d datagram%s came back, none of them SNMP", other,
			 other == 1 ? "" : "s");
	tb_udp_close(&p->u);
	free(p);
	return found;
}
