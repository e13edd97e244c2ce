/* check_attempts.c: the device's connection attempts read from a capture:
 * SYNs to the cloud are attempts, retransmissions (same device port and
 * sequence number) are not new ones, SYN-ACKs back are connections made,
 * everything else (other hosts, resets, plain ACKs, frames cut short, the
 * time window) is left out; small pcaps are written here with libpcap. */
#define _GNU_SOURCE
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/attempts.h"
#include "suites.h"

#define DUT 0xc6120a0au   /* 198.18.10.10 */
#define CLOUD 0xc6120901u /* 198.18.9.1 */
#define OTHER 0xc6120902u /* 198.18.9.2 */

static void be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

/* Ethernet + IPv4 + TCP (with words * 4 bytes of header: SYNs carry options). */
static size_t frame(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		    uint32_t seq, uint8_t flags, unsigned words)
{
	size_t tcp = words * 4, ip = 20 + tcp;
	memset(f, 0, 14 + ip);
	be16(f + 12, 0x0800);
	uint8_t *h = f + 14;
	h[0] = 0x45;
	be16(h + 2, (uint32_t)ip);
	h[8] = 64;
	h[9] = 6;
	be32(h + 12, src);
	be32(h + 16, dst);
	uint8_t *t = h + 20;
	be16(t, sport);
	be16(t + 2, dport);
	be32(t + 4, seq);
	t[12] = (uint8_t)(words << 4);
	t[13] = flags;
	for (size_t i = 20; i < tcp; i++)
		t[i] = 1; /* NOP options */
	return 14 + ip;
}

#define SYN 0x02
#define ACK 0x10
#define RST 0x04

static int add(struct tb_attempts *a, double ts, uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp,
	       uint32_t seq, uint8_t flags)
{
	uint8_t f[200];
	size_t n = frame(f, src, dst, sp, dp, seq, flags, 10);
	return tb_attempts_frame(a, 1, ts, f, n);
}

START_TEST(syns_and_synacks_are_listed_once)
{
	struct tb_attempts a;
	tb_attempts_init(&a, DUT, CLOUD, 100.0, 200.0);
	ck_assert_int_eq(add(&a, 101.0, DUT, CLOUD, 40000, 443, 1111, SYN), 1);
	ck_assert_int_eq(add(&a, 102.0, DUT, CLOUD, 40000, 443, 1111, SYN), 0); /* retransmitted */
	ck_assert_int_eq(add(&a, 104.0, DUT, CLOUD, 40000, 443, 1111, SYN), 0);
	ck_assert_int_eq(add(&a, 105.0, DUT, CLOUD, 40000, 443, 2222, SYN), 1); /* same port, new ISN */
	ck_assert_int_eq(add(&a, 105.5, DUT, CLOUD, 40002, 8883, 3333, SYN), 1);
	ck_assert_int_eq(add(&a, 105.6, CLOUD, DUT, 8883, 40002, 9, SYN | ACK), 1);
	ck_assert_int_eq(add(&a, 105.9, CLOUD, DUT, 8883, 40002, 9, SYN | ACK), 0); /* again */
	ck_assert_uint_eq(a.retransmits, 3);
	/* Not attempts: other hosts, resets, ACKs, the SYN-ACK's direction
	 * reversed, the window. */
	ck_assert_int_eq(add(&a, 106.0, DUT, OTHER, 40003, 443, 4, SYN), 0);
	ck_assert_int_eq(add(&a, 106.0, OTHER, DUT, 443, 40003, 4, SYN | ACK), 0);
	ck_assert_int_eq(add(&a, 106.0, DUT, CLOUD, 40004, 443, 5, SYN | RST), 0);
	ck_assert_int_eq(add(&a, 106.0, DUT, CLOUD, 40004, 443, 5, ACK), 0);
	ck_assert_int_eq(add(&a, 106.0, DUT, CLOUD, 40004, 443, 5, SYN | ACK), 0);
	ck_assert_int_eq(add(&a, 106.0, CLOUD, DUT, 443, 40004, 5, SYN), 0);
	ck_assert_int_eq(add(&a, 99.0, DUT, CLOUD, 40005, 443, 6, SYN), 0);
	ck_assert_int_eq(add(&a, 201.0, DUT, CLOUD, 40006, 443, 7, SYN), 0);
	ck_assert_uint_eq(a.n, 4);
	ck_assert_uint_eq(a.v[0].kind, TB_ATT_SYN);
	ck_assert(a.v[0].ts == 101.0 && a.v[0].dev_port == 40000 && a.v[0].cloud_port == 443 &&
		  a.v[0].seq == 1111);
	ck_assert(a.v[3].kind == TB_ATT_SYNACK && a.v[3].dev_port == 40002 &&
		  a.v[3].cloud_port == 8883);
	ck_assert_uint_eq(tb_attempts_count(&a, TB_ATT_SYN, 0, 100, 200), 3);
	ck_assert_uint_eq(tb_attempts_count(&a, TB_ATT_SYN, 443, 100, 200), 2);
	ck_assert_uint_eq(tb_attempts_count(&a, TB_ATT_SYN, 443, 103, 200), 1);
	ck_assert_ptr_eq(tb_attempts_first(&a, TB_ATT_SYNACK, 105.7), NULL);
	ck_assert(tb_attempts_first(&a, TB_ATT_SYNACK, 100)->ts == 105.6);
	tb_attempts_free(&a);
}
END_TEST

