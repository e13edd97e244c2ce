/* capture.c: the run's live capture writer (see capture.h). */
#define _GNU_SOURCE
#include "capture/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text.h"
#include "net/net.h"
#include "capture/priv.h"
#include "net/scope.h"

#define SNAPLEN 65535
#define BUFFER_BYTES (8 << 20)
#define TIMEOUT_MS 100

struct wstats {
	uint64_t received, dropped;
};

static pcap_t *open_handle(struct tb_capture *c, const char *ifname, char *err)
{
	pcap_t *h = pcap_create(ifname, err);
	if (!h)
		return NULL;
	pcap_set_snaplen(h, SNAPLEN);
	/* Buffered, not immediate: packets arrive in blocks when a block fills
	 * or TIMEOUT_MS passes.  Immediate mode woke the writer once per packet
	 * and slowed a full port sweep by half. */
	pcap_set_immediate_mode(h, 0);
	pcap_set_timeout(h, TIMEOUT_MS);
	pcap_set_buffer_size(h, BUFFER_BYTES);
	int rc = pcap_activate(h);
	if (rc < 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s%s%s", pcap_statustostr(rc),
			 pcap_geterr(h)[0] ? ": " : "", pcap_geterr(h));
		pcap_close(h);
		return NULL;
	}
	if (rc > 0) /* a warning: keep going, but say so */
		snprintf(c->reason, sizeof c->reason, "warning from libpcap: %s", pcap_statustostr(rc));
	return h;
}

static int set_filter(pcap_t *h, const char *filter, char *err)
{
	struct bpf_program prog;
	if (pcap_compile(h, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "filter '%s': %s", filter, pcap_geterr(h));
		return -1;
	}
	int rc = pcap_setfilter(h, &prog);
	pcap_freecode(&prog);
	if (rc != 0)
		snprintf(err, PCAP_ERRBUF_SIZE, "filter '%s': %s", filter, pcap_geterr(h));
	return rc;
}

/* Packets written to the file by this writer. */
static uint64_t dumped;

/* What the writer masks before a packet reaches the file (tb_capture_redact):
 * set before the fork, so the writer has its own copy. */
#define REDACT_MAX 32
#define REDACT_LEN 256
static struct {
	uint8_t v[REDACT_LEN];
	size_t n;
} redact[REDACT_MAX];
static size_t nredact;

int tb_capture_redact(const void *secret, size_t n)
{
	if (n < TB_CAPTURE_REDACT_MIN || n > REDACT_LEN || nredact == REDACT_MAX)
		return -1;
	for (size_t i = 0; i < nredact; i++)
		if (redact[i].n == n && memcmp(redact[i].v, secret, n) == 0)
			return 0;
	memcpy(redact[nredact].v, secret, n);
	redact[nredact++].n = n;
	return 0;
}

size_t tb_capture_redactions(void)
{
	return nredact;
}

size_t tb_capture_mask(uint8_t *buf, size_t len)
{
	size_t masked = 0;
	for (size_t r = 0; r < nredact; r++)
		masked += tb_mask_secret(buf, len, redact[r].v, redact[r].n);
	return masked;
}

static void dump_one(u_char *user, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	static uint8_t copy[SNAPLEN];
	size_t len = hdr->caplen < SNAPLEN ? hdr->caplen : SNAPLEN;
	if (nredact) {
		memcpy(copy, bytes, len);
		if (tb_capture_mask(copy, len))
			bytes = copy;
	}
	pcap_dump(user, hdr, bytes);
	dumped++;
}

/* Take what the kernel has handed over so far.  Returns the packet count. */
static uint64_t drain(pcap_t *h, pcap_dumper_t *dump)
{
	uint64_t before = dumped;
	int n;
	/* Non-blocking: 0 when nothing is ready.  Bounded so that a flood
	 * cannot keep the writer from its control pipe. */
	for (int i = 0; i < 10000 && (n = pcap_dispatch(h, -1, dump_one, (u_char *)dump)) > 0; i++)
		;
	pcap_dump_flush(dump);
	return dumped - before;
}

