/* fwverify.c: firmware update artefact verification (see fwverify.h). */
#include "trust/fwverify.h"
#include "trust/fwverify_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "load/profile.h"

#define READ_CHUNK (1024 * 1024)
#define ANCHOR_MAX (1024 * 1024)

static struct tb_fw_finding *add(struct tb_fw_report *rep, const char *what, enum tb_verdict v,
				 const char *fmt, ...) TB_PRINTF(4, 5);
static struct tb_fw_finding *add(struct tb_fw_report *rep, const char *what, enum tb_verdict v,
				 const char *fmt, ...)
{
	static struct tb_fw_finding spill;
	struct tb_fw_finding *f = rep->n < TB_FW_MAX_FINDINGS ? &rep->f[rep->n++] : &spill;
	va_list ap;
	f->what = what;
	f->v = v;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	return f;
}

enum tb_err tb_fw_sha256_file(const char *path, uint8_t out[32], uint64_t *size, struct tb_diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tb_diag_set(d, TB_E_IO, "cannot open %s: %s", path, strerror(errno));
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	uint8_t *buf = tb_xmalloc(READ_CHUNK);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	enum tb_err e = TB_OK;
	*size = 0;
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		e = tb_diag_set(d, TB_E_INTERNAL, "SHA-256 unavailable");
	while (!e) {
		ssize_t n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			e = tb_diag_set(d, TB_E_IO, "reading %s: %s", path, strerror(errno));
		else if (n == 0)
			break;
		else if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
			e = tb_diag_set(d, TB_E_INTERNAL, "SHA-256 update failed");
		else
			*size += (uint64_t)n;
	}
	if (!e && EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		e = tb_diag_set(d, TB_E_INTERNAL, "SHA-256 final failed");
	EVP_MD_CTX_free(ctx);
	free(buf);
	close(fd);
	return e;
}

enum tb_fw_delivery tb_fw_delivery_parse(const char *s)
{
	if (!s)
		return TB_FWD_UNDECLARED;
	if (strcmp(s, "https") == 0)
		return TB_FWD_HTTPS;
	if (strcmp(s, "http") == 0)
		return TB_FWD_HTTP;
	return TB_FWD_OTHER;
}

const char *tb_fw_delivery_name(enum tb_fw_delivery d)
{
	switch (d) {
	case TB_FWD_HTTPS: return "https";
	case TB_FWD_HTTP: return "http";
	case TB_FWD_OTHER: return "other";
	case TB_FWD_UNDECLARED: break;
	}
	return "undeclared";
}

/* The last OpenSSL error as text (and the queue cleared). */
static void ossl_why(char *out, size_t outlen, unsigned long *reason)
{
	unsigned long e, last = 0;
	const char *data = NULL, *ldata = "";
	int flags;
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		last = e;
		ldata = (flags & ERR_TXT_STRING) && data ? data : "";
	}
	if (reason)
		*reason = last ? ERR_GET_REASON(last) : 0;
	if (!last) {
		snprintf(out, outlen, "no detail from OpenSSL");
		return;
	}
	char buf[256];
	ERR_error_string_n(last, buf, sizeof buf);
	snprintf(out, outlen, "%s%s%s",
		 ERR_reason_error_string(last) ? ERR_reason_error_string(last) : buf,
		 ldata[0] ? ": " : "", ldata);
}

/* The anchor: a PEM public key, or PEM certificates (the first one's key). */
static enum tb_err load_anchor(const char *path, EVP_PKEY **key, STACK_OF(X509) * *certs,
			       struct tb_diag *d)
{
	char *buf;
	size_t n;
	*key = NULL;
	*certs = NULL;
	enum tb_err e = tb_file_read(path, ANCHOR_MAX + 1, &buf, &n, d);
	if (e)
		return e;
	if (n > ANCHOR_MAX) {
		free(buf);
		return tb_diag_set(d, TB_E_TOOBIG, "trust anchor %s is larger than 1 MiB", path);
	}
	BIO *b = BIO_new_mem_buf(buf, (int)n);
	*key = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	if (!*key) {
		ERR_clear_error();
		(void)BIO_reset(b);
		*certs = sk_X509_new_null();
		X509 *x;
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
			sk_X509_push(*certs, x);
		ERR_clear_error();
		if (sk_X509_num(*certs) > 0)
			*key = X509_get_pubkey(sk_X509_value(*certs, 0));
	}
	BIO_free(b);
	free(buf);
	if (!*key) {
		sk_X509_pop_free(*certs, X509_free);
		*certs = NULL;
		return tb_diag_set(d, TB_E_FORMAT,
				   "trust anchor %s holds no PEM public key or certificate", path);
	}
	return TB_OK;
}