START_TEST(frames_cut_short_are_left_out)
{
	struct tb_attempts a;
	uint8_t f[200];
	tb_attempts_init(&a, DUT, CLOUD, 0, 1e9);
	size_t n = frame(f, DUT, CLOUD, 40000, 443, 77, SYN, 10);
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_int_eq(tb_attempts_frame(&a, 1, 1.0, f, cut), 0);
	ck_assert_uint_eq(a.n, 0);
	/* A bogus data offset (longer than the packet): no header, no attempt. */
	f[14 + 20 + 12] = 0xf0;
	ck_assert_int_eq(tb_attempts_frame(&a, 1, 1.0, f, n), 0);
	/* The plain 20-byte header is found as well as one with options. */
	n = frame(f, DUT, CLOUD, 40000, 443, 78, SYN, 5);
	ck_assert_int_eq(tb_attempts_frame(&a, 1, 1.0, f, n), 1);
	ck_assert_uint_eq(a.v[0].seq, 78);
	tb_attempts_free(&a);
}
END_TEST

struct rec {
	double ts;
	uint32_t src, dst;
	uint16_t sp, dp;
	uint32_t seq;
	uint8_t fl;
};

static void dump(pcap_dumper_t *w, const struct rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t f[200];
		size_t len = frame(f, v[i].src, v[i].dst, v[i].sp, v[i].dp, v[i].seq, v[i].fl, 10);
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
		h.ts.tv_sec = (time_t)v[i].ts;
		h.ts.tv_usec = (suseconds_t)((v[i].ts - (double)h.ts.tv_sec) * 1e6 + 0.5);
		pcap_dump((u_char *)w, &h, f);
	}
	pcap_dump_flush(w);
}

/* A capture that grows between reads, as the run's does: each read takes
 * only what is new, and a record half written is read whole next time. */
START_TEST(a_growing_capture_is_read_where_it_stopped)
{
	char path[] = "/tmp/tb-attempts-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *w = pcap_dump_open(p, path);
	struct rec r1[] = { { 10.0, DUT, CLOUD, 42000, 443, 1, SYN },
			    { 10.1, CLOUD, DUT, 443, 42000, 2, SYN | ACK } };
	struct rec r2[] = { { 11.0, DUT, CLOUD, 42001, 443, 3, SYN },
			    { 12.0, DUT, CLOUD, 42001, 443, 3, SYN } };
	struct tb_attempts a;
	struct tb_diag d = { 0 };
	tb_attempts_init(&a, DUT, CLOUD, 0, 1e12);
	dump(w, r1, 2);
	ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
	ck_assert_uint_eq(a.n, 2);
	long after_two = a.offset;
	ck_assert_int_gt(after_two, 24);
	/* Half of the next record is on disk: nothing new, and no progress. */
	dump(w, r2, 1);
	FILE *f = fopen(path, "r+b");
	fseek(f, 0, SEEK_END);
	long full = ftell(f);
	ck_assert_int_eq(ftruncate(fileno(f), full - 30), 0);
	fclose(f);
	ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_int_eq(a.offset, after_two);
	/* The rest arrives (the record rewritten whole), and a retransmission. */
	pcap_dump_close(w);
	w = pcap_dump_open_append(p, path);
	ck_assert_ptr_nonnull(w);
	f = fopen(path, "r+b");
	ck_assert_int_eq(ftruncate(fileno(f), after_two), 0);
	fclose(f);
	dump(w, r2, 2);
	ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
	ck_assert_uint_eq(a.n, 3);
	ck_assert(a.v[2].ts == 11.0 && a.v[2].dev_port == 42001);
	ck_assert_uint_eq(a.retransmits, 1);
	/* Nothing new: nothing added, nothing counted twice. */
	ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.retransmits, 1);
	pcap_dump_close(w);
	pcap_close(p);
	tb_attempts_free(&a);
	unlink(path);
}
END_TEST

