/* tsa.c: RFC 3161 requests, the test-only TSA, responses and tokens (see tsa.h). */
#include "trust/tsa.h"

#include <ctype.h>
#include <limits.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/httpc.h"
#include "net/net.h"
#include "net/scope.h"
#include "trust/pemio.h"

/* A timestamp from the clock's future by more than this is refused. */
#define CLOCK_SKEW_S 300

/* OpenSSL's DER output (n bytes at der, or n <= 0 on failure) as a
 * malloc'd copy in *out; der is freed.  (Call i2d_ first, then this: the
 * order in which arguments are evaluated is unspecified.) */
static enum tb_err der_copy(int n, unsigned char *der, uint8_t **out, size_t *len, const char *what,
			    struct tb_diag *d)
{
	if (n <= 0 || !der) {
		OPENSSL_free(der);
		return tb_diag_set(d, TB_E_INTERNAL, "cannot encode the %s", what);
	}
	*out = tb_xmalloc((size_t)n);
	memcpy(*out, der, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(der);
	return TB_OK;
}

static int sha256_of(const uint8_t *data, size_t len, unsigned char md[32])
{
	unsigned int n = 0;
	return EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) == 1 && n == 32;
}

/* ---- The URL (the lab rule) ---- */

/* 198.18.0.0/15 (the lab) or 127.0.0.0/8 (loopback). */
static int tsa_addr_in_lab(uint32_t a)
{
	return (a & 0xfffe0000u) == 0xc6120000u || (a >> 24) == 127;
}

/* ":PORT" at *p, strictly decimal 1..65535; advances *p. */
static int parse_port(const char **p, uint16_t *port)
{
	const char *s = *p + 1;
	unsigned long v = 0;
	size_t n = 0;
	while (isdigit((unsigned char)s[n]) && n < 6)
		v = v * 10 + (unsigned long)(s[n++] - '0');
	if (n == 0 || n > 5 || s[0] == '0' || v > 65535)
		return -1;
	*port = (uint16_t)v;
	*p = s + n;
	return 0;
}

static int path_ok(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '#')
			return 0;
	return 1;
}

enum tb_err tb_tsa_url_parse(const char *url, uint32_t *addr, uint16_t *port, char *path,
			     size_t pathlen, struct tb_diag *d)
{
	static const char scheme[] = "http://";
	if (strncmp(url, scheme, sizeof scheme - 1) != 0)
		return tb_diag_set(d, TB_E_CONFIG,
				   "TSA URL '%.200s' refused: only plain http:// to a lab address "
				   "(198.18.0.0/15 or loopback) is allowed",
				   url);
	const char *host = url + sizeof scheme - 1;
	if (host[0] == '[')
		return tb_diag_set(d, TB_E_CONFIG,
				   "TSA URL '%.200s' refused: IPv6 TSA addresses are not supported; "
				   "use an IPv4 lab address (198.18.0.0/15 or loopback)",
				   url);
	size_t hl = strcspn(host, ":/?#");
	char h[16];
	if (hl == 0 || hl >= sizeof h)
		return tb_diag_set(d, TB_E_CONFIG,
				   "TSA URL '%.200s' refused: the host must be an IPv4 address "
				   "(names are never resolved)",
				   url);
	memcpy(h, host, hl);
	h[hl] = '\0';
	if (tb_ipv4_parse(h, addr) != 0)
		return tb_diag_set(d, TB_E_CONFIG,
				   "TSA URL '%.200s' refused: the host must be an IPv4 address "
				   "(names are never resolved)",
				   url);
	if (!tsa_addr_in_lab(*addr))
		return tb_diag_set(d, TB_E_SCOPE,
				   "TSA URL '%.200s' refused: %s is outside the lab (198.18.0.0/15 or "
				   "loopback); nothing was sent",
				   url, h);
	const char *p = host + hl;
	*port = 80;
	if (*p == ':' && parse_port(&p, port) != 0)
		return tb_diag_set(d, TB_E_CONFIG, "TSA URL '%.200s' refused: bad port", url);
	if (*p != '\0' && *p != '/')
		return tb_diag_set(d, TB_E_CONFIG, "TSA URL '%.200s' refused: malformed", url);
	const char *rest = *p ? p : "/";
	if (!path_ok(rest) || strlen(rest) >= pathlen)
		return tb_diag_set(d, TB_E_CONFIG,
				   "TSA URL '%.200s' refused: the path is too long or holds spaces, "
				   "control bytes or a fragment",
				   url);
	snprintf(path, pathlen, "%s", rest);
	return TB_OK;
}

