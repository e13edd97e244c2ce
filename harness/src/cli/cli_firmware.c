/* cli_firmware.c: `trustbench firmware verify IMAGE --profile P [--sig FILE]
 * [--manifest FILE] [--current-version V]`: verify one update artefact
 * against the trust anchor the profile declares (declarations.update).
 * With --manifest the signature is a raw detached signature over the
 * manifest; without it, a detached CMS over the image. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "trust/fwverify.h"
#include "load/profile.h"
#include "result/verdict.h"

static const char usage[] =
	"usage: trustbench firmware verify IMAGE --profile FILE --sig FILE [--manifest FILE]\n"
	"                                  [--current-version V]\n";

static int exit_for(enum tb_verdict v)
{
	if (v == TB_V_PASS)
		return TB_EXIT_PASS;
	return v == TB_V_FAIL ? TB_EXIT_FAIL : TB_EXIT_UNDECIDED;
}

static int verify(int argc, char **argv)
{
	const char *profile_path = NULL, *image = NULL, *sig = NULL, *man = NULL, *cur = NULL;
	for (int i = 0; i < argc; i++) {
		int v = i + 1 < argc;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--profile") == 0 && v)
			profile_path = argv[++i];
		else if (strcmp(argv[i], "--sig") == 0 && v)
			sig = argv[++i];
		else if (strcmp(argv[i], "--manifest") == 0 && v)
			man = argv[++i];
		else if (strcmp(argv[i], "--current-version") == 0 && v)
			cur = argv[++i];
		else if (argv[i][0] != '-' && !image)
			image = argv[i];
		else {
			fprintf(stderr, "trustbench firmware verify: unexpected argument '%s'\n%s",
				argv[i], usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!image || !profile_path || !sig) {
		fprintf(stderr,
			"trustbench firmware verify: IMAGE, --profile and --sig are required\n%s",
			usage);
		return TB_EXIT_USAGE;
	}
	struct tb_diag d = { 0 };
	struct tb_profile *p;
	if (tb_profile_load(profile_path, &p, &d) != TB_OK) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "%s\n", msg);
		return TB_EXIT_USAGE;
	}
	struct tb_fw_input in;
	static struct tb_fw_report rep;
	tb_fw_input_from_profile(p, NULL, &in);
	in.image = image;
	in.sig = sig;
	in.manifest = man;
	if (cur)
		in.current_version = cur;
	tb_fw_verify(&in, &rep);
	printf("image      %s\n", image);
	printf("sha256     %s (%llu bytes)\n", rep.image_sha256[0] ? rep.image_sha256 : "-",
	       (unsigned long long)rep.image_size);
	printf("format     %s\n", rep.format[0] ? rep.format : "-");
	for (unsigned i = 0; i < rep.n; i++)
		printf("%-10s %-12s %s\n", rep.f[i].what, tb_verdict_name(rep.f[i].v), rep.f[i].text);
	printf("verdict    %s: %s\n", tb_verdict_name(rep.verdict), rep.reason);
	tb_profile_free(p);
	return exit_for(rep.verdict);
}

int tb_cmd_firmware(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return verify(argc - 1, argv + 1);
	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return TB_EXIT_USAGE;
}
