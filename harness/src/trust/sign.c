/* sign.c: detached CMS signatures over reports (see sign.h). */
#include "trust/sign.h"

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "result/result.h"
#include "trust/pemio.h"
#include "trust/tsa.h"

/* A signature from the clock's future by more than this is refused. */
#define CLOCK_SKEW_S 300

static enum tb_err cms_to_file(CMS_ContentInfo *cms, const char *out_path, struct tb_diag *d)
{
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	if (n <= 0)
		return tb_diag_set(d, TB_E_INTERNAL, "cannot encode the signature");
	enum tb_err e = tb_write_atomic(out_path, der, (size_t)n, d);
	OPENSSL_free(der);
	return e;
}

/* Ask the TSA for a token over the signature value and store it as the
 * SignerInfo's unsigned attribute id-aa-timeStampToken (RFC 3161
 * appendix A, as CAdES-T does): the signed attributes, and so the
 * signature, stay as they are. */
static enum tb_err add_timestamp(CMS_ContentInfo *cms, const struct tb_tsa_src *tsa, struct tb_diag *d)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	ASN1_OCTET_STRING *sv = si ? CMS_SignerInfo_get0_signature(si) : NULL;
	uint8_t *tok = NULL;
	size_t toklen = 0;
	if (!sv)
		return tb_diag_set(d, TB_E_INTERNAL, "the signature has no signature value");
	enum tb_err e = tb_tsa_stamp(tsa, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv),
				     &tok, &toklen, d);
	if (!e && CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
						tok, (int)toklen) != 1) {
		ERR_clear_error();
		e = tb_diag_set(d, TB_E_INTERNAL, "cannot add the timestamp token to the signature");
	}
	free(tok);
	return e;
}

enum tb_err tb_sign_file(const char *report_path, const char *key_path, const char *cert_path,
			 const char *chain_path, const char *out_path, struct tb_diag *d)
{
	return tb_sign_file_tsa(report_path, key_path, cert_path, chain_path, NULL, out_path, d);
}

enum tb_err tb_sign_file_tsa(const char *report_path, const char *key_path, const char *cert_path,
			     const char *chain_path, const struct tb_tsa_src *tsa, const char *out_path,
			     struct tb_diag *d)
{
	char *report = NULL;
	size_t rlen = 0;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *certs = NULL, *chain = NULL;
	BIO *content = NULL;
	CMS_ContentInfo *cms = NULL;
	enum tb_err e = tb_file_read(report_path, TB_SIGN_MAX_REPORT + 1, &report, &rlen, d);
	if (e)
		goto out;
	if (rlen > TB_SIGN_MAX_REPORT) {
		e = tb_diag_set(d, TB_E_TOOBIG, "%s: larger than %u bytes", report_path,
				TB_SIGN_MAX_REPORT);
		goto out;
	}
	e = TB_E_FORMAT;
	if (!(key = tb_pem_key(key_path, d)) || !(certs = tb_pem_certs(cert_path, "certificate", d)) ||
	    (chain_path && !(chain = tb_pem_certs(chain_path, "chain", d))))
		goto out;
	X509 *cert = sk_X509_value(certs, 0);
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		e = tb_diag_set(d, TB_E_CONFIG, "%s does not belong to the key in %s", cert_path,
				key_path);
		goto out;
	}
	content = BIO_new_mem_buf(report, (int)rlen);
	/* CMS_sign adds the signed attributes: content type, message digest
	 * and the signing time.  CMS_BINARY: the exact bytes, no MIME
	 * canonicalisation of line ends. */
	cms = content ? CMS_sign(cert, key, chain, content, CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP)
		      : NULL;
	if (!cms) {
		char why[256];
		tb_ossl_reason(why, sizeof why);
		e = tb_diag_set(d, TB_E_INTERNAL, "signing failed: %s", why);
		goto out;
	}
	if (tsa && (e = add_timestamp(cms, tsa, d)))
		goto out;
	e = cms_to_file(cms, out_path, d);