/* ---- The request ---- */

enum tb_err tb_tsa_request(const uint8_t *sigval, size_t len, uint8_t **req, size_t *reqlen,
			   struct tb_diag *d)
{
	unsigned char md[32];
	TS_REQ *r = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	BIGNUM *bn = BN_new();
	ASN1_INTEGER *nonce = NULL;
	/* The nonce binds the response to this request (a replayed answer to
	 * another request over the same bytes is refused). */
	int ok = r && mi && alg && bn && sha256_of(sigval, len, md) &&
		 X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
		 TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi, md, sizeof md) &&
		 TS_REQ_set_version(r, 1) && TS_REQ_set_msg_imprint(r, mi) &&
		 BN_rand(bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
		 (nonce = BN_to_ASN1_INTEGER(bn, NULL)) && TS_REQ_set_nonce(r, nonce) &&
		 TS_REQ_set_cert_req(r, 1);
	enum tb_err e = TB_E_INTERNAL;
	if (ok) {
		unsigned char *der = NULL;
		int n = i2d_TS_REQ(r, &der);
		e = der_copy(n, der, req, reqlen, "timestamp request", d);
	} else {
		tb_diag_set(d, e, "cannot build the timestamp request");
	}
	ERR_clear_error();
	ASN1_INTEGER_free(nonce);
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(r);
	return e;
}

/* ---- The test-only TSA (--tsa-file) ---- */

/* A random 63-bit serial number for each token (OpenSSL's default is 1). */
static ASN1_INTEGER *random_serial(TS_RESP_CTX *ctx, void *data)
{
	(void)data;
	BIGNUM *bn = BN_new();
	ASN1_INTEGER *s = NULL;
	if (bn && BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY))
		s = BN_to_ASN1_INTEGER(bn, NULL);
	BN_free(bn);
	if (!s) {
		TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "no serial number");
		TS_RESP_CTX_add_failure_info(ctx, TS_INFO_ADD_INFO_NOT_AVAILABLE);
	}
	return s;
}

struct tsa_files {
	EVP_PKEY *key;
	STACK_OF(X509) * cert, *chain;
};

static void tsa_files_free(struct tsa_files *f)
{
	EVP_PKEY_free(f->key);
	sk_X509_pop_free(f->cert, X509_free);
	sk_X509_pop_free(f->chain, X509_free);
}

/* DIR/tsa.key, DIR/tsa.pem and, when present, DIR/tsa-chain.pem. */
static enum tb_err tsa_files_load(const char *dir, struct tsa_files *f, struct tb_diag *d)
{
	char p[PATH_MAX];
	memset(f, 0, sizeof *f);
	snprintf(p, sizeof p, "%s/tsa.key", dir);
	if (!(f->key = tb_pem_key(p, d)))
		return TB_E_CONFIG;
	snprintf(p, sizeof p, "%s/tsa.pem", dir);
	if (!(f->cert = tb_pem_certs(p, "TSA certificate", d)))
		return TB_E_CONFIG;
	snprintf(p, sizeof p, "%s/tsa-chain.pem", dir);
	if (access(p, F_OK) == 0 && !(f->chain = tb_pem_certs(p, "TSA chain", d)))
		return TB_E_CONFIG;
	if (X509_check_private_key(sk_X509_value(f->cert, 0), f->key) != 1) {
		ERR_clear_error();
		return tb_diag_set(d, TB_E_CONFIG,
				   "%s/tsa.pem does not belong to the key in %s/tsa.key", dir, dir);
	}
	return TB_OK;
}

