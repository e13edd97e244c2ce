/* portlist.c: port lists in test case parameters (portlist.h). */
#include "check/portlist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

long tb_port_list_parse(const char *spec, uint8_t map[8192], struct tb_diag *d)
{
	long count = 0;
	memset(map, 0, 8192);
	for (const char *p = spec ? spec : ""; *p;) {
		char *end;
		errno = 0;
		long lo = strtol(p, &end, 10), hi;
		if (end == p || *p == '-' || *p == '+' || errno || lo < 1 || lo > 65535)
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-') {
			const char *q = p + 1;
			hi = strtol(q, &end, 10);
			if (end == q || *q == '-' || *q == '+' || errno || hi < lo || hi > 65535)
				goto bad;
			p = end;
		}
		for (long port = lo; port <= hi; port++)
			if (!(map[port >> 3] & (1u << (port & 7)))) {
				map[port >> 3] |= (uint8_t)(1u << (port & 7));
				count++;
			}
		if (*p == ',' && p[1] && p[1] != ',')
			p++;
		else if (*p)
			goto bad;
	}
	if (count > 0)
		return count;
bad:
	tb_diag_set(d, TB_E_CONFIG, "bad port list '%s' (use e.g. 1-65535 or 22,80,8000-8100)",
		    spec ? spec : "");
	return -1;
}