out:
	CMS_ContentInfo_free(cms);
	BIO_free(content);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(certs, X509_free);
	EVP_PKEY_free(key);
	free(report);
	return e;
}

/* ---- Verification ---- */

static void time_text(const ASN1_TIME *t, char out[32])
{
	struct tm tm;
	out[0] = '\0';
	if (t && ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The signing-time attribute as time_t, or -1 when absent or unreadable. */
static time_t signing_time(CMS_SignerInfo *si, char text[32])
{
	int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	X509_ATTRIBUTE *a = idx >= 0 ? CMS_signed_get_attr(si, idx) : NULL;
	ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
	struct tm tm;
	text[0] = '\0';
	if (!t || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME) ||
	    ASN1_TIME_to_tm((const ASN1_TIME *)t->value.asn1_string, &tm) != 1)
		return (time_t)-1;
	strftime(text, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return timegm(&tm);
}

struct chainres {
	int ok, err, depth;
	char who[512];
	STACK_OF(X509) * chain; /* the verified chain when ok */
};

static void chain_verify(X509_STORE *store, X509 *signer, STACK_OF(X509) * untrusted, time_t at,
			 struct chainres *r)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	memset(r, 0, sizeof *r);
	r->err = X509_V_ERR_UNSPECIFIED;
	if (!ctx || X509_STORE_CTX_init(ctx, store, signer, untrusted) != 1) {
		X509_STORE_CTX_free(ctx);
		return;
	}
	/* Purpose any: a lab certificate need not carry S/MIME usages. */
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), at);
	r->ok = X509_verify_cert(ctx) == 1;
	if (r->ok) {
		r->chain = X509_STORE_CTX_get1_chain(ctx);
	} else {
		r->err = X509_STORE_CTX_get_error(ctx);
		r->depth = X509_STORE_CTX_get_error_depth(ctx);
		X509 *c = X509_STORE_CTX_get_current_cert(ctx);
		if (c)
			tb_x509_name_text(X509_get_subject_name(c), r->who, sizeof r->who);
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

/* Every certificate the signature carries must be in the verified chain:
 * otherwise a byte flipped in an unused copy would go unnoticed. */
static int all_certs_in_chain(STACK_OF(X509) * carried, STACK_OF(X509) * chain)
{
	for (int i = 0; i < sk_X509_num(carried); i++) {
		int found = 0;
		for (int j = 0; j < sk_X509_num(chain) && !found; j++)
			found = X509_cmp(sk_X509_value(carried, i), sk_X509_value(chain, j)) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

static X509_STORE *load_store(const char *ca_path, time_t now, struct tb_diag *d)
{
	STACK_OF(X509) *cas = tb_pem_certs(ca_path, "CA", d);
	X509_STORE *store = cas ? X509_STORE_new() : NULL;
	for (int i = 0; store && i < sk_X509_num(cas); i++)
		if (X509_STORE_add_cert(store, sk_X509_value(cas, i)) != 1) {
			X509_STORE_free(store);
			store = NULL;
			tb_diag_set(d, TB_E_FORMAT, "%s: cannot use certificate %d as a CA", ca_path,
				    i + 1);
		}
	sk_X509_pop_free(cas, X509_free);
	if (store) {
		X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
		X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), now);
	}
	return store;
}

static CMS_ContentInfo *parse_sig(const uint8_t *sig, size_t siglen, struct tb_sigcheck *out)
{
	static const char pem[] = "-----BEGIN";
	CMS_ContentInfo *cms = NULL;
	if (siglen >= sizeof pem - 1 && memcmp(sig, pem, sizeof pem - 1) == 0) {
		BIO *b = BIO_new_mem_buf(sig, (int)siglen);
		cms = b ? PEM_read_bio_CMS(b, NULL, tb_pem_no_passphrase, NULL) : NULL;
		BIO_free(b);
	} else {
		const unsigned char *p = sig;
		cms = d2i_CMS_ContentInfo(NULL, &p, (long)siglen);
		if (cms && p != sig + siglen) {
			CMS_ContentInfo_free(cms);
			snprintf(out->sig_msg, sizeof out->sig_msg,
				 "the signature file has bytes after the signature");
			return NULL;
		}
	}
	if (!cms)
		snprintf(out->sig_msg, sizeof out->sig_msg,
			 "the signature file is not a CMS signature (DER or PEM)");
	else if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || CMS_is_detached(cms) != 1 ||
		 sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) != 1) {
		snprintf(out->sig_msg, sizeof out->sig_msg,
			 "expected detached signed data with exactly one signer");
		CMS_ContentInfo_free(cms);
		cms = NULL;
	}
	ERR_clear_error();
	return cms;
}

