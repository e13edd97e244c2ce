/* check_pcapfile.c: the in-place classic pcap reader reads what libpcap
 * reads: headers and records one by one, and whole captures (fixtures and
 * crafted variants: other byte order, nanoseconds, a snap length shorter
 * than the records, cut short, corrupt, records across read chunks), where
 * the analysis through it must equal the analysis through libpcap. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/analyze.h"
#include "capture/pcapfile.h"
#include "suites.h"

#define DUT 0xc612010a

static void put32(uint8_t *p, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void file_header(uint8_t *p, uint32_t magic, uint16_t minor, uint32_t snap, uint32_t lt, int big)
{
	memset(p, 0, TB_PCAPFILE_HDR);
	put32(p, magic, big);
	p[big ? 5 : 4] = 2;
	p[big ? 7 : 6] = (uint8_t)minor;
	put32(p + 16, snap, big);
	put32(p + 20, lt, big);
}

START_TEST(headers_taken_and_left_to_libpcap)
{
	uint8_t h[TB_PCAPFILE_HDR];
	struct tb_pcapfile f;
	file_header(h, 0xa1b2c3d4, 4, 65535, 1, 0);
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 1);
	ck_assert_int_eq(f.swapped, 0);
	ck_assert_int_eq(f.nsec, 0);
	ck_assert_int_eq(f.dlt, 1);
	ck_assert_uint_eq(f.snaplen, 65535);
	file_header(h, 0xa1b23c4d, 4, 0, 101, 1); /* big-endian, ns, raw IP, snaplen 0 */
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 1);
	ck_assert_int_eq(f.swapped, 1);
	ck_assert_int_eq(f.nsec, 1);
	ck_assert_int_eq(f.dlt, 12); /* as libpcap reports LINKTYPE_RAW */
	ck_assert_uint_eq(f.snaplen, TB_PCAPFILE_MAX_CAPLEN);
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h - 1, &f), 0);
	file_header(h, 0xa1b2c3d4, 3, 65535, 1, 0); /* version 2.3: libpcap */
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 0);
	file_header(h, 0xa1b2c3d4, 4, 65535, 1 | 0x04000000, 0); /* FCS bits: libpcap */
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 0);
	file_header(h, 0xa1b2c3d4, 4, 65535, 147, 0); /* a link type not decoded: libpcap */
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 0);
	file_header(h, 0x0a0d0d0a, 4, 65535, 1, 0); /* pcapng */
	ck_assert_int_eq(tb_pcapfile_header(h, sizeof h, &f), 0);
}
END_TEST

START_TEST(records_as_libpcap_gives_them)
{
	struct tb_pcapfile f = { .swapped = 1, .nsec = 1, .snaplen = 64, .dlt = 1 };
	uint8_t r[TB_PCAPFILE_REC];
	struct tb_pcaprec rec;
	char why[160] = "";
	put32(r, 1700000000, 1);
	put32(r + 4, 123456789, 1); /* ns: cut to 123456 us */
	put32(r + 8, 100, 1);
	put32(r + 12, 1500, 1);
	ck_assert_int_eq(tb_pcapfile_record(&f, r, &rec, why, sizeof why), TB_OK);
	ck_assert(rec.ts == 1700000000.0 + 123456 / 1e6);
	ck_assert_uint_eq(rec.caplen, 64); /* the snap length; the rest is dropped */
	ck_assert_uint_eq(rec.skip, 36);
	ck_assert_uint_eq(rec.len, 1500);
	put32(r, 0xfffffff0u, 1); /* a signed field: before 1970, clamped later */
	ck_assert_int_eq(tb_pcapfile_record(&f, r, &rec, why, sizeof why), TB_OK);
	ck_assert(rec.ts < 0);
	put32(r + 8, 0x80000000u, 1); /* 2 GiB: corrupt, never allocated or trusted */
	ck_assert_int_eq(tb_pcapfile_record(&f, r, &rec, why, sizeof why), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(why, "invalid packet capture length 2147483648"));
}
END_TEST

/* ---- whole captures: in place (with a digest) against libpcap ---- */

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	uint8_t *b = malloc(1 << 20);
	*n = fread(b, 1, 1 << 20, fp);
	fclose(fp);
	return b;
}

static void spill(const char *path, const uint8_t *b, size_t n)
{
	FILE *fp = fopen(path, "wb");
	ck_assert_uint_eq(fwrite(b, 1, n, fp), n);
	fclose(fp);
}