/* A response context for the test-only TSA: SHA-256 only, ESS signing
 * certificate v2, one second accuracy, the test-only policy. */
static TS_RESP_CTX *tsa_ctx(const struct tsa_files *f, const char *dir, struct tb_diag *d)
{
	TS_RESP_CTX *ctx = TS_RESP_CTX_new();
	ASN1_OBJECT *policy = OBJ_txt2obj(TB_TSA_TEST_POLICY, 1);
	if (!ctx || !policy || !TS_RESP_CTX_set_def_policy(ctx, policy) ||
	    !TS_RESP_CTX_set_signer_key(ctx, f->key) ||
	    (f->chain && !TS_RESP_CTX_set_certs(ctx, f->chain)) ||
	    !TS_RESP_CTX_add_md(ctx, EVP_sha256()) ||
	    !TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256()) ||
	    !TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) ||
	    !TS_RESP_CTX_set_accuracy(ctx, 1, 0, 0)) {
		tb_diag_set(d, TB_E_INTERNAL, "cannot set up the test-only TSA");
		TS_RESP_CTX_free(ctx);
		ctx = NULL;
	} else if (!TS_RESP_CTX_set_signer_cert(ctx, sk_X509_value(f->cert, 0))) {
		/* It checks the purpose: the extendedKeyUsage must be timeStamping,
		 * critical, and nothing else. */
		tb_diag_set(d, TB_E_CONFIG,
			    "%s/tsa.pem is not a time-stamping certificate (it needs a critical "
			    "extendedKeyUsage of timeStamping only)",
			    dir);
		TS_RESP_CTX_free(ctx);
		ctx = NULL;
	}
	if (ctx)
		TS_RESP_CTX_set_serial_cb(ctx, random_serial, NULL);
	ASN1_OBJECT_free(policy);
	ERR_clear_error();
	return ctx;
}

enum tb_err tb_tsa_answer_local(const char *dir, const uint8_t *req, size_t reqlen, uint8_t **resp,
				size_t *resplen, struct tb_diag *d)
{
	struct tsa_files f;
	enum tb_err e = tsa_files_load(dir, &f, d);
	TS_RESP_CTX *ctx = e ? NULL : tsa_ctx(&f, dir, d);
	BIO *in = ctx ? BIO_new_mem_buf(req, (int)reqlen) : NULL;
	TS_RESP *r = in ? TS_RESP_create_response(ctx, in) : NULL;
	if (r) {
		unsigned char *der = NULL;
		int n = i2d_TS_RESP(r, &der);
		e = der_copy(n, der, resp, resplen, "timestamp response", d);
	} else if (!e && !ctx) {
		e = TB_E_CONFIG; /* tsa_ctx() said why */
	} else if (!e) {
		char why[256];
		tb_ossl_reason(why, sizeof why);
		e = tb_diag_set(d, TB_E_INTERNAL, "the test-only TSA made no response: %s", why);
	}
	ERR_clear_error();
	TS_RESP_free(r);
	BIO_free(in);
	TS_RESP_CTX_free(ctx);
	tsa_files_free(&f);
	return e;
}

/* ---- A TSA over HTTP (--tsa URL) ---- */

/* The value of a Content-Type header is application/timestamp-reply
 * (parameters after ';' allowed). */
static int is_ts_reply(const uint8_t *v, size_t len)
{
	static const char want[] = "application/timestamp-reply";
	size_t n = sizeof want - 1;
	return v && len >= n && strncasecmp((const char *)v, want, n) == 0 &&
	       (len == n || v[n] == ';' || v[n] == ' ');
}

/* POST the request; the answer must be 200 with the RFC 3161 media type
 * and at most TB_TSA_MAX_RESPONSE bytes.  Redirects are not followed. */