/* Read the version INTEGER at p (one content byte); -1 when it is not one. */
static long der_small_int(const unsigned char **p, long len)
{
	long l;
	int tag, cls;
	const unsigned char *q = *p;
	if ((ASN1_get_object(&q, &l, &tag, &cls, len) & 0x80) || tag != V_ASN1_INTEGER ||
	    cls != V_ASN1_UNIVERSAL || l != 1)
		return -1;
	*p = q + 1;
	return q[0];
}

/* Step into a constructed element (or over a primitive one when skip). */
static int der_enter(const unsigned char **p, const unsigned char *end, int want_tag, int want_cls,
		     int skip)
{
	long l;
	int tag, cls;
	const unsigned char *q = *p;
	int r = ASN1_get_object(&q, &l, &tag, &cls, end - *p);
	if ((r & 0x80) || (want_tag >= 0 && (tag != want_tag || cls != want_cls)))
		return -1;
	*p = skip ? q + l : q;
	return 0;
}

/* OpenSSL ignores the SignedData and SignerInfo versions; RFC 5652 fixes
 * them (1 with issuer-and-serial signers and id-data content, 3 with key-id
 * signers), so a changed one is a changed signature. */
static int versions_ok(CMS_ContentInfo *cms)
{
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	const unsigned char *p = der, *end = der + (n > 0 ? n : 0);
	long sdv = -1, siv = -1;
	int tag, cls;
	long l;
	if (n > 0 && !der_enter(&p, end, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, 0) &&
	    !der_enter(&p, end, V_ASN1_OBJECT, V_ASN1_UNIVERSAL, 1) &&
	    !der_enter(&p, end, 0, V_ASN1_CONTEXT_SPECIFIC, 0) &&
	    !der_enter(&p, end, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, 0) &&
	    (sdv = der_small_int(&p, end - p)) >= 0) {
		/* Skip to the last element: the SignerInfos set. */
		const unsigned char *last = NULL;
		while (p < end) {
			last = p;
			if (der_enter(&p, end, -1, 0, 1))
				break;
		}
		const unsigned char *q = last;
		if (last && p == end && ASN1_get_object(&q, &l, &tag, &cls, end - last) == 0x20 &&
		    tag == V_ASN1_SET && !der_enter(&last, end, V_ASN1_SET, V_ASN1_UNIVERSAL, 0) &&
		    !der_enter(&last, end, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, 0))
			siv = der_small_int(&last, end - last);
	}
	OPENSSL_free(der);
	return (sdv == 1 && siv == 1) || (sdv == 3 && siv == 3);
}

/* Unsigned attributes are not covered by the signature: the only one
 * trustbench writes (and accepts) is the timestamp token, which carries its
 * own proof.  Any other could be changed without a trace. */