/* The kernel hands packets over in blocks, and a partly filled block only
 * when its timeout (TIMEOUT_MS) has passed: one drain right away misses the
 * tail (issue 9: a short run recorded 0 of 50 packets).  Drain until the
 * handle stays quiet for longer than a block timeout, within QUIET_MAX_MS. */
#define QUIET_MS (TIMEOUT_MS + 50)
static uint64_t drain_until_quiet(pcap_t *h, pcap_dumper_t *dump, int max_ms)
{
	struct pollfd pf = { .fd = pcap_get_selectable_fd(h), .events = POLLIN };
	int64_t end = tb_now_ms() + max_ms;
	uint64_t n = drain(h, dump);
	while (tb_now_ms() < end) {
		int64_t left = end - tb_now_ms();
		if (poll(&pf, 1, (int)(left < QUIET_MS ? left : QUIET_MS)) <= 0)
			break; /* a whole block timeout without a packet: nothing left */
		n += drain(h, dump);
	}
	return n;
}

/* The final drain and the kernel's counters, consistent with each other:
 * counters read, then drained until quiet; if nothing more came, every
 * packet the counters include is in the file.  Otherwise read them again
 * (traffic still arriving), a few times at most. */
static void final_drain(pcap_t *h, pcap_dumper_t *dump, struct wstats *ws)
{
	struct pcap_stat ps;
	drain_until_quiet(h, dump, 1000);
	for (int round = 0; round < 3; round++) {
		int have = pcap_stats(h, &ps) == 0;
		if (have) {
			ws->received = ps.ps_recv;
			/* ps_ifdrop: the interface's own drops (all traffic, before
			 * the filter); ps_drop: the ring was full. */
			ws->dropped = ps.ps_drop + ps.ps_ifdrop;
		}
		if (drain_until_quiet(h, dump, 400) == 0 || !have)
			break;
	}
}

/* The writer: copy packets to the file until told to stop or until the
 * harness goes away (its end of the pipe closes). */
static void writer(pcap_t *h, pcap_dumper_t *dump, int cmd, int ack, const char *user)
{
	char desc[256];
	struct tb_diag d = { 0 };
	/* The harness decides when the run ends: a SIGINT/SIGTERM sent to the
	 * whole process group must not cut the file short before the harness's
	 * own stop ('q') and its final drain.  Should the harness die, the pipe
	 * closes and the loop below ends the same way. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (tb_priv_drop(user, NULL, desc, sizeof desc, &d) != TB_OK)
		fprintf(stderr, "trustbench: capture writer: %s\n", d.msg);
	pcap_setnonblock(h, 1, NULL);
	struct pollfd pf[2] = { { .fd = pcap_get_selectable_fd(h), .events = POLLIN },
				{ .fd = cmd, .events = POLLIN } };
	for (;;) {
		poll(pf, 2, TIMEOUT_MS);
		drain(h, dump);
		if (!(pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		char op = 'q';
		if (read(cmd, &op, 1) != 1)
			op = 'q';
		if (op == 's') {
			/* A block may still be filling: let its timeout pass, then
			 * take everything the kernel has before answering. */
			drain_until_quiet(h, dump, 1000);
			/* The counters so far travel with the answer: the traffic
			 * check must know whether the kernel dropped packets. */
			struct wstats now = { 0 };
			struct pcap_stat ps;
			if (pcap_stats(h, &ps) == 0) {
				now.received = ps.ps_recv;
				now.dropped = ps.ps_drop + ps.ps_ifdrop;
			}
			if (write(ack, &now, sizeof now) != (ssize_t)sizeof now)
				break;
			continue;
		}
		break;
	}
	struct wstats ws = { 0 };
	final_drain(h, dump, &ws);
	pcap_dump_close(dump);
	if (write(ack, &ws, sizeof ws) != (ssize_t)sizeof ws)
		_exit(1);
	_exit(0);
}

