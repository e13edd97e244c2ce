/* tsa.h: RFC 3161 trusted time for report signatures.
 *
 * `trustbench sign --tsa URL | --tsa-file DIR` asks a time-stamping
 * authority (TSA) for a TimeStampToken over the SHA-256 of the CMS
 * SignerInfo's signature value, and sign.c stores it as the unsigned
 * attribute id-aa-timeStampToken (as CAdES-T and RFC 3161 appendix A do).
 * `verify --tsa-ca FILE` checks the token offline against the TSA
 * certificates the user trusts; the signer's chain is then judged at the
 * token's genTime.
 *
 * A TSA's response is untrusted input: its size is bounded, it must parse
 * completely, be "granted", and echo our nonce and imprint.  A network TSA
 * is reached only over plain http:// at a lab address (198.18.0.0/15, or
 * loopback), with one deadline and no redirects.  --tsa-file runs a
 * test-only TSA in this process (OpenSSL's TS_RESP_CTX), with no network.
 */
#ifndef TB_TSA_H
#define TB_TSA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/tb.h"

/* A TSA response or token larger than this is refused. */
#define TB_TSA_MAX_RESPONSE (64u * 1024)
/* The whole HTTP exchange with a TSA must end within this. */
#define TB_TSA_TIMEOUT_MS 10000
/* The policy the test-only TSA stamps under: an OID below 1.3.6.1.4.1.32473,
 * the enterprise number RFC 5612 reserves for documentation and examples,
 * so it can never name a real TSA's policy.  Test-only. */
#define TB_TSA_TEST_POLICY "1.3.6.1.4.1.32473.3161.1"

/* Where `sign` gets its timestamp: exactly one of url and dir is set. */
struct tb_tsa_src {
	const char *url; /* http://LAB-ADDRESS[:PORT]/PATH */
	const char *dir; /* test-only TSA: tsa.key, tsa.pem [, tsa-chain.pem] */
};

/* Read a TSA URL.  Only "http://A.B.C.D[:PORT][/PATH]" with A.B.C.D in
 * 198.18.0.0/15 or 127.0.0.0/8 is accepted (the lab rule; IPv6 and host
 * names are refused: nothing is ever resolved).  TB_E_SCOPE (address
 * outside the lab) or TB_E_CONFIG (anything else) with the reason in d. */
TB_WUR enum tb_err tb_tsa_url_parse(const char *url, uint32_t *addr, uint16_t *port, char *path,
				    size_t pathlen, struct tb_diag *d);

/* Obtain a TimeStampToken (DER, *tok malloc'd) over SHA-256(sigval) from
 * src, after checking the response (see the top of this file). */
TB_WUR enum tb_err tb_tsa_stamp(const struct tb_tsa_src *src, const uint8_t *sigval, size_t len,
				uint8_t **tok, size_t *toklen, struct tb_diag *d);

/* The pieces of tb_tsa_stamp, for tests and the fuzz target. */
/* A DER TimeStampReq over SHA-256(sigval), with a fresh nonce and certReq. */
TB_WUR enum tb_err tb_tsa_request(const uint8_t *sigval, size_t len, uint8_t **req, size_t *reqlen,
				  struct tb_diag *d);
/* Answer a DER request as the test-only TSA in dir: a DER TimeStampResp. */
TB_WUR enum tb_err tb_tsa_answer_local(const char *dir, const uint8_t *req, size_t reqlen,
				       uint8_t **resp, size_t *resplen, struct tb_diag *d);
/* Check a DER response (untrusted) against the DER request it answers:
 * it parses whole, its status is granted, its token's imprint and nonce are
 * the request's.  On TB_OK *tok is the token's DER (malloc'd). */
TB_WUR enum tb_err tb_tsa_response_check(const uint8_t *resp, size_t resplen, const uint8_t *req,
					 size_t reqlen, uint8_t **tok, size_t *toklen,
					 struct tb_diag *d);

/* What checking a stored token found. */
struct tb_tsa_check {
	int ok;          /* intact, over this signature value, and (with a CA) trusted */
	int trusted;     /* its signer chains to the given TSA CA (a time-stamping cert) */
	time_t gen_time; /* the token's genTime (when readable) */
	char time[32];   /* genTime, RFC 3339 UTC */
	char tsa[512];   /* the token's signer, RFC 2253 */
	char msg[512];   /* why it is not ok */
};

/* Check a DER token (untrusted) over SHA-256(sigval).  With tsa_ca (a PEM
 * file of trusted TSA certificates, may be NULL) its signer must chain to
 * them, valid now, as a time-stamping certificate; without it only the
 * token's integrity and imprint are checked (ok, trusted 0).  A genTime
 * later than now (plus clock skew) is refused.  TB_OK when the check ran
 * (see out), TB_E_CONFIG when tsa_ca is unusable. */
TB_WUR enum tb_err tb_tsa_token_check(const uint8_t *tok, size_t toklen, const uint8_t *sigval,
				      size_t siglen, const char *tsa_ca, time_t now,
				      struct tb_tsa_check *out, struct tb_diag *d);

#endif