static int unsigned_attrs_known(CMS_SignerInfo *si)
{
	for (int i = 0; i < CMS_unsigned_get_attr_count(si); i++) {
		X509_ATTRIBUTE *a = CMS_unsigned_get_attr(si, i);
		if (!a || OBJ_obj2nid(X509_ATTRIBUTE_get0_object(a)) != NID_id_smime_aa_timeStampToken)
			return 0;
	}
	return 1;
}

/* What OpenSSL does not hold against a signature: the content type must be
 * id-data, the signature algorithm must fit the key and the digest, the
 * versions must be the ones RFC 5652 prescribes, and the only unsigned
 * attribute allowed is a timestamp token. */
static int structure_ok(CMS_ContentInfo *cms, X509 *signer, struct tb_sigcheck *out)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	X509_ALGOR *dig = NULL, *sig = NULL;
	int md_nid = NID_undef, pk_nid = NID_undef;
	const char *why = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	int sig_nid = sig ? OBJ_obj2nid(sig->algorithm) : NID_undef;
	int dig_nid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
	int key_nid = EVP_PKEY_get_base_id(X509_get0_pubkey(signer));
	if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data)
		why = "the signed content type is not data";
	else if (!OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid) &&
		 !(sig_nid != NID_undef && sig_nid == key_nid))
		why = "unknown signature algorithm";
	else if (md_nid != NID_undef && (md_nid != dig_nid || pk_nid != key_nid))
		why = "the signature algorithm does not fit the key and digest";
	else if (!versions_ok(cms))
		why = "the CMS version numbers are not the ones RFC 5652 prescribes";
	else if (!unsigned_attrs_known(si))
		why = "it carries an unsigned attribute other than a timestamp token";
	if (why)
		snprintf(out->sig_msg, sizeof out->sig_msg, "malformed signature: %s", why);
	return why == NULL;
}

/* The content as a BIO for CMS_verify.  A bare memory BIO makes OpenSSL 3.0
 * copy it into one of its own, which it leaks when the signature names an
 * unknown digest; behind a buffering filter it is used as it is. */
static BIO *content_bio(const uint8_t *data, size_t len)
{
	BIO *mem = BIO_new_mem_buf(data, (int)len);
	BIO *buf = mem ? BIO_new(BIO_f_buffer()) : NULL;
	if (!buf) {
		BIO_free(mem);
		return NULL;
	}
	return BIO_push(buf, mem);
}

/* The signature's own bytes: does it match the content? */
static X509 *check_math(CMS_ContentInfo *cms, const uint8_t *data, size_t len, struct tb_sigcheck *out)
{
	BIO *content = content_bio(data, len);
	X509 *signer = NULL;
	if (content &&
	    CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
		STACK_OF(X509) *signers = CMS_get0_signers(cms);
		if (signers && sk_X509_num(signers) == 1)
			signer = sk_X509_value(signers, 0);
		sk_X509_free(signers);
	}
	BIO_free_all(content);
	if (!signer) {
		char why[256];
		tb_ossl_reason(why, sizeof why);
		snprintf(out->sig_msg, sizeof out->sig_msg,
			 "the signature does not match the report's bytes (%s)", why);
		return NULL;
	}
	if (!structure_ok(cms, signer, out))
		return NULL;
	out->sig_ok = 1;
	return signer;
}

static void describe_signer(X509 *signer, struct tb_sigcheck *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	tb_x509_name_text(X509_get_subject_name(signer), out->subject, sizeof out->subject);
	tb_x509_name_text(X509_get_issuer_name(signer), out->issuer, sizeof out->issuer);
	time_text(X509_get0_notAfter(signer), out->not_after);
	if (X509_digest(signer, EVP_sha256(), md, &n) == 1 && n == 32)
		tb_sha256_hex(md, out->sha256);
}