/* Write frames to a pcap through libpcap; returns the path (static). */
static const char *write_pcap(int truncate_last)
{
	static char path[] = "/tmp/tb-attempts-XXXXXX";
	strcpy(path, "/tmp/tb-attempts-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *w = pcap_dump_open(p, path);
	ck_assert_ptr_nonnull(w);
	struct {
		double ts;
		uint32_t src, dst;
		uint16_t sp, dp;
		uint32_t seq;
		uint8_t fl;
	} v[] = {
		{ 1000.25, DUT, CLOUD, 41000, 443, 10, SYN },
		{ 1001.25, DUT, CLOUD, 41000, 443, 10, SYN }, /* retransmission */
		{ 1001.30, CLOUD, DUT, 443, 41000, 50, SYN | ACK },
		{ 1001.31, DUT, CLOUD, 41000, 443, 11, ACK },
		{ 1003.00, DUT, CLOUD, 41001, 8883, 20, SYN },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t f[200];
		size_t n = frame(f, v[i].src, v[i].dst, v[i].sp, v[i].dp, v[i].seq, v[i].fl, 10);
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
		h.ts.tv_sec = (time_t)v[i].ts;
		h.ts.tv_usec = (suseconds_t)((v[i].ts - (double)h.ts.tv_sec) * 1e6 + 0.5);
		pcap_dump((u_char *)w, &h, f);
	}
	pcap_dump_close(w);
	pcap_close(p);
	if (truncate_last) { /* the writer still appending: half a record */
		FILE *f = fopen(path, "ab");
		static const uint8_t half[10] = { 1, 2, 3 };
		fwrite(half, 1, sizeof half, f);
		fclose(f);
	}
	return path;
}

START_TEST(a_capture_file_is_read)
{
	for (int trunc = 0; trunc < 2; trunc++) {
		const char *path = write_pcap(trunc);
		struct tb_attempts a;
		struct tb_diag d = { 0 };
		tb_attempts_init(&a, DUT, CLOUD, 0, 1e12);
		ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
		ck_assert_uint_eq(a.n, 3);
		ck_assert(a.v[0].kind == TB_ATT_SYN && a.v[0].ts > 1000.2499 && a.v[0].ts < 1000.2501);
		ck_assert(a.v[1].kind == TB_ATT_SYNACK);
		ck_assert(a.v[2].kind == TB_ATT_SYN && a.v[2].cloud_port == 8883);
		ck_assert_uint_eq(a.retransmits, 1);
		tb_attempts_free(&a);
		/* The same capture seen for another device: nothing. */
		tb_attempts_init(&a, OTHER, CLOUD, 0, 1e12);
		ck_assert_int_eq(tb_attempts_read(path, &a, &d), TB_OK);
		ck_assert_uint_eq(a.n, 0);
		tb_attempts_free(&a);
		unlink(path);
	}
	struct tb_attempts a;
	struct tb_diag d = { 0 };
	tb_attempts_init(&a, DUT, CLOUD, 0, 1e12);
	ck_assert_int_eq(tb_attempts_read("/nonexistent/capture.pcap", &a, &d), TB_E_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "cannot read the capture"));
}
END_TEST

Suite *attempts_suite(void)
{
	Suite *s = suite_create("attempts");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, syns_and_synacks_are_listed_once);
	tcase_add_test(tc, frames_cut_short_are_left_out);
	tcase_add_test(tc, a_capture_file_is_read);
	tcase_add_test(tc, a_growing_capture_is_read_where_it_stopped);
	suite_add_tcase(s, tc);
	return s;
}
