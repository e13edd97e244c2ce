/* datafile.c: find trustbench's data files (see datafile.h). */
#include "base/datafile.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef TB_DATADIR
#define TB_DATADIR "/usr/local/share/trustbench"
#endif

const char *tb_data_file(const char *rel, char *buf, size_t len)
{
	const char *env = getenv("TRUSTBENCH_DATADIR");
	if (env && *env) {
		snprintf(buf, len, "%s/%s", env, rel);
		return buf;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(buf, len, "%s/../%s", dirname(exe), rel);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, len, "%s/%s", TB_DATADIR, rel);
	return buf;
}