/* Best practice for update signing keys: RSA >= 2048 (with PSS), ECDSA on
 * P-256/P-384/P-521, Ed25519.  Returns PASS or FAIL with text. */
TB_UNITTEST enum tb_verdict fw_key_policy(EVP_PKEY *k, char *text, size_t len)
{
	int id = EVP_PKEY_get_base_id(k), bits = EVP_PKEY_get_bits(k);
	char group[64] = "";
	size_t gl = 0;
	switch (id) {
	case EVP_PKEY_ED25519:
		snprintf(text, len, "Ed25519 (about 128-bit security)");
		return TB_V_PASS;
	case EVP_PKEY_EC:
		EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &gl);
		if (!strcmp(group, "prime256v1") || !strcmp(group, "secp384r1") ||
		    !strcmp(group, "secp521r1")) {
			snprintf(text, len, "ECDSA on %s with SHA-256", group);
			return TB_V_PASS;
		}
		snprintf(text, len, "ECDSA on curve '%s': only P-256, P-384 and P-521 are accepted",
			 group[0] ? group : "unknown");
		return TB_V_FAIL;
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		if (bits >= 2048) {
			snprintf(text, len, "RSA-%d with PSS and SHA-256", bits);
			return TB_V_PASS;
		}
		snprintf(text, len, "RSA-%d is too short: at least 2048 bits are required", bits);
		return TB_V_FAIL;
	default:
		snprintf(text, len, "key type %s is not an accepted update signing algorithm",
			 OBJ_nid2sn(id));
		return TB_V_FAIL;
	}
}

/* Is the signature file's shape right for the key?  PASS, or FAIL with d's
 * message saying why. */
static enum tb_verdict sig_shape(EVP_PKEY *k, const uint8_t *sig, size_t n, struct tb_diag *d)
{
	int id = EVP_PKEY_get_base_id(k);
	if (n == 0) {
		tb_diag_set(d, TB_E_FORMAT, "the signature file is empty");
		return TB_V_FAIL;
	}
	if (id == EVP_PKEY_EC)
		return tb_p_fwsig_ecdsa_der(sig, n, d) == TB_OK ? TB_V_PASS : TB_V_FAIL;
	if (id == EVP_PKEY_ED25519 && n != 64) {
		tb_diag_set(d, TB_E_FORMAT, "an Ed25519 signature has 64 bytes, this file has %zu", n);
		return TB_V_FAIL;
	}
	if ((id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) && (int)n != EVP_PKEY_get_size(k)) {
		tb_diag_set(d, TB_E_FORMAT, "an RSA-%d signature has %d bytes, this file has %zu",
			    EVP_PKEY_get_bits(k), EVP_PKEY_get_size(k), n);
		return TB_V_FAIL;
	}
	return TB_V_PASS;
}