enum tb_err tb_capture_start(struct tb_capture *c, const char *ifname, uint32_t dut, const char *outdir,
			     const char *user)
{
	char err[PCAP_ERRBUF_SIZE] = "", ip[16];
	memset(c, 0, sizeof *c);
	c->cmd_fd = c->ack_fd = -1;
	tb_ipv4_format(dut, ip);
	/* IPv6 whole: the DUT's IPv6 addresses (link-local, discovered ones)
	 * are not all known here; the analyzer picks its frames. */
	snprintf(c->filter, sizeof c->filter, "host %s or ip6", ip);
	snprintf(c->ifname, sizeof c->ifname, "%s", ifname);
	snprintf(c->path, sizeof c->path, "%s/%s", outdir, TB_CAPTURE_REL);
	pcap_t *h = open_handle(c, ifname, err);
	if (!h || set_filter(h, c->filter, err) != 0) {
		snprintf(c->reason, sizeof c->reason, "cannot capture on interface %s: %s", ifname,
			 err);
		if (h)
			pcap_close(h);
		return TB_E_IO;
	}
	pcap_dumper_t *dump = pcap_dump_open(h, c->path);
	int cmd[2] = { -1, -1 }, ack[2] = { -1, -1 };
	if (!dump || pcap_dump_flush(dump) != 0 || pipe2(cmd, O_CLOEXEC) != 0 ||
	    pipe2(ack, O_CLOEXEC) != 0) {
		snprintf(c->reason, sizeof c->reason, "cannot write %s: %s", c->path,
			 dump ? strerror(errno) : pcap_geterr(h));
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(c->reason, sizeof c->reason, "cannot start the capture writer: %s",
			 strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		writer(h, dump, cmd[0], ack[1], user);
	}
	close(cmd[0]);
	close(ack[1]);
	pcap_dump_close(dump); /* the header is flushed; the writer owns the file now */
	pcap_close(h);
	c->pid = pid;
	c->cmd_fd = cmd[1];
	c->ack_fd = ack[0];
	c->active = 1;
	signal(SIGPIPE, SIG_IGN);
	return TB_OK;
fail:
	for (int i = 0; i < 2; i++) {
		if (cmd[i] >= 0)
			close(cmd[i]);
		if (ack[i] >= 0)
			close(ack[i]);
	}
	if (dump)
		pcap_dump_close(dump);
	pcap_close(h);
	return TB_E_IO;
}

static int read_deadline(int fd, void *buf, size_t n, int timeout_ms)
{
	size_t got = 0;
	int64_t end = tb_now_ms() + timeout_ms;
	while (got < n) {
		int64_t left = end - tb_now_ms();
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
			return -1;
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

enum tb_err tb_capture_sync(struct tb_capture *c, int timeout_ms)
{
	struct wstats ws;
	if (!c || !c->active)
		return TB_E_IO;
	if (write(c->cmd_fd, "s", 1) != 1 || read_deadline(c->ack_fd, &ws, sizeof ws, timeout_ms) != 0)
		return TB_E_TIMEOUT;
	c->have_stats = 1;
	c->received = ws.received;
	c->dropped = ws.dropped;
	return TB_OK;
}

void tb_capture_stop(struct tb_capture *c)
{
	struct wstats ws;
	if (!c->active)
		return;
	/* The final drain takes a block timeout or two, at most about 2.2 s. */
	if (write(c->cmd_fd, "q", 1) == 1 && read_deadline(c->ack_fd, &ws, sizeof ws, 4000) == 0) {
		c->have_stats = 1;
		c->received = ws.received;
		c->dropped = ws.dropped;
	} else {
		kill(c->pid, SIGKILL); /* it ignores SIGTERM (see writer()) */
	}
	close(c->cmd_fd);
	close(c->ack_fd);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	c->active = 0;
}
