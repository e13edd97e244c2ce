/* cli_analyze.c: run the passive analyzers on a capture taken anywhere.
 *
 * Writes the same <traffic> section a run puts in its report, as a
 * standalone document (OUT/traffic.xml, validated against the report
 * schema), or to stdout without --out; prints a short summary on stderr.
 */
#include "cli/cli.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/analyze.h"
#include "base/mkdirs.h"
#include "load/profile.h"
#include "report/report.h"
#include "report/report_load.h"
#include "net/scope.h"
#include "load/suite.h"
#include "result/verdict.h"

static const char usage[] =
	"usage: trustbench analyze FILE [--profile P] [--dut ADDR]... [--out DIR]\n"
	"  FILE            a pcap or pcapng capture (Ethernet, Linux cooked, loopback, raw IP)\n"
	"  --profile P     take the device's addresses from this profile (dut.address, dut.address6)\n"
	"  --dut ADDR      a device address, IPv4 or IPv6; repeat for each of its addresses, at most\n"
	"                  one IPv4 (default: the busiest IPv4 address)\n"
	"  --out DIR       write DIR/traffic.xml (default: the XML goes to stdout)\n";

static void summary(const struct tb_analysis *a)
{
	char ip[16 + TB_AN_MAX_DUT6 * TB_AN_ADDR_TEXT], loss[700];
	size_t clear = 0, dut_secrets = 0;
	tb_analysis_dut_format(a, ip, sizeof ip);
	for (size_t i = 0; i < a->nflows; i++)
		clear += tb_app_cleartext((enum tb_app)a->flows[i].k.app);
	for (size_t i = 0; i < a->nsecrets; i++)
		dut_secrets += a->secrets[i].from_dut;
	fprintf(stderr,
		"%s: %llu frames, %llu to or from the device, %llu connections in %zu flows (%zu "
		"cleartext), %zu secrets in clear (%zu sent by the device), %llu fragments, %llu "
		"undecodable\n",
		ip, (unsigned long long)a->frames, (unsigned long long)a->dut_frames,
		(unsigned long long)a->connections, a->nflows, clear, a->nsecrets, dut_secrets,
		(unsigned long long)a->fragments, (unsigned long long)a->undecodable);
	if (tb_analysis_loss_describe(a, 0, loss, sizeof loss))
		fprintf(stderr, "%s: information lost: %s\n", ip, loss);
}

static int write_out(const struct tb_capture_info *ci, const struct tb_analysis *a, const char *outdir,
		     const char *schema)
{
	struct tb_diag d = { 0 };
	char path[4096];
	if (!outdir) {
		snprintf(path, sizeof path, "/dev/stdout");
	} else {
		if (tb_mkdirs(outdir, 0755, NULL, &d) != TB_OK) {
			fprintf(stderr, "trustbench analyze: %s\n", d.msg);
			return TB_EXIT_USAGE;
		}
		snprintf(path, sizeof path, "%s/traffic.xml", outdir);
	}
	enum tb_err e = outdir ? tb_traffic_write(ci, a, path, &d) : TB_OK;
	if (!outdir) {
		/* stdout cannot be renamed into place: write a temporary and copy */
		char tmp[] = "/tmp/tb-traffic-XXXXXX";
		int fd = mkstemp(tmp);
		if (fd < 0)
			return TB_EXIT_USAGE;
		close(fd);
		e = tb_traffic_write(ci, a, tmp, &d);
		char *buf = NULL;
		size_t len = 0;
		if (!e && tb_file_read(tmp, (size_t)64 << 20, &buf, &len, &d) == TB_OK) {
			fwrite(buf, 1, len, stdout);
			free(buf);
		}
		unlink(tmp);
	}
	if (e) {
		char msg[768];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench analyze: %s\n", msg);
		return TB_EXIT_USAGE;
	}
	if (outdir && schema && access(schema, R_OK) == 0 &&
	    tb_report_load_validate(path, schema, &d) != TB_OK) {
		fprintf(stderr, "trustbench analyze: warning: %s does not validate: %s\n", path, d.msg);
		return TB_EXIT_USAGE;
	}
	if (outdir)
		fprintf(stderr, "evidence: %s\n", path);
	return 0;
}