/* Verify sig over msg with key: 1 valid, 0 not. */
TB_UNITTEST int fw_raw_verify(EVP_PKEY *k, const uint8_t *msg, size_t mlen, const uint8_t *sig,
			      size_t slen)
{
	int id = EVP_PKEY_get_base_id(k);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, id == EVP_PKEY_ED25519 ? NULL : EVP_sha256(),
					     NULL, k) == 1;
	if (ok && id == EVP_PKEY_RSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1;
	if (ok && (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS))
		ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
	ok = ok && EVP_DigestVerify(ctx, sig, slen, msg, mlen) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

static void version_finding(const struct tb_fw_input *in, struct tb_fw_report *rep,
			    const struct tb_fw_version *img)
{
	struct tb_fw_version cur;
	struct tb_diag d = { .msg = "" };
	if (!in->current_version) {
		add(rep, "version", TB_V_INCONCLUSIVE,
		    "image version %s; the device's current version is not declared, so rollback "
		    "cannot be judged",
		    img->text);
		return;
	}
	if (tb_p_fw_version(in->current_version, strlen(in->current_version), &cur, &d)) {
		add(rep, "version", TB_V_INCONCLUSIVE,
		    "the declared current version '%.40s' is not "
		    "comparable: %s",
		    in->current_version, d.msg);
		return;
	}
	int c = tb_fw_version_cmp(img, &cur);
	if (c > 0)
		add(rep, "version", TB_V_PASS, "image version %s is newer than the device's %s",
		    img->text, cur.text);
	else
		add(rep, "version", TB_V_FAIL, "image version %s is %s the device's %s: a rollback",
		    img->text, c == 0 ? "the same as" : "older than", cur.text);
}

static void delivery_finding(const struct tb_fw_input *in, struct tb_fw_report *rep)
{
	const char *u = in->update_url;
	const char *note =
		"declared, not observed: confirming it on the wire belongs to the "
		"traffic-capture check (a separate issue)";
	if (u && strncmp(u, "http://", 7) == 0)
		add(rep, "delivery", TB_V_FAIL,
		    "the update URL %.200s is plain HTTP: updates travel "
		    "without TLS (%s)",
		    u, note);
	else if (in->delivery == TB_FWD_HTTP)
		add(rep, "delivery", TB_V_FAIL, "updates are declared to be delivered over plain HTTP");
	else if (in->delivery == TB_FWD_HTTPS && (!u || strncmp(u, "https://", 8) == 0))
		add(rep, "delivery", TB_V_PASS, "delivered over TLS from %.200s (%s)",
		    u ? u : "an undeclared URL", note);
	else if (in->delivery == TB_FWD_HTTPS)
		add(rep, "delivery", TB_V_INCONCLUSIVE,
		    "delivery is declared https but the update URL "
		    "%.200s is not https://",
		    u);
	else if (in->delivery == TB_FWD_OTHER)
		add(rep, "delivery", TB_V_INCONCLUSIVE,
		    "delivery is declared 'other': an examiner must "
		    "judge its protection");
	else
		add(rep, "delivery", TB_V_INCONCLUSIVE, "how updates are delivered is not declared");
}

/* Read a small file with a clear reason on failure. */
static int read_small(const char *path, size_t max, char **buf, size_t *n, const char *what,
		      struct tb_fw_report *rep, const char *finding)
{
	struct tb_diag d = { 0 };
	if (tb_file_read(path, max + 1, buf, n, &d) != TB_OK) {
		add(rep, finding, TB_V_ERROR, "cannot read the %s: %s", what, d.msg);
		return -1;
	}
	if (*n > max) {
		add(rep, finding, TB_V_FAIL, "the %s %s is larger than %zu bytes", what, path, max);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

static int hash_image(const char *path, struct tb_fw_report *rep, uint8_t sum[32])
{
	struct tb_diag d = { 0 };
	if (tb_fw_sha256_file(path, sum, &rep->image_size, &d) != TB_OK) {
		add(rep, "digest", TB_V_ERROR, "cannot hash the image: %s", d.msg);
		return -1;
	}
	tb_sha256_hex(sum, rep->image_sha256);
	return 0;
}

static void verify_raw(const struct tb_fw_input *in, struct tb_fw_report *rep, EVP_PKEY *key)
{
	char *man = NULL, *sig = NULL;
	struct tb_diag d = { .msg = "" };
	size_t mlen, slen;
	struct tb_fw_manifest m;
	uint8_t sum[32];
	snprintf(rep->format, sizeof rep->format, "raw");
	if (read_small(in->manifest, TB_FWM_MAX_BYTES, &man, &mlen, "manifest", rep, "signature") ||
	    read_small(in->sig, 4096, &sig, &slen, "signature file", rep, "signature"))
		goto out;
	if (sig_shape(key, (uint8_t *)sig, slen, &d) != TB_V_PASS) {
		add(rep, "signature", TB_V_FAIL, "malformed signature file: %s", d.msg);
		goto out;
	}
	if (!fw_raw_verify(key, (uint8_t *)man, mlen, (uint8_t *)sig, slen)) {
		add(rep, "signature", TB_V_FAIL,
		    "the manifest signature does not verify with the "
		    "declared trust anchor's key");
		goto out;
	}
	if (tb_p_fwmanifest((uint8_t *)man, mlen, &m, &d) != TB_OK) {
		add(rep, "signature", TB_V_FAIL, "signed, but the manifest is malformed: %s", d.msg);
		goto out;
	}
	add(rep, "signature", TB_V_PASS, "the manifest signature verifies with the declared anchor");
	snprintf(rep->version, sizeof rep->version, "%s", m.version.text);
	if (hash_image(in->image, rep, sum))
		goto out;
	if (memcmp(sum, m.sha256, 32) != 0)
		add(rep, "digest", TB_V_FAIL, "the image's SHA-256 %s differs from the manifest's",
		    rep->image_sha256);
	else if (m.size != rep->image_size)
		add(rep, "digest", TB_V_FAIL, "the image has %llu bytes, the manifest says %llu",
		    (unsigned long long)rep->image_size, (unsigned long long)m.size);
	else
		add(rep, "digest", TB_V_PASS, "the image's SHA-256 and size match the signed manifest");
	add(rep, "chain", TB_V_PASS, "signed directly with the declared trust anchor's key");
	version_finding(in, rep, &m.version);
out:
	free(man);
	free(sig);
}

/* signingTime of the signer, or -1. */
static time_t signing_time(CMS_SignerInfo *si)
{
	int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	X509_ATTRIBUTE *a = i >= 0 ? CMS_signed_get_attr(si, i) : NULL;
	ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
	struct tm tm;
	if (!t || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME) ||
	    ASN1_TIME_to_tm((ASN1_TIME *)t->value.asn1_string, &tm) != 1)
		return (time_t)-1;
	return timegm(&tm);
}

/* The CMS signature and digest algorithms against best practice. */
static void cms_algorithms(CMS_SignerInfo *si, struct tb_fw_report *rep)
{
	EVP_PKEY *pk = NULL;
	X509 *signer = NULL;
	X509_ALGOR *dig = NULL, *sa = NULL;
	char text[300];
	CMS_SignerInfo_get0_algs(si, &pk, &signer, &dig, &sa);
	const ASN1_OBJECT *dobj = NULL, *sobj = NULL;
	if (dig)
		X509_ALGOR_get0(&dobj, NULL, NULL, dig);
	if (sa)
		X509_ALGOR_get0(&sobj, NULL, NULL, sa);
	int dn = dobj ? OBJ_obj2nid(dobj) : NID_undef, sn = sobj ? OBJ_obj2nid(sobj) : NID_undef;
	if (dn != NID_sha256 && dn != NID_sha384 && dn != NID_sha512) {
		add(rep, "algorithm", TB_V_FAIL,
		    "CMS digest algorithm %s: SHA-256 or stronger is required", OBJ_nid2sn(dn));
		return;
	}
	if (!pk) {
		add(rep, "algorithm", TB_V_INCONCLUSIVE, "the signer's certificate is not in the CMS");
		return;
	}
	int id = EVP_PKEY_get_base_id(pk);
	if ((id == EVP_PKEY_RSA) && sn != NID_rsassaPss) {
		add(rep, "algorithm", TB_V_FAIL, "RSA with %s padding: update signatures must use PSS",
		    OBJ_nid2sn(sn));
		return;
	}
	enum tb_verdict v = fw_key_policy(pk, text, sizeof text);
	add(rep, "algorithm", v, "%s; CMS digest %s, signature %s", text, OBJ_nid2sn(dn),
	    OBJ_nid2sn(sn));
}

/* CMS_verify over the image streamed through a SHA-256 BIO.  flags adds
 * CMS_NO_SIGNER_CERT_VERIFY for the second look after a chain failure.
 * Returns 1 valid, 0 not (reason and text filled). */
static int cms_run(CMS_ContentInfo *cms, X509_STORE *st, const char *image, unsigned flags,
		   uint8_t sum[32], int *have_sum, unsigned long *reason, char *text, size_t tl)
{
	BIO *fb = BIO_new_file(image, "rb"), *mb = BIO_new(BIO_f_md());
	*have_sum = 0;
	if (!fb || !mb) {
		BIO_free(fb);
		BIO_free(mb);
		*reason = 0;
		snprintf(text, tl, "cannot open the image %s", image);
		return 0;
	}
	BIO_set_md(mb, EVP_sha256());
	BIO_push(mb, fb);
	int ok = CMS_verify(cms, NULL, st, mb, NULL, CMS_BINARY | flags) == 1;
	if (!ok)
		ossl_why(text, tl, reason);
	else if (BIO_gets(mb, (char *)sum, 32) == 32)
		*have_sum = 1;
	BIO_free_all(mb);
	return ok;
}

static void cms_judge(CMS_ContentInfo *cms, X509_STORE *st, const struct tb_fw_input *in,
		      struct tb_fw_report *rep, time_t when, uint8_t sum[32], int *have_sum)
{
	unsigned long reason = 0;
	char text[400];
	if (cms_run(cms, st, in->image, 0, sum, have_sum, &reason, text, sizeof text)) {
		add(rep, "signature", TB_V_PASS, "the CMS signature over the image verifies");
		add(rep, "digest", TB_V_PASS, "the image's SHA-256 matches the signed message digest");
		add(rep, "chain", TB_V_PASS,
		    "the signer's certificate chains to the declared anchor and "
		    "was valid at signing time (%lld)",
		    (long long)when);
		return;
	}
	if (reason == CMS_R_CERTIFICATE_VERIFY_ERROR) {
		add(rep, "chain", TB_V_FAIL,
		    "the signer's certificate does not chain to the declared "
		    "anchor at signing time: %s",
		    text);
		/* Judge signature and digest on their own. */
		if (!cms_run(cms, st, in->image, CMS_NO_SIGNER_CERT_VERIFY, sum, have_sum, &reason,
			     text, sizeof text)) {
			add(rep, reason == CMS_R_CONTENT_VERIFY_ERROR ? "digest" : "signature",
			    TB_V_FAIL, "%s", text);
			return;
		}
		add(rep, "signature", TB_V_PASS, "the CMS signature verifies (chain aside)");
		add(rep, "digest", TB_V_PASS, "the image matches the signed message digest");
		return;
	}
	if (reason == CMS_R_CONTENT_VERIFY_ERROR)
		add(rep, "digest", TB_V_FAIL, "the image does not match the CMS message digest: %s",
		    text);
	else
		add(rep, "signature", TB_V_FAIL, "the CMS signature does not verify: %s", text);
}

static void cms_version(const struct tb_fw_input *in, struct tb_fw_report *rep, const uint8_t sum[32])
{
	char *man;
	size_t n;
	struct tb_diag d = { .msg = "" };
	struct tb_fw_manifest m;
	if (!in->manifest) {
		add(rep, "version", TB_V_INCONCLUSIVE,
		    "a CMS signature carries no firmware version: "
		    "rollback protection cannot be judged from the artefact (see the update push "
		    "test)");
		return;
	}
	if (read_small(in->manifest, TB_FWM_MAX_BYTES, &man, &n, "manifest", rep, "version"))
		return;
	if (tb_p_fwmanifest((uint8_t *)man, n, &m, &d) != TB_OK)
		add(rep, "version", TB_V_FAIL, "malformed manifest: %s", d.msg);
	else if (memcmp(m.sha256, sum, 32) != 0)
		add(rep, "version", TB_V_FAIL, "the manifest names another image (SHA-256 differs)");
	else
		add(rep, "version", TB_V_INCONCLUSIVE,
		    "the manifest names version %s, but the CMS "
		    "signature does not cover the manifest: the version is not authenticated",
		    m.version.text);
	free(man);
}

static void verify_cms(const struct tb_fw_input *in, struct tb_fw_report *rep, STACK_OF(X509) * anchors)
{
	char *der = NULL, why[300];
	struct tb_diag d = { .msg = "" };
	size_t n;
	uint8_t sum[32];
	int have_sum = 0;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *st = NULL;
	snprintf(rep->format, sizeof rep->format, "cms");
	if (read_small(in->sig, TB_FW_SIG_MAX, &der, &n, "CMS signature file", rep, "signature"))
		return;
	if (tb_p_fwsig_cms_outer((uint8_t *)der, n, &d) != TB_OK) {
		add(rep, "signature", TB_V_FAIL, "malformed CMS signature file: %s", d.msg);
		goto out;
	}
	const unsigned char *p = (unsigned char *)der;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
	if (!cms) {
		ossl_why(why, sizeof why, NULL);
		add(rep, "signature", TB_V_FAIL, "the CMS signature cannot be decoded: %s", why);
		goto out;
	}
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1 || !CMS_is_detached(cms)) {
		add(rep, "signature", TB_V_FAIL,
		    "expected a detached CMS signature with exactly one "
		    "signer");
		goto out;
	}
	if (!anchors) {
		add(rep, "chain", TB_V_ERROR,
		    "a CMS signature needs a CA certificate as trust anchor, "
		    "the declared anchor is a bare public key");
		goto out;
	}
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(cms, NULL, 0);
	ERR_clear_error();
	cms_algorithms(si, rep);
	time_t when = signing_time(si);
	st = X509_STORE_new();
	for (int i = 0; i < sk_X509_num(anchors); i++)
		X509_STORE_add_cert(st, sk_X509_value(anchors, i));
	X509_STORE_set_purpose(st, X509_PURPOSE_ANY);
	if (when == (time_t)-1) {
		when = time(NULL);
		add(rep, "chain", TB_V_INCONCLUSIVE,
		    "the CMS has no signingTime: the chain is checked "
		    "at the current time instead");
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(st), when);
	cms_judge(cms, st, in, rep, when, sum, &have_sum);
	if (!have_sum && hash_image(in->image, rep, sum))
		goto out;
	tb_sha256_hex(sum, rep->image_sha256);
	if (!rep->image_size) {
		struct stat sb;
		if (stat(in->image, &sb) == 0)
			rep->image_size = (uint64_t)sb.st_size;
	}
	cms_version(in, rep, sum);
out:
	X509_STORE_free(st);
	CMS_ContentInfo_free(cms);
	free(der);
}

static void summarise(struct tb_fw_report *rep)
{
	enum tb_verdict v = TB_V_NA;
	const struct tb_fw_finding *worst = NULL;
	for (unsigned i = 0; i < rep->n; i++) {
		enum tb_verdict fv = rep->f[i].v == TB_V_PASS ? TB_V_PASS : rep->f[i].v;
		if (!worst || fv > worst->v)
			worst = &rep->f[i];
		v = tb_verdict_combine(v, fv);
	}
	rep->verdict = rep->n ? v : TB_V_ERROR;
	if (!worst)
		snprintf(rep->reason, sizeof rep->reason, "nothing was verified");
	else if (v == TB_V_PASS)
		snprintf(rep->reason, sizeof rep->reason,
			 "%s update %s (version %s): signature, digest, "
			 "algorithm, chain, version and delivery all conform",
			 rep->format, rep->image_sha256, rep->version[0] ? rep->version : "?");
	else
		snprintf(rep->reason, sizeof rep->reason, "%s: %s", worst->what, worst->text);
}

void tb_fw_verify(const struct tb_fw_input *in, struct tb_fw_report *rep)
{
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *certs = NULL;
	struct tb_diag d = { 0 };
	char text[300];
	memset(rep, 0, sizeof *rep);
	if (!in->anchor || load_anchor(in->anchor, &key, &certs, &d) != TB_OK) {
		add(rep, "chain", TB_V_ERROR, "no usable trust anchor: %s",
		    in->anchor ? d.msg : "none is declared (declarations.update.trust-anchor)");
	} else if (in->manifest && !in->sig) {
		add(rep, "signature", TB_V_FAIL, "no signature file");
	} else if (in->manifest) {
		verify_raw(in, rep, key);
		enum tb_verdict v = fw_key_policy(key, text, sizeof text);
		add(rep, "algorithm", v, "%s", text);
	} else {
		verify_cms(in, rep, certs);
	}
	delivery_finding(in, rep);
	summarise(rep);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

void tb_fw_input_from_profile(const struct tb_profile *p, const struct tb_fw_artefact *a,
			      struct tb_fw_input *in)
{
	const struct tb_update_decl *u = &p->update;
	memset(in, 0, sizeof *in);
	in->anchor = u->trust_anchor;
	in->current_version = u->current_version ? u->current_version : p->firmware;
	in->update_url = u->update_url;
	in->delivery = tb_fw_delivery_parse(u->delivery);
	if (a && a->present) {
		in->image = a->image;
		in->sig = a->signature;
		in->manifest = a->manifest;
	}
}