static enum tb_err http_exchange(const char *url, const uint8_t *req, size_t reqlen, uint8_t **resp,
				 size_t *resplen, struct tb_diag *d)
{
	uint32_t addr;
	uint16_t port;
	char path[512];
	enum tb_err e = tb_tsa_url_parse(url, &addr, &port, path, sizeof path, d);
	if (e)
		return e;
	/* The one connect path checks the scope again: the lab and loopback. */
	struct tb_cidr lab[] = { { 0xc6120000u, 15 }, { 0x7f000000u, 8 } };
	struct tb_scope scope = { .v = lab, .n = 2 };
	struct tb_net net;
	tb_net_init(&net, &scope, 10, TB_TSA_TIMEOUT_MS);
	struct tb_http_req rq = { .addr = addr,
				  .port = port,
				  .path = path,
				  .timeout_ms = TB_TSA_TIMEOUT_MS };
	struct tb_http_memsrc mb;
	struct tb_http_body body;
	tb_http_body_mem(&body, &mb, "application/timestamp-query", req, reqlen);
	struct tb_http_exchange *x = tb_xcalloc(1, sizeof *x);
	tb_http_post(&net, &rq, &body, x);
	if (x->err)
		e = tb_diag_set(d, x->err == TB_E_SCOPE ? TB_E_SCOPE : TB_E_IO, "TSA %.200s: %s", url,
				x->why);
	else if (x->resp.status != 200)
		e = tb_diag_set(d, TB_E_FORMAT, "TSA %.200s answered HTTP %d%s", url, x->resp.status,
				tb_http_is_redirect(x->resp.status) ? " (redirects are not followed)"
								    : "");
	else if (!is_ts_reply(x->resp.content_type, x->resp.content_type_len))
		e = tb_diag_set(d, TB_E_FORMAT,
				"TSA %.200s answered without Content-Type application/timestamp-reply",
				url);
	else if (x->bodylen > TB_TSA_MAX_RESPONSE)
		e = tb_diag_set(d, TB_E_TOOBIG, "TSA %.200s answered more than %u bytes", url,
				TB_TSA_MAX_RESPONSE);
	if (!e) {
		*resp = tb_xmalloc(x->bodylen ? x->bodylen : 1);
		memcpy(*resp, x->body, x->bodylen);
		*resplen = x->bodylen;
	}
	tb_http_exchange_free(x);
	free(x);
	return e;
}

/* ---- The response ---- */

static const char *status_name(long s)
{
	switch (s) {
	case TS_STATUS_REJECTION: return "rejection";
	case TS_STATUS_WAITING: return "waiting";
	case TS_STATUS_REVOCATION_WARNING: return "revocation warning";
	case TS_STATUS_REVOCATION_NOTIFICATION: return "revocation notification";
	default: return "unknown status";
	}
}

/* TB_OK when the TSA granted the request and sent a token. */
static enum tb_err check_status(TS_RESP *r, struct tb_diag *d)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(r);
	long s = si ? ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si)) : -1;
	if (s != TS_STATUS_GRANTED && s != TS_STATUS_GRANTED_WITH_MODS)
		return tb_diag_set(d, TB_E_FORMAT, "the TSA did not grant the request: status %ld (%s)",
				   s, status_name(s));
	if (!TS_RESP_get_token(r) || !TS_RESP_get_tst_info(r))
		return tb_diag_set(d, TB_E_FORMAT, "the TSA granted the request but sent no token");
	return TB_OK;
}