/* The --dut values: at most one IPv4 address and TB_AN_MAX_DUT6 IPv6 ones. */
struct duts {
	int have4;
	uint32_t v4;
	uint8_t v6[TB_AN_MAX_DUT6][16];
	size_t n6;
};

static int dut_add(struct duts *u, const char *text)
{
	struct tb_addr ad;
	if (tb_addr_parse(text, &ad) != 0) { /* a zone (%eth0) means nothing in a capture */
		fprintf(stderr, "trustbench analyze: --dut '%s' is not an IPv4 or IPv6 address\n",
			text);
		return -1;
	}
	if (ad.family == AF_INET) {
		if (u->have4 && u->v4 != ad.u.v4) {
			fprintf(stderr, "trustbench analyze: --dut: one IPv4 address only\n");
			return -1;
		}
		u->have4 = 1;
		u->v4 = ad.u.v4;
		return 0;
	}
	if (u->n6 == TB_AN_MAX_DUT6) {
		fprintf(stderr, "trustbench analyze: --dut: at most %d IPv6 addresses\n",
			TB_AN_MAX_DUT6);
		return -1;
	}
	memcpy(u->v6[u->n6++], ad.u.v6, 16);
	return 0;
}

/* The profile's addresses (when no --dut was given). */
static int duts_from_profile(struct duts *u, const char *path)
{
	struct tb_diag d = { 0 };
	struct tb_profile *p;
	if (tb_profile_load(path, &p, &d) != TB_OK) {
		fprintf(stderr, "%s\n", d.msg);
		return -1;
	}
	u->have4 = 1;
	u->v4 = p->address;
	for (size_t i = 0; i < p->naddress6 && u->n6 < TB_AN_MAX_DUT6; i++)
		if (p->address6[i].family == AF_INET6)
			memcpy(u->v6[u->n6++], p->address6[i].u.v6, 16);
	tb_profile_free(p);
	return 0;
}

static struct tb_analysis *analysis_for(const struct duts *u)
{
	struct tb_analysis *a = u->have4 ? tb_analysis_new(u->v4) : tb_analysis_new6(u->v6[0]);
	for (size_t i = 0; i < u->n6; i++)
		(void)tb_analysis_add_dut6(a, u->v6[i]);
	return a;
}

int tb_cmd_analyze(int argc, char **argv, const char *schema)
{
	const char *file = NULL, *profile_path = NULL, *outdir = NULL;
	struct duts duts = { 0 };
	int ndut = 0;
	for (int i = 0; i < argc; i++) {
		int has_val = i + 1 < argc;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--profile") == 0 && has_val)
			profile_path = argv[++i];
		else if (strcmp(argv[i], "--dut") == 0 && has_val) {
			if (dut_add(&duts, argv[++i]) != 0)
				return TB_EXIT_USAGE;
			ndut++;
		} else if (strcmp(argv[i], "--out") == 0 && has_val)
			outdir = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			fprintf(stderr, "trustbench analyze: unexpected argument '%s'\n%s", argv[i],
				usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!file) {
		fprintf(stderr, "trustbench analyze: name a capture file\n%s", usage);
		return TB_EXIT_USAGE;
	}
	struct tb_diag d = { 0 };
	if (profile_path && !ndut && duts_from_profile(&duts, profile_path) != 0)
		return TB_EXIT_USAGE;
	if (!profile_path && !ndut) {
		if (tb_analysis_guess_dut(file, &duts.v4, &d) != TB_OK) {
			fprintf(stderr, "trustbench analyze: %s\n", d.msg);
			return TB_EXIT_USAGE;
		}
		duts.have4 = 1;
		char ip[16];
		tb_ipv4_format(duts.v4, ip);
		fprintf(stderr, "device address not given: taking the busiest address, %s\n", ip);
	}
	struct tb_analysis *a = analysis_for(&duts);
	struct tb_capture_info ci = { .status = "offline", .path = file, .have_sha = 1 };
	if (tb_analysis_read_file_sha256(a, file, ci.sha256, &ci.bytes, &d) != TB_OK) {
		fprintf(stderr, "trustbench analyze: %s\n", d.msg);
		tb_analysis_free(a);
		return TB_EXIT_USAGE;
	}
	summary(a);
	int rc = write_out(&ci, a, outdir, schema);
	tb_analysis_free(a);
	return rc;
}
