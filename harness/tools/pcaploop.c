/* pcaploop.c: the bench's baseline, a bare libpcap read loop that touches
 * every packet (sums its bytes) and nothing more.
 * usage: pcaploop FILE.pcap */
#include <pcap/pcap.h>
#include <stdio.h>

static void touch(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	unsigned long long *sum = (unsigned long long *)user;
	for (bpf_u_int32 i = 0; i < h->caplen; i += 64)
		*sum += bytes[i];
	sum[1]++;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long acc[2] = { 0, 0 };
	if (argc != 2) {
		fprintf(stderr, "usage: pcaploop FILE.pcap\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcaploop: %s\n", err);
		return 1;
	}
	pcap_loop(p, -1, touch, (u_char *)acc);
	pcap_close(p);
	printf("%llu packets (checksum %llu)\n", acc[1], acc[0]);
	return 0;
}