enum tb_err tb_tsa_response_check(const uint8_t *resp, size_t resplen, const uint8_t *req,
				  size_t reqlen, uint8_t **tok, size_t *toklen, struct tb_diag *d)
{
	if (resplen > TB_TSA_MAX_RESPONSE)
		return tb_diag_set(d, TB_E_TOOBIG, "the TSA's response is larger than %u bytes",
				   TB_TSA_MAX_RESPONSE);
	const unsigned char *p = resp;
	TS_RESP *r = d2i_TS_RESP(NULL, &p, (long)resplen);
	const unsigned char *q = req;
	TS_REQ *rq = d2i_TS_REQ(NULL, &q, (long)reqlen);
	TS_VERIFY_CTX *vc = NULL;
	enum tb_err e;
	if (!r || p != resp + resplen) {
		e = tb_diag_set(d, TB_E_FORMAT, "the TSA's response is not a DER TimeStampResp");
	} else if (!rq) {
		e = tb_diag_set(d, TB_E_INTERNAL, "cannot read our own timestamp request");
	} else if (!(e = check_status(r, d))) {
		/* Version, the imprint (algorithm and value) and the nonce must
		 * be the request's; the signature is checked by verify. */
		vc = TS_REQ_to_TS_VERIFY_CTX(rq, NULL);
		if (!vc || TS_RESP_verify_response(vc, r) != 1) {
			char why[256];
			tb_ossl_reason(why, sizeof why);
			e = tb_diag_set(d, TB_E_FORMAT,
					"the TSA's token does not answer our request (%s)", why);
		} else {
			unsigned char *der = NULL;
			int n = i2d_PKCS7(TS_RESP_get_token(r), &der);
			e = der_copy(n, der, tok, toklen, "timestamp token", d);
		}
	}
	ERR_clear_error();
	TS_VERIFY_CTX_free(vc);
	TS_REQ_free(rq);
	TS_RESP_free(r);
	return e;
}

enum tb_err tb_tsa_stamp(const struct tb_tsa_src *src, const uint8_t *sigval, size_t len, uint8_t **tok,
			 size_t *toklen, struct tb_diag *d)
{
	uint8_t *req = NULL, *resp = NULL;
	size_t reqlen = 0, resplen = 0;
	uint32_t addr;
	uint16_t port;
	char path[512];
	enum tb_err e;
	*tok = NULL;
	/* The URL first: an out-of-lab TSA is refused before anything else. */
	if (src->url && (e = tb_tsa_url_parse(src->url, &addr, &port, path, sizeof path, d)))
		return e;
	e = tb_tsa_request(sigval, len, &req, &reqlen, d);
	if (!e)
		e = src->url ? http_exchange(src->url, req, reqlen, &resp, &resplen, d)
			     : tb_tsa_answer_local(src->dir, req, reqlen, &resp, &resplen, d);
	if (!e)
		e = tb_tsa_response_check(resp, resplen, req, reqlen, tok, toklen, d);
	free(req);
	free(resp);
	return e;
}

/* ---- A stored token ---- */

static void time_text(const ASN1_TIME *t, char out[32], time_t *when)
{
	struct tm tm;
	out[0] = '\0';
	*when = (time_t)-1;
	if (t && ASN1_TIME_to_tm(t, &tm) == 1) {
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
		*when = timegm(&tm);
	}
}

/* The token's signer as named by its own certificates ("" when absent). */
static void signer_name(PKCS7 *p7, char *out, size_t outlen)
{
	STACK_OF(X509) *s = PKCS7_get0_signers(p7, NULL, 0);
	out[0] = '\0';
	if (s && sk_X509_num(s) == 1)
		tb_x509_name_text(X509_get_subject_name(sk_X509_value(s, 0)), out, outlen);
	sk_X509_free(s);
	ERR_clear_error();
}

/* The imprint must be SHA-256 (without parameters, or NULL ones) of the
 * signature value. */
static int imprint_matches(TS_TST_INFO *ti, const unsigned char md[32])
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(ti);
	X509_ALGOR *alg = mi ? TS_MSG_IMPRINT_get_algo(mi) : NULL;
	ASN1_OCTET_STRING *h = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
	const ASN1_OBJECT *oid = NULL;
	int ptype = V_ASN1_UNDEF;
	if (!alg || !h)
		return 0;
	X509_ALGOR_get0(&oid, &ptype, NULL, alg);
	return OBJ_obj2nid(oid) == NID_sha256 && (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL) &&
	       ASN1_STRING_length(h) == 32 && memcmp(ASN1_STRING_get0_data(h), md, 32) == 0;
}

/* An algorithm identifier's parameters are absent or NULL. */
static int params_absent_or_null(const X509_ALGOR *a)
{
	int ptype = V_ASN1_UNDEF;
	X509_ALGOR_get0(NULL, &ptype, NULL, a);
	return ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL;
}

