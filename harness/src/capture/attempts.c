/* attempts.c: the device's connection attempts to its cloud (see attempts.h). */
#include "capture/attempts.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_pkt.h"

void tb_attempts_init(struct tb_attempts *a, uint32_t dut, uint32_t cloud, double from, double to)
{
	memset(a, 0, sizeof *a);
	a->dut = dut;
	a->cloud = cloud;
	a->from = from;
	a->to = to;
}

void tb_attempts_free(struct tb_attempts *a)
{
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The TCP header ends where p_pkt put the payload, and its data offset
 * says how long it is: the one offset that agrees with the ports and flags
 * p_pkt read from it is the header.  0 and *seq set, or -1. */
static int tcp_seq(const struct tb_pkt *p, const uint8_t *frame, size_t caplen, uint32_t *seq)
{
	if (!p->transport || p->payload < frame || p->payload > frame + caplen)
		return -1;
	size_t end = (size_t)(p->payload - frame);
	for (size_t words = 5; words <= 15; words++) {
		if (end < words * 4)
			break;
		const uint8_t *h = frame + end - words * 4;
		if ((size_t)(h[12] >> 4) == words && be16(h) == p->sport && be16(h + 2) == p->dport &&
		    h[13] == p->tcp_flags) {
			*seq = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
			return 0;
		}
	}
	return -1;
}

/* Retransmissions come within a couple of minutes, long before a device
 * has made this many new attempts; the bound keeps a flood of SYNs linear. */
#define LOOK_BACK 1024

static int seen(const struct tb_attempts *a, enum tb_att_kind k, uint16_t dev_port, uint32_t seq)
{
	size_t stop = a->n > LOOK_BACK ? a->n - LOOK_BACK : 0;
	for (size_t i = a->n; i-- > stop;)
		if (a->v[i].kind == k && a->v[i].dev_port == dev_port && a->v[i].seq == seq)
			return 1;
	return 0;
}

static int add(struct tb_attempts *a, const struct tb_att_event *e)
{
	if (a->n == TB_ATTEMPTS_MAX) {
		a->dropped++;
		return 0;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct tb_att_event *v = realloc(a->v, cap * sizeof *v);
		if (!v) {
			a->dropped++;
			return 0;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *e;
	return 1;
}

int tb_attempts_frame(struct tb_attempts *a, int dlt, double ts, const uint8_t *frame, size_t caplen)
{
	struct tb_pkt p;
	if (ts < a->from || ts > a->to)
		return 0;
	if (tb_p_pkt_decode(dlt, frame, caplen, &p) != TB_OK || !p.ipv4 || p.proto != 6 ||
	    !p.transport || p.later_fragment || !(p.tcp_flags & TB_TCP_SYN) ||
	    (p.tcp_flags & TB_TCP_RST))
		return 0;
	struct tb_att_event e = { .ts = ts };
	int ack = (p.tcp_flags & TB_TCP_ACK) != 0;
	if (!ack && p.src == a->dut && p.dst == a->cloud) {
		e.kind = TB_ATT_SYN;
		e.dev_port = p.sport;
		e.cloud_port = p.dport;
	} else if (ack && p.src == a->cloud && p.dst == a->dut) {
		e.kind = TB_ATT_SYNACK;
		e.dev_port = p.dport;
		e.cloud_port = p.sport;
	} else {
		return 0;
	}
	if (tcp_seq(&p, frame, caplen, &e.seq) != 0)
		return 0;
	if (seen(a, e.kind, e.dev_port, e.seq)) {
		a->retransmits++;
		return 0;
	}
	return add(a, &e);
}

enum tb_err tb_attempts_read(const char *pcap_path, struct tb_attempts *a, struct tb_diag *d)
{
	char err[PCAP_ERRBUF_SIZE] = "", filter[96], dut[16], cloud[16];
	struct in_addr x = { htonl(a->dut) }, y = { htonl(a->cloud) };
	inet_ntop(AF_INET, &x, dut, sizeof dut);
	inet_ntop(AF_INET, &y, cloud, sizeof cloud);
	pcap_t *h = pcap_open_offline(pcap_path, err);
	if (!h)
		return tb_diag_set(d, TB_E_IO, "cannot read the capture: %s", err);
	int dlt = pcap_datalink(h);
	struct bpf_program prog;
	snprintf(filter, sizeof filter, "ip and tcp and host %s and host %s", dut, cloud);
	if (pcap_compile(h, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(h, &prog) != 0) {
		enum tb_err e = tb_diag_set(d, TB_E_INTERNAL, "capture filter '%s': %s", filter,
					    pcap_geterr(h));
		pcap_close(h);
		return e;
	}
	pcap_freecode(&prog);
	/* libpcap reads a classic capture record by record, without reading
	 * ahead: the stream's position after a record is where the next begins. */
	FILE *f = pcap_file(h);
	if (a->offset > 0 && (!f || fseek(f, a->offset, SEEK_SET) != 0)) {
		pcap_close(h);
		return tb_diag_set(d, TB_E_IO, "cannot resume reading the capture at byte %ld",
				   a->offset);
	}
	struct pcap_pkthdr *ph;
	const u_char *frame;
	while (pcap_next_ex(h, &ph, &frame) == 1) {
		double ts = (double)ph->ts.tv_sec + (double)ph->ts.tv_usec / 1e6;
		(void)tb_attempts_frame(a, dlt, ts, frame, ph->caplen);
		long at = f ? ftell(f) : -1;
		a->offset = at > 0 ? at : 0; /* 0: the next read starts over (duplicates are seen) */
	}
	/* -1 at the very end is a record the writer has not finished: read
	 * whole next time (tb_capture_sync flushed what counts). */
	pcap_close(h);
	return TB_OK;
}

size_t tb_attempts_count(const struct tb_attempts *a, enum tb_att_kind k, uint16_t cloud_port,
			 double from, double to)
{
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++)
		n += a->v[i].kind == k && (!cloud_port || a->v[i].cloud_port == cloud_port) &&
		     a->v[i].ts >= from && a->v[i].ts <= to;
	return n;
}

const struct tb_att_event *tb_attempts_first(const struct tb_attempts *a, enum tb_att_kind k,
					     double from)
{
	const struct tb_att_event *best = NULL;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].kind == k && a->v[i].ts >= from && (!best || a->v[i].ts < best->ts))
			best = &a->v[i];
	return best;
}
