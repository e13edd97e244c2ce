/* datafile.h: find trustbench's data files (schema, stylesheets). */
#ifndef TB_DATAFILE_H
#define TB_DATAFILE_H

#include <stddef.h>

/* Path of the data file rel (e.g. "reports/xsl/report-html.xsl" or the
 * report schema): $TRUSTBENCH_DATADIR/rel when the variable is set; else the
 * source tree next to the binary (dirname(exe)/../rel) when that file
 * exists; else the installed data directory TB_DATADIR/rel.  Writes into buf
 * and returns it. */
const char *tb_data_file(const char *rel, char *buf, size_t len);

#endif
