/* standalone.c: replay fuzz inputs without libFuzzer.
 *
 * Usage: fuzz_X FILE_OR_DIR...  Each file named (or each regular file in a
 * directory named) is read whole and passed to LLVMFuzzerTestOneInput once,
 * so corpora and crash reproducers run under any compiler with ASan/UBSan.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *p = realloc(buf, ncap);

			if (!p) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(buf);
				fclose(f);
				return 1;
			}
			buf = p;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		fclose(f);
		return 1;
	}
	fclose(f);
	/* Exactly len bytes, so ASan catches reads past the input. */
	uint8_t *exact = malloc(len ? len : 1);

	if (!exact) {
		free(buf);
		return 1;
	}
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	/* A crash report names the input when this is set. */
	if (getenv("TB_FUZZ_VERBOSE"))
		fprintf(stderr, "running %s (%zu bytes)\n", path, len);
	replayed++;
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int run_path(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int bad = 0;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(sb.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(path) + strlen(de->d_name) + 2;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = malloc(n);
		if (!p) {
			bad = 1;
			break;
		}
		snprintf(p, n, "%s/%s", path, de->d_name);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			bad |= run_file(p);
		free(p);
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		bad |= run_path(argv[i]);
	fprintf(stderr, "%s: replayed %lu inputs\n", argv[0], replayed);
	return bad;
}
