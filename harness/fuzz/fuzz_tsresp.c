/* fuzz_tsresp.c: libFuzzer target for what a TSA sends back (untrusted):
 * tb_tsa_response_check on the bytes as a TimeStampResp answering a fixed
 * request, and tb_tsa_token_check on the same bytes as a stored token. */
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trust/tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The signature value the corpus's tokens are over. */
static const uint8_t sigval[] = "fuzz signature value";

/* The request the corpus's responses answer: SHA-256 of sigval, nonce
 * 0x0102030405060708, certReq (fixed, unlike tb_tsa_request's nonce). */
static unsigned char *fixed_request(int *len)
{
	unsigned char md[32];
	TS_REQ *r = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *nonce = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	if (!r || !mi || !alg || !nonce ||
	    !EVP_Digest(sigval, sizeof sigval, md, NULL, EVP_sha256(), NULL))
		abort();
	X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL);
	ASN1_INTEGER_set_uint64(nonce, 0x0102030405060708ull);
	if (!TS_MSG_IMPRINT_set_algo(mi, alg) || !TS_MSG_IMPRINT_set_msg(mi, md, sizeof md) ||
	    !TS_REQ_set_version(r, 1) || !TS_REQ_set_msg_imprint(r, mi) ||
	    !TS_REQ_set_nonce(r, nonce) || !TS_REQ_set_cert_req(r, 1) ||
	    (*len = i2d_TS_REQ(r, &der)) <= 0)
		abort();
	ASN1_INTEGER_free(nonce);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(r);
	return der;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char *req;
	static int reqlen;
	if (!req)
		req = fixed_request(&reqlen);
	uint8_t *tok = NULL;
	size_t toklen = 0;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_tsa_response_check(data, size, req, (size_t)reqlen, &tok, &toklen, &d);
	if (e == TB_OK) {
		if (!tok || toklen == 0 || toklen > size)
			abort();
		/* What sign stores must be what verify reads. */
		struct tb_tsa_check c;
		if (tb_tsa_token_check(tok, toklen, sigval, sizeof sigval, NULL, time(NULL), &c, &d) !=
		    TB_OK)
			abort();
		free(tok);
	} else if (tok || !memchr(d.msg, '\0', sizeof d.msg) || d.msg[0] == '\0') {
		abort();
	}
	struct tb_tsa_check c;
	if (tb_tsa_token_check(data, size, sigval, sizeof sigval, NULL, time(NULL), &c, &d) != TB_OK)
		abort();
	if (!memchr(c.msg, '\0', sizeof c.msg) || !memchr(c.tsa, '\0', sizeof c.tsa) ||
	    !memchr(c.time, '\0', sizeof c.time) || (c.ok && c.trusted))
		abort();
	return 0;
}