/* Chain to the CA, valid now; explain an expired signer plainly. */
static void check_chain(CMS_ContentInfo *cms, X509_STORE *store, X509 *signer, time_t now,
			time_t signed_at, const uint8_t *data, size_t len, struct tb_sigcheck *out)
{
	STACK_OF(X509) *carried = CMS_get1_certs(cms);
	struct chainres r;
	chain_verify(store, signer, carried, now, &r);
	if (!r.ok && r.err == X509_V_ERR_CERT_HAS_EXPIRED && r.depth == 0) {
		struct chainres then;
		chain_verify(store, signer, carried, signed_at, &then);
		int after = signed_at != (time_t)-1 &&
			    X509_cmp_time(X509_get0_notAfter(signer), &signed_at) < 0;
		snprintf(out->chain_msg, sizeof out->chain_msg,
			 "the signing certificate expired on %s%s%s", out->not_after,
			 after ? ", before it signed at " : "",
			 after     ? out->signing_time
			 : then.ok ? "; it was valid at the signing time the signer claims, but no "
				     "timestamp authority vouches for that time, so it is refused"
				   : "");
		sk_X509_pop_free(then.chain, X509_free);
	} else if (!r.ok) {
		int no_issuer = r.err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
				r.err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
		snprintf(out->chain_msg, sizeof out->chain_msg, "%s%s (certificate at depth %d: %s)",
			 no_issuer ? "the signer does not chain to the given CA: " : "",
			 X509_verify_cert_error_string(r.err), r.depth, r.who[0] ? r.who : "?");
	} else if (!all_certs_in_chain(carried, r.chain)) {
		snprintf(out->chain_msg, sizeof out->chain_msg,
			 "the signature carries a certificate outside the verified chain");
	} else if (signed_at == (time_t)-1) {
		snprintf(out->chain_msg, sizeof out->chain_msg,
			 "the signature has no readable signing time");
	} else if (signed_at > now + CLOCK_SKEW_S) {
		snprintf(out->chain_msg, sizeof out->chain_msg, "the signing time %s is in the future",
			 out->signing_time);
	} else if (X509_cmp_time(X509_get0_notBefore(signer), &signed_at) > 0 ||
		   X509_cmp_time(X509_get0_notAfter(signer), &signed_at) < 0) {
		snprintf(out->chain_msg, sizeof out->chain_msg,
			 "signed at %s, outside the certificate's validity", out->signing_time);
	} else {
		/* The library's own full check must agree with ours. */
		BIO *content = content_bio(data, len);
		if (content && CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) == 1) {
			out->chain_ok = 1;
		} else {
			char why[256];
			tb_ossl_reason(why, sizeof why);
			snprintf(out->chain_msg, sizeof out->chain_msg, "CMS verification failed: %s",
				 why);
		}
		BIO_free_all(content);
	}
	sk_X509_pop_free(r.chain, X509_free);
	sk_X509_pop_free(carried, X509_free);
	ERR_clear_error();
}

/* The id-aa-timeStampToken attribute: 0 when absent, 1 with its one value
 * in *tok, -1 (why set) when it is there but not one token. */
static int find_token(CMS_SignerInfo *si, const uint8_t **tok, size_t *len, char *why, size_t wlen)
{
	int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	if (idx < 0)
		return 0;
	X509_ATTRIBUTE *a = CMS_unsigned_get_attr(si, idx);
	ASN1_TYPE *t = a && X509_ATTRIBUTE_count(a) == 1 ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
	if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, idx) >= 0) {
		snprintf(why, wlen, "the signature carries more than one timestamp attribute");
		return -1;
	}
	if (!t || t->type != V_ASN1_SEQUENCE || !t->value.sequence) {
		snprintf(why, wlen, "the timestamp attribute does not hold exactly one token");
		return -1;
	}
	*tok = t->value.sequence->data;
	*len = (size_t)t->value.sequence->length;
	return 1;
}

/* Check a timestamp token in the signature (see tb_sig_check_opts).
 * Returns its genTime when it is valid and trusted, else -1. */