/* What OpenSSL's PKCS#7 verification does not hold against a token (a
 * flipped bit there would go unnoticed): the versions RFC 5652 prescribes
 * (SignedData 3 for TSTInfo content, SignerInfo 1 with issuer and serial),
 * digest algorithm parameters absent or NULL, and a signature algorithm
 * that fits the signer's key and the digest.  NULL, or why not. */
static const char *token_structure_why(PKCS7 *p7)
{
	if (!PKCS7_type_is_signed(p7) || !p7->d.sign)
		return "it is not signed data";
	PKCS7_SIGNED *sd = p7->d.sign;
	if (ASN1_INTEGER_get(sd->version) != 3)
		return "its SignedData version is not 3";
	if (sk_PKCS7_SIGNER_INFO_num(sd->signer_info) != 1)
		return "it does not have exactly one signer";
	PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(sd->signer_info, 0);
	if (ASN1_INTEGER_get(si->version) != 1)
		return "its SignerInfo version is not 1";
	for (int i = 0; i < sk_X509_ALGOR_num(sd->md_algs); i++)
		if (!params_absent_or_null(sk_X509_ALGOR_value(sd->md_algs, i)))
			return "a digest algorithm has parameters";
	if (!params_absent_or_null(si->digest_alg))
		return "the signer's digest algorithm has parameters";
	STACK_OF(X509) *signers = PKCS7_get0_signers(p7, NULL, 0);
	X509 *signer = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	EVP_PKEY *key = signer ? X509_get0_pubkey(signer) : NULL;
	int key_nid = key ? EVP_PKEY_get_base_id(key) : NID_undef;
	sk_X509_free(signers);
	ERR_clear_error();
	if (!key)
		return "it does not carry its signer's certificate (with a usable key)";
	int sig_nid = OBJ_obj2nid(si->digest_enc_alg->algorithm);
	int dig_nid = OBJ_obj2nid(si->digest_alg->algorithm), md_nid, pk_nid;
	if (sig_nid == NID_rsassaPss || (sig_nid == key_nid && key_nid == NID_rsaEncryption))
		return NULL; /* PSS parameters and plain RSA are checked by the signature itself */
	if (!OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid) || md_nid != dig_nid || pk_nid != key_nid ||
	    !params_absent_or_null(si->digest_enc_alg))
		return "its signature algorithm does not fit the key and digest";
	return NULL;
}

/* Without a trusted TSA: is the token's own signature intact over its
 * TSTInfo, under the certificate it carries? */
static int token_math_ok(const uint8_t *tok, size_t toklen)
{
	const unsigned char *p = tok;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)toklen);
	BIO *sink = BIO_new(BIO_s_null());
	int ok = cms && sink && p == tok + toklen &&
		 CMS_verify(cms, NULL, NULL, NULL, sink, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1;
	BIO_free(sink);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return ok;
}

/* The TSA certificates the user trusts.  No purpose is set on the store:
 * OpenSSL's TS verification then requires the time-stamping purpose. */
static X509_STORE *tsa_store(const char *path, time_t now, struct tb_diag *d)
{
	STACK_OF(X509) *cas = tb_pem_certs(path, "TSA CA", d);
	X509_STORE *store = cas ? X509_STORE_new() : NULL;
	for (int i = 0; store && i < sk_X509_num(cas); i++)
		if (X509_STORE_add_cert(store, sk_X509_value(cas, i)) != 1) {
			X509_STORE_free(store);
			store = NULL;
			tb_diag_set(d, TB_E_FORMAT, "%s: cannot use certificate %d", path, i + 1);
		}
	sk_X509_pop_free(cas, X509_free);
	if (store)
		X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), now);
	ERR_clear_error();
	return store;
}

/* OpenSSL's own token check: version, imprint, the signer named in the
 * TSTInfo and, with a store, the signature, the ESS signing certificate
 * and the chain to the store as a time-stamping certificate. */
