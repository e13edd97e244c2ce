/* mkdirs.c: mkdir -p for output directories (see mkdirs.h). */
#include "base/mkdirs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void remember(struct tb_made_dirs *made, const char *path)
{
	if (made->n < TB_MKDIRS_MAX)
		made->path[made->n++] = tb_xstrdup(path);
}

/* Create one directory; EEXIST is fine only for a directory. */
static enum tb_err make_one(const char *path, const char *whole, mode_t mode, struct tb_made_dirs *made,
			    struct tb_diag *d)
{
	struct stat st;
	if (mkdir(path, mode) == 0) {
		remember(made, path);
		return TB_OK;
	}
	int err = errno;
	if (err == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return TB_OK;
	if (err == EEXIST)
		return tb_diag_set(d, TB_E_IO, "cannot create %s: %s exists and is not a directory",
				   whole, path);
	if (strcmp(path, whole) == 0)
		return tb_diag_set(d, TB_E_IO, "cannot create %s: %s", whole, strerror(err));
	return tb_diag_set(d, TB_E_IO, "cannot create %s: cannot create its parent %s: %s", whole, path,
			   strerror(err));
}

enum tb_err tb_mkdirs(const char *dir, mode_t mode, struct tb_made_dirs *made, struct tb_diag *d)
{
	struct tb_made_dirs local = { 0 };
	struct tb_made_dirs *m = made ? made : &local;
	memset(m, 0, sizeof *m);
	if (!dir || !*dir)
		return tb_diag_set(d, TB_E_CONFIG, "the output directory name is empty");
	char *p = tb_xstrdup(dir);
	enum tb_err e = TB_OK;
	/* Each prefix ending before a '/' (skipping the root and repeated
	 * slashes), then the whole path. */
	for (char *s = p + 1; *s && !e; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		e = make_one(p, dir, mode, m, d);
		*s = '/';
	}
	if (!e)
		e = make_one(p, dir, mode, m, d);
	free(p);
	if (e)
		tb_made_dirs_undo(m);
	if (e || !made)
		tb_made_dirs_free(m);
	return e;
}

void tb_made_dirs_undo(struct tb_made_dirs *made)
{
	for (size_t i = made->n; i-- > 0;)
		if (rmdir(made->path[i]) != 0)
			break; /* not empty (or gone): leave it and its parents */
}

void tb_made_dirs_free(struct tb_made_dirs *made)
{
	for (size_t i = 0; i < made->n; i++)
		free(made->path[i]);
	made->n = 0;
}