static time_t check_timestamp(CMS_SignerInfo *si, const struct tb_sigopts *o, struct tb_sigcheck *out)
{
	const uint8_t *tok = NULL;
	size_t toklen = 0;
	char why[256];
	int found = find_token(si, &tok, &toklen, why, sizeof why);
	out->ts_present = found != 0;
	if (found <= 0) {
		out->ts_broken = found < 0;
		snprintf(out->ts_msg, sizeof out->ts_msg, "%s", found < 0 ? why : "");
		return (time_t)-1;
	}
	ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
	struct tb_tsa_check tc;
	struct tb_diag d = { 0 };
	if (tb_tsa_token_check(tok, toklen, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv),
			       o->tsa_ca_path, o->now, &tc, &d) != TB_OK) {
		out->ts_broken = 1;
		snprintf(out->ts_msg, sizeof out->ts_msg, "%s", d.msg);
		return (time_t)-1;
	}
	snprintf(out->ts_time, sizeof out->ts_time, "%s", tc.time);
	snprintf(out->ts_tsa, sizeof out->ts_tsa, "%s", tc.tsa);
	if (!tc.ok) {
		out->ts_broken = 1;
		snprintf(out->ts_msg, sizeof out->ts_msg, "%s", tc.msg);
		return (time_t)-1;
	}
	if (!tc.trusted) {
		snprintf(out->ts_msg, sizeof out->ts_msg,
			 "intact and over this signature, but not checked against a trusted TSA "
			 "(no TSA CA given), so nothing vouches for its time");
		return (time_t)-1;
	}
	out->ts_ok = 1;
	snprintf(out->ts_msg, sizeof out->ts_msg,
		 "intact, over this signature, and its TSA chains to the given TSA CA");
	return tc.gen_time;
}

enum tb_err tb_sig_check(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
			 const char *ca_path, time_t now, struct tb_sigcheck *out, struct tb_diag *d)
{
	struct tb_sigopts o = { .ca_path = ca_path, .now = now };
	return tb_sig_check_opts(data, len, sig, siglen, &o, out, d);
}

/* Is the TSA CA file usable?  Checked up front, token or not. */
static int tsa_ca_usable(const char *path, struct tb_diag *d)
{
	STACK_OF(X509) *cas = tb_pem_certs(path, "TSA CA", d);
	sk_X509_pop_free(cas, X509_free);
	return cas != NULL;
}

enum tb_err tb_sig_check_opts(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
			      const struct tb_sigopts *o, struct tb_sigcheck *out, struct tb_diag *d)
{
	time_t now = o->now;
	memset(out, 0, sizeof *out);
	if (o->tsa_ca_path && !tsa_ca_usable(o->tsa_ca_path, d))
		return TB_E_CONFIG;
	X509_STORE *store = load_store(o->ca_path, now, d);
	if (!store)
		return TB_E_CONFIG;
	snprintf(out->chain_msg, sizeof out->chain_msg, "not checked: the signature is broken");
	if (len > TB_SIGN_MAX_REPORT || siglen > TB_SIGN_MAX_PEM) {
		snprintf(out->sig_msg, sizeof out->sig_msg, "the report or signature is too large");
		X509_STORE_free(store);
		return TB_OK;
	}
	CMS_ContentInfo *cms = parse_sig(sig, siglen, out);
	X509 *signer = cms ? check_math(cms, data, len, out) : NULL;
	if (signer) {
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
		time_t at = signing_time(si, out->signing_time);
		describe_signer(signer, out);
		out->expired_now = X509_cmp_time(X509_get0_notAfter(signer), &now) < 0;
		/* A trusted timestamp proves the signature existed at its time:
		 * the chain is judged then, not now. */
		time_t ts = check_timestamp(si, o, out);
		if (ts != (time_t)-1) {
			out->chain_at_ts = 1;
			X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), ts);
		}
		check_chain(cms, store, signer, ts != (time_t)-1 ? ts : now, at, data, len, out);
	}
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	return TB_OK;
}