static void agree(const char *path)
{
	struct tb_diag d = { 0 };
	uint8_t sum[32];
	uint64_t bytes;
	struct tb_analysis *a = tb_analysis_new(DUT), *b = tb_analysis_new(DUT);
	enum tb_err ea = tb_analysis_read_file(a, path, &d);
	enum tb_err eb = tb_analysis_read_file_sha256(b, path, sum, &bytes, &d);
	ck_assert_msg(ea == eb, "%s: %d through libpcap, %d in place", path, ea, eb);
	ck_assert_msg(a->frames == b->frames, "%s: %llu frames vs %llu", path,
		      (unsigned long long)a->frames, (unsigned long long)b->frames);
	ck_assert_int_eq(a->link, b->link);
	ck_assert_uint_eq(a->bytes, b->bytes);
	ck_assert_uint_eq(a->nflows, b->nflows);
	ck_assert_uint_eq(a->nsecrets, b->nsecrets);
	ck_assert_uint_eq(a->nprobes, b->nprobes);
	ck_assert_uint_eq(a->connections, b->connections);
	ck_assert_msg(a->first_ts == b->first_ts && a->last_ts == b->last_ts, "%s: times", path);
	ck_assert_int_eq(a->loss.cut_short, b->loss.cut_short);
	ck_assert_uint_eq(a->loss.corrupt_frame, b->loss.corrupt_frame);
	ck_assert_str_eq(a->loss.corrupt_reason, b->loss.corrupt_reason);
	ck_assert_uint_eq(a->bad_timestamps, b->bad_timestamps);
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *x = &a->flows[i], *y = &b->flows[i];
		ck_assert(x->k.peer == y->k.peer && x->k.port == y->k.port && x->k.app == y->k.app &&
			  x->k.init == y->k.init);
		ck_assert(x->connections == y->connections && x->pkts_out == y->pkts_out &&
			  x->bytes_in == y->bytes_in && x->payload_out == y->payload_out);
		ck_assert(x->first_frame == y->first_frame && x->last_frame == y->last_frame);
		ck_assert(x->first_ts == y->first_ts && x->last_ts == y->last_ts);
		ck_assert(x->tls_ok == y->tls_ok && x->tls_weak == y->tls_weak);
	}
	tb_analysis_free(a);
	tb_analysis_free(b);
}

START_TEST(fixtures_read_alike)
{
	static const char *const files[] = {
		"fixtures/pcaps/legacy.pcap",      "fixtures/pcaps/hardened.pcap",
		"fixtures/pcaps/edge.pcap",        "fixtures/pcaps/legacy-sll2.pcap",
		"fixtures/pcaps/legacy-vlan.pcap", "fixtures/pcaps/hardened-raw.pcap",
		"fixtures/pcaps/real/ftp.pcap",    "fixtures/pcaps/real/telnet.pcap",
		"fixtures/pcaps/real/ssh.pcap",    "fixtures/pcaps/real/tls13.pcap",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		agree(files[i]);
}
END_TEST

/* legacy.pcap rewritten: byte order, nanoseconds, snap length, cut at every
 * offset of its first records, a corrupt record, and padded so that its
 * records straddle the reader's 128 KiB chunks. */
START_TEST(variants_read_alike)
{
	size_t n;
	uint8_t *src = slurp("fixtures/pcaps/legacy.pcap", &n);
	char path[] = "/tmp/tb-pcapfile-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	uint8_t *v = malloc(n + 300000);
	/* other byte order and nanoseconds */
	for (int variant = 0; variant < 4; variant++) {
		int big = variant & 1, ns = variant & 2;
		memcpy(v, src, n);
		file_header(v, ns ? 0xa1b23c4d : 0xa1b2c3d4, 4, 65535, 1, big);
		for (size_t off = TB_PCAPFILE_HDR; off + 16 <= n;) {
			uint32_t f[4];
			memcpy(f, src + off, 16);
			if (ns)
				f[1] *= 1000;
			for (int k = 0; k < 4; k++)
				put32(v + off + 4 * k, f[k], big);
			off += 16 + f[2];
		}
		spill(path, v, n);
		agree(path);
	}
	/* a snap length shorter than most records */
	memcpy(v, src, n);
	put32(v + 16, 60, 0);
	spill(path, v, n);
	agree(path);
	/* cut short anywhere in the first records, and just before the end */
	for (size_t cut = 20; cut < 400; cut += 3) {
		spill(path, src, cut);
		agree(path);
	}
	spill(path, src, n - 5);
	agree(path);
	/* a corrupt length after the first record */
	memcpy(v, src, n);
	uint32_t first;
	memcpy(&first, src + 24 + 8, 4);
	put32(v + 24 + 16 + first + 8, 0x7fffffff, 0);
	spill(path, v, n);
	agree(path);
	/* one large record first, so that the rest straddle chunk boundaries */
	memcpy(v, src, 24);
	uint8_t rec[16];
	put32(rec, 1, 0);
	put32(rec + 4, 0, 0);
	put32(rec + 8, 131000, 0);
	put32(rec + 12, 131000, 0);
	memcpy(v + 24, rec, 16);
	memset(v + 40, 0x45, 131000);
	memcpy(v + 40 + 131000, src + 24, n - 24);
	spill(path, v, n + 40 + 131000 - 24);
	agree(path);
	free(v);
	free(src);
	unlink(path);
}
END_TEST

Suite *pcapfile_suite(void)
{
	Suite *s = suite_create("pcapfile");
	TCase *t = tcase_create("pcapfile");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, headers_taken_and_left_to_libpcap);
	tcase_add_test(t, records_as_libpcap_gives_them);
	tcase_add_test(t, fixtures_read_alike);
	tcase_add_test(t, variants_read_alike);
	suite_add_tcase(s, t);
	return s;
}