static int ts_verify(PKCS7 *p7, const unsigned char md[32], X509_STORE *store, char *why, size_t wlen)
{
	TS_VERIFY_CTX *vc = TS_VERIFY_CTX_new();
	unsigned char *imp = OPENSSL_malloc(32);
	int ok = 0;
	if (!vc || !imp || (store && X509_STORE_up_ref(store) != 1)) {
		OPENSSL_free(imp);
		snprintf(why, wlen, "out of memory");
	} else {
		memcpy(imp, md, 32);
		TS_VERIFY_CTX_set_imprint(vc, imp, 32);
		TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNER |
						    (store ? TS_VFY_SIGNATURE : 0));
		if (store)
			TS_VERIFY_CTX_set_store(vc, store); /* its reference, taken above */
		ok = TS_RESP_verify_token(vc, p7) == 1;
		if (!ok)
			tb_ossl_reason(why, wlen);
	}
	TS_VERIFY_CTX_free(vc);
	ERR_clear_error();
	return ok;
}

/* Every check of a parsed token; out->msg says the first that fails. */
static void judge_token(PKCS7 *p7, const uint8_t *tok, size_t toklen, const unsigned char md[32],
			X509_STORE *store, time_t now, struct tb_tsa_check *out)
{
	TS_TST_INFO *ti = PKCS7_to_TS_TST_INFO(p7);
	const char *why_s;
	char why[256];
	if (!ti) {
		snprintf(out->msg, sizeof out->msg, "the token holds no readable TSTInfo");
		return;
	}
	time_text(TS_TST_INFO_get_time(ti), out->time, &out->gen_time);
	signer_name(p7, out->tsa, sizeof out->tsa);
	if (!imprint_matches(ti, md)) {
		snprintf(out->msg, sizeof out->msg,
			 "the timestamp is over another signature: its message imprint is not the "
			 "SHA-256 of this signature value");
	} else if (out->gen_time == (time_t)-1) {
		snprintf(out->msg, sizeof out->msg, "the token's time is unreadable");
	} else if ((why_s = token_structure_why(p7)) != NULL) {
		snprintf(out->msg, sizeof out->msg, "malformed timestamp token: %s", why_s);
	} else if (!store && !token_math_ok(tok, toklen)) {
		snprintf(out->msg, sizeof out->msg,
			 "the token's own signature does not match its contents");
	} else if (!ts_verify(p7, md, store, why, sizeof why)) {
		snprintf(out->msg, sizeof out->msg, "the token does not verify%s: %s",
			 store ? " against the given TSA CA" : "", why);
	} else if (out->gen_time > now + CLOCK_SKEW_S) {
		snprintf(out->msg, sizeof out->msg, "the token's time %s is in the future", out->time);
	} else {
		out->ok = 1;
		out->trusted = store != NULL;
	}
	TS_TST_INFO_free(ti);
}

enum tb_err tb_tsa_token_check(const uint8_t *tok, size_t toklen, const uint8_t *sigval, size_t siglen,
			       const char *tsa_ca, time_t now, struct tb_tsa_check *out,
			       struct tb_diag *d)
{
	unsigned char md[32];
	memset(out, 0, sizeof *out);
	out->gen_time = (time_t)-1;
	X509_STORE *store = NULL;
	if (tsa_ca && !(store = tsa_store(tsa_ca, now, d)))
		return TB_E_CONFIG;
	const unsigned char *p = tok;
	PKCS7 *p7 = toklen <= TB_TSA_MAX_RESPONSE ? d2i_PKCS7(NULL, &p, (long)toklen) : NULL;
	if (!p7 || p != tok + toklen)
		snprintf(out->msg, sizeof out->msg,
			 "the timestamp token is not a DER signed token (or has bytes after it)");
	else if (!sha256_of(sigval, siglen, md))
		snprintf(out->msg, sizeof out->msg, "cannot hash the signature value");
	else
		judge_token(p7, tok, toklen, md, store, now, out);
	X509_STORE_free(store);
	PKCS7_free(p7);
	ERR_clear_error();
	return TB_OK;
}
